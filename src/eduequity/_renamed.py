"""Keyword arguments renamed in 0.2: the former name still works for one release, with a
:class:`DeprecationWarning` naming the new one."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from eduequity._errors import ArgumentError

__all__ = ["renamed_keywords"]

P = ParamSpec("P")
R = TypeVar("R")


def renamed_keywords(**renames: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Accept each former keyword ``old=`` of ``renames`` (``old="new"``) as ``new=``, with a
    :class:`DeprecationWarning`; giving both is an :class:`ArgumentError`."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise ArgumentError(
                            f"{func.__name__}: give {new}= only ({old}= is its former name)."
                        )
                    warnings.warn(
                        f"{func.__name__}: the keyword {old}= is renamed {new}= (one name for "
                        f"the weights of every statistic); {old}= is removed in 0.3.",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper

    return decorate
