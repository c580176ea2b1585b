import datetime as dt

import pytest

from batch.read import read_rosters
from batch.read.aliases import ALIASES, REQUIRED
from batch.read.headers import field_of, normalize_header
from batch.read.values import column_letter
from batch.read.xlsx import hidden_flags
from tests.conftest import AN, BRASSERIE, HEADER, shift, write_roster
from tests.workbooks import write_book


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
    assert reading.problems[0].code == "not_a_workbook"


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


# --- the alias table ---------------------------------------------------------------------

ALL_ALIASES = [(alias, name) for name, aliases in ALIASES.items() for alias in aliases]


@pytest.mark.parametrize(("alias", "field"), ALL_ALIASES)
def test_each_alias_names_its_field(alias, field):
    assert field_of(alias) == field
    assert field_of(f"  {alias.upper()} :") == field


def test_no_header_belongs_to_two_fields():
    owners: dict[str, set[str]] = {}
    for alias, name in ALL_ALIASES:
        owners.setdefault(normalize_header(alias), set()).add(name)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("N° BCE", "enterprise_number"),
        ("Nº BCE", "enterprise_number"),
        ("N° d'entreprise", "enterprise_number"),
        ("Ondernemingsnr.", "enterprise_number"),
        ("KBO-nummer", "enterprise_number"),
        ("NISS", "insz"),
        ("Rijksregisternr.", "insz"),
        ("Nom", "last_name"),
        ("Prénom", "first_name"),
        ("Date", "work_day"),
        ("Jour", "work_day"),
        ("Début", "start"),
        ("De", "start"),
        ("Startuur", "start"),
        ("Fin", "end"),
        ("À", "end"),
        ("Stopuur", "end"),
        ("Numéro ONSS", "nsso_number"),
        ("Employeur", "employer_name"),
        ("Référence", "declaration_reference"),
    ],
)
def test_the_issue_headers(written, field):
    assert field_of(written) == field


@pytest.mark.parametrize(
    "header",
    [
        ["N° BCE", "Numéro ONSS", "Employeur", "NISS", "Nom", "Prénom", "Jour", "De", "À"],
        ["Enterprise number", "NSSO number", "Employer", "SSIN", "Last name", "First name",
         "Date", "Start time", "End time"],
        ["KBO-nummer", "RSZ-nr", "Werkgever", "Rijksregisternr.", "Achternaam", "Voornaam",
         "Datum", "Startuur", "Stopuur"],
    ],
)  # fmt: skip
def test_long_rosters_in_french_english_and_dutch(tmp_path, header):
    (sheet,) = read_rosters(
        [write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")], header)]
    ).sheets
    assert sheet.rows.at[0, "insz"] == AN
    assert sheet.rows.at[0, "start"] == dt.time(10)
    assert {c.letter for c in sheet.columns.values()} == set("ABCDEFGHI")


def test_hidden_rows_and_columns_are_read_from_the_sheet_xml(tmp_path):
    path = write_book(
        tmp_path / "r.xlsx",
        {"Een": [["a"]] * 5, "Twee": [["b", "c", "d"]]},
        hidden_rows={"Een": [2, 4]},
        hidden_columns={"Twee": ["B"]},
    )
    assert hidden_flags(path) == {
        "Een": (frozenset({2, 4}), frozenset()),
        "Twee": (frozenset(), frozenset({1})),
    }


def test_hidden_flags_of_a_file_that_is_not_a_workbook_are_empty(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("no zip")
    assert hidden_flags(bad) == {}


def test_a_sheet_is_read_as_calamine_reads_it_from_a1_with_each_type_kept(tmp_path):
    """`rows_from_a1` streams the rows: the values, their types and the padding from A1 are
    calamine's own `to_python(skip_empty_area=False)`, whichever cell the sheet starts at;
    equal values of two types (1, 1.0, True; a date and a midnight) stay two."""
    from python_calamine import CalamineWorkbook

    from batch.read.xlsx import rows_from_a1

    mixed = [1, 1.0, True, -0.0, 0.0, "1", dt.date(2026, 6, 29), dt.datetime(2026, 6, 29)]
    mixed += [dt.time(10), "An", "An", None, dt.datetime(2026, 6, 29, 10, 30)]
    path = write_book(
        tmp_path / "r.xlsx",
        {
            "From A1": [mixed, mixed[::-1], [], ["end"]],
            "From C3": [[], [], [None, None, *mixed], [None, None, None, None, "x"]],
            "Empty": [],
            "One cell": [["x"]],
        },
    )
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        expected = sheet.to_python(skip_empty_area=False)
        found = rows_from_a1(sheet)
        assert [[(type(v), v) for v in row] for row in found] == [
            [(type(v), v) for v in row] for row in expected
        ], name
    (first, reversed_row, *_) = rows_from_a1(book.get_sheet_by_name("From A1"))
    assert [type(v) for v in first[:3]] == [float, float, bool]  # as calamine gives them
    assert first[9] is first[10] is reversed_row[2]  # "An", kept once


def test_a_rosters_repeated_texts_and_dates_are_one_object_each(tmp_path):
    """A long roster repeats its employer, worker, days and times on every row: read, each
    is one object (a million rows once held a copy of each per cell)."""
    rows = [shift(f"2026-06-{29 + i % 2}", "10:00", "14:00") for i in range(40)]
    frame = read_rosters([write_roster(tmp_path / "r.xlsx", rows)]).sheets[0].rows
    for field in ("employer_name", "insz", "last_name", "work_day", "start", "end"):
        assert len({id(v) for v in frame[field]}) == frame[field].nunique(), field
    assert frame["work_day"].nunique() == 2 and frame["insz"].nunique() == 1

    csv = tmp_path / "r.csv"
    csv.write_text(
        ";".join(HEADER)
        + "\n"
        + "0650851588;;Het Pand;93051822361;Peeters;An;29/06/2026;10:00;14:00\n" * 3
    )
    frame = read_rosters([csv]).sheets[0].rows
    assert len(frame) == 3 and len({id(v) for v in frame["employer_name"]}) == 1
