"""Numpy arrays to Arrow arrays with nulls, without copying the values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

__all__ = ["masked"]


def masked(values: NDArray[Any], missing: NDArray[np.bool_] | None = None) -> pa.Array:
    """``values`` as an Arrow array, null where ``missing`` (default: where a float is NaN).

    The values buffer is shared, not copied (the Arrow array keeps ``values`` alive); the
    validity bitmap is packed from the mask. Equal to ``pa.array(values, mask=missing)``.
    """
    values = np.ascontiguousarray(values)
    if missing is None:
        missing = np.isnan(values)
    if values.dtype.kind not in "iuf" or values.dtype.byteorder == ">":
        return pa.array(values, mask=missing)  # booleans are bit-packed in Arrow
    n_null = int(np.count_nonzero(missing))
    if n_null == 0:
        return pa.array(values)
    bits = np.packbits(~missing, bitorder="little")
    return pa.Array.from_buffers(
        pa.from_numpy_dtype(values.dtype),
        values.size,
        [pa.py_buffer(bits), pa.py_buffer(values)],
        null_count=n_null,
    )
