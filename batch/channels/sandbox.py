"""An in-process stand-in for the NSSO's Dimona service, for tests, demos and training.

It answers as the REST v2 service does (domain.md §5): a declaration number per
declaration, a new 12-digit period number per accepted IN, results A/W/B/S. It refuses what
the NSSO refuses and warns what it warns. An IN for a worker without INSZ is answered S
(SIGeDIS identifies the worker); the next batch through the sandbox finds the worker
identified and answers A (W if the IN carried a warning): `resolve_pending`. Its own
anomaly codes start with `SBX-` so nobody mistakes them for the NSSO's; everything it
answers is marked channel "sandbox".

`LocalService` is the sandbox as it files from now on: the NSSO simulator's core
(`batch.nsso.Nsso`) in-process, with its own state file beside the ledger
(`sandbox_state`), so it knows only what was filed with it. `Sandbox`, which reads the
ledger to know what the NSSO holds, is to be replaced by it once the pipeline files through
the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..identifiers import insz_is_valid
from ..ledger import Ledger
from ..model import Declaration, Kind, Operation, PeriodStatus, Result, utc
from ..nsso import Invalid, Nsso
from ..rules import RuleBook, Times, is_late
from .payloads import payload
from .service import Rejected

NAME = "sandbox"
FIRST_PERIOD = 660_740_832_053
FIRST_DECLARATION = 318_400_000_001

NOT_ELIGIBLE = "90017-510"  # the worker does not meet the flexi conditions (official)
ALREADY_CANCELLED = "00913-355"  # cancelling a cancelled period (official)
LATE_IN = "SBX-LATE-IN"
LATE_CHANGE = "SBX-LATE-CHANGE"
OVERLAP = "SBX-OVERLAP"
UNKNOWN_PERIOD = "SBX-UNKNOWN-PERIOD"
PERIOD_CANCELLED = "SBX-PERIOD-CANCELLED"
BAD_INSZ = "SBX-BAD-INSZ"
UNIDENTIFIED = "SBX-UNIDENTIFIED"
IDENTIFYING = "SBX-IDENTIFYING"
IDENTIFIED = "SBX-IDENTIFIED"


def sandbox_state(ledger_path: Path | str) -> Path:
    """The sandbox NSSO's own state file beside a ledger: `ledger.sqlite` → `ledger.nsso.sqlite`."""
    ledger = Path(ledger_path)
    return ledger.with_name(f"{ledger.stem}.nsso.sqlite")


class LocalService:
    """The `Service` of the sandbox: the simulator's core in-process, on the run's clock.

    Nothing is lost between submit and answer in-process, so `submit` never raises
    `FateUnknown`; a malformed payload is `Rejected` (400) as the server would answer it.
    """

    name = NAME
    parallel = 1

    def __init__(self, nsso: Nsso, clock: Callable[[], dt.datetime]):
        self.nsso = nsso
        self.clock = clock

    def submit(self, payload: dict) -> str:
        try:
            return self.nsso.submit(payload, self.clock(), client=NAME)
        except Invalid as error:
            raise Rejected(400, error.properties) from None

    def status(self, declaration_id: str) -> dict | None:
        return self.nsso.status(declaration_id, self.clock())

    def period(self, period_id: str) -> dict | None:
        return self.nsso.period(period_id)

    def search(
        self, enterprise_number: str, ssin: str | None, start: dt.date, end: dt.date
    ) -> list[dict]:
        items, page, more = [], 1, True
        while more:
            found, more = self.nsso.search(enterprise_number, ssin, start, end, page)
            items += found
            page += 1
        return items


@dataclass
class _Live:
    """The sandbox's memory of one period."""

    period_id: str
    key: tuple[str, str]
    """Enterprise number and `Worker.key`."""
    start: dt.datetime
    end: dt.datetime
    status: PeriodStatus


