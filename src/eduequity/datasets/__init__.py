"""Bundled sample data: a synthetic county and a synthetic multi-year panel of counties, for the
demo, the documentation and the tests.

Everything here is invented (see ``tools/make_sample_county.py`` and
``tools/make_sample_panel.py`` in the source repository): the county codes (990101, 970101...,
980101...) are outside the range of real division codes, and the sample school standard is not
any province's.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from eduequity._models import County, School, StageData
from eduequity.standards._loader import load_school_standard
from eduequity.standards._model import SchoolStandard

__all__ = ["sample_county", "sample_panel", "sample_school_standard"]


def _school(record: dict[str, Any]) -> School:
    fields = dict(record)
    for stage in ("primary", "junior"):
        if stage in fields:
            fields[stage] = StageData(**fields[stage])
    return School(**fields)


def sample_county() -> County:
    """The synthetic sample county: 38 schools of every kind, with county inputs.

    It has primary, junior, nine-year, twelve-year and complete secondary schools, three teaching
    points, one private school and one school run by the city.

    Examples
    --------
    >>> county = sample_county()
    >>> county.code, len(county.schools)
    ('990101', 38)
    """
    text = (resources.files(__name__) / "sample_county.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return County(
        code=data["code"],
        name=data["name"],
        province=data["province"],
        inputs=data["inputs"],
        schools=[_school(s) for s in data["schools"]],
    )


def sample_school_standard() -> SchoolStandard:
    """An illustrative basic school-running standard (invented values) for the sample county.

    Examples
    --------
    >>> len(sample_school_standard().minimums)
    6
    """
    with resources.as_file(resources.files(__name__) / "sample_school_standard.toml") as path:
        return load_school_standard(path)


def sample_panel() -> pa.Table:
    """A synthetic panel: eight counties in two provinces, five census years (2019-2023).

    One table of schools with the canonical columns and a ``year`` column, as
    :func:`eduequity.monitor` reads it. The counties 970101-970104 and 980101-980104 (two
    invented provinces, 97 and 98) grow their resources from year to year; some schools close,
    some open, some teaching points become primary schools. Two follow a scripted path: the
    primary composite of 970102 rises from 0.58 to 0.71 and passes the 2012 bound (0.65) in
    2022, a slide; that of 980103 falls from 0.74 to 0.60 and first meets the bound in 2022.

    Examples
    --------
    >>> panel = sample_panel()
    >>> sorted(set(panel.column("year").to_pylist()))
    [2019, 2020, 2021, 2022, 2023]
    >>> len(set(panel.column("county_code").to_pylist()))
    8
    """
    with resources.as_file(resources.files(__name__) / "sample_panel.parquet") as path:
        return pq.read_table(path)


def __dir__() -> list[str]:
    """The public names, for completion in a console or a notebook."""
    return sorted(__all__)
