"""The declare pipeline end to end: real workbooks, a real SQLite ledger, the sandbox."""

import datetime as dt
import sqlite3

import openpyxl
import pytest

from batch.identifiers import format_insz
from batch.ledger import Ledger
from batch.model import BRUSSELS, Kind, Result
from batch.pipeline import declare
from tests.conftest import AN, JAN, OTHER_EMPLOYER, RECEIPT_HEADERS_EN, at, shift, write_roster

SUNDAY_NOON = at("2026-06-28 12:00")


def week(tmp_path, rows, name="roster.xlsx"):
    return write_roster(tmp_path / name, rows)


def run(tmp_path, roster, as_of=SUNDAY_NOON, **options):
    return declare(
        [roster],
        ledger=tmp_path / "ledger.sqlite",
        out=tmp_path / "out",
        as_of=as_of,
        lang="en",
        **options,
    )


def kinds(result):
    return [
        (d.kind.value, d.result.value, f"{d.start:%d/%m %H:%M}", f"{d.end:%H:%M}")
        for d in result.declarations
    ]


BASE = [
    shift("2026-06-29", "10:00", "14:00"),
    shift("2026-06-29", "18:00", "22:00"),  # split shift: a second period
    shift("2026-06-30", "22:00", "02:00", insz=JAN, last="Janssens", first="Jan"),  # overnight
    shift("2026-07-01", "11:00", "15:00", insz=JAN, last="Janssens", first="Jan"),
]


def test_one_in_per_shift_each_with_its_own_period(tmp_path):
    result = run(tmp_path, week(tmp_path, BASE))
    assert kinds(result) == [
        ("IN", "A", "29/06 10:00", "14:00"),
        ("IN", "A", "29/06 18:00", "22:00"),
        ("IN", "A", "30/06 22:00", "02:00"),
        ("IN", "A", "01/07 11:00", "15:00"),
    ]
    ids = [d.period_id for d in result.declarations]
    assert len(set(ids)) == 4 and all(len(i) == 12 and i.isdigit() for i in ids)
    overnight = result.declarations[2]
    assert overnight.end == dt.datetime(2026, 7, 1, 2, 0, tzinfo=BRUSSELS)
    assert overnight.payload["dimonaIn"] == {
        "startDate": "2026-06-30",
        "startHour": "2200",
        "endDate": "2026-07-01",
        "endHour": "0200",
        "features": {"jointCommissionNumber": "XXX", "workerType": "FLX"},
    }
    assert result.exit_status == 0
    with Ledger(tmp_path / "ledger.sqlite") as book:
        assert book.count("periods") == 4
        assert book.count("declarations") == 4


def test_same_roster_twice_files_nothing_the_second_time(tmp_path):
    roster = week(tmp_path, BASE)
    run(tmp_path, roster)
    again = run(tmp_path, roster, as_of=at("2026-06-28 13:00"))
    assert again.declarations == []
    assert again.counts["unchanged"] == 4
    with Ledger(tmp_path / "ledger.sqlite") as book:
        assert book.count("declarations") == 4


def test_a_worker_left_out_of_a_roster_whose_other_days_are_unchanged_is_cancelled(tmp_path):
    """The days found unchanged are not planned shift by shift, yet the week they cover is
    still the roster's whole week: the period of a worker no longer in it is cancelled."""
    run(tmp_path, week(tmp_path, BASE))
    kept = [row for row in BASE if JAN not in row]
    assert 0 < len(kept) < len(BASE)
    again = run(tmp_path, week(tmp_path, kept, "kept.xlsx"), as_of=at("2026-06-28 13:00"))
    cancelled = [d for d in again.declarations if d.kind is Kind.CANCEL]
    assert again.counts["unchanged"] == len(kept)
    assert len(cancelled) == len(BASE) - len(kept) == again.counts["cancelled"]
    assert {d.worker.insz for d in cancelled} == {JAN}


