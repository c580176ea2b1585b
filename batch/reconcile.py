"""Planned, declared and actual hours side by side, and the correction each difference needs.

Actual clock segments are matched, per employer and worker, to the declared period they
overlap most (in absolute time, across midnight: the periods of the days next to the file's
days are looked at too), else to one they touch within `NEAR` (a worker who clocks in at
23:50 for a shift from 00:30), and merged per period (first in, last out). Each period in
the window the actuals cover gets findings; the rule table (batch.rules) says until when a
correction may be filed and what to do in time or late. Only the actuals say a worker did
not come: a period whose rows were all rejected has unreadable hours, a person's item.
Nothing here files or stores anything: the result is a list of corrections, with the
operation to file where the rules ask for one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .model import (
    BRUSSELS,
    UTC,
    Action,
    Correction,
    DeadlineStatus,
    Employer,
    Finding,
    Kind,
    Operation,
    Period,
    PeriodStatus,
    Shift,
    Source,
    Worker,
    utc,
)
from .rules import RuleBook, Times, is_late, wall

NEAR = dt.timedelta(hours=1)
"""A segment that overlaps no period belongs to one it ends before, or starts after, by this."""


@dataclass(frozen=True)
class Actual:
    """One row of an actuals file: a clock segment, or a day the worker did not come.

    `rejected` holds the problem code of a row validation rejected: its hours are not
    known (its `work_day` is None when the date itself could not be read).
    """

    employer: Employer
    worker: Worker
    work_day: dt.date | None
    start: dt.datetime | None
    end: dt.datetime | None
    absent: bool = False
    source: Source | None = None
    rejected: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.employer.enterprise_number, self.worker.key)

    @property
    def unreadable(self) -> bool:
        """A rejected row, or a clocking whose out equals its in: the end is not known."""
        if self.rejected:
            return True
        return (
            not self.absent
            and self.start is not None
            and self.end is not None
            and utc(self.start) == utc(self.end)
        )


@dataclass(frozen=True)
class Reconciled:
    """A correction line and, where the rules ask for one, the declaration to file."""

    correction: Correction
    operation: Operation | None = None


def minutes(start: dt.datetime | None, end: dt.datetime | None) -> int:
    """Elapsed minutes (real time, also across a daylight-saving night)."""
    if start is None or end is None:
        return 0
    return _minutes(start.astimezone(UTC), end.astimezone(UTC))


def _minutes(start: dt.datetime, end: dt.datetime) -> int:
    """`minutes` of two moments already in UTC."""
    return round((end - start).total_seconds() / 60)


def window(actuals: Sequence[Actual], rejected: bool = False) -> dict[str, set[dt.date]]:
    """The work days each employer's actuals speak for.

    A rejected row does not make its day one the file speaks for (a worker without a row
    that day is then no no-show), unless `rejected`: the days whose periods to load.
    """
    days: dict[str, set[dt.date]] = defaultdict(set)
    for actual in actuals:
        if actual.work_day is not None and (rejected or not actual.rejected):
            days[actual.employer.enterprise_number].add(actual.work_day)
    return days


def neighbourhood(days: dict[str, set[dt.date]]) -> tuple[dt.date, dt.date] | None:
    """The days whose periods reconciling must load: the window and a day either side.

    A clocking on the evening before belongs to a shift after midnight, and one after
    midnight to a shift of the evening before.
    """
    every = [d for ds in days.values() for d in ds]
    if not every:
        return None
    one = dt.timedelta(days=1)
    return min(every) - one, max(every) + one


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BRUSSELS).date()


def reconcile(
    actuals: Sequence[Actual],
    periods: Sequence[Period],
    as_of: dt.datetime,
    rules: RuleBook | None = None,
    tolerance: int = 0,
) -> list[Reconciled]:
    rules = rules or RuleBook()
    days = window(actuals)
    day_of = {p.period_id: _day(p.declared_start) for p in periods}  # each worked out once
    in_window = {
        p.period_id
        for p in periods
        if day_of[p.period_id] in days.get(p.employer.enterprise_number, ())
    }
    # each declared moment converted to UTC once; a worker's periods with their spans
    span = {p.period_id: (utc(p.declared_start), utc(p.declared_end)) for p in periods}
    by_worker: dict[tuple[str, str], list[tuple[Period, dt.datetime, dt.datetime]]]
    by_worker = defaultdict(list)
    key_of: dict[str, tuple[str, str]] = {}  # period id -> its key, worked out once
    for period in periods:
        key_of[period.period_id] = period_key = period.key
        by_worker[period_key].append((period, *span[period.period_id]))

    # period id -> its segments, each with its moments in UTC (worked out once per row)
    segments: dict[str, list[Segment]] = defaultdict(list)
    absent: dict[tuple[str, str, dt.date], Actual] = {}
    unreadable: dict[tuple[str, str, dt.date | None], list[Actual]] = defaultdict(list)
    undeclared: dict[tuple[str, str, dt.date | None], list[Actual]] = defaultdict(list)
    clocked_in: dict[str, list[Actual]] = defaultdict(list)  # period id -> unreadable rows
    for actual in actuals:
        key = actual.key
        clocked = _clocked(actual)
        if actual.rejected or (clocked is not None and clocked[0] == clocked[1]):
            # `Actual.unreadable`, with the moments already in UTC
            unreadable[(*key, actual.work_day)].append(actual)
            for period in _around(actual, by_worker.get(key, [])):
                clocked_in[period.period_id].append(actual)
            continue
        if clocked is None:
            absent[(*key, actual.work_day)] = actual  # type: ignore[index]
            continue
        best = _matching(*clocked, by_worker.get(key, []))
        if best is None:
            undeclared[(*key, actual.work_day)].append(actual)
        else:
            segments[best.period_id].append((*clocked, actual))

    def doubt(period: Period, day: dt.date) -> list[Actual]:
        """The unreadable rows that may be the period's: same day, no day, or clocked in it."""
        period_key = key_of[period.period_id]
        rows = unreadable.get((*period_key, day), [])
        if period.period_id in in_window:
            rows = rows + unreadable.get((*period_key, None), [])
        return rows + [a for a in clocked_in.get(period.period_id, []) if a not in rows]

    looked_at = []
    for period in periods:
        day = day_of[period.period_id]
        if period.period_id in in_window or period.period_id in segments:
            looked_at.append((period, day, None))
        elif doubt_rows := doubt(period, day):
            looked_at.append((period, day, doubt_rows))
    looked_at.sort(key=lambda pd: (key_of[pd[0].period_id], span[pd[0].period_id][0]))
    lines: list[Reconciled] = []
    for period, day, doubt_rows in looked_at:
        worked = segments.get(period.period_id, [])
        if worked:
            covered = days.get(period.employer.enterprise_number, set())
            known = _known(period, worked, covered, day)
            line = _compare(
                period, worked, span[period.period_id], as_of, rules, tolerance, known, day
            )
        elif doubt_rows is not None or (doubt_rows := doubt(period, day)):
            line = _unreadable(period, doubt_rows)
        else:
            line = _no_show(period, absent.get((*key_of[period.period_id], day)), as_of, rules)
        if period.status is PeriodStatus.TO_TYPE:
            line = _not_typed(line)
        lines.append(line)
    for group in undeclared.values():
        lines.append(_undeclared(group, as_of, rules))
    return lines


