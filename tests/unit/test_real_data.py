"""Files and frames as offices have them: GBK and BOM CSVs with Chinese headers, ids with
leading zeros, text columns of every Arrow string type, blank columns, yes/no words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import eduequity as ee
from eduequity import DataError, batch
from eduequity._cli import main
from eduequity._schema import COLUMNS


def chinese_csv_text() -> str:
    """The sample county as a CSV with the national forms' Chinese headers."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    headers = {c.name: c.aliases[0] for c in COLUMNS if c.aliases}
    columns = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_list(col.type):
            sizes = [None if v is None else ";".join(map(str, v)) for v in col.to_pylist()]
            col = pa.chunked_array([pa.array(sizes, pa.string())])
        columns[headers.get(name, name)] = col
    sink = pa.BufferOutputStream()
    pacsv.write_csv(pa.table(columns), sink)
    return str(sink.getvalue().to_pybytes().decode("utf-8")).replace('"', "")


@pytest.fixture(scope="module")
def expected() -> pa.Table:
    table = batch.table_from_counties([ee.datasets.sample_county()])
    return batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported").counties


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_the_encodings_offices_save(
    tmp_path: Path, encoding: str, expected: pa.Table
) -> None:
    """A CSV with Chinese headers in GBK, GB18030, UTF-8 or UTF-8 with BOM gives the same
    counties table as the in-memory table."""
    path = tmp_path / "schools.csv"
    path.write_bytes(chinese_csv_text().encode(encoding))
    got = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported").counties
    assert got.to_pylist() == expected.to_pylist()


def test_ids_are_read_as_written(tmp_path: Path) -> None:
    """Ids and codes are text: '0001' stays '0001' and '1.0' stays '1.0'."""
    path = tmp_path / "schools.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数,图书册数\n"
        "0001,990101,小学,300,9000\n"
        "1.0,990101,小学,200,5000\n",
        encoding="utf-8",
    )
    out = batch.evaluate_table(path, "cn-basic-2012", nulls="not_reported")
    assert out.schools.column("school_id").to_pylist() == ["0001", "1.0"]
    assert out.counties.column("county_code").to_pylist()[0] == "990101"


def test_undecodable_and_empty_files_say_so(tmp_path: Path) -> None:
    """A file in neither encoding names the way out; an empty file and a header without rows
    say there are no schools."""
    path = tmp_path / "schools.csv"
    path.write_bytes("学校标识码\n".encode("utf-16"))
    with pytest.raises(DataError, match=r"neither UTF-8 nor GBK/GB18030.*encoding="):
        batch.evaluate_table(path, "cn-basic-2012")
    path.write_bytes(b"")
    with pytest.raises(DataError, match="is empty: no header and no schools"):
        batch.evaluate_table(path, "cn-basic-2012")
    path.write_text("学校标识码,行政区划代码,学校类型\n", encoding="utf-8")
    with pytest.raises(DataError, match="has no schools"):
        batch.evaluate_table(path, "cn-basic-2012")
    path.write_bytes(chinese_csv_text().encode("gbk"))
    with pytest.raises(DataError, match="cannot be read as utf-8"):
        batch.evaluate_table(path, "cn-basic-2012", encoding="utf-8")


