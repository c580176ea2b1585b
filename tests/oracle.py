"""A second implementation of the deadline rules, written from domain.md §3 alone.

It shares no code and no rule table with `batch`, on purpose: when the batch and this
oracle disagree on a boundary case, one of the two misread the text, and the test that
compares them says which case. Moments are aware datetimes; every comparison and
subtraction is done in UTC, only the answer is shown in Brussels. Wall times without an
offset (as in a workbook) mean the first reading of the repeated autumn hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = dt.UTC

MATCH = "match"
LATER_START = "later start"
EARLIER_START = "earlier start"
EARLIER_END = "earlier end"
LATER_END = "later end"
NO_SHOW = "no-show"
UNDECLARED = "undeclared work"
UNREADABLE = "actual hours unreadable"

IN_TIME = "in time"
LATE = "late"
NOT_APPLICABLE = "n/a"

EIGHT_HOURS = dt.timedelta(hours=8)
EVENING = dt.time(20, 0)
MORNING = dt.time(8, 0)


def brussels(day: dt.date, hour: int = 0, minute: int = 0, fold: int = 0) -> dt.datetime:
    """A Brussels wall time; fold=1 is the second reading of the repeated autumn hour."""
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS, fold=fold)
    if utc(moment).astimezone(BRUSSELS).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValueError(f"{moment:%d/%m/%Y %H:%M} does not exist in Brussels (spring gap)")
    return moment


def moment(text: str) -> dt.datetime:
    """`2026-10-25 02:30` (first reading) or `2026-10-25 02:30+01:00` (that exact moment)."""
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return brussels(parsed.date(), parsed.hour, parsed.minute)
    return parsed.astimezone(BRUSSELS)


def utc(value: dt.datetime) -> dt.datetime:
    assert value.tzinfo is not None, "aware datetimes only"
    return value.astimezone(UTC)


def shown(value: dt.datetime) -> dt.datetime:
    """The naive Brussels wall time a report shows for a moment."""
    return value.astimezone(BRUSSELS).replace(tzinfo=None)


def elapsed_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Real minutes from start to end (a shift over a DST night is an hour shorter or longer)."""
    return int((utc(end) - utc(start)).total_seconds() // 60)


def is_late(deadline: dt.datetime, filed_at: dt.datetime) -> bool:
    """Filed at the deadline minute itself is late (§3, Precision)."""
    return utc(filed_at) >= utc(deadline)


def next_midnight(value: dt.datetime) -> dt.datetime:
    """00:00 of the day after the Brussels date of `value`."""
    return brussels(value.astimezone(BRUSSELS).date() + dt.timedelta(days=1))


# --- one deadline per row of the §3 table ----------------------------------------------


def in_deadline(shift_start: dt.datetime) -> dt.datetime:
    """Dimona IN: before the shift starts."""
    return shift_start


def start_change_deadline(actual_start: dt.datetime) -> dt.datetime:
    """Start earlier or later than declared: before the worker actually starts."""
    return actual_start


def earlier_end_deadline(declared_end: dt.datetime) -> dt.datetime:
    """Until midnight following the declared end (00:00 of the day after its date)."""
    return next_midnight(declared_end)


def later_end_deadline(declared_end: dt.datetime) -> dt.datetime:
    """Declared end + 8 elapsed hours; an end from 20:00 to 24:00 gives until 08:00 next day.

    An end at 00:00 is 24:00 of the day before, so inside that day's evening.
    """
    end = declared_end.astimezone(BRUSSELS)
    if end.time() == dt.time(0, 0):
        return brussels(end.date(), MORNING.hour, MORNING.minute)
    if end.time() >= EVENING:
        return brussels(end.date() + dt.timedelta(days=1), MORNING.hour, MORNING.minute)
    return (utc(declared_end) + EIGHT_HOURS).astimezone(BRUSSELS)


def no_show_deadline(declared_start: dt.datetime) -> dt.datetime:
    """Cancel before midnight ending the declared start date."""
    return next_midnight(declared_start)


# --- what reconciling one declared period (or one undeclared shift) must answer --------


@dataclass(frozen=True)
class Part:
    """One finding: its deadline, whether it is late, what to do, and what gets filed."""

    finding: str
    deadline: dt.datetime | None = None
    late: bool = False
    action: str = "none"
    files: bool = False
    """A declaration is filed for this finding (update, cancel or IN)."""


@dataclass(frozen=True)
class Expected:
    """A correction report row as domain.md says it must read."""

    parts: tuple[Part, ...]

    @property
    def findings(self) -> str:
        return "; ".join(p.finding for p in self.parts)

    @property
    def action(self) -> str:
        actions = [p.action for p in self.parts]
        return "manual" if "manual" in actions else actions[0]

    @property
    def deadline(self) -> dt.datetime | None:
        """The first deadline of the row (the one that runs out first)."""
        deadlines = [p.deadline for p in self.parts if p.deadline is not None]
        return min(deadlines, key=utc) if deadlines else None

    @property
    def status(self) -> str:
        if self.deadline is None:
            return NOT_APPLICABLE
        return LATE if any(p.late for p in self.parts) else IN_TIME

    @property
    def result(self) -> str | None:
        """The NSSO's answer to what is filed: W when any filed change is late, else A."""
        filed = [p for p in self.parts if p.files]
        if not filed:
            return None
        return "W" if any(p.late for p in filed) else "A"


def _same(a: dt.datetime, b: dt.datetime) -> bool:
    return utc(a) == utc(b)


def _before(a: dt.datetime, b: dt.datetime) -> bool:
    return utc(a) < utc(b)


def expect(
    declared_start: dt.datetime,
    declared_end: dt.datetime,
    actual_start: dt.datetime | None,
    actual_end: dt.datetime | None,
    as_of: dt.datetime,
) -> Expected:
    """The findings for one declared period; no actual times means the worker did not come."""
    if actual_start is None or actual_end is None:
        deadline = no_show_deadline(declared_start)
        late = is_late(deadline, as_of)
        return Expected((Part(NO_SHOW, deadline, late, "cancel", files=True),))
    parts = []
    if not _same(actual_start, declared_start):
        finding = EARLIER_START if _before(actual_start, declared_start) else LATER_START
        deadline = start_change_deadline(actual_start)
        late = is_late(deadline, as_of)
        # a late start change cannot be repaired: a person handles it, nothing is filed
        parts.append(Part(finding, deadline, late, "manual" if late else "update", not late))
    if not _same(actual_end, declared_end):
        if _before(actual_end, declared_end):
            finding, deadline = EARLIER_END, earlier_end_deadline(declared_end)
        else:
            finding, deadline = LATER_END, later_end_deadline(declared_end)
        # an end change is filed even when late, marked late
        parts.append(Part(finding, deadline, is_late(deadline, as_of), "update", files=True))
    if not parts:
        return Expected((Part(MATCH),))
    return Expected(tuple(parts))


def expect_undeclared(actual_start: dt.datetime, as_of: dt.datetime) -> Expected:
    """Work nobody declared: an IN, due before the work started; late is filed marked late."""
    deadline = in_deadline(actual_start)
    return Expected((Part(UNDECLARED, deadline, is_late(deadline, as_of), "declare", True),))


def expect_unreadable() -> Expected:
    """A period whose actual rows were all rejected: a person looks, nothing is filed.

    §3 gives it no deadline of its own, so the oracle holds none (never a no-show's CANCEL).
    """
    return Expected((Part(UNREADABLE, action="manual"),))


def late_in(shift_start: dt.datetime, filed_at: dt.datetime) -> bool:
    """An IN filed at or after the shift start is late (the NSSO answers W)."""
    return is_late(in_deadline(shift_start), filed_at)