Segment = tuple[dt.datetime, dt.datetime, Actual]
"""A clock segment's start and end in UTC, and its row."""


def _clocked(actual: Actual) -> tuple[dt.datetime, dt.datetime] | None:
    """A row's clocking in and out in UTC; None for an absence or a row missing a time."""
    if actual.absent or actual.start is None or actual.end is None:
        return None
    return utc(actual.start), utc(actual.end)


def _around(
    actual: Actual, periods: Sequence[tuple[Period, dt.datetime, dt.datetime]]
) -> list[Period]:
    """The periods an unreadable row's clocking in falls in, or comes `NEAR` before."""
    if actual.start is None:
        return []
    start = utc(actual.start)
    return [p for p, p_start, p_end in periods if p_start - NEAR <= start < p_end]


def _matching(
    start: dt.datetime,
    end: dt.datetime,
    periods: Sequence[tuple[Period, dt.datetime, dt.datetime]],
) -> Period | None:
    """The period a segment overlaps most, else the nearest within `NEAR`, else None.

    Moments are in UTC; each period comes with its declared start and end in UTC.
    """
    best, most = None, dt.timedelta(0)
    for period, p_start, p_end in periods:
        overlap = min(end, p_end) - max(start, p_start)
        if overlap > most:
            best, most = period, overlap
    if best is not None:
        return best
    nearest, key = None, None
    zero = dt.timedelta(0)
    for period, p_start, p_end in periods:
        # how far a segment that does not overlap a period lies from it (before or after)
        gap = p_start - end if end <= p_start else start - p_end
        if zero <= gap <= NEAR and (key is None or (gap, p_start) < key):
            nearest, key = period, (gap, p_start)
    return nearest


def _status(deadline: dt.datetime, as_of: dt.datetime) -> DeadlineStatus:
    """At or after the deadline is late; one minute before is in time (absolute time)."""
    return DeadlineStatus.LATE if is_late(as_of, deadline) else DeadlineStatus.IN_TIME


