"""Reading a stage's classes counted by band (班额段) from the school table.

A stage's ten band columns (``band_columns``) come together: a table
with some of them and not the others is refused. Per school, the band cells are all filled (the
school reports its classes by band), all empty (it does not), or partly filled: an empty band
beside filled ones is a problem (write 0 for a band with no class), or, with
``nulls="not_reported"``, leaves the school's classes not reported. A school may give its
classes one by one (``class_sizes_primary``) or by band, not both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._class_bands import (
    COUNT_EXPECTATION,
    N_BANDS,
    band_columns,
    band_headers,
    counts_violated,
)
from eduequity._errors import DataError
from eduequity.rules._columns import ClassSizes

_STAGE_ZH = {"primary": "小学", "junior": "初中"}

if TYPE_CHECKING:
    from eduequity.batch._problems import Problems

__all__ = ["BandCells", "band_nulls", "read_bands", "with_bands"]


@attrs.frozen(eq=False)
class BandCells:
    """A stage's band columns as read: the count in each cell (0 where empty or bad), the
    empty cells, and the schools with at least one filled cell."""

    names: tuple[str, ...]
    counts: NDArray[np.int64]
    empty: NDArray[np.bool_]
    filled: NDArray[np.bool_]


def read_bands(
    table: pa.Table,
    stage: str,
    read: Callable[[str], tuple[NDArray[np.float64], NDArray[np.bool_]]],
    problems: Problems,
    label: Callable[[str], str],
    where: str,
) -> BandCells | None:
    """The band columns of ``stage`` (None if the table has none of them).

    ``read`` gives a column's values and nulls (recording text that is not a number); a
    count that is not a whole number from 0 to 1,000 is recorded in ``problems``.

    Raises
    ------
    DataError
        When the table has some of the stage's band columns but not all ten (a column empty
        throughout counts as absent).
    """
    names = band_columns(stage)
    present = [name in table.column_names for name in names]
    if not any(present):
        return None
    if not all(present):
        given = ", ".join(label(c) for c, p in zip(names, present, strict=True) if p)
        lacking = ", ".join(repr(band_headers(k, stage)[0]) for k, p in enumerate(present) if not p)
        raise DataError(
            f"evaluate_table: {where} has the {stage} class counts by band {given} but not "
            f"{lacking} (or those columns are empty throughout): a stage's classes by band "
            "need all ten counts; write 0 for a band with no class.",
            zh=f"{where} 有{_STAGE_ZH[stage]}按班额段的班数列 {given}，却没有 {lacking}（或这些列"
            "全部为空）：一个学段按班额段填报须有全部十列；没有班级的班额段请填 0。",
        )
    # Band-major (one contiguous row per band): the per-school sums then add ten vectors.
    n = table.num_rows
    values = np.empty((N_BANDS, n))
    empty = np.empty((N_BANDS, n), dtype=np.bool_)
    for k, name in enumerate(names):
        values[k], empty[k] = read(name)
    bad = ~empty & counts_violated(values)
    for k, name in enumerate(names):
        problems.add(
            bad[k],
            f"column {label(name)} {COUNT_EXPECTATION}",
            got=values[k],
            zh=f"列 {label(name)} 须为 0 至 1,000 的整数（班数）",
        )
    counts = np.where(empty | bad, 0, values).astype(np.int64)
    filled = np.asarray(~empty.all(axis=0), dtype=np.bool_)
    # Shown one row per school (a transposed view: the columns stay contiguous).
    return BandCells(names, counts.T, empty.T, filled)


def with_bands(
    sizes: ClassSizes,
    cells: BandCells,
    has: NDArray[np.bool_],
    list_name: str | None,
    problems: Problems,
    label: Callable[[str], str],
    nulls: str,
    not_reported: dict[str, NDArray[np.bool_]],
) -> ClassSizes:
    """``sizes`` (the classes listed one by one, of the schools that have the stage) with the
    classes counted by band of the schools that have the stage and report them so."""
    first, last = label(cells.names[0]), label(cells.names[-1])
    if list_name is not None:
        problems.add(
            has & sizes.reported & cells.filled,
            f"columns {label(list_name)} and {first} ... {last} both give the classes: give "
            "them one by one or by band, not both",
            zh=f"列 {label(list_name)} 与 {first} … {last} 都填了班级：逐班填写班额或按班额段"
            "填写班数，只取其一",
        )
    partial = has & cells.filled & cells.empty.any(axis=1)
    if nulls == "error":
        problems.add(
            partial,
            f"columns {first} ... {last}: a band is empty beside filled ones (write 0 for a "
            "band with no class, or pass nulls='not_reported', --nulls not_reported on the "
            "command line, to treat the school's classes as not reported)",
            zh=f"列 {first} … {last}：有的班额段为空，其他段已填（没有班级的段请填 0；或用 "
            "nulls='not_reported'，即 --nulls not_reported，将该校班级视为未填报）",
        )
    else:
        for k, name in enumerate(cells.names):
            blank = partial & cells.empty[:, k]
            if blank.any():
                not_reported[name] = blank
    keep = has & cells.filled & ~partial & ~sizes.reported
    return ClassSizes(
        values=sizes.values,
        offsets=sizes.offsets,
        reported=sizes.reported | keep,
        bands=np.asfortranarray(np.where(keep[:, None], cells.counts, 0)),
    )


def band_nulls(
    cells: BandCells,
    mask: NDArray[np.bool_],
    problems: Problems,
    label: Callable[[str], str],
    nulls: str,
    not_reported: dict[str, NDArray[np.bool_]],
    listed: str | None = None,
) -> None:
    """The null policy on the schools of ``mask``, whose band cells are all empty (and whose
    class sizes, in column ``listed`` if the table has it, are empty too): problems, or "not
    reported"."""
    names = cells.names if listed is None else (listed, *cells.names)
    if nulls == "error":
        given = f"{label(cells.names[0])} ... {label(cells.names[-1])}"
        problems.add(
            mask,
            ("columns " if listed is None else f"columns {label(listed)} and ")
            + f"{given} are empty (pass nulls='not_reported', --nulls not_reported on the "
            "command line, to treat empty cells as not reported)",
            zh=("列 " if listed is None else f"列 {label(listed)} 与 ")
            + f"{label(cells.names[0])} … {label(cells.names[-1])} 均为空（空单元格表示未填报时，"
            "用 nulls='not_reported'，即 --nulls not_reported）",
        )
    elif mask.any():
        for name in names:
            not_reported[name] = mask
