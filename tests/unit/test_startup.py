"""What `import eduequity` and the command line load (structure only; the times are in
benchmarks/startup.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import eduequity as ee


def loaded_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after running ``code``."""
    report = "import sys\nprint(' '.join({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


#: A command line run in a fresh process, its output discarded.
_COMMAND = (
    "from eduequity._cli import main\n"
    "import contextlib, io\n"
    "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
    "    main({arguments!r})"
)


def loaded_after_command(arguments: list[str]) -> set[str]:
    """The top-level packages loaded by ``eduequity`` run with ``arguments``."""
    return loaded_after(_COMMAND.format(arguments=arguments))


def test_import_loads_no_numeric_package() -> None:
    """`import eduequity` loads neither numpy, pyarrow, scipy nor pandas."""
    loaded = loaded_after("import eduequity")
    assert loaded & {"numpy", "pyarrow", "scipy", "pandas", "polars"} == set()


@pytest.mark.parametrize(
    "code",
    [
        "import eduequity.batch, eduequity._monitoring, eduequity._planning, eduequity.report",
        "from eduequity._cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])",
    ],
)
def test_modules_load_no_pandas_nor_scipy(code: str) -> None:
    """Importing the doors, or asking the command for its help, builds no Arrow array (which
    makes pyarrow load pandas) and loads no solver."""
    assert loaded_after(code) & {"pandas", "scipy"} == set()


def test_every_public_name_resolves() -> None:
    """Each name of ``eduequity.__all__`` is there on first use, and in ``dir``."""
    for name in ee.__all__:
        assert getattr(ee, name) is not None
    assert set(ee.__all__) <= set(dir(ee))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = ee.nothing


def test_evaluate_stays_the_function() -> None:
    """``ee.evaluate`` is the function, whichever import loaded its module first."""
    code = (
        "import eduequity._planning, eduequity.batch\n"
        "import eduequity as ee\n"
        "assert callable(ee.evaluate) and ee.evaluate.__name__ == 'evaluate', ee.evaluate\n"
        "from eduequity import evaluate\n"
        "assert evaluate is ee.evaluate\n"
        "from eduequity._evaluate import result_of\n"
        "assert callable(ee.evaluate)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None, reason="pandas is not installed: nothing to load"
)
@pytest.mark.parametrize("how", ["evaluate_table", "command", "html", "plan"])
def test_evaluating_a_parquet_file_loads_no_pandas(tmp_path: Path, how: str) -> None:
    """Reading a Parquet file of schools, evaluating it and building its tables (or the command
    line's text or HTML report with its findings, or a plan and its page) converts nothing
    through pandas: pyarrow loads it, where it is installed, on
    its first conversion of a Python value or to NumPy, about 0.2 s a fresh process would pay."""
    import pyarrow.parquet as pq

    from eduequity import batch, datasets

    path = tmp_path / "schools.parquet"
    pq.write_table(batch.table_from_counties([datasets.sample_county()]), path)
    if how == "evaluate_table":
        code = (
            "from eduequity import batch\n"
            f"out = batch.evaluate_table({str(path)!r}, 'cn-quality-2017')\n"
            "out.counties, out.schools"
        )
    else:
        command = {
            "command": ["evaluate"],
            "html": ["evaluate", "--format", "html", "--out", str(tmp_path / "report")],
            "plan": ["plan", "--format", "html", "--out", str(tmp_path / "plan")],
        }[how]
        code = _COMMAND.format(arguments=[*command, str(path), "--standard", "cn-quality-2017"])
    loaded = loaded_after(code)
    assert "eduequity" in loaded
    assert "pandas" not in loaded
    if how in ("html", "plan"):  # the command ran to its end: it wrote its page
        written = tmp_path / ("report" if how == "html" else "plan")
        assert any(p.suffix == ".html" for p in written.iterdir())


@pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None, reason="pandas is not installed: nothing to load"
)
def test_the_object_door_loads_no_pandas() -> None:
    """``ee.evaluate`` on County objects and every table of its result (and
    ``table_from_counties``) convert nothing through pandas."""
    code = (
        "import eduequity as ee\n"
        "county = ee.datasets.sample_county()\n"
        "ee.batch.table_from_counties([county])\n"
        "result = ee.evaluate(county, 'cn-quality-2017')\n"
        "tables = [result.to_arrow(n) for n in ('counties', 'schools', 'findings', "
        "'data_warnings')]\n"
        "assert tables[1].num_rows > 0"
    )
    loaded = loaded_after(code)
    assert "eduequity" in loaded
    assert "pandas" not in loaded


@pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None, reason="pandas is not installed: nothing to load"
)
def test_monitoring_loads_no_pandas(tmp_path: Path) -> None:
    """``eduequity monitor`` over two years, with its page and its tables as CSV in Chinese
    (the panel, slides, early warnings, summary and the schools that opened or closed),
    converts nothing through pandas."""
    import pyarrow.parquet as pq

    from eduequity import batch, datasets

    table = batch.table_from_counties([datasets.sample_county()])
    paths = [tmp_path / "2022.parquet", tmp_path / "2023.parquet"]
    pq.write_table(table, paths[0])
    pq.write_table(table.slice(1), paths[1])  # a school closed
    arguments = ["monitor", *map(str, paths), "--standard", "cn-quality-2017"]
    arguments += ["--format", "html", "--tables", "csv", "--lang", "zh"]
    arguments += ["--out", str(tmp_path / "out")]
    loaded = loaded_after_command(arguments)
    assert "eduequity" in loaded
    assert "pandas" not in loaded
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"monitor.html", "panel.csv", "school_changes.csv"} <= written


@pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None, reason="pandas is not installed: nothing to load"
)
@pytest.mark.parametrize(
    "arguments",
    [
        ["stage_sheets.xlsx", "--sheet", "all"],  # a school on both sheets is one school
        ["township_codes.csv", "--county-digits", "6"],  # township codes cut to the county
    ],
)
def test_reading_an_office_file_loads_no_pandas(arguments: list[str]) -> None:
    """Reading a workbook of one sheet per stage, or codes to cut to the county's, converts
    nothing through pandas."""
    office = Path(__file__).resolve().parents[1] / "data" / "office"
    command = ["evaluate", str(office / arguments[0]), *arguments[1:]]
    command += ["--standard", "cn-quality-2017"]
    loaded = loaded_after_command(command)
    assert "eduequity" in loaded
    assert "pandas" not in loaded
