"""The documentation's examples run as written (the docs build runs them too, with sphinx)."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p for p in DOCS.glob("*.rst") if ">>>" in p.read_text(encoding="utf-8"))


def test_the_pages_with_examples_are_found() -> None:
    """The pages whose examples the suite runs include the guide, formulas and getting started."""
    assert {p.name for p in PAGES} >= {"getting-started.rst", "guide.rst", "formulas.rst"}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_examples_run(page: Path) -> None:
    """Every ``>>>`` line of the page gives the output shown."""
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        encoding="utf-8",
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_standards_page_lists_every_rule_with_its_source(tmp_path: Path) -> None:
    """The generated standards page has each minimum and county item with its confidence."""
    sys.path.insert(0, str(DOCS))
    try:
        from standards_page import write_standards_page  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(DOCS))
    from eduequity.standards import get_standard

    out = tmp_path / "standards.rst"
    write_standards_page(out)
    text = out.read_text(encoding="utf-8")
    q = get_standard("cn-quality-2017")
    assert q.school_standard is not None
    for item in q.county_items:
        assert f"   * - {item.id}\n" in text
    # 2017 and Jiangsu: the primary and junior minimums and the CV rule each
    assert text.count("* - teachers_backbone_per_100_students") == 6


def test_the_guides_ruleset_example_loads(tmp_path: Path) -> None:
    """The TOML ruleset shown in the user guide loads as written, citing its own source."""
    import textwrap

    import eduequity as ee

    text = (DOCS / "guide.rst").read_text(encoding="utf-8")
    block = text.split(".. code-block:: toml\n\n", 1)[1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith("   "):
            break
        lines.append(line)
    path = tmp_path / "ruleset.toml"
    path.write_text(textwrap.dedent("\n".join(lines)), encoding="utf-8")
    standard = ee.load_ruleset(path)
    assert standard.id == "my-province-quality"
    assert standard.class_size is not None
    assert standard.class_size.citation.document == "某教督〔2020〕1号"
    assert standard.class_size.citation.clause == ""
