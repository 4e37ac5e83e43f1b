"""County-level inputs of the columnar door: a file or table with one row per county, read as
one array over the counties per input.

The county is in ``county_code`` or ``行政区划代码`` (or ``县区代码``); each input in a column
named by its id or its Chinese name (:data:`eduequity.batch.COUNTY_INPUTS`); a county
name column (``county_name``, ``区县名称``, ``县区名称``) may be there and is set aside. Rates
may be written ``0.92``, ``92%`` or ``92`` (the rule: ``read_rates``),
yes/no as booleans or ``是`` / ``否``. CSV (UTF-8 or GBK, detected), Excel, Parquet, any Arrow
table, or a TOML file with one table per county (TOML wants a key that is not ASCII letters,
digits, ``_`` or ``-`` in quotes)::

    ["320102"]
    "公众满意度" = "92%"
    "县级人民政府推进义务教育均衡发展工作评估得分" = 88
    veto_exam_admission = false

:func:`write_county_inputs_template` writes an empty file to fill in, with the Chinese names
and how to write each input.

What was read is returned beside the values (:class:`CountyInputsRead`): each header and the
input it was read as, the headers set aside, and how rates were read where a value could be
read two ways.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import from_python, numbers, of_type
from eduequity._county_inputs import (
    COUNTY_INPUTS,
    INPUT_RANGES,
    InputKind,
    input_named,
    read_rates,
    read_yes_no,
    unknown_input_message,
)
from eduequity._errors import DataError, UnknownNameError
from eduequity._models import County
from eduequity._options import get_option
from eduequity._schema import COLUMNS
from eduequity._template import write_empty_table
from eduequity.batch._cells import null_mask
from eduequity.batch._read import read_table
from eduequity.batch._reading import SchoolsRead
from eduequity.batch._sources import sheet_with_county_code

__all__ = [
    "INPUTS_KEY",
    "CountyInputsRead",
    "carried_inputs",
    "county_inputs",
    "county_inputs_reference",
    "inputs_from_counties",
    "read_county_inputs",
    "write_county_inputs_template",
]

FloatArray = NDArray[np.float64]

#: The key of a school table's schema metadata that carries its counties' inputs (JSON of the
#: columns of :func:`inputs_from_counties`), written by
#: :func:`eduequity.batch.table_from_counties`.
INPUTS_KEY = b"eduequity._county_inputs"

_ALIASES = {c.name: (c.name, *c.aliases) for c in COLUMNS}
#: Headers of the county code and of the county name.
_CODE_HEADERS = _ALIASES["county_code"]
_NAME_HEADERS = _ALIASES["county_name"]


def _say(en: str, zh: str) -> str:
    return zh if get_option("lang") == "zh" else en


@attrs.frozen(eq=False)
class CountyInputsRead:
    """A county-inputs file as read: the values and what was read.

    Attributes
    ----------
    codes : pyarrow.StringArray
        The county of each row.
    values : mapping of str to array of float
        Per input id, its value in each row (flags 1.0 / 0.0; NaN: not supplied).
    headers : mapping of str to str
        Per input id (and ``county_code``), the header as written.
    set_aside : mapping of str to str
        Headers read but not used, with why.
    notes : tuple of str
        How values were read where the file could be read two ways: each column of rates
        read as percentages, and each bare ``1`` read by the rule (see
        ``read_rates``); in the language of the ``lang`` option.
    where : str
        The file's name, for messages.
    """

    codes: pa.Array
    values: Mapping[str, FloatArray]
    headers: Mapping[str, str]
    set_aside: Mapping[str, str]
    notes: tuple[str, ...]
    where: str

    def describe(self) -> list[str]:
        """What was read, one line each: each header and the input it was read as, the
        headers set aside, the notes."""
        lines = [f"{header!r} -> {key}" for key, header in self.headers.items() if header != key]
        lines += [f"{header!r}: {why}" for header, why in self.set_aside.items()]
        return lines + list(self.notes)


def _toml_columns(path: Path) -> dict[str, list[Any]]:
    """A TOML file with one table per county (its code as the key), as columns."""
    from eduequity.standards._toml_table import tomllib

    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DataError(
            _say(
                f"county inputs {path.name!r} is not TOML text in UTF-8: {error}.",
                f"县级指标文件 {path.name!r} 不是 UTF-8 编码的 TOML 文本：{error}。",
            )
        ) from None
    rows: list[dict[str, Any]] = []
    for code, inputs in data.items():
        if not isinstance(inputs, dict):
            raise DataError(
                _say(
                    f"county inputs {path.name!r}: {code!r} must be a table of the county's "
                    f'inputs (["{code}"] on a line, then one input per line). Got {inputs!r}.',
                    f"县级指标文件 {path.name!r}：{code!r} 应为该县的指标表（先写一行 "
                    f'["{code}"]，再每行一项指标）。实际为 {inputs!r}。',
                )
            )
        rows.append({"county_code": code, **inputs})
    headers = list(dict.fromkeys(h for row in rows for h in row)) or ["county_code"]
    return {h: [row.get(h) for row in rows] for h in headers}


def _text_of(col: pa.ChunkedArray) -> list[Any]:
    """The values of a column as Python values (booleans, numbers or text)."""
    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    values: list[Any] = col.to_pylist()
    return values


def read_county_inputs(
    source: Any,
    *,
    encoding: str | None = None,
    sheet: int | str | None = None,
    header_row: int = 0,
) -> CountyInputsRead:
    """Read a county-inputs file or table (see the module): one row per county.

    Parameters
    ----------
    source : table-like or path
        A ``.csv``, Excel, ``.parquet`` or ``.toml`` file, or anything
        :func:`eduequity.batch.read_table` reads.
    encoding, sheet, header_row : optional
        As for :func:`eduequity.batch.read_table`. By default, a workbook's one sheet, or of
        several the one whose header row has the county code (行政区划代码); several such,
        or none, are refused, naming the sheets.

    Returns
    -------
    CountyInputsRead

    Raises
    ------
    UnknownNameError
        For a header that is no county input, with the nearest name if one is near.
    DataError
        For a missing county code, a value that is not one of its kind (naming the header as
        written, the county and the value), a county twice, a column twice.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from eduequity.batch._inputs import read_county_inputs
    >>> read = read_county_inputs(pa.table({"行政区划代码": ["990101"], "公众满意度": ["92%"]}))
    >>> read.values["satisfaction_rate"].tolist(), read.describe()
    ([0.92], ["'行政区划代码' -> county_code", "'公众满意度' -> satisfaction_rate"])
    """
    if isinstance(source, (str, Path)) and Path(source).suffix.lower() == ".toml":
        path = Path(source)
        if not path.exists():
            raise DataError(f"read_table: file {str(path)!r} does not exist.")
        columns, where = _toml_columns(path), path.name
    else:
        chosen, named = (
            (sheet, "")
            if sheet is not None
            else sheet_with_county_code(source, header_row, _CODE_HEADERS)
        )
        table, where = read_table(source, encoding, chosen, header_row)
        columns = {h: _text_of(table.column(h)) for h in table.column_names}
        where += named
    place = f"county inputs {where}"
    headers: dict[str, str] = {}
    set_aside: dict[str, str] = {}
    for header in columns:
        name = header.strip()
        if name in _CODE_HEADERS:
            key = "county_code"
        elif name in _NAME_HEADERS:
            set_aside[header] = _say("the county's name (not used)", "县（区）名称（不参与评估）")
            continue
        else:
            spec = input_named(name)
            if spec is None:
                raise UnknownNameError(
                    unknown_input_message(f"{place} column", header, _CODE_HEADERS)
                )
            key = spec.id
        if key in headers:
            raise DataError(
                _say(
                    f"{place} has {key!r} twice (as {headers[key]!r} and {header!r}); keep one.",
                    f"{place} 中“{headers[key]}”与“{header}”是同一项（{key}），请只保留一列。",
                )
            )
        headers[key] = header
    if "county_code" not in headers:
        raise DataError(
            _say(
                f"evaluate_table: {place} lacks column 'county_code' (or 行政区划代码).",
                f"evaluate_table: {place} 缺少“行政区划代码”列（county_code）。",
            )
        )
    written = columns[headers["county_code"]]
    codes = of_type([_code(c) for c in written], pa.string())
    if codes.null_count:
        i = next(i for i, c in enumerate(codes.to_pylist()) if c is None)
        raise DataError(
            _say(
                f"evaluate_table: {place} row {i + 1} has no county code "
                f"({headers['county_code']!r}).",
                f"evaluate_table: {place} 第 {i + 1} 行缺少“{headers['county_code']}”。",
            )
        )
    notes: list[str] = []
    values: dict[str, FloatArray] = {}
    for key, header in headers.items():
        if key == "county_code":
            continue
        values[key] = _read_column(key, header, columns[header], codes, place, notes)
    return CountyInputsRead(codes, values, headers, set_aside, tuple(notes), where)


def _bad(place: str, header: str, expectation: str, value: Any, county: Any, n: int) -> DataError:
    return DataError(
        _say(
            f"evaluate_table: {place} column {header!r} must be {expectation}. Got {value!r} "
            f"for county {county!r} ({n} such row(s)).",
            f"evaluate_table: {place} “{header}”列应为{expectation}。县（区）{county!r} 的值为 "
            f"{value!r}（共 {n} 行）。",
        )
    )


def _read_column(
    key: str, header: str, given: Sequence[Any], codes: pa.Array, place: str, notes: list[str]
) -> FloatArray:
    """One input column as floats (flags 1.0 / 0.0, NaN where blank)."""
    spec = COUNTY_INPUTS[key]
    county = codes.to_pylist()
    blank = [v is None or (isinstance(v, str) and not v.strip()) for v in given]
    out = np.full(len(given), np.nan)
    if spec.kind is InputKind.FLAG:
        flags = [None if b else read_yes_no(v) for v, b in zip(given, blank, strict=True)]
        wrong = [
            i for i, (f, b) in enumerate(zip(flags, blank, strict=True)) if f is None and not b
        ]
        if wrong:
            i = wrong[0]
            what = _say(
                "boolean: yes or no (是 / 否, true / false)", "是或否（是 / 否，true / false）"
            )
            raise _bad(place, header, what, given[i], county[i], len(wrong))
        for i, f in enumerate(flags):
            if f is not None:
                out[i] = float(f)
        return out
    low, high, expectation = INPUT_RANGES[spec.kind]
    if spec.kind is InputKind.RATE:
        rates = read_rates([None if b else v for v, b in zip(given, blank, strict=True)])
        if rates.bad is not None:
            i = rates.bad
            what = _say("a rate: 0.92, 92% or 92", "比例：0.92、92% 或 92")
            raise _bad(place, header, what, given[i], county[i], 1)
        if rates.mixed is not None:
            a, b = rates.mixed
            raise DataError(
                _say(
                    f"evaluate_table: {place} column {header!r} must be {expectation} or a "
                    f"percentage (91 or 91%), the same way for every county: it mixes "
                    f"percentages and fractions. Got {given[a]!r} for county {county[a]!r} "
                    f"and {given[b]!r} for county {county[b]!r}; write the % sign.",
                    f"evaluate_table: {place} “{header}”列混用了百分数与小数：县（区）"
                    f"{county[a]!r} 为 {given[a]!r}，{county[b]!r} 为 {given[b]!r}。"
                    "请统一写法，或写明百分号（如 91%）。",
                )
            )
        if rates.percentages:
            i = next(i for i, v in enumerate(given) if not _signed(v) and _above_one(v))
            notes.append(
                _say(
                    f"{header!r}: bare numbers read as percentages, since one is above 1 "
                    f"({given[i]!r} for county {county[i]!r} read as {rates.values[i]:g}).",
                    f"“{header}”：未写百分号的数均按百分数读取，因为有大于 1 的数（县（区）"
                    f"{county[i]!r} 的 {given[i]!r} 读作 {rates.values[i]:g}）。",
                )
            )
        for i in rates.either:
            shown = f"{rates.values[i] * 100:g}%"  # type: ignore[operator]
            notes.append(
                _say(
                    f"{header!r}: {given[i]!r} for county {county[i]!r} read as {shown} "
                    f"({'a percentage' if rates.percentages else 'a fraction'}: a bare 1 is "
                    "100% as a fraction, 1% as a percentage; write the % sign to say which).",
                    f"“{header}”：县（区）{county[i]!r} 的 {given[i]!r} 读作 {shown}"
                    f"（{'按百分数' if rates.percentages else '按小数'}；未写百分号的 1 可能是 "
                    "100% 或 1%，请写明百分号）。",
                )
            )
        read: list[float | None] = rates.values
    else:
        read = []
        wrong = []
        for i, (v, b) in enumerate(zip(given, blank, strict=True)):
            x = None if b else _as_number(v)
            if x is None and not b:
                wrong.append(i)
            read.append(x)
        if wrong:
            i = wrong[0]
            raise _bad(place, header, _say("a number", "数字"), given[i], county[i], len(wrong))
    bad = [
        i
        for i, x in enumerate(read)
        if x is not None and not (low <= x <= high and math.isfinite(x))
    ]
    if bad:
        i = bad[0]
        raise _bad(place, header, expectation, given[i], county[i], len(bad))
    for i, x in enumerate(read):
        if x is not None:
            out[i] = x
    return out


def _code(c: Any) -> str | None:
    """A county code as text (a code a spreadsheet stored as a number, without ``.0``)."""
    if c is None:
        return None
    if isinstance(c, float) and c.is_integer():
        c = int(c)
    text = str(c).strip()
    return text or None


def _as_number(v: Any) -> float | None:
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            return None
    return None


def _above_one(v: Any) -> bool:
    x = _as_number(v)
    return x is not None and x > 1


def _signed(v: Any) -> bool:
    return isinstance(v, str) and v.strip().endswith(("%", "％"))


def inputs_from_counties(counties: Sequence[County]) -> pa.Table:
    """The inputs of ``counties`` (``County.inputs``) as a county-inputs table: one row per
    county, ``county_code``, ``county_name`` and a column per input any of them has (in the
    order of :data:`eduequity.batch.COUNTY_INPUTS`; flags as booleans, the others as
    floats, null where a county has not the input).

    The table is what ``county_inputs=`` of :func:`eduequity.batch.evaluate_table` reads; a
    table made by :func:`eduequity.batch.table_from_counties` already carries it.

    Raises
    ------
    DataError
        For a county code given twice with different inputs, naming the county, the input
        and both values.

    Examples
    --------
    >>> import eduequity as ee
    >>> from eduequity.batch import inputs_from_counties
    >>> t = inputs_from_counties([ee.datasets.sample_county()])
    >>> t.column_names
    ['county_code', 'county_name', 'government_work_score', 'satisfaction_rate']
    >>> t.column("satisfaction_rate").to_pylist()
    [0.912]
    """
    first: dict[str, County] = {}
    for i, county in enumerate(counties):
        if not isinstance(county, County):
            raise DataError(
                f"inputs_from_counties: item {i} must be a County. Got {type(county).__name__}."
            )
        seen = first.setdefault(county.code, county)
        if seen is not county and dict(seen.inputs) != dict(county.inputs):
            key = next(
                k
                for k in sorted({*seen.inputs, *county.inputs})
                if seen.inputs.get(k) != county.inputs.get(k)
            )
            raise DataError(
                f"inputs_from_counties: county {county.code!r} is given twice with different "
                f"input {key!r}: {seen.inputs.get(key)!r} and {county.inputs.get(key)!r}."
            )
    used = [k for k in COUNTY_INPUTS if any(k in c.inputs for c in first.values())]
    columns: dict[str, pa.Array] = {
        "county_code": of_type(list(first), pa.string()),
        "county_name": of_type([c.name or None for c in first.values()], pa.string()),
    }
    for key in used:
        flag = COUNTY_INPUTS[key].kind is InputKind.FLAG
        given = [c.inputs.get(key) for c in first.values()]
        if flag:
            columns[key] = of_type(given, pa.bool_())
        else:
            columns[key] = of_type([None if v is None else float(v) for v in given], pa.float64())
    return pa.table(columns)


def carried_inputs(schools: Any) -> pa.Table | None:
    """The county-inputs table a school table carries in its schema metadata
    (:data:`INPUTS_KEY`, written by :func:`eduequity.batch.table_from_counties`), or None.

    Looked for in an Arrow table or record-batch stream, in what
    :func:`~eduequity.batch.read_schools` returned, and in a Parquet file (which keeps the
    metadata); other sources (CSV, Excel, frames of other libraries, which drop Arrow
    metadata) carry none.
    """
    metadata = None
    if isinstance(schools, SchoolsRead):  # what read_schools returned: its table's
        schools = schools.table
    if isinstance(schools, pa.Table | pa.RecordBatch | pa.RecordBatchReader):
        metadata = schools.schema.metadata
    elif isinstance(schools, str | os.PathLike):
        path = Path(schools)
        if path.suffix.lower() in (".parquet", ".pq") and path.is_file():
            import pyarrow.parquet as pq

            try:
                metadata = pq.read_schema(path).metadata
            except (pa.ArrowException, OSError):
                return None  # not Parquet after all: the reader says so
    if not metadata or INPUTS_KEY not in metadata:
        return None
    columns = json.loads(metadata[INPUTS_KEY].decode("utf-8"))
    return pa.table({name: from_python(values) for name, values in columns.items()})


def county_inputs(
    source: Any, county_codes: pa.Array, where: str, schools: Any = None
) -> Mapping[str, FloatArray]:
    """County-level inputs as one array per input over the counties (NaN: not supplied), from
    a county-inputs file or table ``source`` (:func:`read_county_inputs`), or, without one,
    from those the school table ``schools`` carries (:func:`carried_inputs`).

    ``source`` replaces the inputs the table carries (it is not merged with them). The
    inputs a table carries of counties it has no school of (a table cut to some counties)
    are not used: those counties are not evaluated.

    Raises
    ------
    DataError
        For a county of ``source`` without schools or given twice.
    """
    carried = None if source is not None else carried_inputs(schools)
    if source is None and carried is None:
        return {}
    read = read_county_inputs(source if carried is None else carried)
    name = read.where if carried is None else f"carried by {where}"
    codes = read.codes
    position = pc.index_in(codes, value_set=county_codes)
    unknown = null_mask(position)
    rows = np.arange(len(codes))
    if carried is not None:
        rows = np.flatnonzero(~unknown)
    elif unknown.any():
        first = codes[int(np.flatnonzero(unknown)[0])].as_py()
        raise DataError(
            f"evaluate_table: county_inputs {name} has county {first!r}, which has no school "
            f"in {where} ({int(unknown.sum())} such row(s))."
        )
    at = np.asarray(numbers(position)[rows], dtype=np.intp)
    seen = np.bincount(at, minlength=len(county_codes))
    if (seen > 1).any():
        twice = county_codes[int(np.flatnonzero(seen > 1)[0])].as_py()
        raise DataError(
            f"evaluate_table: county_inputs {name} has county {twice!r} more than once."
        )
    out: dict[str, FloatArray] = {}
    for key, values in read.values.items():
        by_county = np.full(len(county_codes), np.nan)
        by_county[at] = values[rows]
        out[key] = by_county
    return out


#: How to write an input of each kind, in Chinese and English.
_HOW: Mapping[InputKind, str] = {
    InputKind.SCORE: "分数，0 至 100 | a score from 0 to 100",
    InputKind.RATE: "比例：92%、92 或 0.92（同一列写法一致） | a rate: 92%, 92 or 0.92",
    InputKind.FLAG: "是 / 否 | yes or no",
    InputKind.NUMBER: "数值，不小于 0 | a number >= 0",
}

#: The fields of :func:`county_inputs_reference`, with their headings.
REFERENCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("header_zh", "中文表头"),
    ("id", "代码 id"),
    ("meaning", "含义 meaning"),
    ("how", "填写方式 how to write"),
)


def county_inputs_reference() -> list[dict[str, str]]:
    """One entry per county input: its Chinese header, id, meaning and how to write it.

    Examples
    --------
    >>> from eduequity.batch._inputs import county_inputs_reference
    >>> county_inputs_reference()[1]["header_zh"], county_inputs_reference()[1]["how"][:16]
    ('公众满意度', '比例：92%、92 或 0.92')
    """
    out = []
    for spec in COUNTY_INPUTS.values():
        meaning = spec.name_en
        if spec.id.startswith("veto_"):
            meaning += " (是 / yes: it happened)"
        out.append(
            {"header_zh": spec.name_zh, "id": spec.id, "meaning": meaning, "how": _HOW[spec.kind]}
        )
    return out


def write_county_inputs_template(path: str | Path) -> list[Path]:
    """Write an empty county-inputs file to fill in, one row per county: 行政区划代码, 县区名称
    and every county input under its Chinese name; and how to write each.

    ``.xlsx`` (needs the ``excel`` extra): the table on the first sheet, how to write each
    input on the second. ``.csv``: the table, and the reference in ``<name>.inputs.csv``
    beside it (both UTF-8 with a byte-order mark, which Excel reads). Returns the files
    written; :func:`read_county_inputs` reads the table back.
    """
    headers = [_CODE_HEADERS[1], _NAME_HEADERS[2], *(i.name_zh for i in COUNTY_INPUTS.values())]
    rows = [[entry[key] for key, _ in REFERENCE_FIELDS] for entry in county_inputs_reference()]
    titles = [title for _, title in REFERENCE_FIELDS]
    return write_empty_table(
        path,
        headers,
        [titles, *rows],
        suffix="inputs",
        sheets=("县级指标 county inputs", "填写说明 how to fill"),
        widths=(14, 18, 30),
        text_first=True,
    )
