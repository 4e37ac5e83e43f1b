"""Write tests/data/office: one synthetic set of schools in the shapes offices keep their files.

``canonical.csv`` holds the schools with eduequity's own column names; every other file holds
the same schools (or some of them) the way a county office or the statistics census writes
them: a workbook with a title row, two-row headers under a merged 小学 / 初中, units in the
headers (equipment in 万元), merged county cells, a blank row, 小计 and 合计 rows and a row of
column numbers; 小学 and 初中 on separate sheets with a nine-year school on both; a census
export (GBK, ``>`` header paths, 12-digit township codes); CSVs separated by ';' and by tabs;
and the broken files every office has. tests/unit/test_office_files.py reads each one and
checks its numbers against the reference implementation on canonical.csv, or its exit code
and message.

Needs openpyxl (Excel's own reader and writer in Python, as offices' tools use). Run from the
repository root: ``python tools/make_office_files.py``.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "office"

PEOPLE = [
    ("enrollment", "在校生数"),
    ("teachers", "专任教师数"),
    ("teachers_above_qualification", "高于规定学历教师数"),
    ("teachers_intermediate_title", "中级及以上专业技术职务教师数"),
    ("teachers_backbone", "县级及以上骨干教师数"),
    ("teachers_pe_arts", "体育艺术专任教师数"),
]
PHYSICAL = [
    ("room_area", "教学及辅助用房面积", "平方米"),
    ("sports_area", "体育运动场馆面积", "平方米"),
    ("equipment_value", "教学仪器设备值", "万元"),
    ("computers", "计算机台数", "台"),
    ("books", "图书册数", "册"),
    ("multimedia_rooms", "网络多媒体教室数", "间"),
]
KINDS = {"primary": "小学", "junior": "初级中学", "nine_year": "九年一贯制学校"}
COUNTIES = [("320102", "玄武区"), ("320104", "秦淮区")]


def schools() -> list[dict[str, object]]:
    """Two counties of primary, junior and nine-year schools (seeded)."""
    rng = random.Random(20261206)
    rows: list[dict[str, object]] = []
    for code, name in COUNTIES:
        kinds = ["primary"] * 5 + ["junior"] * 3 + ["nine_year"] * 2
        for i, kind in enumerate(kinds):
            row: dict[str, object] = {
                "school_id": f"{code}{i + 1:04d}",
                "county_code": code,
                "county_name": name,
                "kind": KINDS[kind],
                "school_name": f"{name}第{i + 1}学校",
            }
            for stage in ("primary", "junior"):
                has = kind == "nine_year" or kind == stage
                n = rng.randint(180, 1600) if has else None
                for field, _ in PEOPLE:
                    if not has:
                        row[f"{field}_{stage}"] = None
                    elif field == "enrollment":
                        row[f"{field}_{stage}"] = n
                    elif field == "teachers":
                        row[f"{field}_{stage}"] = max(2, round(n * 0.06 * rng.uniform(0.7, 1.3)))
                    elif field in ("teachers_above_qualification", "teachers_intermediate_title"):
                        share = rng.uniform(0.3, 0.95)
                        row[f"{field}_{stage}"] = round(int(row[f"teachers_{stage}"]) * share)
                    else:
                        row[f"{field}_{stage}"] = max(1, round(n * 0.012 * rng.uniform(0.6, 1.4)))
            pupils = sum(int(row[f"enrollment_{s}"] or 0) for s in ("primary", "junior"))
            row["room_area"] = round(pupils * rng.uniform(3.5, 7.5), 2)
            row["sports_area"] = round(pupils * rng.uniform(6, 13), 2)
            row["equipment_value"] = float(round(pupils * rng.uniform(1500, 3200)))
            row["computers"] = round(pupils * rng.uniform(0.08, 0.2))
            row["books"] = round(pupils * rng.uniform(20, 45))
            row["multimedia_rooms"] = max(1, round(pupils * rng.uniform(0.015, 0.03)))
            rows.append(row)
    return rows


def columns() -> list[str]:
    cols = ["school_id", "county_code", "county_name", "kind", "school_name"]
    for stage in ("primary", "junior"):
        cols += [f"{f}_{stage}" for f, _ in PEOPLE]
    return cols + [r for r, _, _ in PHYSICAL]


def write_csv(path: Path, header: list[str], rows: list[list[object]], **kw: object) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", **kw)  # type: ignore[arg-type]
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def chinese_header() -> list[str]:
    head = ["学校标识码", "行政区划代码", "区县名称", "学校类型", "学校名称"]
    for stage in ("小学", "初中"):
        head += [f"{stage}{zh}" for _, zh in PEOPLE]
    units = [("元" if unit == "万元" else unit) for _, _, unit in PHYSICAL]
    return head + [f"{zh}（{u}）" for (_, zh, _), u in zip(PHYSICAL, units, strict=True)]


def plain_rows(data: list[dict[str, object]]) -> list[list[object]]:
    return [[r[c] for c in columns()] for r in data]


def two_row_workbook(data: list[dict[str, object]], path: Path) -> None:
    """Title row; two-row headers under merged 小学 / 初中; units; equipment in 万元; a row of
    column numbers; the county code merged down its schools; 小计 after each county, a blank
    row between them, 合计 at the end; and empty formatted columns to the right."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "学校情况"
    ids = ["学校标识码", "行政区划代码", "区县名称", "学校类型", "学校名称"]
    width = len(ids) + 2 * len(PEOPLE) + len(PHYSICAL)
    ws.cell(1, 1, "2024年某市义务教育学校办学条件统计表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for c, h in enumerate(ids, start=1):
        ws.cell(2, c, h)
        ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    c = len(ids) + 1
    for stage in ("小学", "初中"):
        ws.cell(2, c, stage)
        ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + len(PEOPLE) - 1)
        for k, (_, zh) in enumerate(PEOPLE):
            ws.cell(3, c + k, zh)
        c += len(PEOPLE)
    for _, zh, unit in PHYSICAL:
        ws.cell(2, c, f"{zh}\n（{unit}）")
        ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
        c += 1
    for k in range(width):
        ws.cell(4, k + 1, ("甲", "乙", "丙", "丁", "戊")[k] if k < 5 else k - 4)
    r = 5
    for code, _ in COUNTIES:
        mine = [row for row in data if row["county_code"] == code]
        first = r
        for row in mine:
            values = plain_rows([row])[0]
            for k, v in enumerate(values):
                col = columns()[k]
                if col == "county_code" and r != first:
                    continue  # merged below
                if col == "equipment_value":
                    v = float(v) / 10000  # type: ignore[arg-type]
                if v is not None:
                    ws.cell(r, k + 1, v)
            r += 1
        ws.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
        ws.cell(r, 1, "小计")
        r += 2  # a blank row between the counties
    ws.cell(r, 1, "合  计")
    ws.cell(r, 6, sum(int(x["enrollment_primary"] or 0) for x in data))
    for k in range(width + 1, width + 4):  # formatted, empty columns
        ws.column_dimensions[get_column_letter(k)].width = 12
        ws.cell(3, k).number_format = "0.00"
    wb.save(path)


