"""The batch as one function call: read, validate, plan, file, record, render.

Everything the command line does can be done from Python with these functions, e.g.
`declare(["roster.xlsx"], ledger="ledger.sqlite", out="reports", as_of=...)`.
"""

from __future__ import annotations

import datetime as dt
import os
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import pandas as pd
import xlsxwriter.exceptions

from . import render
from .channels.filing import Filing, FilingLock, Services
from .channels.payloads import payload_json
from .heap import few_collections, give_back
from .ledger import DEFAULT_WAIT, Ledger, LedgerError
from .ledger.outbox import waits_for
from .ledger.wages import record_wages
from .messages import problem
from .model import (
    BRUSSELS,
    Action,
    Correction,
    Declaration,
    Finding,
    Kind,
    Operation,
    Period,
    Problem,
    Result,
    Severity,
    Shift,
    WorksheetItem,
)
from .payroll import shift_wages
from .plan import Plan, Settled, Week, covered, day_range, plan, settled
from .read import expand_paths, read_rosters
from .rules import RuleBook
from .settings import CHANNELS, DEFAULT_LEDGER, LEDGER_ENV, REST, SANDBOX, WEB
from .validate import to_shifts, validate

if TYPE_CHECKING:
    import numpy as np

    from .nsso import Nsso
    from .reconcile import Actual, Reconciled

Stage = Callable[[str], None]
Progress = Callable[[int, int], None]
"""`progress(done, total)`: declarations filed so far, for a progress bar."""


class InputError(Exception):
    """Input the batch cannot start on: nothing is filed, the ledger is not touched."""


@dataclass
class RunResult(ABC):
    """What every filing run has: its batch, declarations, problems, reports, exit status.

    Each command returns its own subclass (`DeclareResult`, `ReconcileResult`,
    `ImportResult`, `SyncResult`), which says what its counts are.
    """

    declarations: list[Declaration] = field(default_factory=list)
    """What the run's receipts show: `answers` first, then the declarations it filed."""
    answers: list[Declaration] = field(default_factory=list)
    """Later answers to declarations of earlier runs: pending INs the NSSO has resolved."""
    problems: list[Problem] = field(default_factory=list)
    plan: Plan = field(default_factory=Plan)
    outputs: list[Path] = field(default_factory=list)
    unusable: bool = False
    dry_run: bool = False
    command: ClassVar[str] = ""
    """The command the result is of: labels its summary on the terminal."""
    queued: list[WorksheetItem] = field(default_factory=list)
    """Rows this run put on the web-form worksheet."""
    worksheet_open: list[WorksheetItem] = field(default_factory=list)
    """Every row still to type, as the worksheet written by this run lists them."""
    batch_id: int | None = None
    """The ledger batch this run committed (None: a dry run, or nothing recorded)."""
    earlier_receipts: dict[int, list[Path]] = field(default_factory=dict)
    """Receipts of earlier batches never written (a run died, or its --out failed), now written."""
    reports_error: str = ""
    """Why this committed run's reports could not be written (its receipts follow later)."""
    last_receipts_batch: int | None = None
    """The latest batch of the ledger with receipts: what `receipts --batch` can write again."""
    ledger: Path | None = None
    """The ledger this run recorded in."""
    answered: list[Declaration | WorksheetItem | None] = field(default_factory=list)
    """In the order of the plan's operations: each one's answer, worksheet row, or None
    while it is in flight."""
    in_flight: int = 0
    """Operations of the ledger still without an answer after the run (`sync` goes on)."""
    unreachable: str = ""
    """Why the NSSO could not be reached, when it could not."""
    channel: str = ""

    @property
    def nothing_filed(self) -> bool:
        """A run that recorded a batch but filed nothing: it writes no receipts at all."""
        return self.batch_id is not None and not self.declarations and not self.queued

    @property
    def filed(self) -> list[Declaration]:
        """The declarations this run filed (its later answers to earlier ones left out)."""
        earlier = {id(d) for d in self.answers}
        return [d for d in self.declarations if id(d) not in earlier]

    @property
    @abstractmethod
    def counts(self) -> dict[str, int]:
        """The summary's counts, by name (the terminal's table, the exit status)."""

    @property
    def exit_status(self) -> int:
        """0 all done and in time; 1 done but something needs a person (or the reports of
        a committed batch could not be written); 2 unusable input or ledger."""
        if self.unusable:
            return 2
        if self.reports_error or self.in_flight:
            return 1
        c = self.counts
        attention = ("rejected", "late", "held", "warned", "manual", "refused", "in flight")
        return 1 if any(c.get(name) for name in attention) else 0


@dataclass
class DeclareResult(RunResult):
    """A `declare` run (or operations filed from Python): the plan and what was filed."""

    command: ClassVar[str] = "declare"

    @property
    def counts(self) -> dict[str, int]:
        declarations = self.filed
        filed = Counter(d.kind for d in declarations if d.accepted)
        rejected_rows = {
            (p.file, p.sheet, p.row) for p in self.problems if p.severity is Severity.ERROR
        }
        refused = sum(d.result is Result.REFUSED for d in declarations)
        if self.dry_run:
            filed = Counter(op.kind for op in self.plan.operations)
        elif self.queued:
            filed = Counter(item.kind for item in self.queued)
        return {
            "declared": filed[Kind.IN],
            "unchanged": len(self.plan.unchanged),
            "updated": filed[Kind.UPDATE],
            "cancelled": filed[Kind.CANCEL],
            "rejected": len(rejected_rows) + refused,
            "late": len(self.plan.late),
            "held": len(self.plan.held),
            "warned": sum(d.result is Result.WARNING for d in self.declarations),
            "pending": sum(d.result is Result.PENDING for d in declarations),
            "identified": len(self.answers),
        }


