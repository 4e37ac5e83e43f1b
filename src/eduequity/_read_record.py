"""What was read: the account of a table of schools as the reader understood it.

Every header of the input is in it, used (with the column it filled and its unit) or unused
(with the column it probably meant, where one is near); every row set aside is in it with its
row number and the reason; so are the sheets and header rows found and the counties with their
number of schools. Nothing the reader did is left out of it.

Examples
--------
>>> import pyarrow as pa
>>> from eduequity.batch import read_schools
>>> t = pa.table({"学校标识码": ["0001"], "行政区划代码": ["320102"], "学校类型": ["小学"],
...               "小学在校生数": [300], "图书册数（册）": [9000], "备注": ["x"]})
>>> print(read_schools(t).record.to_text())  # doctest: +NORMALIZE_WHITESPACE
What was read from table: 1 school in 1 county
  header '学校标识码' -> school_id
  header '行政区划代码' -> county_code
  header '学校类型' -> kind
  header '小学在校生数' -> enrollment_primary
  header '图书册数（册）' -> books [册]
  not used: header '备注' (remarks: none says a school was closed or merged, or is a
  teaching point)
  no column '是否公办' or '是否县属': every school is read as public and run by the county
  government
  county 320102: 1 school
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

__all__ = ["ReadRecord", "SetAside", "SheetRead", "UnusedHeader", "UsedHeader"]


@attrs.frozen
class SheetRead:
    """A sheet (or a CSV file, or a frame) as it was read.

    ``header_rows`` are the rows of the headers as a spreadsheet numbers them (from 1); empty
    for a frame, whose headers are its column names. ``csv``: a CSV file (named as a file,
    not as a sheet).
    """

    name: str
    header_rows: tuple[int, ...] = ()
    rows: int = 0
    stage: str | None = None
    merged_cells_filled: int = 0
    csv: bool = False
    #: The text of each row above the headers that holds some (the table's title, 填报单位),
    #: its cells joined by spaces, and how many distinct texts each row holds.
    titles: tuple[str, ...] = ()
    title_cells: tuple[int, ...] = ()

    def named(self, lang: str = "en") -> str:
        """``sheet 'name'``, or ``file 'name'`` for a CSV file (``工作表``, ``文件``)."""
        if lang == "zh":
            return f"{'文件' if self.csv else '工作表'} {self.name!r}"
        return f"{'file' if self.csv else 'sheet'} {self.name!r}"


@attrs.frozen
class UsedHeader:
    """A header and the column it filled; ``scale`` is the factor its unit brought."""

    sheet: str
    header: str
    column: str
    unit: str | None = None
    scale: float = 1.0
    note: str = ""


@attrs.frozen
class UnusedHeader:
    """A header no column took, with the header it probably meant (a near name, as the forms
    write it: the header to write instead), if any, and why it is not used (in Chinese too,
    where eduequity says it). ``scope``: the header says who runs each school (举办者), which a
    standard's scope may need (see :func:`eduequity.rules.run`). ``hidden``: its column is
    hidden in Excel (a hidden column that would be used is refused)."""

    sheet: str
    header: str
    probably: str | None = None
    reason: str = ""
    reason_zh: str = ""
    scope: bool = False
    hidden: bool = False

    def reason_in(self, lang: str) -> str:
        """Why it is not used, in ``lang`` ("en" or "zh"; the English where no Chinese)."""
        return self.reason_zh if lang == "zh" and self.reason_zh else self.reason


@attrs.frozen
class SetAside:
    """A row not read as a school: blank, a total (合计), column numbers (栏次), a form's
    footer (填表人：… 审核人：…) or the notes under its table (注：…, 说明：…)."""

    sheet: str
    row: int
    reason: str
    text: str = ""

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang`` ("en" or "zh")."""
        return _REASONS_ZH.get(self.reason, self.reason) if lang == "zh" else self.reason


_REASONS_ZH = {
    "blank row": "空行",
    "total row": "合计行",
    "column numbers": "栏次行",
    "footer row": "表尾行（填表人等）",
    "notes row": "表注行（注：、说明：）",
    "label row": "分类标题行（如 一、城区学校）",
}
SHEET_REASONS_ZH = {"not asked for": "未要求读取", "no table of schools": "无学校表"}


