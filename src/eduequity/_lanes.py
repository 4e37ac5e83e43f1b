"""Work spread over the calling thread and a few worker threads, in a fixed order.

numpy and Arrow release the GIL in their loops, so a few large array operations run at once
on several cores. The columnar door runs its independent steps on the workers of one pool that
lives as long as the process (threads started once, so their memory is reused from one
evaluation to the next). Results come back in the order of the items, each computed by the
same function on the same arguments, so the numbers do not depend on the threads: the object
door, and the option ``threads=0``, compute everything on the calling thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any, TypeVar

from eduequity.options import get_option

__all__ = ["lane_map", "lanes", "run_here"]

T = TypeVar("T")

_POOL: ThreadPoolExecutor | None = None
_POOL_WORKERS = 0
_POOL_LOCK = threading.Lock()


def _shared_pool(workers: int) -> ThreadPoolExecutor:
    """The process's pool of ``workers`` threads (made on first use, or anew if resized)."""
    global _POOL, _POOL_WORKERS
    with _POOL_LOCK:
        if _POOL is None or workers != _POOL_WORKERS:
            old, _POOL = _POOL, ThreadPoolExecutor(workers, thread_name_prefix="eduequity")
            _POOL_WORKERS = workers
            if old is not None:
                old.shutdown(wait=False)
        return _POOL


def _forget_pool() -> None:
    """In a forked child the pool's threads do not exist: start a new pool on next use."""
    global _POOL, _POOL_LOCK
    _POOL, _POOL_LOCK = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


class _Inline(Executor):
    """Runs each task at once on the calling thread (its exception is kept in the future,
    raised by ``result()``, as with a thread)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        done: Future[T] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller by result()
            done.set_exception(error)
        return done


def run_here(fn: Callable[..., T], /, *args: Any) -> Future[T]:
    """``fn(*args)`` run now, on the calling thread, as a future: an exception is kept and
    raised by ``result()``, so results can be taken (and errors raised) in a fixed order."""
    return _Inline().submit(fn, *args)


class _Tracked(Executor):
    """Hands tasks to the shared pool and keeps their futures, so :func:`lanes` can wait."""

    def __init__(self, pool: Executor) -> None:
        self._pool = pool
        self.futures: list[Future[Any]] = []

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future = self._pool.submit(fn, *args, **kwargs)
        self.futures.append(future)
        return future


@contextmanager
def lanes() -> Iterator[Executor]:
    """An executor for one evaluation: the shared pool's workers (the ``threads`` option of
    :func:`eduequity.set_options`), or the calling thread alone if it is 0. On leaving the
    block every task submitted in it is done, whether the block ended normally or not."""
    workers = get_option("threads")
    if workers == 0:
        yield _Inline()
        return
    tracked = _Tracked(_shared_pool(workers))
    try:
        yield tracked
    finally:
        # A task waits for the helpers it submits, so the tasks in the list cover them all.
        wait(list(tracked.futures))


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
    if pool is None or isinstance(pool, _Inline) or len(args) < 2:
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
            except BaseException as error:  # raised below, in item order
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
