"""The web-form channel: worksheet out, typed period numbers back in."""

import datetime as dt

import openpyxl

from batch.ledger import Ledger
from batch.model import BRUSSELS, PeriodStatus
from batch.pipeline import declare, import_worksheet, reconcile
from tests.conftest import JAN, at, shift, write_roster

ROSTER = [
    shift("2026-06-30", "18:00", "22:00"),
    shift("2026-06-29", "10:00", "14:00"),
    shift("2026-06-29", "18:00", "22:00"),
    shift("2026-06-29", "11:00", "15:00", insz=JAN, last="Janssens", first="Jan"),
]


def run_declare(tmp_path, rows, as_of="2026-06-28 12:00", name="roster.xlsx"):
    roster = write_roster(tmp_path / name, rows)
    return declare(
        [roster],
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "out",
        as_of=at(as_of),
        lang="en",
        channel="web",
    )


def sheet_rows(path):
    sheet = openpyxl.load_workbook(path).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def fill(path, answers, reverse=True):
    """The clerk types period number, status and time; and re-sorts the rows."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    if reverse:
        body.reverse()
    for r, values in enumerate(body, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
        answer = answers.get(values[0])
        if answer:
            for column, value in zip(("Period number", "Status", "Sent at"), answer, strict=True):
                sheet.cell(row=r, column=header.index(column) + 1, value=value)
    book.save(path)
    return path


def test_worksheet_lists_each_declaration_once_in_deadline_order(tmp_path):
    result = run_declare(tmp_path, ROSTER)
    assert result.declarations == []
    assert result.counts["declared"] == 4
    rows = sheet_rows(tmp_path / "out" / "worksheet.xlsx")
    header = rows[0]
    assert header[:5] == ["Key", "Deadline", "Enterprise number", "Employer", "Declaration type"]
    assert header[-3:] == ["Period number", "Status", "Sent at"]
    got = [(r[0], r[6], r[12], r[13], r[14], r[4], r[10], r[11]) for r in rows[1:]]
    # keys in filing order; rows grouped by worker and day (An's split shift together),
    # what is due first comes first
    assert got == [
        (
            "W000001",
            "93.05.18-223.61",
            "29/06/2026",
            "10:00",
            "14:00",
            "Dimona IN",
            "Other - xxx",
            "Flexi-Job - FLX",
        ),
        (
            "W000003",
            "93.05.18-223.61",
            "29/06/2026",
            "18:00",
            "22:00",
            "Dimona IN",
            "Other - xxx",
            "Flexi-Job - FLX",
        ),
        (
            "W000002",
            "85.07.30-033.28",
            "29/06/2026",
            "11:00",
            "15:00",
            "Dimona IN",
            "Other - xxx",
            "Flexi-Job - FLX",
        ),
        (
            "W000004",
            "93.05.18-223.61",
            "30/06/2026",
            "18:00",
            "22:00",
            "Dimona IN",
            "Other - xxx",
            "Flexi-Job - FLX",
        ),
    ]
    assert rows[1][1] == dt.datetime(2026, 6, 29, 10, 0)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "worksheet.xlsx").active
    assert sheet.protection.sheet
    assert sheet["A2"].protection.locked
    assert not sheet.column_dimensions["R"].hidden
    html = (tmp_path / "out" / "worksheet.html").read_text(encoding="utf-8")
    assert html.index("W000001") < html.index("W000003") < html.index("W000002")
    assert "Other - xxx" in html and "0566.988.259" in html
    # declaring the same roster again puts nothing on the worksheet twice
    again = run_declare(tmp_path, ROSTER, "2026-06-28 12:30")
    assert again.queued == []
    assert len(sheet_rows(tmp_path / "out" / "worksheet.xlsx")) == 5


def test_import_records_typed_period_numbers_and_writes_receipts(tmp_path):
    run_declare(tmp_path, ROSTER)
    worksheet = fill(
        tmp_path / "out" / "worksheet.xlsx",
        {
            "W000001": ("660740832001", "Aanvaard", "28/06/2026 13:02"),
            "W000002": ("660740832002", "Accepted with warning", None),
            "W000003": ("660740832003", "A", dt.datetime(2026, 6, 28, 13, 5)),
            # W000004 left empty: stays to type
        },
    )
    result = import_worksheet(
        worksheet,
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "imp",
        as_of=at("2026-06-28 13:10"),
        lang="en",
    )
    assert result.problems == []
    got = sorted(
        (d.declaration_id, d.period_id, d.result.value, f"{d.sent_at:%H:%M}")
        for d in result.declarations
    )
    assert got == [
        ("W000001", "660740832001", "A", "13:02"),
        ("W000002", "660740832002", "W", "13:10"),
        ("W000003", "660740832003", "A", "13:05"),
    ]
    receipts = sheet_rows(tmp_path / "imp" / "receipts.xlsx")
    assert sorted(r[0] for r in receipts[1:]) == ["660740832001", "660740832002", "660740832003"]
    assert {r[-1] for r in receipts[1:]} == {"web form, typed by the office"}
    assert "SANDBOX" not in (tmp_path / "imp" / "receipts.html").read_text(encoding="utf-8")
    with Ledger(tmp_path / "l.sqlite") as book:
        assert book.period("660740832002").status is PeriodStatus.ACTIVE
        assert [i.key for i in book.items()] == ["W000004"]
        assert book.period("W000004").status is PeriodStatus.TO_TYPE
    # the same file again records nothing
    twice = import_worksheet(
        worksheet,
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "imp2",
        as_of=at("2026-06-28 13:20"),
        lang="en",
    )
    assert twice.declarations == []
    assert twice.problems == []  # silent: nothing new, nothing wrong
    with Ledger(tmp_path / "l.sqlite") as book:
        assert book.count("declarations") == 3


def test_changed_roster_gives_update_and_cancel_rows_with_the_real_period_numbers(tmp_path):
    run_declare(tmp_path, ROSTER)
    fill(
        tmp_path / "out" / "worksheet.xlsx",
        {
            "W000001": ("660740832001", "Aanvaard", None),
            "W000002": ("660740832002", "Aanvaard", None),
            "W000003": ("660740832003", "Aanvaard", None),
        },
    )
    import_worksheet(
        tmp_path / "out" / "worksheet.xlsx",
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "imp",
        as_of=at("2026-06-28 13:10"),
    )
    changed = [
        shift("2026-06-30", "18:00", "23:00"),  # not typed yet (W000004): new hours in place
        shift("2026-06-29", "10:00", "14:00"),  # unchanged
        # 29/06 18:00-22:00 removed -> CANCEL 660740832003
        shift("2026-06-29", "12:00", "15:00", insz=JAN, last="Janssens", first="Jan"),  # UPDATE
    ]
    second = run_declare(tmp_path, changed, "2026-06-28 18:00", "v2.xlsx")
    assert sorted((i.kind.value, i.period_id) for i in second.queued) == [
        ("CANCEL", "660740832003"),
        ("UPDATE", "660740832002"),
    ]
    rows = sheet_rows(tmp_path / "out" / "worksheet.xlsx")[1:]
    got = [(r[4], r[5], r[12], r[13], r[14], r[16]) for r in rows]
    assert got == [
        ("Change", "660740832002", "29/06/2026", "12:00", "15:00", "29/06/2026 11:00-15:00"),
        ("Cancellation", "660740832003", "29/06/2026", "18:00", "22:00", None),
        ("Dimona IN", None, "30/06/2026", "18:00", "23:00", None),
    ]
    keys = {r[4]: r[0] for r in rows}
    assert keys["Dimona IN"] == "W000004"
    fill(
        tmp_path / "out" / "worksheet.xlsx",
        {
            keys["Change"]: ("", "Aanvaard", None),
            keys["Cancellation"]: ("660740832003", "A", None),
            keys["Dimona IN"]: ("", "Geweigerd", None),
        },
        reverse=False,
    )
    result = import_worksheet(
        tmp_path / "out" / "worksheet.xlsx",
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "imp2",
        as_of=at("2026-06-28 18:30"),
    )
    assert result.problems == []
    kinds = sorted((d.kind.value, d.result.value, d.period_id) for d in result.declarations)
    assert kinds == [
        ("CANCEL", "A", "660740832003"),
        ("IN", "B", None),
        ("UPDATE", "A", "660740832002"),
    ]
    with Ledger(tmp_path / "l.sqlite") as book:
        updated = book.period("660740832002")
        assert (updated.declared_start, updated.declared_end) == (
            dt.datetime(2026, 6, 29, 12, 0, tzinfo=BRUSSELS),
            dt.datetime(2026, 6, 29, 15, 0, tzinfo=BRUSSELS),
        )
        assert book.period("660740832003").status is PeriodStatus.CANCELLED
        assert book.period("W000004") is None  # refused: no period
        assert book.items() == []
        assert len(book.periods()) == 2


def test_every_import_problem_at_its_cell(tmp_path):
    run_declare(tmp_path, ROSTER)
    path = fill(
        tmp_path / "out" / "worksheet.xlsx",
        {
            "W000001": ("66074083200A", "Aanvaard", None),
            "W000002": ("660740832002", "Misschien", None),
            "W000003": ("660740832002", "Aanvaard", None),
            "W000004": ("1234567890123", "Aanvaard", "gisteren"),
        },
        reverse=False,
    )
    book = openpyxl.load_workbook(path)
    book.active.append(
        [
            "W999999",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,  # past the deadline
            "660740832009",
            "Aanvaard",
            None,
        ]
    )
    book.save(path)
    result = import_worksheet(
        path,
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "imp",
        as_of=at("2026-06-28 13:10"),
        lang="en",
    )
    row_of = {r[0]: i + 1 for i, r in enumerate(sheet_rows(path)) if r[0]}
    assert [(p.cell, p.code) for p in result.problems] == sorted(
        [
            (f"S{row_of['W000001']}", "bad_period"),
            (f"T{row_of['W000002']}", "bad_status"),
            (f"S{row_of['W000004']}", "bad_period"),
            (f"A{row_of['W999999']}", "unknown_key"),
        ],
        key=lambda found: int(found[0][1:]),
    )
    assert [d.declaration_id for d in result.declarations] == ["W000003"]
    assert result.exit_status == 1


def test_a_period_number_used_twice_is_refused(tmp_path):
    run_declare(tmp_path, ROSTER)
    path = fill(
        tmp_path / "out" / "worksheet.xlsx",
        {
            "W000001": ("660740832001", "Aanvaard", None),
            "W000002": ("660740832001", "Aanvaard", None),
        },
        reverse=False,
    )
    result = import_worksheet(
        path,
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "imp",
        as_of=at("2026-06-28 13:10"),
        lang="en",
    )
    assert [p.code for p in result.problems] == ["period_used"]
    assert len(result.declarations) == 1


def test_reconcile_knows_an_untyped_shift_is_not_declared(tmp_path):
    run_declare(tmp_path, ROSTER[1:2])
    actuals = write_roster(
        tmp_path / "actuals.xlsx",
        [["0566.988.259", "93051822361", dt.date(2026, 6, 29), dt.time(10), dt.time(16)]],
        header=["Ondernemingsnummer", "INSZ", "Datum", "Van", "Tot"],
        title_rows=(),
    )
    result = reconcile(
        [actuals],
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "rec",
        as_of=at("2026-06-29 20:00"),
        lang="en",
        channel="web",
    )
    (c,) = result.corrections
    assert (c.action.value, c.note) == ("manual", "not_typed")
    assert result.queued == []


def test_a_worker_without_insz_is_typed_with_the_identification_screen(tmp_path):
    header = [
        "Ondernemingsnummer",
        "INSZ",
        "Naam",
        "Voornaam",
        "Werkdag",
        "Van",
        "Tot",
        "Geboortedatum",
        "Geboorteplaats",
        "Geslacht",
        "Straat",
        "Huisnummer",
        "Postcode",
        "Gemeente",
    ]
    row = [
        "0566.988.259",
        None,
        "Dupré",
        "Élise",
        dt.date(2026, 6, 29),
        dt.time(10),
        dt.time(14),
        dt.date(1999, 3, 4),
        "Gent",
        "V",
        "Kerkstraat",
        12,
        9000,
        "Gent",
    ]
    roster = write_roster(tmp_path / "r.xlsx", [row], header=header)
    declare(
        [roster],
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "out",
        as_of=at("2026-06-28 12:00"),
        lang="en",
        channel="web",
    )
    (line,) = sheet_rows(tmp_path / "out" / "worksheet.xlsx")[1:]
    assert line[6] is None
    assert line[7] == "Dupré Élise, ° 04/03/1999 Gent, F, Kerkstraat 12, 9000 Gent, BE"
    html = (tmp_path / "out" / "worksheet.html").read_text(encoding="utf-8")
    assert "Identification (no INSZ)" in html and "Kerkstraat 12" in html


# --- import: statuses, sent-at forms, the same file twice (issue 8, point 8) ---------------


def _import(tmp_path, worksheet, out="imp", as_of="2026-06-28 13:10"):
    return import_worksheet(
        worksheet, ledger=tmp_path / "l.sqlite", out=tmp_path / out, as_of=at(as_of), lang="en"
    )


def test_ok_is_not_a_status_of_the_form_and_is_refused_with_the_accepted_words(tmp_path):
    run_declare(tmp_path, ROSTER)
    worksheet = fill(
        tmp_path / "out" / "worksheet.xlsx",
        {"W000001": ("660740832001", "OK", None), "W000002": ("660740832002", "ok", None)},
        reverse=False,
    )
    result = _import(tmp_path, worksheet)
    row_of = {r[0]: i + 1 for i, r in enumerate(sheet_rows(worksheet)) if r[0]}
    expected = (
        "status not recognised; expected Accepted, Accepted with warning, Refused, "
        "Pending (or A, W, B, S)"
    )
    assert [(p.cell, p.code, p.value, p.message) for p in result.problems] == [
        (f"T{row_of['W000001']}", "bad_status", "OK", expected),
        (f"T{row_of['W000002']}", "bad_status", "ok", expected),
    ]
    assert result.declarations == []
    assert result.exit_status == 1


def test_sent_at_accepts_the_date_and_time_forms_of_rosters(tmp_path):
    run_declare(tmp_path, ROSTER)
    worksheet = fill(
        tmp_path / "out" / "worksheet.xlsx",
        {
            "W000001": ("660740832001", "A", "28-06-26 13u02"),
            "W000002": ("660740832002", "A", "2026-06-28T13:03"),
            "W000003": ("660740832003", "A", "zo 28/06/2026 13h04"),
            "W000004": ("660740832004", "A", "31/06/2026 13:05"),
        },
        reverse=False,
    )
    result = _import(tmp_path, worksheet)
    got = sorted((d.declaration_id, d.sent_at) for d in result.declarations)
    assert got == [
        ("W000001", dt.datetime(2026, 6, 28, 13, 2, tzinfo=BRUSSELS)),
        ("W000002", dt.datetime(2026, 6, 28, 13, 3, tzinfo=BRUSSELS)),
        ("W000003", dt.datetime(2026, 6, 28, 13, 4, tzinfo=BRUSSELS)),
    ]
    row_of = {r[0]: i + 1 for i, r in enumerate(sheet_rows(worksheet)) if r[0]}
    assert [(p.cell, p.code, p.value) for p in result.problems] == [
        (f"U{row_of['W000004']}", "bad_sent_at", "31/06/2026 13:05")
    ]


def test_a_time_without_a_date_or_in_the_spring_gap_is_not_a_moment(tmp_path):
    from batch.channels.web import _sent_at

    now = at("2026-06-28 14:00")
    assert _sent_at("13:02", now) is None
    assert _sent_at("28/06/2026", now) is None
    assert _sent_at("29/03/2026 02:30", now) is None  # the clock skipped it
    assert _sent_at("28/06/2026 13.5", now) is None
    assert _sent_at(None, now) == now
    autumn = _sent_at("25/10/2026 02:30", now)
    assert autumn.utcoffset() == dt.timedelta(hours=2)  # the first of the two 02:30s


def test_importing_the_same_file_twice_is_silent_through_the_command_line(tmp_path):
    from click.testing import CliRunner

    from batch.cli import main

    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

    run_declare(tmp_path, ROSTER)
    worksheet = fill(
        tmp_path / "out" / "worksheet.xlsx",
        {
            "W000001": ("660740832001", "Aanvaard", "28/06/2026 13:02"),
            "W000002": ("660740832002", "A", None),
            "W000003": ("660740832003", "Accepted", None),
        },
    )
    common = ["--ledger", tmp_path / "l.sqlite", "--lang", "en"]
    first = invoke(
        "import", worksheet, "--out", tmp_path / "i1", "--as-of", "2026-06-28 13:10", *common
    )
    assert first.exit_code == 0, first.output
    again = invoke(
        "import", worksheet, "--out", tmp_path / "i2", "--as-of", "2026-06-28 13:20", *common
    )
    assert again.exit_code == 0, again.output
    assert "warning" not in again.output.lower()
    problems = sheet_rows(tmp_path / "i2" / "validation.xlsx")
    assert problems == [["File", "Sheet", "Row", "Column", "Cell", "Value", "Problem", "Severity"]]
    with Ledger(tmp_path / "l.sqlite") as book:
        assert book.count("declarations") == 3


def test_a_row_changed_after_its_import_is_a_warning_and_not_recorded(tmp_path):
    run_declare(tmp_path, ROSTER)
    worksheet = fill(
        tmp_path / "out" / "worksheet.xlsx", {"W000001": ("660740832001", "A", None)}, reverse=False
    )
    assert _import(tmp_path, worksheet).problems == []
    fill(worksheet, {"W000001": ("660740832099", "A", None)}, reverse=False)
    result = _import(tmp_path, worksheet, out="imp2")
    row_of = {r[0]: i + 1 for i, r in enumerate(sheet_rows(worksheet)) if r[0]}
    assert [(p.cell, p.code, p.severity.value, p.message) for p in result.problems] == [
        (
            f"A{row_of['W000001']}",
            "already_imported",
            "warning",
            "this row was imported already; nothing recorded again",
        )
    ]
    with Ledger(tmp_path / "l.sqlite") as book:
        assert book.period("660740832001") is not None
        assert book.period("660740832099") is None
