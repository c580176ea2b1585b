import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from batch.identifiers import (
    digits,
    enterprise_is_valid,
    enterprise_problem,
    format_enterprise,
    format_insz,
    insz_is_valid,
    insz_problem,
    insz_valid_column,
    normalize_enterprise,
    nsso_is_valid,
)


def make_insz(born: str, serial: int, after_2000: bool = False) -> str:
    """An INSZ with the right check digits for YYMMDD + serial."""
    base = int(born + f"{serial:03d}")
    check = 97 - ((2_000_000_000 + base) if after_2000 else base) % 97
    return f"{born}{serial:03d}{check:02d}"


@pytest.mark.parametrize("number", ["93051822361", "85073003328"])
def test_published_insz_examples_are_valid(number):
    assert insz_is_valid(number)


def test_births_from_2000_use_the_prefixed_check():
    number = make_insz("050612", 123, after_2000=True)
    assert insz_is_valid(number)
    assert not insz_is_valid(make_insz("050612", 123, after_2000=True)[:9] + "00")


def test_bis_numbers_add_20_or_40_to_the_month():
    assert insz_is_valid(make_insz("932518", 223))  # gender unknown: month + 20
    assert insz_is_valid(make_insz("934518", 223))  # gender known: month + 40
    assert insz_is_valid(make_insz("930000", 5))  # month and day unknown


def test_impossible_months_are_refused_even_with_matching_check_digits():
    assert not insz_is_valid(make_insz("931318", 223))
    assert not insz_is_valid(make_insz("936518", 223))


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("93051822362", "INSZ check digits do not match"),
        ("9305182236", "INSZ must have 11 digits, found 10"),
        ("930518223611", "INSZ must have 11 digits, found 12"),
        ("93051822361", None),
    ],
)
def test_insz_problem_says_what_is_wrong(number, message):
    assert insz_problem(number) == message


def test_enterprise_numbers_with_leading_0_and_1():
    assert enterprise_is_valid("0566988259")
    assert enterprise_is_valid("0403170701")
    base = 12345678 + 10_000_000  # 1 + 7 digits
    one = f"1{base % 10_000_000:07d}"
    number = f"{one}{97 - int(one) % 97:02d}"
    assert number.startswith("1") and enterprise_is_valid(number)
    assert not enterprise_is_valid("0566988258")
    assert not enterprise_is_valid("2566988259")  # first digit must be 0 or 1
    assert enterprise_problem("0566988258") == "enterprise number check digits do not match"
    assert enterprise_problem("2566988259") == "enterprise number must start with 0 or 1"


def test_nine_digit_enterprise_number_lost_its_leading_zero():
    assert normalize_enterprise(digits(566988259.0)) == "0566988259"
    assert normalize_enterprise(digits("BE 0566.988.259")) == "0566988259"


def test_nsso_number_check_and_provisional_numbers():
    assert nsso_is_valid("000935467")
    assert not nsso_is_valid("000935468")
    assert nsso_is_valid("5123456789")


def test_formats_for_people():
    assert format_insz("93051822361") == "93.05.18-223.61"
    assert format_enterprise("0566988259") == "0566.988.259"


@given(
    year=st.integers(0, 99),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    serial=st.integers(1, 997),
    after_2000=st.booleans(),
)
def test_every_well_made_insz_is_valid_and_one_wrong_digit_is_not(
    year, month, day, serial, after_2000
):
    number = make_insz(f"{year:02d}{month:02d}{day:02d}", serial, after_2000)
    assert insz_is_valid(number)
    wrong = number[:10] + str((int(number[10]) + 1) % 10)
    assert not insz_is_valid(wrong)


@given(st.lists(st.text(alphabet="0123456789", min_size=0, max_size=12), max_size=30))
def test_column_check_agrees_with_the_rule_written_out(numbers):
    def reference(n: str) -> bool:
        if len(n) != 11:
            return False
        base, check = int(n[:9]), int(n[9:])
        month, day = int(n[2:4]), int(n[4:6])
        plausible = month % 20 <= 12 and month // 20 <= 2 and day <= 31
        return plausible and check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)

    column = insz_valid_column(pd.Series(numbers, dtype="object"))
    assert list(column) == [reference(n) for n in numbers]