def _known(
    period: Period, worked: Sequence[Segment], covered: set[dt.date], day: dt.date
) -> tuple[bool, bool]:
    """Whether the actuals can show the period's start and its end.

    A period of a day the file does not cover was found through segments of the day next
    to it: of a shift from the evening before, the file shows what came after midnight, not
    when it started; of a shift after midnight, its end only where a row runs past midnight
    (a time clock that splits rows at midnight shows no more than the arrival); `day` is
    the period's work day.
    """
    if day in covered:
        return True, True
    if any(d < day for d in covered):
        midnight = wall(day)
        return True, any(a_end > utc(midnight) for _, a_end, _ in worked)
    return False, True


def _compare(
    period: Period,
    spans: list[Segment],
    declared: tuple[dt.datetime, dt.datetime],
    as_of: dt.datetime,
    rules: RuleBook,
    tolerance: int,
    known: tuple[bool, bool] = (True, True),
    day: dt.date | None = None,
) -> Reconciled:
    """Findings of a period with clock segments; a side the actuals do not show is unknown.

    Segments only before the declared start (the file ends at midnight) show when the
    worker came, not when they left: a person's item, nothing is filed; likewise for
    segments only after the declared end, and for the side `known` says the file misses.
    `spans` are the segments with their moments in UTC, `declared` the period's start and
    end in UTC (each worked out once by the caller).
    """
    worked = [a for _, _, a in spans]
    first = min(range(len(spans)), key=lambda i: spans[i][0])
    last = max(range(len(spans)), key=lambda i: spans[i][1])
    start: dt.datetime | None = spans[first][2].start
    end: dt.datetime | None = spans[last][2].end
    s_utc, e_utc = spans[first][0], spans[last][1]
    p_start, p_end = declared
    overlapping = any(min(a_end, p_end) > max(a_start, p_start) for a_start, a_end, _ in spans)
    before = any(a_end <= p_start for _, a_end, _ in spans)
    after = any(a_start >= p_end for a_start, _, _ in spans)
    start_known = known[0] and (overlapping or before)
    end_known = known[1] and (overlapping or after)
    if not (start_known or end_known):
        return _unreadable(period, worked, note="start_unknown end_unknown")
    unknown = ""
    if not end_known:
        end, unknown = None, "end_unknown"
    elif not start_known:
        start, unknown = None, "start_unknown"
    times = Times(period.declared_start, period.declared_end, start, end)
    if day is None:
        day = _day(period.declared_start)

    findings: list[Finding] = []
    parts: list[tuple[Finding, dt.datetime, DeadlineStatus, str]] = []
    if start is not None and abs(start_shift := _minutes(p_start, s_utc)) > tolerance:
        finding = Finding.LATER_START if start_shift > 0 else Finding.EARLIER_START
        findings.append(finding)
    if end is not None and abs(end_shift := _minutes(p_end, e_utc)) > tolerance:
        finding = Finding.LATER_END if end_shift > 0 else Finding.EARLIER_END
        findings.append(finding)
    for finding in findings:
        rule = rules.rule(finding.value, day)
        deadline = rule.deadline_for(times)
        status = _status(deadline, as_of)
        action = rule.in_time if status is DeadlineStatus.IN_TIME else rule.late
        if unknown:
            action = Action.MANUAL.value
        parts.append((finding, deadline, status, action))

    # as `_line` works it out, from the moments already in UTC
    difference = _minutes(s_utc, e_utc) - _minutes(p_start, p_end) if not unknown else None
    if not findings:  # most periods: the line built once
        unknown_side = {"note": unknown} if unknown else {}
        return Reconciled(
            _line(
                period,
                start,
                end,
                sources=worked,
                findings=(Finding.MATCH,),
                difference_minutes=difference,
                **unknown_side,
            )
        )
    base = _line(period, start, end, sources=worked, difference_minutes=difference)
    if unknown:
        base = replace(base, difference_minutes=None)

    new_start = period.declared_start
    new_end = period.declared_end
    notes = [unknown] if unknown else []
    for finding, _deadline, status, action in parts:
        if finding in (Finding.LATER_START, Finding.EARLIER_START):
            if action == Action.UPDATE:
                new_start = start  # type: ignore[assignment]
            elif not unknown:
                notes.append("start_manual")
        elif action == Action.UPDATE:
            new_end = end  # type: ignore[assignment]
            if status is DeadlineStatus.LATE:
                notes.append("end_late")
    manual = any(action == Action.MANUAL for *_, action in parts)
    deadline = min((d for _, d, _, _ in parts), key=utc)
    late = any(s is DeadlineStatus.LATE for _, _, s, _ in parts)
    operation = None
    if (utc(new_start), utc(new_end)) != (p_start, p_end):
        shift = Shift(
            period.employer, period.worker, new_start, new_end, period.references, worked[0].source
        )
        operation = Operation(Kind.UPDATE, shift, period, late=late, reason="actual hours")
    action = Action.MANUAL if manual else Action.UPDATE
    correction = replace(
        base,
        findings=tuple(findings),
        action=action,
        deadline=deadline,
        deadline_status=DeadlineStatus.LATE if late else DeadlineStatus.IN_TIME,
        note=" ".join(notes),
    )
    return Reconciled(correction, operation)


