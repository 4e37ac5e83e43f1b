"""Statuses of rules, components and counties, and the one rule that combines them.

A leaf module: every layer may import it. The array forms of the rules hold statuses as small
integer codes, the positions in :data:`STATUS_CODES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "FAILED",
    "NOT_APPLICABLE",
    "NOT_EVALUATED",
    "PASSED",
    "STATUS_CODES",
    "Level",
    "Status",
    "combine",
    "combine_by_county",
    "status_of_seen",
    "statuses_seen",
]


class Status(str, Enum):
    """The outcome of a rule, a component or an evaluation.

    ``not_evaluated`` means an input was missing: it is never counted as passed.
    ``not_applicable`` means the rule has nothing to apply to (e.g. a stage the county has no
    school of) and does not count either way.
    """

    PASSED = "passed"
    FAILED = "failed"
    NOT_EVALUATED = "not_evaluated"
    NOT_APPLICABLE = "not_applicable"

    @property
    def name_zh(self) -> str:
        """The status in Chinese."""
        return {
            "passed": "达标",
            "failed": "未达标",
            "not_evaluated": "未评估",
            "not_applicable": "不适用",
        }[self.value]

    @property
    def name_en(self) -> str:
        """The status in English."""
        return self.value.replace("_", " ")


class Level(str, Enum):
    """What a finding is about."""

    COUNTY = "county"
    STAGE = "stage"
    SCHOOL = "school"
    CLASS = "class"


#: The statuses in the order of their integer codes (the array forms of the rules).
STATUS_CODES: tuple[Status, ...] = tuple(Status)

#: The integer code of each status.
PASSED, FAILED, NOT_EVALUATED, NOT_APPLICABLE = range(4)


def combine(statuses: Iterable[Status]) -> Status:
    """The status of a whole from the statuses of its parts (:func:`combine_by_county` for one).

    Failed if any part failed; otherwise not evaluated if any part was not evaluated, or if no
    part applies; otherwise passed.

    Examples
    --------
    >>> combine([Status.PASSED, Status.NOT_EVALUATED])
    <Status.NOT_EVALUATED: 'not_evaluated'>
    >>> combine([Status.NOT_EVALUATED, Status.FAILED])
    <Status.FAILED: 'failed'>
    >>> combine([])
    <Status.NOT_EVALUATED: 'not_evaluated'>
    """
    codes = np.array([STATUS_CODES.index(s) for s in statuses], dtype=np.intp)
    whole = combine_by_county([(np.zeros(codes.size, dtype=np.intp), codes)], 1)
    return STATUS_CODES[int(whole[0])]


def combine_by_county(
    pairs: Sequence[tuple[NDArray[np.intp], NDArray[np.integer[Any]]]], n_counties: int
) -> NDArray[np.intp]:
    """The status of each county from (county, status code) pairs: the one combining rule.

    Status codes index :data:`STATUS_CODES`. A county's status is failed if any of its parts
    failed; otherwise not evaluated if any was not evaluated or none applies; otherwise passed.

    Examples
    --------
    >>> county = np.array([0, 0, 1, 1])
    >>> passed, failed, not_applicable = 0, 1, 3  # positions in STATUS_CODES
    >>> combine_by_county([(county, np.array([passed, failed, passed, not_applicable]))], 3)
    array([1, 0, 2])
    """
    return status_of_seen(statuses_seen(pairs, n_counties))


def statuses_seen(
    pairs: Sequence[tuple[NDArray[np.intp], NDArray[np.integer[Any]]]], n_counties: int
) -> NDArray[np.bool_]:
    """Which status codes each county has among (county, status code) pairs, as a county x
    code table. Tables of several parts combine by ``|``; :func:`status_of_seen` gives the
    counties' statuses."""
    seen = np.zeros((n_counties, len(STATUS_CODES)), dtype=np.bool_)
    flat = seen.reshape(-1)
    for county, status in pairs:
        flat[np.asarray(county, dtype=np.intp) * len(STATUS_CODES) + status] = True
    return seen


def status_of_seen(seen: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Each county's status from the status codes it has (see :func:`combine_by_county`)."""
    out = np.full(seen.shape[0], PASSED, dtype=np.intp)
    out[seen[:, NOT_EVALUATED] | ~seen[:, PASSED]] = NOT_EVALUATED
    out[seen[:, FAILED]] = FAILED
    return out
