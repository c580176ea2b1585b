"""The reports' polish: translated anomalies, print settings, colours, identifiers, the
corrections workbook's office columns and totals, the receipts' summary."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from batch import anomalies
from batch.messages import problem
from batch.model import (
    BRUSSELS,
    Action,
    Correction,
    DeadlineStatus,
    Declaration,
    Employer,
    Finding,
    Kind,
    References,
    Result,
    Severity,
    Worker,
)
from batch.render import label, write_corrections, write_receipts, write_validation
from tests.conftest import CORRECTION_HEADERS_EN

CAFE = Employer("0566988259", "000935467", "Café De Kroon")
BAKERY = Employer("0123456749", "", "Bakkerij Noord")
AN = Worker("93051822361", "Peeters", "An")
JAN = Worker("85073003328", "Janssens", "Jan")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# the colours of templates/base.html's status badges, as openpyxl reads a fill
ATTENTION = "FFFFF3D6"
REFUSED = "FFFDE7E5"
PENDING = "FFEEF1F5"
TOTAL = "FFF3F3F3"


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS)


def receipt(
    number: str,
    period: str | None,
    *,
    kind: Kind = Kind.IN,
    result: Result = Result.ACCEPTED,
    employer: Employer = CAFE,
    worker: Worker = AN,
    start: datetime | None = None,
    end: datetime | None = None,
    found: tuple[str, ...] = (),
) -> Declaration:
    return Declaration(
        declaration_id=number,
        kind=kind,
        result=result,
        period_id=period,
        sent_at=at(24, 18),
        start=start or at(25, 10),
        end=end or at(25, 14),
        employer=employer,
        worker=worker,
        references=References(),
        payload={},
        channel="sandbox",
        anomalies=found,
        source="week26.xlsx [Rooster] row 4",
    )


def fills(sheet) -> list[str | None]:
    """The background of column A of each data row (None when the row is plain)."""
    return [
        row[0].fill.fgColor.rgb if row[0].fill.fill_type == "solid" else None
        for row in sheet.iter_rows(min_row=2)
    ]


def values(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


# --- anomalies in the report's language -------------------------------------------------

LATE = anomalies.LATE_IN.text()
BAD = anomalies.BAD_INSZ.text(insz="93051822361")


def test_receipt_anomalies_are_translated_and_masked_insz_still_translates(tmp_path):
    warned = receipt("1", "660740832053", result=Result.WARNING, found=(LATE, "X-1: new"))
    refused = receipt("2", None, result=Result.REFUSED, found=(BAD,))
    write_receipts([warned, refused], tmp_path / "nl", "nl")
    sheet = openpyxl.load_workbook(tmp_path / "nl" / "receipts.xlsx").worksheets[0]
    assert sheet["E2"].value == (
        "SBX-LATE-IN: ingediend na het begin van de prestatie (laattijdige aangifte); X-1: new"
    )
    assert sheet["E3"].value == "SBX-BAD-INSZ: INSZ 93051822361 is niet geldig"
    html = (tmp_path / "nl" / "receipts.html").read_text(encoding="utf-8")
    late_nl = "SBX-LATE-IN: ingediend na het begin van de prestatie (laattijdige aangifte)"
    assert f"<td>{late_nl}<br>X-1: new</td>" in html
    assert "is not valid" not in html and "filed after" not in html

    write_receipts([refused], tmp_path / "fr", "fr", mask=True)
    sheet = openpyxl.load_workbook(tmp_path / "fr" / "receipts.xlsx").worksheets[0]
    assert sheet["E2"].value == "SBX-BAD-INSZ: le NISS 93.05.18-***.** n'est pas valable"
    html = (tmp_path / "fr" / "receipts.html").read_text(encoding="utf-8")
    assert "SBX-BAD-INSZ: le NISS 93.05.18-***.** n&#39;est pas valable" in html

    write_receipts([warned], tmp_path / "en", "en")
    sheet = openpyxl.load_workbook(tmp_path / "en" / "receipts.xlsx").worksheets[0]
    assert sheet["E2"].value == f"{LATE}; X-1: new"  # as the ledger keeps it


def test_a_refusals_anomalies_are_translated_in_the_validation_report(tmp_path):
    overlap = anomalies.OVERLAP.text(period="660740832053")
    refusal = problem(
        "refused",
        file="week26.xlsx",
        sheet="Rooster",
        row=4,
        column="INSZ",
        cell="C4",
        value="IN",
        anomalies=f"{overlap}; {BAD}",
    )
    write_validation([refusal], tmp_path, "nl")
    sheet = openpyxl.load_workbook(tmp_path / "validation.xlsx").worksheets[0]
    assert sheet["G2"].value == (
        "geweigerd door de RSZ: SBX-OVERLAP: overlapt met de actieve periode 660740832053;"
        " SBX-BAD-INSZ: INSZ 93051822361 is niet geldig"
    )
    html = (tmp_path / "validation.html").read_text(encoding="utf-8")
    assert "SBX-OVERLAP: overlapt met de actieve periode 660740832053" in html
    assert fills(sheet) == [REFUSED]


# --- printing ----------------------------------------------------------------------------


def assert_prints_one_page_wide(sheet) -> None:
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    # fitToWidth="1" is the file format's default, so the file leaves it out (read as None)
    assert sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.page_setup.fitToHeight == 0  # as many pages long as needed
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.print_title_rows == "$1:$1"


def test_every_workbook_sheet_prints_one_page_wide_landscape_with_its_header(tmp_path):
    write_receipts([receipt("1", "660740832053")], tmp_path, "en")
    write_validation(
        [problem("unreadable_file", file="x.xlsx", sheet="", error="bad")], tmp_path, "en"
    )
    write_corrections(
        [Correction(CAFE, AN, (Finding.MATCH,), Action.NONE, DeadlineStatus.NOT_APPLICABLE)],
        tmp_path,
        "en",
    )
    with zipfile.ZipFile(tmp_path / "receipts.xlsx") as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert '<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>' in xml
    names = {}
    for report in ("receipts", "validation", "corrections"):
        book = openpyxl.load_workbook(tmp_path / f"{report}.xlsx")
        names[report] = book.sheetnames
        for sheet in book.worksheets:
            assert_prints_one_page_wide(sheet)
    assert names == {
        "receipts": ["Receipts", "Summary"],
        "validation": ["Problems"],
        "corrections": ["Corrections", "Totals"],
    }


def test_corrections_html_prints_on_a4_landscape_with_fixed_columns(tmp_path):
    write_corrections(
        [Correction(CAFE, AN, (Finding.MATCH,), Action.NONE, DeadlineStatus.NOT_APPLICABLE)],
        tmp_path,
        "nl",
    )
    html = (tmp_path / "corrections.html").read_text(encoding="utf-8")
    assert "@page { size: A4 landscape; margin: 10mm; }" in html
    assert ".corrections { table-layout: fixed; font-size: .9em; }" in html
    widths = re.findall(r'<col style="width: (\d+)%">', html)
    assert len(widths) == 12  # one per column of the table
    assert sum(int(w) for w in widths) == 100
    header = re.search(r"<thead>\n<tr>(.*?)</tr>", html)[1]
    assert header.count("<th>") == 12


# --- colours and identifiers ----------------------------------------------------------------


def test_the_workbooks_use_the_pages_status_colours(tmp_path):
    css = (TEMPLATES / "base.html").read_text(encoding="utf-8").lower()
    assert ".status-attention { color: var(--attention); background: #fff3d6; }" in css
    assert ".status-refused { color: var(--refused); background: #fde7e5; }" in css
    assert ".status-pending { color: var(--pending); background: #eef1f5; }" in css
    write_corrections(
        [
            Correction(CAFE, AN, (Finding.NO_SHOW,), Action.MANUAL, DeadlineStatus.IN_TIME),
            Correction(CAFE, AN, (Finding.LATER_END,), Action.UPDATE, DeadlineStatus.LATE),
        ],
        tmp_path,
        "en",
    )
    page = (tmp_path / "corrections.html").read_text(encoding="utf-8")
    assert '<tr class="item late" style="background: #fde7e5">' in page
    assert '<tr class="item manual" style="background: #fff3d6">' in page


def test_receipt_rows_are_coloured_by_status(tmp_path):
    write_receipts(
        [
            receipt("1", "660740832053"),
            receipt("2", "660740832054", result=Result.WARNING),
            receipt("3", None, result=Result.REFUSED),
            receipt("4", "660740832055", result=Result.PENDING),
        ],
        tmp_path,
        "en",
    )
    sheet = openpyxl.load_workbook(tmp_path / "receipts.xlsx")["Receipts"]
    assert fills(sheet) == [None, ATTENTION, REFUSED, PENDING]
    # the whole row, its last column included
    assert sheet["U3"].fill.fgColor.rgb == ATTENTION


def test_identifiers_are_shown_alike_in_workbook_and_page(tmp_path):
    write_receipts([receipt("1", "660740832053")], tmp_path / "plain", "en")
    sheet = openpyxl.load_workbook(tmp_path / "plain" / "receipts.xlsx")["Receipts"]
    assert (sheet["I2"].value, sheet["L2"].value) == ("0566.988.259", "93.05.18-223.61")
    html = (tmp_path / "plain" / "receipts.html").read_text(encoding="utf-8")
    assert '<td class="num">0566.988.259</td>' in html
    assert '<td class="num">93.05.18-223.61</td>' in html

    write_receipts([receipt("1", "660740832053")], tmp_path / "masked", "en", mask=True)
    sheet = openpyxl.load_workbook(tmp_path / "masked" / "receipts.xlsx")["Receipts"]
    assert sheet["L2"].value == "93.05.18-***.**"
    html = (tmp_path / "masked" / "receipts.html").read_text(encoding="utf-8")
    assert '<td class="num">93.05.18-***.**</td>' in html

    match = Correction(CAFE, AN, (Finding.MATCH,), Action.NONE, DeadlineStatus.NOT_APPLICABLE)
    write_corrections([match], tmp_path / "c", "en")
    sheet = openpyxl.load_workbook(tmp_path / "c" / "corrections.xlsx")["Corrections"]
    assert (sheet["B2"].value, sheet["C2"].value) == ("0566.988.259", "93.05.18-223.61")
    html = (tmp_path / "c" / "corrections.html").read_text(encoding="utf-8")
    assert "0566.988.259" in html and "93.05.18-223.61" in html
    assert "93051822361" not in html


# --- corrections.xlsx: employer, what to do, Handled, totals -----------------------------------


@pytest.fixture
def corrections() -> list[Correction]:
    late_start = Correction(
        CAFE,
        AN,
        (Finding.LATER_START,),
        Action.MANUAL,
        DeadlineStatus.LATE,
        period_id="660740832054",
        declared_start=at(26, 10),
        declared_end=at(26, 14),
        actual_start=at(26, 10, 30),
        actual_end=at(26, 14),
        difference_minutes=30,
    )
    later_end = Correction(
        BAKERY,
        JAN,
        (Finding.LATER_END,),
        Action.UPDATE,
        DeadlineStatus.IN_TIME,
        period_id="660740832060",
        declared_start=at(25, 10),
        declared_end=at(25, 14),
        actual_start=at(25, 10),
        actual_end=at(25, 16, 30),
        difference_minutes=150,
        channel="sandbox",
    )
    # reconcile's line for work nobody declared: the actuals file named the employer only
    # by its enterprise number
    undeclared = Correction(
        Employer("0123456749", "", ""),
        AN,
        (Finding.UNDECLARED,),
        Action.MANUAL,
        DeadlineStatus.LATE,
        actual_start=at(27, 18),
        actual_end=at(28, 1, 15),
    )
    late_cancel_on_web = Correction(
        CAFE,
        JAN,
        (Finding.NO_SHOW,),
        Action.CANCEL,
        DeadlineStatus.LATE,
        period_id="660740832055",
        declared_start=at(28, 18),
        declared_end=at(28, 22),
        channel="web",
        note="worksheet:W000004",
    )
    return [late_start, later_end, undeclared, late_cancel_on_web]


def test_corrections_xlsx_office_columns_come_last_handled_the_very_last(tmp_path, corrections):
    write_corrections(corrections, tmp_path, "en")
    book = openpyxl.load_workbook(tmp_path / "corrections.xlsx")
    rows = values(book["Corrections"])
    assert list(rows[0]) == [
        *CORRECTION_HEADERS_EN,
        "Channel",
        "Employer",
        "What to do",
        "Handled",
    ]
    tails = [row[-4:] for row in rows[1:]]
    assert tails == [
        (None, "Café De Kroon", label("manual_start_change", "en"), None),
        ("SANDBOX", "Bakkerij Noord", None, None),
        (None, None, label("manual_undeclared", "en"), None),
        ("web form, typed by the office", "Café De Kroon", label("late_web", "en"), None),
    ]
    assert fills(book["Corrections"]) == [REFUSED, None, REFUSED, REFUSED]


@pytest.mark.parametrize(
    ("lang", "sheet", "totals", "last"),
    [
        ("nl", "Correcties", "Totalen", ["Werkgever", "Te doen", "Behandeld"]),
        ("fr", "Corrections", "Totaux", ["Employeur", "À faire", "Traité"]),
        ("en", "Corrections", "Totals", ["Employer", "What to do", "Handled"]),
    ],
)
def test_corrections_xlsx_office_columns_in_each_language(tmp_path, lang, sheet, totals, last):
    web_only = Correction(
        CAFE, AN, (Finding.MATCH,), Action.NONE, DeadlineStatus.NOT_APPLICABLE, channel="web"
    )
    write_corrections([web_only], tmp_path, lang)
    book = openpyxl.load_workbook(tmp_path / "corrections.xlsx")
    assert book.sheetnames == [sheet, totals]
    header = values(book[sheet])[0]
    assert len(header) == len(CORRECTION_HEADERS_EN) + 3  # no Channel column without sandbox
    assert list(header[-3:]) == last


def test_corrections_totals_sheet_per_employer_in_elapsed_hours(tmp_path, corrections):
    write_corrections(corrections, tmp_path, "en")
    sheet = openpyxl.load_workbook(tmp_path / "corrections.xlsx")["Totals"]
    assert values(sheet) == [
        (
            "Enterprise number",
            "Employer",
            "Shifts",
            "Declared hours",
            "Actual hours",
            "Difference (hours)",
            "Late",
            "Manual",
        ),
        ("0566.988.259", "Café De Kroon", 2, 8, 3.5, -4.5, 2, 1),
        ("0123.456.749", "Bakkerij Noord", 2, 4, 13.75, 9.75, 1, 1),
        (None, "All employers", 4, 12, 17.25, 5.25, 3, 2),
    ]
    assert sheet["D2"].number_format == "0.00"
    assert fills(sheet) == [None, None, TOTAL]


def test_the_autumn_night_counts_nine_hours_in_the_totals(tmp_path):
    night = Correction(
        CAFE,
        AN,
        (Finding.MATCH,),
        Action.NONE,
        DeadlineStatus.NOT_APPLICABLE,
        declared_start=at(24, 22, month=10),
        declared_end=at(25, 6, month=10),
        actual_start=at(24, 22, month=10),
        actual_end=at(25, 6, month=10),
    )
    write_corrections([night], tmp_path, "en")
    sheet = openpyxl.load_workbook(tmp_path / "corrections.xlsx")["Totals"]
    assert values(sheet)[1][2:6] == (1, 9, 9, 0)


def test_undeclared_work_is_shown_under_its_employer_with_the_rest(tmp_path, corrections):
    write_corrections(corrections, tmp_path, "en")
    html = (tmp_path / "corrections.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section class="employer" id="e-\d+">\n<h2>(.*?) <span', html)
    assert sections == ["Café De Kroon", "Bakkerij Noord"]
    bakery = html[html.index('id="e-2"') :]
    assert bakery.count('<tr class="item') == 2
    assert "undeclared work" in bakery


def test_a_late_item_on_the_web_channel_is_not_said_to_be_filed(tmp_path, corrections):
    write_corrections(corrections, tmp_path, "en")
    html = (tmp_path / "corrections.html").read_text(encoding="utf-8")
    assert "The deadline has passed: type the declaration in the web form now" in html
    assert "filed all the same" not in html
    for lang in ("nl", "fr", "en"):
        text = label("late_web", lang)
        assert "toch ingediend" not in text and "quand même" not in text


# --- receipts: the run's summary ----------------------------------------------------------------


@pytest.fixture
def run() -> list[Declaration]:
    return [
        receipt("1", "660740832053"),
        receipt("2", "660740832054", result=Result.WARNING, start=at(26, 10), end=at(26, 16)),
        receipt("3", "660740832053", kind=Kind.UPDATE, start=at(25, 10), end=at(25, 15)),
        receipt("4", "660740832056", worker=JAN),
        receipt("5", "660740832056", kind=Kind.CANCEL, worker=JAN),
        receipt("6", None, result=Result.REFUSED, employer=BAKERY, worker=JAN),
        receipt(
            "7",
            "660740832057",
            result=Result.PENDING,
            employer=BAKERY,
            start=at(24, 22, month=10),
            end=at(25, 6, month=10),
        ),
    ]


def test_receipts_summary_sheet_per_employer_and_worker(tmp_path, run):
    write_receipts(run, tmp_path, "en")
    sheet = openpyxl.load_workbook(tmp_path / "receipts.xlsx")["Summary"]
    assert values(sheet) == [
        (
            "Enterprise number",
            "Employer",
            "INSZ",
            "Last name",
            "First name",
            "Shifts",
            "Declared hours",
            "Warnings",
            "Refused",
        ),
        ("0566.988.259", "Café De Kroon", None, "Total", None, 2, 11, 1, 0),
        ("0566.988.259", "Café De Kroon", "93.05.18-223.61", "Peeters", "An", 2, 11, 1, 0),
        ("0566.988.259", "Café De Kroon", "85.07.30-033.28", "Janssens", "Jan", 0, 0, 0, 0),
        ("0123.456.749", "Bakkerij Noord", None, "Total", None, 1, 9, 0, 1),
        ("0123.456.749", "Bakkerij Noord", "85.07.30-033.28", "Janssens", "Jan", 0, 0, 0, 1),
        ("0123.456.749", "Bakkerij Noord", "93.05.18-223.61", "Peeters", "An", 1, 9, 0, 0),
        (None, "All employers", None, "Total", None, 3, 20, 1, 1),
    ]
    assert fills(sheet) == [TOTAL, None, None, TOTAL, None, None, TOTAL]
    assert sheet["G2"].number_format == "0.00"


def test_receipts_summary_sheet_name_in_each_language(tmp_path, run):
    for lang, name, first in (
        ("nl", "Samenvatting", "Totaal"),
        ("fr", "Résumé", "Total"),
        ("en", "Summary", "Total"),
    ):
        write_receipts(run, tmp_path / lang, lang)
        book = openpyxl.load_workbook(tmp_path / lang / "receipts.xlsx")
        assert book.sheetnames[1] == name
        assert book[name]["D2"].value == first


def test_receipts_html_index_starts_with_the_same_summary(tmp_path, run):
    write_receipts(run, tmp_path, "nl")
    html = (tmp_path / "receipts.html").read_text(encoding="utf-8")
    table = html[html.index("<h2>Samenvatting</h2>") : html.index('<nav class="index">')]
    rows = [r for r in re.findall(r"<tr( class=\"total\")?>(.*?)</tr>", table) if "<td" in r[1]]
    cells = [re.sub(r"<td[^>]*>", "", r[1]).split("</td>")[:-1] for r in rows]
    assert cells == [
        ["0566.988.259", "Café De Kroon", "", "Totaal", "2", "11 u", "1", "0"],
        ["0566.988.259", "Café De Kroon", "93.05.18-223.61", "Peeters An", "2", "11 u", "1", "0"],
        ["0566.988.259", "Café De Kroon", "85.07.30-033.28", "Janssens Jan", "0", "0 u", "0", "0"],
        ["0123.456.749", "Bakkerij Noord", "", "Totaal", "1", "9 u", "0", "1"],
        ["0123.456.749", "Bakkerij Noord", "85.07.30-033.28", "Janssens Jan", "0", "0 u", "0", "1"],
        ["0123.456.749", "Bakkerij Noord", "93.05.18-223.61", "Peeters An", "1", "9 u", "0", "0"],
        ["", "Alle werkgevers", "", "Totaal", "3", "20 u", "1", "1"],
    ]
    assert [bool(r[0]) for r in rows] == [True, False, False, True, False, False, True]
    assert "<th>Aangegeven uren</th>" in table


def test_no_summary_without_declarations(tmp_path):
    write_receipts([], tmp_path, "en")
    html = (tmp_path / "receipts.html").read_text(encoding="utf-8")
    assert "<h2>Summary</h2>" not in html
    sheet = openpyxl.load_workbook(tmp_path / "receipts.xlsx")["Summary"]
    assert values(sheet)[1:] == [(None, "All employers", None, "Total", None, 0, 0, 0, 0)]


def test_severity_colours_in_validation_xlsx(tmp_path):
    write_validation(
        [
            problem("unreadable_file", file="x.xlsx", sheet="", error="bad"),
            problem(
                "nsso_check",
                file="w.xlsx",
                sheet="R",
                row=3,
                column="RSZ",
                cell="C3",
                value="1",
                severity=Severity.WARNING,
            ),
        ],
        tmp_path,
        "en",
    )
    sheet = openpyxl.load_workbook(tmp_path / "validation.xlsx").worksheets[0]
    assert fills(sheet) == [REFUSED, ATTENTION]
