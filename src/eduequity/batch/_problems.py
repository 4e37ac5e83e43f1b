"""Bad rows found by the validator, reported together: each problem with its number of rows,
the first schools (their ids, and their rows where a file was read) and their values, in
English and in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._errors import DataError

__all__ = ["Problems"]

_MAX_IDS = 3


class Problems:
    """Bad rows found by the checks, reported together."""

    def __init__(
        self,
        ids: pa.Array,
        where: str,
        row_label: Callable[[int], str] | None = None,
        names: pa.Array | pa.ChunkedArray | None = None,
    ) -> None:
        self.ids, self.where, self.row_label = ids, where, row_label
        #: The schools' names, which name a row without an id (its name is what it says).
        self.names = names
        self.items: list[tuple[str, int, list[str]]] = []
        self.items_zh: list[tuple[str, int, list[str]]] = []

    def school(self, i: int) -> str:
        """Row ``i`` as messages name it: its school id, and its row where known."""
        school = self.ids[i].as_py()
        if not school:
            name = None if self.names is None else self.names[i].as_py()
            said = f" {str(name).strip()!r}" if name is not None and str(name).strip() else ""
            if self.row_label:
                return f"(no school id, {self.row_label(i)}{said})"
            return f"(no school id{said})"
        return f"{school!r} ({self.row_label(i)})" if self.row_label else repr(str(school))

    def repeats(self, first: int) -> tuple[str, str]:
        """What a row repeating row ``first`` says of it, in English and Chinese."""
        if self.row_label is not None:
            where = self.row_label(first)
            return f"repeats {where}", f"与{_zh_rows(where)}重复"
        return f"repeats the row at index {first}", f"与索引 {first} 的行重复"

    def add(
        self,
        mask: NDArray[np.bool_],
        message: str,
        got: Any = None,
        zh: str | None = None,
        said: Callable[[int], tuple[str, str]] | None = None,
    ) -> None:
        """Record the rows of ``mask`` with ``message`` (and its Chinese, ``zh``); ``got``
        (one value per row), if given, shows the value each of the first rows holds, and
        ``said`` (row to English and Chinese) what else to say of each."""
        n = int(np.count_nonzero(mask))
        if n:
            first = np.flatnonzero(mask)[:_MAX_IDS]
            shown, shown_zh = [], []
            for i in first.tolist():
                school = self.school(i)
                zh_school = _zh_rows(school)
                if said is not None:
                    en, zh_said = said(i)
                    shown.append(f"{school} {en}")
                    shown_zh.append(f"{zh_school} {zh_said}")
                elif got is None:
                    shown.append(school)
                    shown_zh.append(zh_school)
                else:
                    shown.append(f"{school} got {_value(got[i])}")
                    shown_zh.append(f"{zh_school} 取值 {_value(got[i], 'zh')}")
            self.items.append((message, n, shown))
            self.items_zh.append((zh or message, n, shown_zh))

    def lines(self) -> list[str]:
        """One line per problem: what, how many rows, the first school ids (and values)."""
        return [
            f"{msg}: {n} row{'s' if n > 1 else ''} (school ids "
            + ", ".join(shown)
            + (", ..." if n > len(shown) else "")
            + ")"
            for msg, n, shown in self.items
        ]

    def lines_zh(self) -> list[str]:
        """:meth:`lines` in Chinese."""
        return [
            f"{msg}：{n} 行（学校 " + "，".join(shown) + ("，……" if n > len(shown) else "") + "）"
            for msg, n, shown in self.items_zh
        ]

    def raise_any(self) -> None:
        """Raise one :class:`~eduequity.DataError` listing every problem, if there is any."""
        if not self.items:
            return
        lines = [f"  - {line}" for line in self.lines()]
        zh = [f"  - {line}" for line in self.lines_zh()]
        raise DataError(
            f"evaluate_table: {len(self.items)} problem{'s' if len(self.items) > 1 else ''} in "
            f"{self.where}:\n" + "\n".join(lines),
            zh=f"{self.where} 有 {len(self.items)} 个问题：\n" + "\n".join(zh),
        )


class EmptyAt:
    """``values`` as :meth:`Problems.add` shows them (``got``), with an empty cell where
    ``empty`` (a figure read as NaN there was never written), or what the cell says there if
    it says "no data" (``written``: the cells as written, where some do: ``—``, ``/``)."""

    def __init__(
        self, values: Any, empty: NDArray[np.bool_] | None, written: list[Any] | None = None
    ) -> None:
        self.values, self.empty, self.written = values, empty, written

    def __getitem__(self, i: int) -> Any:
        if self.empty is None or not self.empty[i]:
            return self.values[i]
        return None if self.written is None else self.written[i]


def _zh_rows(text: str) -> str:
    """A school as :meth:`Problems.school` names it, in Chinese."""
    text = re.sub(r"sheet '(.*?)' row (\d+)", r"工作表 '\1' 第 \2 行", text)
    text = re.sub(r"\brow (\d+)", r"第 \1 行", text)
    text = text.replace("(no school id, ", "（无学校标识码，")
    text = text.replace("(no school id", "（无学校标识码")
    return text.replace(" (", "（").replace(")", "）")


def _value(v: Any, lang: str = "en") -> str:
    """A value as an error message shows it: whole numbers without ``.0``, text quoted."""
    if isinstance(v, pa.Scalar):
        v = v.as_py()
    if v is None:
        return "空单元格" if lang == "zh" else "an empty cell"
    if isinstance(v, (float, np.floating)) and abs(v) < 1e15 and float(v).is_integer():
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return repr(v)
