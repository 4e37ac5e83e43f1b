"""Golden tests: the worked example of the official method sheet.

Source: 县域义务教育校际均衡指标计算方法 (the national method sheet accompanying 教督〔2012〕3号),
books per student in five primary schools. The sheet publishes CV = 0.52 from rounded steps;
recomputed unrounded from its inputs: mean 6.33444, standard deviation 3.26386, CV 0.51526.
"""

from __future__ import annotations

import math

import eduequity as ee

ENROLLMENT = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]
# The sheet's column of books per student, as printed (rounded to 2 decimals).
PRINTED_PER_STUDENT = [6.20, 3.70, 10.51, 2.11, 7.31]


def _values() -> list[float]:
    return [b / p for b, p in zip(BOOKS, ENROLLMENT, strict=True)]


def test_per_student_values_match_the_printed_column() -> None:
    """The per-school values round to the sheet's printed column."""
    assert [ee.round_half_up(v, 2) for v in _values()] == PRINTED_PER_STUDENT


def test_weighted_cv_matches_recomputed_and_published_figures() -> None:
    """weighted_cv gives 0.51526 unrounded and the published 0.52 at two decimals."""
    cv = ee.weighted_cv(_values(), ENROLLMENT)
    assert round(cv, 5) == 0.51526
    assert ee.round_half_up(cv, 2) == 0.52


def test_mean_and_std_match_recomputed_figures() -> None:
    """The weighted mean is total books / total students, 6.33444; S is 3.26386."""
    m = ee.grouped_weighted_moments(_values(), ENROLLMENT, [0] * 5)
    assert round(float(m.mean[0]), 5) == 6.33444
    assert math.isclose(float(m.mean[0]), 1913 / 302, rel_tol=1e-15)
    assert round(float(m.std[0]), 5) == 3.26386


def test_unweighted_forms_differ_from_the_official_figure() -> None:
    """The unweighted population (0.48877) and sample (0.54646) CVs are not the official one."""
    x = _values()
    mean = sum(x) / 5
    pop = math.sqrt(sum((v - mean) ** 2 for v in x) / 5) / mean
    sample = math.sqrt(sum((v - mean) ** 2 for v in x) / 4) / mean
    assert (round(pop, 5), round(sample, 5)) == (0.48877, 0.54646)
    assert round(ee.weighted_cv(x, ENROLLMENT), 5) not in (round(pop, 5), round(sample, 5))


def test_county_of_five_schools_gives_the_same_cv() -> None:
    """Through County and evaluate, the books-per-student CV of the five schools is 0.51526."""
    schools = [
        ee.School(id=f"小学{i + 1}", kind="primary", primary=ee.StageData(enrollment=p), books=b)
        for i, (p, b) in enumerate(zip(ENROLLMENT, BOOKS, strict=True))
    ]
    county = ee.County(code="000001", name="method sheet", schools=schools)
    result = ee.evaluate(county, "cn-basic-2012")
    books = result.stages["primary"].cvs["books_per_student"]
    assert books.status is ee.Status.PASSED
    assert books.cv is not None
    assert round(books.cv, 5) == 0.51526
    assert books.cv == ee.weighted_cv(_values(), ENROLLMENT)
    # The other seven inputs were not reported: the composite is not evaluated, never passed.
    assert result.stages["primary"].composite_cv is None
    assert result.stages["primary"].status is ee.Status.NOT_EVALUATED
    assert result.components["school_balance"].status is ee.Status.NOT_EVALUATED