class Sandbox:
    """The NSSO as seen through the ledger: it knows every period the ledger holds.

    To be replaced by `LocalService` when the pipeline files through the outbox.
    """

    name = NAME

    def __init__(
        self, ledger: Ledger, rules: RuleBook | None = None, not_eligible: Iterable[str] = ()
    ):
        self.ledger = ledger
        self.rules = rules or RuleBook()
        self.not_eligible = frozenset(not_eligible)
        largest_period, largest_declaration = ledger.largest_ids(NAME)
        self._next_period = max(largest_period + 1, FIRST_PERIOD)
        self._next_declaration = max(largest_declaration + 1, FIRST_DECLARATION)
        self._periods: dict[str, _Live] = {}
        self._by_worker: dict[tuple[str, str], list[_Live]] = {}

    def file(self, operations: Sequence[Operation], as_of: dt.datetime) -> list[Declaration]:
        return [self._answer(op, as_of) for op in operations]

    def resolve_pending(self, as_of: dt.datetime) -> list[Declaration]:
        """Later answers to the INs pending identification filed before `as_of`.

        By the next batch SIGeDIS has identified every worker: each answer is a copy of the
        IN with result A (W when the IN already carried a warning, such as a late filing)
        and `answered_at`. No INSZ is invented: the period keeps the identification.
        """
        answers = []
        for filed in self.ledger.pending_ins(NAME):
            if utc(filed.sent_at) >= utc(as_of):
                continue
            kept = tuple(a for a in filed.anomalies if not a.startswith(IDENTIFYING))
            identified = f"{IDENTIFIED}: worker identified by SIGeDIS"
            answers.append(
                replace(
                    filed,
                    result=Result.WARNING if kept else Result.ACCEPTED,
                    anomalies=(identified, *kept),
                    answered_at=as_of,
                )
            )
            live = self._periods.get(filed.period_id or "")
            if live is not None and live.status is PeriodStatus.PENDING:
                live.status = PeriodStatus.ACTIVE
        return answers

    # --- the service's memory -----------------------------------------------------------

    def _worker_periods(self, key: tuple[str, str]) -> list[_Live]:
        if key not in self._by_worker:
            lives = []
            for p in self.ledger.periods_of(*key):
                live = _Live(p.period_id, key, p.declared_start, p.declared_end, p.status)
                self._periods[p.period_id] = live
                lives.append(live)
            self._by_worker[key] = lives
        return self._by_worker[key]

    def _find(self, period_id: str) -> _Live | None:
        if period_id not in self._periods:
            period = self.ledger.period(period_id)
            if period is None:
                return None
            self._worker_periods(period.key)
        return self._periods.get(period_id)

    def _overlapping(
        self, key: tuple[str, str], start: dt.datetime, end: dt.datetime, skip: str = ""
    ) -> _Live | None:
        return next(
            (
                live
                for live in self._worker_periods(key)
                if live.status is not PeriodStatus.CANCELLED
                and live.period_id != skip
                and utc(live.start) < utc(end)
                and utc(start) < utc(live.end)
            ),
            None,
        )

    # --- answers ------------------------------------------------------------------------

    def _answer(self, op: Operation, as_of: dt.datetime) -> Declaration:
        if op.kind is Kind.IN:
            result, anomalies, period_id = self._in(op, as_of)
        elif op.kind is Kind.UPDATE:
            result, anomalies, period_id = self._update(op, as_of)
        else:
            result, anomalies, period_id = self._cancel(op, as_of)
        declaration_id = str(self._next_declaration)
        self._next_declaration += 1
        pay_for = period_id if op.kind is Kind.IN else op.period.period_id  # type: ignore
        return Declaration(
            declaration_id=declaration_id,
            kind=op.kind,
            result=result,
            period_id=period_id,
            sent_at=as_of,
            start=op.start,
            end=op.end,
            employer=op.employer,
            worker=op.worker,
            references=op.shift.references if op.shift else op.period.references,  # type: ignore
            payload=payload(op, pay_for),
            channel=NAME,
            anomalies=tuple(anomalies),
            late=op.late,
            source=str(op.shift.source) if op.shift and op.shift.source else "",
        )

    def _in(self, op: Operation, as_of: dt.datetime) -> tuple[Result, list[str], str | None]:
        worker = op.worker
        key = (op.employer.enterprise_number, worker.key)
        if not worker.insz and not worker.declarable:
            return Result.REFUSED, [f"{UNIDENTIFIED}: no INSZ and no full identification"], None
        if worker.insz and not insz_is_valid(worker.insz):
            return Result.REFUSED, [f"{BAD_INSZ}: INSZ {worker.insz} is not valid"], None
        clash = self._overlapping(key, op.start, op.end)
        if clash is not None:
            return Result.REFUSED, [f"{OVERLAP}: overlaps active period {clash.period_id}"], None
        warnings = []
        if is_late(as_of, op.start):
            warnings.append(f"{LATE_IN}: filed after the start of the shift (late declaration)")
        if worker.insz in self.not_eligible:
            warnings.append(f"{NOT_ELIGIBLE}: the worker does not meet the flexi-job conditions")
        period_id = str(self._next_period)
        self._next_period += 1
        if not worker.insz:
            identifying = f"{IDENTIFYING}: worker being identified (SIGeDIS)"
            live = _Live(period_id, key, op.start, op.end, PeriodStatus.PENDING)
            self._periods[period_id] = live
            self._worker_periods(key).append(live)
            return Result.PENDING, [identifying, *warnings], period_id
        live = _Live(period_id, key, op.start, op.end, PeriodStatus.ACTIVE)
        self._periods[period_id] = live
        self._worker_periods(key).append(live)
        return (Result.WARNING if warnings else Result.ACCEPTED), warnings, period_id

    def _update(self, op: Operation, as_of: dt.datetime) -> tuple[Result, list[str], str | None]:
        assert op.period is not None
        period_id = op.period.period_id
        live = self._find(period_id)
        if live is None:
            return Result.REFUSED, [f"{UNKNOWN_PERIOD}: no period {period_id}"], period_id
        if live.status is PeriodStatus.CANCELLED:
            return (
                Result.REFUSED,
                [f"{PERIOD_CANCELLED}: period {period_id} is cancelled"],
                period_id,
            )
        clash = self._overlapping(live.key, op.start, op.end, skip=period_id)
        if clash is not None:
            return (
                Result.REFUSED,
                [f"{OVERLAP}: overlaps active period {clash.period_id}"],
                period_id,
            )
        deadline = self.rules.change_deadline(Times(live.start, live.end), op.start, op.end)
        live.start, live.end = op.start, op.end
        if is_late(as_of, deadline):
            return Result.WARNING, [f"{LATE_CHANGE}: change filed after its deadline"], period_id
        return Result.ACCEPTED, [], period_id

    def _cancel(self, op: Operation, as_of: dt.datetime) -> tuple[Result, list[str], str | None]:
        assert op.period is not None
        period_id = op.period.period_id
        live = self._find(period_id)
        if live is None:
            return Result.REFUSED, [f"{UNKNOWN_PERIOD}: no period {period_id}"], period_id
        if live.status is PeriodStatus.CANCELLED:
            return Result.REFUSED, [f"{ALREADY_CANCELLED}: period already cancelled"], period_id
        live.status = PeriodStatus.CANCELLED
        if is_late(as_of, self.rules.cancel_deadline(Times(live.start, live.end))):
            return (
                Result.WARNING,
                [f"{LATE_CHANGE}: cancellation filed after its deadline"],
                period_id,
            )
        return Result.ACCEPTED, [], period_id