@given(st.lists(st.text(alphabet="0123456789", min_size=10, max_size=12), max_size=30))
def test_scalar_and_column_checks_agree(numbers):
    column = insz_valid_column(pd.Series(numbers, dtype="object"))
    assert list(column) == [insz_is_valid(n) for n in numbers]


# --- identifiers as typed in a roster (issue 8, point 7) ----------------------------------


def _validated(tmp_path, rows, header=None):
    from batch.read import read_rosters
    from batch.validate import validate
    from tests.conftest import HEADER, write_roster

    path = write_roster(tmp_path / "roster.xlsx", rows, header=header or HEADER)
    return validate(read_rosters([path]))


def _problems(result):
    return [(p.cell, p.code, p.value, p.message) for p in result.problems]


def test_letters_in_an_insz_or_enterprise_number_are_errors_never_dropped(tmp_path):
    from tests.conftest import shift

    rows = [
        shift("2026-06-29", "10:00", "14:00", insz="8507300332B8"),  # row 4
        shift("2026-06-29", "10:00", "14:00", enterprise="0566.98X.259"),  # row 5
        shift("2026-06-30", "10:00", "14:00", insz="85.07.30-033.28"),  # separators: fine
        shift("2026-07-01", "10:00", "14:00", insz="85/07/30 033 28", enterprise="BE 0566 988 259"),
        shift("2026-07-02", "10:00", "14:00", enterprise="BE0566.988.259"),
    ]
    result = _validated(tmp_path, rows)
    assert _problems(result) == [
        (
            "D4",
            "insz_characters",
            "8507300332B8",
            "INSZ holds B: only digits, dots, spaces, dashes and slashes belong in it; "
            "correct the number",
        ),
        (
            "A5",
            "enterprise_characters",
            "0566.98X.259",
            "enterprise number holds X: only BE, digits, dots, spaces, dashes and slashes "
            "belong in it; correct the number",
        ),
    ]
    assert sorted(result.shifts["row"]) == [6, 7, 8]
    assert set(result.shifts["insz"]) == {"93051822361", "85073003328"}


def test_foreign_characters_column():
    from batch.identifiers import foreign_characters

    values = pd.Series(
        ["8507300332B8", "85.07.30-033.28", "geen", None, 85073003328.0, "BE 0566", "1,2;3"],
        dtype="object",
    )
    assert list(foreign_characters(values)) == ["B", "", "", "", "", "BE", ",;"]
    assert foreign_characters(values, country=True).iloc[5] == ""


def test_foreign_characters_of_repeated_cells_keep_each_rows_place():
    """Each distinct text is looked at once; every row still gets its own answer, under
    its own index label (a sheet's rows are numbered by their Excel row)."""
    from batch.identifiers import foreign_characters

    cells = ["8507300332B8", "85.07.30-033.28", None, "BE 0566", 85073003328.0, "x1y"]
    column = pd.Series(cells * 3, index=range(40, 58), dtype="object")
    each = [foreign_characters(pd.Series([c], dtype="object")).iloc[0] for c in cells]
    found = foreign_characters(column)
    assert list(found.index) == list(range(40, 58))
    assert list(found) == each * 3 == ["B", "", "", "BE", "", "xy"] * 3
    assert list(foreign_characters(column, country=True))[3::6] == [""] * 3


