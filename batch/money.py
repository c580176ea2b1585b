"""Flexi-job money: the dated parameters (minimum wage, rates, tax-free cap) and pay per shift.

The parameters are a table of data, each row valid from a date and naming its source; the
arithmetic is Decimal, rounded to the cent per line the way payroll rounds (ROUND_HALF_UP):
the gross wage, then the holiday pay of that rounded gross, then the employer contribution
of their rounded sum. Totals add rounded lines, so they match the lines a clerk sees.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")

MINIMUM_WAGE = "minimum_flexi_wage"
"""Euro per hour, the base flexi wage of the horeca (joint committee 302), holiday pay excluded."""
HOLIDAY_PAY = "flexi_holiday_pay"
"""A share of the gross wage, paid with it."""
CONTRIBUTION = "employer_contribution"
"""The employer's special contribution, a share of gross wage plus holiday pay."""
TAX_FREE_CAP = "tax_free_cap"
"""Euro per calendar year of income, for a worker who is not a pensioner."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One value of a parameter, valid from a day until the next row of the same name."""

    name: str
    valid_from: dt.date
    value: Decimal
    source: str
    reported: bool = False
    """Taken from secondary reports, not yet from the official text: check before relying."""


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        MINIMUM_WAGE,
        dt.date(2023, 11, 1),
        Decimal("11.19"),
        "NSSO administrative instructions (index adjustment of 1 November 2023)",
    ),
    Parameter(
        MINIMUM_WAGE,
        dt.date(2024, 5, 1),
        Decimal("11.41"),
        "NSSO administrative instructions 2024/1 (index adjustment of 1 May 2024)",
    ),
    Parameter(
        MINIMUM_WAGE,
        dt.date(2025, 2, 1),
        Decimal("11.64"),
        "Horeca sector reports of the index adjustment of 1 February 2025 (12.53 with holiday pay)",
    ),
    Parameter(
        HOLIDAY_PAY,
        dt.date(2015, 12, 1),
        Decimal("0.0767"),
        "Law of 16 November 2015 on flexi-jobs, art. 5",
    ),
    Parameter(
        CONTRIBUTION,
        dt.date(2015, 12, 1),
        Decimal("0.25"),
        "Law of 16 November 2015 on flexi-jobs (special contribution of 25 %)",
    ),
    Parameter(
        CONTRIBUTION,
        dt.date(2024, 1, 1),
        Decimal("0.28"),
        "Programme law of 22 December 2023, art. 181 and 194 (work from 1 January 2024)",
    ),
    Parameter(
        TAX_FREE_CAP,
        dt.date(2024, 1, 1),
        Decimal("12000"),
        "Income tax code art. 38 §1 29°, from income 2024 (tax circular 2024/C/41)",
    ),
    Parameter(
        TAX_FREE_CAP,
        dt.date(2025, 1, 1),
        Decimal("18000"),
        "Law of 18 December 2025 on various provisions, art. 19-21, from income 2025, indexed"
        " yearly (tax circular 2026/C/4); the amount as reported, indexed amounts not yet known",
        reported=True,
    ),
)


def parameter(
    name: str, day: dt.date, table: tuple[Parameter, ...] = PARAMETERS
) -> Parameter | None:
    """The row of `name` valid on `day`; None before its first row (no such rule then)."""
    rows = sorted((p for p in table if p.name == name), key=lambda p: p.valid_from)
    valid = [p for p in rows if p.valid_from <= day]
    return valid[-1] if valid else None


def value(name: str, day: dt.date, table: tuple[Parameter, ...] = PARAMETERS) -> Decimal | None:
    found = parameter(name, day, table)
    return found.value if found else None


def minimum_wage(day: dt.date) -> Decimal | None:
    """The minimum base flexi wage per hour on a work day (None before the table starts)."""
    return value(MINIMUM_WAGE, day)


def tax_free_cap(year: int) -> Decimal | None:
    """The tax-free cap of a year of income (None: no cap that year)."""
    return value(TAX_FREE_CAP, dt.date(year, 1, 1))


def cent(amount: Decimal) -> Decimal:
    """Rounded to the cent as payroll rounds: half a cent up (ROUND_HALF_UP)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def hours(minutes: int) -> Decimal:
    """Elapsed minutes as hours, exact to the minute (4 h 20 = 4.3333...), for display rounding."""
    return Decimal(minutes) / Decimal(60)


@dataclass(frozen=True, slots=True)
class Pay:
    """What one shift costs at an hourly wage: each amount rounded to the cent."""

    wage: Decimal
    minutes: int
    gross: Decimal
    holiday_pay: Decimal
    contribution: Decimal
    minimum: Decimal | None

    @property
    def earnings(self) -> Decimal:
        """What the worker receives and what the tax-free cap counts: gross plus holiday pay."""
        return self.gross + self.holiday_pay

    @property
    def under_minimum(self) -> bool:
        return self.minimum is not None and self.wage < self.minimum


def pay(minutes: int, wage: Decimal, day: dt.date) -> Pay:
    """Gross = hours × wage; holiday pay = rate × gross; contribution = rate × (gross + holiday)."""
    gross = cent(Decimal(minutes) * wage / Decimal(60))
    holiday = cent(gross * (value(HOLIDAY_PAY, day) or Decimal(0)))
    contribution = cent((gross + holiday) * (value(CONTRIBUTION, day) or Decimal(0)))
    return Pay(wage, minutes, gross, holiday, contribution, minimum_wage(day))


_AMOUNT = re.compile(r"^(?:€|eur|euro)?\s*(?P<number>\d+(?:[.,]\d+)?)\s*(?:€|eur|euro)?$")


def parse_amount(written: object) -> Decimal | None:
    """`12,50`, `12.50`, `€ 12.5`, `12,50 €` or a number cell as euro; None if it is none.

    A thousands separator (`1.234,50`) is not an hourly wage and is not read.
    """
    if isinstance(written, bool):
        return None
    if isinstance(written, int | float):
        try:
            amount = Decimal(str(written))
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    if not isinstance(written, str):
        return None
    found = _AMOUNT.match(written.strip().casefold().replace("\u00a0", " "))
    if not found:
        return None
    return Decimal(found.group("number").replace(",", "."))


def euro(amount: Decimal, lang: str = "") -> str:
    """An amount to the cent: `11.64` (a message's parameter), `€ 11,64` (nl), `11,64 €` (fr),
    `€11.64` (en)."""
    text = str(cent(amount))
    if lang == "nl":
        return f"€ {text.replace('.', ',')}"
    if lang == "fr":
        return f"{text.replace('.', ',')} €"
    return f"€{text}" if lang == "en" else text
