"""Every error eduequity raises is an EduEquityError that is also the builtin callers expect."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import pytest

import eduequity as ee

SRC = Path(ee.__file__).parent

#: Builtins a module may raise for Python's own protocols, not for the user's input.
_PROTOCOL = {"AttributeError"}  # module __getattr__


def _raised_builtins() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                name = exc.id if isinstance(exc, ast.Name) else None
                builtin = getattr(builtins, name, None) if name else None
                if (
                    name
                    and name not in _PROTOCOL
                    and isinstance(builtin, type)
                    and issubclass(builtin, BaseException)
                ):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")
    return found


def test_no_bare_builtin_errors() -> None:
    """No module raises a builtin exception where an EduEquityError subclass belongs."""
    assert _raised_builtins() == []


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (ee.DataError, (ValueError,)),
        (ee.RulesetError, (ValueError,)),
        (ee.UnknownNameError, (KeyError, LookupError)),
        (ee.ArgumentError, (ValueError, TypeError)),
        (ee.MissingExtraError, (ImportError,)),
    ],
)
def test_errors_subclass_the_builtin(error: type[Exception], bases: tuple[type, ...]) -> None:
    """Each error is an EduEquityError and the builtin a caller without eduequity catches."""
    assert issubclass(error, ee.EduEquityError)
    assert all(issubclass(error, b) for b in bases)


def test_unknown_school_and_component() -> None:
    """An unknown school of a county or component of a standard is an UnknownNameError."""
    county = ee.datasets.sample_county()
    with pytest.raises(ee.UnknownNameError, match="has no school 'nope'") as info:
        county.school("nope")
    assert isinstance(info.value, KeyError)
    with pytest.raises(ee.UnknownNameError, match="no component 'nope'"):
        ee.get_standard("cn-basic-2012").component("nope")


def test_bad_arguments_are_argument_errors() -> None:
    """A format, language or table a function does not take is an ArgumentError."""
    result = ee.evaluate(ee.datasets.sample_county(), "cn-basic-2012")
    with pytest.raises(ee.ArgumentError, match="to_arrow: table must be"):
        result.to_arrow("nope")
    with pytest.raises(ee.ArgumentError, match="format must be one of"):
        ee.report.render(result, format="nope")
    with pytest.raises(ee.ArgumentError, match="expected an EvaluationResult"):
        ee.report.render(42, format="text")  # type: ignore[arg-type]
