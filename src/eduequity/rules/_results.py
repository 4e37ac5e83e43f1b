"""The named results of the rule functions of :mod:`eduequity.rules`.

Each is a :class:`~typing.NamedTuple`: its fields have names (``result.status``) and it still
unpacks as a tuple (``status, required = check_rooms(...)``). Every result's first field is
``status``, the status code of each row (:data:`eduequity.rules.STATUS_CODES`: 0 passed,
1 failed, 2 not evaluated, 3 not applicable).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from eduequity import _display

__all__ = [
    "CVBoundCheck",
    "ClassSizeCheck",
    "RoomAreaCheck",
    "RoomsCheck",
    "SchoolRuleCheck",
    "StaffingCheck",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


class CVBoundCheck(NamedTuple):
    """The result of :func:`~eduequity.rules.check_cv_bound`, one entry per group."""

    #: Status code of the CV rule in each group (county x stage).
    status: IntArray
    #: The mean of the group's CVs (the composite CV), whatever the method; NaN where one of
    #: them is missing or undefined.
    composite: FloatArray

    def __repr__(self) -> str:
        return _display.named_tuple_repr(self)


class SchoolRuleCheck(NamedTuple):
    """The result of :func:`~eduequity.rules.check_school_rule`, one entry per school."""

    #: Status code of the k-of-n rule for each school.
    status: IntArray
    #: How many of the school's indicators meet their minimum.
    n_met: IntArray

    def __repr__(self) -> str:
        return _display.named_tuple_repr(self)


class RoomsCheck(NamedTuple):
    """The result of :func:`~eduequity.rules.check_rooms`, one entry per school."""

    #: Status code of the room count of each school.
    status: IntArray
    #: The rooms the school's classes need: classes / classes_per_room, rounded up.
    required: FloatArray

    def __repr__(self) -> str:
        return _display.named_tuple_repr(self)


class RoomAreaCheck(NamedTuple):
    """The result of :func:`~eduequity.rules.check_room_area`, one entry per school."""

    #: Status code of the rooms' mean area in each school.
    status: IntArray
    #: ``area / rooms`` [m² per room]; NaN where there is no room or no area.
    mean: FloatArray

    def __repr__(self) -> str:
        return _display.named_tuple_repr(self)


class ClassSizeCheck(NamedTuple):
    """The result of :func:`~eduequity.rules.check_class_sizes`, one entry per school."""

    #: Status code of the class-size cap for each school.
    status: IntArray
    #: Number of classes; NaN where not reported.
    n_classes: FloatArray
    #: Number of classes over the cap; NaN where not reported.
    n_over: FloatArray
    #: The largest class (0 with no class); NaN where not reported or reported by band.
    largest: FloatArray

    def __repr__(self) -> str:
        return _display.named_tuple_repr(self)


class StaffingCheck(NamedTuple):
    """The result of :func:`~eduequity.rules.check_staffing`, one entry per school (or stage
    part)."""

    #: Status code of the staffing standard for each entry: passed (no staff lacking), failed,
    #: not evaluated where the staff were not reported, not applicable where there is no
    #: student or no ratio.
    status: IntArray
    #: The staff the standard requires [persons]; NaN where not applicable.
    required: FloatArray
    #: The staff lacking [persons], 0 where none; NaN where not reported or not applicable.
    shortfall: FloatArray

    def __repr__(self) -> str:
        return _display.named_tuple_repr(self)
