"""A label merged over several columns in a workbook's two-row header (班额（班） over the ten
bands, 资产（万元） over the equipment value): the block is chosen by the distinct columns its
headers name, and a unit written on the label is the unit of the columns under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduequity import DataError, batch

xlsxwriter = pytest.importorskip("xlsxwriter")

BANDS = (
    "25人及以下",
    "26-30人",
    "31-35人",
    "36-40人",
    "41-45人",
    "46-50人",
    "51-55人",
    "56-60人",
    "61-65人",
    "66人及以上",
)
SCHOOLS = (
    ("3601010001", "360101", "城关小学", "小学", 560, (0, 0, 2, 4, 8, 0, 0, 0, 0, 0)),
    ("3601010002", "360101", "东街小学", "小学", 530, (0, 0, 0, 2, 6, 3, 1, 0, 0, 0)),
    ("3601010003", "360101", "西街小学", "小学", 400, (1, 1, 2, 3, 1, 0, 0, 0, 0, 1)),
)
FIRST = ("学校标识码", "行政区划代码", "学校名称", "学校类型", "在校生数")


def _book(
    path: Path, label: str, second: tuple[str, ...], values: list[tuple[object, ...]]
) -> None:
    """A sheet 小学: a title row, then the five first headers merged down two rows and
    ``label`` merged over the columns named ``second``, then the rows ``values``."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("小学")
    sheet.write_row(0, 0, ["某县小学基本情况统计表"])
    for c, header in enumerate(FIRST):
        sheet.merge_range(1, c, 2, c, header)
    at = len(FIRST)
    if len(second) > 1:
        sheet.merge_range(1, at, 1, at + len(second) - 1, label)
    else:
        sheet.write(1, at, label)
    sheet.write_row(2, at, list(second))
    for r, row in enumerate(values):
        sheet.write_row(3 + r, 0, list(row))
    book.close()


def test_a_class_size_label_over_the_bands_reads_the_bands(tmp_path: Path) -> None:
    """班额（班） merged over the ten bands: each column is its band's count of classes
    (before, the one-row block of ten 班额（班） cells won the tie and was refused for its
    unit)."""
    path = tmp_path / "bands.xlsx"
    _book(path, "班额（班）", BANDS, [(*s[:5], *s[5]) for s in SCHOOLS])
    read = batch.read_schools(path)
    assert read.record.sheets[0].header_rows == (2, 3)
    for band, column in enumerate(
        ("le25", "26_30", "31_35", "36_40", "41_45", "46_50", "51_55", "56_60", "61_65", "ge66")
    ):
        got = read.table.column(f"classes_{column}_primary").to_pylist()
        assert got == [s[5][band] for s in SCHOOLS]
    # Primary classes within the 2017 cap of 45, over it (46-55), of 56-65 (大班额) and of 66
    # and more (超大班额), from the bands.
    schools = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported").schools
    assert schools.column("classes_within_cap").to_pylist() == [14, 8, 8]
    assert schools.column("classes_over_cap").to_pylist() == [0, 4, 0]
    assert schools.column("classes_large").to_pylist() == [0, 0, 0]
    assert schools.column("classes_super_large").to_pylist() == [0, 0, 1]


def test_a_unit_on_the_label_is_the_unit_of_the_column_under_it(tmp_path: Path) -> None:
    """资产（万元） over 教学仪器设备值: the values are in 万元 (× 10,000); before, the label's
    unit was not read and the values were taken as yuan."""
    path = tmp_path / "unit.xlsx"
    _book(path, "资产（万元）", ("教学仪器设备值",), [(*s[:5], 120.5) for s in SCHOOLS])
    read = batch.read_schools(path)
    assert read.table.column("equipment_value").to_pylist() == [1_205_000.0] * 3
    assert "资产（万元）>教学仪器设备值" in read.record.to_text()