@pytest.mark.parametrize(
    "kind", [pa.large_string(), pa.string_view(), pa.dictionary(pa.int32(), pa.string())]
)
def test_every_string_type_of_the_frame_libraries(kind: pa.DataType, expected: pa.Table) -> None:
    """Text columns as large_string (pandas), string_view (polars) or dictionary
    (categoricals) give the same result."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    columns = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_string(col.type):
            col = col.dictionary_encode() if pa.types.is_dictionary(kind) else col.cast(kind)
        columns[name] = col
    got = batch.evaluate_table(pa.table(columns), "cn-quality-2017", nulls="not_reported")
    assert got.counties.equals(expected)
    assert got.findings.num_rows == len(
        ee.evaluate(ee.datasets.sample_county(), "cn-quality-2017").findings
    )


def test_blank_columns_of_a_county_with_only_primary_schools() -> None:
    """The junior columns left blank (all empty, typed null) are columns not given: the junior
    stage is not applicable, never a type error."""
    rows = {
        "school_id": ["A", "B"],
        "county_code": ["990101", "990101"],
        "kind": ["小学", "小学"],
        "enrollment_primary": [300, 200],
        "books": [9000.0, 5000.0],
        "enrollment_junior": pa.nulls(2),
        "teachers_junior": pa.nulls(2),
        "public": ["是", "否"],
    }
    out = batch.evaluate_table(pa.table(rows), "cn-basic-2012", nulls="not_reported")
    assert out.counties.column("status").to_pylist()[1] == "not_applicable"
    reasons = out.schools.column("reason").to_pylist()
    assert reasons == [None, "private"]


def test_cli_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 2 for bad input, 3 for an internal error with a short message (the traceback only
    with --debug, anywhere on the line); --format markdown; a reused --out keeps nothing
    stale; CSV tables carry a byte-order mark for Excel."""
    path = tmp_path / "schools.csv"
    path.write_bytes(chinese_csv_text().encode("gbk"))
    out = tmp_path / "out"
    args = [
        str(path),
        "--standard",
        "cn-quality-2017",
        "--nulls",
        "not_reported",
        "--out",
        str(out),
    ]
    assert main(["evaluate", *args, "--format", "markdown", "--tables", "csv"]) == 1
    assert (out / "schools.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["evaluate", *args, "--format", "json"]) == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "counties.parquet",
        "findings.parquet",
        "read.txt",
        "report.json",
        "schools.parquet",
    ]
    assert main(["evaluate", str(tmp_path / "missing.csv")]) == 2
    capsys.readouterr()
    from eduequity import _cli as cli

    def boom(args: object) -> int:  # stands for a bug anywhere below the command line
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_validate", boom)
    assert main(["validate", str(path)]) == 3
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: boom)" in err
    assert "rerun with --debug" in err
    assert "Traceback" not in err
    with pytest.raises(RuntimeError, match="boom"):
        main(["validate", str(path), "--debug"])


