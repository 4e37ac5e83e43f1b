"""Validating a table of schools into the pipeline's columns, once, at entry.

Every check is vectorised; every problem is collected and reported in one
:class:`~eduequity.DataError` that counts the bad rows and names the first school ids.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, floats, numbers, one, scalar, strings
from eduequity._errors import DataError
from eduequity._models import PHYSICAL_RESOURCES, STAGE_PEOPLE, SchoolKind, Stage
from eduequity._schema import (
    AMOUNT,
    CLASS_SIZE,
    COLUMNS,
    ENROLLMENT,
    KIND_ALIASES,
    SENIOR_ENROLLMENT,
    Constraint,
    stage_column,
)
from eduequity._split import KIND_CODES
from eduequity.batch._bands import band_nulls, read_bands, with_bands
from eduequity.batch._problems import Problems
from eduequity.rules._columns import STAGES, ClassSizes, SchoolColumns

__all__ = [
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


#: How a yes/no column may say yes and no (compared in lower case, trimmed).
FLAG_WORDS: Mapping[str, bool] = {
    **dict.fromkeys(("true", "t", "yes", "y", "1", "是", "√"), True),
    **dict.fromkeys(("false", "f", "no", "n", "0", "否", "×"), False),
}


#: How the ``public`` column may say it, beside yes and no (办学性质).
_PUBLIC_WORDS: Mapping[str, bool] = {"公办": True, "民办": False}


def _flag(
    col: pa.ChunkedArray, where: str, label: str, more: Mapping[str, bool]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """A yes/no column: booleans, 1 / 0, or the words of :data:`FLAG_WORDS`. Return the
    values (True where unknown) and the rows that are empty or say neither."""
    if pa.types.is_boolean(col.type):
        unknown = null_mask(col)
        return bools(col, null=True), unknown
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
        x = floats(col)
        return x != 0, ~np.isin(x, [0.0, 1.0])
    if _is_text(col.type):
        words = [
            None if v is None else {**FLAG_WORDS, **more}.get(v.strip().lower())
            for v in _plain_text(col).to_pylist()
        ]
        unknown = np.array([w is None for w in words], dtype=np.bool_)
        return np.array([w is not False for w in words], dtype=np.bool_), unknown
    raise DataError(
        f"evaluate_table: {where} column {label} must be yes or no. Got type {col.type}."
    )


def _empty_as_null(text: pa.Array) -> pa.Array:
    """``text`` with its empty strings made null."""
    return pc.if_else(pc.equal(text, scalar("", pa.string())), pa.nulls(1, pa.string())[0], text)


def null_mask(col: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    """True where ``col`` is null."""
    return bools(col.is_null())


def float_column(
    table: pa.Table, name: str, where: str
) -> tuple[FloatArray, NDArray[np.bool_], NDArray[np.bool_], list[Any]]:
    """A numeric column as float64 (NaN for null or bad text; read-only if it shares the
    table's buffer), its null mask, the rows whose text is not a number, and the values as
    given (for messages; empty unless some text is bad)."""
    col = table.column(name)
    n = len(col)
    no_text: NDArray[np.bool_] = np.zeros(n, dtype=np.bool_)
    if _is_text(col.type):
        text = pc.utf8_trim_whitespace(_plain_text(col))
        text = _empty_as_null(text)
        try:
            col = text.cast(pa.float64())
        except pa.ArrowInvalid:  # some text is not a number: find it row by row
            given = text.to_pylist()
            parsed = [_number(v) for v in given]
            bad = np.array(
                [v is not None and p is None for v, p in zip(given, parsed, strict=True)]
            )
            values = np.array([math.nan if p is None else p for p in parsed])
            return values, np.array([v is None for v in given]), bad, given
    elif not (
        pa.types.is_integer(col.type)
        or pa.types.is_floating(col.type)
        or pa.types.is_decimal(col.type)
        or pa.types.is_null(col.type)
    ):
        raise DataError(
            f"evaluate_table: {where} column {name!r} must be numeric. Got type {col.type}."
        )
    # Arrow gives NaN at the nulls of a float column; the array is read-only where it shares
    # the caller's buffer, and every change below makes a new one.
    values = floats(col)
    if col.null_count == 0:
        return values, np.zeros(n, dtype=np.bool_), no_text, []
    return values, null_mask(col), no_text, []


def _beyond_floats(col: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    """Where an integer column holds a value a float cannot hold exactly (beyond 2**53 either
    way), read from the integers themselves: the figures are read as floats, and a code or an
    amount that large is a mistake to name as written, not to round."""
    kind = col.type
    limit = 2**53
    if not (pa.types.is_integer(kind) and kind.bit_width == 64):
        return np.zeros(len(col), dtype=np.bool_)
    low, high = pc.min_max(col).values()  # one pass decides in the usual case
    if (high.as_py() or 0) <= limit and (low.as_py() or 0) >= -limit:
        return np.zeros(len(col), dtype=np.bool_)
    above = pc.greater(col, scalar(limit, kind))
    if pa.types.is_signed_integer(kind):
        above = pc.or_(above, pc.less(col, scalar(-limit, kind)))
    return bools(above)


def _number(text: str | None) -> float | None:
    """``text`` as a number, or None where it is not one."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _is_text(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or (pa.types.is_dictionary(kind) and _is_text(kind.value_type))
    )


