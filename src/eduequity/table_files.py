"""Deprecated: the former name of a private module, removed in 0.3 (see the changelog)."""

from typing import Any as _Any

from eduequity._moved import moved as _moved


def __getattr__(name: str) -> _Any:
    return _moved(__name__, name)
