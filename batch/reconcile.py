"""Planned, declared and actual hours side by side, and the correction each difference needs.

Actual clock segments are matched, per employer and worker, to the declared period they
overlap most and merged per period (first in, last out). Each period in the window the
actuals cover gets findings; the rule table (batch.rules) says until when a correction may
be filed and what to do in time or late. Nothing here files or stores anything: the result
is a list of corrections, with the operation to file where the rules ask for one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .model import (
    BRUSSELS,
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
)
from .rules import RuleBook, Times

UTC = dt.UTC


@dataclass(frozen=True)
class Actual:
    """One row of an actuals file: a clock segment, or a day the worker did not come."""

    employer: Employer
    worker: Worker
    work_day: dt.date
    start: dt.datetime | None
    end: dt.datetime | None
    absent: bool = False
    source: Source | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.employer.enterprise_number, self.worker.key)


@dataclass(frozen=True)
class Reconciled:
    """A correction line and, where the rules ask for one, the declaration to file."""

    correction: Correction
    operation: Operation | None = None


def minutes(start: dt.datetime | None, end: dt.datetime | None) -> int:
    """Elapsed minutes (real time, also across a daylight-saving night)."""
    if start is None or end is None:
        return 0
    return round((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60)


def window(actuals: Sequence[Actual]) -> dict[str, set[dt.date]]:
    """The work days each employer's actuals speak for."""
    days: dict[str, set[dt.date]] = defaultdict(set)
    for actual in actuals:
        days[actual.employer.enterprise_number].add(actual.work_day)
    return days


def reconcile(
    actuals: Sequence[Actual],
    periods: Sequence[Period],
    as_of: dt.datetime,
    rules: RuleBook | None = None,
    tolerance: int = 0,
) -> list[Reconciled]:
    rules = rules or RuleBook()
    days = window(actuals)
    in_window = [
        p
        for p in periods
        if p.declared_start.astimezone(BRUSSELS).date()
        in days.get(p.employer.enterprise_number, ())
    ]
    by_worker: dict[tuple[str, str], list[Period]] = defaultdict(list)
    for period in in_window:
        by_worker[period.key].append(period)

    segments: dict[str, list[Actual]] = defaultdict(list)  # period id -> its segments
    absent: dict[tuple[str, str, dt.date], Actual] = {}
    undeclared: dict[tuple[str, str, dt.date], list[Actual]] = defaultdict(list)
    for actual in actuals:
        if actual.absent or actual.start is None or actual.end is None:
            absent[(*actual.key, actual.work_day)] = actual
            continue
        best = _most_overlap(actual, by_worker.get(actual.key, []))
        if best is None:
            undeclared[(*actual.key, actual.work_day)].append(actual)
        else:
            segments[best.period_id].append(actual)

    lines: list[Reconciled] = []
    for period in sorted(in_window, key=lambda p: (p.key, p.declared_start)):
        worked = segments.get(period.period_id, [])
        day = period.declared_start.astimezone(BRUSSELS).date()
        if worked:
            line = _compare(period, worked, as_of, rules, tolerance)
        else:
            line = _no_show(period, absent.get((*period.key, day)), as_of, rules)
        if period.status is PeriodStatus.TO_TYPE:
            line = _not_typed(line)
        lines.append(line)
    for group in undeclared.values():
        lines.append(_undeclared(group, as_of, rules))
    return lines


def _most_overlap(actual: Actual, periods: Sequence[Period]) -> Period | None:
    best, most = None, 0.0
    for period in periods:
        overlap = (
            min(actual.end, period.declared_end) - max(actual.start, period.declared_start)  # type: ignore[type-var]
        ).total_seconds()
        if overlap > most:
            best, most = period, overlap
    return best


def _status(deadline: dt.datetime, as_of: dt.datetime) -> DeadlineStatus:
    """At or after the deadline is late; one minute before is in time."""
    return DeadlineStatus.LATE if as_of >= deadline else DeadlineStatus.IN_TIME


def _compare(
    period: Period, worked: list[Actual], as_of: dt.datetime, rules: RuleBook, tolerance: int
) -> Reconciled:
    start = min(a.start for a in worked)  # type: ignore[type-var]
    end = max(a.end for a in worked)  # type: ignore[type-var]
    times = Times(period.declared_start, period.declared_end, start, end)
    day = period.declared_start.astimezone(BRUSSELS).date()
    start_shift = minutes(period.declared_start, start)
    end_shift = minutes(period.declared_end, end)

    findings: list[Finding] = []
    parts: list[tuple[Finding, dt.datetime, DeadlineStatus, str]] = []
    if abs(start_shift) > tolerance:
        finding = Finding.LATER_START if start_shift > 0 else Finding.EARLIER_START
        findings.append(finding)
    if abs(end_shift) > tolerance:
        finding = Finding.LATER_END if end_shift > 0 else Finding.EARLIER_END
        findings.append(finding)
    for finding in findings:
        rule = rules.rule(finding.value, day)
        deadline = rule.deadline_for(times)
        status = _status(deadline, as_of)
        action = rule.in_time if status is DeadlineStatus.IN_TIME else rule.late
        parts.append((finding, deadline, status, action))

    base = _line(period, start, end, sources=worked)
    if not findings:
        return Reconciled(replace(base, findings=(Finding.MATCH,)))

    new_start = period.declared_start
    new_end = period.declared_end
    notes = []
    for finding, _deadline, status, action in parts:
        if finding in (Finding.LATER_START, Finding.EARLIER_START):
            if action == Action.UPDATE:
                new_start = start
            else:
                notes.append("start_manual")
        elif action == Action.UPDATE:
            new_end = end
            if status is DeadlineStatus.LATE:
                notes.append("end_late")
    manual = any(action == Action.MANUAL for *_, action in parts)
    deadline = min(d for _, d, _, _ in parts)
    late = any(s is DeadlineStatus.LATE for _, _, s, _ in parts)
    operation = None
    if (new_start, new_end) != (period.declared_start, period.declared_end):
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


def _not_typed(line: Reconciled) -> Reconciled:
    """A period still on the web-form worksheet cannot be corrected: type it first."""
    if line.correction.findings == (Finding.MATCH,):
        return replace(line, correction=replace(line.correction, note="not_typed"))
    correction = replace(line.correction, action=Action.MANUAL, note="not_typed")
    return Reconciled(correction, None)


def _no_show(
    period: Period, absence: Actual | None, as_of: dt.datetime, rules: RuleBook
) -> Reconciled:
    day = period.declared_start.astimezone(BRUSSELS).date()
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
    start = min(a.start for a in group)  # type: ignore[type-var]
    end = max(a.end for a in group)  # type: ignore[type-var]
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
) -> Correction:
    """The shared part of a period's line: who, planned, declared and actual times."""
    declared = minutes(period.declared_start, period.declared_end)
    return Correction(
        employer=period.employer,
        worker=period.worker,
        findings=(),
        action=Action.NONE,
        deadline_status=DeadlineStatus.NOT_APPLICABLE,
        period_id=period.period_id,
        planned_start=period.planned_start,
        planned_end=period.planned_end,
        declared_start=period.declared_start,
        declared_end=period.declared_end,
        actual_start=start,
        actual_end=end,
        difference_minutes=minutes(start, end) - declared,
        source=sources[0].source if sources else None,
        channel=period.channel,
    )