@dataclass
class ReconcileResult(RunResult):
    """A `reconcile` run: one correction per declared or actual shift looked at."""

    command: ClassVar[str] = "reconcile"
    corrections: list[Correction] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        actions = Counter(c.action for c in self.corrections)
        rejected_rows = {
            (p.file, p.sheet, p.row) for p in self.problems if p.severity is Severity.ERROR
        }
        return {
            "looked at": len(self.corrections),
            "match": sum(c.findings == (Finding.MATCH,) for c in self.corrections),
            "update": actions[Action.UPDATE],
            "cancel": actions[Action.CANCEL],
            "declare": actions[Action.DECLARE],
            "manual": actions[Action.MANUAL],
            "late": sum(c.late for c in self.corrections),
            "rejected": len(rejected_rows) + sum(d.result is Result.REFUSED for d in self.filed),
            "warned": sum(d.result is Result.WARNING and not d.late for d in self.declarations),
            "identified": len(self.answers),
        }


@dataclass
class ImportResult(RunResult):
    """An `import` of a filled-in web-form worksheet."""

    command: ClassVar[str] = "import"

    @property
    def counts(self) -> dict[str, int]:
        results = Counter(d.result for d in self.declarations)
        return {
            "imported": len(self.declarations),
            "accepted": results[Result.ACCEPTED],
            "warned": results[Result.WARNING],
            "refused": results[Result.REFUSED],
            "pending": results[Result.PENDING],
            "rejected": sum(p.severity is Severity.ERROR for p in self.problems),
            "still to type": len(self.worksheet_open),
        }


@dataclass
class SyncResult(RunResult):
    """A `sync`: later answers collected, what was in flight settled and sent."""

    command: ClassVar[str] = "sync"

    @property
    def counts(self) -> dict[str, int]:
        results = Counter(d.result for d in self.filed)
        return {
            "answered": len(self.filed),
            "accepted": results[Result.ACCEPTED],
            "warned": results[Result.WARNING],
            "refused": results[Result.REFUSED],
            "pending": results[Result.PENDING],
            "identified": len(self.answers),
            "in flight": self.in_flight,
        }


def now() -> dt.datetime:
    return dt.datetime.now(BRUSSELS).replace(second=0, microsecond=0)


def parse_as_of(text: str | None, option: str = "--as-of") -> dt.datetime:
    """`2026-06-28 12:00` as Brussels wall time; None is now.

    A UTC offset names one reading of the autumn hour that happens twice
    (`2026-10-25 02:30+01:00` is the second, winter time); without one the first (summer
    time) is meant. A wall time the spring clock change skips is an error.
    """
    if not text:
        return now()
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InputError(
            f"{option} {text!r}: expected YYYY-MM-DD HH:MM, optionally with a UTC offset"
            " (2026-10-25 02:30+01:00)"
        ) from error
    if moment.tzinfo is not None:
        return moment.astimezone(BRUSSELS)
    local = moment.replace(tzinfo=BRUSSELS, fold=0)
    if local.astimezone(dt.UTC).astimezone(BRUSSELS).replace(tzinfo=None) != moment:
        raise InputError(
            f"{option} {text!r}: {moment:%d/%m/%Y %H:%M} does not exist in Brussels"
            " (the clocks skip that hour for summer time)"
        )
    return local


def ledger_path(path: Path | str | None) -> Path:
    return Path(path or os.environ.get(LEDGER_ENV) or DEFAULT_LEDGER)


def _checked(as_of: dt.datetime | None, channel: str) -> dt.datetime:
    as_of = as_of or now()
    if as_of.tzinfo is None:
        raise InputError("as_of must be timezone-aware (Europe/Brussels)")
    if channel not in CHANNELS:
        raise InputError(f"unknown channel {channel!r}; choose one of {', '.join(CHANNELS)}")
    return as_of


def check_inputs(paths: Sequence[Path | str]) -> list[Path]:
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(f"not found: {', '.join(missing)}")
    files = expand_paths(paths)
    if not files:
        raise InputError(f"no .xlsx, .xlsm or .csv files in {', '.join(map(str, paths))}")
    return files


