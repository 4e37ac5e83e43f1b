"""Draws the quickstart's chart from the sample county (never by hand), as SVG: each stage's
seven CVs under cn-quality-2017 against the stage's bound, the numbers of the counties table
the page's code plots with pandas."""

from __future__ import annotations

from pathlib import Path

import eduequity as ee

_COLOURS = {"passed": "#2e7d32", "failed": "#c0392b"}
_SHORT = {
    "teachers_above_qualification_per_100_students": "qualified teachers",
    "teachers_backbone_per_100_students": "backbone teachers",
    "teachers_pe_arts_per_100_students": "PE/arts teachers",
    "room_area_per_student": "room area",
    "sports_area_per_student": "sports area",
    "equipment_value_per_student": "equipment",
    "multimedia_rooms_per_100_students": "multimedia rooms",
}


def write_quickstart_chart(path: Path) -> None:
    """A bar per CV of each stage, the bound as a dashed line."""
    schools = ee.batch.table_from_counties([ee.datasets.sample_county()])
    counties = ee.batch.evaluate_table(schools, standard="cn-quality-2017").counties.to_pylist()
    cv_columns = [c for c in counties[0] if c.startswith("cv_") and c != "cv_status"]
    width, height, top, bottom, bar = 640, 330, 20, 130, 14
    pad = 50
    body = []
    scale = (height - top - bottom) / 0.6
    for s, row in enumerate(counties):
        x0 = pad + s * (width - pad) / len(counties)
        bound = row["threshold"]
        y_bound = height - bottom - bound * scale
        x_end = x0 + len(cv_columns) * (bar + 6)
        body.append(
            f'<line x1="{x0 - 4}" y1="{y_bound:.1f}" x2="{x_end:.1f}" y2="{y_bound:.1f}" '
            'stroke="#555" stroke-dasharray="4 3"/>'
        )
        body.append(
            f'<text x="{x_end + 4:.1f}" y="{y_bound + 4:.1f}" font-size="11">bound {bound:.2f}'
            "</text>"
        )
        for k, column in enumerate(cv_columns):
            cv = row[column]
            colour = _COLOURS["failed" if cv > bound else "passed"]
            x = x0 + k * (bar + 6)
            h = cv * scale
            body.append(
                f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{colour}"><title>{column}: {cv:.3f}</title></rect>'
            )
            label = _SHORT[column.removeprefix("cv_")]
            y = height - bottom + 12
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{y}" font-size="10" text-anchor="end" '
                f'transform="rotate(-50 {x + bar / 2:.1f} {y})">{label}</text>'
            )
        body.append(
            f'<text x="{x0:.1f}" y="{height - 12}" font-size="12">{row["stage"]}: '
            f"{row['cv_status']} (CVs), {row['status']} (stage)</text>"
        )
    body.append(
        f'<line x1="{pad - 8}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#999"/>'
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width + 40} {height}" '
        f'font-family="sans-serif">{"".join(body)}</svg>\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg, encoding="utf-8")
