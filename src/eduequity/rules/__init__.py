"""The rules of the standards as public functions over arrays, and the one pipeline.

Each rule the standards use is a plain function a researcher can call without a
:class:`~eduequity.Standard`: the CV bound (:func:`check_cv_bound`), one minimum
(:func:`check_minimum`), the k-of-n school rule (:func:`check_school_rule`), the rooms
(:func:`check_rooms`, :func:`check_room_area`), school size (:func:`check_school_size`),
class sizes (:func:`check_class_sizes`), staff against the staffing standard
(:func:`check_staffing`: reported, part of no built-in verdict), and what a school must add
to meet a minimum (:func:`additions_to_meet`). :func:`run` applies a whole standard to the
columns of many schools and returns one :class:`Evaluation`. A check that gives more than the
status codes returns a named result whose first field is ``status``: :class:`CVBoundCheck`,
:class:`SchoolRuleCheck`, :class:`RoomsCheck`, :class:`RoomAreaCheck`,
:class:`ClassSizeCheck` and :class:`StaffingCheck` are named tuples that unpack like the
tuples they replace.
"""

from __future__ import annotations

from eduequity._class_bands import (
    BAND_KEYS,
    BAND_LOWER,
    BAND_UPPER,
    band_above,
    band_column,
    band_counts,
    band_headers,
    band_label,
)
from eduequity._status import STATUS_CODES, combine_by_county
from eduequity._text import format_cv, format_number
from eduequity.rules._balance import check_cv_bound
from eduequity.rules._columns import ClassSizes, SchoolColumns, columns_from_counties
from eduequity.rules._facilities import (
    check_class_sizes,
    check_room_area,
    check_rooms,
    check_school_size,
)
from eduequity.rules._minimums import check_minimum, check_school_rule
from eduequity.rules._pipeline import Evaluation, run
from eduequity.rules._results import (
    ClassSizeCheck,
    CVBoundCheck,
    RoomAreaCheck,
    RoomsCheck,
    SchoolRuleCheck,
    StaffingCheck,
)
from eduequity.rules._scope import ScopeReason
from eduequity.rules._shortfalls import additions_to_meet
from eduequity.rules._staffing import check_staffing

__all__ = [
    "BAND_KEYS",
    "BAND_LOWER",
    "BAND_UPPER",
    "STATUS_CODES",
    "CVBoundCheck",
    "ClassSizeCheck",
    "ClassSizes",
    "Evaluation",
    "RoomAreaCheck",
    "RoomsCheck",
    "SchoolColumns",
    "SchoolRuleCheck",
    "ScopeReason",
    "StaffingCheck",
    "additions_to_meet",
    "band_above",
    "band_column",
    "band_counts",
    "band_headers",
    "band_label",
    "check_class_sizes",
    "check_cv_bound",
    "check_minimum",
    "check_room_area",
    "check_rooms",
    "check_school_rule",
    "check_school_size",
    "check_staffing",
    "columns_from_counties",
    "combine_by_county",
    "format_cv",
    "format_number",
    "run",
]


def __dir__() -> list[str]:
    """The public names, for completion in a console or a notebook."""
    return sorted(__all__)