def test_each_identifier_check_of_repeated_cells_gives_every_row_its_own_answer():
    """The column checks work on each distinct text once (`per_distinct`); every row keeps
    the answer its cell alone gets, under its own index label, blanks included. A column of
    other values than texts is checked whole: 1, 1.0 and True are one value to pandas."""
    from batch.identifiers import (
        digits_column,
        enterprise_valid_column,
        insz_date_plausible,
        nsso_valid_column,
        per_distinct,
    )
    from batch.schemas import ShiftTable, ShiftWarnings

    cells = ["85073003328", "93051822361", "85073003329", None, "0566988259", "", "12"]
    cells += [float("nan"), "000000096", "5123456789", "60202521576", "85.07.30-033.28"]
    column = pd.Series(cells * 4, index=range(100, 100 + 4 * len(cells)), dtype="object")
    checks = {
        "digits": digits_column,
        "insz": insz_valid_column,
        "enterprise": enterprise_valid_column,
        "nsso": nsso_valid_column,
        "insz_length": ShiftTable.insz_length,
        "insz_date": ShiftTable.insz_date,
        "insz_check": ShiftTable.insz_check,
        "enterprise_length": ShiftTable.enterprise_length,
        "enterprise_check": ShiftTable.enterprise_check,
        "nsso_check": ShiftWarnings.nsso_check,
    }
    for name, check in checks.items():
        found = check(column)
        alone = [check(pd.Series([c], dtype="object")).iloc[0] for c in cells]
        assert list(found.index) == list(column.index), name
        assert [None if v != v else v for v in found] == [
            None if v != v else v for v in alone * 4
        ], name
    shaped = pd.Series(["85073003328", "93051822361", "85073003328", "60202521576"] * 2)
    assert list(insz_date_plausible(shaped)) == [True] * 8

    seen = []

    def kinds(values: pd.Series) -> pd.Series:
        seen.append(len(values))
        return values.map(lambda v: type(v).__name__)

    assert list(per_distinct(pd.Series(["a", "b", "a", None, "b", "a"]), kinds)) == [
        "str",
        "str",
        "str",
        "float",
        "str",
        "str",
    ]
    assert seen == [3]  # a, b and the blank
    mixed = pd.Series([1, 1.0, True, 1, "1"], dtype="object")
    assert list(per_distinct(mixed, kinds)) == ["int", "float", "bool", "int", "str"]


def test_one_insz_on_work_days_of_two_years_is_judged_per_row():
    """60202521576 fits only a birth in 2060: an error on a work day in 2026, a worker on
    one in 2061; the number is read once, the year is each row's own."""
    number = "60202521576"
    numbers = pd.Series([number, "85073003328", number, number], index=[7, 8, 9, 10])
    years = pd.Series([2026.0, 2026.0, 2061.0, float("nan")], index=[7, 8, 9, 10])
    found = insz_valid_column(numbers, years)
    assert list(found.index) == [7, 8, 9, 10]
    assert list(found) == [False, True, True, True]
    assert insz_is_valid(number, 2061) and not insz_is_valid(number, 2026)


def test_a_2000_birth_reading_counts_only_up_to_the_work_days_year(tmp_path):
    from tests.conftest import shift

    # 60202521576 has the check digits of a birth on 02/02/2060 (the 2000 reading)
    assert insz_is_valid("60202521576")  # no work day: either century (the sandbox)
    assert not insz_is_valid("60202521576", year=2026)
    assert insz_is_valid("60202521576", year=2060)
    born_2005 = make_insz("050612", 123, after_2000=True)
    born_2026 = make_insz("260101", 7, after_2000=True)
    rows = [
        shift("2026-06-29", "10:00", "14:00", insz="60202521576"),  # row 4
        shift("2026-06-29", "10:00", "14:00", insz=born_2005, last="Jong"),
        shift("2026-06-29", "10:00", "14:00", insz=born_2026, last="Baby"),
    ]
    result = _validated(tmp_path, rows)
    assert _problems(result) == [
        (
            "D4",
            "insz_future_birth",
            "60202521576",
            "INSZ check digits fit only a birth in 2060, after the work day; mistyped?",
        )
    ]
    assert sorted(result.shifts["insz"]) == sorted([born_2005, born_2026])


