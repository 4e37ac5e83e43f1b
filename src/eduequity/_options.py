"""Library-wide options: the language of labels in notebooks and reports.

:func:`set_options` sets options for the rest of the session, or, used in a ``with``
statement, for the block only.

Examples
--------
>>> import eduequity as ee
>>> with ee.set_options(lang="zh"):
...     ee.get_option("lang")
'zh'
>>> ee.get_option("lang")
'en'
>>> previous = ee.set_options(lang="zh")
>>> ee.get_option("lang")
'zh'
>>> _ = ee.set_options(**previous)
>>> ee.get_option("lang")
'en'
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from eduequity._errors import ArgumentError, UnknownNameError
from eduequity._option_values import OPTIONS as _OPTIONS

__all__ = ["PreviousOptions", "get_option", "set_options"]

#: Allowed values of each option.
_CHOICES: dict[str, tuple[Any, ...]] = {"lang": ("en", "zh")}


def get_option(name: str) -> Any:
    """The current value of option ``name`` (see :func:`set_options`)."""
    if name not in _OPTIONS:
        raise UnknownNameError(
            f"get_option: unknown option {name!r}; options are {sorted(_OPTIONS)}."
        )
    return _OPTIONS[name]


class PreviousOptions(dict[str, Any]):
    """The values the options had before :func:`set_options` changed them.

    A dict (pass it back, ``set_options(**previous)``, to restore them) and a context manager
    that restores them when its block ends, however it ends (an exception included).
    """

    def __enter__(self) -> PreviousOptions:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _OPTIONS.update(self)


def set_options(**options: Any) -> PreviousOptions:
    """Set options; return their previous values.

    Every name and value is checked before any option is set: a call that raises changes
    nothing. Use the call in a ``with`` statement to set the options for the block only (the
    previous values come back when it ends, also on an exception), or pass the returned values
    back (``set_options(**previous)``) to restore them.

    Parameters
    ----------
    lang : {"en", "zh"}
        The language of labels in notebook display (``_repr_html_``) and of reports when no
        language is given.

    Returns
    -------
    PreviousOptions
        The previous value of each option set (a dict, and a context manager).

    Raises
    ------
    UnknownNameError
        An unknown option (a :class:`KeyError`).
    ArgumentError
        A value the option does not take (a :class:`ValueError`).
    """
    for name, value in options.items():
        if name not in _CHOICES:
            raise UnknownNameError(
                f"set_options: unknown option {name!r}; options are {sorted(_CHOICES)}."
            )
        if value not in _CHOICES[name]:
            raise ArgumentError(
                f"set_options: {name} must be one of {_CHOICES[name]}. Got {value!r}."
            )
    previous = PreviousOptions({name: _OPTIONS[name] for name in options})
    _OPTIONS.update(options)
    return previous
