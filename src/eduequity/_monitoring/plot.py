"""One county's coefficients across years as a matplotlib figure (the optional ``plot`` extra)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from eduequity._arrow import scalar
from eduequity._errors import DataError, MissingExtraError
from eduequity._indicators import get_indicator
from eduequity._models import Stage
from eduequity._monitoring.figures import bound_of
from eduequity._monitoring.panel import STAGE_NAMES
from eduequity.standards._model import Standard

__all__ = ["CJK_FONTS", "plot_county"]

#: Fonts with Chinese glyphs, in the order a Chinese figure looks for them (Linux, macOS,
#: Windows); matplotlib's default font has none.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Arial Unicode MS",
)


def _cjk_font() -> str | None:
    """The first font of :data:`CJK_FONTS` matplotlib knows, or None."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in known), None)


def _label(coefficient: str, zh: bool) -> str:
    if coefficient == "composite_cv":
        return "综合差异系数" if zh else "composite CV"
    indicator = get_indicator(coefficient.removeprefix("cv_"))
    return indicator.name_zh if zh else indicator.name_en


def plot_county(
    panel: pa.Table, standard: Standard, judged: Sequence[str], county_code: str, lang: str
) -> Any:
    """Per stage of ``county_code``, each coefficient in ``judged`` across the years of
    ``panel``, against the bound (dashed). In Chinese (``lang="zh"``) the labels are Chinese
    when matplotlib knows a font of :data:`CJK_FONTS`; without one they stay in English, with a
    warning (matplotlib would draw empty boxes)."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError(
            "Monitoring.plot needs matplotlib: pip install 'eduequity[plot]' "
            "(the HTML report of eduequity monitor draws the same charts without it)."
        ) from None
    mine = pc.equal(panel.column("county_code"), scalar(county_code, pa.string()))
    rows = panel.filter(mine).to_pylist()
    if not rows:
        raise DataError(f"monitor: no county {county_code!r} in the panel.")
    font = None
    zh = lang == "zh"
    if zh:
        font = _cjk_font()
        if font is None:
            warnings.warn(
                "Monitoring.plot: matplotlib knows no font with Chinese glyphs (e.g. Noto Sans "
                "CJK SC); the labels are in English.",
                stacklevel=3,
            )
            zh = False
    text = {} if font is None else {"fontfamily": font}
    stages = [s for s in STAGE_NAMES if any(r["stage"] == s and r["n_schools"] for r in rows)]
    n = max(len(stages), 1)
    height = 3.2 + 0.25 * ((len(judged) + 1) // 2)  # room for the legend below
    fig, axes = plt.subplots(1, n, figsize=(5 * n, height), layout="constrained")
    axes = np.atleast_1d(axes)
    for ax, stage in zip(axes, stages, strict=False):
        mine = [r for r in rows if r["stage"] == stage]
        years = [r["year"] for r in mine]
        for c in judged:
            values = [np.nan if r[c] is None else r[c] for r in mine]
            ax.plot(years, values, marker="o", label=_label(c, zh))
        bound = bound_of(standard, stage)
        if bound is not None:
            ax.axhline(bound, linestyle="--", color="#c0392b")
        ax.set_title(f"{county_code} · {Stage(stage).name_zh if zh else stage}", **text)
        ax.set_xticks(years)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=2 if len(labels) > 1 else 1,
        prop={"size": 8} if font is None else {"family": font, "size": 8},
    )
    return fig
