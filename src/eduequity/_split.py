r"""Splitting multi-stage schools into per-stage parts.

Every balance statistic is computed per stage, so a school that teaches more than one stage is
split into one part per compulsory stage: a nine-year or twelve-year school (九年/十二年一贯制)
into a primary part and a junior part, a complete secondary school (完全中学) into a junior part
(its senior part is not compulsory education). People are already reported by stage; **only the
physical resources are split**, by weighted enrollment. With :math:`A, B, C` the primary, junior
and senior enrollment:

- nine-year: primary share :math:`A / (A + w_J B)`, junior share :math:`w_J B / (A + w_J B)`;
- twelve-year: primary :math:`A / (A + w_J B + w_S C)`, junior :math:`w_J B / (A + w_J B + w_S C)`;
- complete secondary: junior :math:`B / (B + w_{CS} C)`.

The weights :math:`w_J = 1.1`, :math:`w_S = 1.32` (against a primary student) and
:math:`w_{CS} = 1.2` (a senior student against a junior student) come from local implementation
guides; that they are national is unconfirmed, so they are parameters (:class:`SplitWeights`).
Weights of 1 give the plain enrollment share.

Exactness: the parts of a school sum *exactly* to the school's amount (``math.fsum(parts) ==
amount``, bit for bit). Each two-way split rounds the larger part, which is at least half the
amount, and takes the smaller as the difference, which is then exact (Sterbenz's lemma). A
twelve-year school is split primary / rest, then rest into junior / senior.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import DataError
from eduequity._models import SPLIT_RESOURCES, School, SchoolKind, Stage

__all__ = [
    "KIND_CODES",
    "SPLIT_RESOURCES",
    "MultiStageWeights",
    "SchoolSplit",
    "SplitSchools",
    "SplitWeights",
    "split_amounts",
    "split_multi",
    "split_school",
    "split_schools",
]

FloatArray = NDArray[np.float64]

#: Integer code of each school kind, for the array forms.
KIND_CODES: Mapping[SchoolKind, int] = MappingProxyType({k: i for i, k in enumerate(SchoolKind)})


def _positive_finite(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        raise DataError(f"SplitWeights: field {attribute.name!r} must be > 0. Got {value!r}.")


@attrs.frozen
class SplitWeights:
    """Weights of a student of each stage when splitting a school's physical resources.

    Parameters
    ----------
    junior : float, default 1.1
        A junior student against a primary student (nine-year and twelve-year schools).
    senior : float, default 1.32
        A senior student against a primary student (twelve-year schools).
    complete_secondary_senior : float, default 1.2
        A senior student against a junior student (complete secondary schools).

    Notes
    -----
    Defaults from local implementation guides [secondary]; not confirmed as national.
    """

    junior: float = attrs.field(default=1.1, validator=_positive_finite)
    senior: float = attrs.field(default=1.32, validator=_positive_finite)
    complete_secondary_senior: float = attrs.field(default=1.2, validator=_positive_finite)


def _exact_two_way(
    amount: FloatArray, wa: FloatArray, wb: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Split ``amount`` in proportion ``wa : wb`` so that ``a + b == amount`` exactly.

    Where ``wa + wb == 0`` everything goes to ``b``. ``amount`` may have a second axis (several
    resources of the same schools); the weights broadcast over it.
    """
    if amount.ndim == 2:
        wa, wb = wa[:, np.newaxis], wb[:, np.newaxis]
    total = wa + wb
    with np.errstate(invalid="ignore", divide="ignore"):
        sa = np.where(total > 0, wa / total, 0.0)
        sb = np.where(total > 0, wb / total, 1.0)
    a_raw = amount * sa
    b_raw = amount * sb
    a_big = a_raw >= b_raw
    # The larger part is at least amount/2, so amount - big is exact (Sterbenz).
    big = np.maximum(np.where(a_big, a_raw, b_raw), amount * 0.5)
    small = amount - big
    # NaN (a resource not reported) stays NaN in every part.
    big = np.where(np.isnan(amount), np.nan, big)
    return np.where(a_big, big, small), np.where(a_big, small, big)


