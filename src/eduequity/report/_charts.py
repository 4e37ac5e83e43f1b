"""Charts of reports as inline SVG, drawn without a plotting library."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

import numpy as np

from eduequity._indicators import get_indicator
from eduequity._text import format_cv, format_number
from eduequity.report._labels import LABELS
from eduequity.report._model import StageReport

__all__ = ["change_chart", "cv_chart", "school_chart", "trend_chart"]

_RED, _GREEN, _GREY, _INK = "#c0392b", "#2e7d32", "#9e9e9e", "#222"
#: An "after" bar the maximum does not judge (a single CV under a composite's bound).
_PALE = "#90caf9"


def _svg(width: int, height: int, body: Iterable[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}" '
        'font-family="sans-serif" font-size="12">' + "".join(body) + "</svg>"
    )


def cv_chart(s: StageReport, lang: str) -> str:
    """Horizontal bars: each CV, with the maximum as a vertical line (red bars exceed it)."""
    names = [
        (get_indicator(i).name_zh if lang == "zh" else get_indicator(i).name_en) for i in s.cvs
    ]
    values = [np.nan if v is None else v for v in s.cvs.values()]
    if s.method == "composite":
        names.append(LABELS[lang]["composite"])
        values.append(np.nan if s.composite_cv is None else s.composite_cv)
    finite = [v for v in values if not math.isnan(v)]
    top = max([*finite, s.threshold or 0.0, 0.1]) * 1.1
    left, width, bar, gap = 330, 300, 16, 6
    height = 20 + len(values) * (bar + gap) + 20
    scale = width / top
    body = []
    for k, (name, v) in enumerate(zip(names, values, strict=True)):
        y = 10 + k * (bar + gap)
        judged = s.threshold is not None and (s.method == "each" or k == len(values) - 1)
        colour = _GREY
        if not math.isnan(v) and judged:
            assert s.threshold is not None
            colour = _RED if v > s.threshold else _GREEN
        body.append(
            f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end" fill="{_INK}">'
            f"{html.escape(name)}</text>"
        )
        if not math.isnan(v):
            body.append(
                f'<rect x="{left}" y="{y}" width="{v * scale:.1f}" height="{bar}" '
                f'fill="{colour}"><title>{format_cv(v)}</title></rect>'
                f'<text x="{left + v * scale + 4:.1f}" y="{y + bar - 4}" fill="{_INK}">'
                f"{format_cv(v)}</text>"
            )
    if s.threshold is not None:
        x = left + s.threshold * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{height - 16}" stroke="{_INK}" '
            f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{height - 4}" text-anchor="middle" '
            f'fill="{_INK}">{format_number(s.threshold)}</text>'
        )
    return _svg(left + width + 60, height, body, LABELS[lang]["cv_chart"])


def school_chart(s: StageReport, floor: float | None, lang: str) -> str:
    """One row per minimum: each school's value divided by the minimum, as a dot; the line at
    1 is the minimum (and, for a floor rule, a dotted line at the floor)."""
    rows = list(s.school_values.items())
    left, width, row_h = 330, 300, 22
    top = 3.0
    height = 10 + len(rows) * row_h + 24
    scale = width / top
    body = []
    for k, (ind_id, shares) in enumerate(rows):
        ind = get_indicator(ind_id)
        y = 10 + k * row_h + row_h / 2
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{_INK}">'
            f"{html.escape(ind.name_zh if lang == 'zh' else ind.name_en)}</text>"
        )
        for v in shares:
            colour = _GREEN if v >= 1 else _RED
            body.append(
                f'<circle cx="{left + min(v, top) * scale:.1f}" cy="{y:.1f}" r="3" '
                f'fill="{colour}" fill-opacity="0.6"/>'
            )
    for x_value, dash, anchor in ((1.0, "", "start"), (floor, ' stroke-dasharray="2 3"', "end")):
        if x_value is None:
            continue
        x = left + x_value * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="6" y2="{height - 18}" stroke="{_INK}"{dash}/>'
            f'<text x="{x + (2 if anchor == "start" else -2):.1f}" y="{height - 6}" '
            f'text-anchor="{anchor}" fill="{_INK}">{format_number(x_value)}</text>'
        )
    return _svg(left + width + 40, height, body, LABELS[lang]["school_chart"])


def change_chart(
    names: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    threshold: float | None,
    lang: str,
    only_last: bool = False,
) -> str:
    """Paired horizontal bars: each CV before (grey) and after a plan (green within the
    maximum, red above it), with the maximum as a vertical line; ``only_last``: the maximum
    judges the last bar only (the composite of cn-basic-2012): the others' "after" bars are
    pale blue, with their own key."""
    t = LABELS[lang]
    finite = [v for v in (*before, *after) if not math.isnan(v)]
    top = max([*finite, threshold or 0.0, 0.1]) * 1.1
    left, width, bar, gap = 330, 300, 11, 8
    height = 34 + len(names) * (2 * bar + gap) + 20
    scale = width / top
    body = [
        f'<rect x="{left}" y="4" width="10" height="10" fill="{_GREY}"/>'
        f'<text x="{left + 14}" y="13" fill="{_INK}">{html.escape(t["plan_before"])}</text>'
        f'<rect x="{left + 110}" y="4" width="10" height="10" fill="{_GREEN}"/>'
        f'<text x="{left + 124}" y="13" fill="{_INK}">{html.escape(t["plan_after"])}</text>'
    ]
    if only_last:
        body.append(
            f'<rect x="10" y="4" width="10" height="10" fill="{_PALE}"/>'
            f'<text x="24" y="13" fill="{_INK}">'
            f"{html.escape(t['plan_after_alone'])}</text>"
        )
    for k, name in enumerate(names):
        y = 24 + k * (2 * bar + gap)
        body.append(
            f'<text x="{left - 6}" y="{y + bar + 3}" text-anchor="end" fill="{_INK}">'
            f"{html.escape(name)}</text>"
        )
        for j, (v, when) in enumerate(((before[k], "before"), (after[k], "after"))):
            if math.isnan(v):
                continue
            colour = _GREY
            if when == "after" and only_last and k < len(names) - 1:
                colour = _PALE
            elif when == "after":
                colour = _RED if threshold is not None and v > threshold else _GREEN
            yy = y + j * bar
            body.append(
                f'<rect x="{left}" y="{yy}" width="{v * scale:.1f}" height="{bar - 1}" '
                f'fill="{colour}"><title>{format_cv(v)}</title></rect>'
                f'<text x="{left + v * scale + 4:.1f}" y="{yy + bar - 2}" fill="{_INK}" '
                f'font-size="10">{format_cv(v)}</text>'
            )
    if threshold is not None:
        x = left + threshold * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="20" y2="{height - 16}" stroke="{_INK}" '
            f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{height - 4}" text-anchor="middle" '
            f'fill="{_INK}">{format_number(threshold)}</text>'
        )
    return _svg(left + width + 60, height, body, t["plan_chart"])


_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def trend_chart(
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float]]],
    threshold: float | None,
    lang: str,
) -> str:
    """Lines across years, one per coefficient (NaN leaves a gap), with the bound dashed."""
    width, height, left, top, bottom = 420, 200, 40, 10, 30
    finite = [v for _, values in series for v in values if not math.isnan(v)]
    high = max([*finite, threshold or 0.0, 0.1]) * 1.1
    span = max(len(years) - 1, 1)

    def x(k: int) -> float:
        return left + (width - left - 10) * k / span

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / high)

    body = [
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}" stroke="{_INK}"/>',
        f'<line x1="{left}" x2="{width - 10}" y1="{height - bottom}" y2="{height - bottom}" '
        f'stroke="{_INK}"/>',
    ]
    for k, year in enumerate(years):
        body.append(
            f'<text x="{x(k):.1f}" y="{height - bottom + 14}" text-anchor="middle" '
            f'fill="{_INK}" font-size="10">{year}</text>'
        )
    if threshold is not None:
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y(threshold):.1f}" y2="{y(threshold):.1f}" '
            f'stroke="{_RED}" stroke-dasharray="4 3"/><text x="{left - 4}" '
            f'y="{y(threshold) + 4:.1f}" text-anchor="end" fill="{_RED}" font-size="10">'
            f"{format_number(threshold)}</text>"
        )
    for n, (name, values) in enumerate(series):
        colour = _PALETTE[n % len(_PALETTE)]
        points = [(x(k), y(v)) for k, v in enumerate(values) if not math.isnan(v)]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5">'
                f"<title>{html.escape(name)}</title></polyline>"
            )
        for px, py in points:
            body.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="{colour}">'
                f"<title>{html.escape(name)}</title></circle>"
            )
    legend_y = height + 4
    rows = []
    for n, (name, _) in enumerate(series):
        colour = _PALETTE[n % len(_PALETTE)]
        ly = legend_y + 14 * n
        rows.append(
            f'<rect x="{left}" y="{ly}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + 14}" y="{ly + 9}" fill="{_INK}" font-size="10">'
            f"{html.escape(name)}</text>"
        )
    total = legend_y + 14 * len(series) + 4
    return _svg(width, total, [*body, *rows], LABELS[lang]["trend_chart"])
