"""Which schools count: the scope rule of a standard, with a reason for every school left out."""

from __future__ import annotations

from enum import Enum

import numpy as np
from numpy.typing import NDArray

from eduequity._errors import DataError
from eduequity._models import SchoolKind
from eduequity._split import KIND_CODES
from eduequity.rules._columns import SchoolColumns
from eduequity.standards._model import Scope, Standard

__all__ = ["ScopeReason", "scope_given", "scope_reasons"]


class ScopeReason(str, Enum):
    """Why a school is, or is not, in the scope of a standard (code 0 is included)."""

    INCLUDED = "included"
    KIND_EXCLUDED = "kind_excluded"
    PRIVATE = "private"
    NOT_COUNTY_RUN = "not_county_run"
    BELOW_MIN_ENROLLMENT = "below_min_enrollment"
    NO_COMPULSORY_STAGE = "no_compulsory_stage"

    @property
    def code(self) -> int:
        """Position of the reason in :class:`ScopeReason`."""
        return list(ScopeReason).index(self)

    @property
    def name_zh(self) -> str:
        """The reason in Chinese, for a school of any kind (:meth:`describe` names the kind
        and the size)."""
        return _NAMES_ZH[self]

    def describe(self, kind: SchoolKind, scope: Scope) -> tuple[str, str]:
        """The reason in Chinese and English, for a school of ``kind``."""
        if self is ScopeReason.KIND_EXCLUDED:
            return f"{kind.name_zh}不纳入评估", f"{kind.name_en}s are not evaluated"
        if self is ScopeReason.BELOW_MIN_ENROLLMENT:
            n = scope.min_enrollment[kind]
            return (
                f"在校生不足{n}人的{kind.name_zh}不纳入评估",
                f"{kind.name_en}s with fewer than {n} students are not evaluated",
            )
        return self.name_zh, _NAMES_EN[self]  # the same for every kind


_NAMES_ZH = {
    ScopeReason.INCLUDED: "纳入评估",
    ScopeReason.KIND_EXCLUDED: "此类学校不纳入评估",
    ScopeReason.PRIVATE: "民办学校不纳入评估",
    ScopeReason.NOT_COUNTY_RUN: "非县级政府举办的学校不纳入评估",
    ScopeReason.BELOW_MIN_ENROLLMENT: "在校生不足规定人数，不纳入评估",
    ScopeReason.NO_COMPULSORY_STAGE: "无义务教育学段",
}
_NAMES_EN = {
    ScopeReason.INCLUDED: "included",
    ScopeReason.PRIVATE: "private schools are not evaluated",
    ScopeReason.NOT_COUNTY_RUN: "schools not run by the county government are not evaluated",
    ScopeReason.NO_COMPULSORY_STAGE: "no compulsory-education stage",
}


def scope_reasons(columns: SchoolColumns, scope: Scope) -> NDArray[np.intp]:
    """The :attr:`ScopeReason.code` of every school: 0 if it counts, else the first reason.

    The reasons are tried in the order kind, private, not county-run, small size, no stage.
    """
    reasons = np.zeros(columns.n_schools, dtype=np.intp)

    def mark(mask: NDArray[np.bool_], reason: ScopeReason) -> None:
        reasons[(reasons == 0) & mask] = reason.code

    excluded = [KIND_CODES[k] for k in scope.excluded_kinds]
    mark(np.isin(columns.kind, excluded), ScopeReason.KIND_EXCLUDED)
    if scope.public_only:
        mark(~columns.public, ScopeReason.PRIVATE)
    if scope.county_run_only:
        mark(~columns.county_run, ScopeReason.NOT_COUNTY_RUN)
    compulsory = sum(columns.enrollment.values(), np.zeros(columns.n_schools))
    for kind, minimum in scope.min_enrollment.items():
        mark(
            (columns.kind == KIND_CODES[kind]) & (compulsory < minimum),
            ScopeReason.BELOW_MIN_ENROLLMENT,
        )
    mark(compulsory == 0, ScopeReason.NO_COMPULSORY_STAGE)
    return reasons


def scope_given(standard: Standard, columns: SchoolColumns) -> None:
    """Refuse a table whose headers say who runs each school in words not read (举办者)
    where the standard's scope counts only public or county-run schools and the table has
    no column saying which are (是否公办, 是否县属): every school would count as both."""
    scope = standard.scope
    needed = [
        (name, header)
        for name, header, asked in (
            ("county_run", "是否县属", scope.county_run_only),
            ("public", "是否公办", scope.public_only),
        )
        if asked and name not in columns.headers
    ]
    if not columns.unread_scope or not needed:
        return
    said = ", ".join(repr(h) for h in columns.unread_scope)
    said_zh = "、".join(repr(h) for h in columns.unread_scope)
    first = repr(columns.unread_scope[0])  # the one to write in the map
    write = " and ".join(h for _, h in needed)
    write_zh = "、".join(h for _, h in needed)
    raise DataError(
        f"{standard.id} counts only the public schools the county government runs, and the "
        f"table says who runs each school in {said}, whose words eduequity does not read; "
        f"without {write} (是/否) every school would count. Write {write} from it, or, if "
        f"every school is public and county-run, say so in a column map: "
        f'[ignore] {first} = "every school public and county-run" (--columns).',
        zh=f"{standard.id} 只评估县级政府举办的公办学校，而表中 {said_zh} 说明学校由谁举办，"
        f"eduequity 不读其文字；没有 {write_zh} 列（是/否），每所学校都会纳入评估。请据此填写 "
        f"{write_zh}；若各校均为县属公办，请在列映射中写明：[ignore] "
        f'{first} = "各校均为县属公办"（--columns）。',
    )