def _stage_weights(
    kind_codes: NDArray[np.intp],
    primary: FloatArray,
    junior: FloatArray,
    senior: FloatArray,
    weights: SplitWeights,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weighted enrollment of each stage of each school."""
    cs = kind_codes == KIND_CODES[SchoolKind.COMPLETE_SECONDARY]
    wj = np.where(cs, junior, junior * weights.junior)
    ws = np.where(cs, senior * weights.complete_secondary_senior, senior * weights.senior)
    return primary, wj, ws


def _weighted_stages(
    kinds: ArrayLike,
    primary_enrollment: ArrayLike,
    junior_enrollment: ArrayLike,
    senior_enrollment: ArrayLike,
    weights: SplitWeights | None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`_stage_weights` of array-likes (the documented weights if ``weights`` is None)."""
    a, b, c = (
        np.asarray(e, dtype=np.float64)
        for e in (primary_enrollment, junior_enrollment, senior_enrollment)
    )
    w = SplitWeights() if weights is None else weights
    return _stage_weights(np.asarray(kinds, dtype=np.intp), a, b, c, w)


def _two_way(amount: FloatArray, wa: FloatArray, wb: FloatArray) -> tuple[FloatArray, FloatArray]:
    """:func:`_exact_two_way`, computed only where both weights are positive.

    Elsewhere the result is known: with ``wb == 0 < wa`` everything goes to ``a``, otherwise to
    ``b`` (``amount * 0.0`` in the other part keeps NaN as NaN), which is what the exact split
    gives there too.
    """
    positive_a, positive_b = wa > 0, wb > 0
    if positive_a.all() and positive_b.all():  # every row is split: no gather, no scatter
        return _exact_two_way(amount, wa, wb)
    a, b = amount * 0.0, amount.copy()
    to_a = np.flatnonzero(positive_a & ~positive_b)
    a[to_a], b[to_a] = b[to_a], a[to_a]
    both = np.flatnonzero(positive_a & positive_b)
    if both.size:
        a[both], b[both] = _exact_two_way(amount[both], wa[both], wb[both])
    return a, b


def _stage_count(wp: FloatArray, wj: FloatArray, ws: FloatArray) -> NDArray[np.int8]:
    """Number of stages with weighted enrollment, per school."""
    stages: NDArray[np.int8] = (wp > 0).astype(np.int8)
    stages += wj > 0
    stages += ws > 0
    return stages


def split_schools(
    kinds: ArrayLike,
    primary_enrollment: ArrayLike,
    junior_enrollment: ArrayLike,
    senior_enrollment: ArrayLike,
    weights: SplitWeights | None = None,
) -> NDArray[np.intp]:
    """Indices of the schools whose resources :func:`split_amounts` divides between stages.

    Every other school keeps each resource whole in its one stage, so a caller may split only
    these rows and take the others' amounts as they are.
    """
    multi, _ = MultiStageWeights.among(
        kinds, primary_enrollment, junior_enrollment, senior_enrollment, weights
    )
    return multi


def split_amounts(
    amounts: ArrayLike,
    kinds: ArrayLike,
    primary_enrollment: ArrayLike,
    junior_enrollment: ArrayLike,
    senior_enrollment: ArrayLike,
    weights: SplitWeights | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Split a school-level amount of each school into its primary, junior and senior parts.

    Parameters
    ----------
    amounts : array of float, shape (n,) or (n, k)
        The school-level resource, or ``k`` resources as columns (NaN where not reported, which
        stays NaN in every part). The shares are computed once for all columns.
    kinds : array of int, shape (n,)
        Kind of each school as its code in :data:`KIND_CODES`.
    primary_enrollment, junior_enrollment, senior_enrollment : array of float, shape (n,)
        Enrollment of each stage (0 where the school does not have the stage).
    weights : SplitWeights, optional
        Weights of a junior and senior student; the documented defaults if omitted.

    Returns
    -------
    primary, junior, senior : arrays of float, shape (n,)
        The parts; ``math.fsum`` of the three parts of a school equals its amount exactly.
        A single-stage school's amount goes wholly to its stage.

    Examples
    --------
    A nine-year school with 600 primary and 300 junior students and 9,300 books:

    >>> code = KIND_CODES[SchoolKind.NINE_YEAR]
    >>> p, j, s = split_amounts([9300.0], [code], [600], [300], [0])
    >>> [round(float(x[0]), 6) for x in (p, j, s)]
    [6000.0, 3300.0, 0.0]
    >>> bool(p[0] + j[0] + s[0] == 9300.0)
    True
    """
    r = np.asarray(amounts, dtype=np.float64)
    wp, wj, ws = _weighted_stages(
        kinds, primary_enrollment, junior_enrollment, senior_enrollment, weights
    )
    # A school with one stage keeps everything there; only multi-stage schools are split.
    stages = _stage_count(wp, wj, ws)
    multi = np.flatnonzero(stages > 1)

    def whole(weight: FloatArray) -> FloatArray:
        # r * 0.0 keeps an unreported (NaN) amount NaN in the other parts too.
        result: FloatArray = np.where(_col(weight > 0, r), r, r * 0.0)
        return result

    primary, junior, senior = whole(wp), whole(wj), whole(ws)
    # A school with no weighted enrollment at all (a vocational school) is senior only.
    none = stages == 0
    senior[none] = r[none]
    if multi.size:
        primary[multi], junior[multi], senior[multi] = _split_multi(
            r[multi], wp[multi], wj[multi], ws[multi]
        )
    return primary, junior, senior


def _split_multi(
    amounts: FloatArray, wp: FloatArray, wj: FloatArray, ws: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The primary, junior and senior parts of multi-stage schools' amounts, from the stages'
    weighted enrollments: primary against the rest, then junior against senior."""
    primary, rest = _two_way(amounts, wp, wj + ws)
    junior, senior = _two_way(rest, wj, ws)
    return primary, junior, senior


@attrs.frozen(eq=False)
class MultiStageWeights:
    """The weighted enrollment of each stage of multi-stage schools (every school with
    weighted enrollment in at least two stages, see :func:`split_schools`), computed once to
    split any number of their amounts with :meth:`split`."""

    primary: FloatArray
    junior: FloatArray
    senior: FloatArray

    @classmethod
    def of(
        cls,
        kinds: ArrayLike,
        primary_enrollment: ArrayLike,
        junior_enrollment: ArrayLike,
        senior_enrollment: ArrayLike,
        weights: SplitWeights | None = None,
    ) -> MultiStageWeights:
        """The weights of these schools; a school with fewer than two weighted stages is
        refused (:class:`~eduequity.DataError`)."""
        wp, wj, ws = _weighted_stages(
            kinds, primary_enrollment, junior_enrollment, senior_enrollment, weights
        )
        if not (_stage_count(wp, wj, ws) > 1).all():
            raise DataError("split_multi: every school must have at least two weighted stages.")
        return cls(wp, wj, ws)

    @classmethod
    def among(
        cls,
        kinds: ArrayLike,
        primary_enrollment: ArrayLike,
        junior_enrollment: ArrayLike,
        senior_enrollment: ArrayLike,
        weights: SplitWeights | None = None,
    ) -> tuple[NDArray[np.intp], MultiStageWeights]:
        """The multi-stage schools among all (as :func:`split_schools`) and their weights,
        from one computation of every school's weighted stages."""
        wp, wj, ws = _weighted_stages(
            kinds, primary_enrollment, junior_enrollment, senior_enrollment, weights
        )
        multi = np.flatnonzero(_stage_count(wp, wj, ws) > 1)
        return multi, cls(wp[multi], wj[multi], ws[multi])

    def split(self, amounts: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
        """The primary, junior and senior parts of ``amounts`` (one row per school, as in
        :func:`split_amounts`)."""
        return _split_multi(np.asarray(amounts, dtype=np.float64), *attrs.astuple(self))


@attrs.frozen(eq=False)
class SplitSchools:
    """The multi-stage schools among all, by row (ascending), with their weights
    (:meth:`MultiStageWeights.among`): the weights are computed once and looked up for any of
    these schools (:meth:`at`)."""

    rows: NDArray[np.intp]
    weights: MultiStageWeights

    def at(self, rows: NDArray[np.intp]) -> MultiStageWeights:
        """The weights of the schools at ``rows``, each one of :attr:`rows`."""
        # Each school's place among :attr:`rows` by a lookup table over the rows up to the
        # last: several times faster than a binary search where ``rows`` are in no order.
        slot = np.empty(int(self.rows[-1]) + 1 if self.rows.size else 0, dtype=np.intp)
        slot[self.rows] = np.arange(self.rows.size)
        i = slot[rows]
        w = self.weights
        return MultiStageWeights(w.primary[i], w.junior[i], w.senior[i])


def split_multi(
    amounts: ArrayLike,
    kinds: ArrayLike,
    primary_enrollment: ArrayLike,
    junior_enrollment: ArrayLike,
    senior_enrollment: ArrayLike,
    weights: SplitWeights | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`split_amounts` for schools that are all multi-stage (see :func:`split_schools`):
    the same parts, without the single-stage case.

    Parameters and returns as for :func:`split_amounts`; every row must have weighted
    enrollment in at least two stages.
    """
    stages = MultiStageWeights.of(
        kinds, primary_enrollment, junior_enrollment, senior_enrollment, weights
    )
    return stages.split(amounts)


def _col(mask: NDArray[np.bool_], like: FloatArray) -> NDArray[np.bool_]:
    """``mask`` shaped to broadcast over ``like`` (one row per school)."""
    return mask[:, np.newaxis] if like.ndim == 2 else mask


@attrs.frozen
class SchoolSplit:
    """The per-stage parts of one school's split physical resources.

    Attributes
    ----------
    school_id : str
    parts : mapping of Stage to mapping of str to float or None
        For each compulsory stage of the school, each split resource's part (``None`` where the
        school did not report the resource).
    senior : mapping of str to float or None
        The part of a twelve-year or complete secondary school's resources that belongs to its
        senior stage (outside compulsory education; ``0.0`` for other kinds).
    """

    school_id: str
    parts: Mapping[Stage, Mapping[str, float | None]]
    senior: Mapping[str, float | None]


def split_school(school: School, weights: SplitWeights | None = None) -> SchoolSplit:
    """Split one school's physical resources between its stages by weighted enrollment.

    Examples
    --------
    >>> from eduequity import School, StageData
    >>> s = School(id="N1", kind="nine_year", primary=StageData(enrollment=600),
    ...            junior=StageData(enrollment=300), books=9300)
    >>> split = split_school(s)
    >>> round(split.parts[Stage.PRIMARY]["books"], 6), round(split.parts[Stage.JUNIOR]["books"], 6)
    (6000.0, 3300.0)
    """
    p_data, j_data = school.primary, school.junior
    enrollments = (
        [float(p_data.enrollment) if p_data else 0.0],
        [float(j_data.enrollment) if j_data else 0.0],
        [float(school.senior_enrollment)],
    )
    amounts = [getattr(school, r) for r in SPLIT_RESOURCES]
    values = np.array([math.nan if v is None else float(v) for v in amounts])
    n = len(SPLIT_RESOURCES)
    codes = np.full(n, KIND_CODES[school.kind], dtype=np.intp)
    a, b, c = (np.repeat(e, n) for e in enrollments)
    p, j, s = split_amounts(values, codes, a, b, c, weights=weights)

    def as_map(part: FloatArray) -> Mapping[str, float | None]:
        return MappingProxyType(
            {
                r: None if amounts[i] is None else float(part[i])
                for i, r in enumerate(SPLIT_RESOURCES)
            }
        )

    by_stage = {Stage.PRIMARY: p, Stage.JUNIOR: j}
    parts = {stage: as_map(by_stage[stage]) for stage in school.stages}
    return SchoolSplit(school.id, MappingProxyType(parts), as_map(s))