def stage_sheets(data: list[dict[str, object]], path: Path, conflict: bool = False) -> None:
    """小学 and 初中 on separate sheets, headers without the stage; a nine-year school is on
    both, with the same school totals (or, with ``conflict``, two different book counts)."""
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for stage, word in (("primary", "小学"), ("junior", "初中")):
        ws = wb.create_sheet(word)
        head = ["学校标识码", "行政区划代码", "学校类型", "学校名称"]
        head += [zh for _, zh in PEOPLE] + [f"{zh}（{u}）" for _, zh, u in PHYSICAL]
        ws.append(head)
        for row in data:
            if row[f"enrollment_{stage}"] is None:
                continue
            values: list[object] = [row["school_id"], row["county_code"], row["kind"]]
            values.append(row["school_name"])
            values += [row[f"{f}_{stage}"] for f, _ in PEOPLE]
            for r, _, unit in PHYSICAL:
                v = row[r]
                if unit == "万元":
                    v = float(v) / 10000  # type: ignore[arg-type]
                nine_year = row["kind"] == "九年一贯制学校"
                if conflict and r == "books" and stage == "junior" and nine_year:
                    v = int(v) + 100  # type: ignore[call-overload]
                values.append(v)
            ws.append(values)
    wb.save(path)


def primary_with_notes(data: list[dict[str, object]], path: Path) -> None:
    """The primary schools' 小学 sheet of ``stage_sheets`` and a sheet of notes (填表说明)
    that is no table of schools: read by default, the notes sheet said to be set aside."""
    stage_sheets([row for row in data if row["kind"] == "小学"], path)
    wb = openpyxl.load_workbook(path)
    wb.remove(wb["初中"])
    notes = wb.create_sheet("填表说明")
    notes.append(["填表说明"])
    notes.append(["1. 在校生数以学年初统计为准。"])
    notes.append(["2. 教学仪器设备值以万元为单位。"])
    wb.save(path)


