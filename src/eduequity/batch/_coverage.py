"""Which of a standard's indicators a validated table cannot give: the indicators of a stage
whose column is missing (no value for any school of the stage), so the evaluation will say
not evaluated for them. ``eduequity validate`` counts them as problems, naming the header to
write or the column map entry to add."""

from __future__ import annotations

import attrs
import numpy as np

from eduequity._indicators import get_indicator
from eduequity.batch._headers import header_to_write
from eduequity.rules._columns import STAGES, SchoolColumns
from eduequity.standards._model import Standard

__all__ = ["MissingIndicator", "missing_indicators"]


@attrs.frozen
class MissingIndicator:
    """An indicator of a stage that will not be evaluated: no school of the stage has a
    value in its column."""

    stage: str
    indicator: str
    column: str

    def line(self, lang: str) -> str:
        """What to do about it, in ``lang`` ("en" or "zh")."""
        ind = get_indicator(self.indicator)
        header = header_to_write(self.column)
        if lang == "zh":
            stage = {"primary": "小学", "junior": "初中"}[self.stage]
            return (
                f"{stage} {ind.name_zh}：缺少列 {self.column!r}；请写表头 {header!r}，"
                f"或用列映射 columns={{'原表头': {self.column!r}}}（--columns）"
            )
        return (
            f"{self.stage} {ind.name_zh} ({ind.id}): no column {self.column!r}; write the "
            f"header {header!r}, or map yours: columns={{'your header': {self.column!r}}} "
            "(--columns)"
        )


def missing_indicators(
    columns: SchoolColumns, standard: Standard
) -> tuple[list[MissingIndicator], int]:
    """The indicators of ``standard``'s CV rule that no school of a stage can give, and the
    number of indicators of the stages with schools (what the first is counted out of)."""
    rule = standard.balance
    missing: list[MissingIndicator] = []
    total = 0
    for stage in STAGES:
        has = columns.enrollment[stage] > 0
        if not has.any():
            continue
        people = columns.people[stage]
        for ind in rule.indicators:
            total += 1
            numerator = rule.numerator(ind)
            if numerator in people:
                values = people[numerator]
                column = f"{numerator}_{stage.value}"
            else:
                values = columns.resources.get(numerator, np.full(columns.n_schools, np.nan))
                column = numerator
            if np.isnan(values[has]).all():
                missing.append(MissingIndicator(stage.value, ind, column))
    return missing, total
