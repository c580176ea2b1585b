"""The payroll export: per period the hours a social secretariat pays, and what they cost.

`export(ledger, day_from, day_to)` reads the ledger and returns plain records: one line per
live period (cancelled ones are not work), with its declared and actual hours (elapsed time,
so a night across a clock change counts what really passed) and, where its roster gave an
hourly wage, the gross wage, flexi holiday pay and employer contribution (`batch.money`).
A second part sums each worker's hours and flexi earnings per quarter and per calendar year
over every employer in the ledger, and raises a cap alert where a year passes the tax-free
cap for non-pensioners.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import timeparse
from .ledger import Ledger
from .ledger.wages import PaidPeriod, ShiftWage, paid_periods
from .model import BRUSSELS, Period, Worker, utc
from .money import Pay, minimum_wage, pay, tax_free_cap


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes that really pass from start to end (in UTC: a clock change counts)."""
    return int((utc(end) - utc(start)).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class PayLine:
    """One period of the export: its hours, and its pay where the roster gave a wage."""

    period: Period
    declared_minutes: int
    actual_minutes: int | None
    wage: Decimal | None = None
    wage_source: str = ""
    pay: Pay | None = None

    @property
    def work_day(self) -> dt.date:
        return self.period.declared_start.astimezone(BRUSSELS).date()

    @property
    def reconciled(self) -> bool:
        """Actual hours are known: they are what is paid."""
        return self.actual_minutes is not None

    @property
    def paid_minutes(self) -> int:
        return self.declared_minutes if self.actual_minutes is None else self.actual_minutes

    @property
    def minimum(self) -> Decimal | None:
        return minimum_wage(self.work_day)

    @property
    def under_minimum(self) -> bool:
        """The wage is under the minimum flexi wage of the work day: a warning."""
        return self.pay is not None and self.pay.under_minimum


@dataclass(frozen=True, slots=True)
class Earnings:
    """A worker's flexi hours and earnings in one quarter (`quarter` 1-4) or one year (None).

    Every live period of that span counts, at every employer of the ledger. Earnings are
    gross wage plus holiday pay, what the tax-free cap counts; periods without a wage add
    hours but no money (`without_wage` says how many); None when no period had a wage.
    """

    worker: Worker
    year: int
    quarter: int | None
    shifts: int
    minutes: int
    gross: Decimal | None
    holiday_pay: Decimal | None
    employers: int
    without_wage: int
    cap: Decimal | None

    @property
    def span(self) -> str:
        """`2026-Q3` for a quarter, `2026` for a year."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def earnings(self) -> Decimal | None:
        if self.gross is None or self.holiday_pay is None:
            return None
        return self.gross + self.holiday_pay

    @property
    def cap_alert(self) -> bool:
        """A year whose earnings pass the tax-free cap (which a pensioner does not have)."""
        earnings = self.earnings
        return (
            self.quarter is None
            and self.cap is not None
            and earnings is not None
            and earnings > self.cap
        )


@dataclass
class PayrollExport:
    """What `export` found: the lines of the range and the worker summaries."""

    day_from: dt.date
    day_to: dt.date
    enterprise_number: str | None = None
    lines: list[PayLine] = field(default_factory=list)
    summary: list[Earnings] = field(default_factory=list)

    @property
    def wage_warnings(self) -> list[PayLine]:
        return [line for line in self.lines if line.under_minimum]

    @property
    def cap_alerts(self) -> list[Earnings]:
        return [e for e in self.summary if e.cap_alert]

    @property
    def exit_status(self) -> int:
        """1 when a wage is under the minimum or a year passes the cap, else 0."""
        return 1 if self.wage_warnings or self.cap_alerts else 0


def pay_line(paid: PaidPeriod) -> PayLine:
    """A period's hours and pay: actual hours where reconciled, else the declared ones."""
    period = paid.period
    declared = minutes_between(period.declared_start, period.declared_end)
    actual = None
    if period.actual_start is not None and period.actual_end is not None:
        actual = minutes_between(period.actual_start, period.actual_end)
    line = PayLine(period, declared, actual, paid.wage, paid.wage_source)
    if paid.wage is None:
        return line
    work_day = period.declared_start.astimezone(BRUSSELS).date()
    return PayLine(
        period,
        declared,
        actual,
        paid.wage,
        paid.wage_source,
        pay(line.paid_minutes, paid.wage, work_day),
    )


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


def summarise(lines: list[PayLine], workers: dict[str, Worker], spans) -> list[Earnings]:
    """Each worker's earnings per quarter and per year of `spans` ((year, quarter|None))."""
    found: dict[tuple[str, int, int | None], list[PayLine]] = defaultdict(list)
    for line in lines:
        key = line.period.worker.key
        if key not in workers:
            continue
        day = line.work_day
        for span in ((day.year, quarter_of(day)), (day.year, None)):
            if span in spans:
                found[(key, *span)].append(line)
    summary = []
    for key, worker in workers.items():
        for year, quarter in sorted(spans, key=lambda s: (s[0], s[1] or 5)):
            group = found.get((key, year, quarter), [])
            if not group:
                continue
            paid = [line.pay for line in group if line.pay is not None]
            summary.append(
                Earnings(
                    worker=worker,
                    year=year,
                    quarter=quarter,
                    shifts=len(group),
                    minutes=sum(line.paid_minutes for line in group),
                    gross=sum((p.gross for p in paid), Decimal("0.00")) if paid else None,
                    holiday_pay=(
                        sum((p.holiday_pay for p in paid), Decimal("0.00")) if paid else None
                    ),
                    employers=len({line.period.employer.enterprise_number for line in group}),
                    without_wage=len(group) - len(paid),
                    cap=tax_free_cap(year),
                )
            )
    return summary


def _ordered(lines: list[PayLine]) -> list[PayLine]:
    return sorted(
        lines,
        key=lambda line: (
            line.work_day,
            utc(line.period.declared_start),
            line.period.employer.enterprise_number,
            line.period.worker.last_name.casefold(),
            line.period.worker.first_name.casefold(),
            line.period.worker.key,
            line.period.period_id,
        ),
    )


def export(
    ledger: Path | str,
    day_from: dt.date,
    day_to: dt.date,
    enterprise_number: str | None = None,
) -> PayrollExport:
    """The payroll lines of [day_from, day_to] (one employer, or all) and their summaries.

    The summaries cover the quarters and calendar years the range touches, whole, for the
    workers the lines name, at every employer of the ledger.
    """
    if not Path(ledger).exists():
        raise ValueError(f"ledger {ledger} not found")
    if day_to < day_from:
        raise ValueError(f"--to {day_to:%d/%m/%Y} lies before --from {day_from:%d/%m/%Y}")
    with Ledger(ledger) as book:
        lines = _ordered(
            [pay_line(p) for p in paid_periods(book, day_from, day_to, enterprise_number)]
        )
        years = range(day_from.year, day_to.year + 1)
        spans = {(y, None) for y in years}
        for year in years:
            for quarter in range(1, 5):
                first, last = _quarter_bounds(year, quarter)
                if first <= day_to and last >= day_from:
                    spans.add((year, quarter))
        workers: dict[str, Worker] = {}
        for line in sorted(
            lines,
            key=lambda line: (
                line.period.worker.last_name.casefold(),
                line.period.worker.first_name.casefold(),
                line.period.worker.key,
            ),
        ):
            workers.setdefault(line.period.worker.key, line.period.worker)
        whole = [
            pay_line(p)
            for p in paid_periods(book, dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
        ]
    return PayrollExport(
        day_from, day_to, enterprise_number, lines, summarise(whole, workers, spans)
    )


def shift_wages(shifts: pd.DataFrame) -> list[ShiftWage]:
    """The wages of validated roster rows (`batch.validate`), with the cell of each."""
    if "hourly_wage" not in shifts or shifts.empty:
        return []
    given = shifts[shifts["hourly_wage"].notna()]
    if given.empty:
        return []
    starts = timeparse.to_python(given["start"])
    return [
        ShiftWage(
            row.enterprise_number,
            row.worker_key,
            start,
            row.hourly_wage,
            f"{row.file} [{row.sheet}] {row.wage_cell}"
            if row.sheet
            else f"{row.file} {row.wage_cell}",
        )
        for row, start in zip(given.itertuples(index=False), starts, strict=True)
    ]
