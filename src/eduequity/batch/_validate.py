"""Validating a table of schools into the pipeline's columns, once, at entry.

Every check is vectorised; every problem is collected and reported in one
:class:`~eduequity.DataError` that counts the bad rows and names the first school ids.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, numbers, scalar, strings
from eduequity._errors import DataError
from eduequity._models import PHYSICAL_RESOURCES, STAGE_PEOPLE, SchoolKind, Stage
from eduequity._schema import (
    AMOUNT,
    CLASS_SIZE,
    COLUMNS,
    ENROLLMENT,
    KIND_ALIASES,
    SENIOR_ENROLLMENT,
    stage_column,
)
from eduequity._split import KIND_CODES
from eduequity.batch._bands import band_nulls, read_bands, with_bands
from eduequity.batch._cells import (
    FLAG_WORDS,
    PUBLIC_WORDS,
    amounts,
    beyond_floats,
    flag,
    float_column,
    null_mask,
    plain_column,
    read_class_sizes,
    text_column,
    within,
)
from eduequity.batch._headers import normalise, split_unit
from eduequity.batch._problems import EmptyAt, Problems
from eduequity.batch._repeats import repeats
from eduequity.rules._columns import STAGES, ClassSizes, MadeWhenAsked, SchoolColumns

# The reading of cells moved to ``_cells``; their names stay here for the former module
# ``eduequity.batch.validate``, which 0.2 still imports (removed in 0.3).
__all__ = [
    "FLAG_WORDS",
    "NULL_POLICIES",
    "float_column",
    "null_mask",
    "text_column",
    "validate",
]

FloatArray = NDArray[np.float64]

#: How nulls in optional columns are treated: ``"error"`` (the default) reports them as bad
#: input; ``"not_reported"`` treats them like an absent value, so the items that need them are
#: "not evaluated" (as ``None`` in a :class:`~eduequity.School`).
NULL_POLICIES = ("error", "not_reported")

#: The kinds' Chinese names an unknown kind's message lists, in both languages.
_KIND_NAMES_ZH = (
    "小学",
    "初级中学",
    "九年一贯制学校",
    "十二年一贯制学校",
    "完全中学",
    "小学教学点",
    "特殊教育学校",
    "职业学校",
)


def _county_index(table: pa.Table) -> tuple[NDArray[np.bool_], NDArray[np.intp], pa.Array]:
    """The rows whose county code is null, each row's county index, and the county codes in
    code order (so the output order does not depend on the row order)."""
    counties = text_column(table, "county_code")
    null = null_mask(counties)
    encoded = pc.dictionary_encode(pc.fill_null(counties, scalar("", pa.string())))
    index = np.asarray(numbers(encoded.indices), dtype=np.intp)
    order = np.argsort(np.asarray(encoded.dictionary.to_pylist(), dtype=object), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return null, rank[index].astype(np.intp), encoded.dictionary.take(array(order))


def _county_names(
    names: pa.Array, county: NDArray[np.intp], n_counties: int
) -> tuple[pa.Array, NDArray[np.bool_]]:
    """Each county's name (its first row's non-null name; null if none) and the rows whose
    name differs from it."""
    given = np.flatnonzero(~null_mask(names))
    counties, first = np.unique(county[given], return_index=True)
    row_of = np.full(n_counties, -1, dtype=np.intp)
    row_of[counties] = given[first]
    by_county = names.take(array(row_of, mask=row_of < 0))
    differs = pc.not_equal(names, by_county.take(array(county)))
    return by_county, bools(differs)


#: Every name a kind may have (its value or an alias), and the kind code of each.
_KIND_NAMES = {k.value: k for k in SchoolKind} | {a: SchoolKind(k) for a, k in KIND_ALIASES.items()}
_KIND_NAME_SET = tuple(_KIND_NAMES)
_KIND_NAME_CODES = np.array([KIND_CODES[k] for k in _KIND_NAMES.values()] + [-1], dtype=np.intp)


def _kind_codes(table: pa.Table) -> NDArray[np.intp]:
    """The kind code of each row (``KIND_CODES``); -1 if unknown."""
    at = pc.index_in(text_column(table, "kind"), value_set=strings(_KIND_NAME_SET))
    # A name not in the set (or a null) has no index: it takes the last entry, -1.
    found = np.asarray(numbers(pc.fill_null(at, scalar(-1, at.type))), dtype=np.intp)
    codes: NDArray[np.intp] = _KIND_NAME_CODES[found]
    return codes


#: A number written with thousands separators (24,530 or 1,473,984.5).
_GROUPED = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
#: A number as Excel shows a long one (4.31102E+11).
_SCIENTIFIC = r"^[0-9](\.[0-9]+)?[eE][+]?[0-9]+$"


def _six_digits(codes: pa.Array) -> NDArray[np.bool_]:
    """Whether each county code is 6 digits."""
    ok = pc.match_substring_regex(codes, r"^[0-9]{6}$")
    return bools(ok)


#: Equipment worth more than this per pupil (yuan), read from a header in 万元, is a figure
#: written in 元 (ten thousand times too large): no school, however small, holds it.
MOST_EQUIPMENT_PER_PUPIL = 10_000_000.0


def _per_pupil_units(
    problems: Problems,
    resources: Mapping[str, FloatArray],
    enrollment: Mapping[Stage, FloatArray],
    senior: FloatArray,
    label: Callable[[str], str],
    header: str | None = None,
) -> None:
    """An equipment value under 1 yuan per pupil: the column is in 万元, not yuan. One over
    :data:`MOST_EQUIPMENT_PER_PUPIL` yuan per pupil where ``header`` (the column's header as
    written) is in 万元: the cell is in 元."""
    values = resources.get("equipment_value")
    if values is None:
        return
    pupils = sum(enrollment.values(), senior)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_pupil = values / pupils
    problems.add(
        (values > 0) & (pupils > 0) & (per_pupil < 1),
        f"column {label('equipment_value')} is under 1 yuan per pupil: is it in 万元? Write "
        "the unit in the header (教学仪器设备值（万元）) or map the column with unit 万元",
        got=values,
        zh=f"列 {label('equipment_value')} 生均不足 1 元：是否以万元为单位？请在表头写明单位"
        '（教学仪器设备值（万元）），或在列映射中写 unit = "万元"',
    )
    # The unit as the reader takes it: at the end of the header or of a label above it.
    if header is None or all(split_unit(normalise(p))[1] != "万元" for p in header.split(">")):
        return
    problems.add(
        (pupils > 0) & (per_pupil > MOST_EQUIPMENT_PER_PUPIL),
        f"column {label('equipment_value')} is over 10,000,000 yuan per pupil read in 万元: "
        "is the cell in 元? Write it in 万元, as the header says",
        got=values,
        zh=f"列 {label('equipment_value')} 按万元读入后生均超过 1000 万元：单元格是否填的是元？"
        "请按表头所写的万元填写",
    )


def _given(values: FloatArray) -> FloatArray:
    """``values`` as they were given (a column the full checks read, kept)."""
    return values


def validate(
    table: pa.Table,
    where: str,
    nulls: str,
    headers: Mapping[str, str] | None = None,
    row_label: Callable[[int], str] | None = None,
    units: bool = False,
) -> SchoolColumns:
    """Check ``table`` (canonical column names) and return its columns for the pipeline.

    ``row_label`` names a row where a file was read (messages add it to the school id);
    with ``units``, an equipment value under 1 yuan per pupil is refused as a value in 万元
    (the door asks it of every table: a file, a frame, a County's table).
    ``headers`` gives, by canonical name, each column's header as the user wrote it (as
    :func:`~eduequity.batch.read_schools` returns them): messages name the columns so. Under
    ``nulls="error"``, an optional column with no value at all (all empty: a county with only
    primary schools leaves the junior columns blank) is taken as absent: the items that need
    it are not evaluated. Under ``nulls="not_reported"`` it is read as any other column: its
    empty cells where it applies are not reported, and ``not_reported`` names it for those
    schools, so what a school's row says does not depend on the other rows of the table.

    Raises
    ------
    DataError
        Listing every problem with its count of rows, the first school ids and their values.
    """
    shown = dict(headers or {})

    def label(name: str) -> str:
        return repr(shown.get(name, name))

    n = table.num_rows
    if n == 0:
        raise DataError(f"evaluate_table: {where} has no schools (a header and no rows).")
    if nulls == "error":  # else an empty column's cells are "not reported", as any other's
        empty = [
            c.name
            for c in COLUMNS
            if not c.required
            and c.name in table.column_names
            and table.column(c.name).null_count == table.num_rows
        ]
        table = table.drop_columns(empty)
    missing = [c.name for c in COLUMNS if c.required and c.name not in table.column_names]
    if missing:
        raise DataError(
            f"evaluate_table: {where} lacks the required column(s) "
            + ", ".join(repr(m) for m in missing)
            + "."
        )
    ids = text_column(table, "school_id")
    names = table.column("school_name") if "school_name" in table.column_names else None
    problems = Problems(ids, where, row_label, names)
    problems.add(
        # An empty string has no byte: its length is read from the offsets, no text decoded.
        bools(pc.equal(pc.binary_length(ids), scalar(0, pa.int32())), null=True),
        f"column {label('school_id')} must be a non-empty string",
        zh=f"列 {label('school_id')} 不能为空",
    )
    county_null, county, county_codes = _county_index(table)
    problems.add(
        county_null,
        f"column {label('county_code')} is empty: every school needs its county",
        zh=f"列 {label('county_code')} 为空：每所学校都须有所在县的代码",
    )
    # A long code Excel showed as 4.31102E+11: its digits are lost, and no option brings them.
    scientific = bools(pc.match_substring_regex(county_codes, _SCIENTIFIC))[county]
    problems.add(
        ~county_null & scientific,
        f"column {label('county_code')} is written in scientific notation, as Excel shows long "
        "numbers: the code's digits are lost; format the column as text and enter the codes "
        "again",
        got=text_column(table, "county_code"),
        zh=f"列 {label('county_code')} 是科学计数法（Excel 显示长数字的方式），代码的数字已丢失；"
        "请将该列设为文本格式并重新填写代码",
    )
    problems.add(
        ~county_null & ~scientific & ~_six_digits(county_codes)[county],
        f"column {label('county_code')} must be a county's 6-digit code (行政区划代码); "
        "for the 9- or 12-digit codes of townships, pass county_digits=6 (--county-digits 6) "
        "to keep their county's first 6 digits",
        got=text_column(table, "county_code"),
        zh=f"列 {label('county_code')} 须为县的 6 位行政区划代码；乡镇的 9 位或 12 位代码可用 "
        "county_digits=6（--county-digits 6）取前 6 位",
    )
    kind = _kind_codes(table)
    problems.add(
        kind < 0,
        f"column {label('kind')} must be one of "
        + ", ".join(k.value for k in SchoolKind)
        + f" (or the Chinese name: {', '.join(_KIND_NAMES_ZH)})",
        got=table.column("kind"),
        zh=f"列 {label('kind')} 须为学校类型之一（{'、'.join(_KIND_NAMES_ZH)}）",
    )

    def kinds_where(pred: Callable[[SchoolKind], bool]) -> NDArray[np.bool_]:
        # A lookup by kind code (an unknown kind, -1, takes the last entry: False).
        lookup = np.zeros(len(KIND_CODES) + 1, dtype=np.bool_)
        for k in SchoolKind:
            lookup[KIND_CODES[k]] = pred(k)
        found: NDArray[np.bool_] = lookup[kind]
        return found

    # The empty cells of each column read, for messages (a value "got" there is none), and the
    # cells refused already as not a number (not refused again as empty or out of range).
    empty_cells: dict[str, NDArray[np.bool_]] = {}
    unreadable: dict[str, NDArray[np.bool_]] = {}
    # The cells as written where some say "no data" (—, /), and which, for the messages of
    # empty cells.
    written: dict[str, list[object]] = {}
    no_data: dict[str, NDArray[np.bool_]] = {}

    def read(name: str) -> tuple[FloatArray, NDArray[np.bool_]]:
        """Column ``name`` as floats and its nulls; text that is not a number is a problem."""
        if name not in table.column_names:
            return np.full(n, np.nan), np.ones(n, dtype=np.bool_)
        values, isnull, bad, given, marked = float_column(table, name, where)
        empty_cells[name] = isnull
        if marked.any():
            written[name], no_data[name] = given, marked
        # 24,530: a number written with thousands separators, refused as text, saying so.
        grouped = bad.copy()
        grouped[bad] = [
            _GROUPED.match(str(given[i]).strip()) is not None for i in np.flatnonzero(bad)
        ]
        problems.add(
            bad & ~grouped,
            f"column {label(name)} must be a number",
            got=given,
            zh=f"列 {label(name)} 须为数字",
        )
        problems.add(
            grouped,
            f"column {label(name)} must be a number without thousands separators (24530, not "
            "24,530)",
            got=given,
            zh=f"列 {label(name)} 须为不带千位分隔符的数字（写 24530，不写 24,530）",
        )
        huge = beyond_floats(table.column(name))
        problems.add(
            huge,
            f"column {label(name)} holds a whole number too large to be read exactly "
            "(beyond 2**53 = 9007199254740992)",
            got=table.column(name),
            zh=f"列 {label(name)} 的整数过大，无法精确读取（超过 2**53 = 9007199254740992）",
        )
        if huge.any():  # not a figure to check further, as text that is not a number
            values = np.where(huge, math.nan, values)
        unreadable[name] = bad | huge
        return values, isnull | bad | huge

    def readable(name: str) -> NDArray[np.bool_]:
        """The rows of column ``name`` not refused already as not a number."""
        found = unreadable.get(name)
        return np.ones(n, dtype=np.bool_) if found is None else ~found

    not_reported: dict[str, NDArray[np.bool_]] = {}

    def null_policy(name: str, null_here: NDArray[np.bool_]) -> None:
        """Nulls of column ``name`` where it applies: problems, or "not reported"."""
        if nulls == "error":
            # Some of these cells say "no data" (—, /): said so, and shown as written.
            said = bool((null_here & no_data.get(name, False)).any())
            problems.add(
                null_here,
                f"column {label(name)} is empty"
                + (" or says no data (—, /)" if said else "")
                + " (pass nulls='not_reported', --nulls not_reported on the command line, to "
                "treat empty cells as not reported)",
                zh=f"列 {label(name)} 为空"
                + ("或填写无数据符号（—、/）" if said else "")
                + "（空单元格表示未填报时，用 nulls='not_reported'，即 --nulls not_reported）",
                got=written.get(name) if said else None,
            )
        elif null_here.any():
            not_reported[name] = null_here

    def explained(name: str, applies: NDArray[np.bool_]) -> FloatArray:
        """Check column ``name`` of amounts where it ``applies``, every check, each problem
        explained; its values there, NaN elsewhere (a column the quick pass did not let
        through)."""
        values, isnull = read(name)
        if name not in table.column_names:
            return values
        problems.add(
            applies & ~isnull & AMOUNT.violated(values),
            f"column {label(name)} {AMOUNT.expectation}",
            zh=f"列 {label(name)} {AMOUNT.expectation_zh}",
            got=values,
        )
        null_policy(name, applies & empty_cells[name])
        keep = applies & ~isnull
        return values if keep.all() else np.where(keep, values, math.nan)

    enrollment: dict[Stage, FloatArray] = {}
    for stage in STAGES:
        name = stage_column("enrollment", stage.value)
        required = kinds_where(lambda k, s=stage: s in k.required_stages)  # type: ignore[misc]
        allowed = kinds_where(lambda k, s=stage: s in k.allowed_stages)  # type: ignore[misc]
        values, isnull = read(name)
        if name not in table.column_names and required.any():
            problems.add(
                required,
                f"column {label(name)} is missing, but the kind has the stage",
                zh=f"缺少列 {label(name)}，而该类型学校有此学段",
            )
            required = np.zeros(n, dtype=np.bool_)
        problems.add(
            required & ENROLLMENT.violated(values) & readable(name),
            f"column {label(name)} {ENROLLMENT.expectation} for a kind that has the stage",
            zh=f"有此学段的学校，列 {label(name)} {ENROLLMENT.expectation_zh}",
            got=EmptyAt(values, empty_cells.get(name), written.get(name)),
        )
        # A stage a kind may have (a special-education school's): 0 or null where it has none.
        problems.add(
            allowed & ~required & ~isnull & SENIOR_ENROLLMENT.violated(values),
            f"column {label(name)} {SENIOR_ENROLLMENT.expectation}",
            zh=f"列 {label(name)} {SENIOR_ENROLLMENT.expectation_zh}",
            got=values,
        )
        problems.add(
            ~allowed & (kind >= 0) & ~isnull & (np.abs(values) > 0),
            f"column {label(name)} must be 0 or empty for a kind without the stage",
            zh=f"没有此学段的学校，列 {label(name)} 须为 0 或空",
            got=values,
        )
        enrollment[stage] = np.where(allowed & np.isfinite(values), values, 0.0)
    has_stage = {stage: enrollment[stage] > 0 for stage in STAGES}
    special = kind == KIND_CODES[SchoolKind.SPECIAL_EDUCATION]
    problems.add(
        special & ~(has_stage[STAGES[0]] | has_stage[STAGES[1]]),
        "a special_education school must have enrollment_primary or enrollment_junior",
        zh="特殊教育学校须有小学或初中在校生数",
    )

    with_senior = kinds_where(lambda k: k.has_senior)
    senior, senior_null = read("enrollment_senior")
    if "enrollment_senior" not in table.column_names:
        problems.add(
            with_senior,
            "the table has no column enrollment_senior (高中在校生数), which twelve_year and "
            "complete_secondary schools need to split their resources between stages; add it",
            zh="表中没有 '高中在校生数' 列：十二年一贯制学校和完全中学须有高中在校生数，"
            "才能在各学段间拆分其办学条件；请加上该列",
        )
    else:
        problems.add(
            with_senior & ENROLLMENT.violated(senior) & readable("enrollment_senior"),
            f"column {label('enrollment_senior')} {ENROLLMENT.expectation} for twelve_year and "
            "complete_secondary schools",
            got=EmptyAt(
                senior, empty_cells.get("enrollment_senior"), written.get("enrollment_senior")
            ),
            zh=f"十二年一贯制学校和完全中学的列 {label('enrollment_senior')} "
            f"{ENROLLMENT.expectation_zh}",
        )
    vocational = kind == KIND_CODES[SchoolKind.VOCATIONAL]
    problems.add(
        ~with_senior & ~vocational & (kind >= 0) & ~senior_null & (np.abs(senior) > 0),
        f"column {label('enrollment_senior')} must be 0 or empty for a kind without a senior stage",
        zh=f"没有高中学段的学校，列 {label('enrollment_senior')} 须为 0 或空",
        got=senior,
    )
    senior = np.where((with_senior | vocational) & np.isfinite(senior), senior, 0.0)

    def when_asked(name: str, applies: NDArray[np.bool_]) -> Callable[[], FloatArray]:
        """Column ``name`` of amounts as :func:`explained` gives it, made when asked for: from
        the table's column where reductions show nothing to explain (no copy kept), else the
        values the full checks gave."""
        col = plain_column(table, name, applies)
        if col is not None:
            return functools.partial(amounts, col, applies)
        return functools.partial(_given, explained(name, applies))

    # People, each stage's column made when asked (a standard uses a few; an evaluation keeps
    # its stage parts' own).
    people = {
        stage: MadeWhenAsked(
            {
                f: when_asked(stage_column(f, stage.value), has_stage[stage])
                for f in STAGE_PEOPLE[1:]
            }
        )
        for stage in STAGES
    }
    # Physical resources alike: an evaluation keeps its stage parts' shares, and reads a
    # school's whole amounts again where a rule asks (rooms, the school rule's shortfalls).
    resources = MadeWhenAsked({r: when_asked(r, kind >= 0) for r in PHYSICAL_RESOURCES})

    class_sizes = {}
    for stage in STAGES:
        name = stage_column("class_sizes", stage.value)
        sizes, unread, given, marked = read_class_sizes(table, name, where)
        problems.add(
            unread,
            f"column {label(name)} must hold whole numbers separated by ';' (e.g. 45;44;46; "
            "；、， are read as ';')",
            zh=f"列 {label(name)} 须为以 ';' 分隔的整数（如 45;44;46；也可用 ；、，分隔）",
            got=given,
        )
        if marked.any():
            written[name], no_data[name] = given, marked
        # Or the classes counted by band (班额段), as the forms report them.
        cells = read_bands(table, stage.value, read, problems, label, where)
        by_band = np.zeros(n, dtype=np.bool_) if cells is None else cells.filled
        if sizes is None:
            sizes = ClassSizes(
                np.zeros(0, dtype=np.int64),
                np.zeros(n + 1, dtype=np.intp),
                np.zeros(n, dtype=np.bool_),
            )
            if cells is not None:
                band_nulls(cells, has_stage[stage] & ~by_band, problems, label, nulls, not_reported)
        else:
            if not sizes.values.size or not within(
                CLASS_SIZE, sizes.values.min(), sizes.values.max()
            ):
                small = sizes.count_where(CLASS_SIZE.violated(sizes.values)) > 0
                problems.add(
                    small & has_stage[stage],
                    f"column {label(name)}: each class size {CLASS_SIZE.expectation}",
                    zh=f"列 {label(name)}：每个班额{CLASS_SIZE.expectation_zh}",
                )
            neither = has_stage[stage] & ~sizes.reported & ~by_band & ~unread
            if cells is None:
                null_policy(name, neither)
            else:  # the school may give its classes one by one or by band: it gave neither
                band_nulls(cells, neither, problems, label, nulls, not_reported, listed=name)
            keep = sizes.reported & has_stage[stage]
            if ((sizes.counts() > 0) & ~keep).any():
                # The classes of a stage the school lacks are dropped.
                counts = np.where(keep, sizes.counts(), 0)
                offsets = np.zeros(n + 1, dtype=np.intp)
                np.cumsum(counts, out=offsets[1:])
                kept = sizes.values[np.repeat(keep, sizes.counts())]
                sizes = ClassSizes(kept, offsets, keep)
            else:
                sizes = ClassSizes(sizes.values, sizes.offsets, keep)
        if cells is not None:
            listed = name if name in table.column_names else None
            sizes = with_bands(
                sizes, cells, has_stage[stage], listed, problems, label, nulls, not_reported
            )
        class_sizes[stage] = sizes

    flags = {}
    for name in ("public", "county_run"):
        if name not in table.column_names:
            flags[name] = np.ones(n, dtype=np.bool_)
            continue
        col = table.column(name)
        value, unknown = flag(col, where, label(name), PUBLIC_WORDS if name == "public" else {})
        problems.add(
            unknown,
            f"column {label(name)} must be yes or no (true/false, 是/否, 1/0, Y/N"
            + ("; 公办/民办" if name == "public" else "")
            + "; it decides "
            "which schools count)",
            got=col,
            zh=f"列 {label(name)} 须为是或否（是/否、1/0、true/false"
            + ("、公办/民办" if name == "public" else "")
            + "；它决定哪些学校纳入评估）",
        )
        flags[name] = value

    if units:
        _per_pupil_units(
            problems, resources, enrollment, senior, label, (headers or {}).get("equipment_value")
        )
    repeated, first, id_keys = repeats(ids, county)
    problems.add(
        repeated,
        f"column {label('school_id')} must be unique within a county (repeats an earlier row)",
        zh=f"列 {label('school_id')} 在同一县内不能重复（与前面的行重复）",
        said=lambda i: problems.repeats(int(first[i])),
    )
    county_names = None
    if "county_name" in table.column_names:
        names = text_column(table, "county_name")
        county_names, differs = _county_names(names, county, len(county_codes))
        problems.add(
            differs,
            f"column {label('county_name')} must be the same on every row of a county",
            zh=f"同一县各行的列 {label('county_name')} 须一致",
            got=names,
        )
    problems.raise_any()
    return SchoolColumns(
        school_id=ids,
        school_name=text_column(table, "school_name")
        if "school_name" in table.column_names
        else None,
        county=county,
        county_code=county_codes,
        county_name=county_names,
        kind=kind,
        public=flags["public"],
        county_run=flags["county_run"],
        enrollment=enrollment,
        senior_enrollment=senior,
        people=people,
        resources=resources,
        class_sizes=class_sizes,
        not_reported=not_reported,
        id_keys=id_keys,
    )
