"""Layout detection: a sheet no layout reads is an error unless it clearly holds no roster."""

import sqlite3

import openpyxl
from click.testing import CliRunner

from batch.cli import main
from batch.messages import problem_text
from batch.read import read_rosters
from batch.read.headers import closest_header
from tests.conftest import HEADER, shift
from tests.workbooks import write_book

AS_OF = ["--as-of", "2026-06-28 12:00"]
UNKNOWN = ["Ondernemingsnummer", "INSZ", "Naam werknemer", "Voornaam", "Datum", "Begintijd",
           "Eindtijd"]  # fmt: skip
UNKNOWN_ROW = ["0566.988.259", "93051822361", "Peeters", "An", "30/06/2026", "10:00", "14:00"]


def declare(tmp_path, path):
    args = ["declare", path, "--ledger", tmp_path / "l.sqlite", "--out", tmp_path / "out"]
    result = CliRunner().invoke(main, [str(a) for a in [*args, "--lang", "en", *AS_OF]])
    sheet = openpyxl.load_workbook(tmp_path / "out" / "validation.xlsx").active
    return result, list(sheet.iter_rows(min_row=2, values_only=True))


def periods(tmp_path) -> int:
    with sqlite3.connect(tmp_path / "l.sqlite") as db:
        return db.execute("SELECT count(*) FROM periods").fetchone()[0]


def test_a_second_sheet_with_unknown_headers_is_an_error_that_names_them(tmp_path):
    path = write_book(
        tmp_path / "r.xlsx",
        {"Week": [HEADER, shift("2026-06-29", "10:00", "14:00")], "Extra": [UNKNOWN, UNKNOWN_ROW]},
    )
    result, problems = declare(tmp_path, path)
    assert result.exit_code == 1, result.output
    assert periods(tmp_path) == 1  # the first sheet was declared
    ((file, sheet, row, _, _, _, text, severity),) = problems
    assert (file, sheet, row, severity) == ("r.xlsx", "Extra", 1, "error")
    assert text == (
        "no roster, weekly grid or employer list recognised; found: Ondernemingsnummer, INSZ, "
        "Naam werknemer, Voornaam, Datum, Begintijd, Eindtijd; missing: Naam, Van, Tot; "
        "Naam werknemer: did you mean Naam?; Begintijd: did you mean Begin?; "
        "Eindtijd: did you mean Eind?; needed: Ondernemingsnummer, INSZ, Naam, Voornaam, "
        "Werkdag, Van, Tot (one row per shift), or INSZ, Naam, Voornaam and one column per "
        "day (weekly grid)"
    )
    assert "error   r.xlsx [Extra] row 1: no roster" in result.output


def test_the_suggestions_read_in_each_language(tmp_path):
    path = write_book(tmp_path / "r.xlsx", {"Extra": [UNKNOWN, UNKNOWN_ROW]})
    (found,) = read_rosters([path]).problems
    assert "; Naam werknemer: bedoelt u Naam?;" in problem_text(found, "nl")
    assert " ; Naam werknemer : vouliez-vous dire Naam ? ;" in problem_text(found, "fr")
    assert problem_text(found, "nl").startswith("geen rooster, weekrooster of werkgeverslijst")


def test_empty_and_undated_sheets_beside_a_roster_are_info_lines_and_exit_0(tmp_path):
    path = write_book(
        tmp_path / "r.xlsx",
        {
            "Week": [HEADER, shift("2026-06-29", "10:00", "14:00")],
            "Leeg": [],
            "Prijzen": [["Product", "Prijs"], ["Koffie", 2.5]],
        },
    )
    result, problems = declare(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert periods(tmp_path) == 1
    assert [(p[1], p[6], p[7]) for p in problems] == [
        ("Leeg", "empty sheet skipped", "info"),
        ("Prijzen", "sheet skipped: no date or time in it, so no roster; found: Product, Prijs",
         "info"),
    ]  # fmt: skip
    assert "info    r.xlsx [Leeg]: empty sheet skipped" in result.output
    assert "rejected │ 0" in result.output.replace("  ", " ").replace("  ", " ")


def test_a_time_anywhere_makes_an_unread_sheet_an_error(tmp_path):
    rows = [["Wie", "Wanneer"], ["Peeters", "9u30 tot 14u"]]
    path = write_book(
        tmp_path / "r.xlsx", {"Week": [HEADER, shift("2026-06-29", "10:00", "14:00")], "B": rows}
    )
    (found,) = read_rosters([path]).problems
    assert (found.sheet, found.severity.value, found.code) == ("B", "error", "no_header")


def test_a_file_of_only_an_undated_sheet_is_an_error_and_exits_2(tmp_path):
    path = write_book(tmp_path / "notes.xlsx", {"Notes": [["Wie", "Wat"], ["x", "y"]]})
    result, problems = declare(tmp_path, path)
    assert result.exit_code == 2
    assert [(p[1], p[7]) for p in problems] == [("Notes", "error")]
    assert not (tmp_path / "l.sqlite").exists()


def test_the_closest_known_header():
    assert closest_header("Naam werknemer") == "Naam"
    assert closest_header("Werkgever naam") == "Werkgever"
    assert closest_header("Voornam") == "Voornaam"
    assert closest_header("Ondernemingsnumer") == "Ondernemingsnummer"
    assert closest_header("Prénom du travailleur") == "Prénom"
    assert closest_header("Naam") is None  # known already
    assert closest_header("Wie") is None
