"""The unsecured Dimona web form as a channel: a worksheet to type, then an import.

Offices without a web-service account type every declaration by hand (domain.md §6). This
channel files nothing: it puts each operation on a worksheet row with a stable key, and
`import_rows` records what the clerk typed back (period number, status, sent at) exactly as
the sandbox's answers are recorded. Until imported, an IN is a period "to type" whose id is
its worksheet key, so planning again neither loses nor repeats it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from .. import timeparse
from ..identifiers import digits
from ..ledger import Ledger
from ..messages import problem
from ..model import (
    Declaration,
    Kind,
    Operation,
    PeriodStatus,
    Problem,
    Result,
    Severity,
    Shift,
    WorksheetItem,
)
from ..read.headers import normalize_header
from ..read.values import column_letter, display
from ..read.xlsx import Refused, inspect
from ..rules import RuleBook, Times, is_late
from .payloads import payload

NAME = "web"
PERIOD_DIGITS = 12

# What the clerk may type in the Status column: the web form's words in nl/fr/en, or a code.
_STATUS_WORDS = {
    # not `OK`: it does not say whether the form answered with a warning (A or W)
    Result.ACCEPTED: ("A", "Aanvaard", "Acceptée", "Accepté", "Accepted"),
    Result.WARNING: (
        "W",
        "Aanvaard (waarschuwing)",
        "Aanvaard met waarschuwing",
        "Acceptée avec avertissement",
        "Accepté avec avertissement",
        "Accepted with warning",
        "Warning",
    ),
    Result.REFUSED: ("B", "Geweigerd", "Refusée", "Refusé", "Refused", "Rejected"),
    Result.PENDING: ("S", "In behandeling", "En attente", "En traitement", "Pending"),
}
STATUSES = {
    normalize_header(word): result for result, words in _STATUS_WORDS.items() for word in words
}


def read_status(text: str) -> Result | None:
    """The result a typed status stands for; None when it is not a known wording."""
    return STATUSES.get(normalize_header(text))


class WebForm:
    """Queues operations on the worksheet instead of filing them."""

    name = NAME

    def __init__(self, ledger: Ledger, rules: RuleBook | None = None):
        self.ledger = ledger
        self.rules = rules or RuleBook()

    def queue(self, operations: Sequence[Operation], as_of: dt.datetime) -> list[WorksheetItem]:
        """Worksheet rows for the operations; changes to untyped INs are made in place."""
        book = self.ledger
        open_items = {i.period_id: i for i in book.items() if i.period_id}
        number = book.next_key()
        queued: list[WorksheetItem] = []
        for op in operations:
            period = op.period
            untyped = period is not None and period.status is PeriodStatus.TO_TYPE
            if untyped and op.kind is Kind.UPDATE:
                book.retime_item(period.period_id, op.start, op.end, op.start)
                continue
            if untyped and op.kind is Kind.CANCEL:
                book.set_item_state(period.period_id, "void")
                book.drop_untyped_period(period.period_id)
                continue
            if period is not None and period.period_id in open_items:
                waiting = open_items[period.period_id]
                if (waiting.kind, waiting.start, waiting.end) == (op.kind, op.start, op.end):
                    continue  # already on the worksheet
                book.set_item_state(waiting.key, "void")
            key = f"W{number:06d}"
            number += 1
            item = WorksheetItem(
                key=key,
                kind=op.kind,
                employer=op.employer,
                worker=op.worker,
                start=op.start,
                end=op.end,
                deadline=self._deadline(op),
                period_id=key if op.kind is Kind.IN else period.period_id,  # type: ignore
                references=op.shift.references if op.shift else period.references,  # type: ignore
                source=str(op.shift.source) if op.shift and op.shift.source else "",
                previous_start=period.declared_start if period else None,
                previous_end=period.declared_end if period else None,
            )
            book.add_item(item)
            queued.append(item)
        return queued

    def _deadline(self, op: Operation) -> dt.datetime:
        if op.kind is Kind.IN:
            return op.start
        declared = Times(op.period.declared_start, op.period.declared_end)  # type: ignore
        if op.kind is Kind.CANCEL:
            return self.rules.cancel_deadline(declared)
        return self.rules.change_deadline(declared, op.start, op.end)


@dataclass(frozen=True)
class Typed:
    """What the clerk typed on one worksheet row."""

    key: str
    period_id: str
    result: Result
    sent_at: dt.datetime


def declaration(item: WorksheetItem, typed: Typed) -> Declaration:
    """The typed row as a declaration, recorded like any channel's answer."""
    period_id = typed.period_id or item.period_id
    if item.kind is Kind.IN and typed.result is Result.REFUSED:
        period_id = None
    return Declaration(
        declaration_id=item.key,
        kind=item.kind,
        result=typed.result,
        period_id=period_id,
        sent_at=typed.sent_at,
        start=item.start,
        end=item.end,
        employer=item.employer,
        worker=item.worker,
        references=item.references,
        payload=_payload(item, period_id),
        channel=NAME,
        late=is_late(typed.sent_at, item.deadline),
        source=item.source,
    )


