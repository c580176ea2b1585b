"""The hourly wage column and the payroll export, on real ledgers made by declare/reconcile."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from batch.cli import main
from batch.ledger import Ledger
from batch.ledger.wages import wage_of
from batch.payroll import export, minutes_between
from batch.pipeline import declare
from batch.read import read_rosters
from batch.validate import validate
from tests.conftest import AN, BRASSERIE, HEADER, JAN, OTHER_EMPLOYER, at, shift, write_roster
from tests.workbooks import write_book

D = Decimal
WAGE_HEADER = [*HEADER, "Uurloon"]
ACTUALS_HEADER = ["Ondernemingsnummer", "INSZ", "Naam", "Datum", "Ingeklokt", "Uitgeklokt"]
EN = "0566988259"


def paid(day, start, end, wage, **kw):
    return [*shift(day, start, end, **kw), wage]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_a_wage_under_the_minimum_is_a_warning_at_its_cell_and_an_unreadable_one_an_error(
    tmp_path,
):
    roster = write_roster(
        tmp_path / "roster.xlsx",
        [
            paid("2026-06-29", "10:00", "14:00", "11,00"),
            paid("2026-06-30", "10:00", "14:00", "twaalf"),
            paid("2026-07-01", "10:00", "14:00", 0),
            paid("2026-07-02", "10:00", "14:00", "€ 11.64"),
        ],
        header=WAGE_HEADER,
    )
    result = declare(
        [roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "out", as_of=at("2026-06-28 12:00"),
        lang="en",
    )  # fmt: skip
    # a wage that cannot be used never holds back the Dimona: all four shifts are declared
    assert result.counts["declared"] == 4 and result.counts["rejected"] == 0
    sheet = openpyxl.load_workbook(tmp_path / "out" / "validation.xlsx")["Problems"]
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        (
            "roster.xlsx",
            "Week 27",
            4,
            "Uurloon",
            "J4",
            "11,00",
            "hourly wage €11.00 is under the minimum flexi wage of €11.64 an hour on 29/06/2026"
            " (holiday pay excluded)",
            "warning",
        ),
        (
            "roster.xlsx",
            "Week 27",
            5,
            "Uurloon",
            "J5",
            "twaalf",
            "hourly wage cannot be read; expected an amount, e.g. 12.50 or € 12,50 (the shift is"
            " declared, without a wage)",
            "warning",
        ),
        ("roster.xlsx", "Week 27", 6, "Uurloon", "J6", "0",
         "hourly wage must be more than zero (the shift is declared, without a wage)", "warning"),
    ]  # fmt: skip
    nl = validate(read_rosters([roster])).problems[0]
    from batch.messages import problem_text

    assert problem_text(nl, "nl") == (
        "uurloon € 11,00 ligt onder het minimum flexiloon van € 11,64 per uur op 29/06/2026"
        " (zonder flexivakantiegeld)"
    )
    with Ledger(tmp_path / "l.sqlite") as book:
        assert wage_of(book, EN, AN, at("2026-06-29 10:00")) == D("11.00")
        assert wage_of(book, EN, AN, at("2026-07-02 10:00")) == D("11.64")
        assert wage_of(book, EN, AN, at("2026-06-30 10:00")) is None
        assert wage_of(book, EN, AN, at("2026-07-01 10:00")) is None


def test_a_grid_reads_the_wage_of_its_worker_row(tmp_path):
    title = [["Planning flexi — semaine du 29/06/2026"], ["N° d'entreprise : BE 0566 988 259"], []]
    header = ["NISS", "Nom", "Prénom", "Salaire horaire", "lundi 29/06", "mardi 30/06"]
    path = write_book(
        tmp_path / "grid.xlsx",
        {"Semaine 27": [*title, header, [AN, "Peeters", "An", "12,50", "10-14", "18-22"]]},
    )
    declare([path], ledger=tmp_path / "l.sqlite", out=tmp_path / "o", as_of=at("2026-06-28 12:00"))
    with sqlite3.connect(tmp_path / "l.sqlite") as db:
        rows = db.execute("SELECT planned_start, wage, source FROM wages ORDER BY 1").fetchall()
    assert rows == [
        ("2026-06-29T10:00:00+02:00", "12.50", "grid.xlsx [Semaine 27] D5"),
        ("2026-06-30T18:00:00+02:00", "12.50", "grid.xlsx [Semaine 27] D5"),
    ]


def test_a_corrected_roster_replaces_the_wage_and_one_without_wages_keeps_it(tmp_path):
    ledger = tmp_path / "l.sqlite"
    first = [paid("2026-06-29", "10:00", "14:00", "12,00")]
    roster = write_roster(tmp_path / "r1.xlsx", first, header=WAGE_HEADER)
    declare([roster], ledger=ledger, out=tmp_path / "o", as_of=at("2026-06-28 12:00"))
    changed = [paid("2026-06-29", "10:00", "15:00", "13,00")]  # an UPDATE of the end
    roster = write_roster(tmp_path / "r2.xlsx", changed, header=WAGE_HEADER)
    declare([roster], ledger=ledger, out=tmp_path / "o", as_of=at("2026-06-28 13:00"))
    plain = write_roster(tmp_path / "r3.xlsx", [shift("2026-06-29", "10:00", "15:00")])
    declare([plain], ledger=ledger, out=tmp_path / "o", as_of=at("2026-06-28 14:00"))
    (line,) = export(ledger, dt.date(2026, 6, 29), dt.date(2026, 6, 29)).lines
    assert (line.declared_minutes, line.wage, line.wage_source) == (
        300,
        D("13.00"),
        "r2.xlsx [Week 27] J4",
    )
    assert (line.pay.gross, line.pay.holiday_pay, line.pay.contribution) == (
        D("65.00"),  # 5 h × 13.00
        D("4.99"),  # 4.9855
        D("19.60"),  # 69.99 × 0.28 = 19.5972
    )


def test_a_night_shift_across_a_clock_change_counts_the_hours_that_pass(tmp_path):
    spring = minutes_between(at("2026-03-28 22:00"), at("2026-03-29 06:00"))
    assert spring == 7 * 60
    roster = write_roster(
        tmp_path / "r.xlsx", [paid("2026-10-24", "22:00", "06:00", "12,00")], header=WAGE_HEADER
    )
    ledger = tmp_path / "l.sqlite"
    declare([roster], ledger=ledger, out=tmp_path / "o", as_of=at("2026-10-01 12:00"))
    result = export(ledger, dt.date(2026, 10, 24), dt.date(2026, 10, 25))
    (line,) = result.lines
    assert line.declared_minutes == 9 * 60 and line.work_day == dt.date(2026, 10, 24)
    assert (line.pay.gross, line.pay.holiday_pay, line.pay.contribution) == (
        D("108.00"),
        D("8.28"),  # 8.2836
        D("32.56"),  # 116.28 × 0.28 = 32.5584
    )
    assert result.exit_status == 0


def test_the_year_of_a_worker_passes_the_cap_across_two_employers(tmp_path):
    """15 shifts of 12 h at €100: each €1,200.00 + €92.04; €19,380.60 in 2026, over €18,000.

    Neither employer alone passes the cap; the export of one employer still raises the alert.
    """
    rows = [
        paid(f"2026-07-{day:02d}", "10:00", "22:00", 100, enterprise=BRASSERIE)
        for day in range(1, 9)
    ] + [
        paid(f"2026-07-{day:02d}", "10:00", "22:00", 100, enterprise=OTHER_EMPLOYER,
             employer="Café De Hoek")
        for day in range(9, 16)
    ]  # fmt: skip
    roster = write_roster(tmp_path / "r.xlsx", rows, header=WAGE_HEADER)
    ledger = tmp_path / "l.sqlite"
    done = declare([roster], ledger=ledger, out=tmp_path / "o", as_of=at("2026-06-28 12:00"))
    assert done.counts["declared"] == 15
    result = export(ledger, dt.date(2026, 7, 1), dt.date(2026, 7, 31), EN)
    assert len(result.lines) == 8
    assert [
        (e.span, e.shifts, e.employers, e.minutes, e.gross, e.holiday_pay, e.earnings, e.cap_alert)
        for e in result.summary
    ] == [
        ("2026-Q3", 15, 2, 10800, D("18000.00"), D("1380.60"), D("19380.60"), False),
        ("2026", 15, 2, 10800, D("18000.00"), D("1380.60"), D("19380.60"), True),
    ]
    assert result.exit_status == 1
    cli = invoke(
        "export", "--from", "2026-07-01", "--to", "31/07/2026", "--employer", "0566.988.259",
        "--ledger", ledger, "--lang", "en", "--format", "csv", "--output", tmp_path / "x.csv",
    )  # fmt: skip
    assert cli.exit_code == 1
    summary = (tmp_path / "x-summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert summary[-1] == (
        f"{AN};Peeters;An;2026;15;2;180,00;18000,00;1380,60;19380,60;0;18000,00;"
        "over the tax-free cap of €18000.00 (non-pensioners)"
    )
    assert "1 cap alert(s)" in cli.output


EXPECTED_CSV = """\
Enterprise number;Employer;INSZ;Last name;First name;Work day;Declared start;Declared end;\
Actual start;Actual end;Declared hours;Actual hours;Period number;Status;Hourly wage;Paid hours;\
Gross wage;Flexi holiday pay;Employer contribution;Warning;Wage cell
0566988259;Brasserie Het Pand;{an};Peeters;An;29/06/2026;29/06/2026 10:00;29/06/2026 14:00;\
29/06/2026 10:30;29/06/2026 14:00;4,00;3,50;{p1};active;12,00;3,50;42,00;3,22;12,66;;\
roster.xlsx [Week 27] J4
0566988259;Brasserie Het Pand;{jan};Janssens;Jan;29/06/2026;29/06/2026 22:00;30/06/2026 02:00;\
29/06/2026 22:00;30/06/2026 02:00;4,00;4,00;{p2};active;11,64;4,00;46,56;3,57;14,04;;\
roster.xlsx [Week 27] J5
0566988259;Brasserie Het Pand;{jan};Janssens;Jan;30/06/2026;30/06/2026 10:00;30/06/2026 14:00;\
;;4,00;;{p3};active;;;;;;;
"""
EXPECTED_SUMMARY = """\
INSZ;Last name;First name;Quarter or year;Shifts;Employers;Hours;Gross wage;Flexi holiday pay;\
Flexi earnings;Without wage;Tax-free cap;Cap alert
{jan};Janssens;Jan;2026-Q2;2;1;8,00;46,56;3,57;50,13;1;;
{jan};Janssens;Jan;2026;2;1;8,00;46,56;3,57;50,13;1;18000,00;
{an};Peeters;An;2026-Q2;1;1;3,50;42,00;3,22;45,22;0;;
{an};Peeters;An;2026;1;1;3,50;42,00;3,22;45,22;0;18000,00;
"""


def test_the_export_of_a_declared_and_reconciled_ledger(tmp_path):
    """An arrived 30 minutes late (nothing filed, paid 3.5 h); Jan's night matched."""
    ledger = tmp_path / "l.sqlite"
    roster = write_roster(
        tmp_path / "roster.xlsx",
        [
            paid("2026-06-29", "10:00", "14:00", "12,00"),
            paid("2026-06-29", "22:00", "02:00", "€ 11.64", insz=JAN, last="Janssens", first="Jan"),
            paid("2026-06-30", "10:00", "14:00", None, insz=JAN, last="Janssens", first="Jan"),
        ],
        header=WAGE_HEADER,
    )
    actuals = write_roster(
        tmp_path / "actuals.xlsx",
        [
            [BRASSERIE, AN, "Peeters", dt.date(2026, 6, 29), dt.time(10, 30), dt.time(14, 0)],
            [BRASSERIE, JAN, "Janssens", dt.date(2026, 6, 29), dt.time(22, 0), dt.time(2, 0)],
        ],
        header=ACTUALS_HEADER,
        title_rows=(),
        sheet="Prikklok",
    )
    common = ("--ledger", ledger, "--out", tmp_path / "out")
    assert invoke("declare", roster, *common, "--as-of", "2026-06-28 12:00").exit_code == 0
    invoke("reconcile", actuals, *common, "--as-of", "2026-06-30 08:00")
    with sqlite3.connect(ledger) as db:
        p1, p2, p3 = (r[0] for r in db.execute("SELECT period_id FROM periods ORDER BY rowid"))
    names = {"an": AN, "jan": JAN, "p1": p1, "p2": p2, "p3": p3}

    output = tmp_path / "export" / "payroll.csv"
    result = invoke(
        "export", "--from", "29/06/2026", "--to", "2026-07-05", "--ledger", ledger, "--lang",
        "en", "--output", output,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == b"\xef\xbb\xbf" + EXPECTED_CSV.format(**names).replace(
        "\n", "\r\n"
    ).encode("utf-8")
    summary = tmp_path / "export" / "payroll-summary.csv"
    assert summary.read_bytes() == b"\xef\xbb\xbf" + EXPECTED_SUMMARY.format(**names).replace(
        "\n", "\r\n"
    ).encode("utf-8")
    assert (
        result.output.splitlines()[-1] == "3 period(s); 0 wage(s) under the minimum; 0 cap alert(s)"
    )

    book = tmp_path / "payroll.xlsx"
    result = invoke(
        "export", "--from", "2026-06-29", "--to", "2026-07-05", "--ledger", ledger, "--lang",
        "fr", "--output", book,
    )  # fmt: skip
    assert result.exit_code == 0
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["Données de paie", "Par travailleur"]
    lines = list(workbook["Données de paie"].iter_rows(values_only=True))
    assert lines[0][:6] == (
        "Numéro d'entreprise",
        "Employeur",
        "NISS",
        "Nom",
        "Prénom",
        "Jour de travail",
    )
    assert lines[1] == (
        EN, "Brasserie Het Pand", AN, "Peeters", "An", dt.datetime(2026, 6, 29),
        dt.datetime(2026, 6, 29, 10), dt.datetime(2026, 6, 29, 14),
        dt.datetime(2026, 6, 29, 10, 30), dt.datetime(2026, 6, 29, 14), 4, 3.5, p1, "active",
        12, 3.5, 42, 3.22, 12.66, None, "roster.xlsx [Week 27] J4",
    )  # fmt: skip
    assert lines[3][10:16] == (4, None, p3, "active", None, None)
    per_worker = list(workbook["Par travailleur"].iter_rows(values_only=True))
    assert per_worker[0][3] == "Trimestre ou année"
    assert per_worker[4] == (
        AN,
        "Peeters",
        "An",
        "2026",
        1,
        1,
        3.5,
        42,
        3.22,
        45.22,
        0,
        18000,
        None,
    )

    table = invoke("export", "--from", "2026-06-29", "--to", "2026-07-05", "--ledger", ledger)
    assert table.exit_code == 0 and "Looninput" in table.output and "Per werknemer" in table.output


def test_a_missing_ledger_and_a_bad_range_are_usage_errors(tmp_path):
    missing = invoke(
        "export", "--from", "2026-06-29", "--to", "2026-07-05", "--ledger", tmp_path / "no.sqlite"
    )
    assert missing.exit_code == 2 and "not found" in missing.output
    assert not (tmp_path / "no.sqlite").exists()
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    declare(
        [roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "o", as_of=at("2026-06-28 12:00")
    )
    backwards = invoke(
        "export", "--from", "2026-07-05", "--to", "2026-06-29", "--ledger", tmp_path / "l.sqlite"
    )
    assert backwards.exit_code == 2 and "lies before" in backwards.output
    bad = invoke(
        "export", "--from", "gisteren", "--to", "2026-06-29", "--ledger", tmp_path / "l.sqlite"
    )
    assert bad.exit_code == 2 and "'gisteren' does not match" in bad.output
    employer = invoke(
        "export", "--from", "2026-06-29", "--to", "2026-06-29", "--employer", "123",
        "--ledger", tmp_path / "l.sqlite",
    )  # fmt: skip
    assert employer.exit_code == 2
    (tmp_path / "notes.txt").write_text("not a folder")
    unwritable = invoke(
        "export", "--from", "2026-06-29", "--to", "2026-06-29", "--ledger", tmp_path / "l.sqlite",
        "--output", tmp_path / "notes.txt" / "x.csv",
    )  # fmt: skip
    assert unwritable.exit_code == 2 and unwritable.output.startswith("error:")
    assert "Traceback" not in unwritable.output


def test_a_ledger_of_0_1_0_gets_the_wages_table_and_exports_its_hours(tmp_path):
    """The demo ledger of 0.1.0 (schema 1), brought forward: its periods export without wages."""
    path = tmp_path / "v0.sqlite"
    db = sqlite3.connect(path)
    db.executescript((Path(__file__).parent / "data" / "ledger-v0.sql").read_text())
    db.close()
    result = export(path, dt.date(2026, 6, 29), dt.date(2026, 7, 5))
    with Ledger(path) as book:
        columns = [r[1] for r in book.connection.execute("PRAGMA table_info(wages)")]
        live = [p for p in book.periods() if p.status.value != "cancelled"]
    assert columns == [
        "enterprise_number",
        "worker_key",
        "planned_start",
        "wage",
        "source",
        "batch_id",
    ]
    assert len(result.lines) == len(live) > 0
    assert all(line.wage is None and line.pay is None for line in result.lines)
    assert result.exit_status == 0


def test_a_worker_without_any_wage_has_hours_but_no_earnings(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:30")])
    declare(
        [roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "o", as_of=at("2026-06-28 12:00")
    )
    result = export(tmp_path / "l.sqlite", dt.date(2026, 6, 29), dt.date(2026, 6, 29))
    assert [
        (e.span, e.minutes, e.without_wage, e.earnings, e.cap_alert) for e in result.summary
    ] == [
        ("2026-Q2", 270, 1, None, False),
        ("2026", 270, 1, None, False),
    ]