@few_collections()
def declare(
    paths: Sequence[Path | str],
    ledger: Path | str | None = None,
    out: Path | str = "reports",
    as_of: dt.datetime | None = None,
    lang: str = "nl",
    channel: str = "sandbox",
    dry_run: bool = False,
    add_only: bool = False,
    rules: RuleBook | None = None,
    not_eligible: Iterable[str] = (),
    stage: Stage | None = None,
    year: int | None = None,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] | None = None,
    mask_insz: bool = False,
    hours: str | None = None,
    credentials: Path | str | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Declare the shifts of rosters: one daily Dimona IN per shift, changes for changed ones.

    `year` completes dates written without one (`ma 29/06`) on sheets that show no year.
    `wait`, `notify`, `mask_insz`: see `Ledger` and `write_reports`.
    `hours` ("decimal" or "clock") says how the client writes `9.5`; None: an error.
    `credentials`: the dimona.toml of `--channel rest`.
    `stage(name)` is called as each stage starts, `progress(done, total)` while filing.
    """
    say = stage or (lambda _: None)
    as_of = _checked(as_of, channel)
    files = check_inputs(paths)
    out = reports_folder(out)
    rules = rules or RuleBook()

    say("read")
    reading = read_rosters(files, year=year)
    say("validate")
    validated = validate(reading, hours=hours)
    result = DeclareResult(problems=validated.problems, dry_run=dry_run, channel=channel)
    if not reading.sheets:
        result.unusable = True
        result.outputs = render.write_validation(result.problems, out, lang, mask=mask_insz)
        return result
    # What the plan needs, and then neither the cells read nor the typed table: they would
    # stay alive through filing and rendering, the largest part of a large run's memory.
    table = validated.shifts
    wages = shift_wages(table)
    del reading, validated
    give_back(len(table))

    path = ledger_path(ledger)
    if dry_run and not path.exists():
        say("plan")
        result.plan = plan(to_shifts(table), [], as_of, rules, add_only)
    else:
        with Ledger(path, wait, notify) as book:
            if dry_run:
                say("plan")
                result.plan = _plan(book, table, as_of, rules, add_only)
            else:
                inputs = [str(f) for f in files]
                with _engine(path, book, as_of, channel, rules, not_eligible, credentials) as go:
                    with book.batch("declare", as_of, inputs, channel) as result.batch_id:
                        engine = go(result)
                        say("plan")
                        result.plan = _plan(book, table, as_of, rules, add_only)
                        del table
                        give_back(len(result.plan.operations))
                        record_wages(book, wages)
                        say("file")
                        ids = _file(book, engine, result.plan.operations, as_of, rules, result)
                    _send(path, engine, ids, result, wait, notify, progress)
                if channel == WEB:
                    result.worksheet_open = book.items()
    result.problems = sorted(
        [
            *result.problems,
            *result.plan.problems,
            *_refusals(result.plan.operations, result.answered),
        ],
        key=lambda p: (p.file, p.sheet, p.row or 0, p.cell),
    )
    give_back(len(result.plan.operations))  # the ledger and the NSSO state are closed
    say("render")
    write_reports(
        result,
        out,
        path,
        lambda: [
            *_render_filing(result, out, lang, as_of, channel, mask_insz),
            *render.write_validation(result.problems, out, lang, mask=mask_insz),
        ],
        lang,
        mask_insz,
        wait,
        notify,
    )
    return result


@contextmanager
def _engine(
    path: Path,
    book: Ledger,
    as_of: dt.datetime,
    channel: str,
    rules: RuleBook,
    not_eligible: Iterable[str] = (),
    credentials: Path | str | None = None,
) -> Iterator[Callable[[RunResult], Filing | None]]:
    """The filing engine of a run over its channel's service (None for the web channel).

    What it yields makes the engine inside the run's batch and records there the later
    answers to INs left pending (S) by earlier runs: before planning, so the plan sees
    those periods as the NSSO now holds them; the answers go on this run's receipts.
    """
    if channel == WEB:
        yield lambda _: None
        return
    services, close, first_poll, clock = _services(
        path, book, as_of, channel, rules, not_eligible, credentials
    )

    def start(result: RunResult) -> Filing:
        assert result.batch_id is not None
        engine = Filing(book, services, clock, result.batch_id, first_poll=first_poll)
        result.answers = engine.later_answers()
        result.declarations = list(result.answers)
        return engine

    try:
        yield start
    finally:
        close()


def _services(
    path: Path,
    book: Ledger,
    as_of: dt.datetime,
    channel: str,
    rules: RuleBook,
    not_eligible: Iterable[str],
    credentials: Path | str | None,
) -> tuple[Services, Callable[[], None], float, Callable[[], dt.datetime]]:
    """The service per employer, how to close it, when to poll first, and the filing clock.

    The sandbox is the simulator core in-process, with its own state beside the ledger and
    the run's --as-of as its clock; `rest` talks to the NSSO (or `dimona-batch simulator`).
    """
    if channel == REST:
        from .channels import rest
        from .channels.credentials import CredentialsError

        if credentials is None:
            raise InputError("--channel rest needs --credentials FILE (dimona.toml)")
        try:
            services = rest.services(Path(credentials))
        except CredentialsError as error:
            raise InputError(str(error)) from error
        return services, services.close, 2.0, lambda: dt.datetime.now(BRUSSELS)
    from .channels.sandbox import LocalService, sandbox_state
    from .nsso import Nsso

    state = sandbox_state(path)
    fresh = not state.exists()
    nsso = Nsso(state, rules, not_eligible)
    if fresh:
        _seed(nsso, book)
    service = LocalService(nsso, clock=lambda: as_of)
    return (lambda _: service), nsso.close, 0.0, lambda: as_of


def _seed(nsso: Nsso, book: Ledger) -> None:
    """A ledger from before the simulator had its own state: its sandbox periods become
    the core's once, so that they can still be updated and cancelled."""
    from .channels.payloads import employer_part, times_part, worker_part

    periods = [p for p in book.periods(include_cancelled=True) if p.channel == SANDBOX]
    if not periods:
        return
    largest_period, largest_declaration = book.largest_ids(SANDBOX)
    items = [
        {
            "id": int(p.period_id),
            "employer": employer_part(p.employer),
            "worker": worker_part(p.worker),
            **times_part(p.declared_start, p.declared_end),
            "status": p.status.value,
        }
        for p in periods
    ]
    nsso.seed(items, largest_period + 1, largest_declaration + 1)


