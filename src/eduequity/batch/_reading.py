"""Reading a table of schools as the office means it, with an account of what was read.

:func:`read_schools` turns a user's file or frame into eduequity's columns (those of
:data:`~eduequity.batch.COLUMNS`) and says what it did (:class:`~eduequity.batch.ReadRecord`):

- **the table in the sheet**: the header rows below any title rows, two- and three-row headers
  joined (a merged 小学 over 在校生数 reads as 小学在校生数), a row of column numbers (栏次) under
  them set aside (``eduequity.batch._layout``);
- **headers** compared without spaces and full-width forms, with their units applied
  (``（万元）`` times 10,000) and refused where they do not fit; a column map
  (``eduequity.batch._columnmap``) for any other layout;
- **rows**: blank rows, total rows (合计, 总计, 小计) and a form's footer (填表人：…
  审核人：… 填表日期：…) set aside, each with its row number, in the order of the sheet;
  merged cells filled down only where the workbook records the merge; text cells trimmed
  (full-width spaces too), an empty one read as empty;
- **several sheets** as one table (``sheet="all"`` or a list): a school on two sheets (a
  nine-year school on the 小学 and the 初中 sheet) is one school, its rows merged by id, and
  conflicting values are refused naming both sheets;
- **county codes** cut to their first digits only when asked (``county_digits=6``), and said.

Nothing is dropped without being in the record: every header is used or listed as not used,
every row is a school or set aside with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from numbers import Integral
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, scalar
from eduequity._errors import ArgumentError, DataError
from eduequity._read_record import ReadRecord, SetAside, SheetRead, UnusedHeader, UsedHeader
from eduequity._schema import COLUMNS
from eduequity.batch._columnmap import ColumnMap, column_map
from eduequity.batch._combine import SheetColumns, cut_county_codes, give_stages, merge_sheets
from eduequity.batch._derived import derived_columns, derived_headers
from eduequity.batch._headers import (
    NOT_READ,
    SPONSOR_REASON,
    SPONSOR_REASON_ZH,
    normalise,
    probably_meant,
    says_sponsor,
    secondary,
    split_unit,
)
from eduequity.batch._hidden import no_hidden_column, no_hidden_school
from eduequity.batch._layout import (
    Block,
    Match,
    column_number_row,
    find_block,
    match_header,
)
from eduequity.batch._remarks import (
    REMARKS_REASON,
    REMARKS_REASON_ZH,
    is_remarks,
    no_remark_against_the_row,
)
from eduequity.batch._rows import (
    codes_as_text,
    column_letter,
    fill_merges,
    half_width,
    rows_not_schools,
    scaled,
    shown_cell,
    titles_above,
    trimmed_text,
)
from eduequity.batch._sheets import school_sheets
from eduequity.batch._sources import Sheet, sheets_of
from eduequity.batch._totals import grand_total_rows, total_differs

__all__ = ["SchoolsRead", "read_schools"]

#: The canonical columns read as text (ids, codes, names, kinds, yes/no, class lists).
_TEXT = {c.name for c in COLUMNS if c.type in ("string", "bool", "list<int>")}


def _is_text(column: str) -> bool:
    """Whether a column (or a per-stage one with ``{stage}``) is read as text."""
    return column.replace("{stage}", "primary") in _TEXT


_TEXT_ID = ("school_id", "county_code", "county_name", "kind", "school_name")
_REQUIRED = [c for c in COLUMNS if c.required]
_ONE_STAGE = {"primary": "primary", "teaching_point": "primary", "junior": "junior"}
_EXCEL = (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods")


@attrs.frozen(eq=False)
class SchoolsRead:
    """A table of schools in eduequity's columns, and what was read.

    Attributes
    ----------
    table : pyarrow.Table
        The schools, one row each, with the canonical columns found.
    headers : mapping of str to str
        By canonical column, the header as the user wrote it (messages name columns so).
    record : ReadRecord
        What was read.
    where : str
        The source, as messages name it.
    rows : numpy.ndarray
        Each school's row as its sheet numbers it (from 1), or its position in a frame.
    sheet_of : numpy.ndarray
        Each school's sheet, an index into ``record.sheets``.
    """

    table: pa.Table
    headers: Mapping[str, str]
    record: ReadRecord
    where: str
    rows: NDArray[np.int64]
    sheet_of: NDArray[np.int64]

    def __repr__(self) -> str:
        return f"<SchoolsRead {self.where}: {self.table.num_rows} schools>"

    @property
    def row_labels(self) -> Callable[[int], str] | None:
        """:meth:`row_label` for a file, whose rows the user can find; None for a frame,
        whose schools messages name by id."""
        return None if all(not s.header_rows for s in self.record.sheets) else self.row_label

    def row_label(self, i: int) -> str:
        """Where row ``i`` of :attr:`table` was, as messages say it (``row 17``)."""
        label = f"row {int(self.rows[i])}"
        if len(self.record.sheets) > 1:
            label = f"sheet {self.record.sheets[int(self.sheet_of[i])].name!r} {label}"
        return label


def _same_as(header: str) -> str:
    """Why another name of a figure is not read: the sheet gives it under ``header``."""
    return f"the same figure as {header!r}, which is read"


def _read_sheet(
    sheet: Sheet,
    cmap: ColumnMap | None,
    header_row: int | None,
    where: str,
) -> SheetColumns:
    stage = sheet.stage
    mapped = cmap.lookup() if cmap else {}
    if sheet.frame:
        block = Block(0, 1, tuple((str(h),) for h in sheet.top[0]))
    else:
        block = find_block(sheet.top, cmap, stage, where, sheet.merges, header_row)
    skip = block.first + block.depth
    set_aside: list[SetAside] = []
    if not sheet.frame and skip < len(sheet.top) and column_number_row(sheet.top[skip]):
        shown = _cells_shown([str(v) for v in sheet.top[skip] if v is not None], 40)
        set_aside.append(SetAside(sheet.name, skip + 1, "column numbers", shown))
        skip += 1
    width = len(block.cells)
    matches = [match_header(cells, mapped, stage, where) for cells in block.cells]
    text_cols = {i for i, m in enumerate(matches) if m.column is None or _is_text(m.column)}
    body, rows = sheet.body(skip, text_cols, width)
    unfilled = body  # a section heading is read before merged cells fill its row
    filled, across = 0, list[tuple[int, int, int, int]]()
    if sheet.merges:
        body, filled, across = fill_merges(body, sheet.merges, skip)
    # A total row says 合计 in its first cells, or in the school's id or name.
    named = [i for i, m in enumerate(matches) if m.column in ("school_id", "school_name")]
    first = range(min(1 if sheet.frame else 3, body.num_columns))
    looked = sorted({*named, *first})
    kinds = rows_not_schools(unfilled, body, matches, across, looked, named)
    for reason, mask in kinds.items():
        for i in np.flatnonzero(mask).tolist():
            shown = ""
            if reason != "blank row":
                cells = body.slice(i, 1).to_pylist()[0].values()
                texts = (shown_cell(v) for v in cells if v is not None)
                shown = _cells_shown([t for t in texts if t], 60)
            set_aside.append(SetAside(sheet.name, int(rows[i]), reason, shown))
    set_aside.sort(key=lambda r: r.row)  # in the order of the sheet
    drop = np.logical_or.reduce(list(kinds.values()))
    if sheet.hidden:  # a row hidden in Excel that would be read as a school is refused
        no_hidden_school(
            sheet.hidden,
            rows,
            drop,
            body,
            named,
            *sheet.wheres(where),
        )
    for a, c1, b, c2 in across:
        _merged_across(a, c1, b, c2, drop, rows, block, matches, body, sheet, where)
    # The sheet's one grand total (合计, 全县合计), kept to be compared with the schools read.
    grand = np.flatnonzero(grand_total_rows(body, looked, kinds["total row"]))
    grand_total = (body.slice(int(grand[0]), 1), int(rows[grand[0]])) if grand.size == 1 else None
    if drop.any():
        keep = array(~drop)
        body, rows = body.filter(keep), rows[~drop]
    columns: dict[str, pa.Array] = {}
    headers: dict[str, str] = {}
    used: list[UsedHeader] = []
    unused: list[UnusedHeader] = []
    ignore = {split_unit(normalise(k))[0]: v for k, v in (cmap.ignore if cmap else {}).items()}
    derived_parts = derived_headers(cmap)
    remarks: list[tuple[int, str]] = []  # the remarks columns (备注), by position and header
    empty_columns = 0
    for i, (cells, m) in enumerate(zip(block.cells, matches, strict=True)):
        header = ">".join(cells)
        col = body.column(i) if i < body.num_columns else pa.nulls(body.num_rows)
        if not cells:
            if col.null_count == len(col):
                empty_columns += 1
                continue
            unused.append(
                UnusedHeader(
                    sheet.name,
                    f"(column {column_letter(i)}, no header)",
                    None,
                    "values but no header",
                )
            )
            continue
        key = split_unit(normalise(header))[0]
        if m.column is None:
            if key in derived_parts or normalise(cells[-1]) in derived_parts:
                continue
            reason = ignore.get(key) or ignore.get(split_unit(normalise(cells[-1]))[0]) or m.reason
            if not reason and is_remarks(cells[-1]):  # read for what would change the row
                remarks.append((i, header))
                unused.append(
                    UnusedHeader(sheet.name, header, None, REMARKS_REASON, REMARKS_REASON_ZH)
                )
                continue
            if not reason and says_sponsor(cells[-1]):  # the map did not say it is none
                unused.append(
                    UnusedHeader(
                        sheet.name, header, None, SPONSOR_REASON, SPONSOR_REASON_ZH, scope=True
                    )
                )
                continue
            if not reason and key in NOT_READ:
                unused.append(UnusedHeader(sheet.name, header, None, *NOT_READ[key]))
                continue
            near = None if reason else probably_meant(cells[-1])
            unused.append(UnusedHeader(sheet.name, header, near, reason))
            continue
        if i in sheet.hidden_columns:
            no_hidden_column(header, m.column, i, *sheet.wheres(where))
        if m.column in headers and secondary(cells[-1]):
            # Another name of a figure the sheet also gives under the forms' name: that is read.
            unused.append(UnusedHeader(sheet.name, header, None, _same_as(headers[m.column])))
            continue
        if m.column in headers and secondary(headers[m.column].split(">")[-1]):
            # The forms' name after another name of the same figure: this one is read.
            before = headers[m.column]
            used[:] = [u for u in used if u.column != m.column]
            unused.append(UnusedHeader(sheet.name, before, None, _same_as(header)))
            del headers[m.column], columns[m.column]
        if m.column in headers:
            raise DataError(
                f"read_table: {where}{sheet.on() or ':'} headers {headers[m.column]!r} and "
                f"{header!r} "
                f"both give column {m.column!r}; keep one (or map one elsewhere with columns=).",
                zh=f"{where}{sheet.on('zh') or '：'}表头 {headers[m.column]!r} 和 {header!r} "
                f"都对应列 {m.column!r}；请保留一个（或用列映射另作对应）。",
            )
        values = col
        if _is_text(m.column):
            # A file's cells are trimmed (full-width spaces too); a frame's text is taken as
            # given, but an empty id, code or kind is empty all the same.
            names = m.column in ("school_name", "county_name")
            values = trimmed_text(values, not names, trim=not sheet.frame)
            if m.column in ("school_id", "county_code") and not sheet.frame:
                values = half_width(values)  # ４１０５２３ is 410523
        elif m.scale != 1:
            values = scaled(values, m.scale) or values
        columns[m.column] = values
        headers[m.column] = header
        used.append(UsedHeader(sheet.name, header, m.column, m.unit, m.scale, m.note))
    derived_columns(cmap, block, body, sheet, where, columns, headers, used)
    info = SheetRead(
        sheet.name,
        () if sheet.frame else tuple(range(block.first + 1, block.first + block.depth + 1)),
        body.num_rows,
        stage,
        filled,
        sheet.csv,
        *(((), ()) if sheet.frame else titles_above(sheet.top[: block.first])),
    )
    if empty_columns:
        used_note = f"{empty_columns} empty column(s) without a header"
        unused.append(UnusedHeader(sheet.name, "(empty)", None, used_note))
    for i, header in remarks:  # a remark the row does not say (已撤并, 教学点) is refused
        kind = columns.get("kind")
        no_remark_against_the_row(body, i, kind, rows, named, header, *sheet.wheres(where))
    if sheet.hidden_columns:  # a column hidden in Excel and not used is said to be hidden
        hidden = {">".join(block.cells[i]) for i in sheet.hidden_columns if i < width}
        unused = [attrs.evolve(u, hidden=True) if u.header in hidden else u for u in unused]
    said = []
    if grand_total is not None:
        said = total_differs(grand_total, block, matches, columns, sheet, _is_text)
    return SheetColumns(columns, headers, rows, info, used, unused, set_aside, said)


def _cells_shown(cells: list[str], limit: int) -> str:
    """A row's cells as a set-aside row shows them: whole cells up to about ``limit``
    characters, then `` …`` (never a figure cut in the middle)."""
    shown = ""
    for cell in cells:
        joined = f"{shown} {cell}" if shown else cell
        if len(joined) > limit:
            return f"{shown} …" if shown else f"{cell[:limit]}…"
        shown = joined
    return shown


def _merged_across(
    a: int,
    c1: int,
    b: int,
    c2: int,
    drop: NDArray[np.bool_],
    rows: NDArray[np.int64],
    block: Block,
    matches: Sequence[Match],
    body: pa.Table,
    sheet: Sheet,
    where: str,
) -> None:
    """Refuse a school's row (not set aside) where one merged cell spans columns from body
    rows ``a`` to ``b`` and columns ``c1`` to ``c2`` of which another than the first is read:
    its one figure belongs to one column, which cannot be known, and the others hold none."""
    kept = np.flatnonzero(~drop[a : b + 1])
    read = [c for c in range(c1, c2 + 1) if c < len(matches) and matches[c].column is not None]
    if not kept.size or not any(c != c1 for c in read):
        return
    i = a + int(kept[0])
    headers = [">".join(block.cells[c]) for c in range(c1, c2 + 1) if block.cells[c]]
    value = body.column(c1)[i].as_py()
    shown = "" if value is None else shown_cell(value)
    raise DataError(
        f"read_table: {where}{sheet.on()} row {int(rows[i])}: the cells of "
        + ", ".join(repr(h) for h in headers)
        + f" are one merged cell, holding {shown!r}. A merged cell gives one figure for several "
        "columns, and which of them it belongs to cannot be known: if the row is a school, "
        "unmerge the cells and write each column's figure; if it is a label (一、城区学校) or a "
        "total, delete the row.",
        zh=f"{where}{sheet.on('zh') or '：'}第 {int(rows[i])} 行："
        + "、".join(repr(h) for h in headers)
        + f" 是一个合并单元格，取值 {shown!r}。合并单元格只有一个数，无法知道它属于哪一列："
        "若该行是一所学校，请取消合并，在每列分别填写；若是分类标题（一、城区学校）或合计，请删除该行。",
    )


def _labels(reads: list[SheetColumns]) -> dict[str, str]:
    """Each column's header as messages name it: as written, and with its sheet (in Excel's
    way, 初中!在校生数) where sheets of several stages give one header to several columns."""
    columns_of: dict[str, set[str]] = {}
    sheets_of: dict[str, set[str]] = {}
    for r in reads:
        for c, h in r.headers.items():
            columns_of.setdefault(h, set()).add(c)
            sheets_of.setdefault(c, set()).add(r.info.name)
    # With its sheet only where one sheet gives the column (else the sheet would be wrong for
    # the rows of the others).
    return {
        c: f"{r.info.name}!{h}" if len(columns_of[h]) > 1 and len(sheets_of[c]) == 1 else h
        for r in reads
        for c, h in r.headers.items()
    }


def _missing_required(columns: Mapping[str, Any], reads: list[SheetColumns], where: str) -> None:
    missing = [c for c in _REQUIRED if c.name not in columns]
    if not missing:
        return
    written = [u.header for r in reads for u in r.unused][:12]
    wants = "; ".join(f"{c.name} ({' / '.join(c.aliases)})" for c in missing)
    unused = f" The headers not used are {written}." if written else ""
    raise DataError(
        f"read_table: {where} has no column for {wants}.{unused} Rename a header, or map "
        f"it: columns={{'your header': '{missing[0].name}'}} in Python, --columns map.toml "
        "on the command line (`eduequity template --columns` writes one to edit).",
        zh=f"{where} 缺少这些列：{wants}。"
        + (f"未使用的表头：{written}。" if written else "")
        + "请改表头，或用列映射（--columns map.toml；`eduequity template --columns` 生成模板）。",
    )


def _census_like(reads: list[SheetColumns]) -> bool:
    """Whether headers no column took are the census export's."""
    unused = [u.header for r in reads for u in r.unused]
    if not unused:
        return False
    census = column_map("census")
    assert census is not None
    known = set(census.lookup())
    return any(split_unit(normalise(h))[0] in known for h in unused)