def test_changed_roster_gives_exactly_the_updates_cancels_and_ins(tmp_path):
    first = run(tmp_path, week(tmp_path, BASE))
    ids = {f"{d.start:%d %H}": d.period_id for d in first.declarations}
    changed = [
        shift("2026-06-29", "10:00", "15:00"),  # end changed -> UPDATE of the same period
        # 29/06 18:00-22:00 removed -> CANCEL
        shift("2026-06-30", "22:00", "02:00", insz=JAN, last="Janssens", first="Jan"),
        shift("2026-07-01", "16:00", "20:00", insz=JAN, last="Janssens", first="Jan"),  # moved
        shift("2026-07-02", "10:00", "14:00", insz=JAN, last="Janssens", first="Jan"),  # new
    ]
    second = run(tmp_path, week(tmp_path, changed, "v2.xlsx"), as_of=at("2026-06-28 18:00"))
    got = [
        (
            d.kind.value,
            d.result.value,
            d.period_id if d.kind is not Kind.IN else "new",
            f"{d.start:%d/%m %H:%M}-{d.end:%H:%M}",
        )
        for d in second.declarations
    ]
    assert got == [
        ("CANCEL", "A", ids["29 18"], "29/06 18:00-22:00"),
        ("CANCEL", "A", ids["01 11"], "01/07 11:00-15:00"),
        ("UPDATE", "A", ids["29 10"], "29/06 10:00-15:00"),
        ("IN", "A", "new", "01/07 16:00-20:00"),
        ("IN", "A", "new", "02/07 10:00-14:00"),
    ]
    assert second.declarations[2].payload == {
        "dimonaUpdate": {
            "periodId": int(ids["29 10"]),
            "startDate": "2026-06-29",
            "startHour": "1000",
            "endDate": "2026-06-29",
            "endHour": "1500",
        }
    }
    assert second.declarations[0].payload == {"dimonaCancel": {"periodId": int(ids["29 18"])}}
    with Ledger(tmp_path / "ledger.sqlite") as book:
        live = book.periods()
        assert len(live) == 4
        updated = book.period(ids["29 10"])
        assert updated.declared_end == dt.datetime(2026, 6, 29, 15, 0, tzinfo=BRUSSELS)
        assert updated.planned_end == dt.datetime(2026, 6, 29, 14, 0, tzinfo=BRUSSELS)
        assert book.period(ids["29 18"]).status.value == "cancelled"
    third = run(tmp_path, week(tmp_path, changed, "v2.xlsx"), as_of=at("2026-06-28 19:00"))
    assert third.declarations == []


