"""An independent model of the 2017 quality standard's school rule, and the exact least cost of
meeting it, for checking the planner (no import of the library).

Every figure is an exact fraction. A school's stage parts (the 2017 scope: a teaching point of
fewer than 50 pupils is out), their shares of a multi-stage school's physical resources (1 : 1.1
: 1.32 primary, junior and senior; 1 : 1.2 junior and senior in a complete secondary school),
the seven minimums of each stage, the rule (at least 6 met, the rest at least 85 %), and the
documented units of a plan (whole teachers and rooms, 0.01 m², 1 yuan, each amount landing one
unit inside the level it is set for). The least cost of meeting the rule is found by trying,
for every school, every choice of the indicator each of its parts leaves at 85 % (or none): the
schools do not interact while no CV binds, so the least per school is the least in all.
"""

# ruff: noqa: N803, N806, N817  (P, A, B, C: the standard's letters; F: Fraction)
from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from fractions import Fraction as F
from typing import Any

#: A school as a case writes it (kind, enrollments, each stage's teachers, the resources).
Case = dict[str, Any]
#: What a plan adds, by (school id, column).
Adds = dict[tuple[str, str], F]
Need = Callable[[F, F, str], F]

STAGES = ("primary", "junior")
TEACH = ("teachers_above_qualification", "teachers_backbone", "teachers_pe_arts")
PHYS = ("room_area", "sports_area", "equipment_value", "multimedia_rooms")
RES = TEACH + PHYS  # the 7 indicators, in the standard's order
SCALE: dict[str, int] = {
    "teachers_above_qualification": 100,
    "teachers_backbone": 100,
    "teachers_pe_arts": 100,
    "room_area": 1,
    "sports_area": 1,
    "equipment_value": 1,
    "multimedia_rooms": 100,
}
THR: dict[str, dict[str, F]] = {
    "primary": {
        "teachers_above_qualification": F("4.2"),
        "teachers_backbone": F(1),
        "teachers_pe_arts": F("0.9"),
        "room_area": F("4.5"),
        "sports_area": F("7.5"),
        "equipment_value": F(2000),
        "multimedia_rooms": F("2.3"),
    },
    "junior": {
        "teachers_above_qualification": F("5.3"),
        "teachers_backbone": F(1),
        "teachers_pe_arts": F("0.9"),
        "room_area": F("5.8"),
        "sports_area": F("10.2"),
        "equipment_value": F(2500),
        "multimedia_rooms": F("2.4"),
    },
}
CVMAX = {"primary": F(1, 2), "junior": F(45, 100)}
FLOOR = F(85, 100)
# unit of each column and whether it is a whole count
UNIT = {
    "teachers_above_qualification": F(1),
    "teachers_backbone": F(1),
    "teachers_pe_arts": F(1),
    "room_area": F(1, 100),
    "sports_area": F(1, 100),
    "equipment_value": F(1),
    "multimedia_rooms": F(1),
}
WHOLE = {
    "teachers_above_qualification",
    "teachers_backbone",
    "teachers_pe_arts",
    "multimedia_rooms",
}
W_J, W_S, W_CS = F(11, 10), F(132, 100), F(12, 10)


def parts_of(school: Case) -> list[tuple[str, int, F]]:
    """[(stage, enrollment, share of physical resources)] of the parts that count (2017 scope)."""
    k = school["kind"]
    A: Any = school.get("P")
    B: Any = school.get("J")
    C: Any = school.get("C", 0)
    if k in ("primary",):
        return [("primary", A, F(1))]
    if k == "teaching_point":
        return [("primary", A, F(1))] if A >= 50 else []
    if k == "junior":
        return [("junior", B, F(1))]
    if k == "nine_year":
        d = A + W_J * B
        return [("primary", A, F(A) / d), ("junior", B, W_J * B / d)]
    if k == "twelve_year":
        d = A + W_J * B + W_S * C
        return [("primary", A, F(A) / d), ("junior", B, W_J * B / d)]
    if k == "complete_secondary":
        return [("junior", B, F(B) / (B + W_CS * C))]
    raise ValueError(k)


