"""Flexi money: the dated parameter table and the pay of a shift, to the cent."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.money import (
    CONTRIBUTION,
    HOLIDAY_PAY,
    MINIMUM_WAGE,
    PARAMETERS,
    TAX_FREE_CAP,
    cent,
    euro,
    minimum_wage,
    parameter,
    parse_amount,
    pay,
    tax_free_cap,
    value,
)

D = Decimal
SUMMER = dt.date(2026, 6, 29)


def amounts(p):
    return (p.gross, p.holiday_pay, p.contribution)


def test_four_hours_at_twelve_euro():
    """48.00 gross; 7.67 % of it is 3.6816 → 3.68; 28 % of 51.68 is 14.4704 → 14.47."""
    assert amounts(pay(240, D("12.00"), SUMMER)) == (D("48.00"), D("3.68"), D("14.47"))
    assert pay(240, D("12.00"), SUMMER).earnings == D("51.68")


def test_half_a_cent_is_rounded_up_per_line():
    """30 min at 12.01 is 6.005: 6.01 (half up), where banker's rounding would give 6.00.

    The holiday pay is 7.67 % of the rounded gross (0.460967 → 0.46), the contribution 28 %
    of the rounded gross plus the rounded holiday pay (6.47 × 0.28 = 1.8116 → 1.81).
    """
    assert amounts(pay(30, D("12.01"), SUMMER)) == (D("6.01"), D("0.46"), D("1.81"))
    assert cent(D("0.125")) == D("0.13") and cent(D("0.135")) == D("0.14")


def test_a_part_of_an_hour_is_paid_by_the_minute():
    """4 h 20 at the minimum 11.64: 260 × 11.64 / 60 = 50.44; 3.868748 → 3.87; 15.2068 → 15.21."""
    assert amounts(pay(260, D("11.64"), SUMMER)) == (D("50.44"), D("3.87"), D("15.21"))


def test_the_contribution_was_25_percent_before_2024():
    assert amounts(pay(240, D("12.00"), dt.date(2023, 12, 31))) == (
        D("48.00"),
        D("3.68"),
        D("12.92"),  # 51.68 × 0.25 = 12.92
    )
    assert value(CONTRIBUTION, dt.date(2024, 1, 1)) == D("0.28")


@pytest.mark.parametrize(
    ("day", "minimum"),
    [
        (dt.date(2023, 10, 31), None),
        (dt.date(2023, 11, 1), D("11.19")),
        (dt.date(2024, 4, 30), D("11.19")),
        (dt.date(2024, 5, 1), D("11.41")),
        (dt.date(2025, 1, 31), D("11.41")),
        (dt.date(2025, 2, 1), D("11.64")),
        (dt.date(2026, 6, 29), D("11.64")),
    ],
)
def test_the_minimum_flexi_wage_of_a_day(day, minimum):
    assert minimum_wage(day) == minimum


def test_the_minimum_with_holiday_pay_is_the_published_12_53():
    assert cent(D("11.64") * (1 + value(HOLIDAY_PAY, SUMMER))) == D("12.53")


def test_the_tax_free_cap_per_year_of_income():
    assert tax_free_cap(2023) is None
    assert tax_free_cap(2024) == D("12000")
    assert tax_free_cap(2025) == D("18000") and tax_free_cap(2026) == D("18000")
    raised = parameter(TAX_FREE_CAP, dt.date(2025, 1, 1))
    assert raised.reported and "18 December 2025" in raised.source
    assert not parameter(TAX_FREE_CAP, dt.date(2024, 6, 1)).reported


def test_every_parameter_is_dated_and_sourced():
    names = {MINIMUM_WAGE, HOLIDAY_PAY, CONTRIBUTION, TAX_FREE_CAP}
    assert {p.name for p in PARAMETERS} == names
    assert all(p.source and p.value > 0 for p in PARAMETERS)
    keys = [(p.name, p.valid_from) for p in PARAMETERS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("12,50", D("12.50")),
        ("12.50", D("12.50")),
        ("€ 12.5", D("12.5")),
        ("12,50 €", D("12.50")),
        ("12,50€", D("12.50")),
        ("EUR 13", D("13")),
        (" 11.64 ", D("11.64")),
        (12, D("12")),
        (12.5, D("12.5")),
        ("twaalf", None),
        ("1.234,50", None),
        ("-3", None),
        ("12,50 per uur", None),
        ("", None),
        (True, None),
        (dt.date(2026, 6, 29), None),
        (float("nan"), None),
    ],
)
def test_amounts_as_written(written, amount):
    assert parse_amount(written) == amount


def test_euro_per_language():
    assert euro(D("11.6")) == "11.60"
    assert euro(D("11.64"), "nl") == "€ 11,64"
    assert euro(D("11.64"), "fr") == "11,64 €"
    assert euro(D("11.64"), "en") == "€11.64"
