"""The former names of modules that are private since 0.2, kept for one release.

Each former module (``eduequity.models``, ``eduequity.planning``...) is a file of two lines
whose module ``__getattr__`` calls :func:`moved`: the name is taken from its new home and a
:class:`DeprecationWarning` says where its public name is. They are removed in 0.3.
"""

from __future__ import annotations

import warnings
from importlib import import_module
from typing import Any

#: The public modules, searched in this order for the public name of a moved name.
PUBLIC_MODULES = (
    "eduequity",
    "eduequity.batch",
    "eduequity.rules",
    "eduequity.metrics",
    "eduequity.equity",
    "eduequity.standards",
    "eduequity.report",
    "eduequity.datasets",
)

#: Each former module that still imports in 0.2 (warning on each name): its private home.
FORMER_MODULES: dict[str, str] = {
    "eduequity.batch.columnmap": "eduequity.batch._columnmap",
    "eduequity.batch.inputs": "eduequity.batch._inputs",
    "eduequity.batch.read": "eduequity.batch._read",
    "eduequity.batch.reading": "eduequity.batch._reading",
    "eduequity.batch.validate": "eduequity.batch._validate",
    "eduequity.class_bands": "eduequity._class_bands",
    "eduequity.column_labels": "eduequity._column_labels",
    "eduequity.county_inputs": "eduequity._county_inputs",
    "eduequity.errors": "eduequity._errors",
    "eduequity.findings": "eduequity._findings",
    "eduequity.indicators": "eduequity._indicators",
    "eduequity.models": "eduequity._models",
    "eduequity.monitoring": "eduequity._monitoring",
    "eduequity.options": "eduequity._options",
    "eduequity.planning": "eduequity._planning",
    "eduequity.planning.additions": "eduequity._planning.additions",
    "eduequity.planning.chunks": "eduequity._planning.chunks",
    "eduequity.planning.composite": "eduequity._planning.composite",
    "eduequity.planning.costs": "eduequity._planning.costs",
    "eduequity.planning.levels": "eduequity._planning.levels",
    "eduequity.planning.tables": "eduequity._planning.tables",
    "eduequity.read_record": "eduequity._read_record",
    "eduequity.report.monitor": "eduequity.report._monitor",
    "eduequity.report.plan": "eduequity.report._plan",
    "eduequity.reporting": "eduequity.report",
    "eduequity.results": "eduequity._results",
    "eduequity.schema": "eduequity._schema",
    "eduequity.split": "eduequity._split",
    "eduequity.status": "eduequity._status",
    "eduequity.table_files": "eduequity._table_files",
    "eduequity.template": "eduequity._template",
}


def public_name(name: str) -> str | None:
    """Where ``name`` is public (``"eduequity.batch.read_table"``), or None if it is not."""
    for module in PUBLIC_MODULES:
        if name in import_module(module).__all__:
            return f"{module}.{name}"
    return None


#: The (former module, name) pairs already warned about: once each, however Python looks the
#: name up (``from package import name`` looks twice).
_WARNED: set[tuple[str, str]] = set()


def moved(former: str, name: str) -> Any:
    """``name`` from the private home of ``former``, with a warning that ``former`` is deprecated.

    Raises
    ------
    AttributeError
        If the home has no ``name`` (and, without a warning, for dunder names, which tools such
        as pytest and pickle probe).
    """
    if name.startswith("__") and name.endswith("__"):
        raise AttributeError(f"module {former!r} has no attribute {name!r}")
    value = getattr(import_module(FORMER_MODULES[former]), name)
    if (former, name) not in _WARNED:
        _WARNED.add((former, name))
        public = public_name(name)
        advice = (
            f"use {public}"
            if public is not None
            else f"{name} is not part of the public API (see the API reference)"
        )
        warnings.warn(
            f"the module {former} is deprecated and will be removed in eduequity 0.3: {advice}.",
            DeprecationWarning,
            stacklevel=3,
        )
    return value
