"""Generate the bundled synthetic sample county (src/eduequity/datasets/sample_county.json).

The county is invented: its code 990101 is outside the range of real division codes and every
number is drawn from seeded distributions chosen to look like a mid-sized county. Run from the
repository root:  python tools/make_sample_county.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

SEED = 20120120
OUT = Path(__file__).resolve().parents[1] / "src" / "eduequity" / "datasets" / "sample_county.json"

# Per-student levels (primary, junior) around which schools vary.
LEVELS = {
    "room_area": (5.6, 7.0),
    "sports_area": (9.0, 12.0),
    "equipment_value": (2300.0, 2900.0),
    "computers": (0.13, 0.16),
    "books": (27.0, 38.0),
    "multimedia_rooms": (0.028, 0.029),
}
SPREAD = {
    "room_area": 0.30,
    "sports_area": 0.45,
    "equipment_value": 0.40,
    "computers": 0.35,
    "books": 0.30,
    "multimedia_rooms": 0.30,
}
STUDENTS_PER_TEACHER = (16.5, 12.5)
CLASS_TARGET = (42, 47)


def class_sizes(rng: np.random.Generator, enrollment: int, target: int) -> list[int]:
    """Split ``enrollment`` into classes of about ``target`` students, summing exactly."""
    n = max(1, math.ceil(enrollment / target))
    sizes = np.full(n, enrollment // n)
    sizes[: enrollment - int(sizes.sum())] += 1
    for _ in range(2 * n):  # move a student or two between classes, keeping the total
        i, j = rng.integers(0, n, size=2)
        if sizes[i] > 2:
            sizes[i] -= 1
            sizes[j] += 1
    return [int(s) for s in sizes]


def stage_people(rng: np.random.Generator, enrollment: int, s: int) -> dict[str, Any]:
    teachers = max(2, round(enrollment / (STUDENTS_PER_TEACHER[s] * rng.lognormal(0, 0.15))))
    return {
        "enrollment": enrollment,
        "teachers": teachers,
        "staff": teachers + round(teachers * rng.uniform(0.04, 0.12)),
        "teachers_above_qualification": round(teachers * rng.uniform(0.70, 0.97)),
        "teachers_intermediate_title": round(teachers * rng.uniform(0.30, 0.60)),
        "teachers_backbone": round(teachers * rng.uniform(0.04, 0.14)),
        "teachers_pe_arts": round(teachers * rng.uniform(0.08, 0.16)),
        "class_sizes": class_sizes(rng, enrollment, CLASS_TARGET[s]),
    }


def resources(
    rng: np.random.Generator, enrollments: dict[int, int], quality: float
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r, levels in LEVELS.items():
        total = sum(levels[s] * n for s, n in enrollments.items())
        value = total * quality * rng.lognormal(0, SPREAD[r])
        if r in ("room_area", "sports_area"):
            out[r] = round(value, 1)
        elif r == "equipment_value":
            out[r] = float(round(value))
        else:
            out[r] = float(max(1, round(value)))
    classes = sum(math.ceil(n / CLASS_TARGET[s]) for s, n in enrollments.items())
    need = math.ceil(classes / 12)
    out["music_rooms"] = float(need if rng.random() > 0.15 else max(0, need - 1))
    out["art_rooms"] = float(need if rng.random() > 0.15 else max(0, need - 1))
    out["music_room_area"] = round(out["music_rooms"] * rng.uniform(80, 110), 1)
    out["art_room_area"] = round(out["art_rooms"] * rng.uniform(76, 104), 1)
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    schools: list[dict[str, Any]] = []
    plan = (
        [("primary", "PS", n) for n in range(1, 21)]
        + [("junior", "JS", n) for n in range(1, 9)]
        + [("nine_year", "NY", n) for n in range(1, 5)]
        + [("twelve_year", "TY", 1)]
        + [("complete_secondary", "CS", n) for n in range(1, 3)]
        + [("teaching_point", "TP", n) for n in range(1, 4)]
    )
    for kind, prefix, n in plan:
        school: dict[str, Any] = {"id": f"990101-{prefix}{n:02d}", "kind": kind}
        enrollments: dict[int, int] = {}
        if kind in ("primary", "nine_year", "twelve_year"):
            enrollments[0] = int(rng.lognormal(math.log(650 if kind == "primary" else 500), 0.6))
        if kind == "teaching_point":
            enrollments[0] = int(rng.integers(18, 90))
        if kind in ("junior", "nine_year", "twelve_year", "complete_secondary"):
            enrollments[1] = int(rng.lognormal(math.log(750 if kind == "junior" else 400), 0.5))
        enrollments = {s: max(e, 12) for s, e in enrollments.items()}
        senior = (
            int(rng.integers(600, 1500)) if kind in ("twelve_year", "complete_secondary") else 0
        )
        for s, name in ((0, "primary"), (1, "junior")):
            if s in enrollments:
                school[name] = stage_people(rng, enrollments[s], s)
        if senior:
            school["senior_enrollment"] = senior
        weighted = dict(enrollments)
        if senior:
            weighted[1] = weighted.get(1, 0) + round(senior * 1.2)
        quality = rng.uniform(0.8, 1.15)
        school.update(resources(rng, weighted, quality))
        schools.append(school)
    # One private primary school and one junior school run by the city: outside the 2012 scope.
    schools[5]["public"] = False
    schools[22]["county_run"] = False
    data = {
        "_about": (
            "Synthetic sample county for eduequity's demo, documentation and tests. Every number "
            "is invented by tools/make_sample_county.py (seeded); it describes no real county."
        ),
        "code": "990101",
        "name": "样例县 (synthetic sample county)",
        "province": "样例省 (synthetic)",
        "inputs": {"government_work_score": 88.5, "satisfaction_rate": 0.912},
        "schools": schools,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(schools)} schools)")


if __name__ == "__main__":
    main()
