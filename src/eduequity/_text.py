"""How numbers appear in messages and reports: as in the published tables."""

from __future__ import annotations

import math
from collections.abc import Sequence

from eduequity.metrics import _rounded_text

__all__ = ["format_cv", "format_ids", "format_number"]

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
    if math.isinf(value):
        return f"{value:.3f}"
    return _rounded_text(value, 3)


def format_number(value: float) -> str:
    """A measured value or threshold: at most 3 decimals, rounded half up, no trailing zeros.

    Examples
    --------
    >>> format_number(2000.0), format_number(4.2), format_number(13.4526)
    ('2000', '4.2', '13.453')
    """
    shown = _rounded_text(value, 3) if math.isfinite(value) else f"{value:.3f}"
    text = shown.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


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
