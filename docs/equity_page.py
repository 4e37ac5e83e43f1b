"""Draws the equity page's Lorenz curves from the sample county (never by hand), as SVG: the
points are eduequity.equity.lorenz_curve's; plot_lorenz draws the same with matplotlib."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc

import eduequity as ee
from eduequity import batch, equity

_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c")


def write_lorenz_chart(path: Path) -> None:
    """Lorenz curves of three primary indicators of the sample county."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    schools = batch.evaluate_table(table, "cn-basic-2012").schools
    primary = schools.filter(
        pc.and_(pc.equal(schools.column("stage"), "primary"), schools.column("included"))
    )
    pupils = primary.column("enrollment").to_numpy()
    size, pad = 260, 40
    body = [
        f'<rect x="{pad}" y="10" width="{size}" height="{size}" fill="none" stroke="#999"/>',
        f'<line x1="{pad}" y1="{10 + size}" x2="{pad + size}" y2="10" stroke="#999" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{pad + size / 2}" y="{size + 45}" text-anchor="middle">share of pupils</text>',
        f'<text x="12" y="{10 + size / 2}" text-anchor="middle" transform="rotate(-90 12 '
        f'{10 + size / 2})">share of the resource</text>',
    ]
    names = {
        "books_per_student": "books",
        "computers_per_100_students": "computers",
        "equipment_value_per_student": "equipment",
    }
    for k, (indicator, name) in enumerate(names.items()):
        values = primary.column(f"value_{indicator}").to_numpy()
        f, lc = equity.lorenz_curve(values, pupils)
        points = " ".join(
            f"{pad + size * a:.1f},{10 + size * (1 - b):.1f}" for a, b in zip(f, lc, strict=True)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{_COLOURS[k]}" stroke-width="2"/>'
        )
        gini = equity.gini(values, pupils)
        body.append(
            f'<text x="{pad + size + 12}" y="{30 + 18 * k}" fill="{_COLOURS[k]}">'
            f"{name} (Gini {gini:.3f})</text>"
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + pad + 170}" height="{size + 55}"'
        ' font-family="sans-serif" font-size="12">' + "".join(body) + "</svg>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg, "utf-8")
