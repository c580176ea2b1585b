"""The office's daily questions answered from the ledger: which periods, what happened, what is due.

Library functions over a ledger file that return plain dataclasses, so the command line (and
any later front end) only shows them: `periods`, `history`, `due`, and `handled`, which
records that a person dealt with an item (also read back from the Handled column of
corrections.xlsx by `import_handled`). Only `handled` and `import_handled` write the ledger,
each in one batch of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .anomalies import translate
from .ledger import Ledger, LedgerError, lookups
from .ledger.lookups import moment
from .model import BRUSSELS, Finding, Kind, PeriodStatus, Problem, Result, Severity, plain_name, utc
from .options import PERIOD_STATUSES
from .render.labels import finding_label, label, status_label
from .render.listing import Column, Listing, word
from .settings import DEFAULT_LEDGER, LEDGER_ENV

STATUSES = PERIOD_STATUSES
_LEDGER_STATUS = {
    "active": "active",
    "cancelled": "cancelled",
    "pending": "pending",
    "to-type": "to type",
    "refused": "cancelled",  # a period whose IN was refused after an S; and refused INs
}
_SOURCE = re.compile(r"^(?P<file>.*?) \[(?P<sheet>.*)\] row (?P<row>\d+)$")
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.\-/–]")


class OfficeError(ValueError):
    """A question the ledger cannot answer as asked: no such ledger, period or week."""


def ledger_path(path: Path | str | None) -> Path:
    import os

    return Path(path or os.environ.get(LEDGER_ENV) or DEFAULT_LEDGER)


def _open(path: Path | str | None) -> Ledger:
    """The ledger at `path` (or the default); a missing file is an error, never created."""
    found = ledger_path(path)
    if not found.exists():
        raise OfficeError(f"ledger {found} not found")
    return Ledger(found)


# --- periods ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodLine:
    """One period as the office sees it; a refused IN has no period number."""

    period_number: str
    enterprise_number: str
    employer: str
    insz: str
    last_name: str
    first_name: str
    declared_start: dt.datetime | None
    declared_end: dt.datetime | None
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    status: str
    """active, cancelled, pending, to-type or refused."""
    last_result: Result | None
    anomalies: tuple[str, ...] = ()


PERIOD_COLUMNS = (
    Column("period_number"),
    Column("enterprise_number"),
    Column("employer"),
    Column("insz"),
    Column("last_name"),
    Column("first_name"),
    Column("declared_start", "datetime"),
    Column("declared_end", "datetime"),
    Column("actual_start", "datetime"),
    Column("actual_end", "datetime"),
    Column("status"),
    Column("last_result"),
    Column("anomalies"),
)


def week_days(week: str) -> tuple[dt.date, dt.date]:
    """`2026-W27` → Monday 29/06/2026 to Sunday 05/07/2026."""
    match = _WEEK.match(week)
    if not match:
        raise OfficeError(f"--week {week!r}: expected an ISO week such as 2026-W27")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise OfficeError(f"--week {week!r}: {match[1]} has no week {int(match[2])}") from None
    return monday, monday + dt.timedelta(days=6)


def _worker_filter(worker: str | None) -> tuple[str | None, list[str]]:
    """An INSZ (separators allowed) or the words of a name, as plain letters."""
    if not worker or not worker.strip():
        return None, []
    number = _SEPARATORS.sub("", worker)
    if number.isdigit():
        if len(number) != 11:
            raise OfficeError(f"--worker {worker!r}: an INSZ has 11 digits")
        return number, []
    words = [plain_name(w) for w in worker.split()]
    return None, [w for w in words if w]


def _enterprise(number: str | None) -> str | None:
    if number is None or not number.strip():
        return None
    plain = _SEPARATORS.sub("", number.strip())
    plain = re.sub(r"^BE:?", "", plain, flags=re.IGNORECASE)
    if not plain.isdigit() or len(plain) not in (9, 10):
        raise OfficeError(f"--employer {number!r}: an enterprise number has 10 digits")
    return plain.zfill(10)


def _named(last_name: str, first_name: str, words: Sequence[str]) -> bool:
    name = plain_name(last_name) + " " + plain_name(first_name)
    return all(w in name for w in words)


def _anomalies(text: str | None) -> tuple[str, ...]:
    return tuple(a for a in (text or "").split("; ") if a)


def periods(
    ledger: Path | str | None,
    employer: str | None = None,
    worker: str | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    week: str | None = None,
    status: str | None = None,
) -> list[PeriodLine]:
    """The periods asked for, by start; refused INs (no period number) among them."""
    if status is not None and status not in STATUSES:
        raise OfficeError(f"--status {status!r}: choose one of {', '.join(STATUSES)}")
    if week is not None:
        monday, sunday = week_days(week)
        day_from = max(day_from, monday) if day_from else monday
        day_to = min(day_to, sunday) if day_to else sunday
    enterprise = _enterprise(employer)
    insz, words = _worker_filter(worker)
    lines: list[PeriodLine] = []
    with _open(ledger) as book:
        db = book.connection
        statuses = [_LEDGER_STATUS[status]] if status else None
        for row in lookups.periods(db, enterprise, insz, day_from, day_to, statuses):
            if words and not _named(row["last_name"], row["first_name"], words):
                continue
            line = _period_line(row)
            if status is None or line.status == status:
                lines.append(line)
        if status in (None, "refused"):
            for row in lookups.refused_ins(db, enterprise, insz, day_from, day_to):
                line = _refused_line(row)
                if not words or _named(line.last_name, line.first_name, words):
                    lines.append(line)
    return sorted(lines, key=_period_order)


def _period_order(line: PeriodLine) -> tuple:
    start = (
        utc(line.declared_start) if line.declared_start else dt.datetime.max.replace(tzinfo=dt.UTC)
    )
    return (start, line.enterprise_number, line.last_name, line.first_name, line.period_number)


def _period_line(row: sqlite3.Row) -> PeriodLine:
    status = row["status"]
    result = Result(row["last_result"]) if row["last_result"] else None
    if (
        status == PeriodStatus.CANCELLED
        and row["last_kind"] == Kind.IN
        and result is Result.REFUSED
    ):
        shown = "refused"  # answered S, then refused: the NSSO holds no period
    elif status == PeriodStatus.TO_TYPE:
        shown = "to-type"
    else:
        shown = status
    return PeriodLine(
        period_number=row["period_id"],
        enterprise_number=row["enterprise_number"],
        employer=row["employer_name"],
        insz=row["insz"],
        last_name=row["last_name"],
        first_name=row["first_name"],
        declared_start=moment(row["declared_start"]),
        declared_end=moment(row["declared_end"]),
        actual_start=moment(row["actual_start"]),
        actual_end=moment(row["actual_end"]),
        status=shown,
        last_result=result,
        anomalies=_anomalies(row["last_anomalies"]),
    )


def _details(row: sqlite3.Row) -> dict:
    """What a logged declaration keeps beyond its columns (names); empty for schema 1."""
    return json.loads(row["details"]) if row["details"] else {}


def _refused_line(row: sqlite3.Row) -> PeriodLine:
    details = _details(row)
    return PeriodLine(
        period_number="",
        enterprise_number=row["enterprise_number"],
        employer=details.get("employer_name", ""),
        insz=row["insz"],
        last_name=details.get("last_name", ""),
        first_name=details.get("first_name", ""),
        declared_start=moment(row["start"]),
        declared_end=moment(row["end"]),
        actual_start=None,
        actual_end=None,
        status="refused",
        last_result=Result.REFUSED,
        anomalies=tuple(details.get("anomalies") or _anomalies(row["anomalies"])),
    )


def status_word(status: str, lang: str) -> str:
    return word("period_" + status.replace("-", "_"), lang)


def period_listing(lines: Sequence[PeriodLine], lang: str) -> Listing:
    """The periods as a listing: the issue's columns, words in `lang`."""
    rows = [
        (
            p.period_number,
            p.enterprise_number,
            p.employer,
            p.insz,
            p.last_name,
            p.first_name,
            p.declared_start,
            p.declared_end,
            p.actual_start,
            p.actual_end,
            status_word(p.status, lang),
            status_label(p.last_result, lang) if p.last_result else "",
            "; ".join(translate(a, lang) for a in p.anomalies),
        )
        for p in lines
    ]
    return Listing(PERIOD_COLUMNS, rows, sheet="periods_sheet")


