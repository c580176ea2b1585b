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
