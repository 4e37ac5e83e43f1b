"""The current value of each option (a leaf: the errors read the language from here, and
:mod:`eduequity._options`, which raises those errors, sets it)."""

from __future__ import annotations

from typing import Any

#: Each option's current value; changed only by :func:`eduequity.set_options`.
OPTIONS: dict[str, Any] = {"lang": "en"}
