"""The batch as one function call: read, validate, plan, file, record, render.

Everything the command line does can be done from Python with these functions, e.g.
`declare(["roster.xlsx"], ledger="ledger.sqlite", out="reports", as_of=...)`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import render
from .actuals import read_actuals
from .channels.sandbox import Sandbox
from .channels.web import WebForm, read_filled
from .channels.web import record as record_typed
from .ledger import Ledger
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
from .plan import Plan, covered, day_range, plan
from .reconcile import Actual, Reconciled, window
from .reconcile import reconcile as reconcile_lines
from .render.worksheet import write_worksheet
from .roster import expand_paths, read_rosters
from .rules import RuleBook
from .validate import to_shifts, validate

LEDGER_ENV = "DIMONA_LEDGER"
DEFAULT_LEDGER = "dimona-ledger.sqlite"
WEB = "web"
CHANNELS = ("sandbox", WEB)

Stage = Callable[[str], None]


class InputError(Exception):
    """Input the batch cannot start on: nothing is filed, the ledger is not touched."""


@dataclass
class RunResult:
    declarations: list[Declaration] = field(default_factory=list)
    """What the run's receipts show: `answers` first, then the declarations it filed."""
    answers: list[Declaration] = field(default_factory=list)
    """Later answers to declarations of earlier runs: pending INs the NSSO has resolved."""
    problems: list[Problem] = field(default_factory=list)
    plan: Plan = field(default_factory=Plan)
    outputs: list[Path] = field(default_factory=list)
    unusable: bool = False
    dry_run: bool = False
    command: str = "declare"
    corrections: list[Correction] = field(default_factory=list)
    queued: list[WorksheetItem] = field(default_factory=list)
    """Rows this run put on the web-form worksheet."""
    worksheet_open: list[WorksheetItem] = field(default_factory=list)
    """Every row still to type, as the worksheet written by this run lists them."""

    @property
    def filed(self) -> list[Declaration]:
        """The declarations this run filed (its later answers to earlier ones left out)."""
        earlier = {id(d) for d in self.answers}
        return [d for d in self.declarations if id(d) not in earlier]

    @property
    def counts(self) -> dict[str, int]:
        if self.command == "reconcile":
            return self._reconcile_counts()
        if self.command == "import":
            return self._import_counts()
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

    def _import_counts(self) -> dict[str, int]:
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

    def _reconcile_counts(self) -> dict[str, int]:
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

    @property
    def exit_status(self) -> int:
        """0 all done and in time; 1 done but something needs a person; 2 unusable input."""
        if self.unusable:
            return 2
        c = self.counts
        attention = ("rejected", "late", "held", "warned", "manual", "refused")
        return 1 if any(c.get(name) for name in attention) else 0


def now() -> dt.datetime:
    return dt.datetime.now(BRUSSELS).replace(second=0, microsecond=0)


def parse_as_of(text: str | None) -> dt.datetime:
    """`2026-06-28 12:00` as Brussels wall time; None is now."""
    if not text:
        return now()
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InputError(f"--as-of {text!r}: expected YYYY-MM-DD HH:MM") from error
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BRUSSELS)
    return moment.astimezone(BRUSSELS)


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
        raise InputError(f"no .xlsx files in {', '.join(map(str, paths))}")
    return files


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
    hours: str | None = None,
) -> RunResult:
    """Declare the shifts of rosters: one daily Dimona IN per shift, changes for changed ones.

    `year` completes dates written without one (`ma 29/06`) on sheets that show no year.
    `hours` ("decimal" or "clock") says how the client writes `9.5`; None: an error.
    """
    say = stage or (lambda _: None)
    as_of = _checked(as_of, channel)
    files = check_inputs(paths)
    out = Path(out)
    rules = rules or RuleBook()

    say("read")
    reading = read_rosters(files, year=year)
    say("validate")
    validated = validate(reading, hours=hours)
    result = RunResult(problems=validated.problems, dry_run=dry_run)
    if not reading.sheets:
        result.unusable = True
        result.outputs = render.write_validation(result.problems, out, lang)
        return result
    shifts = to_shifts(validated.shifts)

    path = ledger_path(ledger)
    if dry_run and not path.exists():
        say("plan")
        result.plan = plan(shifts, [], as_of, rules, add_only)
    else:
        with Ledger(path) as book:
            if dry_run:
                say("plan")
                result.plan = plan(shifts, _periods(book, shifts), as_of, rules, add_only)
            else:
                with book.batch("declare", as_of, [str(f) for f in files], channel):
                    sandbox = _resolve(book, as_of, channel, rules, result, not_eligible)
                    say("plan")
                    periods = _periods(book, shifts)
                    result.plan = plan(shifts, periods, as_of, rules, add_only)
                    say("file")
                    _file(book, sandbox, result.plan.operations, as_of, rules, result)
                if channel == WEB:
                    result.worksheet_open = book.items()
    result.problems = sorted(
        [
            *result.problems,
            *result.plan.problems,
            *_refusals(result.plan.operations, result.filed),
        ],
        key=lambda p: (p.file, p.sheet, p.row or 0, p.cell),
    )
    say("render")
    _render_filing(result, out, lang, as_of, channel)
    result.outputs += render.write_validation(result.problems, out, lang)
    return result


def _resolve(
    book: Ledger,
    as_of: dt.datetime,
    channel: str,
    rules: RuleBook,
    result: RunResult,
    not_eligible: Iterable[str] = (),
) -> Sandbox | None:
    """The batch's sandbox, after recording its answers to INs left pending (S) earlier.

    Done before planning, so the plan sees those periods as the NSSO now holds them; the
    answers go on this run's receipts. The web channel has no sandbox (None).
    """
    if channel == WEB:
        return None
    sandbox = Sandbox(book, rules, not_eligible)
    result.answers = sandbox.resolve_pending(as_of)
    book.record_answers(result.answers)
    result.declarations = list(result.answers)
    return sandbox


