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


def summarize(declarations: Iterable[Declaration]) -> tuple[list[EmployerSummary], Tally]:
    """Per employer (in order of appearance), its workers (in order of appearance), totals."""
    employers: dict[str, EmployerSummary] = {}
    workers: dict[tuple[str, str], WorkerSummary] = {}
    last: dict[tuple[str, str], Declaration] = {}
    for number, d in enumerate(declarations):
        employer_key = d.employer.enterprise_number or d.employer.nsso_number
        employer = employers.get(employer_key)
        if employer is None:
            employer = employers[employer_key] = EmployerSummary(
                d.employer.enterprise_number, d.employer.nsso_number, d.employer.name
            )
        worker_key = (employer_key, d.worker.key)
        worker = workers.get(worker_key)
        if worker is None:
            worker = workers[worker_key] = WorkerSummary(
                d.worker.insz, d.worker.last_name, d.worker.first_name
            )
            employer.workers.append(worker)
        for tally in (worker.tally, employer.tally):
            tally.warnings += d.result is Result.WARNING
            tally.refused += d.result is Result.REFUSED
        last[(employer_key, d.period_id or f"#{number}")] = d

    total = Tally()
    for (employer_key, _), d in last.items():
        if d.kind is Kind.CANCEL or d.result is Result.REFUSED:
            continue
        hours = elapsed_hours(d.start, d.end) or 0.0
        for tally in (workers[(employer_key, d.worker.key)].tally, employers[employer_key].tally):
            tally.shifts += 1
            tally.hours += hours
    for employer in employers.values():
        total.shifts += employer.tally.shifts
        total.hours += employer.tally.hours
        total.warnings += employer.tally.warnings
        total.refused += employer.tally.refused
    return list(employers.values()), total