def _unreadable(period: Period, rows: Sequence[Actual], note: str = "") -> Reconciled:
    """A period whose actual rows were all rejected, or name no end: a person looks.

    It is never a no-show (a worker who came would end up undeclared) and nothing is filed.
    """
    same_in_out = [a for a in rows if not a.rejected or a.rejected == "end_equals_start"]
    clocked = [a.start for a in same_in_out if a.start is not None]
    base = _line(period, min(clocked, key=utc) if clocked else None, None, sources=rows)
    correction = replace(
        base,
        findings=(Finding.UNREADABLE,),
        action=Action.MANUAL,
        difference_minutes=None,
        note=note or ("same_in_out" if same_in_out else "unreadable"),
    )
    return Reconciled(correction)


def _not_typed(line: Reconciled) -> Reconciled:
    """A period still on the web-form worksheet cannot be corrected: type it first."""
    if line.correction.findings == (Finding.MATCH,):
        return replace(line, correction=replace(line.correction, note="not_typed"))
    correction = replace(line.correction, action=Action.MANUAL, note="not_typed")
    return Reconciled(correction, None)


def _no_show(
    period: Period, absence: Actual | None, as_of: dt.datetime, rules: RuleBook
) -> Reconciled:
    day = _day(period.declared_start)
    rule = rules.rule(Finding.NO_SHOW.value, day)
    deadline = rule.deadline_for(Times(period.declared_start, period.declared_end))
    status = _status(deadline, as_of)
    action = Action(rule.in_time if status is DeadlineStatus.IN_TIME else rule.late)
    base = _line(period, None, None, sources=[absence] if absence else [])
    correction = replace(
        base,
        findings=(Finding.NO_SHOW,),
        action=action,
        deadline=deadline,
        deadline_status=status,
        note="absent" if absence else "no_row",
    )
    operation = None
    if action is Action.CANCEL:
        operation = Operation(
            Kind.CANCEL, period=period, late=status is DeadlineStatus.LATE, reason="no-show"
        )
    return Reconciled(correction, operation)


def _undeclared(group: list[Actual], as_of: dt.datetime, rules: RuleBook) -> Reconciled:
    first = group[0]
    start = min((a.start for a in group), key=utc)  # type: ignore[arg-type]
    end = max((a.end for a in group), key=utc)  # type: ignore[arg-type]
    rule = rules.rule(Finding.UNDECLARED.value, first.work_day)
    deadline = rule.deadline_for(Times(actual_start=start, actual_end=end))
    status = _status(deadline, as_of)
    action = Action(rule.in_time if status is DeadlineStatus.IN_TIME else rule.late)
    note = ""
    if action is Action.DECLARE and not first.worker.declarable:
        # a worker without INSZ whose actuals lack the address or birth place
        action, note = Action.MANUAL, "unidentified"
    correction = Correction(
        employer=first.employer,
        worker=first.worker,
        findings=(Finding.UNDECLARED,),
        action=action,
        deadline_status=status,
        actual_start=start,
        actual_end=end,
        difference_minutes=minutes(start, end),
        deadline=deadline,
        source=first.source,
        note=note,
    )
    operation = None
    if action is Action.DECLARE:
        shift = Shift(first.employer, first.worker, start, end, source=first.source)
        operation = Operation(
            Kind.IN, shift, late=status is DeadlineStatus.LATE, reason="undeclared work"
        )
    return Reconciled(correction, operation)


def _line(
    period: Period,
    start: dt.datetime | None,
    end: dt.datetime | None,
    sources: Sequence[Actual],
    **fields: Any,
) -> Correction:
    """The shared part of a period's line: who, planned, declared and actual times.

    `fields` set the rest of the line at once (a copy with `replace` costs a second build);
    a `difference_minutes` among them is not worked out again.
    """
    line: dict[str, Any] = {
        "employer": period.employer,
        "worker": period.worker,
        "findings": (),
        "action": Action.NONE,
        "deadline_status": DeadlineStatus.NOT_APPLICABLE,
        "period_id": period.period_id,
        "planned_start": period.planned_start,
        "planned_end": period.planned_end,
        "declared_start": period.declared_start,
        "declared_end": period.declared_end,
        "actual_start": start,
        "actual_end": end,
        "source": sources[0].source if sources else None,
        "channel": period.channel,
    }
    if "difference_minutes" not in fields:
        declared = minutes(period.declared_start, period.declared_end)
        line["difference_minutes"] = minutes(start, end) - declared
    line.update(fields)
    return Correction(**line)
