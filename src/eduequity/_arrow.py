"""Arrow arrays and scalars from NumPy arrays and fixed names, without pyarrow importing pandas.

Building an Arrow array or scalar with :func:`pyarrow.array` or :func:`pyarrow.scalar` (or
passing a Python value to a compute function) makes pyarrow import pandas where it is installed,
to ask whether the value is a pandas object: about 0.2 s in a fresh process, which the command
line would pay on every run. The functions here build the same arrays from buffers instead
(:meth:`pyarrow.Array.from_buffers`), which never asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._errors import ArgumentError

__all__ = [
    "array",
    "bools",
    "digit_keys",
    "empty",
    "empty_table",
    "floats",
    "from_python",
    "group_sums",
    "named",
    "numbers",
    "of_type",
    "one",
    "scalar",
    "strings",
    "text",
    "validity",
]

_TYPES = {
    np.dtype(np.bool_): pa.bool_(),
    np.dtype(np.int8): pa.int8(),
    np.dtype(np.int16): pa.int16(),
    np.dtype(np.int32): pa.int32(),
    np.dtype(np.int64): pa.int64(),
    np.dtype(np.uint8): pa.uint8(),
    np.dtype(np.uint16): pa.uint16(),
    np.dtype(np.uint32): pa.uint32(),
    np.dtype(np.uint64): pa.uint64(),
    np.dtype(np.float32): pa.float32(),
    np.dtype(np.float64): pa.float64(),
}
_DTYPES = {kind: dtype for dtype, kind in _TYPES.items()}


def empty(n: int, dtype: Any) -> NDArray[Any]:
    """A new NumPy array of ``n`` values in Arrow's memory pool, to fill and then give to
    :func:`array`: the Arrow column shares its memory, which the pool keeps for the next
    table rather than handing it back to the system (a table of 300,000 schools is 75 MB)."""
    kind = np.dtype(dtype)
    buffer = pa.allocate_buffer(max(n, 1) * kind.itemsize)
    out: NDArray[Any] = np.frombuffer(buffer, dtype=kind, count=n)
    return out


def empty_table(schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` with no row (``schema.empty_table()``, which makes pyarrow ask
    for pandas).

    Examples
    --------
    >>> empty_table(pa.schema([("a", pa.string())])).num_rows
    0
    """
    return pa.Table.from_arrays([pa.nulls(0, f.type) for f in schema], schema=schema)


def validity(valid: NDArray[np.bool_]) -> tuple[pa.Buffer | None, int]:
    """The validity bitmap of an array valid where ``valid`` (None where all are), and its
    count of nulls: to give several arrays of the same rows (:func:`array`, ``valid=``)."""
    n_null = int(valid.size - np.count_nonzero(valid))
    if not n_null:
        return None, 0
    return pa.py_buffer(np.packbits(valid, bitorder="little")), n_null


def array(
    values: NDArray[Any],
    mask: NDArray[np.bool_] | None = None,
    *,
    valid: tuple[pa.Buffer | None, int] | None = None,
) -> pa.Array:
    """``values`` (a 1-D array of numbers or booleans) as an Arrow array, null where ``mask``
    (or with the bitmap ``valid`` of :func:`validity`). Numbers are not copied where they are
    contiguous; the Arrow array is then a read-only view of them.

    Examples
    --------
    >>> array(np.array([1.5, 2.0]), mask=np.array([False, True])).to_pylist()
    [1.5, None]
    >>> array(np.array([True, False])).to_pylist()
    [True, False]
    """
    values = np.asarray(values)
    if values.dtype == np.intp and np.dtype(np.intp) != np.dtype(np.int64):  # pragma: no cover
        values = values.astype(np.int64)
    kind = _TYPES[values.dtype]
    n = values.size
    if valid is None:
        valid = (None, 0) if mask is None else validity(~np.asarray(mask, dtype=np.bool_))
    if kind == pa.bool_():
        data = pa.py_buffer(np.packbits(values, bitorder="little"))
    else:
        data = pa.py_buffer(np.ascontiguousarray(values))
    bitmap, n_null = valid
    return pa.Array.from_buffers(kind, n, [bitmap, data], null_count=n_null)


def scalar(value: Any, kind: pa.DataType) -> pa.Scalar:
    """``value`` as an Arrow scalar of type ``kind`` (a number, a boolean or a string of any
    of Arrow's string types).

    Examples
    --------
    >>> scalar(False, pa.bool_()).as_py(), scalar("", pa.large_string()).type
    (False, DataType(large_string))
    """
    if pa.types.is_string(kind):  # any text, a county code too: not kept as a fixed name
        return text((value,))[0]
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return text((value,)).cast(kind)[0]
    return array(np.array([value], dtype=_DTYPES[kind]))[0]


