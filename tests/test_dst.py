"""Deadlines on the two daylight-saving nights, at the minute, in absolute time.

On 29/03/2026 the clocks skip 02:00-03:00 (CET +01:00 to CEST +02:00); on 25/10/2026 the
hour 02:00-03:00 happens twice (first CEST +02:00, fold=0; then CET +01:00, fold=1). Python
compares two datetimes of one tzinfo by wall clock and ignores fold: every case here would
be decided an hour wrong by a wall-clock comparison. Everything runs through the real
pipeline: rosters and actuals built with openpyxl, a real SQLite ledger, the sandbox.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.ledger import Ledger
from batch.model import (
    BRUSSELS,
    Employer,
    Kind,
    Operation,
    Period,
    PeriodStatus,
    References,
    Result,
    Shift,
    Worker,
)
from batch.pipeline import InputError, declare, file_operations, parse_as_of, reconcile
from batch.plan import plan
from tests.conftest import AN, BRASSERIE, JAN, shift, write_roster

UTC = dt.UTC
ACTUALS_HEADER = ["Ondernemingsnummer", "INSZ", "Naam", "Datum", "Ingeklokt", "Uitgeklokt"]


def moment(text: str) -> dt.datetime:
    """Like `--as-of`: `2026-10-25 02:30` is the first reading, `+01:00` names the second."""
    return parse_as_of(text)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def shown(when: dt.datetime) -> str:
    """Brussels wall time with its offset: which reading of the repeated hour it is."""
    return f"{when.astimezone(BRUSSELS):%d/%m/%Y %H:%M %z}"


def actual(day: str, start: str, end: str, insz: str = AN, name: str = "Peeters") -> list:
    return [
        BRASSERIE,
        insz,
        name,
        dt.date.fromisoformat(day),
        dt.time.fromisoformat(start),
        dt.time.fromisoformat(end),
    ]


def declared(tmp: Path, rows: list, as_of: str = "2026-10-20 12:00") -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    roster = write_roster(tmp / "roster.xlsx", rows)
    result = declare([roster], ledger=tmp / "l.sqlite", out=tmp / "d", as_of=moment(as_of))
    assert result.problems == [] and result.counts["declared"] == len(rows)
    return tmp / "l.sqlite"


def reconciled(tmp: Path, rows: list, as_of: str):
    actuals = write_roster(
        tmp / f"actuals-{len(list(tmp.glob('actuals-*')))}.xlsx",
        rows,
        header=ACTUALS_HEADER,
        title_rows=(),
        sheet="Prikklok",
    )
    result = reconcile(
        [actuals], ledger=tmp / "l.sqlite", out=tmp / "c", as_of=moment(as_of), lang="en"
    )
    assert [p for p in result.problems if p.severity.value == "error"] == []
    return result


def filed(ledger: Path) -> Counter:
    """(kind, result) of every declaration in the ledger."""
    with Ledger(ledger) as book:
        return Counter((row["kind"], row["result"]) for row in book.declarations())


def line(result, insz: str = AN):
    (c,) = [c for c in result.corrections if c.worker.insz == insz]
    return c


# --- the autumn night: 25/10/2026 ---------------------------------------------------------

LATER_END_ROSTER = [shift("2026-10-24", "11:15", "19:30")]
LATER_END_ACTUAL = [actual("2026-10-24", "11:15", "20:30")]


@pytest.mark.parametrize(
    ("as_of", "status", "answer"),
    [
        ("2026-10-25 02:30", "in time", "A"),  # 00:30 UTC: an hour before the deadline
        ("2026-10-25 02:59+02:00", "in time", "A"),
        ("2026-10-25 02:00+01:00", "in time", "A"),  # the second 02:00 (01:00 UTC)
        ("2026-10-25 02:29+01:00", "in time", "A"),  # the minute before
        ("2026-10-25 02:30+01:00", "late", "W"),  # at the deadline minute: late
        ("2026-10-25 02:31+01:00", "late", "W"),
    ],
)
def test_later_end_deadline_is_eight_elapsed_hours_in_the_repeated_hour(
    tmp_path, as_of, status, answer
):
    ledger = declared(tmp_path, LATER_END_ROSTER)
    result = reconciled(tmp_path, LATER_END_ACTUAL, as_of)
    c = line(result)
    assert [f.value for f in c.findings] == ["later end"]
    # 19:30 CEST + 8 h = 02:30 CET, the second 02:30 of the night
    assert shown(c.deadline) == "25/10/2026 02:30 +0100"
    assert c.deadline.astimezone(UTC) == utc("2026-10-25 01:30")
    assert (c.action.value, c.deadline_status.value, c.result.value) == ("update", status, answer)
    assert filed(ledger) == Counter({("IN", "A"): 1, ("UPDATE", answer): 1})


def test_later_end_in_the_repeated_hour_counts_elapsed_hours(tmp_path):
    """Declared until 02:30 CEST: + 8 h is 09:30 CET, not 10:30 on the wall clock."""
    declared(tmp_path, [shift("2026-10-24", "22:00", "02:30")])
    early = reconciled(tmp_path, [actual("2026-10-24", "22:00", "03:30")], "2026-10-25 09:29")
    c = line(early)
    assert shown(c.deadline) == "25/10/2026 09:30 +0100"
    assert (c.deadline_status.value, c.result.value) == ("in time", "A")
    assert c.difference_minutes == 120  # 02:30 CEST to 03:30 CET is two hours


def test_later_end_at_the_minute_after_the_repeated_hour(tmp_path):
    declared(tmp_path, [shift("2026-10-24", "22:00", "02:30")])
    c = line(reconciled(tmp_path, [actual("2026-10-24", "22:00", "03:30")], "2026-10-25 09:30"))
    assert (c.deadline_status.value, c.result.value) == ("late", "W")


@pytest.mark.parametrize(
    ("as_of", "status"), [("2026-10-25 23:59", "in time"), ("2026-10-26 00:00", "late")]
)
def test_earlier_end_across_the_autumn_night(tmp_path, as_of, status):
    ledger = declared(tmp_path, [shift("2026-10-24", "22:00", "04:00")])
    c = line(reconciled(tmp_path, [actual("2026-10-24", "22:00", "02:45")], as_of))
    assert [f.value for f in c.findings] == ["earlier end"]
    assert shown(c.deadline) == "26/10/2026 00:00 +0100"
    # declared 22:00 CEST - 04:00 CET is 7 h; worked until 02:45 CEST, 4 h 45
    assert c.difference_minutes == 285 - 420
    assert (c.action.value, c.deadline_status.value) == ("update", status)
    assert filed(ledger)[("UPDATE", "A" if status == "in time" else "W")] == 1


@pytest.mark.parametrize("as_of", ["2026-10-25 02:30", "2026-10-25 02:30+01:00"])
def test_no_show_in_the_repeated_hour_is_cancelled_in_time(tmp_path, as_of):
    rows = [
        shift("2026-10-25", "01:00", "05:00"),
        shift("2026-10-25", "10:00", "14:00", insz=JAN, last="Janssens", first="Jan"),
    ]
    ledger = declared(tmp_path, rows)
    result = reconciled(
        tmp_path, [actual("2026-10-25", "10:00", "14:00", insz=JAN, name="Janssens")], as_of
    )
    c = line(result)
    assert [f.value for f in c.findings] == ["no-show"]
    assert shown(c.deadline) == "26/10/2026 00:00 +0100"
    assert (c.action.value, c.deadline_status.value, c.result.value) == ("cancel", "in time", "A")
    assert c.difference_minutes == -300  # 01:00 CEST to 05:00 CET: five hours declared
    assert filed(ledger) == Counter({("IN", "A"): 2, ("CANCEL", "A"): 1})


@pytest.mark.parametrize(
    ("as_of", "late", "answer"),
    [
        ("2026-10-25 02:44", False, "A"),  # 00:44 UTC, the minute before the start
        ("2026-10-25 02:45", True, "W"),  # the start itself
        ("2026-10-25 02:15+01:00", True, "W"),  # 01:15 UTC: after the start, though "02:15"
    ],
)
def test_late_in_in_the_repeated_hour(tmp_path, as_of, late, answer):
    roster = write_roster(tmp_path / "roster.xlsx", [shift("2026-10-25", "02:45", "06:00")])
    result = declare(
        [roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "d", as_of=moment(as_of)
    )
    assert result.counts["late"] == int(late)
    ((op, d),) = zip(result.plan.operations, result.declarations, strict=True)
    assert (op.kind, op.late, d.result.value) == (Kind.IN, late, answer)
    assert d.start.astimezone(UTC) == utc("2026-10-25 00:45")  # the first 02:45 (CEST)
    assert filed(tmp_path / "l.sqlite") == Counter({("IN", answer): 1})


EMPLOYER = Employer("0566988259", "000935467", "Brasserie Het Pand")
WORKER = Worker(AN, "Peeters", "An")


def test_the_simulated_nsso_judges_the_repeated_hour_by_wall_time(tmp_path):
    """00:30-02:15 CET ends at 01:15 UTC, after 02:30 CEST (00:30 UTC) has begun; but a
    REST payload carries wall time only (`0215`), which the NSSO reads as the first 02:15.
    For it the two shifts touch nowhere: both are accepted. The batch itself compares in
    absolute time (the plan pairs such a period and shift, next test)."""
    first = Shift(EMPLOYER, WORKER, moment("2026-10-25 00:30"), moment("2026-10-25 02:15+01:00"))
    second = Shift(EMPLOYER, WORKER, moment("2026-10-25 02:30"), moment("2026-10-25 06:00"))
    as_of = moment("2026-10-20 12:00")
    (one,) = file_operations([Operation(Kind.IN, first)], tmp_path / "l.sqlite", as_of)
    (two,) = file_operations([Operation(Kind.IN, second)], tmp_path / "l.sqlite", as_of)
    assert one.payload["dimonaIn"]["endHour"] == "0215"
    assert (one.result, two.result) == (Result.ACCEPTED, Result.ACCEPTED)


def test_overlap_in_the_repeated_hour_pairs_roster_shift_and_period():
    """The plan sees the period and the new shift overlap: one UPDATE, not CANCEL + IN."""
    start, end = moment("2026-10-25 00:30"), moment("2026-10-25 02:15+01:00")
    period = Period(
        "660740832053",
        EMPLOYER,
        WORKER,
        start,
        end,
        start,
        end,
        PeriodStatus.ACTIVE,
        "sandbox",
        References(),
    )
    new = Shift(EMPLOYER, WORKER, moment("2026-10-25 02:30"), moment("2026-10-25 06:00"))
    result = plan([new], [period], moment("2026-10-20 12:00"))
    assert [(op.kind, op.period and op.period.period_id) for op in result.operations] == [
        (Kind.UPDATE, "660740832053")
    ]


def test_the_same_wall_time_in_both_readings_is_two_moments():
    first, second = moment("2026-10-25 02:30"), moment("2026-10-25 02:30+01:00")
    assert (first.fold, second.fold) == (0, 1)
    assert (shown(first), shown(second)) == ("25/10/2026 02:30 +0200", "25/10/2026 02:30 +0100")
    assert second.astimezone(UTC) - first.astimezone(UTC) == dt.timedelta(hours=1)
    assert shown(moment("2026-10-25T00:30Z")) == "25/10/2026 02:30 +0200"


def test_a_declaration_answered_in_the_repeated_hour_keeps_its_reading(tmp_path):
    """The ledger stores the offset: a moment of the second reading reads back as such."""
    ledger = declared(tmp_path, LATER_END_ROSTER)
    reconciled(tmp_path, LATER_END_ACTUAL, "2026-10-25 02:30+01:00")
    with Ledger(ledger) as book:
        (update,) = [r for r in book.declarations() if r["kind"] == "UPDATE"]
    assert update["sent_at"] == "2026-10-25T02:30:00+01:00"


# --- the spring night: 29/03/2026 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status", "answer"),
    [("2026-03-29 10:29", "in time", "A"), ("2026-03-29 10:30", "late", "W")],
)
def test_later_end_across_the_spring_gap_counts_elapsed_hours(tmp_path, as_of, status, answer):
    """01:30 CET + 8 h is 10:30 CEST (08:30 UTC), not 09:30 on the wall clock."""
    ledger = declared(tmp_path, [shift("2026-03-28", "22:00", "01:30")], "2026-03-20 12:00")
    c = line(reconciled(tmp_path, [actual("2026-03-28", "22:00", "03:30")], as_of))
    assert [f.value for f in c.findings] == ["later end"]
    assert shown(c.deadline) == "29/03/2026 10:30 +0200"
    assert c.deadline.astimezone(UTC) == utc("2026-03-29 08:30")
    assert c.difference_minutes == 60  # 01:30 CET to 03:30 CEST is one hour
    assert (c.deadline_status.value, c.result.value) == (status, answer)
    assert filed(ledger)[("UPDATE", answer)] == 1


@pytest.mark.parametrize(
    ("as_of", "status", "action", "updates"),
    [("2026-03-29 03:09", "in time", "update", 1), ("2026-03-29 03:10", "late", "manual", 0)],
)
def test_later_start_across_the_spring_gap(tmp_path, as_of, status, action, updates):
    ledger = declared(tmp_path, [shift("2026-03-29", "01:30", "06:00")], "2026-03-20 12:00")
    c = line(reconciled(tmp_path, [actual("2026-03-29", "03:10", "06:00")], as_of))
    assert [f.value for f in c.findings] == ["later start"]
    assert shown(c.deadline) == "29/03/2026 03:10 +0200"
    assert c.difference_minutes == -40  # 01:30 CET to 03:10 CEST is only 40 minutes
    assert (c.action.value, c.deadline_status.value) == (action, status)
    assert filed(ledger)[("UPDATE", "A")] == updates


@pytest.mark.parametrize(
    ("as_of", "status"), [("2026-03-28 23:59", "in time"), ("2026-03-29 00:00", "late")]
)
def test_no_show_on_the_spring_night(tmp_path, as_of, status):
    rows = [
        shift("2026-03-28", "22:00", "04:00"),
        shift("2026-03-28", "10:00", "14:00", insz=JAN, last="Janssens", first="Jan"),
    ]
    ledger = declared(tmp_path, rows, "2026-03-20 12:00")
    result = reconciled(
        tmp_path, [actual("2026-03-28", "10:00", "14:00", insz=JAN, name="Janssens")], as_of
    )
    c = line(result)
    assert shown(c.deadline) == "29/03/2026 00:00 +0100"
    assert c.difference_minutes == -300  # 22:00 CET to 04:00 CEST: five hours
    assert (c.action.value, c.deadline_status.value) == ("cancel", status)
    assert filed(ledger)[("CANCEL", "A" if status == "in time" else "W")] == 1


@pytest.mark.parametrize(
    ("as_of", "status"), [("2026-03-29 23:59", "in time"), ("2026-03-30 00:00", "late")]
)
def test_earlier_end_across_the_spring_gap(tmp_path, as_of, status):
    ledger = declared(tmp_path, [shift("2026-03-28", "22:00", "06:00")], "2026-03-20 12:00")
    c = line(reconciled(tmp_path, [actual("2026-03-28", "22:00", "03:30")], as_of))
    assert [f.value for f in c.findings] == ["earlier end"]
    assert shown(c.deadline) == "30/03/2026 00:00 +0200"
    assert c.difference_minutes == 270 - 420  # 22:00 CET - 06:00 CEST is 7 h; worked 4 h 30
    assert (c.action.value, c.deadline_status.value) == ("update", status)
    assert filed(ledger)[("UPDATE", "A" if status == "in time" else "W")] == 1


@pytest.mark.parametrize(
    ("as_of", "late", "answer"),
    [
        ("2026-03-29 01:59", False, "A"),  # 00:59 UTC, the minute before 03:00 CEST
        ("2026-03-29 03:00", True, "W"),
        ("2026-03-29 02:00+01:00", True, "W"),  # the same moment, named in winter time
    ],
)
def test_late_in_across_the_spring_gap(tmp_path, as_of, late, answer):
    roster = write_roster(tmp_path / "roster.xlsx", [shift("2026-03-29", "03:00", "07:00")])
    result = declare(
        [roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "d", as_of=moment(as_of)
    )
    ((op, d),) = zip(result.plan.operations, result.declarations, strict=True)
    assert (op.late, d.result.value, result.counts["late"]) == (late, answer, int(late))
    assert filed(tmp_path / "l.sqlite") == Counter({("IN", answer): 1})


def test_overlap_across_the_spring_gap_is_refused(tmp_path):
    """22:00 CET - 03:30 CEST ends at 01:30 UTC; a shift from 01:45 CET (00:45 UTC) overlaps."""
    ledger = declared(tmp_path, [shift("2026-03-28", "22:00", "03:30")], "2026-03-20 12:00")
    second = Shift(EMPLOYER, WORKER, moment("2026-03-29 01:45"), moment("2026-03-29 06:00"))
    as_of = moment("2026-03-20 13:00")
    (refused,) = file_operations([Operation(Kind.IN, second)], ledger, as_of)
    assert refused.result is Result.REFUSED


# --- naming a moment: --as-of -------------------------------------------------------------


def test_a_wall_time_in_the_spring_gap_is_an_error():
    with pytest.raises(InputError, match="29/03/2026 02:30 does not exist in Brussels"):
        parse_as_of("2026-03-29 02:30")
    assert shown(parse_as_of("2026-03-29 02:30+01:00")) == "29/03/2026 03:30 +0200"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_as_of_with_an_offset_names_the_second_reading(tmp_path):
    """A shift from the first 02:45: declared at the first 02:30 in time, at the second late."""
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-10-25", "02:45", "06:00")])
    first = invoke(
        "declare", roster, "--ledger", tmp_path / "a.sqlite", "--out", tmp_path / "a",
        "--as-of", "2026-10-25 02:30",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    second = invoke(
        "declare", roster, "--ledger", tmp_path / "b.sqlite", "--out", tmp_path / "b",
        "--as-of", "2026-10-25 02:30+01:00",
    )  # fmt: skip
    assert second.exit_code == 1, second.output
    assert filed(tmp_path / "a.sqlite") == Counter({("IN", "A"): 1})
    assert filed(tmp_path / "b.sqlite") == Counter({("IN", "W"): 1})
    with Ledger(tmp_path / "b.sqlite") as book:
        (row,) = book.declarations()
    assert (row["sent_at"], row["late"]) == ("2026-10-25T02:30:00+01:00", 1)


def test_cli_as_of_in_the_spring_gap_exits_2_and_files_nothing(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-03-29", "10:00", "14:00")])
    result = invoke(
        "declare", roster, "--ledger", tmp_path / "l.sqlite", "--out", tmp_path / "o",
        "--as-of", "2026-03-29 02:30",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "does not exist in Brussels" in " ".join(result.output.split())
    assert not (tmp_path / "l.sqlite").exists()


def test_cli_reconcile_as_of_in_the_second_reading(tmp_path):
    ledger = declared(tmp_path, LATER_END_ROSTER)
    actuals = write_roster(
        tmp_path / "a.xlsx", LATER_END_ACTUAL, header=ACTUALS_HEADER, title_rows=()
    )
    result = invoke(
        "reconcile", actuals, "--ledger", ledger, "--out", tmp_path / "c",
        "--as-of", "2026-10-25 02:29+01:00", "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert filed(ledger) == Counter({("IN", "A"): 1, ("UPDATE", "A"): 1})


def test_moments_worked_out_once_keep_the_repeated_hours_two_readings_apart():
    """Python holds 02:30 (summer time) and 02:30 (winter time) equal: a cache keyed by the
    datetime alone would hand the second reading the first one's text."""
    from batch.channels.payloads import date_and_hour
    from batch.ledger.outbox import _day, _text
    from batch.nsso.core import _instant

    summer = dt.datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS)
    winter = summer.replace(fold=1)
    assert summer == winter  # the trap
    for first, second in ((summer, winter), (winter, summer)):
        assert _text(first) != _text(second)
        assert _instant(first) != _instant(second)
    assert _text(winter) == "2026-10-25T02:30:00+01:00"
    assert _text(summer) == "2026-10-25T02:30:00+02:00"
    assert _instant(winter) == "2026-10-25T01:30:00Z"
    assert _instant(summer) == "2026-10-25T00:30:00Z"
    assert date_and_hour(summer) == date_and_hour(winter) == ("2026-10-25", "0230")
    assert _day(winter) == _day(summer) == "2026-10-25"


def test_a_column_of_moments_becomes_brussels_datetimes_each_reading_its_own():
    """`timeparse.to_python` works each distinct instant out once and shares it among the
    rows: the two readings of 02:30 on the autumn night stay two moments (fold 0, then 1),
    a missing time stays None, and every row holds the instant it was given."""
    import pandas as pd

    from batch import timeparse

    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # 02:30 CET, an hour later
    spring = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 03:00 CEST, after the skip
    given = [first, second, None, first, spring, second, first]
    column = pd.Series(pd.to_datetime(given, utc=True)).dt.tz_convert("Europe/Brussels")
    moments = timeparse.to_python(column)
    assert moments[2] is None
    assert [m and m.astimezone(dt.UTC) for m in moments] == given
    assert [(m.hour, m.minute, m.fold) for m in moments if m] == [
        (2, 30, 0),
        (2, 30, 1),
        (2, 30, 0),
        (3, 0, 0),
        (2, 30, 1),
        (2, 30, 0),
    ]
    assert all(m.tzinfo is BRUSSELS for m in moments if m)
    assert moments[0] is moments[3] is moments[6] and moments[1] is moments[5]
