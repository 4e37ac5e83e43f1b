"""Writing result tables to files: Parquet, CSV that Chinese Excel opens, or one Excel workbook.

In Chinese (``lang="zh"``), CSV and Excel files are tables for people: every column under its
Chinese label, values shown as the national forms print them (CVs to 3 decimals, indicator
values to 2, rounded half up; teachers per pupil, such as 师生比 0.0552, to 4), statuses,
stages, school kinds and yes/no in Chinese (see
``eduequity._column_labels``). In English they keep the canonical column names and the full
precision, for programs that read them back; ``rounded=True`` rounds them too. Parquet files
always keep the canonical names and the full precision.

Examples
--------
>>> import tempfile, pathlib, pyarrow as pa
>>> from eduequity._table_files import write_tables
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> tables = {"counties": pa.table({"county_code": ["990101"], "status": ["passed"],
...                                 "composite_cv": [0.5625]})}
>>> [p.name for p in write_tables(tables, out, "csv")]
['counties.csv']
>>> (out / "counties.csv").read_bytes()[:3] == b"\\xef\\xbb\\xbf"
True
>>> print((out / "counties.csv").read_text("utf-8-sig"))
"county_code","status","composite_cv"
"990101","passed",0.5625
<BLANKLINE>
>>> _ = write_tables(tables, out, "csv", lang="zh")
>>> print((out / "counties.csv").read_text("utf-8-sig"))
"行政区划代码","学段结论","综合差异系数"
"990101","达标","0.563"
<BLANKLINE>
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from eduequity._errors import DataError
from eduequity._table_formats import EXCEL_MAX_ROWS, FORMATS

# The command line imports this module for --help: what only writing needs is imported there.
if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    #: Per column of a display table: for each row, the decimals it was rounded to (-1: not
    #: rounded); or None for a column that is not rounded.
    _Decimals = list[NDArray[np.int8] | None]

__all__ = ["EXCEL_MAX_ROWS", "FORMATS", "display_table", "write_tables"]

#: The languages of the files.
_LANGS = ("en", "zh")


def _plain_column(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(col.type):
        return col.cast(col.type.value_type)
    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
        # Lists (class sizes, indicator names) as "45;44;46", as the input forms write them.
        from eduequity._arrow import scalar

        return pc.binary_join(col.cast(pa.list_(pa.string())), scalar(";", pa.string()))
    return col


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns as plain values and lists as text (for CSV and Excel)."""
    return pa.table(
        {
            name: _plain_column(col)
            for name, col in zip(table.column_names, table.columns, strict=True)
        }
    )


def _words(display: str) -> Callable[[object], object] | None:
    """How the values of a column of ``display`` read in Chinese (None: as they are)."""
    from eduequity._column_labels import LEVEL_NAMES, components
    from eduequity._county_inputs import COUNTY_INPUTS
    from eduequity._indicators import INDICATORS
    from eduequity._models import Stage
    from eduequity._monitoring.summary import NATIONAL
    from eduequity._not_in_plan import RULE_NAMES, WHY
    from eduequity._planning.additions import REASONS
    from eduequity._planning.costs import COST_NAMES
    from eduequity._schema import COLUMNS, KIND_NAMES
    from eduequity._status import Status
    from eduequity.report._labels import LABELS
    from eduequity.rules._scope import ScopeReason
    from eduequity.standards._model import CONFIDENCE_ZH

    said = LABELS["zh"]
    words: Mapping[str, Mapping[Any, str]] = {
        "status": {s.value: s.name_zh for s in Status},
        "stage": {s.value: s.name_zh for s in Stage},
        "kind": {k: zh for k, (zh, _) in KIND_NAMES.items()},
        "level": {k: zh for k, (zh, _) in LEVEL_NAMES.items()},
        "component": {k: zh for k, (zh, _) in components().items()},
        "indicator": {k: i.name_zh for k, i in INDICATORS.items()},
        "yes_no": {True: "是", False: "否"},
        "scope_reason": {r.value: r.name_zh for r in ScopeReason},
        "confidence": {c.value: zh for c, zh in CONFIDENCE_ZH.items()},
        "method": {"each": said["each"], "composite": said["composite_short"]},
        "resource": {**COST_NAMES, "total": "合计"},  # a plan's totals end with a total row
        "plan_reason": {k: zh for k, (zh, _) in REASONS.items()},
        "why": {k: zh for k, (zh, _) in WHY.items()},
        "plan_rule": {k: zh for k, (zh, _) in RULE_NAMES.items() if "{" not in zh}
        | {f"county_items.{k}": i.name_zh for k, i in COUNTY_INPUTS.items()},
        "column": {c.name: c.aliases[0] for c in COLUMNS if c.aliases},
        "warning_kind": {k: said[f"warning_{k}"] for k in ("rising", "jump", "first_pass")},
        "coefficient": {"composite_cv": said["composite_short"]}
        | {k: i.name_zh for k, i in INDICATORS.items()},
        "citation": _citations_zh(),
        "area": {NATIONAL: said["national"]},  # a province keeps its code
    }
    table = words.get(display)
    if table is None:
        return None
    known = table
    return lambda v: known.get(v, v)