def test_python_dash_m_runs_the_command() -> None:
    """python -m eduequity is the eduequity command."""
    done = subprocess.run(
        [sys.executable, "-m", "eduequity", "standards"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("cn-basic-2012\t")


def test_chinese_messages_name_resources_in_chinese() -> None:
    """With lang zh a reader sees Chinese resource names, not column names (a county input's
    id, which the user types as a column of the inputs table, is the one identifier left)."""
    import re

    county = ee.datasets.sample_county()
    schools = [ee.School(id="X1", kind="primary", primary=ee.StageData(enrollment=300))]
    gaps = ee.County(code="990199", schools=schools)
    for standard in ("cn-quality-2017", "cn-basic-2012"):
        std = ee.get_standard(standard)
        if std.school_standard_slot is not None:
            std = std.with_school_standard(ee.datasets.sample_school_standard())
        for c in (county, gaps):
            for f in ee.evaluate(c, std).findings:
                text = re.sub(r"（输入 [a-z_0-9]+）", "", f.message_zh)
                assert not re.search(r"[a-z]+_[a-z_]+", text), f.message_zh
    text = ee.format_result(ee.evaluate(county, "cn-quality-2017"), "zh")
    assert "县级及以上骨干教师2人" in text
    assert "teachers_backbone" not in text


def test_implausible_values_are_refused_at_entry(tmp_path: Path) -> None:
    """1e300 students or books would break the arithmetic: both doors refuse them at entry,
    naming the school, the column and the value."""
    path = tmp_path / "big.csv"
    path.write_text(
        "school_id,county_code,kind,enrollment_primary,books\n"
        "A,990101,primary,1e300,9000\n"
        "B,990101,primary,300,1e300\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        batch.evaluate_table(path, "cn-basic-2012")
    msg = str(info.value)
    assert "column 'enrollment_primary' must be a whole number from 1 to 1,000,000" in msg
    assert "(school ids 'A' (row 2) got 1e+300)" in msg
    assert "column 'books' must be a number from 0 to 1,000,000,000,000" in msg
    assert "(school ids 'B' (row 3) got 1e+300)" in msg
    with pytest.raises(DataError, match="'books' must be a number from 0 to"):
        ee.School(id="B", kind="primary", primary=ee.StageData(enrollment=300), books=1e300)


def test_rulesets_in_utf8_with_a_bom_and_gbk_refused(tmp_path: Path) -> None:
    """A ruleset saved with a byte-order mark reads; one in GBK is refused, saying so."""
    import importlib.resources

    source = importlib.resources.files("eduequity.standards").joinpath("data/jiangsu-quality.toml")
    text = source.read_text(encoding="utf-8")
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert ee.load_ruleset(bom).id == "jiangsu-quality"
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(text.encode("gbk"))
    with pytest.raises(ee.RulesetError, match=r"must be UTF-8 text.*GBK"):
        ee.load_ruleset(gbk)


def test_table_from_counties_round_trips_under_every_null_policy(tmp_path: Path) -> None:
    """Counties with values not reported, as a table (or its Parquet file), evaluate as the
    objects do under the default policy and under "not_reported"; "error" refuses them."""
    import pyarrow.parquet as pq

    county = ee.datasets.sample_county()
    gaps = ee.County(
        code="990102",
        schools=[
            ee.School(id="X1", kind="primary", primary=ee.StageData(enrollment=300), books=900.0),
            ee.School(id="X2", kind="primary", primary=ee.StageData(enrollment=200)),
        ],
    )
    table = batch.table_from_counties([county, gaps])
    path = tmp_path / "schools.parquet"
    pq.write_table(table, path)
    expected = [ee.evaluate(c, "cn-basic-2012").status.value for c in (county, gaps)]
    for source in (table, path):
        for nulls in (None, "not_reported"):
            out = batch.evaluate_table(source, "cn-basic-2012", nulls=nulls)
            statuses = out.counties.column("county_status").to_pylist()[::2]
            assert statuses == expected
    with pytest.raises(DataError, match="is empty"):
        batch.evaluate_table(table, "cn-basic-2012", nulls="error")


def test_warnings_table_lists_contradicting_figures() -> None:
    """Figures that cannot all be right come back as a table, one row per school and
    contradiction, and do not change the verdicts."""
    school = ee.School(
        id="W1",
        kind="primary",
        primary=ee.StageData(
            enrollment=300, teachers=10, staff=8, teachers_backbone=12, class_sizes=(45, 45)
        ),
    )
    county = ee.County(code="990103", schools=[school])
    out = batch.evaluate_table(batch.table_from_counties([county]), "cn-basic-2012")
    rows = out.data_warnings.to_pylist()
    assert [r["warning"] for r in rows] == [
        "column 'teachers_backbone_primary' is larger than 'teachers_primary'",
        "column 'teachers_primary' is larger than 'staff_primary' (the staff include the teachers)",
        "the sizes in 'class_sizes_primary' do not add up to 'enrollment_primary'",
    ]
    assert {(r["county_code"], r["school_id"], r["stage"]) for r in rows} == {
        ("990103", "W1", "primary")
    }
    assert (
        out.counties.column("status").to_pylist()[0]
        == ee.evaluate(county, "cn-basic-2012").stages["primary"].status.value
    )


def test_excel_with_title_rows_and_a_chosen_sheet(tmp_path: Path, expected: pa.Table) -> None:
    """An .xlsx with title rows above the Chinese headers, on its second sheet, reads as the
    CSV does (ids as text); the command line takes --sheet and --header-row."""
    import csv
    import io

    import xlsxwriter

    rows = list(csv.reader(io.StringIO(chinese_csv_text())))
    path = tmp_path / "schools.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("封面").write_row(0, 0, ["某县义务教育学校基本情况"])
    sheet = book.add_worksheet("学校")
    sheet.write_row(0, 0, ["某县义务教育学校基本情况统计表"])
    sheet.write_row(1, 0, ["填报单位：某县教育局"])
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, [_cell(v) if r > 2 else v for v in row])
    book.close()
    got = batch.evaluate_table(
        path, "cn-quality-2017", nulls="not_reported", sheet="学校", header_row=2
    ).counties
    assert got.to_pylist() == expected.to_pylist()
    args = ["validate", str(path), "--sheet", "1", "--header-row", "2", "--nulls", "not_reported"]
    assert main(args) == 0


def _cell(text: str) -> object:
    """A CSV cell as a spreadsheet holds it: numbers as numbers, the rest as text."""
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text


def test_template_and_column_reference(tmp_path: Path) -> None:
    """The template has the Chinese header of every column, and reads back as a table with
    no school; the reference says which columns are split and which standards read them."""
    from eduequity.batch import column_reference, write_template

    reference = {c["column"]: c for c in column_reference()}
    assert reference.keys() == {c.name for c in COLUMNS}
    assert reference["books"]["split"] == "yes"
    assert reference["teachers_backbone_primary"]["split"] == "no"
    assert reference["teachers_backbone_primary"]["standards"] == "cn-quality-2017, jiangsu-quality"
    assert reference["school_id"]["required"] == "yes"
    written = write_template(tmp_path / "schools.csv")
    assert [p.name for p in written] == ["schools.csv", "schools.columns.csv"]
    header = written[0].read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:4] == ["学校标识码", "行政区划代码", "区县名称", "学校类型"]
    with pytest.raises(DataError, match="has no schools"):
        batch.evaluate_table(written[0], "cn-basic-2012")
    assert main(["template", str(tmp_path / "schools.xlsx")]) == 0
    with pytest.raises(DataError, match="has no schools"):
        batch.evaluate_table(tmp_path / "schools.xlsx", "cn-basic-2012")


def test_tables_carry_the_school_names_beside_the_ids() -> None:
    """Where the input has 学校名称, the schools and findings tables carry it beside the id."""
    path = Path(__file__).resolve().parents[1] / "data" / "utf8_bom.csv"
    out = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    schools = dict(
        zip(
            out.schools["school_id"].to_pylist(),
            out.schools["school_name"].to_pylist(),
            strict=True,
        )
    )
    assert schools["0001"] == "城关第一小学"
    findings = out.findings.filter(pa.compute.is_valid(out.findings["school_id"]))
    pairs = set(
        zip(findings["school_id"].to_pylist(), findings["school_name"].to_pylist(), strict=True)
    )
    assert pairs <= set(schools.items())
    assert pairs


def _frames() -> list[tuple[str, object]]:
    """The sample county as the frames users bring: pandas with its default, object and
    Arrow-backed string columns and NaN in a numeric column; polars with String and
    Categorical columns and an all-null column."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    table = batch.table_from_counties([ee.datasets.sample_county()])
    frame = table.to_pandas()
    text = [c for c in table.column_names if pa.types.is_string(table.column(c).type)]
    as_object = frame.astype(dict.fromkeys(text, object))
    arrow_backed = table.to_pandas(types_mapper=pd.ArrowDtype)
    with_blank = frame.assign(music_room_area=float("nan"))
    polars = pl.from_arrow(table)
    categorical = polars.with_columns(pl.col("kind").cast(pl.Categorical))
    all_null = polars.with_columns(pl.lit(None, pl.Float64).alias("music_room_area"))
    return [
        ("pandas default", frame),
        ("pandas object", as_object),
        ("pandas pyarrow", arrow_backed),
        ("pandas NaN column", with_blank),
        ("polars", polars),
        ("polars categorical", categorical),
        ("polars all-null column", all_null),
    ]


def test_frames_of_pandas_and_polars() -> None:
    """Every frame type gives the tables the Arrow table gives; a numeric column of NaN from
    pandas or of nulls from polars is a column not reported."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    blank = table.set_column(
        table.column_names.index("music_room_area"), "music_room_area", pa.nulls(table.num_rows)
    )
    full = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    empty = batch.evaluate_table(blank, "cn-quality-2017", nulls="not_reported")
    assert not empty.findings.equals(full.findings)
    for name, frame in _frames():
        got = batch.evaluate_table(frame, "cn-quality-2017", nulls="not_reported")
        want = empty if "NaN" in name or "null" in name else full
        assert got.counties.equals(want.counties), name
        assert got.schools.equals(want.schools), name
        assert got.findings.equals(want.findings), name


