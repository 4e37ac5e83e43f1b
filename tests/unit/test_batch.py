"""The columnar door: inputs, aliases, one validation error for all problems, null policies."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import DataError, EduEquityError, batch
from eduequity.batch import NULL_POLICIES


def base_rows() -> list[dict[str, Any]]:
    return [
        {
            "school_id": "A",
            "county_code": "990201",
            "kind": "primary",
            "enrollment_primary": 300,
            "teachers_primary": 18.0,
            "books": 9000.0,
        },
        {
            "school_id": "B",
            "county_code": "990201",
            "kind": "nine_year",
            "enrollment_primary": 400,
            "enrollment_junior": 200,
            "teachers_primary": 20.0,
            "teachers_junior": 15.0,
            "books": 15000.0,
        },
        {
            "school_id": "C",
            "county_code": "990202",
            "kind": "junior",
            "enrollment_junior": 500,
            "teachers_junior": 40.0,
            "books": 20000.0,
        },
    ]


def table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows to a table with every key any row has (from_pylist keeps the first row's only)."""
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return pa.table({k: [r.get(k) for r in rows] for k in keys})


def test_counties_table_has_a_row_per_county_and_stage() -> None:
    """Two counties give four rows, sorted by county code, with every CV column."""
    out = batch.evaluate_table(table(base_rows()), "cn-basic-2012")
    keys = list(
        zip(
            out.counties.column("county_code").to_pylist(),
            out.counties.column("stage").to_pylist(),
            strict=True,
        )
    )
    assert keys == [
        ("990201", "primary"),
        ("990201", "junior"),
        ("990202", "primary"),
        ("990202", "junior"),
    ]
    assert {f"cv_{i}" for i in ee.BASIC_2012} <= set(out.counties.column_names)


def test_absent_optional_columns_make_items_not_evaluated() -> None:
    """Without room_area the CV of room area is null and the balance not evaluated, never passed."""
    out = batch.evaluate_table(table(base_rows()), "cn-basic-2012")
    row = out.counties.to_pylist()[0]
    assert row["cv_books_per_student"] is not None
    assert row["cv_room_area_per_student"] is None
    assert row["status"] == "not_evaluated"
    assert row["component_school_balance"] == "not_evaluated"


def test_chinese_headers_and_kinds_are_accepted() -> None:
    """National form headers and Chinese kind names map to the canonical columns."""
    t = pa.table(
        {
            "学校标识码": ["A"],
            "行政区划代码": ["990201"],
            "学校类型": ["九年一贯制学校"],
            "小学在校生数": [300],
            "初中在校生数": [120],
            "图书册数": [5000.0],
        }
    )
    out = batch.evaluate_table(t, "cn-basic-2012")
    assert out.schools.column("kind").to_pylist() == ["nine_year", "nine_year"]
    assert out.schools.column("stage").to_pylist() == ["primary", "junior"]


def test_all_problems_in_one_error_with_counts_and_ids() -> None:
    """Each problem is counted and the first school ids named, all in one DataError."""
    full = {"teachers_primary": 1.0, "teachers_junior": 1.0, "books": 100.0}
    rows = [
        *base_rows(),
        {
            **full,
            "school_id": "D",
            "county_code": "990201",
            "kind": "primary",
            "enrollment_primary": 0,
        },
        {
            **full,
            "school_id": "E",
            "county_code": "990201",
            "kind": "kindergarten",
            "enrollment_primary": 30,
        },
        {
            **full,
            "school_id": "A",
            "county_code": "990201",
            "kind": "primary",
            "enrollment_primary": 10,
        },
        {
            **full,
            "school_id": "F",
            "county_code": "990201",
            "kind": "primary",
            "enrollment_primary": 10,
            "books": -1.0,
        },
        {
            **full,
            "school_id": "G",
            "county_code": "990201",
            "kind": "junior",
            "enrollment_junior": 10,
            "enrollment_primary": 5,
        },
    ]
    with pytest.raises(DataError) as info:
        batch.evaluate_table(table(rows), "cn-basic-2012")
    msg = str(info.value)
    assert msg.startswith("evaluate_table: 5 problems in table:")
    assert (
        "column 'enrollment_primary' must be a whole number from 1 to 1,000,000 for a kind "
        "that has the stage: "
        "1 row (school ids 'D' got 0)"
    ) in msg
    assert "column 'kind' must be one of" in msg
    # The Chinese names a census table writes are listed in English too.
    assert "(or the Chinese name: 小学, 初级中学, 九年一贯制学校," in msg
    assert "(school ids 'E' got 'kindergarten')" in msg
    assert (
        "must be unique within a county (repeats an earlier row): 1 row (school ids 'A' "
        "repeats the row at index 0)"
    ) in msg
    assert (
        "column 'books' must be a number from 0 to 1,000,000,000,000: 1 row (school ids 'F' got -1)"
    ) in msg
    assert (
        "column 'enrollment_primary' must be 0 or empty for a kind without the stage: "
        "1 row (school ids 'G' got 5)"
    ) in msg


