"""County-level inputs: what inspectors assess outside the school census.

Some components of an evaluation are not computed from school data: the inspectors' score of the
government's work, the public satisfaction rate from surveys. A :class:`~eduequity.County` carries
them in ``inputs``, keyed by the ids below. Rates are fractions (``0.91`` for 91 %), scores are
points out of 100.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from enum import Enum

import attrs

from eduequity.errors import DataError, UnknownNameError

__all__ = ["COUNTY_INPUTS", "CountyInput", "InputKind", "check_county_inputs"]


class InputKind(str, Enum):
    """How a county input is expressed."""

    SCORE = "score"  # points, 0 to 100
    RATE = "rate"  # a fraction, 0 to 1
    FLAG = "flag"  # True or False (a judgement: met or not met)
    NUMBER = "number"  # any finite number >= 0


@attrs.frozen
class CountyInput:
    """One county-level input: its id, names and kind."""

    id: str
    name_zh: str
    name_en: str
    kind: InputKind


#: The known county inputs, by id.
COUNTY_INPUTS: Mapping[str, CountyInput] = {
    i.id: i
    for i in (
        CountyInput(
            "government_work_score",
            "县级人民政府推进义务教育均衡发展工作评估得分",
            "score of the county government's work for balanced development",
            InputKind.SCORE,
        ),
        CountyInput(
            "satisfaction_rate",
            "公众满意度",
            "public satisfaction rate",
            InputKind.RATE,
        ),
    )
}


def check_county_inputs(where: str, inputs: Mapping[str, object]) -> None:
    """Check that every input id is known and its value fits its kind.

    Raises
    ------
    UnknownNameError
        For an id not in :data:`COUNTY_INPUTS`.
    DataError
        For a value outside its kind's range, naming the input and the value.
    """
    for key, value in inputs.items():
        spec = COUNTY_INPUTS.get(key)
        if spec is None:
            known = ", ".join(sorted(COUNTY_INPUTS))
            raise UnknownNameError(f"{where} input {key!r} is not a known county input ({known}).")
        if spec.kind is InputKind.FLAG:
            if not isinstance(value, bool):
                raise DataError(f"{where} input {key!r} must be True or False. Got {value!r}.")
            continue
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
        x = float(value) if ok else math.nan  # type: ignore[arg-type]
        if spec.kind is InputKind.SCORE:
            ok = ok and 0 <= x <= 100
            expectation = "a score from 0 to 100"
        elif spec.kind is InputKind.RATE:
            ok = ok and 0 <= x <= 1
            expectation = "a fraction from 0 to 1 (0.91 for 91%)"
        else:
            ok = ok and math.isfinite(x) and x >= 0
            expectation = "a finite number >= 0"
        if not ok:
            raise DataError(f"{where} input {key!r} must be {expectation}. Got {value!r}.")
