"""The corpus of real-world-shaped inputs in tests/data, each with its expected outcome: the
command line's exit code and what it says (tests/data/expectations.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eduequity._cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
CASES: list[dict[str, Any]] = json.loads((DATA / "expectations.json").read_text(encoding="utf-8"))[
    "cases"
]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_corpus_file_gives_its_expected_outcome(
    case: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file of the corpus gives its exit code and says what is expected, in one line."""
    monkeypatch.chdir(DATA)
    args = [a.replace("{file}", case["file"]) for a in case["args"]]
    assert main(args) == case["exit"]
    said = capsys.readouterr()
    assert case["output"] in said.out + said.err
    assert "Traceback" not in said.err


def test_every_corpus_file_has_a_case() -> None:
    """No file of the corpus is left without its expected outcome."""
    files = {p.name for p in DATA.iterdir() if p.is_file()} - {"expectations.json"}
    assert files == {c["file"] for c in CASES}
