"""Work spread over the calling thread and an executor's threads, in a fixed order.

numpy and Arrow release the GIL in their loops, so a few large array operations run at once
on several cores. Results come back in the order of the items, each computed by the same
function on the same arguments, so a computation gives the same numbers with or without an
executor (the object door passes none).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from typing import Any, TypeVar

__all__ = ["lane_map"]

T = TypeVar("T")


def lane_map(
    pool: Executor | None, fn: Callable[..., T], *items: Iterable[Any], helpers: int = 1
) -> list[T]:
    """``[fn(*args) for args in zip(*items)]``, computed by this thread and, if a ``pool`` is
    given, by up to ``helpers`` of its threads at once.

    The calling thread takes items too, so the work goes on even while the pool's threads are
    busy with other tasks: a helper that has not started when the items run out is cancelled.
    If ``fn`` raises, no item starts after it, and the exception of the first failing item
    (in item order, as without a pool) is raised once every started item is done.
    """
    args = list(zip(*items, strict=True))
    if pool is None or len(args) < 2:
        return [fn(*a) for a in args]
    results: list[Any] = [None] * len(args)
    failures: list[tuple[int, BaseException]] = []
    order = iter(range(len(args)))
    lock = threading.Lock()

    def drain() -> None:
        while True:
            with lock:
                i = next(order, None) if not failures else None
            if i is None:
                return
            try:
                results[i] = fn(*args[i])
            except BaseException as error:
                with lock:
                    failures.append((i, error))
                return

    started = [pool.submit(drain) for _ in range(min(helpers, len(args) - 1))]
    drain()
    for helper in started:
        if not helper.cancel():
            helper.result()
    if failures:
        raise min(failures, key=lambda f: f[0])[1]
    return results