def test_null_policy() -> None:
    """A null where it applies is an error by default, or 'not reported' when chosen."""
    rows = base_rows()
    rows[0]["books"] = None
    t = table(rows)
    with pytest.raises(DataError, match=r"column 'books' is empty .*school ids 'A'\)"):
        batch.evaluate_table(t, "cn-basic-2012")
    out = batch.evaluate_table(t, "cn-basic-2012", nulls="not_reported")
    first = out.schools.to_pylist()[0]
    assert (first["school_id"], first["not_reported"]) == ("A", "books")
    assert out.counties.to_pylist()[0]["cv_books_per_student"] is None
    with pytest.raises(DataError, match="nulls must be one of"):
        batch.evaluate_table(t, "cn-basic-2012", nulls="drop")


def test_nulls_in_a_stage_the_school_lacks_are_fine() -> None:
    """teachers_junior null for a primary school is not a problem, and not "not reported"."""
    rows = base_rows()
    rows[0]["teachers_junior"] = None
    out = batch.evaluate_table(table(rows), "cn-basic-2012")
    schools = out.schools.to_pylist()
    assert (schools[0]["school_id"], schools[0]["stage"]) == ("A", "primary")
    assert schools[0]["not_reported"] is None
    assert schools[0]["value_teachers_per_student"] == 18.0 / 300


def test_numbers_written_as_text() -> None:
    """Numbers written as text are read; text that is no number is reported per school with
    the value, under the header the user wrote; a column of another type is refused."""
    rows = base_rows()
    for r in rows:
        r["books"] = f" {r['books']:.0f} "
    as_text = batch.evaluate_table(table(rows), "cn-basic-2012").counties
    assert as_text.equals(batch.evaluate_table(table(base_rows()), "cn-basic-2012").counties)
    rows[0]["books"], rows[2]["books"] = "31,200", "约三万"
    t = table(rows).rename_columns(
        ["图书册数" if n == "books" else n for n in table(rows).column_names]
    )
    with pytest.raises(DataError) as info:
        batch.evaluate_table(t, "cn-basic-2012")
    said = str(info.value)
    assert "column '图书册数' must be a number: 1 row (school ids 'C' got '约三万')" in said
    assert (
        "column '图书册数' must be a number without thousands separators (24530, not 24,530): "
        "1 row (school ids 'A' got '31,200')"
    ) in said
    rows = base_rows()
    for r in rows:
        r["books"] = [1]
    with pytest.raises(DataError, match=r"column 'books' must be numeric\. Got type list"):
        batch.evaluate_table(table(rows), "cn-basic-2012")


def test_missing_required_column() -> None:
    """school_id, county_code and kind are required."""
    with pytest.raises(DataError, match="has no column for kind \\(学校类型"):
        batch.evaluate_table(pa.table({"school_id": ["A"], "county_code": ["1"]}), "cn-basic-2012")


