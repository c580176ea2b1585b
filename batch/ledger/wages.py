"""The hourly wages of shifts (schema step 5) and the look-ups of the payroll export.

A wage is kept by the shift its roster gave it for: enterprise number, worker key and the
shift's start. A period finds its wage by its declared start (the roster's latest times),
else by its planned start (the times it was first declared with). A later roster that gives
a shift a wage replaces the earlier one; a roster that gives none leaves it as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..model import Period
from . import Ledger, _period, _text


@dataclass(frozen=True, slots=True)
class ShiftWage:
    """The hourly wage a roster gives one shift, and the cell it was read from."""

    enterprise_number: str
    worker_key: str
    start: dt.datetime
    wage: Decimal
    source: str = ""


@dataclass(frozen=True, slots=True)
class PaidPeriod:
    """A live period with the hourly wage of its shift, if a roster gave one."""

    period: Period
    wage: Decimal | None
    wage_source: str = ""


def record_wages(book: Ledger, wages: Iterable[ShiftWage]) -> None:
    """Keep the wages of a roster's shifts, inside the batch that declares them."""
    if book.batch_id is None:
        raise RuntimeError("record_wages() must run inside Ledger.batch()")
    book.connection.executemany(
        "INSERT INTO wages (enterprise_number, worker_key, planned_start, wage, source,"
        " batch_id) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (enterprise_number, worker_key, planned_start) DO UPDATE SET"
        " wage = excluded.wage, source = excluded.source, batch_id = excluded.batch_id",
        [
            (
                w.enterprise_number,
                w.worker_key,
                _text(w.start),
                str(w.wage),
                w.source,
                book.batch_id,
            )
            for w in wages
        ],
    )


def wage_of(book: Ledger, enterprise_number: str, worker_key: str, start: dt.datetime):
    """The wage kept for one shift, or None."""
    row = book.connection.execute(
        "SELECT wage FROM wages WHERE enterprise_number = ? AND worker_key = ?"
        " AND planned_start = ?",
        (enterprise_number, worker_key, _text(start)),
    ).fetchone()
    return Decimal(row[0]) if row else None


def paid_periods(
    book: Ledger,
    day_from: dt.date,
    day_to: dt.date,
    enterprise_number: str | None = None,
) -> list[PaidPeriod]:
    """Live periods (not cancelled) whose work day lies in [day_from, day_to], with wages.

    In order of work day, declared start, enterprise number and worker.
    """
    sql = (
        "SELECT p.*, COALESCE(d.wage, f.wage) AS paid_wage,"
        " COALESCE(d.source, f.source) AS paid_wage_source"
        " FROM periods p"
        " LEFT JOIN wages d ON d.enterprise_number = p.enterprise_number"
        " AND d.worker_key = p.worker_key AND d.planned_start = p.declared_start"
        " LEFT JOIN wages f ON f.enterprise_number = p.enterprise_number"
        " AND f.worker_key = p.worker_key AND f.planned_start = p.planned_start"
        " WHERE p.status != 'cancelled' AND p.work_day >= ? AND p.work_day <= ?"
    )
    args: list[object] = [day_from.isoformat(), day_to.isoformat()]
    if enterprise_number is not None:
        sql += " AND p.enterprise_number = ?"
        args.append(enterprise_number)
    sql += (
        " ORDER BY p.work_day, p.declared_start, p.enterprise_number, p.last_name,"
        " p.first_name, p.worker_key, p.period_id"
    )
    return [
        PaidPeriod(
            _period(row),
            Decimal(row["paid_wage"]) if row["paid_wage"] is not None else None,
            row["paid_wage_source"] or "",
        )
        for row in book.connection.execute(sql, args)
    ]