# --- history ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One declaration of a period (or a worksheet row still to type), as last answered."""

    kind: Kind
    declaration_number: str
    start: dt.datetime | None
    end: dt.datetime | None
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    result: Result | None
    """None: still to type in the web form."""
    anomalies: tuple[str, ...]
    channel: str
    batch: int | None
    source_file: str
    sheet: str
    row: int | None


@dataclass(frozen=True, slots=True)
class Note:
    """A person's note that they handled what `due` listed for a period."""

    period_number: str
    note: str
    noted_at: dt.datetime
    source: str = ""
    """Where the note came from: a cell of corrections.xlsx, or empty (`handled`)."""


@dataclass(frozen=True, slots=True)
class History:
    period: PeriodLine
    declarations: list[HistoryLine]
    notes: list[Note] = field(default_factory=list)

    @property
    def actual_start(self) -> dt.datetime | None:
        return self.period.actual_start

    @property
    def actual_end(self) -> dt.datetime | None:
        return self.period.actual_end


HISTORY_COLUMNS = (
    Column("type"),
    Column("declaration_number"),
    Column("start", "datetime"),
    Column("end", "datetime"),
    Column("sent_at", "datetime"),
    Column("answered_at", "datetime"),
    Column("result"),
    Column("anomalies"),
    Column("channel"),
    Column("batch", "integer"),
    Column("source_file"),
    Column("sheet"),
    Column("row", "integer"),
    Column("note"),
)


