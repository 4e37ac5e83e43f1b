"""The command line: demo, evaluate, validate and standards, with their exit codes."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import eduequity as ee
from eduequity import batch, datasets
from eduequity._cli import main


def test_demo_prints_the_verdict_first(capsys: pytest.CaptureFixture[str]) -> None:
    """`eduequity demo` evaluates the sample county and prints verdict, components and CVs."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Synthetic sample county" in out
    assert out.index("Verdict:") < out.index("Component") < out.index("Composite CV")
    (line,) = [ln for ln in out.splitlines() if "990101-PS06" in ln and "not evaluated" in ln]
    assert line.split() == ["990101-PS06", *["private", "schools", "are", "not", "evaluated"]]


def test_demo_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """`eduequity demo --lang zh` prints Chinese labels and messages."""
    assert main(["demo", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "结论" in out
    assert "综合差异系数" in out


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017", "jiangsu-quality"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_runs_every_standard(
    standard: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo reports under every built-in standard; 2017 judges each CV, not a composite."""
    assert main(["demo", "--standard", standard, "--lang", lang]) == 0
    out = capsys.readouterr().out
    composite = {"en": "Composite CV", "zh": "综合差异系数"}[lang]
    assert (composite in out) == (standard == "cn-basic-2012")


def test_standards_lists_ids_and_documents(capsys: pytest.CaptureFixture[str]) -> None:
    """`eduequity standards` lists id, document number and year."""
    assert main(["standards"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:3] for line in lines] == [
        ["cn-basic-2012", "教督〔2012〕3号", "2012"],
        ["cn-quality-2017", "教督〔2017〕6号", "2017"],
        ["jiangsu-quality", "苏政办发〔2012〕36号", "2012"],
    ]


def test_unknown_standard_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown standard id is one error line and exit code 2, no traceback."""
    assert main(["demo", "--standard", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("eduequity: error: get_standard: 'nope' is not a known standard")
    assert "Traceback" not in err


def test_usage_error_exits_2() -> None:
    """A wrong command is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


@pytest.fixture
def school_file(tmp_path: Path) -> Path:
    path = tmp_path / "schools.parquet"
    pq.write_table(batch.table_from_counties([datasets.sample_county()]), path)
    return path


def test_evaluate_writes_tables_and_report_and_exits_1_when_a_county_fails(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`evaluate --out` writes the three tables and the report and exits 1 when a county fails."""
    out = tmp_path / "report"
    code = main(
        [
            "evaluate",
            str(school_file),
            "--standard",
            "cn-quality-2017",
            "--format",
            "html",
            "--out",
            str(out),
        ]
    )
    assert code == 1  # the sample county fails the 2017 standard
    assert sorted(p.name for p in out.iterdir()) == [
        "counties.parquet",
        "findings.parquet",
        "read.txt",
        "report.html",
        "schools.parquet",
    ]
    assert (out / "read.txt").read_text(encoding="utf-8").startswith("What was read from ")
    counties = pq.read_table(out / "counties.parquet")
    assert set(counties.column("county_status").to_pylist()) == {"failed"}
    result = ee.evaluate(ee.datasets.sample_county(), "cn-quality-2017")
    rows = sum(len(s.stages) if s.included else 1 for s in result.schools)
    assert pq.read_table(out / "schools.parquet").num_rows == rows
    assert "1 county (failed 1)" in capsys.readouterr().out


def test_evaluate_exits_0_when_no_evaluated_county_fails(
    school_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under 2012 without the province's school standard the county is not evaluated: exit 0."""
    assert main(["evaluate", str(school_file), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["failed"] == 0
    assert doc["counties"][0]["status"] == "not_evaluated"


def test_evaluate_with_csv_tables_school_standard_and_chinese(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`evaluate` applies a school standard and writes CSV tables and a Chinese report."""
    standard_file = tmp_path / "province.toml"
    standard_file.write_text(
        resources.files("eduequity.datasets")
        .joinpath("sample_school_standard.toml")
        .read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    out = tmp_path / "csv"
    code = main(
        [
            "evaluate",
            str(school_file),
            "--school-standard",
            str(standard_file),
            "--tables",
            "csv",
            "--format",
            "md",
            "--lang",
            "zh",
            "--out",
            str(out),
        ]
    )
    assert code in (0, 1)
    findings = pacsv.read_csv(out / "findings.csv")  # in Chinese: rule_id is 要求
    assert "school_standard.supplied" not in findings.column("要求").to_pylist()
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# 县域义务教育均衡")


def test_evaluate_rejects_standard_and_ruleset_together(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--standard` and `--ruleset` together are a usage error (exit 2)."""
    ruleset = tmp_path / "r.toml"
    ruleset.write_text("schema = 1\n", encoding="utf-8")
    code = main(
        ["evaluate", str(school_file), "--standard", "cn-basic-2012", "--ruleset", str(ruleset)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "either --standard or --ruleset" in err


def test_validate_reports_every_problem_with_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate` reports every problem of a table in one line per problem, with school ids."""
    table = batch.table_from_counties([datasets.sample_county()])
    enrollment = table.column("enrollment_primary").to_pylist()
    enrollment[0] = -5
    ids = table.column("school_id").to_pylist()
    ids[2] = ids[1]
    table = table.set_column(
        table.column_names.index("enrollment_primary"), "enrollment_primary", pa.array(enrollment)
    ).set_column(0, "school_id", pa.array(ids))
    path = tmp_path / "bad.parquet"
    pq.write_table(table, path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("eduequity: error: 2 problems in ")
    assert "'enrollment_primary'" in err
    assert ids[0] in err
    assert "'school_id'" in err
    assert ids[2] in err
    assert "Traceback" not in err


def test_validate_clean_file(school_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`validate` on a clean file says so and exits 0."""
    assert main(["validate", str(school_file)]) == 0
    assert "38 schools in 1 county; no problems found" in capsys.readouterr().out


def test_missing_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing input file is a one-line error with exit code 2."""
    assert main(["evaluate", str(tmp_path / "none.parquet")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """`eduequity evaluate ... | head -1`: no traceback, no error line, the verdict's exit code."""
    import subprocess
    import sys

    import attrs

    county = datasets.sample_county()
    many = [attrs.evolve(county, code=f"9901{i:02d}") for i in range(40)]
    path = tmp_path / "schools.parquet"
    pq.write_table(batch.table_from_counties(many), path)
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eduequity._cli",
            "evaluate",
            str(path),
            "--standard",
            "cn-basic-2012",
            "--format",
            "md",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # the reader goes away long before the report (over 64 KB) ends
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert first.startswith(b"#")
    assert err == ""
    assert code in (0, 1)


def test_validate_warns_of_contradicting_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate` lists figures that cannot all be right as warnings and still exits 0."""
    table = batch.table_from_counties([datasets.sample_county()])
    teachers = table.column("teachers_primary").to_pylist()
    first = next(i for i, t in enumerate(teachers) if t is not None)
    backbone = table.column("teachers_backbone_primary").to_pylist()
    backbone[first] = teachers[first] + 1
    table = table.set_column(
        table.column_names.index("teachers_backbone_primary"),
        "teachers_backbone_primary",
        pa.array(backbone, pa.float64()),
    )
    path = tmp_path / "odd.parquet"
    pq.write_table(table, path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out
    assert "1 warning: figures that cannot all be right" in out
    assert "'teachers_backbone_primary' is larger than 'teachers_primary'" in out
    assert repr(table.column("school_id")[first].as_py()) in out


def test_plan_and_monitor_write_what_was_read(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`plan --out` and `monitor --out` write what was read (read.txt) beside their tables, as
    `evaluate` does: monitoring, each year's file under its year."""
    out = tmp_path / "plan"
    main(["plan", str(school_file), "--standard", "cn-quality-2017", "--out", str(out)])
    assert "read.txt" in {p.name for p in out.iterdir()}
    said = (out / "read.txt").read_text(encoding="utf-8")
    assert said.startswith(f"What was read from {school_file.name}")
    assert "what was read (read.txt)" in capsys.readouterr().out
    years = []
    for year in (2023, 2024):
        path = tmp_path / f"学校_{year}.parquet"
        path.write_bytes(school_file.read_bytes())
        years.append(str(path))
    out = tmp_path / "monitor"
    main(["monitor", *years, "--standard", "cn-basic-2012", "--out", str(out), "--lang", "zh"])
    said = (out / "read.txt").read_text(encoding="utf-8")
    assert said.startswith("== 2023 年 ==\n读取 学校_2023.parquet")
    assert "== 2024 年 ==\n读取 学校_2024.parquet" in said