@functools.cache
def _citations_zh() -> Mapping[str, str]:
    """Each source of the built-in standards as the findings table writes it (its English
    text), in Chinese: its Chinese clause and confidence (``[原文]``, not ``[primary]``)."""
    from eduequity.standards import get_standard, list_standards
    from eduequity.standards._model import Citation

    found: dict[str, str] = {}

    def walk(item: object) -> None:
        if isinstance(item, Citation):
            found[item.text("en")] = item.text("zh")
        elif attrs.has(type(item)):
            for field in attrs.fields(type(item)):  # type: ignore[arg-type]
                walk(getattr(item, field.name))
        elif isinstance(item, Mapping):
            for value in item.values():
                walk(value)
        elif isinstance(item, tuple | list):
            for value in item:
                walk(value)

    for info in list_standards():
        walk(get_standard(info.id))
    return found


def _translated(col: pa.ChunkedArray, words: Callable[[object], object]) -> pa.ChunkedArray:
    """The values of ``col`` in words (a value without a word is kept as written)."""
    from eduequity._arrow import of_type, one

    encoded = pc.dictionary_encode(one(col))
    said = [words(v) for v in encoded.dictionary.to_pylist()]
    if not all(v is None or isinstance(v, str) for v in said):
        said = [None if v is None else str(v) for v in said]
    return pa.chunked_array([of_type(said, pa.string()).take(encoded.indices)])


def _row_decimals(table: pa.Table, display: str, decimals: int | None) -> NDArray[np.int8]:
    """The decimals of each row of a column of ``display`` (-1: not rounded)."""
    import numpy as np

    n = table.num_rows
    if display != "finding":
        return np.full(n, -1 if decimals is None else decimals, dtype=np.int8)
    from eduequity._arrow import bools, scalar, text
    from eduequity._column_labels import DISPLAYS, PER_PUPIL_RATIOS

    out = np.full(n, -1, dtype=np.int8)
    if "level" not in table.column_names or "indicator" not in table.column_names:
        return out
    level = _plain_column(table.column("level"))
    indicator_col = _plain_column(table.column("indicator"))
    indicator = bools(indicator_col.is_valid())
    for lv, display_of_level in (("stage", "cv"), ("school", "per_pupil")):
        at = bools(pc.equal(level, scalar(lv, pa.string()))) & indicator
        out[at] = DISPLAYS[display_of_level]
    school = bools(pc.equal(level, scalar("school", pa.string())))
    ratio = bools(pc.is_in(indicator_col, text(sorted(PER_PUPIL_RATIOS))))
    out[school & ratio] = DISPLAYS["ratio"]
    return out


def _on_its_side(
    table: pa.Table,
    column: str,
    values: NDArray[np.float64],
    done: NDArray[np.float64],
    places: NDArray[np.int8],
) -> None:
    """The rows of ``column`` judged against the table's ``threshold``, rounded into ``done``
    with ``places``, kept on the side of the threshold the value is on
    (:func:`eduequity._printed.keep_sides`, in place): a finding's measured value against its
    ``op`` (4.499, not 4.50, below ≥ 4.5); in the counties table each CV where each is judged
    (``method`` ``each``) and the composite where it is (0.4504, not 0.450, above ≤ 0.45)."""
    import numpy as np

    from eduequity._arrow import bools, floats, scalar
    from eduequity._printed import keep_sides

    names = set(table.column_names)
    if "threshold" not in names:
        return
    judged: list[tuple[str, NDArray[np.bool_]]] = []
    if column == "measured" and "op" in names:
        ops = _plain_column(table.column("op"))
        for op in pc.unique(ops.drop_null()).to_pylist():
            judged.append((op, bools(pc.equal(ops, scalar(op, pa.string())))))
    elif "method" in names and (column.startswith("cv_") or column == "composite_cv"):
        method = "composite" if column == "composite_cv" else "each"
        rows = pc.equal(_plain_column(table.column("method")), scalar(method, pa.string()))
        judged.append(("<=", bools(rows)))
    thresholds = floats(table.column("threshold"))
    for op, rows in judged:
        at = np.flatnonzero(rows & (places >= 0))
        shown, kept = done[at], places[at]
        keep_sides(values[at], shown, kept, thresholds[at], op)
        done[at], places[at] = shown, kept