def _file(
    book: Ledger,
    engine: Filing | None,
    operations: Sequence[Operation],
    as_of: dt.datetime,
    rules: RuleBook,
    result: RunResult,
) -> list[int]:
    """Put the operations in the outbox (committed with the batch), or queue them on the
    web worksheet. Returns the outbox's operation ids, in the order of `operations`."""
    if engine is None:
        from .channels.web import WebForm  # the web channel's worksheet only

        result.queued = WebForm(book, rules).queue(operations, as_of)
        result.answered = list(result.queued)
        return []
    bodies = [
        payload_json(op, _period_number(op.period.period_id) if op.period else None)
        for op in operations
    ]
    return book.enqueue(result.channel or SANDBOX, operations, bodies, as_of)


def _period_number(period_id: str) -> str:
    """A period's number, or 0 for one whose IN is in flight (filled in once answered)."""
    return "0" if waits_for(period_id) is not None else period_id


def _send(
    path: Path,
    engine: Filing | None,
    ids: Sequence[int],
    result: RunResult,
    wait: float,
    notify: Callable[[str], None] | None,
    progress: Progress | None = None,
) -> None:
    """After the plan is committed: settle, send and poll; what came back on the result."""
    if engine is None:
        return
    with FilingLock(path, wait, notify):
        outcome = engine.run(progress)
    mine = set(ids)
    earlier = [d for i, d in outcome.filed.items() if i not in mine]
    result.answered = [outcome.filed.get(i) for i in ids]
    result.declarations = [
        *result.answers,
        *earlier,
        *(d for d in result.answered if d is not None),
    ]
    result.in_flight = outcome.in_flight
    result.unreachable = outcome.unreachable


def file_operations(
    operations: Sequence[Operation],
    ledger: Path | str | None = None,
    as_of: dt.datetime | None = None,
    channel: str = SANDBOX,
    rules: RuleBook | None = None,
    not_eligible: Iterable[str] = (),
    credentials: Path | str | None = None,
    wait: float = DEFAULT_WAIT,
) -> list[Declaration | None]:
    """File operations planned elsewhere, as one batch through the outbox.

    Their answers in their order (None: still in flight).
    """
    as_of = _checked(as_of, channel)
    if channel == WEB:
        raise InputError("file_operations files through the sandbox or rest channel")
    path = ledger_path(ledger)
    result = DeclareResult(channel=channel)
    rules = rules or RuleBook()
    with (
        Ledger(path, wait) as book,
        _engine(path, book, as_of, channel, rules, not_eligible, credentials) as go,
    ):
        with book.batch("file", as_of, [], channel) as result.batch_id:
            engine = go(result)
            ids = _file(book, engine, operations, as_of, rules, result)
        _send(path, engine, ids, result, wait, None)
    return [d if isinstance(d, Declaration) else None for d in result.answered]


@few_collections()
def sync(
    ledger: Path | str | None = None,
    out: Path | str = "reports",
    lang: str = "nl",
    channel: str = REST,
    credentials: Path | str | None = None,
    as_of: dt.datetime | None = None,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] | None = None,
    mask_insz: bool = False,
    stage: Stage | None = None,
) -> RunResult:
    """Resume what is in flight and collect later answers, as a batch of its own.

    Settles what was sent with no answer known, sends what is still to send, polls what was
    sent, and asks the final answer of INs answered S. Its receipts (receipts.xlsx and
    .html in `out`) show what it learnt; `result.in_flight` what is still without an answer.
    """
    say = stage or (lambda _: None)
    as_of = _checked(as_of, channel)
    if channel == WEB:
        raise InputError("sync resumes the sandbox or rest channel; the web form has none")
    path = ledger_path(ledger)
    if not path.exists():
        raise InputError(f"ledger {path} not found")
    out = reports_folder(out)
    result = SyncResult(channel=channel)
    rules = RuleBook()
    say("file")
    with (
        Ledger(path, wait, notify) as book,
        _engine(path, book, as_of, channel, rules, (), credentials) as go,
    ):
        with book.batch("sync", as_of, [], channel) as result.batch_id:
            engine = go(result)
        _send(path, engine, [], result, wait, notify)
    say("render")
    write_reports(
        result,
        out,
        path,
        lambda: _render_filing(result, out, lang, as_of, channel, mask_insz),
        lang,
        mask_insz,
        wait,
        notify,
    )
    return result


def _render_filing(
    result: RunResult,
    out: Path,
    lang: str,
    as_of: dt.datetime,
    channel: str,
    mask_insz: bool = False,
) -> list[Path]:
    """The worksheet (web channel) or the receipts; none for a run that filed nothing."""
    note = f"{as_of:%d/%m/%Y %H:%M}"
    if result.dry_run:
        return []
    if channel == WEB:
        from .render.worksheet import write_worksheet  # the web channel's only

        return write_worksheet(result.worksheet_open, out, lang, note, as_of=as_of)
    if not result.declarations:
        return []  # an earlier run's receipts are never replaced by an empty file
    return render.write_receipts(result.declarations, out, lang, note, mask=mask_insz)


