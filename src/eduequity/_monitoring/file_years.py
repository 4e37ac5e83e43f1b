"""The year of a school table's file, from its name (2023.xlsx, 监测_2023.csv, 2023年.xlsx)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from eduequity._errors import DataError

__all__ = ["YEAR_IN_NAME", "given_twice", "without_year", "year_in_name", "years_of_files"]

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


def without_year(paths: Sequence[str | os.PathLike[str]]) -> tuple[str, str]:
    """The files whose name gives no year, or two, as a message lists them (in English and
    in Chinese); two empty texts where every name gives one.

    Examples
    --------
    >>> without_year(["2023.xlsx", "a.xlsx", "2015-2024.xlsx"])[0]
    'a.xlsx, 2015-2024.xlsx (two years in its name)'
    """
    files = [Path(p) for p in paths if year_in_name(p) is None]
    two = [bool(YEAR_IN_NAME.findall(p.stem)) for p in files]
    return (
        ", ".join(
            p.name + (" (two years in its name)" if t else "")
            for p, t in zip(files, two, strict=True)
        ),
        "、".join(
            p.name + ("（文件名含两个年份）" if t else "") for p, t in zip(files, two, strict=True)
        ),
    )


def given_twice(paths: Sequence[str | os.PathLike[str]], years: Sequence[int]) -> str | None:
    """Each file with its year (``a.xlsx → 2023, …``) where two files are given one year;
    None where each has its own."""
    if len(set(years)) == len(years):
        return None
    return ", ".join(f"{Path(p).name} → {y}" for p, y in zip(paths, years, strict=True))


def years_of_files(paths: Sequence[str | os.PathLike[str]], where: str) -> dict[int, Path]:
    """``{year: path}`` of files each named by its year; refused (``where`` begins the
    message) where a name gives no year or two, or two files give the same year.

    Examples
    --------
    >>> years_of_files(["监测_2024.xlsx", "监测_2023.xlsx"], "monitor")
    {2024: PosixPath('监测_2024.xlsx'), 2023: PosixPath('监测_2023.xlsx')}
    """
    unnamed, unnamed_zh = without_year(paths)
    if unnamed:
        raise DataError(
            f"{where}: the year of {unnamed} is not in its name: give the tables as "
            "{year: path} ({2023: 'a.xlsx', 2024: 'b.xlsx'}), or name each file by its year "
            "(2023.xlsx, 监测_2023.csv).",
            zh=f"{where}：无法从文件名得知 {unnamed_zh} 的年度：请以 {{年度: 路径}} 给出各表"
            "（{2023: 'a.xlsx', 2024: 'b.xlsx'}），"
            "或在文件名中写明年度（2023.xlsx、监测_2023.csv）。",
        )
    years = [y for p in paths if (y := year_in_name(p)) is not None]
    shown = given_twice(paths, years)
    if shown is not None:
        raise DataError(
            f"{where}: a year is given twice ({shown}); give each file its own year.",
            zh=f"{where}：同一年度出现两次（{shown}）；请为每个文件给出不同的年度。",
        )
    return {y: Path(p) for y, p in zip(years, paths, strict=True)}
