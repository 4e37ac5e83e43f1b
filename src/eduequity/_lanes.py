"""Work spread over the threads of an executor, in a fixed order.

numpy and Arrow release the GIL in their loops, so a few large array operations run at once
on several cores. Results come back in the order of the items, so a computation gives the same
numbers with or without an executor (the object door passes none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from typing import Any, TypeVar

__all__ = ["lane_map"]

T = TypeVar("T")


def lane_map(pool: Executor | None, fn: Callable[..., T], *items: Iterable[Any]) -> list[T]:
    """``[fn(*args) for args in zip(*items)]``, on the ``pool``'s threads if one is given.

    Call it from the thread that owns the pool, never from a task running in it: a task that
    waits on tasks queued behind it in the same pool could wait forever.
    """
    if pool is None:
        return [fn(*args) for args in zip(*items, strict=True)]
    return list(pool.map(fn, *items))
