"""Writes the column reference page's table from the schema (never copied by hand)."""

from __future__ import annotations

from pathlib import Path

from eduequity._template import REFERENCE_FIELDS
from eduequity.batch import column_reference


def write_columns_page(path: Path) -> None:
    """The column reference as an RST list-table."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - " + "\n     - ".join(title for _, title in REFERENCE_FIELDS),
    ]
    for entry in column_reference():
        cells = [entry[key] or "—" for key, _ in REFERENCE_FIELDS]
        cells[1] = f"``{cells[1]}``"
        lines.append("   * - " + "\n     - ".join(cells))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