class Stream:
    """A minimal object exposing the Arrow C stream interface (as polars and pandas do)."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self.table.__arrow_c_stream__(requested_schema)


@pytest.mark.parametrize("kind", ["reader", "stream"])
def test_streams_are_accepted(kind: str) -> None:
    """A RecordBatchReader or any __arrow_c_stream__ object gives the same result."""
    t = table(base_rows())
    source = (
        pa.RecordBatchReader.from_batches(t.schema, t.to_batches())
        if kind == "reader"
        else Stream(t)
    )
    got = batch.evaluate_table(source, "cn-basic-2012").counties
    assert got.equals(batch.evaluate_table(t, "cn-basic-2012").counties)


def test_unsupported_source() -> None:
    """A list or a .xlsx path is refused with what is accepted."""
    with pytest.raises(DataError, match="source must be a pyarrow Table"):
        batch.evaluate_table([1, 2], "cn-basic-2012")
    with pytest.raises(DataError, match="does not exist"):
        batch.evaluate_table("nowhere.xlsx", "cn-basic-2012")


def test_county_inputs_table() -> None:
    """County inputs come as a table; an unknown county is refused."""
    rows = base_rows()
    inputs = pa.table({"county_code": ["990201"], "government_work_score": [90.0]})
    out = batch.evaluate_table(table(rows), "cn-basic-2012", county_inputs=inputs)
    by_county = {r["county_code"]: r["component_government_work"] for r in out.counties.to_pylist()}
    assert by_county == {"990201": "passed", "990202": "not_evaluated"}
    bad = pa.table({"county_code": ["123456"], "government_work_score": [90.0]})
    with pytest.raises(DataError, match="county '123456', which has no school"):
        batch.evaluate_table(table(rows), "cn-basic-2012", county_inputs=bad)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"county_code": ["990201", "990201"], "satisfaction_rate": [0.9, 0.8]}, "more than once"),
        ({"county_code": ["990201"], "happiness": [0.9]}, "'happiness' is not a known county"),
        (
            {"county_code": ["990201", "990202"], "satisfaction_rate": [0.9, 91.0]},
            r"'satisfaction_rate' must be a fraction from 0 to 1 .*Got 91.0 for county '990202'",
        ),
        (
            {"county_code": ["990201"], "government_work_score": [-1]},
            "must be a score from 0 to 100",
        ),
        ({"county_code": ["990201"], "veto_exam_admission": [1]}, "must be boolean"),
        ({"county_code": ["990201"], "government_work_score": ["high"]}, "must be a number"),
    ],
)
def test_county_inputs_table_problems_are_named(columns: dict[str, Any], message: str) -> None:
    """Each bad county input names the column, and the county where a value is out of range."""
    with pytest.raises(EduEquityError, match=message):
        batch.evaluate_table(table(base_rows()), "cn-basic-2012", county_inputs=pa.table(columns))


def test_county_inputs_flags_and_nulls() -> None:
    """A flag is read as True / False; a null input is "not supplied" for that county only."""
    inputs = pa.table(
        {
            "county_code": ["990201", "990202"],
            "veto_exam_admission": [True, None],
            "satisfaction_rate": [None, 0.95],
        }
    )
    out = batch.evaluate_table(table(base_rows()), "cn-quality-2017", county_inputs=inputs)
    veto = {
        r["county_code"]: (r["status"], r["measured"])
        for r in out.findings.to_pylist()
        if r["rule_id"] == "county.veto_exam_admission"
    }
    assert veto == {"990201": ("failed", 1.0), "990202": ("not_evaluated", None)}


def test_county_names_are_carried_and_must_agree() -> None:
    """county_name reaches the counties table; two names for one county are an error."""
    rows = base_rows()
    names = {"990201": "Alpha County", "990202": None}
    for r in rows:
        r["county_name"] = names[r["county_code"]]
    out = batch.evaluate_table(table(rows), "cn-basic-2012")
    got = dict(
        zip(
            out.counties.column("county_code").to_pylist(),
            out.counties.column("county_name").to_pylist(),
            strict=True,
        )
    )
    assert got == names
    rows[1]["county_name"] = "Beta County"  # a second name for 990201
    with pytest.raises(DataError, match=r"'county_name' must be the same .*'B'"):
        batch.evaluate_table(table(rows), "cn-basic-2012")


def test_check_consistency_flags_contradicting_figures() -> None:
    """Sub-counts above the teachers, teachers above the staff, classes off the enrollment."""
    rows = base_rows()
    rows[0] |= {"teachers_backbone_primary": 19.0, "staff_primary": 20.0}  # 19 > 18 teachers
    rows[1] |= {"staff_primary": 19.0, "class_sizes_primary": [40] * 10}  # 20 > 19; 400 = 400
    rows[2] |= {"class_sizes_junior": [50] * 9}  # 450 != 500
    lines = batch.check_consistency(table(rows), nulls="not_reported")
    assert lines == [
        "column 'teachers_backbone_primary' is larger than 'teachers_primary': 1 row "
        "(school ids 'A')",
        "column 'teachers_primary' is larger than 'staff_primary' (the staff include the "
        "teachers): 1 row (school ids 'B')",
        "the sizes in 'class_sizes_junior' do not add up to 'enrollment_junior': 1 row "
        "(school ids 'C')",
    ]


def test_check_consistency_of_agreeing_figures_is_empty() -> None:
    """Figures that agree (or are not reported) give no warning."""
    assert batch.check_consistency(table(base_rows())) == []


def test_schema_lists_every_column_once() -> None:
    """The schema table has unique names and aliases."""
    from eduequity._schema import COLUMNS

    names = [c.name for c in COLUMNS]
    aliases = [a for c in COLUMNS for a in c.aliases]
    assert len(set(names)) == len(names)
    assert len(set(aliases)) == len(aliases)
    assert not set(names) & set(aliases)


def test_ids_repeated_in_any_form_are_found() -> None:
    """A repeated id is found whatever it looks like: long, non-ASCII, empty and null ids, in
    a sliced and chunked table, as string or large_string."""
    rows = base_rows()
    long_id = "学校标识码-2134001234-第一小学-校区" * 3  # more than 64 bytes
    for r, school_id in zip(rows, [long_id, long_id, "C"], strict=True):
        r["school_id"] = school_id
        r["county_code"] = "990201"
    front = {**rows[2], "school_id": "in front"}
    for id_type in (pa.string(), pa.large_string()):
        one = table([front, *rows])
        one = one.set_column(0, "school_id", one.column("school_id").cast(id_type))
        # A row in front, sliced off (offsets no longer start at 0); or two chunks.
        for t in (one.slice(1), pa.concat_tables([one.slice(1, 1), one.slice(2)])):
            with pytest.raises(DataError, match="must be unique within a county") as info:
                batch.evaluate_table(t, "cn-basic-2012")
            assert f"1 row (school ids {long_id!r} repeats the row at index 0)" in str(info.value)
    # Two null ids in one county: reported as null, and as a repeat.
    rows = base_rows()
    rows[0]["school_id"] = rows[1]["school_id"] = None
    rows[1]["county_code"] = rows[0]["county_code"]
    with pytest.raises(DataError) as info:
        batch.evaluate_table(table(rows), "cn-basic-2012")
    msg = str(info.value)
    assert "column 'school_id' must be a non-empty string: 2 rows" in msg
    assert "must be unique within a county (repeats an earlier row): 1 row" in msg


def test_same_id_in_two_counties_is_allowed() -> None:
    """Ids need to be unique within a county only."""
    rows = base_rows()
    rows[2]["school_id"] = rows[0]["school_id"]
    assert rows[2]["county_code"] != rows[0]["county_code"]
    out = batch.evaluate_table(table(rows), "cn-basic-2012")
    assert out.schools.column("school_id").to_pylist().count(rows[0]["school_id"]) == 1 + 1


def test_repeated_ids_found_in_any_row_order() -> None:
    """Every row repeating the (county, id) of an earlier row is named with the first row it
    repeats, whatever the order of the rows; ids repeated in other counties are not (against a
    plain loop over the rows)."""
    import itertools

    import numpy as np

    from eduequity.batch._repeats import repeats

    rng = np.random.default_rng(5)
    cases = ((1, 1), (2, 2), (50, 60), (400, 90), (400, 4000))
    for (n, n_ids), digits in itertools.product(cases, (False, True)):
        # Text ids, or ids of digits (compared as numbers) of 1 to 4 digits with leading
        # zeros: "7", "07" and "007" are three ids.
        ids = [
            f"{k:0{w}d}" if digits else f"S{k}"
            for k, w in zip(rng.integers(0, n_ids, n), rng.integers(1, 5, n), strict=True)
        ]
        county = rng.integers(0, 3, n).astype(np.intp)
        seen: dict[tuple[str, int], int] = {}
        expected, first = [], []
        for i, key in enumerate(zip(ids, county.tolist(), strict=True)):
            expected.append(key in seen)
            first.append(seen.get(key, -1))
            seen.setdefault(key, i)
        repeated, of, keys = repeats(pa.array(ids), county)
        assert repeated.tolist() == expected
        assert of.tolist() == (first if any(expected) else [])
        assert (keys is not None) is digits
        if keys is not None:  # the same number exactly for the same id
            assert len(set(zip(ids, keys.tolist(), strict=True))) == len(set(ids))
            assert len(set(keys.tolist())) == len(set(ids))


def test_the_input_table_is_never_changed() -> None:
    """The evaluation never writes into the caller's table (here: people and class sizes of a
    stage the school does not have, given as 0 rather than null, which the rules set aside as
    NaN)."""
    rows = base_rows()
    rows[0] |= {"teachers_junior": 0.0, "staff_junior": 0.0, "class_sizes_junior": []}
    rows[2] |= {"teachers_primary": 0.0, "staff_primary": 0.0, "books": 0.0}
    # The 2017 standard needs these in every school (a null elsewhere would be an error).
    for r in rows:
        for name in (
            "room_area",
            "sports_area",
            "equipment_value",
            "computers",
            "multimedia_rooms",
        ):
            r.setdefault(name, 1000.0)
    t = table(rows)
    before = pa.table({name: pa.array(t.column(name).to_pylist()) for name in t.column_names})
    for standard in ("cn-basic-2012", "cn-quality-2017"):
        batch.evaluate_table(t, standard, nulls="not_reported")
        assert t.equals(before)


def test_null_or_wrong_type_flags_are_refused() -> None:
    """public and county_run decide which schools count: an empty cell or a word that is not
    yes or no is an error naming the rows and the value; 是/否, Y/N are read; absent, every
    school is public and county-run."""
    rows = base_rows()
    rows[0]["public"], rows[1]["public"], rows[2]["public"] = True, None, False
    with pytest.raises(DataError) as info:
        batch.evaluate_table(table(rows), "cn-basic-2012")
    assert (
        "column 'public' must be yes or no (true/false, 是/否, 1/0, Y/N; 公办/民办; it decides "
        "which schools count): 1 row (school ids 'B' got an empty cell)"
    ) in str(info.value)
    rows[1]["public"] = True
    out = batch.evaluate_table(table(rows), "cn-basic-2012")
    ids, why = out.schools["school_id"].to_pylist(), out.schools["reason"].to_pylist()
    reasons = dict(zip(ids, why, strict=True))
    assert reasons["C"] == "private"
    assert reasons["A"] is None
    for r, word in zip(rows, ["是", "Y", "否"], strict=True):
        r["public"] = word
    out = batch.evaluate_table(table(rows), "cn-basic-2012")
    assert dict(zip(ids, out.schools["reason"].to_pylist(), strict=True))["C"] == "private"
    rows[0]["public"] = "maybe"
    with pytest.raises(DataError, match="school ids 'A' got 'maybe'"):
        batch.evaluate_table(table(rows), "cn-basic-2012")


def test_amounts_read_by_reductions_as_the_full_checks_read_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The amounts that two reductions find in order are the arrays the full checks give
    (bit for bit, NaN where a column does not apply), and a column they doubt gives the same
    columns or the same error as the full checks alone."""
    import numpy as np

    from eduequity.batch import _validate as v

    nan, inf = float("nan"), float("inf")
    variants: list[list[Any]] = [
        [18.0, 20.0, None],  # null where the stage is absent
        [18.0, 20.0, 3.0],  # a value where the stage is absent
        [18, 20, None],  # whole numbers
        [18.0, None, None],  # null where the stage applies
        [18.0, nan, None],  # NaN where it applies
        [18.0, inf, None],
        [-1.0, 20.0, None],
        [18.0, 20.0, nan],  # NaN where the stage is absent
        [0.0, 1e12, None],
        [0.0, 1.5e12, None],
    ]

    def read(t: pa.Table, nulls: str) -> Any:
        try:
            cols = batch.validate_table(t, nulls=nulls).columns
        except DataError as error:
            return str(error)
        people = cols.people[ee.Stage.PRIMARY]["teachers"]
        return [a.tobytes() for a in (people, cols.resources["books"])]

    for values in variants:
        for books in ([9000.0, 15000.0, 20000.0], [9000.0, None, 20000.0], values):
            rows = base_rows()
            for row, x, b in zip(rows, values, books, strict=True):
                row["teachers_primary"], row["books"] = x, b
            t = table(rows)
            for shaped in (t, pa.concat_tables([t.slice(0, 1), t.slice(1)])):
                for nulls in NULL_POLICIES:
                    fast = read(shaped, nulls)
                    with monkeypatch.context() as m:
                        m.setattr(v, "plain_column", lambda *a: None)
                        assert read(shaped, nulls) == fast, (values, books, nulls)
    rows = base_rows()
    out = batch.validate_table(table(rows)).columns.resources["books"]
    assert np.array_equal(out, [9000.0, 15000.0, 20000.0])