def _display(
    table: pa.Table, lang: str, name: str | None, rounded: bool | None
) -> tuple[pa.Table, _Decimals]:
    """:func:`display_table`, and per column the decimals of each row."""
    import numpy as np

    from eduequity._arrow import array, floats
    from eduequity._column_labels import DISPLAYS, column_label
    from eduequity._printed import rounded as rounded_to  # (``rounded`` is an argument)

    if lang not in _LANGS:
        raise DataError(f"tables are written in 'en' or 'zh'. Got lang={lang!r}.")
    rounding = lang == "zh" if rounded is None else rounded
    headers: list[str] = []
    columns: list[pa.ChunkedArray] = []
    decimals: _Decimals = []
    for column, col in zip(table.column_names, table.columns, strict=True):
        label = column_label(column, name)
        display = "plain" if label is None else label.display
        col = _plain_column(col)
        places: NDArray[np.int8] | None = None
        if rounding and pa.types.is_floating(col.type):
            places = _row_decimals(table, display, DISPLAYS[display])
            if (places >= 0).any():
                values = floats(col)
                done = rounded_to(values, places)
                _on_its_side(table, column, values, done, places)
                col = pa.chunked_array([array(done, mask=np.isnan(values))])
                if display == "amount":  # written as the number it now is (2, 12719.11)
                    places = None
            else:
                places = None
        if lang == "zh":
            words = _words(display)
            if words is not None:
                col = _translated(col, words)
        headers.append(label.zh if lang == "zh" and label is not None else column)
        columns.append(col)
        decimals.append(places)
    return pa.table(columns, names=headers), decimals


def display_table(
    table: pa.Table, lang: str = "zh", name: str | None = None, *, rounded: bool | None = None
) -> pa.Table:
    """A result table as people read it: headers and words in ``lang``, values rounded as
    the national forms print them.

    Parameters
    ----------
    table : pyarrow.Table
        A result table (its columns are looked up in ``eduequity._column_labels``).
    lang : {"zh", "en"}, default "zh"
        ``"zh"``: Chinese labels and words (statuses 达标 / 未达标 / 未评估 / 不适用, stages,
        school kinds, 是 / 否). ``"en"``: the canonical names and values.
    name : str, optional
        The table's name (``"counties"``, ``"schools"``, ``"findings"``, ``"additions"``,
        ``"panel"``...), for the few columns that mean something else in one table.
    rounded : bool, optional
        Round for display: CVs to 3 decimals, indicator values to 2, teachers per pupil
        (师生比 and the other 生均…教师数) to 4 (half up, on the decimal value:
        :func:`eduequity.round_half_up`). By default, in Chinese only.

    Returns
    -------
    pyarrow.Table
        Dictionary columns as plain values, lists as ``"a;b;c"``; a column the catalogue does
        not know keeps its name and values.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from eduequity._table_files import display_table
    >>> t = pa.table({"stage": ["primary"], "cv_books_per_student": [0.09036506177724368]})
    >>> display_table(t).to_pylist()
    [{'学段': '小学', '生均图书册数差异系数': 0.09}]
    >>> display_table(t, "en").to_pylist()
    [{'stage': 'primary', 'cv_books_per_student': 0.09036506177724368}]
    """
    return _display(table, lang, name, rounded)[0]


def _fixed(col: pa.ChunkedArray, places: NDArray[np.int8]) -> pa.Array:
    """Rounded numbers as text with their decimals (``0.090``), as the forms print them."""
    from eduequity._arrow import of_type

    as_written = col.cast(pa.string()).to_pylist()
    return of_type(
        [
            w if v is None or d < 0 else f"{v:.{d}f}"
            for v, w, d in zip(col.to_pylist(), as_written, places.tolist(), strict=True)
        ],
        pa.string(),
    )