def test_tables_as_one_excel_workbook(tmp_path: Path) -> None:
    """``--tables xlsx`` writes one workbook with a sheet per table; ids keep their zeros and
    every school of the input has its row."""
    fastexcel = pytest.importorskip("fastexcel")
    source = Path(__file__).parents[1] / "data" / "gbk_chinese_headers.csv"
    out = tmp_path / "out"
    assert main(["evaluate", str(source), "--out", str(out), "--tables", "xlsx"]) in (0, 1)
    book = fastexcel.read_excel(out / "tables.xlsx")
    assert book.sheet_names == ["counties", "schools", "findings"]
    expected = batch.evaluate_table(source, "cn-basic-2012")
    for name in book.sheet_names:
        sheet = book.load_sheet(name, dtypes="string").to_arrow()
        assert sheet.num_rows == getattr(expected, name).num_rows
    schools = book.load_sheet("schools", dtypes="string").to_arrow()
    assert (
        schools.column("school_id").to_pylist() == expected.schools.column("school_id").to_pylist()
    )


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017", "jiangsu-quality"])
def test_chinese_reports_cite_in_chinese(standard: str) -> None:
    """Every citation in a Chinese report has its clause and confidence in Chinese: no
    English clause ("Item 3: ...", "One-vote veto ...") and no English confidence label."""
    from eduequity.report import render

    result = ee.evaluate(ee.datasets.sample_county(), standard)
    text = render(result, "text", "zh")
    for english in ("Item ", "One-vote", "[primary]", "[secondary]", "[unconfirmed]", "local "):
        assert english not in text, english
    assert "[原文]" in text
    std = ee.get_standard(standard)
    cited = [c.citation for c in std.county_items] + [std.balance.citation]
    for c in cited:
        if c.clause and c.clause.isascii():
            assert c.clause_zh, c


