"""Matching actual hours with declared periods: findings, actions, deadlines (pure)."""

import datetime as dt

from batch.model import (
    BRUSSELS,
    Action,
    DeadlineStatus,
    Employer,
    Finding,
    Kind,
    Period,
    PeriodStatus,
    Worker,
)
from batch.reconcile import Actual, reconcile
from tests.conftest import AN, at

EMPLOYER = Employer("0566988259", "000935467", "Brasserie Het Pand")
WORKER = Worker(AN, "Peeters", "An")


def period(start, end, pid="660740832053"):
    s, e = at(start), at(end)
    return Period(pid, EMPLOYER, WORKER, s, e, s, e, PeriodStatus.ACTIVE, "sandbox")


def actual(start, end, day=None, absent=False):
    s = at(start) if start else None
    e = at(end) if end else None
    work_day = dt.date.fromisoformat(day) if day else s.date()
    return Actual(EMPLOYER, WORKER, work_day, s, e, absent)


def one(actuals, periods, as_of, **kw):
    (line,) = reconcile(actuals, periods, at(as_of), **kw)
    return line


def summary(line):
    c = line.correction
    return (
        "; ".join(f.value for f in c.findings),
        c.action.value,
        c.deadline and f"{c.deadline:%d/%m %H:%M}",
        c.deadline_status.value,
        c.difference_minutes,
    )


def test_match():
    line = one(
        [actual("2026-06-25 10:00", "2026-06-25 14:00")],
        [period("2026-06-25 10:00", "2026-06-25 14:00")],
        "2026-06-26 09:00",
    )
    assert summary(line) == ("match", "none", None, "n/a", 0)
    assert line.operation is None


def test_later_end_in_time_is_an_update_with_the_full_new_times():
    line = one(
        [actual("2026-06-25 10:00", "2026-06-25 16:00")],
        [period("2026-06-25 10:00", "2026-06-25 14:00")],
        "2026-06-25 21:59",
    )
    assert summary(line) == ("later end", "update", "25/06 22:00", "in time", 120)
    op = line.operation
    assert (op.kind, op.start, op.end, op.late) == (
        Kind.UPDATE,
        at("2026-06-25 10:00"),
        at("2026-06-25 16:00"),
        False,
    )


def test_later_end_at_the_deadline_is_late_but_still_filed():
    line = one(
        [actual("2026-06-25 10:00", "2026-06-25 16:00")],
        [period("2026-06-25 10:00", "2026-06-25 14:00")],
        "2026-06-25 22:00",
    )
    assert summary(line) == ("later end", "update", "25/06 22:00", "late", 120)
    assert line.operation.late


def test_earlier_end_both_sides_of_midnight():
    p = [period("2026-06-25 10:00", "2026-06-25 14:00")]
    a = [actual("2026-06-25 10:00", "2026-06-25 12:30")]
    assert summary(one(a, p, "2026-06-25 23:59"))[1:4] == ("update", "26/06 00:00", "in time")
    assert summary(one(a, p, "2026-06-26 00:00"))[1:4] == ("update", "26/06 00:00", "late")


def test_evening_end_band_gives_until_8_next_morning():
    p = [period("2026-06-25 18:00", "2026-06-25 22:00")]
    a = [actual("2026-06-25 18:00", "2026-06-25 23:30")]
    assert summary(one(a, p, "2026-06-26 07:59"))[2:4] == ("26/06 08:00", "in time")
    assert summary(one(a, p, "2026-06-26 08:00"))[2:4] == ("26/06 08:00", "late")


def test_overnight_later_end():
    p = [period("2026-06-25 22:00", "2026-06-26 02:00")]
    a = [actual("2026-06-25 22:00", "2026-06-26 03:00", day="2026-06-25")]
    assert summary(one(a, p, "2026-06-26 09:00")) == (
        "later end",
        "update",
        "26/06 10:00",
        "in time",
        60,
    )


def test_later_start_seen_afterwards_is_manual_and_not_filed():
    p = [period("2026-06-25 10:00", "2026-06-25 14:00")]
    a = [actual("2026-06-25 10:30", "2026-06-25 14:00")]
    line = one(a, p, "2026-06-25 18:00")
    assert summary(line) == ("later start", "manual", "25/06 10:30", "late", -30)
    assert line.operation is None


def test_later_start_before_the_worker_arrives_is_an_update():
    p = [period("2026-06-25 10:00", "2026-06-25 14:00")]
    a = [actual("2026-06-25 10:30", "2026-06-25 14:00")]
    line = one(a, p, "2026-06-25 10:29")
    assert summary(line) == ("later start", "update", "25/06 10:30", "in time", -30)
    assert line.operation.start == at("2026-06-25 10:30")


