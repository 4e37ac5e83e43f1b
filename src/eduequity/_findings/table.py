"""The findings table: one row per finding, with codes, values and citations.

A national table has millions of rows, so it holds no prose: every text column but the school
id is dictionary-encoded, and the messages are added, on demand, for the rows asked for
(:func:`findings_table` with ``messages=True``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, empty_table, strings, text
from eduequity._findings.frames import FindingFrame, finding_frames
from eduequity._findings.messages import frame_messages
from eduequity._status import STATUS_CODES, Status
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import Evaluation

__all__ = ["FINDINGS_SCHEMA", "MESSAGE_FIELDS", "findings_table", "select_frames"]

_SMALL = pa.dictionary(pa.int8(), pa.string())
_LARGE = pa.dictionary(pa.int32(), pa.string())

#: Columns of the findings table, in order.
FINDINGS_SCHEMA = pa.schema(
    [
        ("county_code", _LARGE),
        ("component", _SMALL),
        ("rule_id", _SMALL),
        ("level", _SMALL),
        ("stage", _SMALL),
        ("school_id", pa.string()),
        ("school_name", pa.string()),
        ("indicator", _SMALL),
        ("status", _SMALL),
        ("measured", pa.float64()),
        ("op", _SMALL),
        ("threshold", pa.float64()),
        ("citation", _SMALL),
        ("confidence", _SMALL),
    ]
)

#: The message columns added by ``messages=True``.
MESSAGE_FIELDS = (pa.field("message_zh", pa.string()), pa.field("message_en", pa.string()))

_STAGES = tuple(s.value for s in STAGES)
_STATUSES = tuple(s.value for s in STATUS_CODES)


def select_frames(
    ev: Evaluation,
    counties: Iterable[str] | None = None,
    statuses: Iterable[Status | str] | None = None,
) -> list[FindingFrame]:
    """The finding frames of ``ev``, keeping the findings of ``counties`` (codes) whose status
    is one of ``statuses`` (all if None)."""
    frames = finding_frames(ev)
    if counties is None and statuses is None:
        return frames
    county_mask = np.ones(ev.n_counties, dtype=np.bool_)
    if counties is not None:
        wanted = text([str(c) for c in counties])
        county_mask = bools(pc.is_in(ev.columns.county_code, value_set=wanted))
    status_mask = np.ones(len(STATUS_CODES), dtype=np.bool_)
    if statuses is not None:
        status_mask[:] = False
        for s in statuses:
            status_mask[STATUS_CODES.index(Status(s))] = True
    out = []
    for fr in frames:
        rows = np.flatnonzero(county_mask[fr.county] & status_mask[fr.status])
        if rows.size:
            out.append(fr.take(rows))
    return out


def _coded(codes: NDArray[np.intp], values: pa.Array, index: type) -> pa.Array:
    """``values[codes]`` dictionary-encoded; null where the code is negative."""
    indices = array(np.maximum(codes, 0).astype(index), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, values)


def _school_ids(ev: Evaluation, rows: NDArray[np.intp]) -> pa.Array:
    """The id of each finding's school, as plain strings (null for a county finding)."""
    return ev.columns.school_id.take(array(np.maximum(rows, 0), mask=rows < 0))


def _school_names(ev: Evaluation, rows: NDArray[np.intp]) -> pa.Array:
    """The name of each finding's school where the input has names (null otherwise)."""
    names = ev.columns.school_name
    if names is None:
        return pa.nulls(rows.size, pa.string())
    return names.take(array(np.maximum(rows, 0), mask=rows < 0))


def _per_frame(
    frames: Sequence[FindingFrame], value: Callable[[FindingFrame], str | None]
) -> pa.Array:
    """One text per frame, repeated over its rows, dictionary-encoded."""
    texts = [value(fr) for fr in frames]
    distinct = list(dict.fromkeys(t for t in texts if t is not None))
    codes = np.array([-1 if t is None else distinct.index(t) for t in texts], dtype=np.intp)
    rows = np.repeat(codes, [len(fr) for fr in frames])
    return _coded(rows, text(distinct), np.int8)


def _table(ev: Evaluation, frames: Sequence[FindingFrame], messages: bool) -> pa.Table:
    """The findings of ``frames`` as one table, each column one array."""

    def joined(field: str) -> NDArray[Any]:
        return np.concatenate([getattr(fr, field) for fr in frames])

    measured, threshold = joined("measured"), joined("threshold")
    columns = [
        _coded(joined("county"), ev.columns.county_code, np.int32),
        _per_frame(frames, lambda fr: fr.component),
        _per_frame(frames, lambda fr: fr.rule_id),
        _per_frame(frames, lambda fr: fr.level.value),
        _coded(joined("stage"), strings(_STAGES), np.int8),
        _school_ids(ev, joined("school")),
        _school_names(ev, joined("school")),
        _per_frame(frames, lambda fr: fr.indicator),
        _coded(joined("status"), strings(_STATUSES), np.int8),
        array(measured, mask=np.isnan(measured)),
        _per_frame(frames, lambda fr: None if fr.op is None else fr.op.value),
        array(threshold, mask=np.isnan(threshold)),
        _per_frame(frames, lambda fr: str(fr.citation)),
        _per_frame(frames, lambda fr: fr.citation.confidence.value),
    ]
    schema = FINDINGS_SCHEMA
    if messages:
        for lang in ("zh", "en"):
            texts = [m for fr in frames for m in frame_messages(ev, fr, lang)]
            columns.append(text(texts))
        schema = pa.schema([*FINDINGS_SCHEMA, *MESSAGE_FIELDS])
    return pa.table(columns, schema=schema)


def findings_table(
    ev: Evaluation,
    *,
    counties: Sequence[str] | None = None,
    statuses: Iterable[Status | str] | None = None,
    messages: bool = False,
) -> pa.Table:
    """The findings of ``ev`` as a long table (``FINDINGS_SCHEMA``), rule after rule.

    Parameters
    ----------
    ev : Evaluation
    counties : sequence of str, optional
        Keep the findings of these county codes only.
    statuses : iterable of Status or str, optional
        Keep the findings with these statuses only (e.g. ``["failed", "not_evaluated"]``).
    messages : bool, default False
        Add ``message_zh`` and ``message_en``, rendered from the templates of
        ``eduequity._findings.messages`` (about a microsecond or two per message: ask for
        them on the rows you read).
    """
    frames = [fr for fr in select_frames(ev, counties, statuses) if len(fr)]
    if not frames:
        schema = pa.schema([*FINDINGS_SCHEMA, *MESSAGE_FIELDS]) if messages else FINDINGS_SCHEMA
        return empty_table(schema)
    return _table(ev, frames, messages)
