"""The roster is the desired state, the ledger the declared one: plan what closes the gap.

A roster is the complete schedule of each employer it names, for each ISO week in which it
has shifts of that employer (the desired-state approach of hyperlab-be/laravel-dimona). For
every worker and work day, shifts and live periods are paired: the same times need nothing,
changed times that pair one-to-one with an overlapping period need an UPDATE, the rest a
CANCEL and an IN. Changes to a shift that has started are not filed: they are reported for
reconciliation with the actual hours.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .messages import problem
from .model import BRUSSELS, Kind, Operation, Period, Problem, Severity, Shift, brussels, utc
from .rules import RuleBook, is_late

Week = tuple[int, int]


@dataclass
class Plan:
    operations: list[Operation] = field(default_factory=list)
    unchanged: list[tuple[Shift, Period]] = field(default_factory=list)
    held: list[Shift] = field(default_factory=list)
    late: list[Operation] = field(default_factory=list)
    """Late INs (filed) and late changes (not filed)."""
    problems: list[Problem] = field(default_factory=list)

    def count(self, kind: Kind) -> int:
        return sum(op.kind is kind for op in self.operations)


def work_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BRUSSELS).date()


def week_of(day: dt.date) -> Week:
    year, week, _ = day.isocalendar()
    return year, week


def covered(shifts: Iterable[Shift]) -> dict[str, set[Week]]:
    """The weeks of each employer that the roster speaks for."""
    weeks: dict[str, set[Week]] = defaultdict(set)
    for shift in shifts:
        weeks[shift.employer.enterprise_number].add(week_of(work_day(shift.start)))
    return weeks


def day_range(weeks: dict[str, set[Week]]) -> tuple[dt.date, dt.date] | None:
    """The first and last day of all covered weeks, to load only those periods."""
    mondays = [dt.date.fromisocalendar(y, w, 1) for ws in weeks.values() for y, w in ws]
    if not mondays:
        return None
    return min(mondays), max(mondays) + dt.timedelta(days=6)


def plan(
    shifts: Sequence[Shift],
    periods: Sequence[Period],
    as_of: dt.datetime,
    rules: RuleBook | None = None,
    add_only: bool = False,
) -> Plan:
    rules = rules or RuleBook()
    weeks = covered(shifts)
    result = Plan()
    groups: dict[tuple[str, str, dt.date], tuple[list[Shift], list[Period]]] = defaultdict(
        lambda: ([], [])
    )
    for shift in shifts:
        groups[(*shift.key, work_day(shift.start))][0].append(shift)
    files: dict[tuple[str, Week], str] = {}
    for shift in shifts:
        if shift.source:
            files.setdefault(
                (shift.employer.enterprise_number, week_of(work_day(shift.start))),
                shift.source.file,
            )
    for period in periods:
        day = work_day(period.declared_start)
        if week_of(day) in weeks.get(period.employer.enterprise_number, ()):
            groups[(*period.key, day)][1].append(period)

    cancels: list[Operation] = []
    updates: list[Operation] = []
    ins: list[Operation] = []
    for (enterprise, _insz, day), (day_shifts, day_periods) in sorted(groups.items()):
        roster_file = files.get((enterprise, week_of(day)), "")
        _plan_day(
            day_shifts,
            day_periods,
            as_of,
            rules,
            add_only,
            roster_file,
            result,
            cancels,
            updates,
            ins,
        )

    # Cancels free the slots that updates and INs may take; within each, what starts first
    # is due first.
    def due(op: Operation) -> tuple:
        source = op.shift.source if op.shift and op.shift.source else None
        return (utc(op.start), source.file if source else "", source.row if source else 0)

    result.operations = sorted(cancels, key=due) + sorted(updates, key=due) + sorted(ins, key=due)
    return result


def _overlap(shift: Shift, period: Period) -> bool:
    return utc(shift.start) < utc(period.declared_end) and utc(period.declared_start) < utc(
        shift.end
    )


def _plan_day(
    shifts: list[Shift],
    periods: list[Period],
    as_of: dt.datetime,
    rules: RuleBook,
    add_only: bool,
    roster_file: str,
    result: Plan,
    cancels: list[Operation],
    updates: list[Operation],
    ins: list[Operation],
) -> None:
    open_periods = list(periods)
    new_shifts: list[Shift] = []
    for shift in sorted(shifts, key=lambda s: utc(s.start)):
        same = next(
            (
                p
                for p in open_periods
                if utc(p.declared_start) == utc(shift.start)
                and utc(p.declared_end) == utc(shift.end)
            ),
            None,
        )
        if same is not None:
            open_periods.remove(same)
            result.unchanged.append((shift, same))
        else:
            new_shifts.append(shift)

    if add_only:
        for shift in new_shifts:
            clash = next((p for p in periods if _overlap(shift, p)), None)
            if clash is not None:
                result.problems.append(
                    _shift_problem("add_only_overlap", shift, period=clash.period_id)
                )
            else:
                _declare(shift, as_of, rules, result, ins)
        return

    paired: list[tuple[Shift, Period]] = []
    for shift in new_shifts:
        touching = [p for p in open_periods if _overlap(shift, p)]
        if len(touching) == 1 and sum(_overlap(s, touching[0]) for s in new_shifts) == 1:
            paired.append((shift, touching[0]))
    paired_shifts = {id(s) for s, _ in paired}
    paired_periods = {p.period_id for _, p in paired}

    kept: list[Period] = []  # periods that stay live because changing them is too late
    for shift, period in paired:
        if is_late(as_of, min(period.declared_start, shift.start, key=utc)):
            kept.append(period)
            result.late.append(Operation(Kind.UPDATE, shift, period, late=True))
            result.problems.append(_shift_problem("late_change", shift, period=period.period_id))
        else:
            updates.append(Operation(Kind.UPDATE, shift, period, reason="roster changed"))
    for period in open_periods:
        if period.period_id in paired_periods:
            continue
        if is_late(as_of, period.declared_start):
            kept.append(period)
            result.late.append(Operation(Kind.CANCEL, period=period, late=True))
            result.problems.append(
                problem(
                    "late_change",
                    file=roster_file,
                    sheet="",
                    value=_times(period.declared_start, period.declared_end),
                    severity=Severity.WARNING,
                    period=period.period_id,
                )
            )
        else:
            cancels.append(Operation(Kind.CANCEL, period=period, reason="not in the roster"))
    for shift in new_shifts:
        if id(shift) in paired_shifts:
            continue
        clash = next((p for p in kept if _overlap(shift, p)), None)
        if clash is not None:
            result.late.append(Operation(Kind.IN, shift, late=True))
            result.problems.append(_shift_problem("late_change", shift, period=clash.period_id))
        else:
            _declare(shift, as_of, rules, result, ins)


def _declare(
    shift: Shift, as_of: dt.datetime, rules: RuleBook, result: Plan, ins: list[Operation]
) -> None:
    earliest = rules.earliest_filing(shift.start)
    if utc(as_of) < utc(earliest):
        result.held.append(shift)
        result.problems.append(_shift_problem("too_early", shift, earliest=f"{earliest:%d/%m/%Y}"))
        return
    late = is_late(as_of, shift.start)
    operation = Operation(Kind.IN, shift, late=late, reason="new shift")
    ins.append(operation)
    if late:
        result.late.append(operation)
        result.problems.append(
            _shift_problem("late_in", shift, start=f"{brussels(shift.start):%d/%m/%Y %H:%M}")
        )


def _times(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start.astimezone(BRUSSELS):%d/%m/%Y %H:%M}-{end.astimezone(BRUSSELS):%H:%M}"


def _shift_problem(code: str, shift: Shift, **params: object) -> Problem:
    source = shift.source
    return problem(
        code,
        file=source.file if source else "",
        sheet=source.sheet if source else "",
        row=source.row if source else None,
        column=source.column if source else "",
        cell=source.cell if source else "",
        value=_times(shift.start, shift.end),
        severity=Severity.WARNING,
        **params,
    )
