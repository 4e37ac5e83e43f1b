"""Library-wide options: the language of labels in notebooks and reports, and the threads of
the columnar door.

Examples
--------
>>> import eduequity as ee
>>> previous = ee.set_options(lang="zh")
>>> ee.get_option("lang")
'zh'
>>> _ = ee.set_options(**previous)
"""

from __future__ import annotations

from typing import Any

__all__ = ["get_option", "set_options"]

#: Allowed values of each option.
_CHOICES: dict[str, tuple[Any, ...]] = {"lang": ("en", "zh"), "threads": tuple(range(65))}
_OPTIONS: dict[str, Any] = {"lang": "en", "threads": 2}


def get_option(name: str) -> Any:
    """The current value of option ``name`` (see :func:`set_options`)."""
    if name not in _OPTIONS:
        raise KeyError(f"get_option: unknown option {name!r}; options are {sorted(_OPTIONS)}.")
    return _OPTIONS[name]


def set_options(**options: Any) -> dict[str, Any]:
    """Set options; return their previous values (pass them back to restore).

    ``lang``: ``"en"`` or ``"zh"``, the language of labels in notebook display
    (``_repr_html_``) and of reports when no language is given.

    ``threads``: how many worker threads the columnar door (:mod:`eduequity.batch`) uses
    beside the calling thread, 0 to 64; default 2. ``0`` computes everything on the calling
    thread. The results do not depend on it: only the time does.
    """
    for name, value in options.items():
        if name not in _CHOICES:
            raise KeyError(f"set_options: unknown option {name!r}; options are {sorted(_CHOICES)}.")
        if isinstance(value, bool) or value not in _CHOICES[name]:
            allowed = "an integer from 0 to 64" if name == "threads" else f"one of {_CHOICES[name]}"
            raise ValueError(f"set_options: {name} must be {allowed}. Got {value!r}.")
    previous = {name: _OPTIONS[name] for name in options}
    _OPTIONS.update(options)
    return previous
