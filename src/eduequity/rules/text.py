"""How numbers appear in messages and reports: as in the published tables."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import ArrayLike, NDArray

from eduequity.metrics import round_half_up

__all__ = [
    "format_cv",
    "format_cvs",
    "format_ids",
    "format_number",
    "format_numbers",
    "join_text",
]

# Below this many thousandths, ``|value| * 1000`` carries an error far below the 1e-6 tie margin
# of :func:`round_half_up`, so rounding the product gives the same digits.
_FAST_LIMIT = 1e9

_MAX_IDS = 5


def format_cv(value: float | None) -> str:
    """A CV as published: 3 decimals, rounded half up; ``"undefined"`` for None or NaN.

    Examples
    --------
    >>> format_cv(0.5625), format_cv(None)
    ('0.563', 'undefined')
    """
    if value is None or math.isnan(value):
        return "undefined"
    return f"{round_half_up(value, 3):.3f}"


def format_number(value: float) -> str:
    """A measured value or threshold: at most 3 decimals, rounded half up, no trailing zeros.

    Examples
    --------
    >>> format_number(2000.0), format_number(4.2), format_number(13.4526)
    ('2000', '4.2', '13.453')
    """
    text = f"{round_half_up(value, 3):.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_numbers(values: ArrayLike) -> pa.StringArray:
    """:func:`format_number` of every value, vectorised; null where the value is NaN or infinite.

    Values near a rounding tie, or too large for the fast path, go through
    :func:`format_number` itself, so each string equals ``format_number(value)``.

    Examples
    --------
    >>> format_numbers([2000.0, 4.2, 13.4526, 0.5625, -0.0001, float("nan")]).to_pylist()
    ['2000', '4.2', '13.453', '0.563', '0', None]
    """
    v, finite, slow, whole, part = _thousandths(values)
    negative = (v < 0) & ((whole > 0) | (part > 0))
    text = pc.binary_join_element_wise(
        pc.if_else(pa.array(negative), "-", ""),
        pc.cast(pa.array(whole), pa.string()),
        pc.if_else(pa.array(part > 0), ".", ""),
        pc.utf8_rtrim(pc.utf8_lpad(pc.cast(pa.array(part), pa.string()), 3, "0"), "0"),
        "",
    )
    return _patch(text, v, finite, slow, format_number, None)


def format_cvs(values: ArrayLike) -> pa.StringArray:
    """:func:`format_cv` of every value, vectorised (``"undefined"`` where NaN).

    Examples
    --------
    >>> format_cvs([0.5625, 0.1, float("nan")]).to_pylist()
    ['0.563', '0.100', 'undefined']
    """
    v, finite, slow, whole, part = _thousandths(values)
    text = pc.binary_join_element_wise(
        pc.if_else(pa.array(np.signbit(v)), "-", ""),
        pc.cast(pa.array(whole), pa.string()),
        ".",
        pc.utf8_lpad(pc.cast(pa.array(part), pa.string()), 3, "0"),
        "",
    )
    return _patch(text, v, finite, slow, format_cv, "undefined")


def _thousandths(
    values: ArrayLike,
) -> tuple[
    NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]
]:
    """The values, which are finite, which are near a tie (or too large) for the fast path, and
    the whole and thousandths parts of ``|value|`` rounded half up (0 on the slow path)."""
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    with np.errstate(invalid="ignore"):
        scaled = np.abs(np.where(finite, v, 0.0)) * 1000.0
        frac = scaled - np.floor(scaled)
        slow = finite & ((scaled >= _FAST_LIMIT) | (np.abs(frac - 0.5) <= 1e-6))
    thousandths = np.floor(scaled + 0.5).astype(np.int64)
    thousandths[slow] = 0
    whole, part = np.divmod(thousandths, 1000)
    return v, finite, slow, whole, part


def _patch(
    text: pa.Array,
    v: NDArray[np.float64],
    finite: NDArray[np.bool_],
    slow: NDArray[np.bool_],
    scalar: Callable[[float], str],
    otherwise: str | None,
) -> pa.StringArray:
    """``text`` with the slow-path values formatted by ``scalar`` and ``otherwise`` where not
    finite."""
    if slow.any():
        idx = np.flatnonzero(slow)
        fixed = pa.array([scalar(float(x)) for x in v[idx]], pa.string())
        text = pc.replace_with_mask(text, pa.array(slow), fixed)
    result: pa.StringArray = pc.if_else(pa.array(finite), text, pa.scalar(otherwise, pa.string()))
    return result


def join_text(*pieces: str | pa.Array) -> pa.StringArray:
    """Concatenate strings and string arrays element by element (scalars are repeated)."""
    return pc.binary_join_element_wise(*pieces, "")


def format_ids(ids: Sequence[str]) -> str:
    """The first few ids, and how many more."""
    shown = ", ".join(ids[:_MAX_IDS])
    return shown + (f" (+{len(ids) - _MAX_IDS} more)" if len(ids) > _MAX_IDS else "")
