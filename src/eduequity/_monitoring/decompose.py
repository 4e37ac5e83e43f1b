"""Which schools moved a coefficient: each school's part of a change between two years."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from eduequity._arrow import of_type, scalar
from eduequity._errors import DataError
from eduequity.metrics import weighted_cv

__all__ = ["change_by_school", "school_contributions"]


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
    In a year the CV is a function of three sums over the schools: :math:`A = \sum P_i`,
    :math:`B = \sum P_i x_i` and :math:`C = \sum P_i x_i^2`, with mean :math:`m = B/A`,
    second moment :math:`q = C/A`, variance :math:`V = q - m^2` and
    :math:`\mathrm{CV} = \sqrt V / m`. Between the years, school :math:`i` adds
    :math:`a_i = P_i' - P_i`, :math:`b_i = P_i'x_i' - P_i x_i` and
    :math:`c_i = P_i'x_i'^2 - P_i x_i^2` to them (a school absent from a year counts as
    :math:`P = 0` there), so the changes of the sums are the sums of the schools' changes.
    Each ratio's change is split by the exact identity, symmetric in the two years,

    .. math::

        \frac{N'}{D'} - \frac{N}{D} = \frac{2\,\Delta N - (N/D + N'/D')\,\Delta D}{D + D'},

    which is linear in :math:`(\Delta N, \Delta D)`: school :math:`i`'s part of the change of
    the mean is :math:`\mu_i` (with :math:`N = B`, increments :math:`b_i, a_i`), of the second
    moment :math:`\kappa_i` (with :math:`N = C`, increments :math:`c_i, a_i`). Then
    :math:`\Delta V = \Delta q - (m + m')\,\Delta m` gives the variance's part
    :math:`\nu_i = \kappa_i - (m + m')\mu_i`. The parts do not depend on the origin of the
    values, so they are computed about the midpoint of the two means, where
    :math:`m + m' = 0` and :math:`\nu_i = \kappa_i` (no cancellation).
    :math:`\Delta\sqrt V = \Delta V / (\sqrt V + \sqrt{V'})` gives the standard deviation's
    part, and the same identity applied to :math:`\mathrm{CV} = \sqrt V / m` the CV's.

    The parts sum exactly to the changes (up to rounding), and **a school that did not change
    (same value, same enrollment) has a part of exactly 0**: the change is attributed to the
    schools that opened, closed or changed, each in proportion to what it added to the three
    sums. A part may be negative (a school that caught up narrowed the spread).

    The rounding error of the sum of the CV's parts grows with how far the mean moved against
    the spread: up to a few hundred times :math:`\epsilon\,(\Delta m)^2 / ((\sqrt V +
    \sqrt{V'})(m + m'))`, with :math:`\epsilon` the double-precision rounding unit. From one
    census to the next (means within a factor of two, CVs of counties) this is far below
    1e-12 of the CV; it shows only when a year's schools are equal to many digits (a CV near
    0, where the square root is singular) while the mean moves.

    Examples
    --------
    A school of 100 pupils with 2 books per pupil opens beside two of 100 pupils with 5 and 7
    that do not change: the whole rise of the CV is the new school's.

    >>> parts = change_by_school({"A": (5.0, 100), "B": (7.0, 100)},
    ...                          {"A": (5.0, 100), "B": (7.0, 100), "C": (2.0, 100)})
    >>> {k: round(v[1], 4) for k, v in parts.items()}
    {'A': 0.0, 'B': 0.0, 'C': 0.2736}
    >>> round(sum(v[1] for v in parts.values()), 4)   # the CV went from 0.1667 to 0.4403
    0.2736
    """

    def moments(year: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
        total = math.fsum(p for _, p in year.values())
        return total, math.fsum(p * x for x, p in year.values()) / total

    def about(year: Mapping[str, tuple[float, float]], k: float, total: float) -> float:
        """The second moment about ``k`` (two passes: no cancellation)."""
        return math.fsum(p * (x - k) ** 2 for x, p in year.values()) / total

    def ratio_part(n0: float, d0: float, n1: float, d1: float, dn: float, dd: float) -> float:
        """A school's part (increments ``dn``, ``dd``) of the change of ``n/d``."""
        return (2 * dn - (n0 / d0 + n1 / d1) * dd) / (d0 + d1)

    a0, m0 = moments(before)
    a1, m1 = moments(after)
    # The CVs as the panel gives them (0.0 exactly for one school or equal values).
    cv0, cv1 = (
        weighted_cv([x for x, _ in y.values()], [p for _, p in y.values()]) for y in (before, after)
    )
    sd0, sd1 = cv0 * m0, cv1 * m1
    # About the midpoint of the two means the term (m + m') of the variance's part is 0, and
    # the second moments are sums of squares: the parts sum to V' - V without cancellation.
    k = (m0 + m1) / 2
    q0, q1 = about(before, k, a0), about(after, k, a1)
    out = {}
    for school in dict.fromkeys([*before, *after]):
        x0, p0 = before.get(school, (0.0, 0.0))
        x1, p1 = after.get(school, (0.0, 0.0))
        da, db = p1 - p0, p1 * x1 - p0 * x0
        dc = p1 * (x1 - k) ** 2 - p0 * (x0 - k) ** 2
        mean = ratio_part(m0 * a0, a0, m1 * a1, a1, db, da)
        variance = ratio_part(q0 * a0, a0, q1 * a1, a1, dc, da)
        sd = variance / (sd0 + sd1) if sd0 + sd1 > 0 else 0.0
        out[school] = (variance, ratio_part(sd0, m0, sd1, m1, sd, mean))
    return out


def school_contributions(
    schools: Mapping[int, pa.Table],
    county_code: str,
    stage: str,
    indicator: str,
    before: int,
    after: int,
) -> pa.Table:
    """Which schools moved one CV of one county and stage between two years, from each year's
    schools table (:attr:`eduequity.batch.BatchResult.schools`): per school (those of either
    year), its value and enrollment in each year and its part of the change of the variance
    and of the CV (``change_by_school``; the parts sum to the change)."""
    years = {}
    for year in (before, after):
        table = schools[year]
        column = f"value_{indicator}"
        if column not in table.column_names:
            raise DataError(f"monitor: {indicator!r} is not an indicator of the standard.")
        mine = pc.and_(
            pc.and_(
                pc.equal(table.column("county_code"), scalar(county_code, pa.string())),
                pc.equal(table.column("stage"), scalar(stage, pa.string())),
            ),
            table.column("included"),
        )
        rows = (
            table.filter(pc.fill_null(mine, scalar(False, pa.bool_())))
            .select(["school_id", "enrollment", column])
            .to_pylist()
        )
        lacking = [r["school_id"] for r in rows if r[column] is None]
        if lacking:
            named = ", ".join(repr(i) for i in lacking[:5]) + (" …" if len(lacking) > 5 else "")
            raise DataError(
                f"monitor: {len(lacking)} school(s) of {county_code} ({stage}) lack {indicator} "
                f"in {year} ({named}): no school's part of the change can be computed.",
                zh=f"monitor：{year} 年 {county_code}（{stage}）有 {len(lacking)} 所学校缺少 "
                f"{indicator}（{named}），无法计算各校对变化的贡献。",
            )
        years[year] = {r["school_id"]: (r[column], r["enrollment"]) for r in rows}
    if not years[before] or not years[after]:
        raise DataError(f"monitor: {county_code} has no {stage} school in one of the years.")
    parts = change_by_school(years[before], years[after])
    ids = list(parts)

    def of(year: int, k: int) -> list[float | None]:
        return [years[year][i][k] if i in years[year] else None for i in ids]

    return pa.table(
        {
            "school_id": of_type(ids, pa.string()),
            "value_before": of_type(of(before, 0), pa.float64()),
            "value_after": of_type(of(after, 0), pa.float64()),
            "enrollment_before": of_type(of(before, 1), pa.float64()),
            "enrollment_after": of_type(of(after, 1), pa.float64()),
            "change_variance": of_type([parts[i][0] for i in ids], pa.float64()),
            "change_cv": of_type([parts[i][1] for i in ids], pa.float64()),
        }
    )
