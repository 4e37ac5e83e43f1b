"""Which schools moved a coefficient: each school's part of a change between two years."""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["change_by_school"]


def change_by_school(
    before: Mapping[str, tuple[float, float]], after: Mapping[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    r"""Each school's part of the change of the enrollment-weighted variance and CV of one
    indicator between two years.

    Parameters
    ----------
    before, after : mapping of str to (value, enrollment)
        Each school's indicator value :math:`x_i` and enrollment :math:`P_i` in each year;
        a school absent from a year (opened or closed) is absent from that mapping.

    Returns
    -------
    dict of str to (float, float)
        Per school, its part of the change of the variance and of the CV.

    Notes
    -----
    In a year, with :math:`w_i = P_i / \sum P` and mean :math:`\bar x`, school :math:`i`
    holds :math:`v_i = w_i (x_i - \bar x)^2` of the variance :math:`S^2 = \sum_i v_i`, and
    :math:`v_i / \bar x^2` of :math:`\mathrm{CV}^2`; a school absent from the year holds 0.
    Its part of the change of the variance is :math:`v_i' - v_i`, and of the CV
    :math:`(v_i'/\bar x'^2 - v_i/\bar x^2) / (\mathrm{CV} + \mathrm{CV}')`, since
    :math:`\mathrm{CV}'^2 - \mathrm{CV}^2 = (\mathrm{CV}' - \mathrm{CV})(\mathrm{CV}' +
    \mathrm{CV})`. The parts sum exactly to the changes (up to rounding), and each is a
    difference of two non-negative shares of the spread, computed in two passes.

    A part measures how a school's share of the spread changed, not what it did: when the
    mean moves, a school that did not change moves away from it or toward it and its part is
    not 0 (a school far above a falling mean gains a share).

    Examples
    --------
    A school of 100 pupils with 2 books per pupil opens beside two of 100 pupils with 5 and 7:
    it holds most of the rise; the school of 5, now near the mean, gives up a little.

    >>> parts = change_by_school({"A": (5.0, 100), "B": (7.0, 100)},
    ...                          {"A": (5.0, 100), "B": (7.0, 100), "C": (2.0, 100)})
    >>> {k: round(v[1], 4) for k, v in parts.items()}
    {'A': -0.0201, 'B': 0.1144, 'C': 0.1793}
    >>> round(sum(v[1] for v in parts.values()), 4)   # the CV went from 0.1667 to 0.4403
    0.2736
    """

    def shares(year: Mapping[str, tuple[float, float]]) -> tuple[dict[str, float], float, float]:
        total = sum(p for _, p in year.values())
        mean = sum(x * p for x, p in year.values()) / total
        parts = {k: p / total * (x - mean) ** 2 for k, (x, p) in year.items()}
        return parts, mean, math.sqrt(sum(parts.values())) / mean

    v1, m1, cv1 = shares(before)
    v2, m2, cv2 = shares(after)
    out = {}
    for school in dict.fromkeys([*before, *after]):
        a, b = v1.get(school, 0.0), v2.get(school, 0.0)
        cv_part = (b / m2**2 - a / m1**2) / (cv1 + cv2) if cv1 + cv2 > 0 else 0.0
        out[school] = (b - a, cv_part)
    return out
