"""Ids of digits compared as numbers: two ids get the same number exactly when they are the
same text, leading zeros included."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from eduequity._arrow import digit_keys

digits = st.text(alphabet="0123456789", min_size=1, max_size=18)
# Few distinct values, so that equal ids and ids equal but for leading zeros are common.
near = st.sampled_from(["0", "00", "7", "07", "007", "70", "1", "10", "01", "9" * 18, "0" * 18])


@given(st.lists(digits | near, min_size=1, max_size=60))
def test_the_same_number_exactly_for_the_same_id(ids: list[str]) -> None:
    """Equal numbers for equal ids and only for them; the numbers ordered as the ids by
    length, then as text (which, for digits of one length, is their value's order)."""
    keys = digit_keys(pa.array(ids))
    assert keys is not None
    listed = keys.tolist()
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            assert (listed[i] == listed[j]) == (a == b)
    by_key = [s for _, s in sorted(zip(listed, ids, strict=True))]
    assert by_key == sorted(ids, key=lambda s: (len(s), s))


@given(
    st.lists(digits | near, min_size=1, max_size=30),
    st.lists(digits | near, min_size=1, max_size=30),
)
def test_the_same_number_across_calls(first: list[str], second: list[str]) -> None:
    """The number of an id depends on the id only, not on the other ids of its array (a year
    of 10-digit ids and a year with one id of 9 digits are compared across years)."""
    a, b = digit_keys(pa.array(first)), digit_keys(pa.array(second))
    assert a is not None
    assert b is not None
    for i, x in enumerate(first):
        for j, y in enumerate(second):
            assert (int(a[i]) == int(b[j])) == (x == y)


def test_one_length_and_several_give_the_same_numbers() -> None:
    """An array of ids of one length gives each id the number it has among ids of other
    lengths."""
    alone = digit_keys(pa.array(["0123456789", "1"]))
    assert alone is not None
    for ids, at in ((["0123456789"], 0), (["1"], 1), (["0", "1", "7"], 1)):
        keys = digit_keys(pa.array(ids))
        assert keys is not None
        assert int(keys[ids.index(["0123456789", "1"][at])]) == int(alone[at])


@given(
    st.lists(digits, max_size=5),
    st.sampled_from(["", "1a", "１２", "-1", "+1", " 1", "1 ", "1.0", "1" * 19, None]),
)
def test_no_numbers_unless_every_id_is_digits(ids: list[str], other: str | None) -> None:
    """An empty, null, signed, spaced, full-width or over-long id (among any others), or an
    array of another type, gives no numbers: the ids are then compared as text."""
    assert digit_keys(pa.array([*ids, other], pa.string())) is None
    assert digit_keys(pa.array([], pa.string())) is None
    assert digit_keys(pa.array([1, 2])) is None


def test_large_strings_and_chunks() -> None:
    """Ids as large_string, and in several chunks, give the same numbers."""
    ids = ["0012", "12", "3", "003"]
    plain = digit_keys(pa.array(ids))
    assert plain is not None
    for values in (
        pa.array(ids, pa.large_string()),
        pa.chunked_array([ids[:1], ids[1:]]),
        pa.array(["x", *ids]).slice(1),
    ):
        keys = digit_keys(values)
        assert keys is not None
        assert keys.tolist() == plain.tolist()
