"""Arrow arrays of fixed names (stages, statuses, kinds), built on first use.

Building an Arrow array from Python values makes pyarrow import pandas where it is installed
(about 0.2 s), so a module keeps such names as a tuple and asks here for the array when it
builds a table, not when it is imported.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa

__all__ = ["strings"]


@cache
def strings(values: tuple[str, ...]) -> pa.Array:
    """``values`` as an Arrow string array (built once per tuple).

    Examples
    --------
    >>> strings(("primary", "junior")).to_pylist()
    ['primary', 'junior']
    """
    return pa.array(values, pa.string())
