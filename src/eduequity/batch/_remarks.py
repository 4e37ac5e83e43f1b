"""A remarks column (备注) that says a school is not what its row says: refused, not guessed.

Offices write in a 备注 column what the figures do not say: that a school was closed or merged
(2024年8月已撤并，学生并入第1小学), or that a row of kind 小学 is a teaching point (教学点). The
reader does not read remarks, and a school so marked would be counted as its row says: a
closed school in the county's CVs, or a teaching point of 32 pupils as a primary school. Which
the office means cannot be known from the words, so such a row is refused, naming it and its
remark, with what to do; a remarks column with no such remark is listed as not used, saying so.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import bools, strings
from eduequity._errors import DataError
from eduequity._models import SchoolKind
from eduequity._schema import KIND_ALIASES
from eduequity.batch._headers import normalise
from eduequity.batch._rows import school_named, shown_cell

__all__ = ["REMARKS_REASON", "REMARKS_REASON_ZH", "is_remarks", "no_remark_against_the_row"]

#: The headers of a remarks column.
_REMARKS = frozenset(normalise(h) for h in ("备注", "说明", "附注", "备考", "备注说明", "其他说明"))

#: What a remark says that the row does not: the school closed or merged away, or a teaching
#: point (where its kind says otherwise).
_CLOSED = "撤并|撤销|停办|停止办学|停招|已并入|合并到|关停|闭校"
_TEACHING_POINT = "教学点"
#: The names of the teaching point's kind (its value and its Chinese names).
_POINT_KINDS = tuple(
    name
    for name, kind in {**KIND_ALIASES, **{k.value: k.value for k in SchoolKind}}.items()
    if kind == SchoolKind.TEACHING_POINT.value
)

#: Why a remarks column with no remark against its row is not used.
REMARKS_REASON = "remarks: none says a school was closed or merged, or is a teaching point"
REMARKS_REASON_ZH = "备注：无一条说学校已撤并、停办，或为教学点"


def is_remarks(header: str) -> bool:
    """Whether ``header`` (its lowest cell) is a remarks column (备注, 说明 ...)."""
    return normalise(header) in _REMARKS


def no_remark_against_the_row(
    body: pa.Table,
    at: int,
    kinds: pa.Array | None,
    rows: NDArray[np.int64],
    named: list[int],
    header: str,
    where: str,
    where_zh: str,
) -> None:
    """Refuse the schools of ``body`` (sheet rows ``rows``) whose remark (its column ``at``,
    text) says they were closed or merged, or are a teaching point while their kind
    (``kinds``, as written) is not one: a :class:`~eduequity.DataError` names the first five
    by their row, the cells of the columns ``named`` (the school's id and name) and their
    remark, under ``header``; ``where`` and ``where_zh`` name the sheet."""
    if at >= body.num_columns:  # the column holds no cell
        return
    text = body.column(at)
    if not pa.types.is_string(text.type):  # a frame's column of no text, or none at all
        text = text.cast(pa.string())
    against = bools(pc.match_substring_regex(text, _CLOSED))
    point = bools(pc.match_substring(text, _TEACHING_POINT))
    if kinds is not None:
        point &= ~bools(pc.is_in(kinds, value_set=strings(_POINT_KINDS)))
    found = np.flatnonzero(against | point)
    if found.size == 0:
        return
    said = [
        (int(rows[i]), school_named(body, i, named), shown_cell(text[i].as_py()))
        for i in found[:5].tolist()
    ]
    n = found.size
    more = f" and {n - 5} more" if n > 5 else ""
    more_zh = f"等 {n} 行" if n > 5 else ""
    en = "; ".join(f"row {r}" + (f" {s!r}" if s else "") + f": {t!r}" for r, s, t in said)
    zh = "；".join(f"第 {r} 行" + (f"（{s}）" if s else "") + f"：{t!r}" for r, s, t in said)
    raise DataError(
        f"read_table: {where} {n} school(s) have a remark under {header!r} that their row does "
        f"not say: {en}{more}. eduequity reads the figures, not the remarks: delete the row "
        "of a school closed or merged away, write 小学教学点 as the kind of a teaching point, or "
        "clear the remark where the row is right, and read the file again.",
        zh=f"{where_zh}{n} 所学校的 {header!r} 写有其行未体现的情况：{zh}{more_zh}。eduequity "
        "只读数字，不读备注：已撤并、停办的学校请删除该行，教学点请把学校类型写为小学教学点，"
        "行内容无误的请清除备注，再重新读取。",
    )