def test_unknown_day_and_month_codes_are_accepted_and_a_day_above_31_is_not(tmp_path):
    from tests.conftest import shift

    accepted = [
        make_insz("850700", 33),  # day unknown
        make_insz("850000", 33),  # month and day unknown
        make_insz("852000", 33),  # bis, gender unknown, month unknown
        make_insz("854731", 33),  # bis, gender known, July
    ]
    assert all(insz_is_valid(n) for n in accepted)
    for written in ("850732", "851318", "853318", "855318"):
        number = make_insz(written, 33)
        assert not insz_is_valid(number)
        assert insz_problem(number) == f"INSZ birth date part {written} is not a date"
    rows = [
        shift("2026-06-29", "10:00", "14:00", insz=make_insz("850732", 33)),  # row 4
        *(shift(f"2026-07-0{i + 1}", "10:00", "14:00", insz=n) for i, n in enumerate(accepted)),
    ]
    result = _validated(tmp_path, rows)
    assert _problems(result) == [
        (
            "D4",
            "insz_date",
            make_insz("850732", 33),
            "the INSZ's birth date does not exist (day above 31, or month outside "
            "00-12, 20-32, 40-52)",
        )
    ]
    assert len(result.shifts) == 4


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("31/06/2026", "no_such_date", "31/06/2026 does not exist"),
        ("29/02/2027", "no_such_date", "29/02/2027 does not exist"),
        ("32/01/2026", "no_such_date", "32/01/2026 does not exist"),
        ("31/06", "no_such_date", "31/06/2026 does not exist"),  # the sheet's year
        ("01/01/1600", "date_out_of_range", "date 01/01/1600 is outside the years 1900 to 2099"),
        ("morgen", "bad_date", "date cannot be read; expected dd/mm/yyyy or a date cell"),
    ],
)
def test_a_work_day_that_does_not_exist_says_so(tmp_path, typed, code, message):
    import datetime as dt

    from tests.conftest import shift

    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        [*shift("2026-06-30", "10:00", "14:00")[:6], typed, dt.time(10), dt.time(14)],  # row 5
    ]
    result = _validated(tmp_path, rows)
    assert _problems(result) == [("G5", code, typed, message)]


def test_a_birth_date_that_does_not_exist_says_so(tmp_path):
    from tests.conftest import HEADER, shift

    header = [*HEADER, "Geboortedatum", "Geboorteplaats", "Geslacht", "Straat", "Huisnummer",
              "Bus", "Postcode", "Gemeente"]  # fmt: skip
    who = ["31/04/1990", "Gent", "V", "Kerkstraat", 12, None, 9000, "Gent"]
    rows = [[*shift("2026-06-29", "10:00", "14:00", insz=None, last="Dupré", first="E"), *who]]
    result = _validated(tmp_path, rows, header)
    assert _problems(result) == [("J4", "no_such_date", "31/04/1990", "31/04/1990 does not exist")]
    assert result.shifts.empty


def test_a_letter_in_an_employer_lists_enterprise_number_is_an_error(tmp_path):
    from batch.read import read_rosters
    from tests.workbooks import write_book

    employers = [
        ["N° BCE", "N° ONSS", "Raison sociale"],
        ["0566.988.25O", "", "Lettre O"],  # the letter O for a zero
        ["BE 0403.170.701", "", "Avec BE"],
    ]
    reading = read_rosters([write_book(tmp_path / "e.xlsx", {"Employeurs": employers})])
    assert [(p.cell, p.code, p.value) for p in reading.problems] == [
        ("A2", "enterprise_characters", "0566.988.25O")
    ]
    assert list(reading.employers) == ["0403170701"]


@pytest.mark.parametrize(
    ("typed", "year", "expected"),
    [
        ("31/04/93", None, ("no_such_date", "31/04/93")),  # a birth date: no century guessed
        ("2026-02-30", None, ("no_such_date", "30/02/2026")),
        ("31 juin 2026", None, ("no_such_date", "31/06/2026")),
        ("31/06", 2027, ("no_such_date", "31/06/2027")),
        ("31/06", None, None),  # no year to say it with: "cannot be read"
        ("29/06/2026", None, None),
        ("morgen", None, None),
    ],
)
def test_date_trouble_names_the_date_as_written(typed, year, expected):
    from batch.timeparse import date_trouble

    assert date_trouble(typed, year) == expected


@given(
    st.lists(st.text(alphabet="0123456789", min_size=11, max_size=11), max_size=20),
    st.integers(min_value=2000, max_value=2099),
)
def test_scalar_and_column_checks_agree_on_the_work_days_year(numbers, year):
    years = pd.Series([year] * len(numbers), dtype="float64")
    column = insz_valid_column(pd.Series(numbers, dtype="object"), years)
    assert list(column) == [insz_is_valid(n, year) for n in numbers]
