"""Sphinx configuration. The standards page is generated from the standards' data at build time."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from columns_page import write_columns_page  # noqa: E402
from equity_page import write_lorenz_chart  # noqa: E402
from monitor_page import write_trend_chart  # noqa: E402
from plan_page import write_plan_chart  # noqa: E402
from quickstart_page import write_quickstart_chart  # noqa: E402
from standards_page import write_standards_page  # noqa: E402

import eduequity  # noqa: E402

project = "eduequity"
author = "eduequity developers"
copyright = "eduequity developers"
release = eduequity.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
]
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False
napoleon_use_ivar = True
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False}
nitpicky = True
# Field lists name attributes ("mean", "schools") that several classes have; Sphinx then finds
# more than one target for the bare name (ref.python). Unresolved references still fail.
suppress_warnings = ["ref.python"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_theme_options = {"description": "County balance of compulsory education, exactly"}
# Docstring examples run in their module's namespace under pytest; here they need its names.
doctest_global_setup = """
try:
    import pandas
except ImportError:
    pandas = None
import eduequity as ee
from eduequity import *
from eduequity.metrics import *
from eduequity.batch import *
from eduequity.rules import *
from eduequity.report import *
from eduequity.equity import *
from eduequity.datasets import *
import numpy as np
"""

doctest_default_flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

write_standards_page(HERE / "generated" / "standards_tables.rst")
write_columns_page(HERE / "generated" / "columns_table.rst")
write_plan_chart(HERE / "generated" / "plan_chart.svg")
write_trend_chart(HERE / "generated" / "trend_chart.svg")
write_lorenz_chart(HERE / "generated" / "lorenz_chart.svg")
write_quickstart_chart(HERE / "generated" / "quickstart_chart.svg")

# Nitpicky: every reference to eduequity must resolve. What numpydoc's parameter types say in
# words ("array of int, shape (n,)", "optional", "{'en', 'zh'}", "default 0") and the classes of
# other packages (no inventories are fetched when the docs build) are not references.
nitpick_ignore_regex = [
    ("py:class", r"[a-z{\"'].*|.* .*|[A-Z]|J arrays|.*[\"'}]"),
    ("py:.*", r"(pyarrow|pa|numpy|np|scipy|polars|pandas|matplotlib|pathlib|hypothesis|attrs)\..*"),
    ("py:class", r"(Path|ArrayLike|NDArray|Any|Callable|Mapping|Sequence|Iterable)"),
    # Private types named in the attribute types of public records (described there in words).
    (
        "py:class",
        r"(BalanceArrays|ClassBandArrays|ClassSizeReport|ClassTargetArrays|CountyItemArrays"
        r"|Derived|Facilities|MapEntry|PlanTables|SchoolRule|SchoolRuleArrays|SetAside"
        r"|SheetRead|StaffingArrays|StaffingReport|StageParts|UnusedHeader|UsedHeader|Year)",
    ),
    ("py:class", r"RecordBatchReader"),
]
