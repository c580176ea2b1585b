"""The records that flow between the stages: shifts, periods, declarations, problems.

Every record is frozen, so a stage can only hand on new records, never edit the ones it got;
every record read from a file keeps its source so a problem can point at the cell.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = dt.UTC


def utc(moment: datetime) -> datetime:
    """A moment in absolute time, to compare or subtract.

    Python compares two datetimes of the same tzinfo by their wall clock and ignores `fold`,
    which is wrong in the autumn hour that happens twice (domain.md §3).
    """
    return moment.astimezone(UTC)


def brussels(moment: datetime) -> datetime:
    """A moment as Brussels shows it (the `fold` set for the repeated autumn hour)."""
    return moment.astimezone(BRUSSELS)


JOINT_COMMITTEE = "XXX"
WORKER_TYPE = "FLX"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    """Said, not a problem: a sheet skipped because it is empty or clearly holds no roster."""


class Kind(StrEnum):
    """The declaration types of Dimona."""

    IN = "IN"
    UPDATE = "UPDATE"
    CANCEL = "CANCEL"


class Result(StrEnum):
    """NSSO result codes (domain.md §4)."""

    ACCEPTED = "A"
    WARNING = "W"
    REFUSED = "B"
    PENDING = "S"


class PeriodStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    CANCELLED = "cancelled"
    TO_TYPE = "to type"
    """On a web-form worksheet, not yet typed: its period id is the worksheet row key."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: the row Excel shows, 1-based."""

    file: str
    sheet: str
    row: int
    cell: str = ""
    """The cell that holds the shift's start (a whole shift, in a weekly grid)."""
    column: str = ""

    def __str__(self) -> str:
        where = f"{self.file} [{self.sheet}]" if self.sheet else self.file  # a CSV: no sheet
        return f"{where} row {self.row}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (error: the row is not used) or doubtful (warning: it is) in the input."""

    file: str
    sheet: str
    row: int | None
    column: str
    cell: str
    value: str
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = f"{self.file} [{self.sheet}]" if self.sheet else self.file
        if self.cell:
            where += f" {self.cell}"
        elif self.row:
            where += f" row {self.row}"
        col = f" ({self.column})" if self.column else ""
        return f"{where}{col}: {self.message}"


@dataclass(frozen=True, slots=True)
class Employer:
    enterprise_number: str
    nsso_number: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Identification:
    """Who a worker without INSZ is: the web form's fields for them (domain.md §1).

    `gender` is "M" or "F"; `country` the address's country code.
    """

    birth_date: date
    birth_place: str = ""
    gender: str = ""
    street: str = ""
    house_number: str = ""
    box: str = ""
    postal_code: str = ""
    municipality: str = ""
    country: str = "BE"
    nationality: str = ""
    birth_country: str = ""
    middle_initial: str = ""


# The identification fields a worker without INSZ must have (domain.md §1), in the web
# form's order; the other fields of `Identification` are optional.
IDENTIFICATION_REQUIRED = (
    "last_name",
    "first_name",
    "gender",
    "birth_date",
    "birth_place",
    "street",
    "house_number",
    "postal_code",
    "municipality",
)

_NOT_A_LETTER = re.compile(r"[\W_]+")


def plain_name(text: str) -> str:
    """`Van den Broeck-Dupré` → `vandenbroeckdupre`: a name as a key compares it.

    `batch.validate.name_key_column` does the same to a whole column; keep them alike.
    """
    return _NOT_A_LETTER.sub("", unicodedata.normalize("NFKD", text.casefold()))


def identity_key(last_name: str, first_name: str, birth_date: date) -> str:
    """The key of a worker without INSZ: `~peeters|an|1993-05-18`."""
    return f"~{plain_name(last_name)}|{plain_name(first_name)}|{birth_date.isoformat()}"


@dataclass(frozen=True, slots=True)
class Worker:
    insz: str
    last_name: str = ""
    first_name: str = ""
    identification: Identification | None = None
    """Only for a worker without INSZ: what the NSSO identifies them by."""

    @property
    def key(self) -> str:
        """What tells workers apart: the INSZ, else name and birth date (`identity_key`)."""
        if self.insz or self.identification is None:
            return self.insz
        return identity_key(self.last_name, self.first_name, self.identification.birth_date)

    @property
    def declarable(self) -> bool:
        """An INSZ, or every identification field a declaration without one needs."""
        if self.insz:
            return True
        if self.identification is None:
            return False
        values = {"last_name": self.last_name, "first_name": self.first_name}
        return all(
            values[f] if f in values else getattr(self.identification, f)
            for f in IDENTIFICATION_REQUIRED
        )


@dataclass(frozen=True, slots=True)
class References:
    employer: str = ""
    worker: str = ""
    declaration: str = ""


@dataclass(frozen=True, slots=True)
class Shift:
    """One rostered (or actually worked) stretch of work: the unit of one daily Dimona IN."""

    employer: Employer
    worker: Worker
    start: datetime
    end: datetime
    references: References = field(default_factory=References)
    source: Source | None = None

    @property
    def work_day(self):
        return self.start.date()

    @property
    def key(self) -> tuple[str, str]:
        return (self.employer.enterprise_number, self.worker.key)


