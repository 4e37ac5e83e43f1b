"""Reading the shapes offices keep against reading the same schools plainly.

Writes the synthetic nation's first N schools (nation.py) as: a plain CSV with eduequity's
columns; the census export (``>`` header paths, 万元, 12-digit township codes) read with the
census map; a plain workbook (one header row); a workbook as an office makes it (a title row,
two-row headers under merged 小学 / 初中, units, 万元, a 合计 row); and the same as two sheets
(小学, 初中; nine-year schools on both). Prints the median time of ``batch.read_schools`` on
each, and its ratio to the plain read of the same schools (Arrow's CSV reader for the CSVs,
the Excel reader on the plain workbook for the workbooks) and to the plain CSV read.

    python benchmarks/reading.py --schools 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from nation import nation

from eduequity import batch

STAGES = {"primary": "小学", "junior": "初中"}
PEOPLE = {
    "enrollment": "在校生数",
    "teachers": "专任教师数",
    "teachers_above_qualification": "高于规定学历教师数",
    "teachers_intermediate_title": "中级及以上专业技术职务教师数",
    "teachers_backbone": "县级及以上骨干教师数",
    "teachers_pe_arts": "体育艺术专任教师数",
}
PHYSICAL = {
    "room_area": "教学及辅助用房面积（平方米）",
    "sports_area": "体育运动场馆面积（平方米）",
    "equipment_value": "教学仪器设备值（万元）",
    "computers": "计算机台数（台）",
    "books": "图书册数（册）",
    "multimedia_rooms": "网络多媒体教室数（间）",
}
KIND_ZH = {
    "primary": "小学",
    "junior": "初级中学",
    "nine_year": "九年一贯制学校",
    "twelve_year": "十二年一贯制学校",
    "complete_secondary": "完全中学",
    "teaching_point": "小学教学点",
}


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def schools(n: int) -> pa.Table:
    """The nation's one- and two-stage schools (twelve-year and complete secondary schools
    have seniors, which the census's per-school totals do not separate)."""
    t = nation(n)
    keep = pc.is_in(t.column("kind"), pa.array(["primary", "junior", "nine_year"]))
    t = t.filter(keep)
    drop = ["staff_primary", "staff_junior", "public", "county_run"]
    drop += [c for c in t.column_names if c.startswith("class_sizes")]
    return t.drop_columns([c for c in drop if c in t.column_names])


def write_census(t: pa.Table, path: Path) -> None:
    one = t.filter(pc.not_equal(t.column("kind"), "nine_year"))
    primary = pc.equal(one.column("kind"), "primary")

    def by_stage(field: str) -> pa.Array:
        return pc.if_else(primary, one.column(f"{field}_primary"), one.column(f"{field}_junior"))

    codes = pc.binary_join_element_wise(one.column("county_code"), "001002", "")
    out = pa.table(
        {
            "学校（机构）标识码": one.column("school_id"),
            "行政区划代码": codes,
            "办学类型": pc.if_else(primary, "小学", "初级中学"),
            "在校生数>合计": by_stage("enrollment"),
            "专任教师>合计": by_stage("teachers"),
            "教基1102>县级以上骨干教师(小学)": one.column("teachers_backbone_primary"),
            "教基1102>县级以上骨干教师(初中)": one.column("teachers_backbone_junior"),
            "专任教师>#按授课课程分>体育与健康": by_stage("teachers_pe_arts"),
            "专任教师>#按授课课程分>艺术>计": pc.multiply(by_stage("teachers_pe_arts"), 0),
            "教学及辅助用房>计": one.column("room_area"),
            "运动场地面积": one.column("sports_area"),
            "教学仪器设备资产值(万元)": pc.divide(one.column("equipment_value"), 10000.0),
            "网络多媒体教室": one.column("multimedia_rooms"),
        }
    )
    pacsv.write_csv(out, path)


def rows_of(t: pa.Table) -> list[list[object]]:
    cols = [t.column(c).to_pylist() for c in t.column_names]
    return [list(r) for r in zip(*cols, strict=True)]