def _payload(item: WorksheetItem, period_id: str | None) -> dict:
    """The REST v2 body the typed form stands for, kept for the audit trail."""
    shift = Shift(item.employer, item.worker, item.start, item.end, item.references)
    if item.kind is Kind.IN:
        return payload(Operation(Kind.IN, shift))
    if period_id is None:
        return {}
    return payload(Operation(item.kind, shift), period_id)


def record(ledger: Ledger, rows: Sequence[tuple[WorksheetItem, Typed]]) -> list[Declaration]:
    """Record typed rows in the ledger (inside a batch); returns their declarations."""
    declarations = []
    for item, typed in rows:
        d = declaration(item, typed)
        if item.kind is Kind.IN:
            if typed.result is Result.REFUSED:
                ledger.drop_untyped_period(item.key)
            else:
                pending = typed.result is Result.PENDING
                status = PeriodStatus.PENDING if pending else PeriodStatus.ACTIVE
                ledger.confirm_period(item.key, typed.period_id, status)
        else:
            ledger.apply([d])
        ledger.log([d])
        ledger.set_item_state(item.key, "imported")
        declarations.append(d)
    return declarations


# --- reading a filled worksheet back ---------------------------------------------------


@dataclass
class Filled:
    """The rows a clerk filled in, and what was wrong with the others."""

    rows: list[tuple[WorksheetItem, Typed]]
    problems: list[Problem]
    untouched: int = 0


def _headers() -> dict[str, str]:
    """Header text in any language → column key."""
    from ..render.labels import LANGUAGES, label

    wanted = ("ws_key", "period_number", "status", "sent_at")
    return {normalize_header(label(k, lang)): k for k in wanted for lang in LANGUAGES}