@dataclass(frozen=True, slots=True)
class Period:
    """A declared period as the ledger holds it now (the NSSO's current state)."""

    period_id: str
    employer: Employer
    worker: Worker
    planned_start: datetime
    planned_end: datetime
    declared_start: datetime
    declared_end: datetime
    status: PeriodStatus
    channel: str
    references: References = field(default_factory=References)
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    source: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.employer.enterprise_number, self.worker.key)


@dataclass(frozen=True, slots=True)
class Operation:
    """One declaration to file: an IN for a shift, an UPDATE or CANCEL of a period."""

    kind: Kind
    shift: Shift | None = None
    period: Period | None = None
    late: bool = False
    reason: str = ""

    @property
    def start(self) -> datetime:
        if self.kind is Kind.CANCEL:
            assert self.period is not None
            return self.period.declared_start
        assert self.shift is not None
        return self.shift.start

    @property
    def end(self) -> datetime:
        if self.kind is Kind.CANCEL:
            assert self.period is not None
            return self.period.declared_end
        assert self.shift is not None
        return self.shift.end

    @property
    def employer(self) -> Employer:
        return self.shift.employer if self.shift else self.period.employer  # type: ignore[union-attr]

    @property
    def worker(self) -> Worker:
        return self.shift.worker if self.shift else self.period.worker  # type: ignore[union-attr]


class LoggedPayload(Mapping):
    """A REST v2 body as the log keeps it (JSON, keys sorted), read as a dict when looked at.

    A large run holds a declaration per shift until its receipts are written; as its text
    a body costs a fraction of the nested dicts it reads as, and it is logged as it is.
    """

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def _body(self) -> dict:
        return json.loads(self.text)

    def __getitem__(self, key: str) -> object:
        return self._body()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._body())

    def __len__(self) -> int:
        return len(self._body())

    def __repr__(self) -> str:
        return f"LoggedPayload({self.text!r})"


def payload_text(payload: Mapping) -> str:
    """A declaration's body as the log writes it: JSON with sorted keys."""
    if isinstance(payload, LoggedPayload):
        return payload.text
    return json.dumps(payload, sort_keys=True)


@dataclass(frozen=True, slots=True)
class Declaration:
    """A filed declaration with the NSSO's answer: one line of the append-only log."""

    declaration_id: str
    kind: Kind
    result: Result
    period_id: str | None
    sent_at: datetime
    start: datetime
    end: datetime
    employer: Employer
    worker: Worker
    references: References
    payload: dict | LoggedPayload
    """The body as filed; one read back from the outbox stays its JSON (`LoggedPayload`)."""
    channel: str
    anomalies: tuple[str, ...] = ()
    late: bool = False
    source: str = ""
    answered_at: datetime | None = None
    """Set on a later answer to a declaration filed in an earlier run (result S resolved)."""

    @property
    def accepted(self) -> bool:
        return self.result in (Result.ACCEPTED, Result.WARNING, Result.PENDING)


class Finding(StrEnum):
    """What reconciling a declared period with the actual hours found (architecture.md)."""

    MATCH = "match"
    LATER_START = "later start"
    EARLIER_START = "earlier start"
    EARLIER_END = "earlier end"
    LATER_END = "later end"
    NO_SHOW = "no-show"
    UNDECLARED = "undeclared work"
    UNREADABLE = "actual hours unreadable"
    """The period's actual rows were all rejected, or name no end: never a no-show."""


class Action(StrEnum):
    NONE = "none"
    UPDATE = "update"
    CANCEL = "cancel"
    DECLARE = "declare"
    MANUAL = "manual"


class DeadlineStatus(StrEnum):
    IN_TIME = "in time"
    LATE = "late"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True, slots=True)
class Correction:
    """One line of the correction report: a declared or actually worked shift, held side by side.

    `findings` holds one or more findings (a later start and a later end together); `action`
    is what the rule table asks, `deadline` until when, and `filed_at`/`result` what was done.
    """

    employer: Employer
    worker: Worker
    findings: tuple[Finding, ...]
    action: Action
    deadline_status: DeadlineStatus
    period_id: str | None = None
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    declared_start: datetime | None = None
    declared_end: datetime | None = None
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    difference_minutes: int | None = None
    deadline: datetime | None = None
    filed_at: datetime | None = None
    result: Result | None = None
    note: str = ""
    source: Source | None = None
    channel: str = ""

    @property
    def late(self) -> bool:
        return self.deadline_status is DeadlineStatus.LATE


@dataclass(frozen=True, slots=True)
class WorksheetItem:
    """One declaration for a clerk to type in the unsecured Dimona web form (domain.md §6).

    `key` identifies the worksheet row whatever the clerk does to the sheet; for an IN it is
    also the provisional period id until the real period number is imported.
    """

    key: str
    kind: Kind
    employer: Employer
    worker: Worker
    start: datetime
    end: datetime
    deadline: datetime
    period_id: str | None = None
    references: References = field(default_factory=References)
    source: str = ""
    previous_start: datetime | None = None
    previous_end: datetime | None = None
