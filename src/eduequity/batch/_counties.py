"""Counties of the object door as a table of the columnar door: their schools, with their
inputs carried in the table's metadata."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._arrow import of_type
from eduequity._class_bands import band_columns
from eduequity._models import PHYSICAL_RESOURCES, STAGE_PEOPLE, County
from eduequity._schema import COLUMNS, stage_column
from eduequity.batch._door import NULLS_KEY, _read
from eduequity.batch._inputs import INPUTS_KEY, county_inputs, inputs_from_counties
from eduequity.rules._columns import STAGES, SchoolColumns

__all__ = ["read_counties", "table_from_counties"]


def table_from_counties(counties: Sequence[County]) -> pa.Table:
    """The schools of ``counties`` as a table with the canonical columns (one row per school),
    carrying the counties' inputs.

    ``None`` (not reported) becomes null, and the table's metadata says its nulls mean "not
    reported", so :func:`evaluate_table` reads it as :func:`eduequity.evaluate` reads the
    counties, whatever the default null policy. Useful to move object-door data to the
    columnar door, or to write it to Parquet (which keeps the metadata).

    The county-level inputs (``County.inputs``: the government's work score, public
    satisfaction, the 2017 items) go with the schools: the table's metadata carries them
    (:func:`inputs_from_counties`, under :data:`~eduequity.batch.INPUTS_KEY`), and
    :func:`evaluate_table`, :func:`plan_table` and :func:`validate_table` use them when no
    ``county_inputs`` is given, so the two doors give the same verdicts. Parquet keeps them;
    a CSV file or a frame of another library (polars, pandas) does not: give those
    ``county_inputs=inputs_from_counties(counties)`` (or write that table to its own file).
    A ``county_inputs`` given to :func:`evaluate_table` replaces those the table carries.

    Parameters
    ----------
    counties : sequence of County

    Raises
    ------
    DataError
        For a county code given twice with different inputs.

    Examples
    --------
    >>> import eduequity as ee
    >>> county = ee.datasets.sample_county()
    >>> t = table_from_counties([county])
    >>> t.num_rows, t.column("kind")[0].as_py()
    (38, 'primary')
    >>> from eduequity.batch import evaluate_table
    >>> out = evaluate_table(t, "cn-basic-2012")
    >>> out.counties.column("component_public_satisfaction").to_pylist()[0]
    'passed'
    """
    columns: dict[str, list[Any]] = {c.name: [] for c in COLUMNS}
    for county in counties:
        for school in county.schools:
            columns["school_id"].append(school.id)
            columns["county_code"].append(county.code)
            columns["county_name"].append(county.name or None)
            columns["kind"].append(school.kind.value)
            columns["school_name"].append(school.name)
            columns["public"].append(school.public)
            columns["county_run"].append(school.county_run)
            columns["enrollment_senior"].append(school.senior_enrollment)
            for stage in STAGES:
                data = school.stage(stage)
                for field in (*STAGE_PEOPLE, "class_sizes"):
                    value = None if data is None else getattr(data, field)
                    if field == "class_sizes" and value is not None:
                        value = list(value)
                    columns[stage_column(field, stage.value)].append(value)
                bands = None if data is None else data.class_bands
                for k, band in enumerate(band_columns(stage.value)):
                    columns[band].append(None if bands is None else bands[k])
            for r in PHYSICAL_RESOURCES:
                columns[r].append(getattr(school, r))
    types = {
        "string": pa.string(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "float": pa.float64(),
        "list<int>": pa.list_(pa.int64()),
    }
    table = pa.table({c.name: of_type(columns[c.name], types[c.type]) for c in COLUMNS})
    # A value left as None in a School is "not reported": the table says so.
    metadata = {NULLS_KEY: b"not_reported"}
    carried = inputs_from_counties(counties)
    if carried.num_columns > 2:  # beyond the code and name: some county has inputs
        metadata[INPUTS_KEY] = json.dumps(carried.to_pydict(), ensure_ascii=False).encode()
    return table.replace_schema_metadata(metadata)


def read_counties(
    counties: Sequence[County], func: str
) -> tuple[SchoolColumns, Mapping[str, NDArray[np.float64]]]:
    """The columns and county inputs of ``counties`` as the columnar door reads them: the
    table of :func:`table_from_counties`, read and validated as any table of schools, with
    the inputs it carries. The doors of a County (:func:`eduequity.evaluate`,
    :func:`eduequity.plan`) read through this, so their tables are those of the columnar door
    for that table. Only the headers as written differ: a County has none, so messages name
    its fields (``primary.class_bands[4]``); ``func`` names the function in them."""
    table = table_from_counties(counties)
    columns, where, _ = _read(table, None, func)
    inputs = county_inputs(None, columns.county_code, where, table)
    return attrs.evolve(columns, headers={}), inputs