def test_two_shifts_replacing_one_period_is_cancel_and_two_ins(tmp_path):
    run(tmp_path, week(tmp_path, [shift("2026-06-29", "10:00", "22:00")]))
    split = [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-29", "18:00", "22:00")]
    second = run(tmp_path, week(tmp_path, split, "v2.xlsx"), as_of=at("2026-06-28 13:00"))
    assert [d.kind.value for d in second.declarations] == ["CANCEL", "IN", "IN"]
    assert all(d.result is Result.ACCEPTED for d in second.declarations)


def test_add_only_never_cancels_or_updates(tmp_path):
    run(tmp_path, week(tmp_path, BASE))
    late_addition = [
        shift("2026-06-29", "10:00", "16:00"),  # overlaps a declared period: not touched
        shift("2026-07-03", "10:00", "14:00"),  # new
    ]
    second = run(
        tmp_path,
        week(tmp_path, late_addition, "extra.xlsx"),
        as_of=at("2026-06-28 13:00"),
        add_only=True,
    )
    assert kinds(second) == [("IN", "A", "03/07 10:00", "14:00")]
    assert [p.code for p in second.problems] == ["add_only_overlap"]
    with Ledger(tmp_path / "ledger.sqlite") as book:
        assert len(book.periods()) == 5


def test_a_second_employers_periods_are_untouched(tmp_path):
    other = [shift("2026-06-29", "10:00", "14:00", enterprise=OTHER_EMPLOYER)]
    run(tmp_path, week(tmp_path, BASE + other))
    # The brasserie sends a new roster without the other employer's shift.
    second = run(tmp_path, week(tmp_path, BASE[:1], "v2.xlsx"), as_of=at("2026-06-28 13:00"))
    cancelled = [d for d in second.declarations if d.kind is Kind.CANCEL]
    assert len(cancelled) == 3
    assert all(d.employer.enterprise_number == "0566988259" for d in cancelled)
    with Ledger(tmp_path / "ledger.sqlite") as book:
        assert [p.employer.enterprise_number for p in book.periods()] == [
            "0403170701",
            "0566988259",
        ]


def test_another_week_of_the_same_employer_is_untouched(tmp_path):
    run(tmp_path, week(tmp_path, BASE))
    next_week = [shift("2026-07-06", "10:00", "14:00")]
    second = run(tmp_path, week(tmp_path, next_week, "week28.xlsx"), as_of=at("2026-06-28 13:00"))
    assert kinds(second) == [("IN", "A", "06/07 10:00", "14:00")]


def test_late_in_is_declared_answered_w_and_reported(tmp_path):
    roster = week(
        tmp_path, [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-29", "18:00", "22:00")]
    )
    result = run(tmp_path, roster, as_of=at("2026-06-29 10:00"))  # at the start: late
    assert kinds(result) == [
        ("IN", "W", "29/06 10:00", "14:00"),
        ("IN", "A", "29/06 18:00", "22:00"),
    ]
    assert result.declarations[0].anomalies[0].startswith("SBX-LATE-IN")
    assert result.declarations[0].late
    assert [(p.code, p.cell) for p in result.problems] == [("late_in", "H4")]
    assert result.counts["late"] == 1
    assert result.exit_status == 1


def test_one_minute_before_the_start_is_in_time(tmp_path):
    roster = week(tmp_path, [shift("2026-06-29", "10:00", "14:00")])
    result = run(tmp_path, roster, as_of=at("2026-06-29 09:59"))
    assert kinds(result) == [("IN", "A", "29/06 10:00", "14:00")]


def test_change_to_a_started_shift_is_not_filed_but_reported_late(tmp_path):
    run(tmp_path, week(tmp_path, BASE))
    changed = [shift("2026-06-29", "10:00", "16:00"), *BASE[1:]]
    second = run(tmp_path, week(tmp_path, changed, "v2.xlsx"), as_of=at("2026-06-29 11:00"))
    assert second.declarations == []
    assert [(p.code, p.cell, p.severity.value) for p in second.problems] == [
        ("late_change", "H4", "warning")
    ]
    assert second.counts["late"] == 1 and second.exit_status == 1


def test_shifts_too_early_for_their_quarter_are_held_back(tmp_path):
    roster = week(
        tmp_path, [shift("2026-10-05", "10:00", "14:00"), shift("2026-06-30", "10:00", "14:00")]
    )
    # Q4 2026 starts 1 October: an IN may be filed from 1 September.
    result = run(tmp_path, roster, as_of=at("2026-06-28 12:00"))
    assert kinds(result) == [("IN", "A", "30/06 10:00", "14:00")]
    (held,) = [p for p in result.problems if p.code == "too_early"]
    assert (held.cell, held.severity.value) == ("H4", "warning")
    assert "01/09/2026" in held.message
    later = run(tmp_path, roster, as_of=at("2026-09-01 00:00"))
    assert kinds(later) == [("IN", "A", "05/10 10:00", "14:00")]


def test_not_eligible_worker_is_answered_90017_510(tmp_path):
    result = run(tmp_path, week(tmp_path, BASE[:1]), not_eligible={AN})
    (d,) = result.declarations
    assert d.result is Result.WARNING
    assert d.anomalies[0].startswith("90017-510")
    assert result.exit_status == 1


def test_a_failure_mid_filing_keeps_the_plan_and_the_next_run_finishes_it(tmp_path):
    """The plan is committed before anything is sent; what was sent but not recorded is
    answered by the next run, never sent twice."""
    roster = week(tmp_path, BASE)
    run(tmp_path, week(tmp_path, BASE[:1], "first.xlsx"))
    path = tmp_path / "ledger.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TRIGGER fail_third BEFORE INSERT ON declarations"
        " WHEN (SELECT COUNT(*) FROM declarations) >= 3"
        " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    db.commit()
    before = db.execute("SELECT * FROM periods ORDER BY period_id").fetchall()
    db.close()
    with pytest.raises(sqlite3.IntegrityError, match="disk on fire"):
        run(tmp_path, roster, as_of=at("2026-06-28 13:00"))
    db = sqlite3.connect(path)
    assert db.execute("SELECT * FROM periods ORDER BY period_id").fetchall() == before
    assert db.execute("SELECT COUNT(*) FROM declarations").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM batches").fetchone()[0] == 2
    sent = db.execute(
        "SELECT kind, state, declaration_id FROM outbox WHERE batch_id = 2"
    ).fetchall()
    assert [(k, s) for k, s, _ in sent] == [("IN", "sent")] * 3
    assert [i for _, _, i in sent] == ["318400000002", "318400000003", "318400000004"]
    db.execute("DROP TRIGGER fail_third")
    db.commit()
    db.close()
    retried = run(tmp_path, roster, as_of=at("2026-06-28 13:00"))
    assert [d.kind.value for d in retried.declarations] == ["IN"] * 3
    assert [d.declaration_id for d in retried.declarations] == [i for _, _, i in sent]
    assert retried.plan.operations == []  # in flight counted as declared: nothing planned
    with Ledger(path) as book:
        assert len(book.periods()) == 4
        assert {r["state"] for r in book.outbox()} == {"answered"}


def test_the_declarations_log_is_append_only(tmp_path):
    run(tmp_path, week(tmp_path, BASE[:1]))
    db = sqlite3.connect(tmp_path / "ledger.sqlite")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM declarations")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE declarations SET result = 'A'")


def test_the_ledger_refuses_a_second_live_period_for_the_same_start(tmp_path):
    run(tmp_path, week(tmp_path, BASE[:1]))
    db = sqlite3.connect(tmp_path / "ledger.sqlite")
    row = db.execute("SELECT * FROM periods").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute(
            f"INSERT INTO periods VALUES ({','.join('?' * len(row))})", ("999999999999", *row[1:])
        )


def test_dry_run_files_and_records_nothing(tmp_path):
    result = run(tmp_path, week(tmp_path, BASE), dry_run=True)
    assert result.declarations == []
    assert result.counts["declared"] == 4
    assert not (tmp_path / "ledger.sqlite").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "validation.html",
        "validation.xlsx",
    ]


