"""The school table's column reference, and an empty template to fill in.

:func:`column_reference` describes every column of :data:`eduequity.batch.COLUMNS`: its
Chinese header, its meaning and unit, whether it is per stage or per school, whether a
multi-stage school's amount is split between its stages, which built-in standards read it, and
whether it is required. :func:`write_template` writes an empty table with the Chinese headers
(``.xlsx``, with the reference on a second sheet; or ``.csv``, with the reference beside it).
"""

from __future__ import annotations

from pathlib import Path

from eduequity._errors import DataError
from eduequity._schema import COLUMNS, SPLIT_RESOURCES, Column
from eduequity.rules._minimums import numerators_of
from eduequity.standards import get_standard, list_standards
from eduequity.standards._model import Standard

__all__ = ["REFERENCE_FIELDS", "column_reference", "write_template"]

#: The fields of each entry of :func:`column_reference`, with their Chinese headings.
REFERENCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("header_zh", "中文表头"),
    ("column", "列名 column"),
    ("meaning", "含义 meaning"),
    ("level", "学段/学校 level"),
    ("split", "一贯制学校按学段拆分 split"),
    ("standards", "使用该列的标准 read by"),
    ("required", "必填 required"),
)


def _field(column: Column) -> tuple[str, str | None]:
    """The field of a column, and its stage (None for a per-school column)."""
    for stage in ("primary", "junior"):
        if column.name.endswith(f"_{stage}"):
            return column.name.removesuffix(f"_{stage}"), stage
    return column.name, None


def _reads(standard: Standard, column: Column) -> bool:
    """Whether ``standard`` reads ``column``."""
    field, _ = _field(column)
    if column.required or field in ("enrollment", "enrollment_senior"):
        return True
    if field == "public":
        return standard.scope.public_only
    if field == "county_run":
        return standard.scope.county_run_only
    if field == "class_sizes" or field.startswith("classes_"):  # listed, or counted by band
        return standard.class_size is not None or standard.rooms is not None
    if field.startswith(("music_", "art_")):
        return standard.rooms is not None
    if field in ("staff", "teachers") and standard.staffing is not None:
        return True
    return field in numerators_of(standard)


def column_reference() -> list[dict[str, str]]:
    """One entry per column of the school table (see the module docstring).

    Examples
    --------
    >>> books = next(c for c in column_reference() if c["column"] == "books")
    >>> books["header_zh"], books["split"], books["standards"]
    ('图书册数', 'yes', 'cn-basic-2012')
    """
    standards = [get_standard(s.id) for s in list_standards()]
    out = []
    for column in COLUMNS:
        field, stage = _field(column)
        out.append(
            {
                "header_zh": column.aliases[0] if column.aliases else "",
                "column": column.name,
                "meaning": column.description,
                "level": f"per stage ({stage})" if stage else "per school",
                "split": "yes" if field in SPLIT_RESOURCES else "no",
                "standards": ", ".join(s.id for s in standards if _reads(s, column)),
                "required": "yes" if column.required else "no",
            }
        )
    return out


def write_template(path: str | Path) -> list[Path]:
    """Write an empty school table with the Chinese headers, and the column reference.

    ``.xlsx`` (needs the ``excel`` extra): the table on the first sheet, the reference on the
    second. ``.csv``: the table, and the reference in ``<name>.columns.csv`` beside it (both
    UTF-8 with a byte-order mark, which Excel reads). Returns the files written.
    """
    headers = [c.aliases[0] if c.aliases else c.name for c in COLUMNS]
    rows = [[entry[key] for key, _ in REFERENCE_FIELDS] for entry in column_reference()]
    titles = [title for _, title in REFERENCE_FIELDS]
    return write_empty_table(
        path,
        headers,
        [titles, *rows],
        suffix="columns",
        sheets=("学校 schools", "字段说明 columns"),
        widths=(16, 16, 24),
    )


def write_empty_table(
    path: str | Path,
    headers: list[str],
    reference: list[list[str]],
    *,
    suffix: str,
    sheets: tuple[str, str],
    widths: tuple[int, int, int],
    text_first: bool = False,
) -> list[Path]:
    """Write an empty table (its ``headers``) to fill in, and its ``reference`` (a header row,
    then a row per entry): an ``.xlsx`` with the two on the ``sheets`` (needs the ``excel``
    extra), or a ``.csv`` with the reference in ``<name>.<suffix>.csv`` beside it (both UTF-8
    with a byte-order mark, which Excel reads). ``widths``: the first column's, the other
    columns', and the reference's; ``text_first`` keeps the first column as text (codes keep
    their zeros). Returns the files written."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        import csv

        beside = path.with_name(f"{path.stem}.{suffix}.csv")
        for target, table in ((path, [headers]), (beside, reference)):
            with target.open("w", encoding="utf-8-sig", newline="") as f:
                csv.writer(f).writerows(table)
        return [path, beside]
    if path.suffix.lower() != ".xlsx":
        raise DataError(f"template: {path.name!r} must be a .xlsx or .csv file.")
    try:
        import xlsxwriter
    except ImportError:
        raise DataError(
            "template: writing Excel needs the optional extra: pip install 'eduequity[excel]' "
            "(or ask for a .csv template)."
        ) from None
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(sheets[0])
    sheet.write_row(0, 0, headers)
    text = book.add_format({"num_format": "@"}) if text_first else None
    sheet.set_column(0, 0, widths[0], text)
    sheet.set_column(1, len(headers) - 1, widths[1])
    notes = book.add_worksheet(sheets[1])
    for r, row in enumerate(reference):
        notes.write_row(r, 0, row)
    notes.set_column(0, len(reference[0]) - 1, widths[2])
    book.close()
    return [path]
