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
from typing import TYPE_CHECKING

from .messages import problem
from .model import BRUSSELS, Kind, Operation, Period, Problem, Severity, Shift, brussels, utc
from .rules import RuleBook, is_late

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

Week = tuple[int, int]


@dataclass
class Plan:
    operations: list[Operation] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    """The numbers of the live periods a shift of the roster confirms as they are."""
    held: list[Shift] = field(default_factory=list)
    late: list[Operation] = field(default_factory=list)
    """Late INs (filed) and late changes (not filed)."""
    problems: list[Problem] = field(default_factory=list)

    def count(self, kind: Kind) -> int:
        return sum(op.kind is kind for op in self.operations)


@dataclass
class Settled:
    """Work days of a roster found unchanged (`settled`) before its shifts are made: the
    numbers of the periods they confirm, with the weeks each employer's roster covers and
    the roster file of each employer-week, as `plan` would have found them in all the
    shifts."""

    periods: list[str]
    weeks: dict[str, set[Week]]
    files: dict[tuple[str, Week], str]


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


def settled(shifts: pd.DataFrame, periods: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of `shifts` and of `periods` are of work days that need nothing: a
    worker's work day whose shifts have exactly the times of its live periods. This is
    `plan`'s first rule for a day, taken over whole columns, so that a roster run again
    unchanged need not be made into shifts and periods at all.

    Both tables have the columns enterprise_number, worker_key, day, start and end (values
    compared for equality, e.g. UTC nanoseconds); `shifts` holds workers with an INSZ only.
    """
    import numpy as np
    import pandas as pd

    keys = ["enterprise_number", "worker_key", "day"]
    together = pd.concat([shifts[keys], periods[keys]], ignore_index=True)
    if together.empty:
        return np.zeros(len(shifts), bool), np.zeros(len(periods), bool)
    codes = together.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    day_of_shift, day_of_period = codes[: len(shifts)], codes[len(shifts) :]
    days = int(codes.max()) + 1
    counted = np.bincount(day_of_shift, minlength=days)
    candidate = (counted == np.bincount(day_of_period, minlength=days)) & (counted > 0)
    # Each candidate day's shifts and periods sorted by times, side by side: a day with
    # one pair of different times is not settled.
    s0, s1 = shifts["start"].to_numpy(), shifts["end"].to_numpy()
    p0, p1 = periods["start"].to_numpy(), periods["end"].to_numpy()
    by_shift = np.lexsort((s1, s0, day_of_shift))
    by_period = np.lexsort((p1, p0, day_of_period))
    by_shift = by_shift[candidate[day_of_shift[by_shift]]]
    by_period = by_period[candidate[day_of_period[by_period]]]
    differ = (s0[by_shift] != p0[by_period]) | (s1[by_shift] != p1[by_period])
    candidate[day_of_shift[by_shift[differ]]] = False
    return candidate[day_of_shift], candidate[day_of_period]


def plan(
    shifts: Sequence[Shift],
    periods: Sequence[Period],
    as_of: dt.datetime,
    rules: RuleBook | None = None,
    add_only: bool = False,
    *,
    settled: Settled | None = None,
) -> Plan:
    """What closes the gap between the roster's shifts and the ledger's live periods.

    `settled`: the roster's work days found unchanged beforehand (`Settled`): `shifts` and
    `periods` are then the rest, and the weeks and files are the whole roster's.
    """
    rules = rules or RuleBook()
    result = Plan()
    if settled is not None:
        result.unchanged.extend(settled.periods)
    # One pass over the shifts: each one's work day, week and group worked out once.
    weeks: dict[str, set[Week]] = defaultdict(set)
    groups: dict[tuple[str, str, dt.date], tuple[list[Shift], list[Period]]] = defaultdict(
        lambda: ([], [])
    )
    files: dict[tuple[str, Week], str] = {}
    week_of_day: dict[dt.date, Week] = {}
    for shift in shifts:
        day = work_day(shift.start)
        week = week_of_day.get(day)
        if week is None:
            week = week_of_day[day] = week_of(day)
        enterprise = shift.employer.enterprise_number
        weeks[enterprise].add(week)
        groups[(enterprise, shift.worker.key, day)][0].append(shift)
        if shift.source:
            files.setdefault((enterprise, week), shift.source.file)
    if settled is not None:
        files = settled.files
        for enterprise, found in settled.weeks.items():
            weeks[enterprise] |= found
    for period in periods:
        day = work_day(period.declared_start)
        if week_of(day) in weeks.get(period.employer.enterprise_number, ()):
            groups[(*period.key, day)][1].append(period)

    day = _Day(utc(as_of), rules, add_only, result)
    for (enterprise, _insz, work), (day_shifts, day_periods) in sorted(groups.items()):
        day.plan(day_shifts, day_periods, as_of, files.get((enterprise, week_of(work)), ""))

    # Cancels free the slots that updates and INs may take; within each, what starts first
    # is due first.
    def due(op: Operation) -> tuple:
        source = op.shift.source if op.shift and op.shift.source else None
        return (utc(op.start), source.file if source else "", source.row if source else 0)

    result.operations = (
        sorted(day.cancels, key=due) + sorted(day.updates, key=due) + sorted(day.ins, key=due)
    )
    return result


class _Day:
    """Plans one worker's work day at a time into the run's plan; the moments it compares
    are taken to UTC once per shift and period (they are compared many times)."""

    def __init__(self, as_of_utc: dt.datetime, rules: RuleBook, add_only: bool, result: Plan):
        self.as_of_utc = as_of_utc
        self.rules = rules
        self.add_only = add_only
        self.result = result
        self.cancels: list[Operation] = []
        self.updates: list[Operation] = []
        self.ins: list[Operation] = []
        self.earliest: dict[dt.date, dt.datetime] = {}

    def plan(
        self, shifts: list[Shift], periods: list[Period], as_of: dt.datetime, roster_file: str
    ) -> None:
        result = self.result
        timed = sorted(((utc(s.start), utc(s.end), s) for s in shifts), key=lambda t: t[0])
        declared = [(utc(p.declared_start), utc(p.declared_end), p) for p in periods]
        open_periods = list(declared)
        new_shifts: list[tuple[dt.datetime, dt.datetime, Shift]] = []
        for start, end, shift in timed:
            same = next(
                (i for i, t in enumerate(open_periods) if t[0] == start and t[1] == end), None
            )
            if same is not None:
                result.unchanged.append(open_periods.pop(same)[2].period_id)
            else:
                new_shifts.append((start, end, shift))

        if self.add_only:
            for start, end, shift in new_shifts:
                clash = next((p for p0, p1, p in declared if start < p1 and p0 < end), None)
                if clash is not None:
                    result.problems.append(
                        _shift_problem("add_only_overlap", shift, period=clash.period_id)
                    )
                else:
                    self._declare(shift, start)
            return

        paired: list[tuple[Shift, Period]] = []
        for start, end, shift in new_shifts:
            touching = [t for t in open_periods if start < t[1] and t[0] < end]
            if len(touching) == 1:
                p0, p1, period = touching[0]
                if sum(s0 < p1 and p0 < s1 for s0, s1, _ in new_shifts) == 1:
                    paired.append((shift, period))
        paired_shifts = {id(s) for s, _ in paired}
        paired_periods = {p.period_id for _, p in paired}

        kept: list[
            tuple[dt.datetime, dt.datetime, Period]
        ] = []  # periods that stay live because changing them is too late
        for shift, period in paired:
            if is_late(as_of, min(period.declared_start, shift.start, key=utc)):
                kept.append((utc(period.declared_start), utc(period.declared_end), period))
                result.late.append(Operation(Kind.UPDATE, shift, period, late=True))
                result.problems.append(
                    _shift_problem("late_change", shift, period=period.period_id)
                )
            else:
                self.updates.append(Operation(Kind.UPDATE, shift, period, reason="roster changed"))
        for p0, p1, period in open_periods:
            if period.period_id in paired_periods:
                continue
            if p0 <= self.as_of_utc:  # is_late(as_of, declared start)
                kept.append((p0, p1, period))
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
                self.cancels.append(
                    Operation(Kind.CANCEL, period=period, reason="not in the roster")
                )
        for start, end, shift in new_shifts:
            if id(shift) in paired_shifts:
                continue
            clash = next((p for k0, k1, p in kept if start < k1 and k0 < end), None)
            if clash is not None:
                result.late.append(Operation(Kind.IN, shift, late=True))
                result.problems.append(_shift_problem("late_change", shift, period=clash.period_id))
            else:
                self._declare(shift, start)

    def _declare(self, shift: Shift, start_utc: dt.datetime) -> None:
        result = self.result
        day = work_day(shift.start)
        earliest = self.earliest.get(day)
        if earliest is None:
            earliest = self.earliest[day] = self.rules.earliest_filing(shift.start)
        if self.as_of_utc < utc(earliest):
            result.held.append(shift)
            result.problems.append(
                _shift_problem("too_early", shift, earliest=f"{earliest:%d/%m/%Y}")
            )
            return
        late = self.as_of_utc >= start_utc  # is_late(as_of, shift start)
        operation = Operation(Kind.IN, shift, late=late, reason="new shift")
        self.ins.append(operation)
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