def test_receipts_read_back(tmp_path):
    rows = [
        *BASE,
        shift("2026-07-02", "10:00", "14:00", insz=JAN, last="=HYPERLINK(1)", first="<b>x</b>"),
    ]
    roster = week(tmp_path, rows)
    book = openpyxl.load_workbook(roster)
    book.active["E8"].data_type = "s"  # a text cell that looks like a formula
    book.save(roster)
    result = run(tmp_path, roster)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx")["Receipts"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][:20]) == RECEIPT_HEADERS_EN
    assert len(values) == 1 + 5
    numbers = [row[0] for row in values[1:]]
    assert numbers == [d.period_id for d in result.declarations]
    assert len(set(numbers)) == 5
    first = values[1]
    assert first[2:4] == ("IN", "Accepted")
    assert first[5] == dt.datetime(2026, 6, 28, 12, 0)
    assert first[6:8] == (dt.datetime(2026, 6, 29, 10, 0), dt.datetime(2026, 6, 29, 14, 0))
    assert first[11] == format_insz(AN) and first[14:16] == ("XXX", "FLX")
    assert first[19] == "roster.xlsx [Week 27] row 4"
    formula_cell = sheet.cell(row=6, column=13)
    assert (formula_cell.value, formula_cell.data_type) == ("=HYPERLINK(1)", "s")
    html = (tmp_path / "out" / "receipts.html").read_text(encoding="utf-8")
    assert all(n in html for n in numbers)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "SANDBOX" in html