@few_collections()
def import_worksheet(
    path: Path | str,
    ledger: Path | str | None = None,
    out: Path | str = "reports",
    as_of: dt.datetime | None = None,
    lang: str = "nl",
    stage: Stage | None = None,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] | None = None,
    mask_insz: bool = False,
) -> RunResult:
    """Record what the clerk typed in the web form: period numbers, statuses, times."""
    from .channels.web import read_filled
    from .channels.web import record as record_typed

    say = stage or (lambda _: None)
    as_of = _checked(as_of, WEB)
    (file,) = check_inputs([path])
    book_path = ledger_path(ledger)
    if not book_path.exists():
        raise InputError(f"ledger {book_path} not found")
    out = reports_folder(out)
    result = ImportResult()
    with Ledger(book_path, wait, notify) as book:
        say("read")
        try:
            filled = read_filled(file, book, as_of)
        except ValueError as error:
            raise InputError(str(error)) from error
        result.problems = filled.problems
        say("record")
        with book.batch("import", as_of, [str(file)], WEB) as result.batch_id:
            result.declarations = record_typed(book, filled.rows)
        result.worksheet_open = book.items()
    say("render")
    write_reports(
        result,
        out,
        book_path,
        lambda: [
            *_render_filing(result, out, lang, as_of, "import", mask_insz),
            *render.write_validation(result.problems, out, lang, mask=mask_insz),
        ],
        lang,
        mask_insz,
        wait,
        notify,
    )
    return result


@few_collections()
def reconcile(
    paths: Sequence[Path | str],
    ledger: Path | str | None = None,
    out: Path | str = "reports",
    as_of: dt.datetime | None = None,
    lang: str = "nl",
    channel: str = "sandbox",
    dry_run: bool = False,
    tolerance: int = 0,
    rules: RuleBook | None = None,
    stage: Stage | None = None,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] | None = None,
    mask_insz: bool = False,
    hours: str | None = None,
    credentials: Path | str | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Hold actual hours against the declared periods; file the corrections still allowed.

    `hours` ("decimal" or "clock") says how the client writes `9.5`; None: an error.
    """
    from .actuals import read_actuals  # reconcile's modules: a declare never loads them
    from .reconcile import reconcile as reconcile_lines

    say = stage or (lambda _: None)
    as_of = _checked(as_of, channel)
    files = check_inputs(paths)
    out = reports_folder(out)
    rules = rules or RuleBook()

    say("read")
    reading = read_actuals(files, hours=hours)
    result = ReconcileResult(problems=reading.problems, dry_run=dry_run, channel=channel)
    if not reading.sheets:
        result.unusable = True
        result.outputs = render.write_validation(result.problems, out, lang, mask=mask_insz)
        return result
    path = ledger_path(ledger)
    if not path.exists():
        raise InputError(f"ledger {path} not found: declare the roster first")
    with Ledger(path, wait, notify) as book:
        if dry_run:
            say("plan")
            lines = reconcile_lines(
                reading.actuals, _window_periods(book, reading.actuals), as_of, rules, tolerance
            )
        else:
            inputs = [str(f) for f in files]
            with _engine(path, book, as_of, channel, rules, (), credentials) as go:
                with book.batch("reconcile", as_of, inputs, channel) as result.batch_id:
                    engine = go(result)
                    say("plan")
                    periods = _window_periods(book, reading.actuals)
                    lines = reconcile_lines(reading.actuals, periods, as_of, rules, tolerance)
                    book.record_manual_items(line.correction for line in lines)
                    operations = filing_order(line.operation for line in lines if line.operation)
                    say("file")
                    ids = _file(book, engine, operations, as_of, rules, result)
                _send(path, engine, ids, result, wait, notify, progress)
                by_operation = dict(zip(map(id, operations), result.answered, strict=True))
                lines = [_filed(line, by_operation.get(id(line.operation))) for line in lines]
                with book.steps(result.batch_id):
                    book.record_actuals(
                        (c.period_id, c.actual_start, c.actual_end)
                        for c in (line.correction for line in lines)
                        if c.period_id and c.actual_start and waits_for(c.period_id) is None
                    )
                if channel == WEB:
                    result.worksheet_open = book.items()
        result.corrections = [line.correction for line in lines]
        # in filing order, the order of the channel's answers
        result.plan = Plan(
            operations=filing_order(line.operation for line in lines if line.operation)
        )
    result.problems = sorted(
        [
            *result.problems,
            *_refusals(result.plan.operations, result.answered),
        ],
        key=lambda p: (p.file, p.sheet, p.row or 0, p.cell),
    )
    give_back(len(result.corrections))
    say("render")
    note = f"{as_of:%d/%m/%Y %H:%M}"
    write_reports(
        result,
        out,
        path,
        lambda: [
            *render.write_corrections(result.corrections, out, lang, note, mask=mask_insz),
            *_render_filing(result, out, lang, as_of, channel, mask_insz),
            *render.write_validation(result.problems, out, lang, mask=mask_insz),
        ],
        lang,
        mask_insz,
        wait,
        notify,
    )
    return result


def filing_order(operations: Iterable[Operation]) -> list[Operation]:
    """Cancels free the slots that updates and INs may take; then what starts first."""
    rank = {Kind.CANCEL: 0, Kind.UPDATE: 1, Kind.IN: 2}
    return sorted(operations, key=lambda op: (rank[op.kind], op.start.astimezone(dt.UTC)))


def _filed(line: Reconciled, answer: Declaration | WorksheetItem | None) -> Reconciled:
    """The correction line with what the channel answered for its declaration."""
    if answer is None:
        return line
    if isinstance(answer, WorksheetItem):
        note = f"{line.correction.note} worksheet:{answer.key}".strip()
        return replace(line, correction=replace(line.correction, note=note, channel=WEB))
    correction = replace(
        line.correction,
        filed_at=answer.sent_at,
        result=answer.result,
        period_id=line.correction.period_id or answer.period_id,
        channel=answer.channel,
    )
    return replace(line, correction=correction)


def _window_periods(book: Ledger, actuals: Sequence[Actual]) -> list[Period]:
    """The periods of the actuals' days and of a day either side (shifts across midnight)."""
    from .reconcile import neighbourhood, window

    days = window(actuals, rejected=True)
    span = neighbourhood(days)
    if span is None:
        return []
    return book.declared_periods(days.keys(), span[0], span[1])