def _write_csv(table: pa.Table, path: Path, decimals: _Decimals | None = None) -> None:
    """CSV in UTF-8 with a byte-order mark, so that Chinese Excel reads it."""
    import pyarrow.csv as pacsv

    plain = _plain(table)
    if decimals is not None and any(d is not None for d in decimals):
        plain = pa.table(
            [
                col if d is None else _fixed(col, d)
                for col, d in zip(plain.columns, decimals, strict=True)
            ],
            names=plain.column_names,
        )
    sink = pa.BufferOutputStream()
    pacsv.write_csv(plain, sink)
    path.write_bytes(b"\xef\xbb\xbf" + sink.getvalue().to_pybytes())


def _cell(value: object) -> object:
    """An Excel cell: lists (class sizes) as "45;44;46", as the input forms write them."""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def _write_xlsx(
    tables: Mapping[str, pa.Table], path: Path, decimals: Mapping[str, _Decimals]
) -> None:
    try:
        import xlsxwriter
    except ImportError:
        raise DataError(
            "writing Excel needs the optional extra: pip install 'eduequity[excel]' "
            "(or write the tables as csv or parquet)."
        ) from None
    for name, table in tables.items():
        if table.num_rows + 1 > EXCEL_MAX_ROWS:
            raise DataError(
                f"the {name} table has {table.num_rows:,} rows, more than an Excel sheet holds "
                f"({EXCEL_MAX_ROWS - 1:,}); write the tables as csv or parquet."
            )
    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    formats = {d: book.add_format({"num_format": "0." + "0" * d}) for d in range(1, 5)}
    for name, table in tables.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, table.column_names)
        plain = _plain(table)
        places = decimals.get(name) or [None] * table.num_columns
        for c, (col, d) in enumerate(zip(plain.columns, places, strict=True)):
            shown = [-1] * table.num_rows if d is None else d.tolist()
            for r, (value, p) in enumerate(zip(col.to_pylist(), shown, strict=True), start=1):
                if value is None:
                    continue
                if p > 0:
                    sheet.write_number(r, c, value, formats[p])
                else:
                    sheet.write(r, c, _cell(value))
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, max(table.num_columns - 1, 0), 14)
    book.close()


def write_tables(
    tables: Mapping[str, pa.Table],
    out: Path,
    fmt: str,
    lang: str = "en",
    *,
    rounded: bool | None = None,
) -> list[Path]:
    """Write ``tables`` (name to table) into the folder ``out`` and return the paths written.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table
        The tables by name (``"counties"``, ``"schools"``, ``"findings"``, ``"additions"``,
        ``"panel"``...): the name of each file or sheet.
    out : Path
        An existing folder.
    fmt : {"parquet", "csv", "xlsx"}
        ``"parquet"``: one ``NAME.parquet`` each, always with the canonical names and full
        precision. ``"csv"``: one ``NAME.csv`` each, UTF-8 with a byte-order mark so that
        Chinese Excel reads it. ``"xlsx"``: one ``tables.xlsx`` with a sheet per table (needs
        the ``excel`` extra and at most ``EXCEL_MAX_ROWS`` rows per table).
    lang : {"en", "zh"}, default "en"
        The language of CSV and Excel files (:func:`display_table`): ``"zh"`` writes Chinese
        headers and words and rounds as the national forms print; ``"en"`` keeps the
        canonical names and the full precision, for programs that read the files back.
    rounded : bool, optional
        Round CSV and Excel values for display (by default, in Chinese only). In a CSV file
        a rounded value is written with its decimals (``0.090``); in Excel it is a number
        shown with them.
    """
    if lang not in _LANGS:
        raise DataError(f"tables are written in 'en' or 'zh'. Got lang={lang!r}.")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        written = []
        for name, table in tables.items():
            path = out / f"{name}.parquet"
            pq.write_table(table, path)
            written.append(path)
        return written
    if fmt not in FORMATS:
        raise DataError(f"tables cannot be written as {fmt!r}; choose one of {FORMATS}.")
    shown: dict[str, pa.Table] = {}
    decimals: dict[str, _Decimals] = {}
    for name, table in tables.items():
        shown[name], decimals[name] = _display(table, lang, name, rounded)
    if fmt == "xlsx":
        path = out / "tables.xlsx"
        _write_xlsx(shown, path, decimals)
        return [path]
    written = []
    for name, table in shown.items():
        path = out / f"{name}.csv"
        _write_csv(table, path, decimals[name])
        written.append(path)
    return written