def test_late_start_with_later_end_files_the_end_and_leaves_the_start_to_a_person():
    p = [period("2026-06-25 10:00", "2026-06-25 14:00")]
    a = [actual("2026-06-25 10:30", "2026-06-25 15:00")]
    line = one(a, p, "2026-06-25 18:00")
    assert summary(line) == ("later start; later end", "manual", "25/06 10:30", "late", 30)
    op = line.operation
    assert (op.start, op.end) == (at("2026-06-25 10:00"), at("2026-06-25 15:00"))


def test_no_show_by_status_and_by_absence_before_and_after_midnight():
    p = [period("2026-06-25 22:00", "2026-06-26 02:00")]
    by_status = [actual(None, None, day="2026-06-25", absent=True)]
    line = one(by_status, p, "2026-06-25 23:59")
    assert summary(line) == ("no-show", "cancel", "26/06 00:00", "in time", -240)
    assert line.operation.kind is Kind.CANCEL
    # no row for the worker that day, but the file covers the day (another worker's row)
    other = Actual(
        EMPLOYER,
        Worker("85073003328"),
        dt.date(2026, 6, 25),
        at("2026-06-25 22:00"),
        at("2026-06-26 02:00"),
    )
    lines = reconcile([other], p, at("2026-06-26 00:00"))
    no_show = next(x for x in lines if x.correction.period_id == "660740832053")
    assert summary(no_show) == ("no-show", "cancel", "26/06 00:00", "late", -240)
    assert no_show.operation.late


def test_undeclared_work_is_declared_late():
    line = one([actual("2026-06-25 10:00", "2026-06-25 14:00")], [], "2026-06-25 20:00")
    assert summary(line) == ("undeclared work", "declare", "25/06 10:00", "late", 240)
    assert (line.operation.kind, line.operation.late) == (Kind.IN, True)


def test_split_shift_clock_segments_merge_per_period():
    periods = [
        period("2026-06-25 10:00", "2026-06-25 14:00", "1"),
        period("2026-06-25 18:00", "2026-06-25 22:00", "2"),
    ]
    segments = [
        actual("2026-06-25 09:58", "2026-06-25 12:00"),
        actual("2026-06-25 12:30", "2026-06-25 14:05"),
        actual("2026-06-25 18:00", "2026-06-25 22:00"),
    ]
    lines = reconcile(segments, periods, at("2026-06-25 23:00"))
    assert [summary(x)[:2] for x in lines] == [
        ("earlier start; later end", "manual"),
        ("match", "none"),
    ]
    first = lines[0].correction
    assert (first.actual_start, first.actual_end) == (
        at("2026-06-25 09:58"),
        at("2026-06-25 14:05"),
    )


def test_tolerance_treats_small_differences_as_a_match():
    p = [period("2026-06-25 10:00", "2026-06-25 14:00")]
    a = [actual("2026-06-25 10:04", "2026-06-25 14:05")]
    assert summary(one(a, p, "2026-06-25 18:00", tolerance=5))[:2] == ("match", "none")
    assert summary(one(a, p, "2026-06-25 18:00", tolerance=4))[0] == "later end"
    assert summary(one(a, p, "2026-06-25 18:00", tolerance=3))[0] == "later start; later end"


def test_periods_outside_the_window_are_not_looked_at():
    p = [period("2026-06-24 10:00", "2026-06-24 14:00")]
    lines = reconcile([actual("2026-06-25 10:00", "2026-06-25 14:00")], p, at("2026-06-26 09:00"))
    assert [summary(x)[0] for x in lines] == ["undeclared work"]


def test_dst_night_later_end():
    p = [period("2026-10-24 17:00", "2026-10-25 01:00")]
    second_0230 = dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BRUSSELS)  # CET, after 03:00 CEST
    a = [Actual(EMPLOYER, WORKER, dt.date(2026, 10, 24), at("2026-10-24 17:00"), second_0230)]
    line = one(a, p, "2026-10-25 07:59")
    c = line.correction
    assert c.deadline == dt.datetime(2026, 10, 25, 8, 0, tzinfo=BRUSSELS)
    assert c.deadline.utcoffset() == dt.timedelta(hours=1)
    assert c.deadline_status is DeadlineStatus.IN_TIME
    assert c.findings == (Finding.LATER_END,) and c.action is Action.UPDATE
    # 01:00 CEST -> 02:30 CET is 150 real minutes
    assert c.difference_minutes == 150