def _source(text: str) -> tuple[str, str, int | None]:
    """`roster.xlsx [Week 27] row 7` → file, sheet, row (the ledger keeps no column)."""
    match = _SOURCE.match(text or "")
    if not match:
        return text or "", "", None
    return match["file"], match["sheet"], int(match["row"])


def history(ledger: Path | str | None, period_id: str) -> History:
    """Every declaration of a period in filing order, its actual hours and the notes on it."""
    wanted = period_id.strip()
    with _open(ledger) as book:
        db = book.connection
        row = next(iter(lookups.periods(db, period_id=wanted)), None)
        if row is None:
            raise OfficeError(f"no period {wanted} in the ledger {book.path}")
        declarations = lookups.declarations_of(db, wanted)
        answers: dict[str, sqlite3.Row] = {}
        for answer in lookups.answers_of(db, [d["declaration_id"] for d in declarations]):
            answers[answer["declaration_id"]] = answer  # the latest answer wins
        lines = [_history_line(d, answers.get(d["declaration_id"])) for d in declarations]
        lines += [
            _worksheet_line(w) for w in lookups.worksheet_of(db, wanted) if w["state"] == "to type"
        ]
        notes = [
            Note(wanted, n["note"], moment(n["noted_at"]), n["source"])  # type: ignore[arg-type]
            for n in lookups.notes_of(db, wanted)
        ]
        return History(_period_line(row), lines, notes)


def _history_line(row: sqlite3.Row, answer: sqlite3.Row | None) -> HistoryLine:
    result = Result(row["result"])
    anomalies = tuple(_details(row).get("anomalies") or _anomalies(row["anomalies"]))
    answered_at = None if result is Result.PENDING else moment(row["sent_at"])
    if answer is not None:
        result = Result(answer["result"])
        anomalies = _anomalies(answer["anomalies"])
        answered_at = moment(answer["answered_at"])
    file, sheet, number = _source(row["source"])
    return HistoryLine(
        kind=Kind(row["kind"]),
        declaration_number=row["declaration_id"],
        start=moment(row["start"]),
        end=moment(row["end"]),
        sent_at=moment(row["sent_at"]),
        answered_at=answered_at,
        result=result,
        anomalies=anomalies,
        channel=row["channel"],
        batch=row["batch_id"],
        source_file=file,
        sheet=sheet,
        row=number,
    )


