"""Bundled sample data: a synthetic county for the demo, the documentation and the tests.

Everything here is invented (see ``tools/make_sample_county.py`` in the source repository): the
county code 990101 is outside the range of real division codes, and the sample school standard
is not any province's.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from eduequity.models import County, School, StageData
from eduequity.standards.loader import load_school_standard
from eduequity.standards.model import SchoolStandard

__all__ = ["sample_county", "sample_school_standard"]


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
