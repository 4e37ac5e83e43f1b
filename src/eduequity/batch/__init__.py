"""The columnar door: evaluate whole provinces or the nation from one table of schools.

::

    from eduequity import batch
    out = batch.evaluate_table("schools-2024.parquet", standard="cn-quality-2017")
    out.counties   # one row per county x stage: every CV, the composite, the verdicts
    out.schools    # one row per input school and stage part: indicators, checks, shortfalls
    out.findings   # long format, one row per finding, with its citation (codes, no prose)
    out.findings_for(counties=["320102"])   # the same rows of some counties, with messages
    plan = batch.plan_table("schools-2024.parquet", standard="cn-quality-2017")
    plan.additions # what each school must add to pass, verified by evaluating again

Input: a :class:`pyarrow.Table`, a :class:`pyarrow.RecordBatchReader`, any object with
``__arrow_c_stream__`` (polars, pandas >= 2.2, DuckDB results), or a path to a Parquet or CSV
file. One row per school, with the columns of :data:`~eduequity.batch.COLUMNS`.

The table is validated once, at entry (the validator); every problem is
reported in one :class:`~eduequity.DataError` that counts the bad rows and names the
first school ids. The columns then go through the one pipeline (:func:`eduequity.rules.run`),
as the schools of :func:`eduequity.evaluate` do.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa

from eduequity import _display, _display_html
from eduequity._column_labels import ColumnLabel, column_label
from eduequity._county_inputs import COUNTY_INPUTS
from eduequity._errors import ArgumentError, DataError
from eduequity._evaluate import result_of
from eduequity._findings import findings_table
from eduequity._planning.chunks import PlanOutputs, plan_in_chunks
from eduequity._planning.costs import Costs, load_costs
from eduequity._planning.result import PlanTables
from eduequity._planning.staged import Schedule
from eduequity._planning.verify import PlanArrays, plan_evaluation
from eduequity._read_record import ReadRecord
from eduequity._results import EvaluationResult
from eduequity._schema import COLUMNS, RESOURCE_NAMES
from eduequity._standard_given import standard_given
from eduequity._status import Status
from eduequity._table_files import display_table, write_tables
from eduequity._tables import evaluation_table
from eduequity._template import column_reference, write_template
from eduequity.batch._columnmap import ColumnMap, map_template
from eduequity.batch._counties import table_from_counties
from eduequity.batch._door import NULLS_KEY, Reading, ValidTable, _read
from eduequity.batch._equity import equity_table
from eduequity.batch._inputs import (
    INPUTS_KEY,
    CountyInputsRead,
    carried_inputs,
    county_inputs_reference,
    inputs_from_counties,
    read_county_inputs,
    write_county_inputs_template,
)
from eduequity.batch._inputs import county_inputs as _county_inputs
from eduequity.batch._problems import Problems
from eduequity.batch._read import read_table
from eduequity.batch._reading import SchoolsRead, read_schools
from eduequity.batch._validate import NULL_POLICIES
from eduequity.report._compact import compact_html
from eduequity.rules._columns import SchoolColumns
from eduequity.rules._consistency import consistency_checks
from eduequity.rules._pipeline import Evaluation, run
from eduequity.standards._model import Standard

__all__ = [
    "COLUMNS",
    "COUNTY_INPUTS",
    "INPUTS_KEY",
    "NULLS_KEY",
    "NULL_POLICIES",
    "RESOURCE_NAMES",
    "BatchPlan",
    "BatchResult",
    "ColumnLabel",
    "ColumnMap",
    "CountyInputsRead",
    "ReadRecord",
    "Reading",
    "SchoolsRead",
    "ValidTable",
    "carried_inputs",
    "check_consistency",
    "column_label",
    "column_reference",
    "contradictions",
    "county_inputs_reference",
    "display_table",
    "equity_table",
    "evaluate_table",
    "findings_table",
    "inputs_from_counties",
    "map_template",
    "plan_in_chunks",
    "plan_table",
    "read_county_inputs",
    "read_schools",
    "read_table",
    "table_from_counties",
    "validate_table",
    "write_county_inputs_template",
    "write_tables",
    "write_template",
]


@attrs.frozen(eq=False)
class BatchResult:
    """The evaluation of every county of a school table (see :func:`evaluate_table`).

    Attributes
    ----------
    counties : pyarrow.Table
        One row per county and stage.
    schools : pyarrow.Table
        One row per stage part of each in-scope school and one per excluded school: every input
        school appears.
    findings : pyarrow.Table
        One row per finding: codes, values and citations, without messages (built on first
        access); :meth:`findings_for` adds the messages to the rows asked for.
    standard : Standard
        The standard the counties were evaluated against.
    evaluation : Evaluation
        The pipeline's evaluation the tables are views of.
    """

    evaluation: Evaluation
    #: What was read (:class:`~eduequity.batch.ReadRecord`), where the evaluation
    #: read a table.
    read: ReadRecord | None = attrs.field(default=None, kw_only=True)

    @property
    def standard(self) -> Standard:
        """The standard the counties were evaluated against."""
        return self.evaluation.standard

    @cached_property
    def counties(self) -> pa.Table:
        """One row per county and stage (see ``eduequity._tables``)."""
        return evaluation_table(self.evaluation, "counties")

    @cached_property
    def schools(self) -> pa.Table:
        """One row per stage part of each included school and per excluded school."""
        return evaluation_table(self.evaluation, "schools")

    @cached_property
    def data_warnings(self) -> pa.Table:
        """Figures in the data that cannot all be right, one row per school, stage and
        contradiction (more classes than students, more senior teachers than teachers...):
        for the data owner to check, not used by the verdicts."""
        return evaluation_table(self.evaluation, "data_warnings")

    @property
    def warnings(self) -> pa.Table:
        """The former name of :attr:`data_warnings` (deprecated; removed in 0.3)."""
        warnings.warn(
            "BatchResult.warnings is renamed BatchResult.data_warnings (contradictions in the "
            "data; the early warnings of a slide are Monitoring.early_warnings). The old name "
            "is removed in 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.data_warnings

    @cached_property
    def findings(self) -> pa.Table:
        """Every finding, long format, with its citation (no messages: see
        :meth:`findings_for`)."""
        return evaluation_table(self.evaluation, "findings")

    def findings_for(
        self,
        counties: Sequence[str] | None = None,
        statuses: Iterable[Status | str] | None = None,
        *,
        messages: bool = True,
    ) -> pa.Table:
        """The findings of some counties and statuses, with their messages in Chinese and
        English (``message_zh``, ``message_en``).

        Parameters
        ----------
        counties : sequence of str, optional
            County codes (default: every county).
        statuses : iterable of Status or str, optional
            E.g. ``["failed", "not_evaluated"]`` (default: every status).
        messages : bool, default True
            Add the messages (about a microsecond or two each: ask for the rows you read).
        """
        return findings_table(
            self.evaluation, counties=counties, statuses=statuses, messages=messages
        )

    def result(self, county: str | int) -> EvaluationResult:
        """One county as :func:`eduequity.evaluate` presents it: an
        :class:`~eduequity.EvaluationResult` with its stages, its components and their
        findings, every school with its status and what each must add.

        The county's schools are evaluated again on their own, with its county inputs: every
        rule works within a county, so the verdicts are those of its rows of :attr:`counties`.

        Parameters
        ----------
        county : str or int
            A county code of the table (as :attr:`counties` writes it; ``431102`` is read as
            ``"431102"``).

        Raises
        ------
        ArgumentError
            For a code the table does not have.

        Examples
        --------
        >>> import eduequity as ee
        >>> out = evaluate_table(table_from_counties([ee.datasets.sample_county()]),
        ...                      "cn-quality-2017")
        >>> one = out.result("990101")
        >>> one.status.value == out.counties.column("county_status")[0].as_py()
        True
        """
        ev = self.evaluation
        codes = ev.columns.county_code.to_pylist()
        if isinstance(county, int) and not isinstance(county, bool):  # codes are text
            county = str(county)
        if county not in codes:
            near = difflib.get_close_matches(str(county), [str(c) for c in codes], n=3)
            raise ArgumentError(
                f"BatchResult.result: the table has no county {county!r}"
                + (f"; did you mean {', '.join(near)}?" if near else "")
                + f" ({len(codes)} counties: {', '.join(codes[:5])}"
                + (", …)" if len(codes) > 5 else ")")
            )
        c = codes.index(county)
        inputs = {
            item.input: ev.county_items.value[k, c : c + 1]
            for k, item in enumerate(ev.standard.county_items)
        }
        return result_of(run(ev.standard, ev.columns.of_counties(c, c + 1), inputs))

    def _repr_html_(self) -> str:
        """Compact notebook display: the tally of verdicts and the first counties."""
        return compact_html(self)

    __repr__ = _display.batch_result_repr
    __arrow_c_stream__ = _display.stream_of("counties")


def validate_table(
    source: Any,
    *,
    county_inputs: Any = None,
    nulls: str | None = None,
    encoding: str | None = None,
    sheet: int | str | Sequence[int | str] | None = None,
    header_row: int | None = None,
    columns: Any = None,
    county_digits: int | None = None,
) -> ValidTable:
    """Read and validate a table of schools (as :func:`evaluate_table` does) and return its
    columns for the pipeline, with what was read.

    Raises
    ------
    DataError
        Listing every problem of the table with its count of rows and first school ids.
    """
    cols, where, record = _read(
        source,
        nulls,
        "validate_table",
        Reading(encoding, sheet, header_row, columns, county_digits),
    )
    _county_inputs(county_inputs, cols.county_code, where, source)
    return ValidTable(cols, record, where)


def evaluate_table(
    source: Any,
    standard: str | Standard | None = None,
    *,
    county_inputs: Any = None,
    nulls: str | None = None,
    encoding: str | None = None,
    sheet: int | str | Sequence[int | str] | None = None,
    header_row: int | None = None,
    columns: Any = None,
    county_digits: int | None = None,
) -> BatchResult:
    """Evaluate every county of a table of schools against ``standard``.

    Parameters
    ----------
    source : table-like or path
        See :func:`read_table`; columns as in :data:`~eduequity.batch.COLUMNS`.
    standard : str or Standard
        The standard to apply (see :func:`eduequity.list_standards`). Name it: without it,
        ``evaluate_table`` applies ``"cn-basic-2012"`` until 0.3 with a :class:`FutureWarning`
        and refuses in 0.3 (no entry point chooses a standard for its caller).
    county_inputs : table-like or path, optional
        One row per county: ``county_code`` and a column per county input
        (:data:`eduequity.batch.COUNTY_INPUTS`); nulls mean "not supplied". By
        default, the inputs the table carries (:func:`table_from_counties`), if any; given,
        it replaces them.
    nulls : {"error", "not_reported"}, optional
        Policy for nulls in optional columns where they apply; see :data:`NULL_POLICIES`.
        Rows whose nulls were accepted are marked in ``out.schools`` (``not_reported``).
        By default ``"error"``, unless the table says its nulls mean "not reported" (a
        table made by :func:`table_from_counties`, or its Parquet file, does).
    encoding, sheet, header_row, columns, county_digits : optional
        How the file is read (:func:`read_schools`): a CSV file's encoding (detected by
        default), the sheet(s) of a workbook (a position, a name, a list or ``"all"``; by
        default its one sheet with a table of schools, several refused), the
        first header row (found by default), a column map (a dict, a TOML file or
        ``"census"``) and the digits of the county code to keep.

    Returns
    -------
    BatchResult

    Raises
    ------
    DataError
        Listing every problem of the table with its count of rows and first school ids.
    """
    std = standard_given(standard, "evaluate_table", "cn-basic-2012")
    cols, where, record = _read(
        source,
        nulls,
        "evaluate_table",
        Reading(encoding, sheet, header_row, columns, county_digits),
    )
    inputs = _county_inputs(county_inputs, cols.county_code, where, source)
    return BatchResult(run(std, cols, inputs), read=record)


@attrs.frozen(eq=False, kw_only=True)
class BatchPlan(PlanOutputs):
    """The plan of every county of a school table (see :func:`plan_table`).

    The tables are built as the counties are planned, a chunk of whole counties at a time
    (``eduequity._planning.chunks``); the evaluations before and after, the plan's arrays
    and its schedule are computed again, for the whole table, when first asked for.

    Attributes
    ----------
    additions : pyarrow.Table
        One row per school, input column and reason: ``county_code``, ``school_id``,
        ``school_name``, ``stage``, ``column``, ``resource``, ``quantity``, ``reason``,
        ``cost`` (and ``year`` with a budget); county by county, schools in input order.
    counties : pyarrow.Table
        One row per county and stage: the verdicts and every CV before and after, and
        ``passes_after``.
    totals : pyarrow.Table
        Per county and resource, the quantity and cost; a ``total`` row per county.
    transfers : pyarrow.Table
        One row per teacher transfer (empty unless the plan was asked for transfers).
    not_in_plan : pyarrow.Table
        Per county, each rule still not passing after the plan, and why.
    standard : Standard
    costs : Costs or None
    budget_per_year : float or None
    rounds : int
        Rounds the plan took (the most any county needed).
    passes : bool
        Whether every rule the plan covers passes after it, in every county and stage
        (``passes_after`` of every row of ``counties``; True where no school is in scope),
        as ``Plan.passes`` says it for one county.
    """

    columns: SchoolColumns
    standard: Standard
    costs: Costs | None
    budget_per_year: float | None
    county_inputs: Mapping[str, Any] | None
    transfers_asked: bool = False
    upgrade: bool = False
    #: What was read (:class:`~eduequity.batch.ReadRecord`), as ``BatchResult.read`` says it.
    read: ReadRecord | None = None

    @cached_property
    def arrays(self) -> PlanArrays:
        """The plan of the whole table as arrays, with its evaluations before and after
        (planned again, all counties at once)."""
        return plan_evaluation(
            run(self.standard, self.columns.made(), self.county_inputs),
            self.costs,
            self.county_inputs,
            transfers=self.transfers_asked,
            upgrade=self.upgrade,
        )

    @cached_property
    def schedule(self) -> Schedule:
        """The plan spread over years of ``budget_per_year`` yuan per county
        (``eduequity._planning.staged``); needs costs and a budget."""
        return PlanTables(self.arrays, self.budget_per_year).schedule

    @cached_property
    def before(self) -> BatchResult:
        """The evaluation of the counties as they are."""
        return BatchResult(run(self.standard, self.columns, self.county_inputs))

    @cached_property
    def after(self) -> BatchResult:
        """The evaluation of the counties with every addition."""
        return BatchResult(self.arrays.after)

    def _repr_html_(self) -> str:
        return _display_html.batch_plan_html(self)

    __repr__ = _display.plan_tables_repr


def plan_table(
    source: Any,
    standard: str | Standard | None = None,
    *,
    costs: Costs | Mapping[str, Any] | str | Path | None = None,
    budget_per_year: float | None = None,
    transfers: bool = False,
    upgrade: bool = False,
    county_inputs: Any = None,
    nulls: str | None = None,
    encoding: str | None = None,
    sheet: int | str | Sequence[int | str] | None = None,
    header_row: int | None = None,
    columns: Any = None,
    county_digits: int | None = None,
) -> BatchPlan:
    """What each county of a table of schools must add to pass, verified (the least for the
    minimums and the school rule; :doc:`/planning` says what is proven for the CV bounds).

    The same inputs as :func:`evaluate_table`, and ``costs``, ``budget_per_year`` (yuan per
    county a year), ``transfers`` and ``upgrade`` as in :func:`eduequity.plan`.
    Name the ``standard``: without it, ``plan_table`` applies ``"cn-quality-2017"`` until 0.3
    with a :class:`FutureWarning` and refuses in 0.3.

    Returns
    -------
    BatchPlan

    Examples
    --------
    >>> import eduequity as ee
    >>> table = table_from_counties([ee.datasets.sample_county()])
    >>> plan = plan_table(table, "cn-quality-2017")
    >>> plan.passes, plan.counties.column("passes_after").to_pylist()
    (True, [True, True])
    """
    std = standard_given(standard, "plan_table", "cn-quality-2017")
    priced = None if costs is None else load_costs(costs)
    cols, where, record = _read(
        source, nulls, "plan_table", Reading(encoding, sheet, header_row, columns, county_digits)
    )
    inputs = _county_inputs(county_inputs, cols.county_code, where, source)
    if budget_per_year is not None and priced is None:
        raise DataError("plan_table: budget_per_year needs costs (the budget is in yuan).")
    outputs = plan_in_chunks(
        cols,
        std,
        priced,
        inputs,
        budget_per_year=budget_per_year,
        transfers=transfers,
        upgrade=upgrade,
    )
    return BatchPlan(
        **{f.name: getattr(outputs, f.name) for f in attrs.fields(PlanOutputs)},
        columns=cols,
        standard=std,
        costs=priced,
        budget_per_year=budget_per_year,
        county_inputs=inputs,
        transfers_asked=transfers,
        upgrade=upgrade,
        read=record,
    )


def check_consistency(
    source: Any, *, nulls: str | None = None, lang: str | None = None
) -> list[str]:
    """Figures of a school table that cannot all be right, for the data owner to look at.

    The table is first validated as by :func:`evaluate_table` (a :class:`~eduequity.DataError`
    lists the
    bad rows). Then, per stage, rows are flagged where the reported figures contradict each
    other, though each is valid on its own:

    - a subset of the full-time teachers (above the qualification, intermediate title,
      backbone, PE and arts) is larger than the full-time teachers;
    - the full-time teachers (专任教师) outnumber the staff (教职工), who include them;
    - the full-time teachers outnumber the students;
    - the class sizes do not add up to the stage's enrollment.

    Nothing is changed and the evaluation does not use these checks: they are warnings.

    Parameters
    ----------
    source : table-like or path
        As for :func:`evaluate_table`.
    nulls : {"error", "not_reported"}
        As for :func:`evaluate_table`; a value not reported is not compared.
    lang : {"en", "zh"}, optional
        The language of the lines (default: the ``lang`` option,
        :func:`eduequity.set_options`). Either way, a column is named by its header as the
        table writes it (see ``eduequity.rules._consistency``).

    Returns
    -------
    list of str
        One line per kind of contradiction: what, how many rows, the first school ids. Empty
        when the figures agree.

    Examples
    --------
    >>> import eduequity as ee
    >>> check_consistency(table_from_counties([ee.datasets.sample_county()]))
    []
    >>> import pyarrow as pa
    >>> t = pa.table({"学校标识码": ["A"], "行政区划代码": ["990101"], "学校类型": ["小学"],
    ...               "小学在校生数": [300], "小学专任教师数": [20], "小学教职工数": [18]})
    >>> print(*check_consistency(t))  # doctest: +NORMALIZE_WHITESPACE
    column '小学专任教师数' is larger than '小学教职工数' (the staff include the teachers):
    1 row (school ids 'A')
    >>> check_consistency(t, lang="zh")
    ['“小学专任教师数”大于“小学教职工数”（教职工包括专任教师）：1 行（学校标识码 A）']
    """
    columns, where, _ = _read(source, nulls, "check_consistency")
    return contradictions(columns, where, lang)


def contradictions(cols: SchoolColumns, where: str, lang: str | None = None) -> list[str]:
    """The lines of :func:`check_consistency`: one per kind of contradiction, with how many
    schools and the first school ids, in ``lang`` (default: the ``lang`` option)."""
    from eduequity._options import get_option

    lang = get_option("lang") if lang is None else lang
    found = Problems(cols.school_id, where)
    for _, text, mask in consistency_checks(cols, lang):
        found.add(mask, text)
    if lang != "zh":
        return found.lines()
    return [
        f"{msg}：{n} 行（学校标识码 "
        + "、".join(s.strip("'") for s in shown)
        + ("……" if n > len(shown) else "")
        + "）"
        for msg, n, shown in found.items
    ]


def __dir__() -> list[str]:
    """The public names, for completion in a console or a notebook."""
    return sorted(__all__)