def _digits(value: object) -> int:
    """``county_digits`` as given: a whole number of digits from 2 to 12."""
    if isinstance(value, bool) or not isinstance(value, Integral) or not 2 <= int(value) <= 12:
        raise ArgumentError(
            "read_table: county_digits must be a whole number of digits from 2 to 12 (6 keeps "
            f"the county's first 6 digits of a township's code). Got {value!r}."
        )
    return int(value)


def read_schools(
    source: Any,
    *,
    encoding: str | None = None,
    sheet: int | str | Sequence[int | str] | None = None,
    header_row: int | None = None,
    columns: Any = None,
    county_digits: int | None = None,
) -> SchoolsRead:
    """Read a table of schools as the office means it; say what was read.

    Parameters
    ----------
    source : path, pyarrow.Table, RecordBatchReader, frame or SchoolsRead
        A ``.csv`` (UTF-8 or GBK, ``,`` ``;`` tab or ``|``), an Excel workbook (the ``excel``
        extra), a ``.parquet`` file, or a table or frame; or what ``read_schools`` returned,
        given back as it is (read once, evaluated later with its headers and rows as the
        messages name them: ``evaluate_table(read_schools(path, sheet=...), ...)``).
    encoding : str, optional
        A CSV file's encoding; detected by default.
    sheet : int, str, list or "all", optional
        The sheet(s) of a workbook: by position (from 0) or name, several in a list, or
        ``"all"``. By default the workbook's one sheet with a table of schools; a workbook
        with several (小学 and 初中 on separate sheets) is refused, naming them, rather than
        read in part. The sheets not read are in the record, each with its reason.
    header_row : int, optional
        The first row of the headers (from 0); found by default.
    columns : ColumnMap, dict, path or str, optional
        A column map (``eduequity.batch._columnmap``): a dict ``{header: column}``, a TOML
        file, or ``"census"``.
    county_digits : int, optional
        Keep the first digits of longer county codes (6: a township's code becomes its
        county's); the column map may say it too.

    Returns
    -------
    SchoolsRead

    Raises
    ------
    DataError
        A file that is not what its name says, a row with too many or too few fields, a unit
        that does not fit its column, a header given twice, a school on two sheets with
        different values, or no header naming a required column; each naming the row, the
        header as written and the value.
    """
    if isinstance(source, SchoolsRead):
        given = (encoding, sheet, header_row, columns, county_digits)
        if any(option is not None for option in given):
            raise ArgumentError(
                "read_schools: this table was read already; give its file to read it another "
                "way (encoding, sheet, header_row, columns and county_digits apply to reading)."
            )
        return source
    cmap: ColumnMap | None = column_map(columns)
    digits = (
        _digits(county_digits)
        if county_digits is not None
        else (cmap.county_digits if cmap else None)
    )
    sheets, where, metadata, others = sheets_of(source, encoding, sheet)
    notes: list[tuple[str, str]] = []
    not_read = [(name, "not asked for") for name in others]
    if sheet is None and len(sheets) > 1:
        sheets, not_read, note = school_sheets(sheets, cmap, header_row, where)
        notes.extend(note)
    try:
        reads = [_read_sheet(s, cmap, header_row, where) for s in sheets]
    except DataError as error:
        if header_row is None:
            raise
        raise DataError(
            f"{error} (header_row={header_row} counts rows from 0: it is row "
            f"{header_row + 1} of the sheet, as the read record numbers rows)",
            zh=f"{error.in_language('zh')}（header_row={header_row} 从 0 起算：即工作表第 "
            f"{header_row + 1} 行，读取情况中的行号从 1 起算）",
        ) from None
    for r in reads:
        notes.extend(r.notes)
        codes_as_text(r.columns, r.headers, where, notes)
        rows_said = r.rows if r.info.header_rows else None
        give_stages(r.columns, r.headers, where, rows_said, r.unused, r.info.name)
        cut_county_codes(r.columns, digits, notes)
    table, rows, sheet_of, merged = merge_sheets(reads, where)
    if merged:
        notes.append(
            (
                f"{merged} school(s) on more than one sheet read as one school each",
                f"{merged} 所学校出现在多个工作表中，各按一所学校读取",
            )
        )
    if cmap is None and _census_like(reads):
        notes.append(
            (
                "these headers are the census export's: read them with columns='census' "
                "(--columns census)",
                "这些表头来自教育统计导出表：请用 columns='census'（--columns census）读取",
            )
        )
    # The scope's columns: a school of a table without one is read as public, or county-run.
    absent = tuple(c for c in ("public", "county_run") if c not in table.column_names)
    if absent and table.num_rows:
        header = {"public": "是否公办", "county_run": "是否县属"}
        en = {"public": "public", "county_run": "run by the county government"}
        zh = {"county_run": "县级人民政府举办的", "public": "公办"}  # 县级人民政府举办的公办
        notes.append(
            (
                f"no column {' or '.join(repr(header[c]) for c in absent)}: every school is "
                f"read as {' and '.join(en[c] for c in absent)}",
                f"表中没有{'、'.join(f'“{header[c]}”' for c in absent)}列：各校均按"
                f"{''.join(zh[c] for c in reversed(absent))}学校读取",
            )
        )
    headers = _labels(reads)
    _missing_required(table.column_names, reads, where)
    counties: tuple[tuple[str, int], ...] = ()
    if "county_code" in table.column_names and table.num_rows:
        codes_given = table.column("county_code")
        if codes_given.null_count:
            empty = scalar("(empty)", pa.string())
            codes_given = pc.fill_null(codes_given.cast(pa.string()), empty)
        counts = pc.value_counts(codes_given)
        codes = counts.field("values").to_pylist()
        counties = tuple(sorted(zip(codes, counts.field("counts").to_pylist(), strict=True)))
    record = ReadRecord(
        where,
        tuple(r.info for r in reads),
        tuple(u for r in reads for u in r.used),
        tuple(u for r in reads for u in r.unused),
        tuple(s for r in reads for s in r.set_aside),
        tuple(en for en, _ in notes),
        tuple(zh for _, zh in notes),
        counties,
        tuple(not_read),
        tuple(note for r in reads for note in r.notes),
    )
    if metadata:  # what the table says of itself (its nulls, its counties' inputs) stays
        table = table.replace_schema_metadata(metadata)
    return SchoolsRead(table, headers, record, where, rows, sheet_of)