def _worksheet_line(row: sqlite3.Row) -> HistoryLine:
    file, sheet, number = _source(row["source"])
    return HistoryLine(
        kind=Kind(row["kind"]),
        declaration_number="",
        start=moment(row["start"]),
        end=moment(row["end"]),
        sent_at=None,
        answered_at=None,
        result=None,
        anomalies=(),
        channel="web",
        batch=row["batch_id"],
        source_file=file,
        sheet=sheet,
        row=number,
    )


def history_listing(found: History, lang: str) -> Listing:
    """The declarations, then the actual hours, then the notes, one row each."""
    from .render.labels import channel_label

    blank = (None,) * 6
    rows: list[tuple] = [
        (
            str(h.kind),
            h.declaration_number,
            h.start,
            h.end,
            h.sent_at,
            h.answered_at,
            status_label(h.result, lang) if h.result else status_word("to-type", lang),
            "; ".join(translate(a, lang) for a in h.anomalies),
            channel_label(h.channel, lang),
            h.batch,
            h.source_file,
            h.sheet,
            h.row,
            "",
        )
        for h in found.declarations
    ]
    if found.actual_start or found.actual_end:
        rows.append(
            (
                word("actual_hours", lang),
                "",
                found.actual_start,
                found.actual_end,
                *blank,
                "",
                "",
                None,
                "",
            )
        )
    for n in found.notes:
        rows.append(
            (
                word("handled", lang),
                "",
                None,
                None,
                n.noted_at,
                *blank[:5],
                n.source,
                "",
                None,
                n.note,
            )
        )
    return Listing(HISTORY_COLUMNS, rows, sheet="history_sheet")


# --- due -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueItem:
    """Something a person must do, by its deadline (None: no deadline, but still to do)."""

    what: str
    """to_type, pending, not_eligible, manual or in_flight."""
    deadline: dt.datetime | None
    overdue: bool
    period_number: str
    enterprise_number: str
    employer: str
    insz: str
    last_name: str
    first_name: str
    start: dt.datetime | None
    detail: str = ""
    """The declaration to type (IN, UPDATE, CANCEL), the findings, or the anomalies."""


@dataclass(frozen=True, slots=True)
class Due:
    as_of: dt.datetime
    items: list[DueItem]

    @property
    def overdue(self) -> list[DueItem]:
        return [i for i in self.items if i.overdue]


DUE_COLUMNS = (
    Column("deadline", "datetime"),
    Column("overdue"),
    Column("what"),
    Column("period_number"),
    Column("enterprise_number"),
    Column("employer"),
    Column("insz"),
    Column("last_name"),
    Column("first_name"),
    Column("start", "datetime"),
    Column("note"),
)


def due(ledger: Path | str | None, as_of: dt.datetime, within_hours: float | None = None) -> Due:
    """What needs a person, earliest deadline first; overdue when the deadline has passed.

    With `within_hours`, only what is due before as_of + that many hours (overdue included);
    items without a deadline are then left out. Items a note has handled are left out.
    """
    if as_of.tzinfo is None:
        raise OfficeError("as_of must be timezone-aware (Europe/Brussels)")
    items: list[DueItem] = []
    with _open(ledger) as book:
        db = book.connection
        items += [_to_type(r, as_of) for r in lookups.to_type(db)]
        items += [_pending(r) for r in lookups.pending(db)]
        items += in_flight(db)
        items += _not_eligible(db, as_of)
        items += [_manual(r, as_of) for r in lookups.open_manual_items(db)]
    if within_hours is not None:
        horizon = utc(as_of) + dt.timedelta(hours=within_hours)
        items = [i for i in items if i.deadline is not None and utc(i.deadline) < horizon]
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    items.sort(key=lambda i: (utc(i.deadline) if i.deadline else never, i.period_number))
    return Due(as_of, items)


def _late(deadline: dt.datetime | None, as_of: dt.datetime) -> bool:
    """Past its deadline: at the deadline minute it is already late (rules.is_late)."""
    return deadline is not None and utc(as_of) >= utc(deadline)