def bools(values: pa.Array | pa.ChunkedArray, null: bool = False) -> NDArray[np.bool_]:
    """A boolean Arrow array as a NumPy array, ``null`` at its nulls.

    Examples
    --------
    >>> bools(pa.array([True, None, False])).tolist()
    [True, False, False]
    >>> bools(pa.array([True, None, False]), null=True).tolist()
    [True, True, False]
    """
    values = one(values)
    # The bits of the values and of the validity, unpacked: no Python object is made.
    n, offset = len(values), values.offset
    if not n:
        return np.zeros(0, dtype=np.bool_)
    bufs = values.buffers()
    bits = _bits(bufs[1], offset, n)
    if values.null_count and bufs[0] is not None:
        known = _bits(bufs[0], offset, n)
        bits = (bits & known) | (~known if null else False)
    return bits


def _bits(buffer: pa.Buffer, offset: int, n: int) -> NDArray[np.bool_]:
    """Bits ``offset`` to ``offset + n`` of a bitmap, one boolean each (a new array)."""
    bytes_ = np.frombuffer(buffer, dtype=np.uint8)
    bits: NDArray[np.bool_] = np.unpackbits(bytes_, count=offset + n, bitorder="little")[
        offset:
    ].view(np.bool_)
    return bits


def numbers(values: pa.Array | pa.ChunkedArray) -> NDArray[Any]:
    """A numeric Arrow array as a NumPy array: a read-only view of its buffer where it is one
    chunk without null (as :meth:`pyarrow.Array.to_numpy` gives it), else a new array of its
    type, float64 with NaN at the nulls where it has some (in Arrow's pool: see :func:`empty`),
    each chunk written into it in place (no chunk is joined in Arrow first).

    Examples
    --------
    >>> numbers(pa.array([1, 2])).tolist()
    [1, 2]
    >>> numbers(pa.array([1, None])).tolist()
    [1.0, nan]
    >>> numbers(pa.chunked_array([[1], [], [2, 3]])).tolist()
    [1, 2, 3]
    """
    chunks = _chunks(values)
    for chunk in chunks:
        dtype = _DTYPES.get(chunk.type)
        if dtype is None or dtype == np.bool_:
            raise ArgumentError(f"numbers: not an array of numbers: {chunk.type}")
    if len(chunks) == 1 and not chunks[0].null_count:
        return _view(chunks[0])
    nulls = any(chunk.null_count for chunk in chunks)
    return _joined(chunks, np.float64 if nulls else _DTYPES[chunks[0].type])


def floats(values: pa.Array | pa.ChunkedArray) -> NDArray[np.float64]:
    """A numeric Arrow array (integers or floats, in one chunk or several) as float64, NaN at
    its nulls: a read-only view of its buffer where it is one chunk of float64 without null,
    else one new array (in Arrow's pool) each chunk is converted into in place, with no cast
    or join in Arrow first. An integer beyond 2**53 is rounded to the nearest float: the
    validation finds such values first and refuses them as given (``batch._cells``).

    Examples
    --------
    >>> floats(pa.chunked_array([[1, None], [3]])).tolist()
    [1.0, nan, 3.0]
    """
    chunks = [
        chunk if _DTYPES.get(chunk.type, np.bool_) != np.bool_ else chunk.cast(pa.float64())
        for chunk in _chunks(values)
    ]
    if len(chunks) == 1 and chunks[0].type == pa.float64() and not chunks[0].null_count:
        return _view(chunks[0])
    return _joined(chunks, np.float64)


def _chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """The arrays of ``values``: its chunks (one empty array where it has none)."""
    if isinstance(values, pa.ChunkedArray):
        return values.chunks or [pa.nulls(0, values.type)]
    return [values]


