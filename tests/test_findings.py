"""Findings the actual hours support, and only those (domain.md §3), end to end.

One start-change rule for the report and the sandbox; a rejected clock row is never a
no-show; an arrival before midnight is the early start of the shift after midnight. Each
case declares a roster into a real SQLite ledger, reconciles a real actuals workbook and
counts what was filed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from batch.identifiers import format_insz
from batch.ledger import Ledger
from batch.model import BRUSSELS, Finding
from batch.pipeline import declare, parse_as_of, reconcile
from batch.render.labels import finding_label
from batch.rules import LATER_START, RuleBook, Times, load_rules
from tests.conftest import AN, BRASSERIE, JAN, shift, write_roster
from tests.workbooks import insz

MARIE = insz("900225", 2)
ACTUALS_HEADER = ["Ondernemingsnummer", "INSZ", "Naam", "Datum", "Ingeklokt", "Uitgeklokt"]
UTC = dt.UTC


def cell(text: str | None) -> object:
    """An Excel time or date cell, or the text as typed when it is neither."""
    if text is None:
        return None
    for parse in (dt.time.fromisoformat, dt.date.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            pass
    return text


def actual(day: str, start: str | None, end: str | None, who: str = AN) -> list:
    return [BRASSERIE, who, "", cell(day), cell(start), cell(end)]


def roster(day: str, start: str, end: str, who: str = AN) -> list:
    names = {AN: ("Peeters", "An"), JAN: ("Janssens", "Jan"), MARIE: ("Claes", "Marie")}
    last, first = names[who]
    return shift(day, start, end, insz=who, last=last, first=first)


def declared(tmp: Path, rows: list, as_of: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    result = declare(
        [write_roster(tmp / "roster.xlsx", rows)],
        ledger=tmp / "l.sqlite",
        out=tmp / "d",
        as_of=parse_as_of(as_of),
    )
    assert result.problems == [] and result.counts["declared"] == len(rows)
    return tmp / "l.sqlite"


def reconciled(tmp: Path, rows: list, as_of: str, **kw):
    path = write_roster(tmp / "actuals.xlsx", rows, header=ACTUALS_HEADER, title_rows=())
    return reconcile(
        [path], ledger=tmp / "l.sqlite", out=tmp / "c", as_of=parse_as_of(as_of), lang="en", **kw
    )


def filed(ledger: Path) -> Counter:
    with Ledger(ledger) as book:
        return Counter((row["kind"], row["result"]) for row in book.declarations())


def summary(c) -> tuple:
    return (
        "; ".join(f.value for f in c.findings),
        c.action.value,
        c.deadline and f"{c.deadline:%d/%m %H:%M}",
        c.deadline_status.value,
        c.result and c.result.value,
    )


def of(result, who: str = AN) -> list:
    return [summary(c) for c in result.corrections if c.worker.insz == who]


# --- 2. one start-change rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected", "updates"),
    [
        ("2026-06-26 00:00", ("later start", "update", "26/06 00:01", "in time", "A"), 1),
        ("2026-06-26 00:01", ("later start", "manual", "26/06 00:01", "late", None), 0),
    ],
)
def test_a_start_update_is_due_by_the_actual_start_in_report_and_sandbox(
    tmp_path, as_of, expected, updates
):
    """Declared 00:00, arrived 00:01: filed at 00:00 it is in time, and the sandbox says A."""
    ledger = declared(tmp_path, [roster("2026-06-26", "00:00", "04:00")], "2026-06-25 12:00")
    result = reconciled(tmp_path, [actual("2026-06-26", "00:01", "04:00")], as_of)
    assert of(result) == [expected]
    assert filed(ledger) == Counter({("IN", "A"): 1, **({("UPDATE", "A"): 1} if updates else {})})
    if updates:
        (update,) = result.filed
        assert (update.anomalies, update.payload["dimonaUpdate"]["startHour"]) == ((), "0001")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-06-25 09:29", ("earlier start", "update", "25/06 09:30", "in time", "A")),
        ("2026-06-25 09:30", ("earlier start", "manual", "25/06 09:30", "late", None)),
    ],
)
def test_an_earlier_start_is_due_by_the_actual_start(tmp_path, as_of, expected):
    declared(tmp_path, [roster("2026-06-25", "10:00", "14:00")], "2026-06-24 12:00")
    result = reconciled(tmp_path, [actual("2026-06-25", "09:30", "14:00")], as_of)
    assert of(result) == [expected]


def test_the_sandbox_takes_the_start_deadline_from_the_rule_table(tmp_path):
    """Override the rule (due by the declared start, filed even late): the sandbox follows."""
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(
        '[[rule]]\nfinding = "later start"\ndeadline = "declared start"\nlate = "update"\n',
        encoding="utf-8",
    )
    rules = load_rules(rules_file)
    ledger = declared(tmp_path, [roster("2026-06-26", "00:00", "04:00")], "2026-06-25 12:00")
    result = reconciled(
        tmp_path, [actual("2026-06-26", "00:01", "04:00")], "2026-06-26 00:00", rules=rules
    )
    assert of(result) == [("later start", "update", "26/06 00:00", "late", "W")]
    assert filed(ledger) == Counter({("IN", "A"): 1, ("UPDATE", "W"): 1})


def test_change_deadline_is_the_rule_tables_deadline():
    book = RuleBook()
    start = dt.datetime(2026, 6, 26, 0, 0, tzinfo=BRUSSELS)
    end = dt.datetime(2026, 6, 26, 4, 0, tzinfo=BRUSSELS)
    later = dt.datetime(2026, 6, 26, 0, 1, tzinfo=BRUSSELS)
    times = Times(start, end)
    rule = book.rule(LATER_START).deadline_for(Times(start, end, actual_start=later))
    assert book.change_deadline(times, later, end) == rule == later
    # a start moved later and an end moved earlier: the earlier deadline holds
    assert book.change_deadline(times, later, end - dt.timedelta(hours=1)) == later


# --- 3. a rejected clock row is not a no-show ----------------------------------------------

THREE = [
    roster("2026-06-29", "10:00", "14:00", AN),
    roster("2026-06-29", "10:00", "14:00", JAN),
    roster("2026-06-29", "10:00", "14:00", MARIE),
]


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("10:00", "abc", "bad_time"),
        ("10:00", "25:99", "bad_time"),
        ("10:00", None, "missing"),
    ],
)
def test_a_period_whose_only_row_was_rejected_is_unreadable_not_a_no_show(
    tmp_path, start, end, code
):
    ledger = declared(tmp_path, THREE, "2026-06-28 12:00")
    rows = [actual("2026-06-29", start, end, AN), actual("2026-06-29", "10:00", "14:00", MARIE)]
    result = reconciled(tmp_path, rows, "2026-06-29 20:00")
    assert of(result, AN) == [("actual hours unreadable", "manual", None, "n/a", None)]
    assert of(result, JAN) == [("no-show", "cancel", "30/06 00:00", "in time", "A")]  # no row
    assert of(result, MARIE) == [("match", "none", None, "n/a", None)]
    (problem,) = result.problems
    assert (problem.row, problem.severity.value) == (2, "error")
    assert problem.code == code
    assert filed(ledger) == Counter({("IN", "A"): 3, ("CANCEL", "A"): 1})  # JAN's only
    assert result.exit_status == 1
    (c,) = [c for c in result.corrections if c.worker.insz == AN]
    assert c.note == "unreadable"


def test_a_date_that_does_not_exist_is_unreadable_for_the_workers_period(tmp_path):
    ledger = declared(tmp_path, THREE[:1] + THREE[2:], "2026-06-28 12:00")
    rows = [
        actual("31/06/2026", "10:00", "14:00", AN),
        actual("2026-06-29", "10:00", "14:00", MARIE),
    ]
    result = reconciled(tmp_path, rows, "2026-06-29 20:00")
    assert of(result, AN) == [("actual hours unreadable", "manual", None, "n/a", None)]
    assert filed(ledger) == Counter({("IN", "A"): 2})


def test_a_file_whose_only_row_for_the_day_was_rejected_cancels_nobody(tmp_path):
    ledger = declared(tmp_path, THREE, "2026-06-28 12:00")
    result = reconciled(tmp_path, [actual("2026-06-29", "10:00", "abc", AN)], "2026-06-29 20:00")
    # the file speaks for nobody else that day: JAN and MARIE are not looked at
    assert [(c.worker.insz, summary(c)[:2]) for c in result.corrections] == [
        (AN, ("actual hours unreadable", "manual"))
    ]
    assert filed(ledger) == Counter({("IN", "A"): 3})


def test_clocking_out_at_the_minute_of_clocking_in_is_unreadable_never_filed(tmp_path):
    ledger = declared(tmp_path, THREE, "2026-06-28 12:00")
    rows = [
        actual("2026-06-29", "10:00", "10:00", AN),
        actual("2026-06-29", "10:00", "14:00", MARIE),
    ]
    result = reconciled(tmp_path, rows, "2026-06-29 20:00")
    assert of(result, AN) == [("actual hours unreadable", "manual", None, "n/a", None)]
    (c,) = [c for c in result.corrections if c.worker.insz == AN]
    assert (c.note, c.actual_start, c.actual_end) == (
        "same_in_out",
        dt.datetime(2026, 6, 29, 10, 0, tzinfo=BRUSSELS),
        None,
    )
    # validation rejects 10:00-10:00 (it is not read as 24 hours)
    assert [p.code for p in result.problems] == ["end_equals_start"]
    assert filed(ledger) == Counter({("IN", "A"): 3, ("CANCEL", "A"): 1})  # JAN's only
    sheet = openpyxl.load_workbook(tmp_path / "c" / "corrections.xlsx").active
    rows_read = [r for r in sheet.values if r[2] == format_insz(AN)]
    assert [(r[12], r[13], r[18]) for r in rows_read] == [
        (
            "actual hours unreadable",
            "manual",
            "Clocked out at the same time as in: the worker was there, the end is not known.",
        )
    ]


def test_an_absence_status_is_still_a_no_show(tmp_path):
    ledger = declared(tmp_path, THREE[:1], "2026-06-28 12:00")
    rows = [[BRASSERIE, AN, "", dt.date(2026, 6, 29), None, None, "afwezig"]]
    path = write_roster(
        tmp_path / "actuals.xlsx", rows, header=[*ACTUALS_HEADER, "Status"], title_rows=()
    )
    result = reconcile(
        [path], ledger=ledger, out=tmp_path / "c", as_of=parse_as_of("2026-06-29 20:00")
    )
    assert of(result) == [("no-show", "cancel", "30/06 00:00", "in time", "A")]
    assert filed(ledger) == Counter({("IN", "A"): 1, ("CANCEL", "A"): 1})


def test_unreadable_hours_have_labels_in_three_languages():
    assert [finding_label(Finding.UNREADABLE, lang) for lang in ("nl", "fr", "en")] == [
        "werkelijke uren onleesbaar",
        "heures réelles illisibles",
        "actual hours unreadable",
    ]


# --- 4. an arrival before midnight for a shift after midnight -------------------------------

AFTER_MIDNIGHT = [
    roster("2026-06-26", "00:30", "04:00", AN),
    roster("2026-06-26", "10:00", "14:00", JAN),
]
EARLY_LATE = ("earlier start", "manual", "25/06 23:50", "late", None)


@pytest.mark.parametrize(
    "rows",
    [
        [actual("2026-06-25", "23:50", "04:00")],  # the file covers 25/06 only
        [actual("2026-06-25", "23:50", "04:00"), actual("2026-06-26", "10:00", "14:00", JAN)],
        [  # the time clock splits at midnight; the file covers both days
            actual("2026-06-25", "23:50", "00:00"),
            actual("2026-06-26", "00:00", "04:00"),
            actual("2026-06-26", "10:00", "14:00", JAN),
        ],
    ],
    ids=["only-25", "both-days", "split-at-midnight"],
)
def test_clocking_in_before_midnight_is_an_earlier_start_of_the_shift_after(tmp_path, rows):
    ledger = declared(tmp_path, AFTER_MIDNIGHT, "2026-06-25 12:00")
    result = reconciled(tmp_path, rows, "2026-06-26 10:00")
    assert of(result) == [EARLY_LATE]
    (c,) = [c for c in result.corrections if c.worker.insz == AN]
    assert (c.actual_start, c.actual_end) == (
        dt.datetime(2026, 6, 25, 23, 50, tzinfo=BRUSSELS),
        dt.datetime(2026, 6, 26, 4, 0, tzinfo=BRUSSELS),
    )
    assert c.deadline.astimezone(UTC) == dt.datetime(2026, 6, 25, 21, 50, tzinfo=UTC)
    assert filed(ledger) == Counter({("IN", "A"): 2})  # no IN for 23:50, no refusal
    assert all(d.kind.value != "IN" for d in result.filed)


def test_clocking_in_before_midnight_in_time_updates_the_start(tmp_path):
    ledger = declared(tmp_path, AFTER_MIDNIGHT, "2026-06-25 12:00")
    result = reconciled(tmp_path, [actual("2026-06-25", "23:50", "04:00")], "2026-06-25 23:49")
    assert of(result) == [("earlier start", "update", "25/06 23:50", "in time", "A")]
    (update,) = result.filed
    body = update.payload["dimonaUpdate"]
    assert (body["startDate"], body["startHour"], body["endDate"], body["endHour"]) == (
        "2026-06-25",
        "2350",
        "2026-06-26",
        "0400",
    )
    assert filed(ledger) == Counter({("IN", "A"): 2, ("UPDATE", "A"): 1})


def test_only_the_arrival_before_midnight_leaves_the_end_unknown(tmp_path):
    """The file ends at midnight: when the worker left is not known, nothing is filed."""
    ledger = declared(tmp_path, AFTER_MIDNIGHT, "2026-06-25 12:00")
    result = reconciled(tmp_path, [actual("2026-06-25", "23:50", "00:00")], "2026-06-25 23:49")
    assert of(result) == [("earlier start", "manual", "25/06 23:50", "in time", None)]
    (c,) = result.corrections
    assert (c.note, c.actual_end, c.difference_minutes) == ("end_unknown", None, None)
    assert filed(ledger) == Counter({("IN", "A"): 2})


EVENING = [roster("2026-06-25", "18:00", "00:00", AN)]


def test_work_after_midnight_is_a_later_end_of_the_evening_shift(tmp_path):
    """Declared until 00:00 (24:00 for the evening band): the end update is due by 08:00."""
    ledger = declared(tmp_path, EVENING, "2026-06-24 12:00")
    rows = [actual("2026-06-25", "18:00", "00:00"), actual("2026-06-26", "00:00", "01:00")]
    result = reconciled(tmp_path, rows, "2026-06-26 07:59")
    assert of(result) == [("later end", "update", "26/06 08:00", "in time", "A")]
    assert filed(ledger) == Counter({("IN", "A"): 1, ("UPDATE", "A"): 1})


def test_work_after_midnight_seen_alone_leaves_the_start_unknown(tmp_path):
    ledger = declared(tmp_path, EVENING, "2026-06-24 12:00")
    result = reconciled(tmp_path, [actual("2026-06-26", "00:00", "01:00")], "2026-06-26 07:59")
    assert of(result) == [("later end", "manual", "26/06 08:00", "in time", None)]
    assert result.corrections[0].note == "start_unknown"
    assert filed(ledger) == Counter({("IN", "A"): 1})


def test_a_file_of_the_day_after_does_not_show_when_the_evening_shift_started(tmp_path):
    """Declared 22:00-02:00; the file of 26/06 holds 00:00-03:00: a later end, start unknown."""
    ledger = declared(tmp_path, [roster("2026-06-25", "22:00", "02:00")], "2026-06-24 12:00")
    result = reconciled(tmp_path, [actual("2026-06-26", "00:00", "03:00")], "2026-06-26 09:00")
    assert of(result) == [("later end", "manual", "26/06 10:00", "in time", None)]
    (c,) = result.corrections
    assert (c.note, c.actual_start, c.actual_end) == (
        "start_unknown",
        None,
        dt.datetime(2026, 6, 26, 3, 0, tzinfo=BRUSSELS),
    )
    assert filed(ledger) == Counter({("IN", "A"): 1})  # no undeclared IN, no UPDATE


def test_a_rejected_row_clocked_in_before_midnight_is_not_a_no_show_after_it(tmp_path):
    """In at 23:50 on 25/06, the out unreadable: the shift from 00:30 is not cancelled."""
    ledger = declared(tmp_path, AFTER_MIDNIGHT, "2026-06-25 12:00")
    rows = [actual("2026-06-25", "23:50", "abc"), actual("2026-06-26", "10:00", "14:00", JAN)]
    result = reconciled(tmp_path, rows, "2026-06-26 10:00")
    assert of(result) == [("actual hours unreadable", "manual", None, "n/a", None)]
    assert of(result, JAN) == [("match", "none", None, "n/a", None)]
    assert filed(ledger) == Counter({("IN", "A"): 2})