def _to_type(row: sqlite3.Row, as_of: dt.datetime) -> DueItem:
    deadline = moment(row["deadline"])
    return DueItem(
        what="to_type",
        deadline=deadline,
        overdue=_late(deadline, as_of),
        period_number=row["period_id"] or row["key"],
        enterprise_number=row["enterprise_number"],
        employer=row["employer_name"] or "",
        insz=row["insz"],
        last_name=row["last_name"] or "",
        first_name=row["first_name"] or "",
        start=moment(row["start"]),
        detail=row["kind"],
    )


def _pending(row: sqlite3.Row) -> DueItem:
    return DueItem(
        what="pending",
        deadline=None,
        overdue=False,
        period_number=row["period_id"],
        enterprise_number=row["enterprise_number"],
        employer=row["employer_name"],
        insz=row["insz"],
        last_name=row["last_name"],
        first_name=row["first_name"],
        start=moment(row["declared_start"]),
        detail=row["declaration_id"],
    )


def in_flight(db: sqlite3.Connection) -> list[DueItem]:
    """Declarations of the outbox still to send or without an answer: `sync` goes on."""
    return [
        DueItem(
            what="in_flight",
            deadline=None,
            overdue=False,
            period_number=row["period_id"] or "",
            enterprise_number=row["enterprise_number"],
            employer=row["employer_name"],
            insz=row["insz"],
            last_name=row["last_name"],
            first_name=row["first_name"],
            start=moment(row["start"]),
            detail=f"{row['kind']} {row['state']}",
        )
        for row in lookups.in_flight(db)
    ]


def _not_eligible(db: sqlite3.Connection, as_of: dt.datetime) -> list[DueItem]:
    """90017-510: the worker may not work as flexi; cancel before the shift starts."""
    yesterday = as_of.astimezone(BRUSSELS).date() - dt.timedelta(days=1)
    found = []
    for row in lookups.not_eligible(db, yesterday):
        start = moment(row["declared_start"])
        if start is None or utc(start) <= utc(as_of):
            continue  # started: too late to cancel, the shift is worked
        found.append(
            DueItem(
                what="not_eligible",
                deadline=start,
                overdue=False,
                period_number=row["period_id"],
                enterprise_number=row["enterprise_number"],
                employer=row["employer_name"],
                insz=row["insz"],
                last_name=row["last_name"],
                first_name=row["first_name"],
                start=start,
                detail=lookups.NOT_ELIGIBLE,
            )
        )
    return found


def _manual(row: sqlite3.Row, as_of: dt.datetime) -> DueItem:
    deadline = moment(row["deadline"])
    return DueItem(
        what="manual",
        deadline=deadline,
        overdue=_late(deadline, as_of),
        period_number=row["period_id"] or "",
        enterprise_number=row["enterprise_number"],
        employer=row["employer_name"],
        insz=row["insz"],
        last_name=row["last_name"],
        first_name=row["first_name"],
        start=moment(row["start"]),
        detail=row["findings"],
    )


def _detail(item: DueItem, lang: str) -> str:
    if item.what == "to_type":
        return label(f"ws_{item.detail.lower()}", lang)
    if item.what == "manual":
        return "; ".join(finding_label(Finding(f), lang) for f in item.detail.split("; ") if f)
    return item.detail


def due_listing(found: Due, lang: str) -> Listing:
    rows = [
        (
            i.deadline,
            word("yes", lang) if i.overdue else "",
            word(f"due_{i.what}", lang),
            i.period_number,
            i.enterprise_number,
            i.employer,
            i.insz,
            i.last_name,
            i.first_name,
            i.start,
            _detail(i, lang),
        )
        for i in found.items
    ]
    return Listing(DUE_COLUMNS, rows, sheet="due_sheet")


# --- handled ---------------------------------------------------------------------------


def handled(
    ledger: Path | str | None, period_id: str, note: str = "", as_of: dt.datetime | None = None
) -> Note:
    """Record that a person dealt with what `due` lists for the period; `due` then leaves it out."""
    wanted = period_id.strip()
    noted_at = as_of or dt.datetime.now(BRUSSELS).replace(second=0, microsecond=0)
    if noted_at.tzinfo is None:
        raise OfficeError("as_of must be timezone-aware (Europe/Brussels)")
    with _open(ledger) as book:
        if not lookups.known(book.connection, wanted):
            raise OfficeError(f"no period {wanted} in the ledger {book.path}")
        with book.batch("handled", noted_at, [wanted], ""):
            book.add_note(wanted, note.strip(), noted_at)
    return Note(wanted, note.strip(), noted_at)


