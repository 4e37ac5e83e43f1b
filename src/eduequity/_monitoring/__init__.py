"""Monitoring across years (监测复查): the same coefficients year after year, and the slides.

:func:`monitor` evaluates each year's school table through the one pipeline
(:func:`eduequity.batch.evaluate_table`) and lays the counties tables side by side:

- ``panel``: one row per county, stage and year, with the status, the number of schools and of
  failing schools, every CV and the composite, and the change of each from the previous year of
  the panel. A county and stage absent from a year's table is a row of status ``missing``,
  never dropped.
- ``slides``: a county stage that was recognised — in ``recognitions`` (``county_code``,
  ``year``), or else the first year of the panel in which its balance rule passed — and whose
  balance rule fails in a later year (较大滑坡: the coefficient no longer meets the bound), with
  the value, the bound and the indicators whose CV rose most from the previous year.

The national report of 2016 (seed 002) names the counties recognised in 2013–2015 whose primary
or junior composite no longer met the bound in the monitoring of 2015; a county that fails the
monitoring loses its title.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from eduequity import _display, _display_html
from eduequity._arrow import array, bools
from eduequity._errors import DataError
from eduequity._models import County
from eduequity._monitoring.decompose import change_by_school, school_contributions
from eduequity._monitoring.figures import Year, year_of
from eduequity._monitoring.file_years import years_of_files
from eduequity._monitoring.flags import slides_of, warnings_of
from eduequity._monitoring.panel import MISSING, build_panel
from eduequity._monitoring.plot import plot_county
from eduequity._monitoring.schools import school_changes
from eduequity._monitoring.summary import summarise
from eduequity._read_record import ReadRecord
from eduequity._standard_given import standard_given
from eduequity.batch import BatchResult, evaluate_table, table_from_counties
from eduequity.batch._reading import SchoolsRead, read_schools
from eduequity.standards._model import Standard

__all__ = ["MISSING", "Monitoring", "Year", "change_by_school", "monitor"]


@attrs.frozen(eq=False)
class Monitoring:
    """The evaluations of several years and their comparison (see :func:`monitor`).

    A monitoring keeps what its tables read of each year's evaluation (:class:`Year`: the
    counties table with the year's figures, and each school's id, county and kind), and the
    sources, to evaluate a year again when asked (:meth:`result`, :attr:`results`,
    :meth:`contributions`): ten national years then hold tens of megabytes, not gigabytes.

    Attributes
    ----------
    by_year : mapping of int to Year
        What is kept of each year's evaluation, in year order.
    standard : Standard
    sources : mapping of int to table-like or path
        Each year's school table (a path or an Arrow table, as given; other sources as the
        Arrow table read from them).
    nulls : str or None
        The null policy the years were evaluated with.
    recognitions : mapping of str to int
        County code to the year it was recognised (given, or empty).
    rise_years, rise_delta : int, float
        The early warnings' parameters (see :attr:`early_warnings`).
    """

    by_year: Mapping[int, Year]
    standard: Standard
    sources: Mapping[int, Any]
    nulls: str | None = None
    recognitions: Mapping[str, int] = attrs.field(factory=dict)
    rise_years: int = 3
    rise_delta: float = 0.05
    #: What was read of each year's table (:class:`~eduequity.batch.ReadRecord`), by year.
    reads: Mapping[int, ReadRecord] = attrs.field(factory=dict)

    @property
    def years(self) -> list[int]:
        """The years of the panel, in order."""
        return list(self.by_year)

    def result(self, year: int) -> BatchResult:
        """The evaluation of ``year``, evaluated again from its source (the same verdicts as
        the panel's: the pipeline is deterministic)."""
        if year not in self.sources:
            raise DataError(f"monitor: {year} is not a year of the panel ({self.years}).")
        return evaluate_table(self.sources[year], self.standard, nulls=self.nulls)

    @cached_property
    def results(self) -> Mapping[int, BatchResult]:
        """Each year's evaluation (every year evaluated again on first access)."""
        return {year: self.result(year) for year in self.years}

    @cached_property
    def panel(self) -> pa.Table:
        """One row per county, stage and year: ``status`` (the stage's verdict; under 2017
        the CV bounds *and* the school rule), its parts ``cv_status`` and
        ``school_rule_status``, ``county_status``, the counts, the enrollment, every CV, the
        composite, each indicator's county mean (``mean_*``), each class-size target's share
        of the county's classes (``share_classes_66_plus``...) and, from the target's year on,
        whether it is met (``target_classes_66_plus_met``: super-large classes at most 2 %
        from 2018), and
        ``change_*`` of each figure from the previous year of the panel (null for the first
        year or where either year lacks the figure)."""
        return build_panel({y: v.figures for y, v in self.by_year.items()}, self.standard)

    @property
    def judged(self) -> list[str]:
        """The panel columns of the coefficients the balance rule judges: the composite
        (2012), or each CV (2017)."""
        rule = self.standard.balance
        if rule.method.value == "composite":
            return ["composite_cv"]
        return [f"cv_{i}" for i in rule.indicators]

    @property
    def warnings(self) -> pa.Table:
        """The former name of :attr:`early_warnings` (deprecated; removed in 0.3)."""
        warnings.warn(
            "Monitoring.warnings is renamed Monitoring.early_warnings (early warnings of a "
            "slide; contradictions in the data are BatchResult.data_warnings). The old name "
            "is removed in 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.early_warnings

    @cached_property
    def early_warnings(self) -> pa.Table:
        """Early warnings and first passes, one row per county stage, year and coefficient
        judged by the balance rule (the composite under 2012, each CV under 2017):

        - ``rising``: the coefficient rose in each of the last ``rise_years`` years of the
          panel (default 3) and the stage still passes;
        - ``jump``: it rose by more than ``rise_delta`` (default 0.05) in one year and the stage
          still passes;
        - ``first_pass``: the stage passes for the first time in the panel, after failing.

        The parameters are eduequity's defaults, not the national report's, which names the
        slides only; pass your own to :func:`monitor`.
        """
        return warnings_of(
            self.panel, self.judged, len(self.years), self.rise_years, self.rise_delta
        )

    def summary(self, counties: Any = None) -> pa.Table:
        """Per year, stage and area — the nation (``area`` "national") and each province (the
        first two digits of the county code) — the counties, how many pass, the mean composite
        over counties (plain, and weighted by enrollment), and for each indicator the mean of
        the county means and its growth from the previous year, as the national monitoring
        report prints them (which of the two means it prints is not stated: the plain mean is
        the default column). ``counties``: only these county codes (e.g. those recognised by a
        given year)."""
        return summarise(self.panel, self.standard.balance.indicators, counties)

    @cached_property
    def school_changes(self) -> pa.Table:
        """Schools that open, close, or change kind or county from one year of the panel to
        the next (撤并 shows as closures): ``school_id``, ``year`` (the later year),
        ``change`` (``opened``, ``closed``, ``kind``, ``county``), ``before`` and ``after``."""
        return school_changes(self.by_year)

    def plot(self, county_code: str | int, lang: str = "en") -> Any:
        """A matplotlib figure of one county (its code as text, or as a number: its digits):
        per stage, each coefficient the balance rule judges across the years, against the
        bound (dashed); Chinese labels with ``lang="zh"`` where a Chinese font is installed
        (``plot_county``). Needs the optional extra ``plot``
        (``pip install 'eduequity[plot]'``)."""
        return plot_county(self.panel, self.standard, self.judged, str(county_code), lang)

    def contributions(
        self, county_code: str | int, stage: str, indicator: str, before: int, after: int
    ) -> pa.Table:
        """Which schools moved one CV of one county (its code as text, or as a number: its
        digits) and stage between two years: per school
        (those of either year), its value and enrollment in each year and its part of the
        change of the variance and of the CV (``change_by_school``; the parts sum to the
        change)."""
        return school_contributions(
            {year: self.result(year).schools for year in (before, after)},
            str(county_code),
            stage,
            indicator,
            before,
            after,
        )

    @cached_property
    def slides(self) -> pa.Table:
        """One row per county stage and year in which a recognised county stage fails its
        balance rule: ``recognised`` (the year, and whether it was given or found in the
        panel), the judged ``value`` (the composite under 2012, the largest CV under 2017), the
        ``bound``, and ``rose_most`` (the indicators whose CV rose most from the previous year,
        largest first)."""
        return slides_of(self.panel, self.standard, self.judged, len(self.years), self.recognitions)

    def _repr_html_(self) -> str:
        return _display_html.monitoring_html(self)

    __repr__ = _display.monitoring_repr
    __arrow_c_stream__ = _display.stream_of("panel")


def _by_year(source: Any, reading: Mapping[str, Any]) -> dict[int, SchoolsRead]:
    """One school table with a ``year`` column, cut into one table per year, each with the
    headers and rows it was read from (messages name them as written)."""
    read = read_schools(source, **reading)
    table, where = read.table, read.where
    if "year" not in table.column_names:
        raise DataError(
            f"monitor: {where} has no column 'year'; give {{year: source}} or add the column.",
            zh=f"{where} 没有年度列 year：请按年度分别给出各表（{{年度: 表}}），或加上 year 列。",
        )
    years = table.column("year")
    if years.null_count or not pa.types.is_integer(years.type):
        raise DataError(
            f"monitor: the column 'year' of {where} must hold a whole year per row.",
            zh=f"{where} 的年度列 year 须每行填写一个年份（整数）。",
        )
    out = {}
    for year in sorted(pc.unique(years).to_pylist()):
        mine = bools(pc.equal(years, year))
        out[int(year)] = attrs.evolve(
            read,
            table=table.filter(array(mine)).drop_columns(["year"]),
            rows=read.rows[mine],
            sheet_of=read.sheet_of[mine],
        )
    return out


def _recognitions(source: Any) -> dict[str, int]:
    if source is None:
        return {}
    if isinstance(source, Mapping):
        return {str(k): int(v) for k, v in source.items()}
    table = source if isinstance(source, pa.Table) else pa.table(source)
    for name in ("county_code", "year"):
        if name not in table.column_names:
            raise DataError(f"monitor: recognitions need a column {name!r}.")
    return {
        str(c): int(y)
        for c, y in zip(
            table.column("county_code").to_pylist(), table.column("year").to_pylist(), strict=True
        )
        if c is not None and y is not None
    }


def monitor(
    sources: Mapping[int, Any] | Any,
    standard: str | Standard | None = None,
    *,
    recognitions: Any = None,
    nulls: str | None = None,
    rise_years: int = 3,
    rise_delta: float = 0.05,
    encoding: str | None = None,
    sheet: int | str | Sequence[int | str] | None = None,
    header_row: int | None = None,
    columns: Any = None,
    county_digits: int | None = None,
) -> Monitoring:
    """Evaluate each year's school table and compare the years (see the module).

    Parameters
    ----------
    sources : mapping of int to source, list of paths, or one table-like or path
        ``{year: source}``, each source anything :func:`eduequity.batch.evaluate_table`
        reads, or the year's counties as a list of :class:`~eduequity.County` (their schools
        and their county inputs, through :func:`eduequity.batch.table_from_counties`); or a
        list of files each named by its year (``["监测_2023.xlsx", "监测_2024.xlsx"]``: one
        year in each name, as the command line reads them); or one table-like or path with a
        ``year`` column (a whole year per row).
    standard : str or Standard
        The standard every year is evaluated against (the monitoring of recognised counties
        recomputes the 2012 coefficients: ``"cn-basic-2012"``). Name it: without it,
        ``monitor`` applies ``"cn-basic-2012"`` until 0.3 with a :class:`FutureWarning` and
        refuses in 0.3 (no entry point chooses a standard for its caller).
    recognitions : mapping of str to int, or table-like, optional
        The year each county was recognised (``{county_code: year}``, or a table with
        ``county_code`` and ``year``). Without it, a county stage counts as recognised from
        the first year of the panel in which its balance rule passed.
    nulls : {"error", "not_reported"}, optional
        As in :func:`~eduequity.batch.evaluate_table`.
    rise_years, rise_delta : int, float
        Early warnings: a judged coefficient that rose ``rise_years`` years in a row (default
        3), or by more than ``rise_delta`` in one year (default 0.05), while the stage passes
        (:attr:`Monitoring.early_warnings`).
    encoding, sheet, header_row, columns, county_digits : optional
        How each file is read, as in :func:`~eduequity.batch.evaluate_table`
        (:func:`~eduequity.batch.read_schools`). A file read with any of them is kept as the
        table it was read into.

    Returns
    -------
    Monitoring
        ``panel`` (county x stage x year), ``slides``, ``warnings``, ``summary()``,
        ``school_changes``, ``contributions(...)``, and each year's evaluation again on
        demand (``result(year)``, ``results``).

    Examples
    --------
    >>> import eduequity as ee
    >>> from eduequity import batch
    >>> table = batch.table_from_counties([ee.datasets.sample_county()])
    >>> m = monitor({2022: table, 2023: table}, "cn-basic-2012")
    >>> rows = m.panel.select(["stage", "year", "status", "change_composite_cv"]).to_pylist()
    >>> rows[0]
    {'stage': 'primary', 'year': 2022, 'status': 'passed', 'change_composite_cv': None}
    >>> rows[1]
    {'stage': 'primary', 'year': 2023, 'status': 'passed', 'change_composite_cv': 0.0}
    >>> m.slides.num_rows
    0
    """
    reading: dict[str, Any] = {
        "encoding": encoding,
        "sheet": sheet,
        "header_row": header_row,
        "columns": columns,
        "county_digits": county_digits,
    }
    plain = encoding is None and sheet is None and header_row is None and columns is None
    plain = plain and county_digits is None
    if isinstance(sources, list | tuple):
        if not sources or not all(isinstance(s, str | os.PathLike) for s in sources):
            raise DataError(
                "monitor: give the school tables as {year: source} ({2023: table, 2024: "
                "'b.xlsx'}), or a list of files each named by its year (['监测_2023.xlsx', "
                f"'监测_2024.xlsx']). Got a {type(sources).__name__} of "
                f"{len(sources)} item(s), not all paths.",
                zh="monitor：请以 {年度: 表或路径} 给出各年的学校表（{2023: 表, 2024: 'b.xlsx'}），"
                "或给出文件名中写明年度的文件列表（['监测_2023.xlsx', '监测_2024.xlsx']）。"
                f"收到的列表有 {len(sources)} 项，并非都是路径。",
            )
        # Files, each named by its year (2023.xlsx, 监测_2024.csv), as the command line takes them.
        sources = years_of_files(sources, "monitor")
    if not isinstance(sources, Mapping):
        sources = _by_year(sources, reading)
    if not sources:
        raise DataError("monitor: give the school tables as {year: source}, at least one year.")
    std = standard_given(standard, "monitor", "cn-basic-2012")
    by_year, kept = {}, {}
    reads: dict[int, ReadRecord] = {}
    for year in sorted(sources):
        if isinstance(year, bool) or not isinstance(year, int):
            raise DataError(f"monitor: years must be whole numbers. Got {year!r}.")
        source = sources[year]
        try:
            if isinstance(source, list | tuple) and any(isinstance(c, County) for c in source):
                # The year's counties: their schools and their county inputs, as one table.
                if not all(isinstance(c, County) for c in source):
                    raise DataError("give a list of County objects only, or a table of schools.")
                source = read = table_from_counties(source)
            elif isinstance(source, SchoolsRead):  # read already (one table cut by year)
                read, source = source, source.table
            elif not isinstance(source, str | os.PathLike | pa.Table) or not plain:
                # A stream or frame, or a file read with options: read once, kept as read,
                # and evaluated with its headers and rows (messages name them as written).
                read = read_schools(source, **reading)
                source = read.table
            else:
                read = source
            # Each evaluation is dropped once its figures are kept: held together, ten
            # national evaluations would take gigabytes.
            result = evaluate_table(read, std, nulls=nulls)
            by_year[year] = year_of(result, year)
            if result.read is not None:
                reads[year] = result.read
        except DataError as error:
            raise DataError(
                f"monitor: the table of {year}: {error.in_language('en')}",
                zh=f"{year} 年的表：{error.in_language('zh')}",
            ) from None
        kept[year] = source
    if isinstance(rise_years, bool) or not isinstance(rise_years, int) or rise_years < 1:
        raise DataError(f"monitor: rise_years must be a whole number >= 1. Got {rise_years!r}.")
    if not (isinstance(rise_delta, int | float) and rise_delta >= 0):
        raise DataError(f"monitor: rise_delta must be a number >= 0. Got {rise_delta!r}.")
    return Monitoring(
        by_year,
        std,
        kept,
        nulls,
        _recognitions(recognitions),
        rise_years,
        float(rise_delta),
        reads,
    )