def test_a_ruleset_clause_without_a_chinese_clause_does_not_keep_the_parents(
    tmp_path: Path,
) -> None:
    """A ruleset that cites its own clause (in English only) is not shown with the parent's
    Chinese clause, which described the parent's value."""
    path = tmp_path / "province.toml"
    path.write_text(
        'schema = 1\nextends = "cn-quality-2017"\nid = "p"\ntitle_zh = "某省"\ntitle_en = "P"\n'
        '[sources.province]\nissuer = "某省教育厅"\ntitle = "某省办法"\nyear = 2024\n'
        '[rooms]\nclasses_per_room = 10\nsource = "province"\nclause = "Article 5"\n',
        encoding="utf-8",
    )
    std = ee.load_ruleset(path)
    assert std.rooms is not None
    assert std.rooms.citation.text("zh") == "某省教育厅《某省办法》 (2024) Article 5 [原文]"


def test_a_duckdb_result() -> None:
    """A DuckDB relation (read through the Arrow C stream) gives the tables the Arrow table
    gives."""
    duckdb = pytest.importorskip("duckdb")
    table = batch.table_from_counties([ee.datasets.sample_county()])
    want = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    con = duckdb.connect()
    con.register("schools", table)
    got = batch.evaluate_table(
        con.sql("select * from schools"), "cn-quality-2017", nulls="not_reported"
    )
    assert got.counties.equals(want.counties)
    assert got.schools.equals(want.schools)