def _plain_text(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A text column of any string type as one plain string array."""
    if isinstance(col, pa.ChunkedArray):
        col = one(col)
    if pa.types.is_dictionary(col.type):
        # Categoricals: polars hands their values over as string_view, which Arrow cannot
        # take from, so decode through a plain string dictionary.
        col = col.dictionary.cast(pa.string()).take(col.indices)
    return col if col.type == pa.string() else col.cast(pa.string())


def _plain_amounts(table: pa.Table, name: str, applies: NDArray[np.bool_]) -> FloatArray | None:
    """Column ``name`` of amounts as :func:`validate` returns it (NaN where it does not apply),
    where two reductions show that nothing in it needs explaining: a numeric column whose
    values, nulls aside, are all within :data:`~eduequity.schema.AMOUNT`, with no NaN and no
    null where it applies. None otherwise (the full checks then explain). The values are not
    copied where they need not be (a float column without nulls is read in place, read-only).
    """
    if name not in table.column_names:
        return None
    col = table.column(name)
    if not (pa.types.is_floating(col.type) or pa.types.is_integer(col.type)):
        return None
    # NaN at the nulls; a view where the column is one chunk of floats without null, else a
    # new array of ours, which the rows where the column does not apply are written into.
    values = floats(col)
    if not values.size:
        return None
    if col.null_count == 0:  # NaN and infinities fail the bounds
        if not _within(AMOUNT, values.min(), values.max()):
            return None
        return values if applies.all() else _not_applying(values, applies)
    unknown = np.isnan(values)  # the nulls, and any NaN
    if np.count_nonzero(unknown) != col.null_count or (applies & unknown).any():
        return None
    if not _within(AMOUNT, np.fmin.reduce(values), np.fmax.reduce(values)):  # skip the NaN
        return None
    if applies.all() or np.array_equal(unknown, ~applies):
        return values
    return _not_applying(values, applies)


def _not_applying(values: FloatArray, applies: NDArray[np.bool_]) -> FloatArray:
    """``values`` with NaN where they do not apply: written in place where the array is ours
    (writable), else a new one (a view of the caller's buffer is never written)."""
    if not values.flags.writeable:
        return np.where(applies, values, math.nan)
    values[~applies] = math.nan
    return values


def _within(constraint: Constraint, low: float, high: float) -> bool:
    """Whether values from ``low`` to ``high`` all hold to ``constraint`` (bounds only)."""
    above = low > constraint.minimum if constraint.strict else low >= constraint.minimum
    return bool(above and high <= constraint.maximum)


def text_column(table: pa.Table, name: str) -> pa.Array:
    """Column ``name`` as one plain string array (whatever string type it came as)."""
    return _plain_text(table.column(name))


def _class_sizes(table: pa.Table, name: str, where: str) -> ClassSizes | None:
    if name not in table.column_names:
        return None
    col = table.column(name)
    if _is_text(col.type):
        # CSV: "45;44;46"; an empty cell is not reported.
        text = pc.utf8_trim_whitespace(_plain_text(col))
        text = _empty_as_null(text)
        parts = pc.split_pattern(text, ";")
        try:
            values = pc.cast(pc.utf8_trim_whitespace(parts.values), pa.int64())
        except pa.ArrowInvalid:
            raise DataError(
                f"evaluate_table: {where} column {name!r} must hold whole numbers separated by "
                "';' (e.g. 45;44;46)."
            ) from None
        col = pa.chunked_array(
            [pa.ListArray.from_arrays(parts.offsets, values, mask=parts.is_null())]
        )
    if not (pa.types.is_list(col.type) or pa.types.is_large_list(col.type)):
        raise DataError(
            f"evaluate_table: {where} column {name!r} must be a list of integers (or, in CSV, "
            f"sizes separated by ';'). Got type {col.type}."
        )
    # Each chunk read in place; several are joined once, in NumPy (no copy in Arrow first).
    listed = [_listed(chunk) for chunk in col.chunks or [pa.nulls(0, col.type)]]
    if len(listed) == 1:
        return listed[0]
    ends = np.cumsum([c.values.size for c in listed])
    return ClassSizes(
        values=np.concatenate([c.values for c in listed]),
        offsets=np.concatenate(
            [listed[0].offsets[:-1]]
            + [c.offsets[:-1] + end for c, end in zip(listed[1:], ends[:-1], strict=True)]
            + [ends[-1:]]
        ).astype(np.intp),
        reported=np.concatenate([c.reported for c in listed]),
    )


def _listed(col: pa.Array) -> ClassSizes:
    """One chunk of a list column of class sizes, its values read in place where they can be."""
    reported = ~null_mask(col)
    # The list's own offsets, where no null list covers values (else counted again).
    given = numbers(col.offsets)
    if not np.diff(given)[~reported].any():
        offsets = (given - given[0]).astype(np.intp)
    else:
        length = pc.list_value_length(col)
        lengths = np.asarray(numbers(pc.fill_null(length, scalar(0, length.type))), dtype=np.intp)
        offsets = np.zeros(lengths.size + 1, dtype=np.intp)
        np.cumsum(lengths, out=offsets[1:])
    flat = col.flatten()  # skips the values behind null lists, honours slicing
    if not pa.types.is_integer(flat.type):
        flat = flat.cast(pa.int64())
    if flat.null_count:  # a null inside a list: 0, which the checks refuse
        flat = pc.fill_null(flat, scalar(0, flat.type))
    values = numbers(flat)  # the table's own buffer
    return ClassSizes(values=values, offsets=offsets, reported=reported)


def _repeats(ids: pa.Array, county: NDArray[np.intp]) -> NDArray[np.bool_]:
    """True where a row repeats the (county, school id) of an earlier row.

    Whether any row repeats is decided by counting distinct values with Arrow's hashing,
    whose cost does not depend on the order of the rows: the ids (a census id is unique in the
    nation), and where some id repeats, the (id, county) pairs as numbers. Only where a pair
    repeats, the rows are sorted by id and county (stably), so a repeat follows its first
    occurrence.
    """
    dup = np.zeros(len(ids), dtype=np.bool_)
    if len(ids) < 2:
        return dup
    filled = pc.fill_null(ids, scalar("", pa.string())) if ids.null_count else ids
    if len(pc.unique(filled)) == len(ids):
        return dup
    id_code = np.asarray(numbers(pc.dictionary_encode(filled).indices), dtype=np.int64)
    pair = id_code * (int(county.max()) + 1) + county
    if len(pc.unique(array(pair))) == len(ids):
        return dup
    keys = pa.table({"id": filled, "county": array(county)})
    order = pc.sort_indices(keys, sort_keys=[("id", "ascending"), ("county", "ascending")])
    rows = np.asarray(numbers(order), dtype=np.intp)
    by_id = filled.take(order)
    same_id = bools(pc.equal(by_id.slice(1), by_id.slice(0, len(ids) - 1)))
    in_county = county[rows]
    dup[rows[1:][same_id & (in_county[1:] == in_county[:-1])]] = True
    return dup


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


def _six_digits(codes: pa.Array) -> NDArray[np.bool_]:
    """Whether each county code is 6 digits."""
    ok = pc.match_substring_regex(codes, r"^[0-9]{6}$")
    return bools(ok)


def _per_pupil_units(
    problems: Problems,
    resources: Mapping[str, FloatArray],
    enrollment: Mapping[Stage, FloatArray],
    senior: FloatArray,
    label: Callable[[str], str],
) -> None:
    """An equipment value under 1 yuan per pupil: the column is in 万元, not yuan."""
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
    problems = Problems(ids, where, row_label)
    problems.add(
        bools(pc.equal(pc.utf8_length(ids), scalar(0, pa.int32())), null=True),
        f"column {label('school_id')} must be a non-empty string",
        zh=f"列 {label('school_id')} 不能为空",
    )
    county_null, county, county_codes = _county_index(table)
    problems.add(
        county_null,
        f"column {label('county_code')} is empty: every school needs its county",
        zh=f"列 {label('county_code')} 为空：每所学校都须有所在县的代码",
    )
    problems.add(
        ~county_null & ~_six_digits(county_codes)[county],
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
        + " (or the Chinese name)",
        got=table.column("kind"),
        zh=f"列 {label('kind')} 须为学校类型之一（小学、初级中学、九年一贯制学校、"
        "十二年一贯制学校、完全中学、小学教学点、特殊教育学校、职业学校）",
    )

    def kinds_where(pred: Callable[[SchoolKind], bool]) -> NDArray[np.bool_]:
        # A lookup by kind code (an unknown kind, -1, takes the last entry: False).
        lookup = np.zeros(len(KIND_CODES) + 1, dtype=np.bool_)
        for k in SchoolKind:
            lookup[KIND_CODES[k]] = pred(k)
        found: NDArray[np.bool_] = lookup[kind]
        return found

    def read(name: str) -> tuple[FloatArray, NDArray[np.bool_]]:
        """Column ``name`` as floats and its nulls; text that is not a number is a problem."""
        if name not in table.column_names:
            return np.full(n, np.nan), np.ones(n, dtype=np.bool_)
        values, isnull, bad, given = float_column(table, name, where)
        problems.add(
            bad,
            f"column {label(name)} must be a number",
            got=given,
            zh=f"列 {label(name)} 须为数字",
        )
        huge = _beyond_floats(table.column(name))
        problems.add(
            huge,
            f"column {label(name)} holds a whole number too large to be read exactly "
            "(beyond 2**53 = 9007199254740992)",
            got=table.column(name),
            zh=f"列 {label(name)} 的整数过大，无法精确读取（超过 2**53 = 9007199254740992）",
        )
        if huge.any():  # not a figure to check further, as text that is not a number
            values = np.where(huge, math.nan, values)
        return values, isnull | bad | huge

    not_reported: dict[str, NDArray[np.bool_]] = {}

    def null_policy(name: str, null_here: NDArray[np.bool_]) -> None:
        """Nulls of column ``name`` where it applies: problems, or "not reported"."""
        if nulls == "error":
            problems.add(
                null_here,
                f"column {label(name)} is empty (pass nulls='not_reported' to "
                "treat empty cells as not reported)",
                zh=f"列 {label(name)} 为空（空单元格表示未填报时，用 nulls='not_reported'，"
                "即 --nulls not_reported）",
            )
        elif null_here.any():
            not_reported[name] = null_here

    def optional(name: str, applies: NDArray[np.bool_]) -> FloatArray:
        """Check column ``name`` where it ``applies``; its values there, NaN elsewhere."""
        plain = _plain_amounts(table, name, applies)
        if plain is not None:  # nothing to explain
            return plain
        values, isnull = read(name)
        if name not in table.column_names:
            return values
        problems.add(
            applies & ~isnull & AMOUNT.violated(values),
            f"column {label(name)} {AMOUNT.expectation}",
            zh=f"列 {label(name)} {AMOUNT.expectation_zh}",
            got=values,
        )
        null_policy(name, applies & isnull)
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
            required & ENROLLMENT.violated(values),
            f"column {label(name)} {ENROLLMENT.expectation} for a kind that has the stage",
            zh=f"有此学段的学校，列 {label(name)} {ENROLLMENT.expectation_zh}",
            got=values,
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
    problems.add(
        with_senior & ENROLLMENT.violated(senior),
        f"column {label('enrollment_senior')} {ENROLLMENT.expectation} for twelve_year and "
        "complete_secondary schools",
        got=senior,
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

    people = {
        stage: {
            f: optional(stage_column(f, stage.value), has_stage[stage]) for f in STAGE_PEOPLE[1:]
        }
        for stage in STAGES
    }
    resources = {r: optional(r, kind >= 0) for r in PHYSICAL_RESOURCES}

    class_sizes = {}
    for stage in STAGES:
        name = stage_column("class_sizes", stage.value)
        sizes = _class_sizes(table, name, where)
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
            if not sizes.values.size or not _within(
                CLASS_SIZE, sizes.values.min(), sizes.values.max()
            ):
                small = sizes.count_where(CLASS_SIZE.violated(sizes.values)) > 0
                problems.add(
                    small & has_stage[stage],
                    f"column {label(name)}: each class size {CLASS_SIZE.expectation}",
                    zh=f"列 {label(name)}：每个班额{CLASS_SIZE.expectation_zh}",
                )
            neither = has_stage[stage] & ~sizes.reported & ~by_band
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
        value, unknown = _flag(col, where, label(name), _PUBLIC_WORDS if name == "public" else {})
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
        _per_pupil_units(problems, resources, enrollment, senior, label)
    problems.add(
        _repeats(ids, county),
        f"column {label('school_id')} must be unique within a county (repeats an earlier row)",
        zh=f"列 {label('school_id')} 在同一县内不能重复（与前面的行重复）",
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
    )