@dataclass(frozen=True, slots=True)
class HandledImport:
    """What `import` read from the Handled column of a corrections workbook."""

    file: str
    notes: list[Note]
    already: int
    """Notes the ledger held already (the same file imported again)."""
    problems: list[Problem]


def corrections_sheet(path: Path) -> str | None:
    """The name of the corrections sheet if `path` is a corrections workbook, else None."""
    from python_calamine import CalamineError, CalamineWorkbook

    names = {label("corrections_sheet", lang) for lang in ("nl", "fr", "en")}
    try:
        sheets = CalamineWorkbook.from_path(str(path)).sheet_names
    except (CalamineError, OSError, ValueError):
        return None
    return next((s for s in sheets if s in names), None)


def import_handled(
    path: Path | str, ledger: Path | str | None, as_of: dt.datetime
) -> HandledImport:
    """Each filled-in Handled cell of corrections.xlsx becomes a note on that row's period."""
    from python_calamine import CalamineError, CalamineWorkbook

    from .read.headers import normalize_header
    from .read.values import column_letter
    from .read.xlsx import Refused, inspect

    file = Path(path)
    try:
        inspect(file)
        book = CalamineWorkbook.from_path(str(file))
        sheet = corrections_sheet(file) or book.sheet_names[0]
        cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Refused as refused:
        raise OfficeError(str(refused.problem)) from None
    except (CalamineError, OSError, ValueError, IndexError) as error:
        raise OfficeError(f"{file.name}: cannot be read ({error})") from error
    header = [normalize_header(v) for v in (cells[0] if cells else [])]

    def find(key: str) -> int | None:
        names = {normalize_header(word(key, lang)) for lang in ("nl", "fr", "en")}
        return next((i for i, h in enumerate(header) if h in names), None)

    number_col, note_col = find("period_number"), find("handled")
    if number_col is None or note_col is None:
        missing = "Periodenummer" if number_col is None else "Behandeld / Traité / Handled"
        raise OfficeError(f"{file.name} [{sheet}]: no column {missing} in row 1")
    notes: list[Note] = []
    problems: list[Problem] = []
    already = 0
    with _open(ledger) as ledger_book:
        db = ledger_book.connection
        wanted: list[tuple[str, str, str]] = []
        for number, values in enumerate(cells[1:], start=2):
            note = _note_text(values[note_col] if note_col < len(values) else "")
            if not note:
                continue
            cell = f"{column_letter(note_col)}{number}"
            period = _note_text(values[number_col] if number_col < len(values) else "")
            if not period or not lookups.known(db, period):
                message = (
                    f"no period number on row {number}: note not recorded"
                    if not period
                    else f"no period {period} in the ledger: note not recorded"
                )
                problems.append(
                    Problem(
                        file.name,
                        sheet,
                        number,
                        str(cells[0][note_col]),
                        cell,
                        note,
                        message,
                        Severity.WARNING,
                    )
                )
                continue
            if lookups.has_note(db, period, note):
                already += 1
                continue
            wanted.append((period, note, f"{file.name} [{sheet}] {cell}"))
        if wanted:
            with ledger_book.batch("import", as_of, [str(file)], ""):
                for period, note, source in wanted:
                    ledger_book.add_note(period, note, as_of, source)
                    notes.append(Note(period, note, as_of, source))
    return HandledImport(file.name, notes, already, problems)


def _note_text(value: object) -> str:
    """A filled-in cell as text: a date as 30/06/2026, a moment with its time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else f"{value:%d/%m/%Y}"
        )
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


__all__ = [
    "Due",
    "DueItem",
    "HandledImport",
    "History",
    "HistoryLine",
    "LedgerError",
    "Note",
    "OfficeError",
    "PeriodLine",
    "due",
    "handled",
    "history",
    "import_handled",
    "periods",
]
