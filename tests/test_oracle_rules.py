"""The oracle held to the worked examples of domain.md §3, before it judges the batch."""

import datetime as dt

import pytest

from tests.oracle import (
    BRUSSELS,
    expect,
    expect_undeclared,
    late_in,
    later_end_deadline,
    moment,
    shown,
    utc,
)

AFTER = moment("2026-06-24 12:00")  # every deadline below is still ahead


def m(text: str) -> dt.datetime:
    return moment(f"2026-{text}")


@pytest.mark.parametrize(
    ("start", "end", "actual_start", "actual_end", "finding", "deadline"),
    [
        ("06-25 10:00", "06-25 14:00", "06-25 10:00", "06-25 16:00", "later end", "06-25 22:00"),
        ("06-25 10:00", "06-25 14:00", "06-25 10:00", "06-25 12:30", "earlier end", "06-26 00:00"),
        ("06-25 18:00", "06-25 22:00", "06-25 18:00", "06-25 23:30", "later end", "06-26 08:00"),
        ("06-25 16:00", "06-25 20:00", "06-25 16:00", "06-25 21:00", "later end", "06-26 08:00"),
        ("06-25 22:00", "06-26 02:00", "06-25 22:00", "06-26 03:00", "later end", "06-26 10:00"),
        ("06-25 10:00", "06-25 14:00", "06-25 10:30", "06-25 14:00", "later start", "06-25 10:30"),
    ],
)
def test_worked_examples(start, end, actual_start, actual_end, finding, deadline):
    row = expect(m(start), m(end), m(actual_start), m(actual_end), AFTER)
    assert (row.findings, shown(row.deadline), row.status) == (
        finding,
        shown(m(deadline)),
        "in time",
    )


def test_worked_example_no_show_crossing_midnight_has_two_hours():
    row = expect(m("06-25 22:00"), m("06-26 02:00"), None, None, AFTER)
    assert (row.findings, row.action, shown(row.deadline)) == (
        "no-show",
        "cancel",
        dt.datetime(2026, 6, 26, 0, 0),
    )


def test_filed_at_the_deadline_minute_is_late_one_minute_before_in_time():
    declared = (m("06-25 10:00"), m("06-25 14:00"))
    actual = (m("06-25 10:30"), m("06-25 14:00"))
    before = expect(*declared, *actual, m("06-25 10:29"))
    at = expect(*declared, *actual, m("06-25 10:30"))
    assert (before.status, before.action, before.result) == ("in time", "update", "A")
    assert (at.status, at.action, at.result) == ("late", "manual", None)


def test_late_end_is_still_filed_marked_late():
    row = expect(m("06-25 10:00"), m("06-25 14:00"), m("06-25 10:00"), m("06-25 16:00"),
                 m("06-25 22:00"))  # fmt: skip
    assert (row.action, row.status, row.result) == ("update", "late", "W")


def test_late_no_show_still_cancels_and_undeclared_work_still_declares():
    no_show = expect(m("06-25 10:00"), m("06-25 14:00"), None, None, m("06-26 00:00"))
    undeclared = expect_undeclared(m("06-25 17:00"), m("06-25 17:00"))
    assert (no_show.action, no_show.status, no_show.result) == ("cancel", "late", "W")
    assert (undeclared.action, undeclared.status, undeclared.result) == ("declare", "late", "W")
    assert expect_undeclared(m("06-25 17:00"), m("06-25 16:59")).result == "A"


def test_a_late_start_with_a_late_end_is_manual_and_files_the_end_marked_late():
    row = expect(m("06-25 10:00"), m("06-25 14:00"), m("06-25 09:58"), m("06-25 16:00"),
                 m("06-25 23:00"))  # fmt: skip
    assert row.findings == "earlier start; later end"
    assert (row.action, shown(row.deadline), row.status, row.result) == (
        "manual",
        dt.datetime(2026, 6, 25, 9, 58),
        "late",
        "W",
    )


def test_an_end_at_midnight_is_24_00_of_the_evening_before():
    assert shown(later_end_deadline(m("06-26 00:00"))) == dt.datetime(2026, 6, 26, 8, 0)
    assert shown(later_end_deadline(m("06-26 00:01"))) == dt.datetime(2026, 6, 26, 8, 1)
    assert shown(later_end_deadline(m("06-25 19:59"))) == dt.datetime(2026, 6, 26, 3, 59)


def test_eight_hours_are_elapsed_across_both_dst_nights():
    # autumn: 24/10 19:30 CEST + 8 h is 02:30 CET, the second 02:30 (issue 8's example)
    autumn = later_end_deadline(m("10-24 19:30"))
    assert utc(autumn) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    assert (shown(autumn), autumn.fold) == (dt.datetime(2026, 10, 25, 2, 30), 1)
    row = expect(m("10-24 11:15"), m("10-24 19:30"), m("10-24 11:15"), m("10-24 20:30"),
                 moment("2026-10-25 02:30"))  # fmt: skip
    assert (row.status, row.result) == ("in time", "A")
    # spring: 28/03 18:00 CET + 8 h is 03:00 CEST, the wall clock skips 02:00-03:00
    assert shown(later_end_deadline(m("03-28 18:00"))) == dt.datetime(2026, 3, 29, 3, 0)
    assert shown(later_end_deadline(m("03-28 17:59"))) == dt.datetime(2026, 3, 29, 1, 59)


def test_as_of_with_an_offset_names_one_reading_of_the_repeated_hour():
    first, second = moment("2026-10-25 02:30+02:00"), moment("2026-10-25 02:30+01:00")
    assert moment("2026-10-25 02:30") == first and utc(first) == utc(moment("2026-10-25 00:30Z"))
    assert utc(second) - utc(first) == dt.timedelta(hours=1)
    with pytest.raises(ValueError, match="does not exist"):
        moment("2026-03-29 02:30")


def test_late_in_rule_in_the_repeated_hour():
    start = moment("2026-10-25 02:31")  # first reading
    assert not late_in(start, moment("2026-10-25 02:30+02:00"))
    assert late_in(start, moment("2026-10-25 02:30+01:00"))  # an hour after the start
    assert late_in(start, start) and not late_in(start, start - dt.timedelta(minutes=1))
    assert start.tzinfo is BRUSSELS
