"""The section of a report that says what was read (:class:`~eduequity.batch.ReadRecord`):
the sheets and header rows found, each header with the column it filled and its unit, the
headers not used, and the rows set aside with their row numbers."""

from __future__ import annotations

from eduequity._read_record import SHEET_REASONS_ZH, ReadRecord
from eduequity.report._document import Block, Heading, Para, Table

__all__ = ["read_blocks"]

#: Rows set aside listed in a report (the rest are counted; ``eduequity validate`` lists all).
MAX_ROWS = 50


def read_blocks(record: ReadRecord, lang: str) -> list[Block]:
    """The blocks of the section (a heading level 2, then paragraphs and tables)."""
    zh = lang == "zh"
    blocks: list[Block] = [Heading(2, "读取情况" if zh else "What was read")]
    n, c = record.schools, len(record.counties)
    # The sheets read, unless the source is one CSV file (its name is the source's).
    named = [repr(s.name) for s in record.sheets if not s.csv]
    if zh:
        sheets = "（" + "、".join(named) + "）" if named else " "
    else:
        sheets = " (" + ", ".join(named) + ")" if named else ""
    if zh:
        blocks.append(Para(f"从 {record.source}{sheets}读取 {n} 所学校，{c} 个县（区）。"))
    else:
        schools = f"{n} school{'s' * (n != 1)} in {c} count{'ies' if c != 1 else 'y'}"
        blocks.append(Para(f"{schools} read from {record.source}{sheets}."))
    for s in record.sheets:
        if s.header_rows:
            rows = ", ".join(map(str, s.header_rows))  # the sheet's header rows
            label = s.named(lang)
            blocks.append(
                Para(
                    f"{label}：表头在第 {rows} 行。"
                    if zh
                    else f"{label[0].upper()}{label[1:]}: headers in row {rows}."
                )
            )
    many = len(record.sheets) > 1
    header = ["表头", "列", "单位"] if zh else ["Header", "Column", "Unit"]
    if many:
        header = ["工作表" if zh else "Sheet", *header]
    rows_used = []
    for u in record.used:
        unit = f"{u.unit} (× {u.scale:,g})" if u.unit and u.scale != 1 else (u.unit or "")
        row = [u.header, u.column, unit]
        rows_used.append([u.sheet, *row] if many else row)
    blocks.append(Table(header, rows_used))
    if record.unused:
        shown = []
        for x in record.unused:
            hint = ""
            if x.probably:
                hint = f"（是否应为 {x.probably}？）" if zh else f" (did you mean {x.probably}?)"
            said = x.reason_in(lang)
            why = (f"（{said}）" if zh else f" ({said})") if said else ""
            shown.append(f"{x.header}{why}{hint}")
        lead = "未使用的表头：" if zh else "Headers not used: "
        blocks.append(Para(lead + ("；" if zh else "; ").join(shown)))
    if record.set_aside:
        aside = [
            [
                *([r.sheet] if many else []),
                str(r.row),
                r.reason_in(lang),
                r.text,
            ]
            for r in sorted(record.set_aside, key=lambda r: (r.sheet, r.row))[:MAX_ROWS]
        ]
        head = ["行", "原因", "内容"] if zh else ["Row", "Why", "Cells"]
        if many:
            head = ["工作表" if zh else "Sheet", *head]
        blocks.append(Para("未作为学校读取的行：" if zh else "Rows not read as schools:"))
        blocks.append(Table(head, aside))
        more = len(record.set_aside) - MAX_ROWS
        if more > 0:
            blocks.append(
                Para(f"另有 {more} 行（见 eduequity validate）。" if zh else f"And {more} more.")
            )
    for name, reason in record.sheets_not_read:
        blocks.append(
            Para(
                f"工作表 {name!r} 未读取（{SHEET_REASONS_ZH.get(reason, reason)}）。"
                if zh
                else f"Sheet {name!r} not read ({reason})."
            )
        )
    for note in record.notes_zh if zh else record.notes:
        blocks.append(Para(note))
    return blocks