def one(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``values`` as one array: its only chunk (not copied), its chunks joined, or an empty
    array of its type where it has none (which ``combine_chunks`` would build from a Python
    list, making pyarrow ask for pandas).

    Examples
    --------
    >>> one(pa.chunked_array([[1], [2]])).to_pylist(), len(one(pa.chunked_array([], pa.int8())))
    ([1, 2], 0)
    """
    if not isinstance(values, pa.ChunkedArray):
        return values
    if values.num_chunks == 1:
        return values.chunk(0)
    return values.combine_chunks() if values.num_chunks else pa.nulls(0, values.type)


#: Per length ``L``, the digit strings of fewer than ``L`` digits: ``(10**L - 1) // 9``.
_SHORTER = np.array([(10**k - 1) // 9 for k in range(19)], dtype=np.int64)


def digit_keys(values: pa.Array | pa.ChunkedArray) -> NDArray[np.int64] | None:
    """Each string of ``values`` as a whole number, the same for two strings exactly when the
    strings are the same (in one call or across calls: the number depends on the string
    only), where every string is 1 to 18 ASCII digits (a census id: a school's is 10 digits);
    None otherwise (a null, an empty string, any other character, more digits).

    A string of ``L`` digits whose value is ``v`` is ``(10**L - 1) / 9 + v``: the strings of
    fewer digits come first, so leading zeros count (``"007"`` is not ``"7"``). Numbers are
    compared, sorted and hashed much faster than text (repeated ids, schools across years).

    Examples
    --------
    >>> digit_keys(pa.array(["7", "007", "0", "12"])).tolist()
    [8, 118, 1, 23]
    >>> digit_keys(pa.array(["12", "1a"])) is None, digit_keys(pa.array(["12", None])) is None
    (True, True)
    """
    text = one(values)
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        return None
    if text.null_count or not len(text):
        return None
    # Byte lengths from the offsets: an ASCII digit is one byte.
    lengths = numbers(pc.binary_length(text))
    shortest, longest = int(lengths.min()), int(lengths.max())
    if shortest < 1 or longest > 18 or not pc.all(pc.ascii_is_decimal(text)).as_py():
        return None
    value: NDArray[np.int64] = numbers(pc.cast(text, pa.int64()))
    keys: NDArray[np.int64] = value + (
        _SHORTER[shortest] if shortest == longest else _SHORTER[lengths]
    )
    return keys


def _view(values: pa.Array) -> NDArray[Any]:
    """The values of a numeric array, nulls aside, as a read-only view of its buffer."""
    n, offset, dtype = len(values), values.offset, _DTYPES[values.type]
    data = values.buffers()[1]
    if data is None or not n:
        return np.zeros(0, dtype=dtype)
    out: NDArray[Any] = np.frombuffer(data, dtype=dtype, count=offset + n)[offset:]
    out.setflags(write=False)  # the buffer may be the caller's: never written through
    return out


def _joined(chunks: list[pa.Array], dtype: Any) -> NDArray[Any]:
    """The numeric ``chunks`` one after another in one new array of ``dtype`` (NaN at the
    nulls, which only a float ``dtype`` may hold)."""
    out = empty(sum(len(chunk) for chunk in chunks), dtype)
    at = 0
    for chunk in chunks:
        n = len(chunk)
        piece = out[at : at + n]
        if not n:
            continue
        if chunk.null_count == n:
            piece[:] = np.nan
        elif chunk.null_count:  # every value, then NaN at the nulls (by index: faster)
            piece[:] = _view(chunk)
            piece[np.flatnonzero(~_bits(chunk.buffers()[0], chunk.offset, n))] = np.nan
        else:
            piece[:] = _view(chunk)
        at += n
    return out


def from_python(values: list[Any]) -> pa.Array:
    """A list of Python strings, booleans or numbers (None for null) as an Arrow array of the
    type :func:`pyarrow.array` infers (string, bool, int64 or double; null if all are None),
    built by :func:`of_type`.

    Examples
    --------
    >>> from_python(["a", None]).to_pylist(), from_python([1, 2.5, None]).type
    (['a', None], DataType(double))
    """
    given = [v for v in values if v is not None]
    if not given:
        return pa.nulls(len(values))
    kind = None
    if all(isinstance(v, str) for v in given):
        kind = pa.string()
    elif all(isinstance(v, bool | np.bool_) for v in given):
        kind = pa.bool_()
    elif all(_is_int(v) for v in given):
        kind = pa.int64() if all(-(2**63) <= v < 2**63 for v in given) else None
    elif all(_is_number(v) for v in given):
        kind = pa.float64()
    return pa.array(values) if kind is None else of_type(values, kind)


def of_type(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    """``pa.array(values, kind)`` for a list of Python values (None for null) of type
    string, bool, int64, float64 or list of int64, built without pyarrow asking whether they
    are pandas objects; any other type, or a value of another type, goes to pyarrow (which
    explains what does not fit).

    Examples
    --------
    >>> of_type([1.5, None, float("nan")], pa.float64()).to_pylist()
    [1.5, None, nan]
    >>> of_type([[45, 44], None, []], pa.list_(pa.int64())).to_pylist()
    [[45, 44], None, []]
    """
    missing = np.array([v is None for v in values], dtype=np.bool_)
    given = [v for v in values if v is not None]
    try:
        if kind == pa.string() and all(isinstance(v, str) for v in given):
            cells = text(["" if v is None else v for v in values])
            if isinstance(cells, pa.Array):  # else more text than one array holds
                bitmap, n_null = validity(~missing)
                buffers = [bitmap, *cells.buffers()[1:]]
                return pa.Array.from_buffers(kind, len(values), buffers, n_null)
        if kind == pa.bool_() and all(isinstance(v, bool | np.bool_) for v in given):
            return array(np.array([bool(v) for v in values], dtype=np.bool_), missing)
        if kind == pa.int64() and all(_is_int(v) for v in given):
            return array(np.array([0 if v is None else v for v in values], np.int64), missing)
        exact = all(abs(v) <= 2**53 for v in given if _is_int(v))  # else pyarrow refuses
        if kind == pa.float64() and exact and all(_is_number(v) for v in given):
            return array(np.array([0.0 if v is None else v for v in values], np.float64), missing)
        if kind == pa.list_(pa.int64()) and all(
            isinstance(v, list | tuple) and all(_is_int(x) for x in v) for v in given
        ):
            lengths = np.array([0 if v is None else len(v) for v in values], dtype=np.int64)
            offsets = np.zeros(len(values) + 1, dtype=np.int32)
            np.cumsum(lengths, out=offsets[1:])
            flat = np.array([x for v in given for x in v], dtype=np.int64)
            return pa.ListArray.from_arrays(
                array(offsets), array(flat), mask=array(missing) if missing.any() else None
            )
    except OverflowError:  # a whole number beyond int64: pyarrow says so
        pass
    return pa.array(values, kind)


def _is_int(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(
        v, bool | np.bool_
    )


def group_sums(
    table: pa.Table, keys: Sequence[str], values: Sequence[str], *, count: bool = False
) -> pa.Table:
    """Per distinct combination of the columns ``keys`` (null a value of its own; the groups
    in order of first appearance), the sum of each numeric column of ``values`` in row order,
    skipping nulls (null where a group has none; whole numbers stay whole), and with
    ``count`` the group's rows: ``table.group_by(keys, use_threads=False).aggregate(...)``
    with ``"sum"`` (and ``"count_all"`` as ``count``), without loading ``pyarrow.dataset``.

    Examples
    --------
    >>> t = pa.table({"k": ["a", "b", "a", None], "x": [1.5, None, 2.0, 4.0]})
    >>> group_sums(t, ["k"], ["x"], count=True).to_pylist()  # doctest: +NORMALIZE_WHITESPACE
    [{'k': 'a', 'x': 3.5, 'count': 2}, {'k': 'b', 'x': None, 'count': 1},
     {'k': None, 'x': 4.0, 'count': 1}]
    """
    codes = np.zeros(table.num_rows, dtype=np.int64)
    for key in keys:
        encoded = pc.dictionary_encode(table.column(key), null_encoding="encode")
        encoded = one(encoded)
        codes = codes * max(len(encoded.dictionary), 1) + numbers(encoded.indices)
    distinct, first, group = np.unique(codes, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # the groups in order of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    group = rank[group.reshape(-1)]
    at = array(first[order].astype(np.int64))
    out = {key: table.column(key).take(at) for key in keys}
    for name in values:
        column = table.column(name)
        x = numbers(column).astype(np.float64, copy=False)
        given = ~np.isnan(x)
        total = np.bincount(group, weights=np.where(given, x, 0.0), minlength=distinct.size)
        none = np.bincount(group, weights=given, minlength=distinct.size) == 0
        whole = pa.types.is_integer(column.type)
        out[name] = array(total.astype(np.int64) if whole else total, mask=none)
    if count:
        out["count"] = array(np.bincount(group, minlength=distinct.size).astype(np.int64))
    return pa.table(out)


@cache
def strings(values: tuple[str, ...]) -> pa.Array:
    """``values`` as an Arrow string array (built once per tuple: for fixed names).

    Examples
    --------
    >>> strings(("primary", "junior")).to_pylist()
    ['primary', 'junior']
    """
    return text(values)


def named(names: tuple[str, ...], codes: NDArray[Any] | int) -> pa.Array:
    """``names[codes]`` as a string array; with a count ``n`` for ``codes``, ``names[0]``
    ``n`` times.

    Examples
    --------
    >>> named(("primary", "junior"), np.array([1, 0])).to_pylist(), named(("x",), 2).to_pylist()
    (['junior', 'primary'], ['x', 'x'])
    """
    at = np.zeros(codes, dtype=np.int64) if isinstance(codes, int) else codes.astype(np.int64)
    return strings(names).take(array(at))


def text(values: Sequence[str]) -> pa.Array:
    """``values`` as an Arrow string array (built anew: see :func:`strings` for fixed names).

    Examples
    --------
    >>> text(["a", "bc"]).to_pylist()
    ['a', 'bc']
    """
    encoded = [v.encode() for v in values]
    ends = np.cumsum([len(b) for b in encoded], dtype=np.int64)
    if ends.size and ends[-1] >= 2**31:  # more text than a string array's offsets reach
        return pa.array(values, pa.string())  # as pyarrow makes it (in chunks)
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    offsets[1:] = ends
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets), data])
