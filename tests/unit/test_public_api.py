"""The declared public API: which modules are public, what they export, and the former names."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import eduequity
from eduequity import _moved
from eduequity._moved import FORMER_MODULES, PUBLIC_MODULES, public_name

API_PAGE = Path(__file__).resolve().parents[2] / "docs" / "api.rst"
DECLARED = (*PUBLIC_MODULES, "eduequity.testing", "eduequity.__main__")


def every_module() -> list[str]:
    """Every module and package of eduequity, by its dotted name."""
    found = [
        info.name
        for info in pkgutil.walk_packages(eduequity.__path__, "eduequity.")
        if not info.name.startswith("eduequity.testing")
    ]
    return sorted(found)


def test_every_module_is_declared_private_or_former() -> None:
    """A module outside the declared surface has an underscore, or is a former name."""
    stray = [
        name
        for name in every_module()
        if name not in DECLARED
        and name not in FORMER_MODULES
        and not any(part.startswith("_") for part in name.split(".")[1:])
    ]
    assert stray == []


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_name_is_in_the_api_reference(module: str) -> None:
    """Each name a public module exports is documented in the API reference, under a public
    path."""
    page = API_PAGE.read_text("utf-8")
    documented = set(re.findall(r"eduequity(?:\.\w+)*", page))
    documented |= {
        f"{m}.{name.strip()}"
        for m, names in re.findall(r"automodule:: (\S+)\n\s+:members: ([^\n]+)", page)
        for name in names.split(",")
    }
    documented |= {
        f"{m}.{name}" for name, m in re.findall(r"py:data:: (\w+)\n\s+:module: (\S+)", page)
    }
    exported = importlib.import_module(module).__all__

    def documented_somewhere(name: str) -> bool:
        value = getattr(importlib.import_module(module), name)
        return any(
            f"{other}.{name}" in documented
            and getattr(importlib.import_module(other), name, None) is value
            for other in PUBLIC_MODULES
        )

    missing = [n for n in exported if not n.startswith("__") and not documented_somewhere(n)]
    assert missing == []


@pytest.mark.parametrize("former", sorted(FORMER_MODULES))
def test_former_modules_warn_and_name_the_public_home(former: str) -> None:
    """Every name of a former module still works, with a DeprecationWarning naming its public
    home where it has one."""
    module = importlib.import_module(former)
    home = importlib.import_module(FORMER_MODULES[former])
    # Submodules aside: importing them sets them on their package.
    names = [
        n for n, v in vars(home).items() if not n.startswith("_") and not isinstance(v, ModuleType)
    ]
    assert names
    _moved._WARNED.clear()
    for name in names:
        public = public_name(name)
        advice = f"use {public}" if public else "not part of the public API"
        with pytest.warns(DeprecationWarning, match=re.escape(advice)):
            value = getattr(module, name)
        assert value is getattr(home, name)


def test_a_former_name_warns_once() -> None:
    """``from package import name`` looks a name up twice; it warns once."""
    _moved._WARNED.clear()
    with pytest.warns(DeprecationWarning, match="eduequity.water_level") as caught:
        from eduequity.planning import water_level  # noqa: F401
    assert len(caught) == 1


def test_a_former_module_has_no_new_names() -> None:
    """A name its new home does not have is an AttributeError, as for any module."""
    module = importlib.import_module("eduequity.models")
    with pytest.raises(AttributeError, match="NoSuchName"):
        module.NoSuchName  # noqa: B018


def test_the_top_level_function_evaluate_is_not_shadowed() -> None:
    """``eduequity.evaluate`` is the function, whatever was imported before."""
    importlib.import_module("eduequity._evaluate")
    doors = importlib.import_module("eduequity._doors")
    assert callable(eduequity.evaluate)
    assert eduequity.evaluate is doors.evaluate  # the door that takes a County or a table
