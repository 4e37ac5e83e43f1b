"""Library-wide options: the language of labels in notebooks and reports.

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
_CHOICES: dict[str, tuple[Any, ...]] = {"lang": ("en", "zh")}
_OPTIONS: dict[str, Any] = {"lang": "en"}


def get_option(name: str) -> Any:
    """The current value of option ``name`` (see :func:`set_options`)."""
    if name not in _OPTIONS:
        raise KeyError(f"get_option: unknown option {name!r}; options are {sorted(_OPTIONS)}.")
    return _OPTIONS[name]


def set_options(**options: Any) -> dict[str, Any]:
    """Set options; return their previous values (pass them back to restore).

    ``lang``: ``"en"`` or ``"zh"``, the language of labels in notebook display
    (``_repr_html_``) and of reports when no language is given.
    """
    for name, value in options.items():
        if name not in _CHOICES:
            raise KeyError(f"set_options: unknown option {name!r}; options are {sorted(_CHOICES)}.")
        if value not in _CHOICES[name]:
            raise ValueError(f"set_options: {name} must be one of {_CHOICES[name]}. Got {value!r}.")
    previous = {name: _OPTIONS[name] for name in options}
    _OPTIONS.update(options)
    return previous