def test_class_sizes_behind_a_null_list_are_not_read() -> None:
    """A null list of class sizes that covers values in Arrow's buffer (as a list built from
    offsets and a mask may) reads as no classes: the other schools' classes are theirs."""
    import numpy as np

    rows = base_rows()
    t = table(rows)
    covered = pa.ListArray.from_arrays(
        pa.array([0, 2, 3, 5], pa.int32()),
        pa.array([40, 41, 99, 30, 31]),
        mask=pa.array([False, True, False]),
    )
    plain = pa.array([[40, 41], None, [30, 31]], pa.list_(pa.int64()))
    got = []
    for sizes in (covered, plain):
        read = batch.validate_table(
            t.append_column("class_sizes_primary", sizes), nulls="not_reported"
        )
        cols = read.columns
        classes = cols.class_sizes[ee.Stage.PRIMARY]
        got.append((classes.values.tolist(), classes.offsets.tolist()))
    assert got[0] == got[1]
    assert np.array_equal(got[0][1], [0, 2, 2, 2])


@pytest.mark.parametrize("digits", [True, 0, 1, 13, 6.0, "6"])
def test_county_digits_must_be_a_number_of_digits(digits: object) -> None:
    """``county_digits`` is a whole number of digits from 2 to 12, or refused by name (True
    is not 1, and 6.0 or "6" are not taken for 6)."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    with pytest.raises(ee.ArgumentError, match="county_digits must be a whole number"):
        batch.evaluate_table(table, "cn-quality-2017", county_digits=digits)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [None, "", " "])
def test_an_empty_required_enrollment_is_named_an_empty_cell(given: object) -> None:
    """A required enrollment left empty (a null, or an empty text cell as in CSV) is shown as
    such, not as the NaN it is read as; a NaN written in a float column is shown as given."""
    rows = base_rows()
    for r in rows:
        if isinstance(given, str) and "enrollment_primary" in r:
            r["enrollment_primary"] = str(r["enrollment_primary"])
    rows[0]["enrollment_primary"] = given
    with pytest.raises(DataError) as info:
        batch.evaluate_table(table(rows), "cn-basic-2012")
    assert "1 row (school ids 'A' got an empty cell)" in str(info.value)
    rows = base_rows()
    written = [r.get("enrollment_primary") for r in rows]
    written[0] = float("nan")
    t = table(rows)
    t = t.set_column(
        t.column_names.index("enrollment_primary"),
        "enrollment_primary",
        pa.array(written, pa.float64()),
    )
    with pytest.raises(DataError) as info:
        batch.evaluate_table(t, "cn-basic-2012")
    assert "1 row (school ids 'A' got nan)" in str(info.value)


def test_text_that_is_not_a_number_is_refused_once() -> None:
    """'九千' or '1,600' in a numeric column is one problem, "must be a number" with the text;
    not also an empty cell (with advice about nulls that does not apply) or, for an
    enrollment, a figure out of range. ('—' says "no data": an empty cell.)"""
    rows = base_rows()
    for r in rows:
        r["books"] = str(r["books"])
        r["enrollment_primary"] = (
            None if "enrollment_primary" not in r else str(r["enrollment_primary"])
        )
    rows[0]["books"] = "九千"
    rows[1]["enrollment_primary"] = "1,600"
    with pytest.raises(DataError) as info:
        batch.evaluate_table(table(rows), "cn-basic-2012")
    text = str(info.value)
    assert text.startswith("evaluate_table: 2 problems in table:")
    assert "column 'books' must be a number: 1 row (school ids 'A' got '九千')" in text
    assert (
        "column 'enrollment_primary' must be a number without thousands separators (24530, not "
        "24,530): 1 row (school ids 'B' got '1,600')"
    ) in text
    assert "is empty" not in text


def test_a_table_without_the_scope_columns_says_how_it_reads_every_school() -> None:
    """Without 是否公办 and 是否县属 every school is read as public and county-run, which the
    read record says; a table that gives them (or one of them) says so of the other only."""
    full = batch.table_from_counties([ee.datasets.sample_county()])
    assert not any("是否公办" in n for n in batch.read_schools(full).record.notes)
    bare = full.drop_columns(["public", "county_run"])
    assert batch.read_schools(bare).record.notes_zh[-1] == (
        "表中没有“是否公办”、“是否县属”列：各校均按县级人民政府举办的公办学校读取"
    )
    half = batch.read_schools(full.drop_columns(["county_run"])).record
    assert (
        half.notes[-1]
        == "no column '是否县属': every school is read as run by the county government"
    )
    assert half.notes_zh[-1] == "表中没有“是否县属”列：各校均按县级人民政府举办的学校读取"