def write_workbooks(t: pa.Table, folder: Path) -> tuple[Path, Path, Path]:
    import xlsxwriter

    ids = ["school_id", "county_code", "kind"]
    people = [f"{f}_{s}" for s in STAGES for f in PEOPLE]
    physical = list(PHYSICAL)
    data = t.select(ids + people + physical)
    kind = [KIND_ZH[k] for k in data.column("kind").to_pylist()]
    data = data.set_column(2, "kind", pa.array(kind))
    wanyuan = pc.divide(data.column("equipment_value"), 10000.0)
    data = data.set_column(data.column_names.index("equipment_value"), "equipment_value", wanyuan)
    rows = rows_of(data)

    plain = folder / "plain.xlsx"
    book = xlsxwriter.Workbook(str(plain), {"constant_memory": True})
    ws = book.add_worksheet("学校")
    head = ["学校标识码", "行政区划代码", "学校类型"]
    head += [f"{STAGES[s]}{zh}" for s in STAGES for zh in PEOPLE.values()]
    ws.write_row(0, 0, head + list(PHYSICAL.values()))
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    book.close()

    shaped = folder / "two_rows.xlsx"
    book = xlsxwriter.Workbook(str(shaped))  # merges are written out of row order
    ws = book.add_worksheet("学校情况")
    width = len(head) + len(PHYSICAL)
    ws.merge_range(0, 0, 0, width - 1, "2024年义务教育学校办学条件统计表")
    for c, h in enumerate(["学校标识码", "行政区划代码", "学校类型"]):
        ws.merge_range(1, c, 2, c, h)
    c = 3
    for s in STAGES:
        ws.merge_range(1, c, 1, c + len(PEOPLE) - 1, STAGES[s])
        ws.write_row(2, c, list(PEOPLE.values()))
        c += len(PEOPLE)
    for h in PHYSICAL.values():
        ws.merge_range(1, c, 2, c, h)
        c += 1
    for r, row in enumerate(rows, start=3):
        ws.write_row(r, 0, row)
    ws.write_row(len(rows) + 3, 0, ["合计"])
    book.close()

    sheets = folder / "sheets.xlsx"
    book = xlsxwriter.Workbook(str(sheets), {"constant_memory": True})
    kinds = t.column("kind").to_pylist()
    for s, word in STAGES.items():
        ws = book.add_worksheet(word)
        ws.write_row(0, 0, ["学校标识码", "行政区划代码", "学校类型", *PEOPLE.values()])
        start = 3 + len(PEOPLE)
        ws.write_row(0, start, list(PHYSICAL.values()))
        stage_cols = [data.column_names.index(f"{f}_{s}") for f in PEOPLE]
        phys_cols = [data.column_names.index(p) for p in physical]
        r = 1
        for row, k in zip(rows, kinds, strict=True):
            if k != "nine_year" and k != s:
                continue
            ws.write_row(r, 0, [*row[:3], *(row[i] for i in stage_cols)])
            ws.write_row(r, start, [row[i] for i in phys_cols])
            r += 1
    book.close()
    return plain, shaped, sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    t = schools(args.schools)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain_csv = folder / "plain.csv"
        pacsv.write_csv(t, plain_csv)
        census = folder / "census.csv"
        write_census(t, census)
        plain_xlsx, shaped, sheets = write_workbooks(t, folder)
        n = t.num_rows
        base_csv = median_ms(lambda: pacsv.read_csv(plain_csv), args.repeat)
        print(f"{n:,} schools; the plain CSV read (Arrow): {base_csv:.0f} ms")
        cases = [
            ("plain CSV, read_schools", lambda: batch.read_schools(plain_csv), base_csv),
            (
                "census export, census map",
                lambda: batch.read_schools(census, columns="census"),
                median_ms(lambda: pacsv.read_csv(census), args.repeat),
            ),
        ]
        import fastexcel

        base_xlsx = median_ms(
            lambda: fastexcel.read_excel(str(plain_xlsx)).load_sheet(0).to_arrow(), args.repeat
        )
        print(f"the plain workbook read (the Excel reader, one header row): {base_xlsx:.0f} ms")
        cases += [
            ("plain workbook, read_schools", lambda: batch.read_schools(plain_xlsx), base_xlsx),
            ("two-row headers, title, 合计", lambda: batch.read_schools(shaped), base_xlsx),
            ("two sheets (小学, 初中)", lambda: batch.read_schools(sheets, sheet="all"), base_xlsx),
        ]
        print(f"{'shape':34} {'ms':>8} {'× plain same format':>20} {'× plain CSV':>12}")
        for name, run, base in cases:
            ms = median_ms(run, args.repeat)
            print(f"{name:34} {ms:8.0f} {ms / base:20.2f} {ms / base_csv:12.1f}")


if __name__ == "__main__":
    main()
