"""The year of a school table's file, from its name (2023.xlsx, 监测_2023.csv, 2023年.xlsx)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from eduequity._errors import DataError

__all__ = ["YEAR_IN_NAME", "year_in_name", "years_of_files"]

#: A year in a file's name: four digits alone, 1900 to 2099.
YEAR_IN_NAME = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def year_in_name(path: str | os.PathLike[str]) -> int | None:
    """The one year a file's name gives, or None (none, or several: 2015-2024.xlsx).

    Examples
    --------
    >>> year_in_name("监测_2023.csv"), year_in_name("2015-2024.xlsx"), year_in_name("a.csv")
    (2023, None, None)
    """
    found = YEAR_IN_NAME.findall(Path(path).stem)
    return int(found[0]) if len(found) == 1 else None


def years_of_files(paths: Sequence[str | os.PathLike[str]], where: str) -> dict[int, Path]:
    """``{year: path}`` of files each named by its year; refused (``where`` begins the
    message) where a name gives no year or two, or two files give the same year.

    Examples
    --------
    >>> years_of_files(["监测_2024.xlsx", "监测_2023.xlsx"], "monitor")
    {2024: PosixPath('监测_2024.xlsx'), 2023: PosixPath('监测_2023.xlsx')}
    """
    files = [Path(p) for p in paths]
    unnamed = [p for p in files if year_in_name(p) is None]
    if unnamed:
        two = " (two years in its name)"
        raise DataError(
            f"{where}: the year of "
            + ", ".join(p.name + (two if YEAR_IN_NAME.findall(p.stem) else "") for p in unnamed)
            + " is not in its name: give the tables as {year: path} "
            "({2023: 'a.xlsx', 2024: 'b.xlsx'}), or name each file by its year (2023.xlsx, "
            "监测_2023.csv).",
            zh=f"{where}：无法从文件名得知 "
            + "、".join(
                p.name + ("（文件名含两个年份）" if YEAR_IN_NAME.findall(p.stem) else "")
                for p in unnamed
            )
            + " 的年度：请以 {年度: 路径} 给出各表（{2023: 'a.xlsx', 2024: 'b.xlsx'}），"
            "或在文件名中写明年度（2023.xlsx、监测_2023.csv）。",
        )
    years = [year_in_name(p) for p in files]
    by_year = {y: p for y, p in zip(years, files, strict=True) if y is not None}
    if len(by_year) != len(files):
        shown = ", ".join(f"{p.name} → {y}" for p, y in zip(files, years, strict=True))
        raise DataError(
            f"{where}: a year is given twice ({shown}); give each file its own year.",
            zh=f"{where}：同一年度出现两次（{shown}）；请为每个文件给出不同的年度。",
        )
    return by_year