def _periods(book: Ledger, shifts: Sequence[Shift]) -> list[Period]:
    """The live periods of the employer-weeks the roster speaks for."""
    weeks = covered(shifts)
    days = day_range(weeks)
    if days is None:
        return []
    return book.declared_periods(weeks.keys(), days[0], days[1])


def _plan(
    book: Ledger, table: pd.DataFrame, as_of: dt.datetime, rules: RuleBook, add_only: bool
) -> Plan:
    """The plan of the typed roster rows against the ledger's periods of their weeks.

    The work days that need nothing (`settled`) are told apart on the table's columns and
    the ledger's: neither their shifts nor their periods are made, and only the rest are
    planned one by one (a roster run again unchanged makes no shifts at all). Workers
    without an INSZ are always planned one by one.
    """
    import numpy as np

    local = table["start"].dt.tz_convert(BRUSSELS)
    weeks, files = _covered(table, local)
    days = day_range(weeks)
    if days is None:
        return plan(to_shifts(table), [], as_of, rules, add_only)
    insz = table["insz"]
    known = (insz.notna() & (insz.astype(str) != "")).to_numpy()
    shifts = pd.DataFrame(
        {
            "enterprise_number": table["enterprise_number"].astype(object),
            "worker_key": table["worker_key"].astype(object),
            "day": local.dt.tz_localize(None).dt.normalize().dt.as_unit("ns"),
            "start": _nanoseconds(table["start"]),
            "end": _nanoseconds(table["end"]),
        }
    )[known]
    times = book.declared_times(weeks.keys(), days[0], days[1])
    shifts_settled, periods_settled = settled(shifts, times)
    if not periods_settled.any():
        periods = book.declared_periods(weeks.keys(), days[0], days[1])
        return plan(to_shifts(table), periods, as_of, rules, add_only)
    confirmed = times["period_id"][periods_settled].tolist()
    rest = np.ones(len(table), bool)
    rest[np.flatnonzero(known)[shifts_settled]] = False
    if periods_settled.all():  # only the periods without an INSZ are left (no list to send)
        periods = book.declared_periods(weeks.keys(), days[0], days[1], without_insz=True)
    else:
        periods = book.declared_periods(weeks.keys(), days[0], days[1], excluding=set(confirmed))
    return plan(
        to_shifts(table[rest]),
        periods,
        as_of,
        rules,
        add_only,
        settled=Settled(confirmed, weeks, files),
    )


def _covered(
    table: pd.DataFrame, local: pd.Series
) -> tuple[dict[str, set[Week]], dict[tuple[str, Week], str]]:
    """The ISO weeks of each employer that the roster speaks for (`covered`), and the roster
    file of each employer-week (its first row's), from whole columns."""
    iso = local.dt.isocalendar()
    found = pd.DataFrame(
        {
            "enterprise": table["enterprise_number"].astype(object).to_numpy(),
            "year": iso["year"].astype(int).to_numpy(),
            "week": iso["week"].astype(int).to_numpy(),
            "file": table["file"].to_numpy(),
        }
    ).drop_duplicates(["enterprise", "year", "week"])
    weeks: dict[str, set[Week]] = {}
    files: dict[tuple[str, Week], str] = {}
    for enterprise, year, number, file in zip(
        found["enterprise"].tolist(),
        found["year"].tolist(),
        found["week"].tolist(),
        found["file"].tolist(),
        strict=True,
    ):
        weeks.setdefault(enterprise, set()).add((year, number))
        files[(enterprise, (year, number))] = file
    return weeks, files


def _nanoseconds(moments: pd.Series) -> np.ndarray:
    """Moments as UTC nanoseconds since the epoch, to compare with the ledger's."""
    return (
        moments.dt.tz_convert("UTC")
        .dt.tz_localize(None)
        .dt.as_unit("ns")
        .astype("int64")
        .to_numpy()
    )


