"""The class-size bands (班额段) of the forms: classes counted by band instead of one by one.

The school forms of the education statistics report a stage's classes as the number of classes
in each of ten bands of class size (班额): 25 or fewer, 26-30, 31-35, 36-40, 41-45, 46-50,
51-55, 56-60, 61-65, 66 or more. A school table may give, per stage, these ten counts instead of
each class's size (``class_sizes_primary``); a :class:`~eduequity.StageData` may give them as
``class_bands``.

Every size a built-in standard compares classes with falls on a band edge: the caps 45 / 50
(national) and 40 / 45 (Jiangsu), the large (56+) and super-large (66+) classes. So the count of
classes over a cap, the large and super-large counts and the targets' shares are exact from the
bands. A threshold inside a band (a cap of 42) cannot be decided from the bands and is refused
(:func:`band_above`). The size of the largest class is not known from bands: its band is.

This module is a leaf: plain data and array helpers, no import from the rest of the library.

References
----------
- The bands of the 班额 tables of the national education statistics (教育统计报表, 班额情况),
  as the school forms print them (third-party form).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BAND_KEYS",
    "BAND_LOWER",
    "BAND_UPPER",
    "COUNT_EXPECTATION",
    "N_BANDS",
    "band_above",
    "band_column",
    "band_columns",
    "band_counts",
    "band_headers",
    "band_label",
    "band_of",
    "bands_of",
    "counts_violated",
    "edges_text",
    "stage_free_headers",
]

#: The smallest class size of each band [students] (a class has at least one student).
BAND_LOWER: tuple[int, ...] = (1, 26, 31, 36, 41, 46, 51, 56, 61, 66)
#: The largest class size of each band [students]; None for the open last band (66 or more).
BAND_UPPER: tuple[int | None, ...] = (25, 30, 35, 40, 45, 50, 55, 60, 65, None)
#: The bands' keys, as the canonical column names use them (``classes_26_30_primary``).
BAND_KEYS: tuple[str, ...] = tuple(
    "le25" if k == 0 else "ge66" if hi is None else f"{lo}_{hi}"
    for k, (lo, hi) in enumerate(zip(BAND_LOWER, BAND_UPPER, strict=True))
)
#: Number of bands.
N_BANDS = len(BAND_KEYS)
#: What each band count must be, as error messages say it.
COUNT_EXPECTATION = "must be a whole number of classes from 0 to 1,000"

_STAGE_ZH = {"primary": "小学", "junior": "初中"}
#: Ways the forms write the range of a band (hyphens, dashes, tildes, 至).
_RANGE_MARKS = ("-", "－", "‐", "–", "—", "～", "~", "〜", "至")


def band_label(band: int, lang: str = "zh") -> str:
    """A band as the forms print it: ``'25人及以下'``, ``'26-30人'``, ``'66人及以上'`` (or in
    English ``'25 or fewer'``, ``'26-30'``, ``'66 or more'``).

    Examples
    --------
    >>> band_label(0), band_label(5), band_label(9, "en")
    ('25人及以下', '46-50人', '66 or more')
    """
    lo, hi = BAND_LOWER[band], BAND_UPPER[band]
    if lang == "zh":
        if band == 0:
            return f"{hi}人及以下"
        return f"{lo}人及以上" if hi is None else f"{lo}-{hi}人"
    if band == 0:
        return f"{hi} or fewer"
    return f"{lo} or more" if hi is None else f"{lo}-{hi}"


def band_column(band: int, stage: str) -> str:
    """The canonical column of a stage's band count, e.g. ``'classes_26_30_primary'``.

    Per-stage columns end in the stage, like every per-stage column of the school table.

    Examples
    --------
    >>> band_column(0, "primary"), band_column(9, "junior")
    ('classes_le25_primary', 'classes_ge66_junior')
    """
    return f"classes_{BAND_KEYS[band]}_{stage}"


def band_columns(stage: str) -> tuple[str, ...]:
    """The ten band columns of ``stage``, in band order."""
    return tuple(band_column(k, stage) for k in range(N_BANDS))


def band_headers(band: int, stage: str) -> tuple[str, ...]:
    """The Chinese headers accepted for a band column, the form's own first.

    The form prints ``小学25人及以下班数``, ``小学26-30人班数`` ... ``小学66人及以上班数``.
    Accepted as well: the range written with a full-width hyphen, a dash, ``～``, ``~`` or ``至``;
    ``以下`` / ``以上`` for ``及以下`` / ``及以上``; the word 班额 after the stage
    (``小学班额26-30人班数``, ``小学班额26-30人``); ``的班数`` for ``班数``.

    Examples
    --------
    >>> band_headers(1, "junior")[:3]
    ('初中26-30人班数', '初中26－30人班数', '初中26‐30人班数')
    >>> "小学班额66人以上" in band_headers(9, "primary")
    True
    """
    zh = _STAGE_ZH[stage]
    lo, hi = BAND_LOWER[band], BAND_UPPER[band]
    if band == 0:
        ranges = [f"{hi}人及以下", f"{hi}人以下", f"≤{hi}人"]
    elif hi is None:
        ranges = [f"{lo}人及以上", f"{lo}人以上", f"≥{lo}人"]
    else:
        ranges = [f"{lo}{mark}{hi}人" for mark in _RANGE_MARKS]
    out: list[str] = []
    for prefix, suffixes in ((zh, ("班数", "的班数")), (f"{zh}班额", ("班数", "的班数", ""))):
        for suffix in suffixes:
            out.extend(f"{prefix}{r}{suffix}" for r in ranges)
    return tuple(dict.fromkeys(out))


def stage_free_headers(band: int) -> tuple[str, ...]:
    """The headers of a band without the stage (``25人及以下班数``, ``班额26-30人``): under a
    stage written above them, or on a sheet of one stage.

    Examples
    --------
    >>> stage_free_headers(0)[:2]
    ('25人及以下班数', '25人以下班数')
    """
    return tuple(h.removeprefix("小学") for h in band_headers(band, "primary"))


def band_of(size: int) -> int:
    """The band of a class of ``size`` students (``size >= 1``).

    Examples
    --------
    >>> band_of(25), band_of(26), band_of(45), band_of(66), band_of(120)
    (0, 1, 4, 9, 9)
    """
    return int(np.searchsorted(BAND_LOWER, size, side="right")) - 1


def bands_of(sizes: ArrayLike) -> NDArray[np.intp]:
    """The band of each class size."""
    found: NDArray[np.intp] = (
        np.searchsorted(BAND_LOWER, np.asarray(sizes), side="right").astype(np.intp) - 1
    )
    return found


def band_above(size: int) -> int | None:
    """The first band whose classes all have more than ``size`` students, where every band is
    wholly above or wholly at most ``size``; None where ``size`` falls inside a band.

    The classes over a cap ``c`` are then those of the bands from ``band_above(c)`` on, and the
    classes of ``m`` students or more those from ``band_above(m - 1)`` on. ``N_BANDS`` where no
    band is above (there is none: the last band is open).

    Examples
    --------
    >>> band_above(45), band_above(55), band_above(65), band_above(0)
    (5, 7, 9, 0)
    >>> band_above(42) is None, band_above(70) is None
    (True, True)
    """
    if size < BAND_LOWER[0]:
        return 0
    for k, hi in enumerate(BAND_UPPER):
        if hi == size:
            return k + 1
    return None


def edges_text() -> str:
    """The sizes a threshold may have to be decided from bands, as messages list them."""
    uppers = [str(hi) for hi in BAND_UPPER if hi is not None]
    return ", ".join(uppers)


def counts_violated(values: ArrayLike) -> NDArray[np.bool_]:
    """Where a band count is not a whole number from 0 to 1,000 (NaN always is not).

    Examples
    --------
    >>> counts_violated([0, 3, -1, 2.5, float("nan"), 1001]).tolist()
    [False, False, True, True, True, True]
    """
    x = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(x) & (x >= 0) & (x <= 1000) & (x == np.floor(x))
    bad: NDArray[np.bool_] = ~ok
    return bad


def band_counts(sizes: Sequence[int]) -> tuple[int, ...]:
    """The ten band counts of a list of class sizes: what a form reports for these classes.

    Examples
    --------
    >>> band_counts([45, 44, 46, 25, 70])
    (1, 0, 0, 0, 2, 1, 0, 0, 0, 1)
    """
    counts = np.bincount(bands_of(np.asarray(sizes, dtype=np.int64)), minlength=N_BANDS)
    return tuple(int(c) for c in counts)
