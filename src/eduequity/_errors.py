"""Errors raised by eduequity.

Every error is an :class:`EduEquityError` and also subclasses the builtin a caller would expect
(``ValueError`` for bad data or a bad argument, ``KeyError`` for an unknown name, ``ImportError``
for a missing optional dependency), so ``except ValueError`` keeps working in code that does not
know this library.

Messages follow one pattern: the function or object that refused, the school id and the field
when there is one, what was expected, and what was received::

    School: school '320102-0127' field 'primary.enrollment' must be a whole number from 1 to
    1,000,000. Got 0.

A failing school or county is *not* an error: it is a finding in the result of
:func:`eduequity.evaluate`. Errors are for input that cannot be evaluated at all.
"""

from __future__ import annotations

from typing import Any

from eduequity._option_values import OPTIONS

__all__ = [
    "ArgumentError",
    "DataError",
    "EduEquityError",
    "MissingExtraError",
    "RulesetError",
    "UnknownNameError",
]


class EduEquityError(Exception):
    """Base class of every error raised by eduequity."""


class DataError(EduEquityError, ValueError):
    """Input that cannot be evaluated: a negative count, NaN, a missing stage, a duplicate id.

    ``zh``, where given, is the same message in Chinese (``message_zh``): the command line
    prints it under ``--lang zh``, and the error's own text (``str(error)``) is the Chinese one
    when it is raised under ``set_options(lang="zh")``. :meth:`in_language` gives either.
    """

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        chinese = zh is not None and OPTIONS["lang"] == "zh"
        super().__init__(zh if chinese else message)
        self.message_en = message
        self.message_zh = zh

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with both messages (the default would pass the shown one as the English).
        return (_data_error, (type(self), self.message_en, self.message_zh, str(self)))

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` ("en" or "zh"; English where no Chinese was given)."""
        return self.message_zh if lang == "zh" and self.message_zh else self.message_en


def _data_error(cls: type[DataError], en: str, zh: str | None, shown: str) -> DataError:
    """A :class:`DataError` from a pickle: both messages, and the one it showed."""
    error = cls.__new__(cls)
    Exception.__init__(error, shown)
    error.message_en, error.message_zh = en, zh
    return error


class RulesetError(EduEquityError, ValueError):
    """A malformed standard or ruleset: an unknown indicator, a bad operator or value."""


class UnknownNameError(EduEquityError, KeyError):
    """A name that eduequity does not know: a standard id, an indicator id, a county input, a
    school id in a county, a component of a standard, an option.

    It subclasses :class:`KeyError` (and so :class:`LookupError`): ``except KeyError`` and
    ``except LookupError`` both catch it.
    """

    def __str__(self) -> str:
        # LookupError/KeyError would repr() the message; show it as written.
        return str(self.args[0]) if self.args else ""


class ArgumentError(EduEquityError, ValueError, TypeError):
    """An argument a function does not take: a report format, a language, a table name, an
    object of the wrong kind.

    It subclasses :class:`ValueError` and :class:`TypeError`, so code written for either keeps
    working.
    """


class MissingExtraError(EduEquityError, ImportError):
    """A feature needs an optional dependency that is not installed; the message names the
    extra to install (``pip install 'eduequity[plot]'``)."""


# The errors are public at the top level: tracebacks, reprs and pickles name them there.
for _error in (
    ArgumentError,
    DataError,
    EduEquityError,
    MissingExtraError,
    RulesetError,
    UnknownNameError,
):
    _error.__module__ = "eduequity"