def read_filled(path: Path, ledger: Ledger, as_of: dt.datetime) -> Filled:
    """Check each filled row against the ledger; nothing is recorded here."""
    name = path.name
    try:
        inspect(path)  # the same guards as rosters: no zip bomb, entity or huge sheet
    except Refused as refused:
        raise ValueError(str(refused.problem)) from None
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet_name = book.sheet_names[0]
        cells = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError, OverflowError) as error:
        raise ValueError(f"{name}: cannot be read as a worksheet ({error})") from error
    except BaseException as error:  # the reader panics on a date or time out of range
        if type(error).__name__ != "PanicException":
            raise
        raise ValueError(f"{name}: cannot be read as a worksheet ({error})") from None
    lookup = _headers()
    header = cells[0] if cells else []
    columns = {
        lookup[normalize_header(v)]: i
        for i, v in enumerate(header)
        if normalize_header(v) in lookup
    }
    missing = [k for k in ("ws_key", "period_number", "status") if k not in columns]
    if missing:
        raise ValueError(
            f"{name} [{sheet_name}]: not a worksheet of dimona-batch "
            f"(no column {', '.join(missing)} in row 1)"
        )

    items = {i.key: i for i in ledger.items()}
    imported = {i.key for i in ledger.items("imported")}
    problems: list[Problem] = []
    rows: list[tuple[WorksheetItem, Typed]] = []
    seen_periods: dict[str, str] = {}
    recorded: dict[str, object] = {}
    untouched = 0

    def cell(col: str, row: int) -> str:
        return f"{column_letter(columns[col])}{row}"

    def report(code: str, col: str, row: int, value: object, **params: object) -> None:
        problems.append(
            problem(
                code,
                file=name,
                sheet=sheet_name,
                row=row,
                column=str(header[columns[col]]),
                cell=cell(col, row),
                value=value,
                **params,
            )
        )

    for number, values in enumerate(cells[1:], start=2):

        def get(col: str, values=values) -> object:
            index = columns.get(col)
            return values[index] if index is not None and index < len(values) else ""

        key = str(get("ws_key")).strip()
        period_text = display(get("period_number")).strip()
        status_text = display(get("status")).strip()
        sent = get("sent_at")
        if not key and not period_text and not status_text:
            continue
        if not period_text and not status_text:
            untouched += 1
            continue  # left empty: stays to type, comes back on the next worksheet
        if key in imported:
            # the same file imported again is silent; a row that now says otherwise is not
            recorded = recorded or {r["declaration_id"]: r for r in ledger.declarations()}
            if not _same_as_recorded(recorded.get(key), status_text, period_text):
                report("already_imported", "ws_key", number, key, severity=Severity.WARNING)
            continue
        item = items.get(key)
        if item is None:
            report("unknown_key", "ws_key", number, key)
            continue
        result = read_status(status_text)
        if result is None:
            report("bad_status", "status", number, status_text)
            continue
        period_id = digits(period_text)
        if item.kind is Kind.IN and result is not Result.REFUSED:
            if not period_text:
                report("period_missing", "period_number", number, period_text)
                continue
            if period_id != period_text.replace(" ", "").replace(".", "") or not (
                1 <= len(period_id) <= PERIOD_DIGITS
            ):
                report("bad_period", "period_number", number, period_text)
                continue
            if period_id in seen_periods or ledger.period_exists(period_id):
                report(
                    "period_used",
                    "period_number",
                    number,
                    period_text,
                    other=seen_periods.get(period_id, "ledger"),
                )
                continue
            seen_periods[period_id] = cell("period_number", number)
        elif item.kind is not Kind.IN:
            if period_text and period_id != item.period_id:
                report(
                    "period_mismatch", "period_number", number, period_text, period=item.period_id
                )
                continue
            period_id = item.period_id or ""
        sent_at = _sent_at(sent, as_of)
        if sent_at is None:
            report("bad_sent_at", "sent_at", number, display(sent))
            continue
        rows.append((item, Typed(key, period_id, result, sent_at)))
    return Filled(rows, problems, untouched)


def _same_as_recorded(row, status_text: str, period_text: str) -> bool:
    """The typed row says what the ledger recorded for it: status and period number."""
    if row is None:
        return False
    if read_status(status_text) is not Result(row["result"]):
        return False
    return not period_text or digits(period_text) == (row["period_id"] or "")


def _sent_at(value: object, as_of: dt.datetime) -> dt.datetime | None:
    """When the clerk sent the form, Brussels time; empty means as of now.

    The forms of a roster (`timeparse`): a date-time cell, an Excel serial, or a date and a
    clock time as text (`28/06/2026 13:02`, `28-06-26 13u02`, `2026-06-28T13:02`,
    `lundi 28/06/2026 13h02`). A date without a time, a time without a date, or a time the
    clock skipped (spring) is not a moment. In the autumn's repeated hour, the first is meant.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return as_of
    if isinstance(value, dt.datetime):
        day, clock = value, value.time()
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    elif isinstance(value, str):
        found = _DATE_TIME.match(value.strip())
        if found is None:
            return None
        day, clock = found.group("date"), found.group("time")
    else:
        day, clock = value, value  # an Excel serial: the date and its fraction
    days, bad_day = timeparse.parse_dates(pd.Series([day], dtype="object"))
    minutes, bad_time = timeparse.parse_minutes(pd.Series([clock], dtype="object"))
    if bad_day.iloc[0] or bad_time.iloc[0] or pd.isna(days.iloc[0]) or pd.isna(minutes.iloc[0]):
        return None
    naive = days + pd.to_timedelta(minutes.astype("float64"), unit="min")
    aware, skipped = timeparse.localize(naive)
    if skipped.iloc[0]:
        return None
    return timeparse.to_python(aware)[0]


# a date, then a clock time: `28/06/2026 13:02`, `2026-06-28T13:02:00`, `28/06/26 13u02`
_DATE_TIME = re.compile(
    r"^(?P<date>.*\d)[\sT]+(?P<time>\d{1,2}\s*[:uUhH.]\s*\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*[aApP]\.?\s*[mM]\.?)?)$"
)