def amount(school: Case, stage: str, r: str, adds: Adds | None = None) -> F:
    """Current amount (school total for a physical resource, stage count for a teacher one)."""
    adds = adds or {}
    if r in PHYS:
        return F(school[r]) + F(adds.get((school["id"], r), 0))
    return F(school[stage][r]) + F(adds.get((school["id"], f"{r}_{stage}"), 0))


def value(school: Case, stage: str, P: int, share: F, r: str, adds: Adds | None = None) -> F:
    a = amount(school, stage, r, adds)
    if r in PHYS:
        a = a * share
    return a * SCALE[r] / P


def part_passes(school: Case, stage: str, P: int, share: F, adds: Adds | None = None) -> bool:
    met, short = 0, []
    for r in RES:
        v = value(school, stage, P, share, r, adds)
        t = THR[stage][r]
        if v >= t:
            met += 1
        else:
            short.append(v >= FLOOR * t)
    return met >= 6 and all(short)


def cv_sq_ok(xs: list[F], ps: list[int], c: F) -> bool:
    """Enrollment-weighted population CV <= c, exactly: S^2 <= c^2 mean^2 (mean > 0)."""
    P = sum(ps)
    m = sum(p * x for p, x in zip(ps, xs, strict=True)) / P
    if m <= 0:
        return False
    s2 = sum(p * (x - m) ** 2 for p, x in zip(ps, xs, strict=True)) / P
    return s2 <= c * c * m * m


def cv_float(xs: list[F], ps: list[int]) -> float:
    P = sum(ps)
    m = sum(p * x for p, x in zip(ps, xs, strict=True)) / P
    s2 = sum(p * (x - m) ** 2 for p, x in zip(ps, xs, strict=True)) / P
    return math.sqrt(float(s2)) / float(m) if m > 0 else float("nan")


def evaluate(schools: list[Case], adds: Adds | None = None) -> dict[str, Any]:
    """Independent verdict: {stage: (all parts pass school rule, {r: cv ok}, {r: cv})}."""
    out = {}
    for st in STAGES:
        rows = [(s, P, sh) for s in schools for (g, P, sh) in parts_of(s) if g == st]
        if not rows:
            continue
        ok_parts = all(part_passes(s, st, P, sh, adds) for s, P, sh in rows)
        cvok, cvs = {}, {}
        for r in RES:
            xs = [value(s, st, P, sh, r, adds) for s, P, sh in rows]
            ps = [P for _, P, _ in rows]
            cvok[r] = cv_sq_ok(xs, ps, CVMAX[st])
            cvs[r] = cv_float(xs, ps)
        out[st] = (ok_parts, cvok, cvs)
    return out


def passes(schools: list[Case], adds: Adds | None = None) -> bool:
    ev = evaluate(schools, adds)
    return all(ok and all(c.values()) for ok, c, _ in ev.values())


def inside_need(cur: F, target_total: F, r: str) -> F:
    """Addition that lands the amount one unit inside target_total (docs semantics), 0 if the
    amount already meets it."""
    if cur >= target_total:
        return F(0)
    u = UNIT[r]
    need = (target_total - cur) / u
    steps = (math.floor(need) + 1) if r in WHOLE else (math.ceil(need) + 1)
    return steps * u


def exact_need(cur: F, target_total: F, r: str) -> F:
    """Least addition on the grid that meets target_total (the rule itself, no margin)."""
    if cur >= target_total:
        return F(0)
    u = UNIT[r]
    return math.ceil((target_total - cur) / u) * u


def part_need(
    school: Case, stage: str, P: int, share: F, r: str, target: F, need: Need = inside_need
) -> F:
    """Addition of r (school total for physical, stage count for teachers) bringing the part's
    indicator to target."""
    cur = amount(school, stage, r)
    if value(school, stage, P, share, r) >= target:
        return F(0)
    tot = target * P / SCALE[r] / (share if r in PHYS else 1)
    return need(cur, tot, r)


