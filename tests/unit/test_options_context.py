"""set_options as a context manager: checked before anything is set, restored on exit."""

from __future__ import annotations

import pytest

import eduequity as ee
from eduequity._options import PreviousOptions


def test_with_block_sets_and_restores() -> None:
    """Inside the block the option holds; after it the previous value is back."""
    assert ee.get_option("lang") == "en"
    with ee.set_options(lang="zh") as previous:
        assert ee.get_option("lang") == "zh"
        assert previous == {"lang": "en"}
    assert ee.get_option("lang") == "en"


def test_restored_when_the_block_raises() -> None:
    """An exception in the block still restores the previous value, and propagates."""
    with pytest.raises(RuntimeError, match="inside"), ee.set_options(lang="zh"):
        raise RuntimeError("inside")
    assert ee.get_option("lang") == "en"


def test_nested_blocks_restore_in_turn() -> None:
    """Each block restores what was set when it began."""
    with ee.set_options(lang="zh"):
        with ee.set_options(lang="en"):
            assert ee.get_option("lang") == "en"
        assert ee.get_option("lang") == "zh"
    assert ee.get_option("lang") == "en"


@pytest.mark.parametrize(
    ("options", "error"),
    [({"lang": "fr"}, ValueError), ({"colour": "red"}, KeyError), ({"lang": None}, ValueError)],
)
def test_bad_value_changes_nothing(options: dict[str, object], error: type[Exception]) -> None:
    """A bad name or value raises before any option is set, in or out of a with statement."""
    with pytest.raises(error, match="set_options"):
        ee.set_options(**options)
    assert ee.get_option("lang") == "en"
    with pytest.raises(error, match="set_options"), ee.set_options(**options):
        pass  # pragma: no cover - never entered
    assert ee.get_option("lang") == "en"


def test_bad_value_after_a_good_one_sets_neither() -> None:
    """Every option is checked before the first is set."""
    with pytest.raises(KeyError, match="colour"):
        ee.set_options(lang="zh", colour="red")
    assert ee.get_option("lang") == "en"


def test_returned_values_restore_when_passed_back() -> None:
    """The call outside a with statement returns the previous values, a plain mapping."""
    previous = ee.set_options(lang="zh")
    try:
        assert isinstance(previous, PreviousOptions)
        assert dict(previous) == {"lang": "en"}
        assert ee.get_option("lang") == "zh"
    finally:
        ee.set_options(**previous)
    assert ee.get_option("lang") == "en"
