"""Arrow arrays and scalars from NumPy arrays and fixed names, without pyarrow importing pandas.

Building an Arrow array or scalar with :func:`pyarrow.array` or :func:`pyarrow.scalar` (or
passing a Python value to a compute function) makes pyarrow import pandas where it is installed,
to ask whether the value is a pandas object: about 0.2 s in a fresh process, which the command
line would pay on every run. The functions here build the same arrays from buffers instead
(:meth:`pyarrow.Array.from_buffers`), which never asks.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._errors import ArgumentError

__all__ = ["array", "bools", "empty", "from_python", "numbers", "scalar", "strings", "validity"]

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


def empty(n: int, dtype: Any) -> NDArray[Any]:
    """A new NumPy array of ``n`` values in Arrow's memory pool, to fill and then give to
    :func:`array`: the Arrow column shares its memory, which the pool keeps for the next
    table rather than handing it back to the system (a table of 300,000 schools is 75 MB)."""
    kind = np.dtype(dtype)
    buffer = pa.allocate_buffer(max(n, 1) * kind.itemsize)
    out: NDArray[Any] = np.frombuffer(buffer, dtype=kind, count=n)
    return out


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
    """``value`` as an Arrow scalar of type ``kind`` (a number, a boolean or a string).

    Examples
    --------
    >>> scalar(False, pa.bool_()).as_py(), scalar("", pa.string()).as_py()
    (False, '')
    """
    if pa.types.is_string(kind):
        return strings((value,))[0]
    dtype = next(d for d, k in _TYPES.items() if k == kind)
    return array(np.array([value], dtype=dtype))[0]


def bools(values: pa.Array | pa.ChunkedArray, null: bool = False) -> NDArray[np.bool_]:
    """A boolean Arrow array as a NumPy array, ``null`` at its nulls.

    Examples
    --------
    >>> bools(pa.array([True, None, False])).tolist()
    [True, False, False]
    >>> bools(pa.array([True, None, False]), null=True).tolist()
    [True, True, False]
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
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
    """A numeric Arrow array as a NumPy array: a read-only view of its buffer where it has no
    null (as :meth:`pyarrow.Array.to_numpy` gives it), else float64 with NaN at the nulls.

    Examples
    --------
    >>> numbers(pa.array([1, 2])).tolist()
    [1, 2]
    >>> numbers(pa.array([1, None])).tolist()
    [1.0, nan]
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    dtype = next((d for d, k in _TYPES.items() if k == values.type), None)
    if dtype is None or dtype == np.bool_:
        raise ArgumentError(f"numbers: not an array of numbers: {values.type}")
    n, offset = len(values), values.offset
    data = values.buffers()[1]
    if data is None or not n:
        return np.zeros(0, dtype=dtype if not values.null_count else np.float64)
    out: NDArray[Any] = np.frombuffer(data, dtype=dtype, count=offset + n)[offset:]
    if values.null_count:  # a new array, in Arrow's pool (kept for the next table's)
        filled = empty(n, np.float64)
        filled[:] = np.nan
        np.copyto(filled, out, where=_bits(values.buffers()[0], offset, n))
        out = filled
    return out


def from_python(values: list[Any]) -> pa.Array:
    """A list of Python strings, booleans or numbers (None for null) as an Arrow array of the
    type :func:`pyarrow.array` infers: string, bool, int64 or double (null if all are None).

    Examples
    --------
    >>> from_python(["a", None]).to_pylist(), from_python([1, 2.5, None]).type
    (['a', None], DataType(double))
    """
    given = [v for v in values if v is not None]
    missing = np.array([v is None for v in values], dtype=np.bool_)
    if not given:
        return pa.nulls(len(values))
    if all(isinstance(v, str) for v in given):
        text = strings(tuple("" if v is None else v for v in values))
        bitmap, n_null = validity(~missing)
        return pa.Array.from_buffers(
            pa.string(), len(values), [bitmap, *text.buffers()[1:]], n_null
        )
    if all(isinstance(v, bool) for v in given):
        return array(np.array([bool(v) for v in values], dtype=np.bool_), missing)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in given):
        return array(np.array([v or 0 for v in values], dtype=np.int64), missing)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in given):
        return array(np.array([0.0 if v is None else v for v in values], dtype=np.float64), missing)
    return pa.array(values)


@cache
def strings(values: tuple[str, ...]) -> pa.Array:
    """``values`` as an Arrow string array (built once per tuple).

    Examples
    --------
    >>> strings(("primary", "junior")).to_pylist()
    ['primary', 'junior']
    """
    encoded = [v.encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets), data])
