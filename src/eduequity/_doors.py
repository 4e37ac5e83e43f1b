"""The top-level doors that take what a user has: a county, or a table of schools.

:func:`plan` is the county planner for a :class:`~eduequity.County` and
:func:`eduequity.batch.plan_table` for anything :func:`~eduequity.batch.evaluate_table` reads
(a path to a CSV, Excel or Parquet file, an Arrow table, a frame), with the same reading
options (``sheet``, ``header_row``, ``columns``, ``encoding``, ``county_digits``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from eduequity._models import County
from eduequity._standard_given import standard_given

if TYPE_CHECKING:
    from eduequity._planning import Plan
    from eduequity._planning.costs import Costs
    from eduequity.batch import BatchPlan
    from eduequity.standards._model import Standard

__all__ = ["plan"]


@overload
def plan(
    source: County,
    standard: str | Standard | None = ...,
    *,
    costs: Costs | Mapping[str, Any] | str | Path | None = ...,
    budget_per_year: float | None = ...,
    transfers: bool = ...,
    upgrade: bool = ...,
) -> Plan: ...


@overload
def plan(
    source: Any,
    standard: str | Standard | None = ...,
    *,
    costs: Costs | Mapping[str, Any] | str | Path | None = ...,
    budget_per_year: float | None = ...,
    transfers: bool = ...,
    upgrade: bool = ...,
    county_inputs: Any = ...,
    nulls: str | None = ...,
    encoding: str | None = ...,
    sheet: int | str | Sequence[int | str] | None = ...,
    header_row: int | None = ...,
    columns: Any = ...,
    county_digits: int | None = ...,
) -> BatchPlan: ...


def plan(
    source: Any,
    standard: str | Standard | None = None,
    *,
    costs: Costs | Mapping[str, Any] | str | Path | None = None,
    budget_per_year: float | None = None,
    transfers: bool = False,
    upgrade: bool = False,
    **reading: Any,
) -> Plan | BatchPlan:
    """What a county, or every county of a table, must add to pass, verified: the least for
    the minimums and the 2017 school rule, and for a CV bound where no school spans two stages
    (what is proven and measured: :doc:`/planning`).

    Parameters
    ----------
    source : County, or a table of schools
        A :class:`~eduequity.County` gives its :class:`~eduequity.Plan`. A path (CSV, Excel,
        Parquet), an Arrow table or a
        frame gives the :class:`~eduequity.batch.BatchPlan` of every county in it
        (:func:`eduequity.batch.plan_table`), read as :func:`~eduequity.batch.read_schools`
        reads it.
    standard : str or Standard
        The standard to pass (see :func:`~eduequity.list_standards`). Name it: without it,
        ``plan`` applies ``"cn-quality-2017"`` until 0.3 with a :class:`FutureWarning` and refuses
        in 0.3 (no entry point chooses a standard for its caller).
    costs : Costs, mapping, or path of a TOML file, optional
        Unit costs with their sources (:func:`~eduequity.load_costs`). Without them, resources
        of different units are compared by their share of the county's current total, and the
        tables have no cost.
    budget_per_year : float, optional
        Yuan the county spends a year: with costs, the plan is staged (分阶段推进), schools
        furthest below first; ``years`` gives the year each stage first passes and
        ``additions`` the ``year`` of each row.
    transfers : bool, default False
        Meet teacher needs by moving teachers between the county's schools first (交流轮岗),
        then hire what remains; ``transfers`` lists the moves.
    upgrade : bool, default False
        Meet the teachers above the qualification, with an intermediate title or of backbone
        status by existing teachers gaining them (学历提升, 职称评定, 骨干评定) before hiring;
        the rows say ``upgrade``.
    **reading
        For a table: ``county_inputs``, ``nulls``, ``encoding``, ``sheet``, ``header_row``,
        ``columns``, ``county_digits`` (:func:`~eduequity.batch.evaluate_table`).

    Examples
    --------
    >>> import eduequity as ee
    >>> county = ee.datasets.sample_county()
    >>> ee.plan(county, "cn-quality-2017").passes
    True
    >>> table = ee.batch.table_from_counties([county])
    >>> ee.plan(table, "cn-quality-2017").counties.column("passes_after").to_pylist()
    [True, True]
    """
    standard = standard_given(standard, "plan", "cn-quality-2017")
    if isinstance(source, County):
        if reading:
            from eduequity._errors import DataError

            raise DataError(
                f"plan: {sorted(reading)} read a table of schools; a County is read already."
            )
        from eduequity._planning import plan as plan_county

        return plan_county(
            source,
            standard,
            costs=costs,
            budget_per_year=budget_per_year,
            transfers=transfers,
            upgrade=upgrade,
        )
    from eduequity.batch import plan_table

    return plan_table(
        source,
        standard,
        costs=costs,
        budget_per_year=budget_per_year,
        transfers=transfers,
        upgrade=upgrade,
        **reading,
    )
