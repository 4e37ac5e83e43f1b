"""The command line: demo and standards."""

from __future__ import annotations

import pytest

from eduequity.cli import main


def test_demo_prints_the_verdict_first(capsys: pytest.CaptureFixture[str]) -> None:
    """`eduequity demo` evaluates the sample county and prints verdict, components and CVs."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Synthetic sample county" in out
    assert out.index("Verdict:") < out.index("Components:") < out.index("composite CV")
    assert "990101-PS06: private schools are not evaluated" in out


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
    each = {"en": "each CV (max 0.5)", "zh": "各项差异系数 (上限 0.5)"}[lang]
    assert (each in out) == (standard != "cn-basic-2012")


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
