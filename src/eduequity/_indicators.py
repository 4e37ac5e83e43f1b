"""The catalogue of per-school indicators used by the balance standards.

Every indicator is a per-student ratio of one school (or one stage part of a multi-stage school):

.. math::

    X_i = R_i \\times scale / P_i

with :math:`R_i` the numerator (a resource or a count of teachers), :math:`P_i` the stage's
enrollment and ``scale`` 1 or 100 ("per 100 students"). The order of the arithmetic is fixed
(resource times scale, then divided by enrollment) and :meth:`Indicator.compute` is the only place
it is done, so a borderline school gets the same value, and verdict, on every path.

The ids are public API. The 2012 basic-balance indicators, in the order of the national tables,
are :data:`BASIC_2012`; the 2017 quality-balance indicators are :data:`QUALITY_2017`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import UnknownNameError
from eduequity._models import PHYSICAL_RESOURCES, STAGE_PEOPLE

__all__ = ["BASIC_2012", "INDICATORS", "QUALITY_2017", "Indicator", "get_indicator"]

#: Resources that can be the numerator of an indicator.
NUMERATORS: tuple[str, ...] = STAGE_PEOPLE[1:] + PHYSICAL_RESOURCES


def _check_numerator(instance: object, attribute: object, value: str) -> None:
    if value not in NUMERATORS:
        raise UnknownNameError(
            f"Indicator: numerator {value!r} is not a known resource ({', '.join(NUMERATORS)})."
        )


@attrs.frozen
class Indicator:
    """One per-school indicator: ``numerator * scale / enrollment``.

    Attributes
    ----------
    id : str
        Public identifier, e.g. ``"books_per_student"``.
    name_zh, name_en : str
        Names as in the national tables, and in English.
    numerator : str
        The resource: a :class:`~eduequity.StageData` field (teachers, reported by stage) or a
        :class:`~eduequity.School` physical resource (split between stages).
    scale : float
        1, or 100 for "per 100 students".
    unit_zh, unit_en : str
        Unit of the indicator value.
    """

    id: str
    name_zh: str
    name_en: str
    numerator: str = attrs.field(validator=_check_numerator)
    scale: float
    unit_zh: str
    unit_en: str

    @property
    def is_split(self) -> bool:
        """Whether the numerator is a school-level resource split between stages."""
        return self.numerator in PHYSICAL_RESOURCES

    def compute(
        self,
        amount: ArrayLike,
        enrollment: ArrayLike,
        out: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64]:
        """Indicator values ``amount * scale / enrollment``, in that order of arithmetic.

        ``out``, if given, receives the values (e.g. a column of a matrix of indicators).

        Examples
        --------
        >>> INDICATORS["computers_per_100_students"].compute([12.0], [300]).tolist()
        [4.0]
        """
        a = np.asarray(amount, dtype=np.float64)
        p = np.asarray(enrollment, dtype=np.float64)
        result: NDArray[np.float64] = np.multiply(a, self.scale, out=out)
        return np.divide(result, p, out=result)

    def with_numerator(self, numerator: str) -> Indicator:
        """The same indicator computed from another resource (e.g. staff instead of teachers)."""
        return attrs.evolve(self, numerator=numerator)


def _ind(
    id: str, zh: str, en: str, numerator: str, scale: float, unit_zh: str, unit_en: str
) -> Indicator:
    return Indicator(id, zh, en, numerator, scale, unit_zh, unit_en)


#: Every known indicator, by id.
INDICATORS: Mapping[str, Indicator] = {
    i.id: i
    for i in (
        _ind("room_area_per_student", "生均教学及辅助用房面积",
             "teaching and auxiliary room area per student", "room_area", 1, "平方米", "m²"),
        _ind("sports_area_per_student", "生均体育运动场馆面积",
             "sports ground and hall area per student", "sports_area", 1, "平方米", "m²"),
        _ind("equipment_value_per_student", "生均教学仪器设备值",
             "teaching equipment value per student", "equipment_value", 1, "元", "yuan"),
        _ind("computers_per_100_students", "每百名学生拥有计算机台数",
             "computers per 100 students", "computers", 100, "台", "computers"),
        _ind("books_per_student", "生均图书册数",
             "library books per student", "books", 1, "册", "volumes"),
        _ind("teachers_per_student", "师生比",
             "full-time teachers per student", "teachers", 1, "人", "teachers"),
        _ind("teachers_above_qualification_per_student", "生均高于规定学历教师数",
             "teachers above the required qualification per student",
             "teachers_above_qualification", 1, "人", "teachers"),
        _ind("teachers_intermediate_title_per_student", "生均中级及以上专业技术职务教师数",
             "teachers with an intermediate or higher title per student",
             "teachers_intermediate_title", 1, "人", "teachers"),
        _ind("teachers_above_qualification_per_100_students", "每百名学生拥有高于规定学历教师数",
             "teachers above the required qualification per 100 students",
             "teachers_above_qualification", 100, "人", "teachers"),
        _ind("teachers_backbone_per_100_students", "每百名学生拥有县级及以上骨干教师数",
             "county-level or higher backbone teachers per 100 students",
             "teachers_backbone", 100, "人", "teachers"),
        _ind("teachers_pe_arts_per_100_students",
             "每百名学生拥有体育、艺术（美术、音乐）专任教师数",
             "PE, music and fine-art teachers per 100 students",
             "teachers_pe_arts", 100, "人", "teachers"),
        _ind("multimedia_rooms_per_100_students", "每百名学生拥有网络多媒体教室数",
             "networked multimedia classrooms per 100 students",
             "multimedia_rooms", 100, "间", "rooms"),
    )
}  # fmt: skip

#: The 8 indicators of the 2012 basic-balance standard, in the order of the national tables.
BASIC_2012: tuple[str, ...] = (
    "room_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "computers_per_100_students",
    "books_per_student",
    "teachers_per_student",
    "teachers_above_qualification_per_student",
    "teachers_intermediate_title_per_student",
)

#: The 7 resource-allocation indicators of the 2017 quality-balance standard, in its order.
QUALITY_2017: tuple[str, ...] = (
    "teachers_above_qualification_per_100_students",
    "teachers_backbone_per_100_students",
    "teachers_pe_arts_per_100_students",
    "room_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_rooms_per_100_students",
)


def get_indicator(indicator_id: str) -> Indicator:
    """The catalogue entry for ``indicator_id``.

    Raises
    ------
    UnknownNameError
        If the id is not in :data:`INDICATORS`; the message lists the known ids.
    """
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        known = ", ".join(INDICATORS)
        raise UnknownNameError(
            f"get_indicator: {indicator_id!r} is not a known indicator ({known})."
        ) from None
