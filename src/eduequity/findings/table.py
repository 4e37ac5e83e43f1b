"""The findings table: one row per finding, with codes, values and citations.

A national table has millions of rows, so it holds no prose: every text column is
dictionary-encoded (the school ids point into the input's ids), and the messages are added, on
demand, for the rows asked for (:func:`findings_table` with ``messages=True``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity.findings.frames import FindingFrame, finding_frames
from eduequity.findings.messages import frame_messages
from eduequity.rules.columns import STAGES
from eduequity.rules.pipeline import Evaluation
from eduequity.status import STATUS_CODES, Status

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
        ("school_id", _LARGE),
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

_STAGES = pa.array([s.value for s in STAGES])
_STATUSES = pa.array([s.value for s in STATUS_CODES])


def _constant(value: str | None, n: int) -> pa.Array:
    """``value`` n times, dictionary-encoded (nothing is copied n times)."""
    if value is None:
        return pa.nulls(n, _SMALL)
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array([value]))


def _coded(codes: NDArray[np.intp], values: pa.Array, index: pa.DataType) -> pa.Array:
    """``values[codes]`` dictionary-encoded; null where the code is negative."""
    indices = pa.array(np.maximum(codes, 0).astype(index.to_pandas_dtype()), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, values)


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
        wanted = pa.array([str(c) for c in counties], pa.string())
        county_mask = np.asarray(pc.is_in(ev.columns.county_code, value_set=wanted))
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


def _frame_table(ev: Evaluation, fr: FindingFrame, messages: bool) -> pa.Table:
    n = len(fr)
    columns = [
        _coded(fr.county, ev.columns.county_code, pa.int32()),
        _constant(fr.component, n),
        _constant(fr.rule_id, n),
        _constant(fr.level.value, n),
        _coded(fr.stage, _STAGES, pa.int8()),
        _coded(fr.school, ev.columns.school_id, pa.int32()),
        _constant(fr.indicator, n),
        _coded(fr.status, _STATUSES, pa.int8()),
        pa.array(fr.measured, mask=np.isnan(fr.measured)),
        _constant(None if fr.op is None else fr.op.value, n),
        pa.array(fr.threshold, mask=np.isnan(fr.threshold)),
        _constant(str(fr.citation), n),
        _constant(fr.citation.confidence.value, n),
    ]
    schema = FINDINGS_SCHEMA
    if messages:
        columns += [pa.array(frame_messages(ev, fr, lang), pa.string()) for lang in ("zh", "en")]
        schema = pa.schema([*FINDINGS_SCHEMA, *MESSAGE_FIELDS])
    return pa.table(columns, schema=schema)


def findings_table(
    ev: Evaluation,
    *,
    counties: Sequence[str] | None = None,
    statuses: Iterable[Status | str] | None = None,
    messages: bool = False,
) -> pa.Table:
    """The findings of ``ev`` as a long table (:data:`FINDINGS_SCHEMA`), rule after rule.

    Parameters
    ----------
    ev : Evaluation
    counties : sequence of str, optional
        Keep the findings of these county codes only.
    statuses : iterable of Status or str, optional
        Keep the findings with these statuses only (e.g. ``["failed", "not_evaluated"]``).
    messages : bool, default False
        Add ``message_zh`` and ``message_en``, rendered from the templates of
        :mod:`eduequity.findings.messages` (about a microsecond or two per message: ask for
        them on the rows you read).
    """
    frames = select_frames(ev, counties, statuses)
    tables = [_frame_table(ev, fr, messages) for fr in frames if len(fr)]
    if not tables:
        schema = pa.schema([*FINDINGS_SCHEMA, *MESSAGE_FIELDS]) if messages else FINDINGS_SCHEMA
        return schema.empty_table()
    return pa.concat_tables(tables)
