"""Golden tests: published composite CVs of county evaluations under 教督〔2012〕3号.

Each row is the 8 indicator CVs as published (rounded to 3 decimals, in the order of the national
tables) and the published composite (综合差异系数), for 合肥市庐阳区 (primary), 重庆市永川区
(primary) and 长春市南关区 (junior), from the national supervision reports of their basic-balance
recognition. The composite is the mean of the *unrounded* CVs, rounded to 3 decimals for display.
"""

from __future__ import annotations

import pytest

import eduequity as ee

ROWS = {
    "合肥庐阳区 primary": ([0.881, 1.299, 0.977, 0.379, 0.170, 0.334, 0.286, 0.408], 0.592),
    "重庆永川区 primary": ([0.696, 0.916, 0.819, 0.580, 0.450, 0.286, 0.285, 0.470], 0.562),
    "长春南关区 junior": ([0.433, 0.464, 0.334, 0.318, 0.433, 0.362, 0.368, 0.335], 0.381),
}


@pytest.mark.parametrize("row", ["合肥庐阳区 primary", "长春南关区 junior"])
def test_composite_of_published_cvs_matches_published_composite(row: str) -> None:
    """The mean of the published CVs, rounded half up to 3 decimals, is the published figure."""
    cvs, published = ROWS[row]
    assert ee.round_half_up(ee.composite_cv(cvs), 3) == published


def test_yongchuan_shows_the_official_figure_averages_unrounded_cvs() -> None:
    """永川: the mean of the rounded CVs is 0.56275 (0.563), yet 0.562 was published.

    Unrounded CVs within half a unit of the printed ones can average below 0.5625: the published
    composite is consistent with averaging unrounded CVs and not with averaging rounded ones.
    """
    cvs, published = ROWS["重庆永川区 primary"]
    assert round(ee.composite_cv(cvs), 5) == 0.56275
    assert ee.round_half_up(ee.composite_cv(cvs), 3) != published
    lowest_possible = ee.composite_cv([c - 0.0005 for c in cvs])
    assert lowest_possible < published + 0.0005  # the published 0.562 is reachable


@pytest.mark.parametrize("row", list(ROWS))
def test_single_cvs_are_not_capped(row: str) -> None:
    """Single CVs above 1 (庐阳 sports area, 1.299) enter the composite as they are."""
    cvs, _ = ROWS[row]
    assert ee.composite_cv(cvs) * len(cvs) == pytest.approx(sum(cvs), rel=1e-15)