def test_a_header_with_two_units_is_refused(tmp_path: Path) -> None:
    """资产（万元） over 教学仪器设备值（元）: which unit the figures are in is not known."""
    path = tmp_path / "two.xlsx"
    _book(path, "资产（万元）", ("教学仪器设备值（元）",), [(*s[:5], 120.5) for s in SCHOOLS])
    with pytest.raises(DataError) as caught:
        batch.read_schools(path)
    assert "header '资产（万元）>教学仪器设备值（元）' says two units ('万元' and '元')" in str(
        caught.value
    )
    assert caught.value.message_zh is not None
    assert "写了两个单位" in caught.value.message_zh


def test_a_label_that_is_itself_a_header_is_read_as_the_group(tmp_path: Path) -> None:
    """图书（万册） merged over 图书册数 and 其中：新增: the two-row block, in which one column is
    books (in 万册) and the other is not used, is chosen over the one-row block, in which both
    cells say 图书（万册） and name the books twice (before, it was, and refused)."""
    path = tmp_path / "books.xlsx"
    _book(
        path,
        "图书（万册）",
        ("图书册数", "其中：新增"),
        [(*s[:5], 1.2, 0.1) for s in SCHOOLS],
    )
    read = batch.read_schools(path)
    assert read.table.column("books").to_pylist() == [12_000.0] * 3
    assert "not used: header '图书（万册）>其中：新增'" in read.record.to_text()


def test_a_map_names_the_path_as_the_account_writes_it(tmp_path: Path) -> None:
    """A column map keyed by the header as the account shows it (with the label's unit), or
    without the unit: both read the column under the label."""
    path = tmp_path / "map.xlsx"
    _book(path, "面积（平方米）", ("教学用房",), [(*s[:5], 2000.0) for s in SCHOOLS])
    for key in ("面积（平方米）>教学用房", "面积>教学用房"):
        read = batch.read_schools(path, columns={key: "room_area"})
        assert read.table.column("room_area").to_pylist() == [2000.0] * 3, key
        assert read.table.num_rows == 3


@pytest.mark.parametrize(
    ("label", "header", "column", "value"),
    [
        ("校舍（m²）", "教学及辅助用房面积（平方米）", "room_area", 2000.0),
        ("教职工（名）", "专任教师数（人）", "teachers_primary", 30.0),
    ],
)
def test_units_of_one_meaning_are_one_unit(
    tmp_path: Path, label: str, header: str, column: str, value: float
) -> None:
    """m² over 平方米, 名 over 人: the same unit written two ways is not two units."""
    path = tmp_path / "same.xlsx"
    _book(path, label, (header,), [(*s[:5], value) for s in SCHOOLS])
    assert batch.read_schools(path).table.column(column).to_pylist() == [value] * 3


def test_a_header_not_read_may_say_two_units(tmp_path: Path) -> None:
    """学生（人） over 在校生数 and 班级数（个）: 班级数 is no column, so its units do not
    matter; the enrollment is read (before the label's unit was read, this was refused)."""
    path = tmp_path / "unused.xlsx"
    _book(path, "学生（人）", ("其中：女", "班级数（个）"), [(*s[:5], 200, 12) for s in SCHOOLS])
    read = batch.read_schools(path)
    assert read.table.column("enrollment_primary").to_pylist() == [s[4] for s in SCHOOLS]
    text = read.record.to_text()
    assert "not used: header '学生（人）>班级数（个）'" in text


def test_a_title_ending_in_a_unit_is_not_a_header(tmp_path: Path) -> None:
    """A title merged over the table (…统计表（万元）) above one header row: the header row is
    the block (the title's unit does not fit the ids, and headers refused count less)."""
    path = tmp_path / "title.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("小学")
    headers = [*FIRST, "教学仪器设备值（万元）", "其中：女（人）"]
    sheet.merge_range(0, 0, 0, len(headers) - 1, "某县学校情况统计表（万元）")
    sheet.write_row(1, 0, headers)
    for r, s in enumerate(SCHOOLS):
        sheet.write_row(2 + r, 0, [*s[:5], 120.5, 200])
    book.close()
    read = batch.read_schools(path)
    assert read.record.sheets[0].header_rows == (2,)
    assert read.table.column("equipment_value").to_pylist() == [1_205_000.0] * 3


