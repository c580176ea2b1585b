"""The summary of a run's receipts: per employer and per worker, what the run left declared.

One computation for receipts.xlsx's second sheet and the top of receipts.html, so the two
always agree. A shift counts once, as the run's last declaration of its period leaves it:
an IN or UPDATE accepted (with or without a warning) or pending is a declared shift with its
hours; a cancelled or refused one is not. Warnings and refusals count declarations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Declaration, Kind, Result
from .values import elapsed_hours


@dataclass(slots=True)
class Tally:
    """Shifts, declared hours (elapsed, so the autumn night counts 9 hours), warnings, refused."""

    shifts: int = 0
    hours: float = 0.0
    warnings: int = 0
    refused: int = 0


@dataclass(slots=True)
class WorkerSummary:
    insz: str
    last_name: str
    first_name: str
    tally: Tally = field(default_factory=Tally)


@dataclass(slots=True)
class EmployerSummary:
    enterprise_number: str
    nsso_number: str
    name: str
    tally: Tally = field(default_factory=Tally)
    workers: list[WorkerSummary] = field(default_factory=list)


Summary = tuple[list[EmployerSummary], Tally]
"""Per employer (and its workers) what the run left declared, and the run's total."""


def summarize(declarations: Iterable[Declaration]) -> Summary:
    """Per employer (in order of appearance), its workers (in order of appearance), totals."""
    employers: dict[str, EmployerSummary] = {}
    workers: dict[tuple[str, str], WorkerSummary] = {}
    # per employer, the run's last declaration of each period (a period-less one stands
    # alone, by its position): references only, one entry per period
    last: dict[str, dict[str | int, Declaration]] = {}
    warning, refused = Result.WARNING, Result.REFUSED
    for number, d in enumerate(declarations):
        who = d.employer
        employer_key = who.enterprise_number or who.nsso_number
        employer = employers.get(employer_key)
        if employer is None:
            employer = employers[employer_key] = EmployerSummary(
                who.enterprise_number, who.nsso_number, who.name
            )
        person = d.worker
        # the INSZ is the worker's key whenever there is one (Worker.key)
        worker_key = (employer_key, person.insz or person.key)
        worker = workers.get(worker_key)
        if worker is None:
            worker = workers[worker_key] = WorkerSummary(
                person.insz, person.last_name, person.first_name
            )
            employer.workers.append(worker)
        result = d.result
        if result is warning:
            worker.tally.warnings += 1
            employer.tally.warnings += 1
        elif result is refused:
            worker.tally.refused += 1
            employer.tally.refused += 1
        periods = last.get(employer_key)
        if periods is None:
            periods = last[employer_key] = {}
        periods[d.period_id or number] = d

    total = Tally()
    cancel = Kind.CANCEL
    for employer_key, periods in last.items():
        employer_tally = employers[employer_key].tally
        for d in periods.values():
            if d.kind is cancel or d.result is refused:
                continue
            hours = elapsed_hours(d.start, d.end) or 0.0
            person = d.worker
            worker_tally = workers[(employer_key, person.insz or person.key)].tally
            worker_tally.shifts += 1
            worker_tally.hours += hours
            employer_tally.shifts += 1
            employer_tally.hours += hours
    for employer in employers.values():
        total.shifts += employer.tally.shifts
        total.hours += employer.tally.hours
        total.warnings += employer.tally.warnings
        total.refused += employer.tally.refused
    return list(employers.values()), total