def census_export(data: list[dict[str, object]], path: Path) -> None:
    """The census's per-school export of the one-stage schools: GBK, '>' header paths,
    12-digit township codes, equipment in 万元, indoor sports rooms inside the room area."""
    head = [
        "学校（机构）标识码",
        "学校（机构）名称",
        "行政区划代码",
        "办学类型",
        "是否计校数",
        "在校生数>合计",
        "专任教师>合计",
        "教基1102>县级以上骨干教师(小学)",
        "教基1102>县级以上骨干教师(初中)",
        "专任教师>#按授课课程分>体育与健康",
        "专任教师>#按授课课程分>艺术>计",
        "教学及辅助用房>计",
        "室内体育用房",
        "运动场地面积",
        "教学仪器设备资产值(万元)",
        "网络多媒体教室",
        "统计三级",
    ]
    rows = []
    for k, row in enumerate(data):
        if row["kind"] == "九年一贯制学校":
            continue
        stage = "primary" if row["enrollment_primary"] is not None else "junior"
        pe = int(row[f"teachers_pe_arts_{stage}"])  # type: ignore[call-overload]
        rows.append(
            [
                row["school_id"],
                row["school_name"],
                f"{row['county_code']}{k % 7 + 1:03d}{k % 5:03d}",
                row["kind"],
                1,
                row[f"enrollment_{stage}"],
                row[f"teachers_{stage}"],
                row["teachers_backbone_primary"] if stage == "primary" else "",
                row["teachers_backbone_junior"] if stage == "junior" else "",
                pe // 2,
                pe - pe // 2,
                row["room_area"],
                round(float(row["room_area"]) * 0.1, 2),  # type: ignore[arg-type]
                row["sports_area"],
                float(row["equipment_value"]) / 10000,  # type: ignore[arg-type]
                row["multimedia_rooms"],
                "111",
            ]
        )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(head)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("gbk"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = schools()
    write_csv(OUT / "canonical.csv", columns(), plain_rows(data))
    two_row_workbook(data, OUT / "two_row_headers.xlsx")
    stage_sheets(data, OUT / "stage_sheets.xlsx")
    stage_sheets(data, OUT / "stage_sheets_conflict.xlsx", conflict=True)
    primary_with_notes(data, OUT / "primary_with_notes.xlsx")
    census_export(data, OUT / "census_export.csv")
    # CSVs with other separators, and in GBK with the forms' headers.
    rows = plain_rows(data)
    rows_yuan = rows  # the Chinese header says 元
    write_csv(OUT / "semicolons.csv", chinese_header(), rows_yuan, delimiter=";")
    write_csv(OUT / "tabs.csv", chinese_header(), rows_yuan, delimiter="\t")
    # Broken files.
    head = chinese_header()
    empty_code = [list(r) for r in rows]
    empty_code[3][1] = ""
    write_csv(OUT / "empty_county_code.csv", head, empty_code)
    township = [list(r) for r in rows]
    for r in township:
        r[1] = f"{r[1]}001002"
    write_csv(OUT / "township_codes.csv", head, township)
    text = (OUT / "canonical.csv").read_text(encoding="utf-8-sig").splitlines()
    text[6] = ",".join(text[6].split(",")[:-2])
    (OUT / "ragged.csv").write_text("\r\n".join(text) + "\r\n", encoding="utf-8-sig")
    (OUT / "csv_named.xlsx").write_bytes((OUT / "canonical.csv").read_bytes())
    wanyuan = [list(r) for r in rows]
    e = columns().index("equipment_value")
    for r in wanyuan:
        r[e] = float(r[e]) / 10000  # type: ignore[arg-type]
    plain_head = [h.replace("（元）", "") for h in head]
    write_csv(OUT / "equipment_in_wanyuan.csv", plain_head, wanyuan)
    # A form's footer under the schools, after a blank line and the 合计 row.
    footer: list[list[object]] = [
        *rows,
        [""] * len(head),
        ["合计", *[""] * (len(head) - 1)],
        ["填表人：张三　审核人：李四　填表日期：2024年9月30日", *[""] * (len(head) - 1)],
    ]
    write_csv(OUT / "footer.csv", head, footer)
    wrong_unit = [h.replace("图书册数（册）", "图书册数（平方米）") for h in head]
    write_csv(OUT / "wrong_unit.csv", wrong_unit, rows)
    typo = [h.replace("图书册数（册）", "图书数量") for h in head]
    write_csv(OUT / "near_header.csv", typo, rows)


if __name__ == "__main__":
    main()