def test_a_measure_over_its_stages_or_its_total(tmp_path: Path) -> None:
    """专任教师数（人） over 合计 and 其中：… columns: the 合计 is the teachers; 在校生数（人）
    over 小学 and 初中: each stage's enrollment (before, both were refused as a column named
    twice)."""
    path = tmp_path / "total.xlsx"
    _book(
        path,
        "专任教师数（人）",
        ("合计", "其中：骨干教师"),
        [(*s[:5], 30, 5) for s in SCHOOLS],
    )
    read = batch.read_schools(path)
    assert read.table.column("teachers_primary").to_pylist() == [30] * 3
    assert "not used: header '专任教师数（人）>其中：骨干教师'" in read.record.to_text()
    stages = tmp_path / "stages.xlsx"
    book = xlsxwriter.Workbook(str(stages))
    sheet = book.add_worksheet("学校")
    for c, header in enumerate(FIRST[:4]):
        sheet.merge_range(0, c, 1, c, header)
    sheet.merge_range(0, 4, 0, 5, "在校生数（人）")
    sheet.write_row(1, 4, ["小学", "初中"])
    sheet.write_row(2, 0, ["3601010001", "360101", "城关学校", "九年一贯制学校", 560, 300])
    book.close()
    read = batch.read_schools(stages)
    assert read.table.column("enrollment_primary").to_pylist() == [560]
    assert read.table.column("enrollment_junior").to_pylist() == [300]


def test_bands_under_a_count_of_classes(tmp_path: Path) -> None:
    """班数（个） over 25人及以下 …: the bands (25人及以下班数)."""
    path = tmp_path / "count.xlsx"
    _book(path, "班数（个）", BANDS, [(*s[:5], *s[5]) for s in SCHOOLS])
    read = batch.read_schools(path)
    assert read.table.column("classes_ge66_primary").to_pylist() == [0, 0, 1]


def test_a_stage_over_a_measure_over_its_total(tmp_path: Path) -> None:
    """Three header rows: 小学 and 初中 merged over 在校生数 and 专任教师数, each over 合计 and
    其中：女: each stage's 合计 is the stage's figure."""
    path = tmp_path / "three.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校")
    for c, header in enumerate(FIRST[:4]):
        sheet.merge_range(0, c, 2, c, header)
    for s, stage in enumerate(("小学", "初中")):
        at = 4 + 4 * s
        sheet.merge_range(0, at, 0, at + 3, stage)
        sheet.merge_range(1, at, 1, at + 1, "在校生数")
        sheet.merge_range(1, at + 2, 1, at + 3, "专任教师数")
        sheet.write_row(2, at, ["合计", "其中：女", "合计", "其中：女"])
    sheet.write_row(3, 0, ["3601010001", "360101", "城关学校", "九年一贯制学校"])
    sheet.write_row(3, 4, [560, 270, 35, 20, 300, 140, 25, 15])
    book.close()
    table = batch.read_schools(path).table
    got = {c: table.column(c).to_pylist() for c in table.column_names if "_" in c}
    assert got["enrollment_primary"] == [560]
    assert got["teachers_primary"] == [35]
    assert got["enrollment_junior"] == [300]
    assert got["teachers_junior"] == [25]


def test_a_class_size_label_over_its_total_is_no_class_size(tmp_path: Path) -> None:
    """班额 merged over 合计 and the ten bands: the 合计 counts classes and lists no size, so it
    is not read as the class sizes (before this was caught, a school read as one class of
    14); the bands are read."""
    path = tmp_path / "total_and_bands.xlsx"
    _book(path, "班额", ("合计", *BANDS), [(*s[:5], sum(s[5]), *s[5]) for s in SCHOOLS])
    read = batch.read_schools(path)
    assert "class_sizes_primary" not in read.table.column_names
    assert read.table.column("classes_46_50_primary").to_pylist() == [0, 3, 0]
    assert "not used: header '班额>合计'" in read.record.to_text()