def school_rule_optimum(
    schools: list[Case], price: dict[str, int], need: Need = inside_need
) -> tuple[F, Adds]:
    """Exact least cost of additions making every part pass the school rule (CVs ignored):
    per school, every choice of the indicator left at 85 % for each of its parts.
    Returns (cost, adds)."""
    total, adds = F(0), {}
    for s in schools:
        parts = parts_of(s)
        if not parts:
            continue
        best: tuple[F, Adds] | None = None
        for choice in itertools.product([None, *RES], repeat=len(parts)):
            a: Adds = {}
            for (st, P, sh), left in zip(parts, choice, strict=True):
                for r in RES:
                    t = THR[st][r] * (FLOOR if r == left else 1)
                    q = part_need(s, st, P, sh, r, t, need)
                    key = (s["id"], r) if r in PHYS else (s["id"], f"{r}_{st}")
                    a[key] = max(a.get(key, F(0)), q)
            cost = cost_of(a, price)
            if best is None or cost < best[0]:
                best = (cost, a)
        assert best is not None
        total += best[0]
        adds.update({k: v for k, v in best[1].items() if v > 0})
    return total, adds


def cost_of(adds: Adds, price: dict[str, int]) -> F:
    """What ``adds`` cost at ``price`` (yuan per unit of each resource)."""
    return sum(
        (price[k[1] if k[1] in PHYS else k[1].rsplit("_", 1)[0]] * F(v) for k, v in adds.items()),
        start=F(0),
    )


KINDS = [
    "primary",
    "junior",
    "nine_year",
    "nine_year",
    "twelve_year",
    "complete_secondary",
    "teaching_point",
]


def ratio(rng: random.Random, spread: float) -> float:
    u = rng.random()
    if u < 0.55:
        return rng.uniform(1.0, 1.0 + spread)  # meets
    if u < 0.8:
        return rng.uniform(0.86, 1.0)  # between 85 % and 100 %
    return rng.uniform(0.55, 0.85)  # below the floor


def make_case(
    rng: random.Random,
    n: int | None = None,
    spread: float = 0.5,
    kinds: list[str] = KINDS,
    need_stages: bool = True,
) -> list[Case]:
    n = n or rng.randint(2, 6)
    case = []
    for i in range(n):
        k = rng.choice(kinds)
        s: Case = {"id": f"S{i}", "kind": k, "C": 0}
        if k in ("primary", "nine_year", "twelve_year"):
            s["P"] = rng.randint(60, 900)
        if k == "teaching_point":
            s["P"] = rng.choice([rng.randint(10, 49), rng.randint(50, 120)])
        if k in ("junior", "nine_year", "twelve_year", "complete_secondary"):
            s["J"] = rng.randint(60, 900)
        if k in ("twelve_year", "complete_secondary"):
            s["C"] = rng.randint(60, 900)
        for st, key in (("primary", "P"), ("junior", "J")):
            if key in s:
                s[st] = {
                    r: max(0, round(ratio(rng, spread) * float(THR[st][r]) * s[key] / 100))
                    for r in TEACH
                }
        parts = (
            parts_of({**s, "P": s.get("P", 1)})
            if k != "teaching_point"
            else [("primary", s["P"], F(1))]
        )
        for r in PHYS:
            # the total that would put each part at ratio x its threshold; take one part's
            st, P, sh = rng.choice(parts)
            tot = ratio(rng, spread) * float(THR[st][r]) * P / SCALE[r] / float(sh)
            if r == "multimedia_rooms":
                s[r] = max(0, round(tot))
            elif r == "equipment_value":
                s[r] = str(round(tot))
            else:
                s[r] = f"{tot:.2f}"
        case.append(s)
    stages = {g for s in case for g, _, _ in parts_of(s)}
    if need_stages and not stages:
        return make_case(rng, n, spread, kinds, need_stages)
    return case


def make_price(rng: random.Random) -> dict[str, int]:
    return {
        "teachers_above_qualification": rng.choice([80000, 100000, 120000]),
        "teachers_backbone": rng.choice([90000, 150000]),
        "teachers_pe_arts": rng.choice([70000, 110000]),
        "room_area": rng.choice([2500, 3500]),
        "sports_area": rng.choice([300, 400, 800]),
        "equipment_value": 1,
        "multimedia_rooms": rng.choice([30000, 60000]),
    }