def _file(
    book: Ledger,
    sandbox: Sandbox | None,
    operations: Sequence[Operation],
    as_of: dt.datetime,
    rules: RuleBook,
    result: RunResult,
) -> list[Declaration | WorksheetItem]:
    """File through the sandbox and record the answers, or queue on the web worksheet.

    Returns, in the order of `operations`, each one's declaration or worksheet row.
    """
    if sandbox is None:
        result.queued = WebForm(book, rules).queue(operations, as_of)
        return list(result.queued)
    filed = sandbox.file(operations, as_of)
    book.record(filed)
    result.declarations = [*result.answers, *filed]
    return list(filed)


def _render_filing(
    result: RunResult, out: Path, lang: str, as_of: dt.datetime, channel: str
) -> None:
    note = f"{as_of:%d/%m/%Y %H:%M}"
    if result.dry_run:
        return
    if channel == WEB:
        result.outputs += write_worksheet(result.worksheet_open, out, lang, note)
    else:
        result.outputs += render.write_receipts(result.declarations, out, lang, note)


def import_worksheet(
    path: Path | str,
    ledger: Path | str | None = None,
    out: Path | str = "reports",
    as_of: dt.datetime | None = None,
    lang: str = "nl",
    stage: Stage | None = None,
) -> RunResult:
    """Record what the clerk typed in the web form: period numbers, statuses, times."""
    say = stage or (lambda _: None)
    as_of = _checked(as_of, WEB)
    (file,) = check_inputs([path])
    book_path = ledger_path(ledger)
    if not book_path.exists():
        raise InputError(f"ledger {book_path} not found")
    out = Path(out)
    result = RunResult(command="import")
    with Ledger(book_path) as book:
        say("read")
        try:
            filled = read_filled(file, book, as_of)
        except ValueError as error:
            raise InputError(str(error)) from error
        result.problems = filled.problems
        say("record")
        with book.batch("import", as_of, [str(file)], WEB):
            result.declarations = record_typed(book, filled.rows)
        result.worksheet_open = book.items()
    say("render")
    note = f"{as_of:%d/%m/%Y %H:%M}"
    result.outputs += render.write_receipts(result.declarations, out, lang, note)
    result.outputs += render.write_validation(result.problems, out, lang)
    return result


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
    hours: str | None = None,
) -> RunResult:
    """Hold actual hours against the declared periods; file the corrections still allowed.

    `hours` ("decimal" or "clock") says how the client writes `9.5`; None: an error.
    """
    say = stage or (lambda _: None)
    as_of = _checked(as_of, channel)
    files = check_inputs(paths)
    out = Path(out)
    rules = rules or RuleBook()

    say("read")
    reading = read_actuals(files, hours=hours)
    result = RunResult(problems=reading.problems, dry_run=dry_run, command="reconcile")
    if not reading.sheets:
        result.unusable = True
        result.outputs = render.write_validation(result.problems, out, lang)
        return result
    path = ledger_path(ledger)
    if not path.exists():
        raise InputError(f"ledger {path} not found: declare the roster first")
    with Ledger(path) as book:
        if dry_run:
            say("plan")
            lines = reconcile_lines(
                reading.actuals, _window_periods(book, reading.actuals), as_of, rules, tolerance
            )
        else:
            with book.batch("reconcile", as_of, [str(f) for f in files], channel):
                sandbox = _resolve(book, as_of, channel, rules, result)
                say("plan")
                periods = _window_periods(book, reading.actuals)
                lines = reconcile_lines(reading.actuals, periods, as_of, rules, tolerance)
                operations = filing_order(line.operation for line in lines if line.operation)
                say("file")
                answers = _file(book, sandbox, operations, as_of, rules, result)
                by_operation = dict(zip(map(id, operations), answers, strict=True))
                lines = [_filed(line, by_operation.get(id(line.operation))) for line in lines]
                book.record_actuals(
                    (c.period_id, c.actual_start, c.actual_end)
                    for c in (line.correction for line in lines)
                    if c.period_id and c.actual_start
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
            *_refusals(result.plan.operations, result.filed),
        ],
        key=lambda p: (p.file, p.sheet, p.row or 0, p.cell),
    )
    say("render")
    note = f"{as_of:%d/%m/%Y %H:%M}"
    result.outputs += render.write_corrections(result.corrections, out, lang, note)
    _render_filing(result, out, lang, as_of, channel)
    result.outputs += render.write_validation(result.problems, out, lang)
    return result


def filing_order(operations: Iterable[Operation]) -> list[Operation]:
    """Cancels free the slots that updates and INs may take; then what starts first."""
    rank = {Kind.CANCEL: 0, Kind.UPDATE: 1, Kind.IN: 2}
    return sorted(operations, key=lambda op: (rank[op.kind], op.start))


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
    days = window(actuals)
    if not days:
        return []
    first = min(min(d) for d in days.values())
    last = max(max(d) for d in days.values())
    return book.periods(days.keys(), first, last)


def _periods(book: Ledger, shifts: Sequence[Shift]) -> list[Period]:
    """The live periods of the employer-weeks the roster speaks for."""
    weeks = covered(shifts)
    days = day_range(weeks)
    if days is None:
        return []
    return book.periods(weeks.keys(), days[0], days[1])


def _refusals(
    operations: Sequence[Operation], declarations: Sequence[Declaration]
) -> list[Problem]:
    """A refused declaration is a problem of the row it came from."""
    if not declarations:  # a dry run, or queued on the web worksheet
        return []
    found = []
    for op, d in zip(operations, declarations, strict=True):
        if d.result is not Result.REFUSED:
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