@attrs.frozen
class ReadRecord:
    """What was read (see the module docs).

    Attributes
    ----------
    source : str
        The file (or "table", "DataFrame"...) read.
    sheets : tuple of SheetRead
    used : tuple of UsedHeader
    unused : tuple of UnusedHeader
    set_aside : tuple of SetAside
    notes : tuple of str
        Everything else the reader did (county codes cut to 6 digits, schools merged across
        sheets), in English; :attr:`notes_zh` in Chinese.
    counties : tuple of (str, int)
        Each county code with its number of schools, in code order.
    sheets_not_read : tuple of (str, str)
        Each sheet of a workbook not read, with the reason: ``"not asked for"`` (another
        sheet was asked for) or ``"no table of schools"`` (no row of it names the columns).
    totals_differ : tuple of (str, str)
        Each total row (合计) the schools read do not add up to, in English and Chinese (also
        among the :attr:`notes`): a school left out or read twice, or a total not updated.
        ``eduequity validate`` counts each as a warning (:meth:`totals_in`).
    """

    source: str
    sheets: tuple[SheetRead, ...] = ()
    used: tuple[UsedHeader, ...] = ()
    unused: tuple[UnusedHeader, ...] = ()
    set_aside: tuple[SetAside, ...] = ()
    notes: tuple[str, ...] = ()
    notes_zh: tuple[str, ...] = ()
    counties: tuple[tuple[str, int], ...] = ()
    sheets_not_read: tuple[tuple[str, str], ...] = ()
    totals_differ: tuple[tuple[str, str], ...] = ()

    @property
    def schools(self) -> int:
        """The schools read."""
        return sum(n for _, n in self.counties)

    @property
    def warnings(self) -> tuple[str, ...]:
        """The unused headers that look like a known one, in English."""
        return self.warnings_in("en")

    def warnings_in(self, lang: str) -> tuple[str, ...]:
        """:attr:`warnings` in ``lang`` ("en" or "zh")."""
        if lang == "zh":
            return tuple(
                f"表头 {u.header!r} 未使用；是否应为 {u.probably!r}？"
                for u in self.unused
                if u.probably
            )
        return tuple(
            f"header {u.header!r} was not used; did you mean {u.probably!r}?"
            for u in self.unused
            if u.probably
        )

    def totals_in(self, lang: str) -> tuple[str, ...]:
        """:attr:`totals_differ` in ``lang`` ("en" or "zh")."""
        return tuple(zh if lang == "zh" else en for en, zh in self.totals_differ)

    def hints(self, lang: str = "en") -> list[str]:
        """What an error about the table adds, in ``lang`` ("en" or "zh"): the headers not
        used, and the census map where they are the census export's."""
        zh = lang == "zh"
        out = []
        unused = [u.header for u in self.unused if not u.reason]
        if unused:
            shown = ("、" if zh else ", ").join(repr(h) for h in unused[:12])
            if len(unused) > 12:
                shown += "……" if zh else ", ..."
            out.append(f"未使用的表头：{shown}" if zh else f"headers not used: {shown}")
        census = [i for i, n in enumerate(self.notes) if "columns='census'" in n]
        said = self.notes_zh if zh and len(self.notes_zh) == len(self.notes) else self.notes
        out.extend(said[i] for i in census)
        return out

    def __repr__(self) -> str:
        n, c = self.schools, len(self.counties)
        used, aside = len(self.used), len(self.set_aside)
        return (
            f"<ReadRecord {self.source}: {n} school{'s' * (n != 1)} in {c} "
            f"count{'ies' if c != 1 else 'y'}; {used} header{'s' * (used != 1)} used, "
            f"{len(self.unused)} not used, {aside} row{'s' * (aside != 1)} set aside>"
        )

    def lines(self, lang: str = "en") -> Iterator[str]:
        """The record as lines of text, in English or Chinese (``lang="zh"``)."""
        zh = lang == "zh"
        many = len(self.sheets) > 1

        def at(sheet: str) -> str:
            if not many:
                return ""
            return f"工作表 {sheet!r} " if zh else f"sheet {sheet!r} "

        n, c = self.schools, len(self.counties)
        if zh:
            yield f"读取 {self.source}：{n} 所学校，{c} 个县"
        else:
            yield (
                f"What was read from {self.source}: {n} school{'s' * (n != 1)} in {c} "
                f"count{'ies' if c != 1 else 'y'}"
            )
        for s in self.sheets:
            if s.header_rows:
                rows = (
                    "、".join(map(str, s.header_rows)) if zh else ", ".join(map(str, s.header_rows))
                )
                # header_row= (--header-row) counts from 0, the rows here from 1: say both.
                given = s.header_rows[0] - 1
                if zh:
                    yield (
                        f"  {s.named('zh')}：表头在第 {rows} 行（即 header_row={given}，"
                        f"从 0 起算），{s.rows} 行学校"
                    )
                else:
                    yield (
                        f"  {s.named()}: headers in row {rows} (header_row={given}, which "
                        f"counts from 0), {s.rows} row{'s' * (s.rows != 1)} of schools"
                    )
            if s.titles:
                above = "；".join(s.titles) if zh else "; ".join(s.titles)
                yield (
                    f"  {s.named('zh')}：表头以上：{above}"
                    if zh
                    else (f"  {s.named()}: above the headers: {above}")
                )
            if s.stage:
                word = {"primary": "小学", "junior": "初中"}[s.stage]
                if zh:
                    yield f"  {s.named('zh')}：不分学段的列按{word}读取"
                else:
                    yield f"  {s.named()}: columns without a stage read as {s.stage}"
            if s.merged_cells_filled:
                if zh:
                    yield f"  {s.named('zh')}：{s.merged_cells_filled} 个合并单元格向下填充"
                else:
                    yield f"  {s.named()}: {s.merged_cells_filled} merged cells filled down"
        for u in self.used:
            unit = f" [{u.unit}]" if u.unit else ""
            scale = f" × {u.scale:,g}" if u.scale != 1 else ""
            if zh:
                yield f"  {at(u.sheet)}表头 {u.header!r} → {u.column}{unit}{scale}"
            else:
                yield f"  {at(u.sheet)}header {u.header!r} -> {u.column}{unit}{scale}"
        for x in self.unused:
            said = x.reason_in(lang)
            if x.hidden:
                hidden = "Excel 中隐藏的列" if zh else "a column hidden in Excel"
                said = (f"{said}；" if zh else f"{said}; ") + hidden if said else hidden
            why = (f"（{said}）" if zh else f" ({said})") if said else ""
            if zh:
                hint = f"；是否应为 {x.probably!r}？" if x.probably else ""
                yield f"  未使用：{at(x.sheet)}表头 {x.header!r}{why}{hint}"
            else:
                hint = f"; did you mean {x.probably!r}?" if x.probably else ""
                yield f"  not used: {at(x.sheet)}header {x.header!r}{why}{hint}"
        for r in self.set_aside:
            text = (f"：{r.text}" if zh else f": {r.text}") if r.text else ""
            if zh:
                why = r.reason_in("zh")
                yield f"  略过：{at(r.sheet)}第 {r.row} 行（{why}）{text}"
            else:
                yield f"  set aside: {at(r.sheet)}row {r.row} ({r.reason}){text}"
        for name, reason in self.sheets_not_read:
            if zh:
                why = SHEET_REASONS_ZH.get(reason, reason)
                yield f'  略过：工作表 {name!r}（{why}；sheet="all" 即 --sheet all 读取全部工作表）'
            else:
                yield (
                    f"  set aside: sheet {name!r} ({reason}; "
                    'sheet="all" or --sheet all reads every sheet)'
                )
        for note in self.notes_zh if zh else self.notes:
            yield f"  {note}"
        for code, count in self.counties:
            yield (
                f"  县 {code}：{count} 所学校"
                if zh
                else (f"  county {code}: {count} school{'s' * (count != 1)}")
            )

    @property
    def title(self) -> str | None:
        """The table's title as the file gives it: the first row above the headers of the
        first sheet that has one, where it is one text (汤阴县2024年义务教育学校办学条件统计表,
        merged over the row), not labels over the headers (基本信息 办学条件); or None."""
        for s in self.sheets:
            for said, cells in zip(s.titles, s.title_cells, strict=False):
                if cells == 1:
                    return said
        return None

    def to_text(self, lang: str = "en") -> str:
        """The record as text (:meth:`lines` joined)."""
        return "\n".join(self.lines(lang))
