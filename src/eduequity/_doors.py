"""The top-level doors that take what a user has: a county, or a table of schools.

:func:`evaluate` and :func:`plan` are the county's evaluation and plan for a
:class:`~eduequity.County`, and :func:`eduequity.batch.evaluate_table` and
:func:`eduequity.batch.plan_table` for anything ``evaluate_table`` reads (a path to a CSV,
Excel or Parquet file, an Arrow table, a frame), with the same reading options (``sheet``,
``header_row``, ``columns``, ``encoding``, ``county_digits``).
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
    from eduequity._results import EvaluationResult
    from eduequity.batch import BatchPlan, BatchResult
    from eduequity.standards._model import Standard

__all__ = ["evaluate", "plan"]


@overload
def evaluate(county: County, standard: str | Standard | None = ...) -> EvaluationResult: ...


@overload
def evaluate(
    county: Any,
    standard: str | Standard | None = ...,
    *,
    county_inputs: Any = ...,
    nulls: str | None = ...,
    encoding: str | None = ...,
    sheet: int | str | Sequence[int | str] | None = ...,
    header_row: int | None = ...,
    columns: Any = ...,
    county_digits: int | None = ...,
) -> BatchResult: ...


def evaluate(
    county: Any, standard: str | Standard | None = None, **reading: Any
) -> EvaluationResult | BatchResult:
    """Evaluate ``county`` against ``standard`` and explain every verdict.

    Parameters
    ----------
    county : County, or a table of schools
        The county, with every school of its census; the standard's scope decides which count.
        A path (CSV, Excel, Parquet), an Arrow table or a frame gives the
        :class:`~eduequity.batch.BatchResult` of every county in it
        (:func:`eduequity.batch.evaluate_table`), as :func:`eduequity.plan` gives the plan of
        every county of a table.
    standard : str or Standard
        A built-in standard id (see :func:`eduequity.list_standards`) or a :class:`Standard`,
        e.g. one with a province's basic school standard plugged in. Name it: without it,
        ``evaluate`` applies ``"cn-basic-2012"`` until 0.3 with a :class:`FutureWarning` and
        refuses in 0.3 (no entry point chooses a standard for its caller).
    **reading
        For a table: ``county_inputs``, ``nulls``, ``encoding``, ``sheet``, ``header_row``,
        ``columns``, ``county_digits`` (:func:`~eduequity.batch.evaluate_table`).

    Returns
    -------
    EvaluationResult, or BatchResult for a table
        Per stage the CVs, composite and verdict; per component the findings; every input school
        with its status; an overall status that is ``passed`` only if every component was
        evaluated and passed.

    Raises
    ------
    UnknownNameError
        For an unknown standard id.
    DataError
        If ``reading`` options are given with a :class:`County` (it is read already), or as
        :func:`~eduequity.batch.evaluate_table` raises for a table.

    Notes
    -----
    The county becomes a table of schools carrying its inputs
    (:func:`eduequity.batch.table_from_counties`), read and validated as the columnar door
    reads a table, and :func:`eduequity.rules.run` decides every verdict: the result's tables
    (:meth:`~eduequity.EvaluationResult.to_arrow`) are those
    :func:`eduequity.batch.evaluate_table` gives for that table. For many counties, evaluate
    them together there rather than one by one here.

    Examples
    --------
    >>> import eduequity as ee
    >>> result = ee.evaluate(ee.datasets.sample_county(), "cn-basic-2012")
    >>> result.stages["primary"].composite_cv is not None
    True
    """
    std = standard_given(standard, "evaluate", "cn-basic-2012")
    if not isinstance(county, County):  # a table of schools, as plan takes one
        from eduequity.batch import evaluate_table

        return evaluate_table(county, std, **reading)
    if reading:
        from eduequity._errors import DataError

        raise DataError(
            f"evaluate: {sorted(reading)} read a table of schools; a County is read already."
        )
    from eduequity._evaluate import evaluate as evaluate_county

    return evaluate_county(county, std)


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
