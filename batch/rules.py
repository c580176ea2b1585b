"""The legal timing rules of flexi Dimona as one dated table of data (domain.md §3).

Where the law is read from secondary sources the rule is a row here, not a branch in the
code, so an office can override it from a file (`load_rules`) when the NSSO says otherwise.
Every deadline is computed in Europe/Brussels; "+ 8 h" means eight elapsed hours, also on
the nights the clocks change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .model import BRUSSELS, UTC, utc


@dataclass(frozen=True)
class Times:
    """What a deadline formula may look at: the declared and the actual shift."""

    declared_start: dt.datetime | None = None
    declared_end: dt.datetime | None = None
    actual_start: dt.datetime | None = None
    actual_end: dt.datetime | None = None


def wall(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock moment in Brussels (the first one, when the autumn hour repeats)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


def elapsed(moment: dt.datetime, hours: float) -> dt.datetime:
    """`hours` of real time after `moment`: computed in UTC, shown in Brussels."""
    return (moment.astimezone(UTC) + dt.timedelta(hours=hours)).astimezone(BRUSSELS)


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BRUSSELS)


def midnight_after(day: dt.date) -> dt.datetime:
    return wall(day + dt.timedelta(days=1))


# --- deadline formulas: each takes the rule's parameters and the times -----------------


def _at_actual_start(params: Mapping, t: Times) -> dt.datetime:
    assert t.actual_start is not None
    return local(t.actual_start)


def _at_declared_start(params: Mapping, t: Times) -> dt.datetime:
    assert t.declared_start is not None
    return local(t.declared_start)


def _midnight_after_declared_end(params: Mapping, t: Times) -> dt.datetime:
    assert t.declared_end is not None
    return midnight_after(local(t.declared_end).date())


def _midnight_ending_declared_start_day(params: Mapping, t: Times) -> dt.datetime:
    assert t.declared_start is not None
    return midnight_after(local(t.declared_start).date())


def _after_declared_end(params: Mapping, t: Times) -> dt.datetime:
    """Declared end + N hours; an end in the evening band gives until the next morning.

    An end at 00:00 counts as 24:00 of the day before (Social Penal Code sanction text).
    """
    assert t.declared_end is not None
    end = local(t.declared_end)
    band_from = _clock(params.get("evening_from", "20:00"))
    morning = _clock(params.get("next_morning", "08:00"))
    if end.time() == dt.time(0, 0):
        evening_day, in_band = end.date() - dt.timedelta(days=1), True
    else:
        evening_day, in_band = end.date(), end.time() >= band_from
    if in_band:
        return wall(evening_day + dt.timedelta(days=1), morning.hour, morning.minute)
    return elapsed(end, float(params.get("hours", 8)))


FORMULAS: dict[str, Callable[[Mapping, Times], dt.datetime]] = {
    "actual start": _at_actual_start,
    "declared start": _at_declared_start,
    "midnight after declared end": _midnight_after_declared_end,
    "midnight ending declared start day": _midnight_ending_declared_start_day,
    "declared end + hours, evening until next morning": _after_declared_end,
}


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


@dataclass(frozen=True)
class Rule:
    """One line of the rule table: a finding, its deadline, and what to do in time or late."""

    finding: str
    deadline: str
    in_time: str
    late: str
    valid_from: dt.date
    source: str
    params: Mapping[str, object] = field(default_factory=dict)

    def deadline_for(self, times: Times) -> dt.datetime:
        return FORMULAS[self.deadline](self.params, times)


LATER_START = "later start"
EARLIER_START = "earlier start"
EARLIER_END = "earlier end"
LATER_END = "later end"
NO_SHOW = "no-show"
UNDECLARED = "undeclared work"
MATCH = "match"
LATE_IN = "late declaration"

RULES: tuple[Rule, ...] = (
    Rule(
        LATE_IN,
        "declared start",
        "declare",
        "declare",
        dt.date(2015, 12, 1),
        "socialsecurity.be, flexidimona: an IN is due before the work starts",
    ),
    Rule(
        LATER_START,
        "actual start",
        "update",
        "manual",
        dt.date(2015, 12, 1),
        "secondary sources (Securex, Partena): update before the worker starts",
    ),
    Rule(
        EARLIER_START,
        "actual start",
        "update",
        "manual",
        dt.date(2015, 12, 1),
        "secondary sources (Securex, Partena): update before the worker starts",
    ),
    Rule(
        EARLIER_END,
        "midnight after declared end",
        "update",
        "update",
        dt.date(2015, 12, 1),
        "secondary sources: until midnight following the declared end",
    ),
    Rule(
        LATER_END,
        "declared end + hours, evening until next morning",
        "update",
        "update",
        dt.date(2015, 12, 1),
        "Social Penal Code sanction text: declared end + 8 h; 20:00-24:00 until 08:00",
        {"hours": 8, "evening_from": "20:00", "next_morning": "08:00"},
    ),
    Rule(
        NO_SHOW,
        "midnight ending declared start day",
        "cancel",
        "cancel",
        dt.date(2015, 12, 1),
        "socialsecurity.be, Dimona general rule: cancel before midnight of the start day",
    ),
    Rule(
        UNDECLARED,
        "actual start",
        "declare",
        "declare",
        dt.date(2015, 12, 1),
        "socialsecurity.be, flexidimona: an IN is due before the work starts",
    ),
)

# An FLX IN may be filed at the earliest one month before the start of the shift's quarter
# (socialsecurity.be flexidimona, 2016 text); later shifts wait for a later run.
FILING_WINDOW_MONTHS = 1


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...] = RULES
    filing_window_months: int = FILING_WINDOW_MONTHS

    def rule(self, finding: str, on: dt.date | None = None) -> Rule:
        """The rule for a finding in force on a day (the newest that is valid by then)."""
        candidates = [
            r for r in self.rules if r.finding == finding and (on is None or r.valid_from <= on)
        ]
        if not candidates:
            raise KeyError(f"no rule for {finding!r} on {on}")
        return max(candidates, key=lambda r: r.valid_from)

    def earliest_filing(self, shift_start: dt.datetime) -> dt.datetime:
        """The first moment an IN for this shift may be filed."""
        day = local(shift_start).date()
        quarter_month = 3 * ((day.month - 1) // 3) + 1
        month = quarter_month - self.filing_window_months
        year = day.year
        while month < 1:
            month += 12
            year -= 1
        return wall(dt.date(year, month, 1))

    def change_deadline(
        self, declared: Times, new_start: dt.datetime | None, new_end: dt.datetime | None
    ) -> dt.datetime:
        """When an UPDATE from `declared` to new times is due: the table's row for each change.

        The new start is when the worker actually starts, so a start change is due by the new
        start (the "actual start" rule), whichever way it moves; the earliest deadline holds.
        """
        assert declared.declared_start is not None
        day = local(declared.declared_start).date()
        times = Times(declared.declared_start, declared.declared_end, new_start, new_end)
        deadlines = []
        if new_start is not None and utc(new_start) != utc(declared.declared_start):
            later = utc(new_start) > utc(declared.declared_start)
            finding = LATER_START if later else EARLIER_START
            deadlines.append(self.rule(finding, day).deadline_for(times))
        if (
            new_end is not None
            and declared.declared_end is not None
            and utc(new_end) != utc(declared.declared_end)
        ):
            finding = LATER_END if utc(new_end) > utc(declared.declared_end) else EARLIER_END
            deadlines.append(self.rule(finding, day).deadline_for(times))
        if not deadlines:
            return local(declared.declared_start)
        return min(deadlines, key=utc)

    def cancel_deadline(self, declared: Times) -> dt.datetime:
        assert declared.declared_start is not None
        day = local(declared.declared_start).date()
        return self.rule(NO_SHOW, day).deadline_for(declared)


def is_late(moment: dt.datetime, deadline: dt.datetime) -> bool:
    """Filed at the deadline minute itself or after it is late (domain.md §3), in UTC."""
    return utc(moment) >= utc(deadline)


def load_rules(path: Path | str) -> RuleBook:
    """A rule book with rows replaced or added from a TOML file.

    ```toml
    filing_window_months = 1
    [[rule]]
    finding = "later end"
    deadline = "declared end + hours, evening until next morning"
    params = { hours = 6, evening_from = "20:00", next_morning = "08:00" }
    valid_from = 2027-01-01
    source = "NSSO letter of ..."
    ```
    """
    import tomllib  # only a --rules file is read

    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    rules = list(RULES)
    for row in data.get("rule", []):
        base = next((r for r in RULES if r.finding == row["finding"]), None)
        if base is None:
            raise ValueError(f"{path}: unknown finding {row['finding']!r}")
        if "deadline" in row and row["deadline"] not in FORMULAS:
            known = ", ".join(FORMULAS)
            raise ValueError(f"{path}: unknown deadline {row['deadline']!r}; known: {known}")
        valid_from = row.get("valid_from", base.valid_from)
        if isinstance(valid_from, str):
            valid_from = dt.date.fromisoformat(valid_from)
        new = replace(
            base,
            deadline=row.get("deadline", base.deadline),
            in_time=row.get("in_time", base.in_time),
            late=row.get("late", base.late),
            valid_from=valid_from,
            source=row.get("source", f"override from {Path(path).name}"),
            params={**base.params, **row.get("params", {})},
        )
        rules = [r for r in rules if not (r.finding == new.finding and r.valid_from == valid_from)]
        rules.append(new)
    window = int(data.get("filing_window_months", FILING_WINDOW_MONTHS))
    return RuleBook(tuple(rules), window)
