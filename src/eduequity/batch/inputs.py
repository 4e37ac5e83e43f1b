"""County-level inputs of the columnar door: a table with ``county_code`` and one column per
input, as one array over the counties per input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity.batch.read import read_table
from eduequity.batch.validate import float_column, null_mask, text_column
from eduequity.county_inputs import COUNTY_INPUTS, INPUT_RANGES, InputKind
from eduequity.errors import DataError, UnknownNameError

__all__ = ["county_inputs"]

FloatArray = NDArray[np.float64]


def county_inputs(source: Any, county_codes: pa.Array, where: str) -> Mapping[str, FloatArray]:
    """County-level inputs as one array per input over the counties (NaN: not supplied), from
    a table with ``county_code`` and one column per input (flags as booleans, 1.0 / 0.0)."""
    if source is None:
        return {}
    table, name = read_table(source)
    if "county_code" not in table.column_names:
        raise DataError(f"evaluate_table: county_inputs {name} lacks column 'county_code'.")
    codes = text_column(table, "county_code")
    position = pc.index_in(codes, value_set=county_codes)
    unknown = null_mask(position)
    if unknown.any():
        first = codes[int(np.flatnonzero(unknown)[0])].as_py()
        raise DataError(
            f"evaluate_table: county_inputs {name} has county {first!r}, which has no school "
            f"in {where} ({int(unknown.sum())} such row(s))."
        )
    at = np.asarray(position.to_numpy(zero_copy_only=False), dtype=np.intp)
    seen = np.bincount(at, minlength=len(county_codes))
    if (seen > 1).any():
        twice = county_codes[int(np.flatnonzero(seen > 1)[0])].as_py()
        raise DataError(
            f"evaluate_table: county_inputs {name} has county {twice!r} more than once."
        )
    out: dict[str, FloatArray] = {}
    for column in table.column_names:
        if column == "county_code":
            continue
        spec = COUNTY_INPUTS.get(column)
        if spec is None:
            known = ", ".join(sorted(COUNTY_INPUTS))
            raise UnknownNameError(
                f"evaluate_table: county_inputs {name} column {column!r} is not a known county "
                f"input ({known})."
            )
        source_table = table
        if spec.kind is InputKind.FLAG:
            col = table.column(column)
            if not (pa.types.is_boolean(col.type) or pa.types.is_null(col.type)):
                raise DataError(
                    f"evaluate_table: county_inputs {name} column {column!r} must be boolean "
                    f"(True or False). Got type {col.type}."
                )
            source_table = pa.table({column: col.cast(pa.uint8())})
        values, isnull, text, given = float_column(source_table, column, f"county_inputs {name}")
        if text.any():
            i = int(np.flatnonzero(text)[0])
            raise DataError(
                f"evaluate_table: county_inputs {name} column {column!r} must be a number. "
                f"Got {given[i]!r} for county {codes[i].as_py()!r} ({int(text.sum())} such "
                "row(s))."
            )
        if spec.kind is not InputKind.FLAG:
            low, high, expectation = INPUT_RANGES[spec.kind]
            bad = ~isnull & ~((values >= low) & (values <= high) & np.isfinite(values))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise DataError(
                    f"evaluate_table: county_inputs {name} column {column!r} must be "
                    f"{expectation}. Got {float(values[i])!r} for county {codes[i].as_py()!r} "
                    f"({int(bad.sum())} such row(s))."
                )
        by_county = np.full(len(county_codes), np.nan)
        by_county[at] = values
        out[column] = by_county
    return out