def _refusals(
    operations: Sequence[Operation], answered: Sequence[Declaration | WorksheetItem | None]
) -> list[Problem]:
    """A refused declaration is a problem of the row it came from."""
    if not any(isinstance(d, Declaration) for d in answered):  # dry run, web, nothing filed
        return []
    found = []
    for op, d in zip(operations, answered, strict=True):
        if not isinstance(d, Declaration) or d.result is not Result.REFUSED:
            continue
        source = op.shift.source if op.shift else None
        found.append(
            problem(
                "refused",
                file=source.file if source else "",
                sheet=source.sheet if source else "",
                row=source.row if source else None,
                column=source.column if source else "",
                cell=source.cell if source else "",
                value=f"{d.kind.value} {d.period_id or ''}".strip(),
                anomalies="; ".join(d.anomalies),
            )
        )
    return found


# --- reports after a committed batch: receipts are a view of the ledger ----------------


def reports_folder(out: Path | str) -> Path:
    """The --out folder, created (0700) and checked writable before anything is filed."""
    try:
        return render.writable_folder(out)
    except OSError as error:
        raise InputError(f"--out {out} cannot be written: {_reason(error)}") from error


def _reason(error: OSError) -> str:
    """`Is a directory: out/receipts.xlsx`: the file in the way rather than its temporary."""
    name = error.filename2 or error.filename
    if error.strerror and name:
        return f"{error.strerror}: {name}"
    return error.strerror or str(error)


def _in_folder(error: OSError, folder: Path) -> bool:
    """Whether the file an error names lies in `folder` (none named: assume it does)."""
    name = error.filename2 or error.filename
    if not name:
        return True
    return Path(os.fsdecode(name)).resolve().is_relative_to(folder.resolve())


def _receipts_note(as_of_text: str) -> str:
    return f"{dt.datetime.fromisoformat(as_of_text).astimezone(BRUSSELS):%d/%m/%Y %H:%M}"


def write_reports(
    result: RunResult,
    out: Path,
    ledger: Path,
    write: Callable[[], list[Path]],
    lang: str,
    mask_insz: bool = False,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] | None = None,
) -> None:
    """Write a run's reports (`write`), then receipts earlier batches never got.

    After a committed batch, a report that cannot be written loses nothing: the batch's
    receipts stay marked unwritten in the ledger, and the next run (or `receipts --batch`)
    writes them; `result.reports_error` says why. `mask_insz` shows INSZ as 93.05.18-***.**.
    """
    try:
        result.outputs += write()
    except (OSError, xlsxwriter.exceptions.FileCreateError) as error:
        reason = _reason(error) if isinstance(error, OSError) else str(error)
        if result.batch_id is None:  # nothing recorded: a usage error, if --out is the cause
            if isinstance(error, OSError) and not _in_folder(error, out):
                raise
            raise InputError(f"--out {out} cannot be written: {reason}") from error
        result.reports_error = reason
        result.ledger = ledger
        return
    if result.batch_id is None:
        return
    result.ledger = ledger
    try:
        _earlier_receipts(result, out, ledger, lang, mask_insz, wait, notify)
    except LedgerError as error:
        # The batch is committed and its reports are written: a ledger held too long only
        # means these receipts are written once more by a later run.
        if notify:
            notify(f"receipts not marked as written in the ledger: {error}")


def _earlier_receipts(
    result: RunResult,
    out: Path,
    ledger: Path,
    lang: str,
    mask_insz: bool,
    wait: float,
    notify: Callable[[str], None] | None,
) -> None:
    """Mark the run's receipts written; write those of earlier batches that never were."""
    with Ledger(ledger, wait, notify, check=False) as book:
        if result.declarations:
            book.mark_receipts_written([result.batch_id])  # type: ignore[list-item]
        for batch_id in book.receipt_batches(unwritten=True):
            if batch_id == result.batch_id:
                continue
            try:
                paths = _write_batch(book, batch_id, out, lang, mask_insz)
            except OSError as error:
                if notify:
                    notify(f"receipts of batch {batch_id} not written ({_reason(error)}): later")
                break
            result.earlier_receipts[batch_id] = paths
            result.outputs += paths
        batches = book.receipt_batches()
        result.last_receipts_batch = batches[-1] if batches else None


def _write_batch(book: Ledger, batch_id: int, out: Path, lang: str, mask_insz: bool) -> list[Path]:
    """receipts-batch-N.xlsx and .html, rebuilt from the ledger; the batch marked written."""
    row = book.batch_row(batch_id)
    assert row is not None
    paths = render.write_receipts(
        book.receipts(batch_id),
        out,
        lang,
        _receipts_note(row["as_of"]),
        name=f"receipts-batch-{batch_id}",
        mask=mask_insz,
    )
    book.mark_receipts_written([batch_id])
    return paths


