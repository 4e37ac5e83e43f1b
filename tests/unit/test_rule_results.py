"""The rule functions return named results that still unpack as tuples."""

from __future__ import annotations

import numpy as np

from eduequity import rules
from eduequity.rules import ClassSizes


def test_cv_bound_named() -> None:
    """check_cv_bound gives status and composite by name and by position."""
    check = rules.check_cv_bound([[0.2, 0.6], [0.1, 0.3]], 0.5, method="composite")
    assert isinstance(check, rules.CVBoundCheck)
    status, composite = check
    assert check.status.tolist() == status.tolist() == [0, 0]
    assert check.composite.tolist() == composite.tolist() == [0.4, 0.2]


def test_school_rule_named() -> None:
    """check_school_rule gives status and n_met by name."""
    check = rules.check_school_rule([[5.0, 1.0], [5.0, 5.0]], [4.0, 4.0], min_met=2)
    assert isinstance(check, rules.SchoolRuleCheck)
    assert check.status.tolist() == [1, 0]
    assert check.n_met.tolist() == [1, 2]


def test_room_checks_named() -> None:
    """check_rooms and check_room_area give status and their measure by name."""
    rooms = rules.check_rooms([2, 1], [24, 13])
    assert isinstance(rooms, rules.RoomsCheck)
    assert rooms.status.tolist() == [0, 1]
    assert rooms.required.tolist() == [2.0, 2.0]
    area = rules.check_room_area([200.0, 150.0], [2, 2], 96.0)
    assert isinstance(area, rules.RoomAreaCheck)
    assert area.status.tolist() == [0, 1]
    assert area.mean.tolist() == [100.0, 75.0]


def test_class_sizes_named() -> None:
    """check_class_sizes gives status, n_classes, n_over and largest by name."""
    sizes = ClassSizes(np.array([44, 46, 40]), np.array([0, 2, 3]), np.array([True, True]))
    check = rules.check_class_sizes(sizes, 45)
    assert isinstance(check, rules.ClassSizeCheck)
    assert check._fields == ("status", "n_classes", "n_over", "largest")
    assert check.status.tolist() == [1, 0]
    assert check.n_classes.tolist() == [2.0, 1.0]
    assert check.n_over.tolist() == [1.0, 0.0]
    assert check.largest.tolist() == [46.0, 40.0]
