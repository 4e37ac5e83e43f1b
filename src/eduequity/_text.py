"""How numbers appear in messages and reports: as in the published tables."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from eduequity._printed import printed
from eduequity.metrics import _rounded_text

__all__ = ["format_cv", "format_ids", "format_number"]

_MAX_IDS = 5


def format_cv(value: float | None, maximum: float | None = None) -> str:
    """A CV as published: 3 decimals, rounded half up; ``"undefined"`` for None or NaN.

    Beside its ``maximum``, a CV above it that would round to it keeps the decimals that show
    it above (``eduequity._printed``): 0.4504 is 0.4504 against at most 0.45, not 0.450.

    Examples
    --------
    >>> format_cv(0.5625), format_cv(None), format_cv(0.4504, 0.45), format_cv(0.4496, 0.45)
    ('0.563', 'undefined', '0.4504', '0.450')
    """
    if value is None or math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return f"{value:.3f}"
    if maximum is not None:
        shown, digits = _printed_one(value, 3, maximum, "<=")
        if digits > 3:
            return f"{shown:.{digits}f}"
    return _rounded_text(value, 3)


def format_number(value: float, requirement: tuple[str, float] | None = None) -> str:
    """A measured value or threshold: at most 3 decimals, rounded half up, no trailing zeros.

    Beside its ``requirement`` (the comparison, ``">="``, ``"<="``…, and the threshold), a
    value on one side of it that would round to the other keeps the decimals that show its
    side (``eduequity._printed``): 4.4996 is 4.4996 against at least 4.5, not 4.5.

    Examples
    --------
    >>> format_number(2000.0), format_number(4.2), format_number(13.4526)
    ('2000', '4.2', '13.453')
    >>> format_number(4.4996), format_number(4.4996, (">=", 4.5))
    ('4.5', '4.4996')
    """
    if requirement is not None and math.isfinite(value):
        op, threshold = requirement
        shown, digits = _printed_one(value, 3, threshold, op)
        if digits > 3:
            return f"{shown:.{digits}f}".rstrip("0").rstrip(".")
    shown_text = _rounded_text(value, 3) if math.isfinite(value) else f"{value:.3f}"
    text = shown_text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _printed_one(value: float, digits: int, threshold: float, op: str) -> tuple[float, int]:
    """:func:`eduequity._printed.printed` of one value."""
    shown, places = printed(np.array([value]), np.array([digits]), np.array([threshold]), op)
    return float(shown[0]), int(places[0])


def format_amount(value: float) -> str:
    """An amount to add: :func:`format_number` with its thousands separated.

    Examples
    --------
    >>> format_amount(12719.11), format_amount(-1234.5), format_amount(45.0)
    ('12,719.11', '-1,234.5', '45')
    """
    shown = format_number(value)
    sign, digits = ("-", shown[1:]) if shown.startswith("-") else ("", shown)
    whole, dot, decimals = digits.partition(".")
    return f"{sign}{int(whole):,}{dot}{decimals}" if whole.isdigit() else shown


def format_ids(ids: Sequence[str], lang: str = "en") -> str:
    """The first few ids, and how many more (in Chinese: 、 between them, and 等 where there
    are more; the count is said beside them)."""
    more = len(ids) - _MAX_IDS
    if lang == "zh":
        return "、".join(ids[:_MAX_IDS]) + ("等" if more > 0 else "")
    return ", ".join(ids[:_MAX_IDS]) + (f" (+{more} more)" if more > 0 else "")