def write_receipts(
    batch_id: int | None = None,
    ledger: Path | str | None = None,
    out: Path | str = "reports",
    lang: str = "nl",
    mask_insz: bool = False,
    wait: float = DEFAULT_WAIT,
    notify: Callable[[str], None] | None = None,
    *,
    employer: str | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    per_employer: bool = False,
) -> tuple[int | None, list[Path]]:
    """Write receipts again from the ledger: a batch's (default: the latest with receipts),
    or those of an employer and span of work days.

    A whole batch is written as receipts-batch-N.xlsx and .html, as the run wrote it. With
    `employer`, `day_from` or `day_to` (and no batch) the receipts are chosen across batches
    by their work day; `per_employer` writes one pair per employer and ISO week,
    receipts-0123456749-2026-W27.xlsx and .html. Returns the batch (None) and the files.
    """
    path = ledger_path(ledger)
    if not path.exists():
        raise InputError(f"ledger {path} not found")
    enterprise = _employer_option(employer)
    selected = enterprise is not None or day_from is not None or day_to is not None
    with Ledger(path, wait, notify) as book:
        if selected and batch_id is None:
            declarations = book.receipts_of(enterprise, day_from, day_to)
            note = ""
        else:
            batch_id = _receipt_batch(book, path, batch_id)
            if not selected and not per_employer:
                folder = reports_folder(out)
                try:
                    return batch_id, _write_batch(book, batch_id, folder, lang, mask_insz)
                except OSError as error:
                    raise InputError(f"--out {out} cannot be written: {_reason(error)}") from error
            declarations = [
                d for d in book.receipts(batch_id) if _chosen(d, enterprise, day_from, day_to)
            ]
            note = _receipts_note(book.batch_row(batch_id)["as_of"])
    if not declarations:
        raise InputError(f"no receipts {_selection(batch_id, employer, day_from, day_to)}")
    folder = reports_folder(out)
    try:
        if per_employer:
            paths = [
                p
                for name, group_note, group in _per_employer_week(declarations)
                for p in render.write_receipts(
                    group, folder, lang, group_note, name=name, mask=mask_insz
                )
            ]
        else:
            name = _selection_name(batch_id, enterprise, day_from, day_to)
            paths = render.write_receipts(
                declarations, folder, lang, note, name=name, mask=mask_insz
            )
    except OSError as error:
        raise InputError(f"--out {out} cannot be written: {_reason(error)}") from error
    return batch_id, paths


def _receipt_batch(book: Ledger, path: Path, batch_id: int | None) -> int:
    batches = book.receipt_batches()
    if not batches:
        raise InputError(f"the ledger {path} holds no receipts: nothing was filed yet")
    if batch_id is None:
        return batches[-1]
    if batch_id not in batches:
        known = book.batch_row(batch_id) is not None
        why = "filed nothing" if known else "is not in the ledger"
        raise InputError(f"batch {batch_id} {why}; batches with receipts: {_ranges(batches)}")
    return batch_id


def _employer_option(number: str | None) -> str | None:
    """--employer as the ledger keeps it: 10 digits (dots, spaces, BE allowed)."""
    from .office import OfficeError, _enterprise

    try:
        return _enterprise(number)
    except OfficeError as error:
        raise InputError(str(error)) from error


def _work_day(d: Declaration) -> dt.date:
    return d.start.astimezone(BRUSSELS).date()


def _chosen(
    d: Declaration, enterprise: str | None, day_from: dt.date | None, day_to: dt.date | None
) -> bool:
    day = _work_day(d)
    return (
        (enterprise is None or d.employer.enterprise_number == enterprise)
        and (day_from is None or day >= day_from)
        and (day_to is None or day <= day_to)
    )


def _selection(
    batch_id: int | None, employer: str | None, day_from: dt.date | None, day_to: dt.date | None
) -> str:
    """`of batch 3 for employer 0566.988.259 from 2026-06-29 to 2026-07-05`"""
    parts = [f"of batch {batch_id}"] if batch_id is not None else ["in the ledger"]
    if employer:
        parts.append(f"for employer {employer}")
    if day_from:
        parts.append(f"from {day_from.isoformat()}")
    if day_to:
        parts.append(f"to {day_to.isoformat()}")
    return " ".join(parts)


def _selection_name(
    batch_id: int | None, enterprise: str | None, day_from: dt.date | None, day_to: dt.date | None
) -> str:
    """receipts[-batch-N][-0123456749][-from-2026-06-29][-to-2026-07-05]"""
    parts = ["receipts"]
    if batch_id is not None:
        parts.append(f"batch-{batch_id}")
    if enterprise:
        parts.append(enterprise)
    if day_from:
        parts.append(f"from-{day_from.isoformat()}")
    if day_to:
        parts.append(f"to-{day_to.isoformat()}")
    return "-".join(parts)


def _per_employer_week(
    declarations: Sequence[Declaration],
) -> list[tuple[str, str, list[Declaration]]]:
    """(file name, note, receipts) per employer and ISO week of the work day, in order of
    appearance: a selection spanning weeks gives each week its own pair of files."""
    from .render.values import enterprise_text

    groups: dict[tuple[str, int, int], list[Declaration]] = {}
    for d in declarations:
        year, week, _ = _work_day(d).isocalendar()
        key = (d.employer.enterprise_number or d.employer.nsso_number, year, week)
        groups.setdefault(key, []).append(d)
    named = []
    for (number, year, week), group in groups.items():
        iso_week = f"{year}-W{week:02d}"
        shown = enterprise_text(number) or number
        named.append((f"receipts-{number}-{iso_week}", f"{shown} · {iso_week}", group))
    return named


def _ranges(numbers: Sequence[int]) -> str:
    """1-3, 5, 7-8"""
    parts: list[str] = []
    start = previous = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == previous + 1:
            previous = n
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if n is not None:
            start = previous = n
    return ", ".join(parts)
