"""The standard an entry point applies: the one the caller names.

No entry point chooses a standard for its caller: ``evaluate``, ``plan``, ``monitor``, the
columnar door's ``evaluate_table``, ``plan_table`` and ``equity_table``, and the command line
(``--standard`` or ``--ruleset``) all take it from the call. The 2012 basic standard and the
2017 quality standard judge different things (the composite CV against 0.65 / 0.55, or each CV
against 0.50 / 0.45 and every school against its minimums), so a default would decide, unseen,
what the verdict means. Until 0.3, a call without a standard still runs with the standard that
entry point used before (``"cn-basic-2012"`` to evaluate, monitor and measure equity,
``"cn-quality-2017"`` to plan) and warns (:class:`FutureWarning`) naming what to pass; from 0.3
it is refused.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eduequity.standards._model import Standard

__all__ = ["standard_given"]


def standard_given(standard: str | Standard | None, func: str, former: str) -> Standard:
    """The :class:`Standard` ``standard`` names; for ``None``, ``former`` with a
    :class:`FutureWarning` that tells the caller of ``func`` what to pass."""
    from eduequity.standards import get_standard

    if standard is None:
        warnings.warn(
            f"{func}: name the standard, e.g. {func}(..., {former!r}) or "
            f"{func}(..., 'cn-quality-2017') (see eduequity.list_standards()). Without one, "
            f"{func} applies {former!r} for now (until 0.3), and refuses from 0.3.",
            FutureWarning,
            stacklevel=3,
        )
        standard = former
    return get_standard(standard) if isinstance(standard, str) else standard
