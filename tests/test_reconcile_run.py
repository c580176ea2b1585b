"""Reconcile end to end: a ledger filled from a roster, actuals read from a real workbook."""

import datetime as dt

import openpyxl

from batch.identifiers import format_insz
from batch.ledger import Ledger
from batch.model import BRUSSELS
from batch.pipeline import declare, reconcile
from tests.conftest import AN, BRASSERIE, CORRECTION_HEADERS_EN, JAN, at, shift, write_roster

ACTUALS_HEADER = [
    "Ondernemingsnummer",
    "INSZ",
    "Naam",
    "Datum",
    "Ingeklokt",
    "Uitgeklokt",
    "Opmerking",
]
MARIE = "90022512345"  # replaced below by a valid number
ROSTER = [
    shift("2026-06-29", "10:00", "14:00"),  # An: ends 16:00 -> later end
    shift("2026-06-29", "18:00", "22:00"),  # An: split shift, arrives 18:30 -> later start
    shift("2026-06-29", "22:00", "02:00", insz=JAN, last="Janssens", first="Jan"),  # no-show
    shift("2026-06-30", "10:00", "14:00", insz=JAN, last="Janssens", first="Jan"),  # match
]


def clock(text):
    """An Excel time cell, or the text as typed when it is not a time."""
    try:
        return text and dt.time.fromisoformat(text)
    except ValueError:
        return text


def actual(day, start, end, insz=AN, name="Peeters", status=None):
    return [BRASSERIE, insz, name, dt.date.fromisoformat(day), clock(start), clock(end), status]


ACTUALS = [
    actual("2026-06-29", "09:58", "12:00"),  # clock segments of the 10-14 period
    actual("2026-06-29", "12:30", "16:00"),
    actual("2026-06-29", "18:30", "22:00"),
    actual("2026-06-29", None, None, insz=JAN, name="Janssens", status="Niet opgedaagd"),
    actual("2026-06-30", "10:00", "14:00", insz=JAN, name="Janssens"),
    actual("2026-06-30", "17:00", "20:00", insz=JAN, name="Janssens"),  # undeclared
]


def setup(tmp_path, actual_rows=ACTUALS):
    roster = write_roster(tmp_path / "roster.xlsx", ROSTER)
    declare(
        [roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "d", as_of=at("2026-06-28 12:00")
    )
    return write_roster(
        tmp_path / "actuals.xlsx",
        actual_rows,
        header=ACTUALS_HEADER,
        title_rows=(),
        sheet="Prikklok",
    )


def run(tmp_path, actuals, as_of, **kw):
    return reconcile(
        [actuals],
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "out",
        as_of=at(as_of),
        lang="en",
        **kw,
    )


def rows(result):
    return [
        (
            c.findings and "; ".join(f.value for f in c.findings),
            c.action.value,
            c.deadline and f"{c.deadline:%d/%m %H:%M}",
            c.deadline_status.value,
            c.result and c.result.value,
        )
        for c in result.corrections
    ]


def test_findings_actions_deadlines_and_filing(tmp_path):
    actuals = setup(tmp_path)
    result = run(tmp_path, actuals, "2026-06-29 21:00")
    assert result.problems == []
    assert rows(result) == [
        ("no-show", "cancel", "30/06 00:00", "in time", "A"),
        ("match", "none", None, "n/a", None),
        ("earlier start; later end", "manual", "29/06 09:58", "late", "A"),
        ("later start", "manual", "29/06 18:30", "late", None),
        ("undeclared work", "declare", "30/06 17:00", "in time", "A"),
    ]
    kinds = [(d.kind.value, d.result.value) for d in result.declarations]
    assert kinds == [("CANCEL", "A"), ("UPDATE", "A"), ("IN", "A")]
    update = result.declarations[1]
    assert update.payload["dimonaUpdate"]["startHour"] == "1000"  # start kept: manual
    assert update.payload["dimonaUpdate"]["endHour"] == "1600"
    assert result.exit_status == 1  # manual items need a person
    with Ledger(tmp_path / "l.sqlite") as book:
        p = book.period(result.corrections[2].period_id)
        assert p.declared_end == dt.datetime(2026, 6, 29, 16, 0, tzinfo=BRUSSELS)
        assert p.planned_end == dt.datetime(2026, 6, 29, 14, 0, tzinfo=BRUSSELS)
        assert p.actual_start == dt.datetime(2026, 6, 29, 9, 58, tzinfo=BRUSSELS)
        assert book.period(result.corrections[0].period_id).status.value == "cancelled"


def test_rerunning_the_same_actuals_files_nothing(tmp_path):
    actuals = setup(tmp_path)
    run(tmp_path, actuals, "2026-06-29 21:00")
    again = run(tmp_path, actuals, "2026-06-29 21:30")
    assert again.declarations == []
    assert [r[:2] for r in rows(again)] == [
        ("match", "none"),  # Jan 30/06 10:00
        ("match", "none"),  # Jan 30/06 17:00, declared by the first run
        ("earlier start", "manual"),  # still to be handled by a person
        ("later start", "manual"),
    ]


def test_corrections_xlsx_read_back_with_exact_headers(tmp_path):
    actuals = setup(tmp_path)
    run(tmp_path, actuals, "2026-06-29 21:00")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "corrections.xlsx")["Corrections"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][:19]) == CORRECTION_HEADERS_EN
    later = values[3]
    assert later[2:5] == (format_insz(AN), "Peeters", "An")
    assert later[5:11] == (
        dt.datetime(2026, 6, 29, 10, 0),
        dt.datetime(2026, 6, 29, 14, 0),
        dt.datetime(2026, 6, 29, 10, 0),
        dt.datetime(2026, 6, 29, 14, 0),
        dt.datetime(2026, 6, 29, 9, 58),
        dt.datetime(2026, 6, 29, 16, 0),
    )
    assert later[11:17] == (
        122,
        "earlier start; later end",
        "manual",
        dt.datetime(2026, 6, 29, 9, 58),
        "late",
        dt.datetime(2026, 6, 29, 21, 0),
    )
    assert later[17] == "Accepted"
    receipts = list(openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx").active.values)
    assert [r[2] for r in receipts[1:]] == ["CANCEL", "UPDATE", "IN"]


def test_a_bad_actuals_row_is_reported_at_its_cell_and_the_rest_proceeds(tmp_path):
    bad = [
        *ACTUALS[:3],
        actual("2026-06-29", "18:00", "18:00", insz="93051822362"),
        actual("2026-06-30", "10:00", "1x:00", insz=JAN, name="Janssens"),
    ]
    actuals = setup(tmp_path, bad)
    result = run(tmp_path, actuals, "2026-06-29 21:00")
    assert [(p.cell, p.code) for p in result.problems] == [
        ("B5", "insz_check"),
        ("F5", "end_equals_start"),
        ("F6", "bad_time"),
    ]
    assert result.problems[0].file == "actuals.xlsx" and result.problems[0].sheet == "Prikklok"


def test_dry_run_reports_and_files_nothing(tmp_path):
    actuals = setup(tmp_path)
    result = run(tmp_path, actuals, "2026-06-29 21:00", dry_run=True)
    assert result.declarations == []
    assert len(result.corrections) == 5
    with Ledger(tmp_path / "l.sqlite") as book:
        assert book.count("declarations") == 4
    assert (tmp_path / "out" / "corrections.xlsx").exists()
