import datetime as dt

import pytest

from batch.roster import ALIASES, REQUIRED, column_letter, normalize_header, read_rosters
from tests.conftest import AN, BRASSERIE, HEADER, shift, write_roster


def test_header_found_below_title_rows_and_rows_keep_excel_numbers(tmp_path):
    path = write_roster(
        tmp_path / "r.xlsx",
        [shift("2026-06-29", "10:00", "14:00")],
        title_rows=[["Rooster"], ["Week 27"], [], ["Brasserie"]],
    )
    reading = read_rosters([path])
    (sheet,) = reading.sheets
    assert sheet.columns["insz"].letter == "D"
    assert sheet.columns["start"].header == "Van"
    assert list(sheet.rows["row"]) == [6]
    assert sheet.rows.at[0, "insz"] == AN


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("Ondernemingsnr.", "enterprise_number"),
        ("ENTERPRISE NUMBER", "enterprise_number"),
        ("Rijksregisternummer :", "insz"),
        ("SSIN", "insz"),
        ("Datum", "work_day"),
        ("Work day", "work_day"),
        ("Beginuur", "start"),
        ("Einduur", "end"),
        ("Begin", "start"),
        ("Einde", "end"),
        ("Last name", "last_name"),
        ("First name", "first_name"),
        ("NSSO number", "nsso_number"),
        ("Employer", "employer_name"),
        ("Uw referentie werkgever", "employer_reference"),
        ("Worker reference", "worker_reference"),
        ("Declaration reference", "declaration_reference"),
        ("Numéro d'entreprise", "enterprise_number"),
        ("Début", "start"),
    ],
)
def test_header_aliases_ignore_case_accents_spaces_dots_and_colons(written, field):
    assert normalize_header(written) in {normalize_header(a) for a in ALIASES[field]}


def test_columns_in_any_order(tmp_path):
    header = ["Tot", "Van", "Werkdag", "Voornaam", "Naam", "INSZ", "Ondernemingsnummer"]
    row = [dt.time(14), dt.time(10), dt.date(2026, 6, 29), "An", "Peeters", AN, BRASSERIE]
    (sheet,) = read_rosters([write_roster(tmp_path / "r.xlsx", [row], header)]).sheets
    assert sheet.columns["enterprise_number"].letter == "G"
    assert sheet.rows.at[0, "start"] == dt.time(10)


def test_no_recognisable_header_is_one_error_naming_found_and_needed(tmp_path):
    path = write_roster(tmp_path / "notes.xlsx", [["x", "y"]], header=["Wie", "Wanneer"])
    reading = read_rosters([path])
    assert reading.sheets == []
    (problem,) = reading.problems
    assert problem.file == "notes.xlsx"
    assert "Wie, Wanneer" in problem.message
    assert "Ondernemingsnummer, INSZ, Naam, Voornaam, Werkdag, Van, Tot" in problem.message


def test_blank_rows_are_skipped(tmp_path):
    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        [None] * 9,
        shift("2026-06-30", "10:00", "14:00"),
    ]
    (sheet,) = read_rosters([write_roster(tmp_path / "r.xlsx", rows)]).sheets
    assert list(sheet.rows["row"]) == [4, 6]


def test_a_file_that_is_not_excel_is_reported(tmp_path):
    bad = tmp_path / "roster.xlsx"
    bad.write_text("not a workbook")
    reading = read_rosters([bad])
    assert reading.sheets == []
    assert reading.problems[0].code == "unreadable_file"


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_required_fields_have_the_issue_aliases():
    assert set(REQUIRED) <= set(ALIASES)
    assert HEADER[3] in ALIASES["insz"]