def test_validation_report_names_file_sheet_row_column_and_cell(tmp_path):
    rows = [*BASE, shift("2026-07-02", "10:00", "14:00", insz="93051822362")]
    run(tmp_path, week(tmp_path, rows))
    sheet = openpyxl.load_workbook(tmp_path / "out" / "validation.xlsx")["Problems"]
    values = list(sheet.iter_rows(values_only=True))
    assert values == [
        ("File", "Sheet", "Row", "Column", "Cell", "Value", "Problem", "Severity"),
        (
            "roster.xlsx",
            "Week 27",
            8,
            "INSZ",
            "D8",
            "93051822362",
            "INSZ check digits do not match",
            "error",
        ),
    ]


def test_a_workers_declarations_share_one_worker_employer_references_channel(tmp_path):
    """Each answered declaration is built from its outbox row; a worker's (and an
    employer's) are one object, as they are in the plan: a million shifts once held a
    copy of each on every declaration."""
    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        shift("2026-06-30", "10:00", "14:00"),
        shift("2026-07-01", "18:00", "23:00"),
        shift("2026-06-29", "10:00", "14:00", insz=JAN, last="Janssens", first="Jan"),
    ]
    result = run(tmp_path, week(tmp_path, rows))

    an = [d for d in result.declarations if d.worker.insz == AN]
    assert len(an) == 3 and len(result.declarations) == 4
    assert an[0].worker is an[1].worker is an[2].worker
    jan = next(d for d in result.declarations if d.worker.insz == JAN)
    assert jan.worker is not an[0].worker and jan.worker.last_name == "Janssens"
    assert len({id(d.employer) for d in result.declarations}) == 1
    assert len({id(d.references) for d in result.declarations}) == 1
    assert len({id(d.channel) for d in result.declarations}) == 1


def test_a_sheets_shifts_share_its_file_and_sheet_names(tmp_path):
    """Each planned shift's source names its file and sheet with the sheet's own two texts:
    a million shifts once held a copy of both on every row (125 MB)."""
    rows = [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-30", "10:00", "14:00")]
    rows += [shift("2026-07-01", "18:00", "23:00", insz=JAN, last="Janssens", first="Jan")]
    result = run(tmp_path, week(tmp_path, rows))

    sources = [op.shift.source for op in result.plan.operations]
    assert [(s.file, s.sheet, s.row) for s in sources] == [
        ("roster.xlsx", "Week 27", 4),
        ("roster.xlsx", "Week 27", 5),
        ("roster.xlsx", "Week 27", 6),
    ]
    assert len({id(s.file) for s in sources}) == 1
    assert len({id(s.sheet) for s in sources}) == 1


def test_called_from_python_a_run_collects_rarely_and_leaves_the_collector_as_it_was(tmp_path):
    """The command line's few collections belong to the functions themselves: a 100k
    declare called from Python cost 103 CPU s against the command's 65 without them."""
    import gc

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    during = []
    result = run(
        tmp_path,
        week(tmp_path, BASE),
        stage=lambda name: during.append(
            (name, gc.get_threshold(), gc.get_freeze_count() > frozen)
        ),
    )

    assert len(result.declarations) == 4
    assert {threshold for _, threshold, _ in during} == {(100_000, 50, 100)}
    assert all(set_aside for _, _, set_aside in during)
    assert [name for name, _, _ in during][:2] == ["read", "validate"]
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
