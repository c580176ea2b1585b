"""Weekly grids: one row per worker, one column per day, shifts typed in the cells."""

import datetime as dt

import pytest

from batch.model import BRUSSELS
from batch.read import read_rosters
from batch.read.grid import split_shifts
from batch.validate import to_shifts, validate
from tests.conftest import AN, JAN
from tests.workbooks import write_book

ENTERPRISE = "0566988259"
TITLE = [["Planning flexi — semaine du 29/06/2026"], ["N° d'entreprise : BE 0566 988 259"], []]
HEADER = ["NISS", "Nom", "Prénom", "lundi 29/06", "mardi 30/06", "mercredi 01/07"]


def grid(tmp_path, rows, header=HEADER, title=TITLE, name="grid.xlsx", year=None, **book):
    """A French grid sheet, its title rows above the header; read and validated."""
    path = write_book(tmp_path / name, {"Semaine 27": [*title, header, *rows]}, **book)
    return validate(read_rosters([path], year=year))


def hours(result):
    """(cell, start, end) of each good shift, in Brussels wall time."""
    return [
        (s.source.cell, f"{s.start:%d/%m %H:%M}", f"{s.end:%d/%m %H:%M}")
        for s in to_shifts(result.shifts)
    ]


def found(result):
    return [(p.cell, p.severity.value, p.code) for p in result.problems]


def test_a_french_grid_declares_each_shift_of_each_cell_at_its_cell(tmp_path):
    rows = [
        [AN, "Peeters", "An", "9h30 - 13h30 / 18h-22h", None, "22:00-02:00"],
        [JAN, "Janssens", "Jan", "10-14", "repos", None],
    ]
    result = grid(tmp_path, rows)
    assert result.problems == []
    assert hours(result) == [
        ("D5", "29/06 09:30", "29/06 13:30"),
        ("D5", "29/06 18:00", "29/06 22:00"),
        ("F5", "01/07 22:00", "02/07 02:00"),
        ("D6", "29/06 10:00", "29/06 14:00"),
    ]
    first = to_shifts(result.shifts)[0]
    assert first.employer.enterprise_number == ENTERPRISE
    assert (first.worker.insz, first.worker.last_name, first.worker.first_name) == (
        AN,
        "Peeters",
        "An",
    )
    assert (first.source.row, first.source.column) == (5, "lundi 29/06")
    assert first.start.tzinfo is BRUSSELS


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("10:00-14:00", [("10:00", "14:00")]),
        ("10-14", [("10", "14")]),
        ("9u30-13u30", [("9u30", "13u30")]),
        ("9h30 - 13h30", [("9h30", "13h30")]),
        ("9.30-13.30", [("9.30", "13.30")]),
        ("930-1330", [("930", "1330")]),
        ("10:00 - 14:00 / 18:00 - 22:00", [("10:00", "14:00"), ("18:00", "22:00")]),
        ("10-14+18-22", [("10", "14"), ("18", "22")]),
        ("10-14; 18-22", [("10", "14"), ("18", "22")]),
        ("10-14, 18-22", [("10", "14"), ("18", "22")]),
        ("10-14\n18-22", [("10", "14"), ("18", "22")]),
        ("10-14 en 18-22", [("10", "14"), ("18", "22")]),
        ("10-14 & 18-22", [("10", "14"), ("18", "22")]),
        ("22:00-02:00", [("22:00", "02:00")]),
        ("10u tot 14u", [("10u", "14u")]),
        ("de 10h à 14h", [("10h", "14h")]),
        ("10–14", [("10", "14")]),
    ],
)
def test_shift_cell_conventions(cell, expected):
    assert split_shifts(cell) == (expected, [])


@pytest.mark.parametrize(
    ("cell", "pieces"),
    [("9h30-", ["9h30-"]), ("10-1x", ["10-1x"]), ("10-14 / 18", ["18"]), ("ziek 10-14", ["ziek"])],
)
def test_what_is_not_a_shift_is_named(cell, pieces):
    assert split_shifts(cell)[1] == pieces


def test_each_unreadable_cell_is_one_problem_at_that_cell(tmp_path):
    rows = [
        [AN, "Peeters", "An", "9h30-", "10:00-14:00 / 25-26", dt.date(2026, 10, 14)],
        [JAN, "Janssens", "Jan", 8, "10-1x", "18-22 / 9h70-12"],
    ]
    result = grid(tmp_path, rows)
    assert found(result) == [
        ("D5", "error", "bad_shift"),
        ("E5", "error", "bad_shift"),
        ("F5", "error", "shift_is_date"),
        ("D6", "error", "bad_shift"),
        ("E6", "error", "bad_shift"),
        ("F6", "error", "bad_shift"),
    ]
    d5, e5 = result.problems[:2]
    assert (d5.row, d5.column, d5.value) == (5, "lundi 29/06", "9h30-")
    assert d5.message == (
        "shift cannot be read: 9h30-; expected e.g. 10:00-14:00 or 10:00-14:00 / 18:00-22:00"
    )
    assert e5.value == "10:00-14:00 / 25-26"
    assert "25-26" in e5.message
    # an error means the cell is not used, not even what could be read of it
    assert result.shifts.empty


def test_cells_that_say_no_work_hold_no_shift_and_no_problem(tmp_path):
    rows = [
        [AN, "Peeters", "An", "repos", "-", "Rust"],
        [JAN, "Janssens", "Jan", "congé", "/", "OFF"],
    ]
    result = grid(tmp_path, rows)
    assert result.problems == [] and result.shifts.empty


@pytest.mark.parametrize(
    "header",
    [
        "29/06",
        "ma 29/06",
        "lundi 29/06/2026",
        "Lun. 29/06",
        "Monday 29/06",
        "2026-06-29",
        "29-06-26",
        "29.06.2026",
        "29 juin",
        "lundi 29 juin 2026",
        dt.date(2026, 6, 29),
        dt.datetime(2026, 6, 29),
    ],
)
def test_day_header_formats(tmp_path, header):
    result = grid(tmp_path, [[AN, "Peeters", "An", "10-14"]], header=[*HEADER[:3], header])
    assert hours(result) == [("D5", "29/06 10:00", "29/06 14:00")]


def test_a_header_without_year_takes_it_from_another_header(tmp_path):
    header = [*HEADER[:3], "ma 29/06", "di 30/06/2026"]
    rows = [[AN, "Peeters", "An", "10-14", "10-14"]]
    result = grid(tmp_path, rows, header=header, title=TITLE[1:2])
    assert [c for c, *_ in hours(result)] == ["D3", "E3"]
    assert to_shifts(result.shifts)[0].start.year == 2026


def test_a_header_without_year_takes_it_from_the_year_option(tmp_path):
    path = write_book(
        tmp_path / "g.xlsx",
        {
            "S": [
                [*HEADER, "Ondernemingsnummer"],
                [AN, "Peeters", "An", "10-14", "", "", ENTERPRISE],
            ]
        },
    )
    result = validate(read_rosters([path], year=2027))
    (s,) = to_shifts(result.shifts)
    assert s.start == dt.datetime(2027, 6, 29, 10, tzinfo=BRUSSELS)


def test_without_any_year_the_sheet_says_so_once(tmp_path):
    rows = [[AN, "Peeters", "An", "10-14", "10-14"], [JAN, "Janssens", "Jan", "10-14", ""]]
    result = grid(tmp_path, rows, title=[["N° d'entreprise : 0566.988.259"]])
    assert found(result) == [("D2", "error", "no_year")]
    assert "--year" in result.problems[0].message
    assert result.shifts.empty


def test_a_week_over_new_year_takes_the_nearest_year(tmp_path):
    header = [*HEADER[:3], "lundi 28/12/2026", "jeudi 31/12", "vendredi 01/01"]
    result = grid(tmp_path, [[AN, "Peeters", "An", "", "20-02", "10-14"]], header=header)
    assert hours(result) == [
        ("E5", "31/12 20:00", "01/01 02:00"),
        ("F5", "01/01 10:00", "01/01 14:00"),
    ]
    assert to_shifts(result.shifts)[1].start.year == 2027


def test_a_day_name_that_contradicts_its_date_is_a_warning(tmp_path):
    header = [*HEADER[:3], "mardi 29/06"]
    result = grid(tmp_path, [[AN, "Peeters", "An", "10-14"]], header=header)
    assert found(result) == [("D4", "warning", "weekday_mismatch")]
    assert len(result.shifts) == 1


def test_an_impossible_header_date_is_reported_and_its_column_not_read(tmp_path):
    header = [*HEADER[:3], "31/06/2026", "30/06/2026"]
    result = grid(tmp_path, [[AN, "Peeters", "An", "10-14", "10-14"]], header=header)
    assert found(result) == [("D4", "error", "no_such_date")]
    assert result.problems[0].message == "31/06/2026 does not exist"
    assert [c for c, *_ in hours(result)] == ["E5"]


def test_weekday_names_above_dates(tmp_path):
    rows = [
        ["", "", "", "lundi", "mardi"],
        ["NISS", "Nom", "Prénom", "29/06/2026", "30/06/2026"],
        [AN, "Peeters", "An", "10-14", "18-22"],
    ]
    result = grid(tmp_path, rows[1:], header=rows[0], title=TITLE[1:2])
    assert hours(result) == [
        ("D4", "29/06 10:00", "29/06 14:00"),
        ("E4", "30/06 18:00", "30/06 22:00"),
    ]
    assert to_shifts(result.shifts)[0].source.column == "lundi 29/06/2026"


def test_weekday_names_only_take_the_week_written_above(tmp_path):
    title = [["Rooster week van 29/06/2026"], ["Ondernemingsnummer", "0566.988.259"], []]
    header = ["INSZ", "Naam", "Voornaam", "ma", "di", "wo", "do", "vr", "za", "zo"]
    row = [AN, "Peeters", "An", "", "10-14", "", "", "", "", "18-22"]
    result = grid(tmp_path, [row], header=header, title=title)
    assert hours(result) == [
        ("E5", "30/06 10:00", "30/06 14:00"),
        ("J5", "05/07 18:00", "05/07 22:00"),
    ]
    assert to_shifts(result.shifts)[0].employer.enterprise_number == ENTERPRISE


def test_weekday_names_without_any_date_are_reported_once(tmp_path):
    header = ["INSZ", "Naam", "Voornaam", "maandag", "dinsdag"]
    result = grid(tmp_path, [[AN, "Peeters", "An", "10-14", ""]], header=header, title=TITLE[1:])
    assert found(result) == [("D3", "error", "no_dates")]


def test_two_columns_per_day_under_a_merged_date(tmp_path):
    rows = [
        ["NISS", "Nom", "Prénom", "lundi 29/06/2026", None, "mardi 30/06/2026", None],
        ["NISS", "Nom", "Prénom", "Début", "Fin", "De", "À"],
        [AN, "Peeters", "An", dt.time(9, 30), dt.time(13, 30), "18h", "22h"],
        [JAN, "Janssens", "Jan", "10:00", None, None, None],
    ]
    path = write_book(
        tmp_path / "g.xlsx",
        {"S": [*TITLE, *rows]},
        merged={"S": ["D4:E4", "F4:G4", "A4:A5", "B4:B5", "C4:C5"]},
    )
    result = validate(read_rosters([path]))
    assert hours(result) == [
        ("D6", "29/06 09:30", "29/06 13:30"),
        ("F6", "30/06 18:00", "30/06 22:00"),
    ]
    assert found(result) == [("E7", "error", "missing")]
    assert result.problems[0].column == "lundi 29/06/2026 Fin"


def test_two_columns_per_day_with_the_worker_headers_beside_start_and_end(tmp_path):
    rows = [
        [None, None, None, "29/06/2026", "29/06/2026", "30/06/2026", "30/06/2026"],
        ["INSZ", "Naam", "Voornaam", "Van", "Tot", "Van", "Tot"],
        [AN, "Peeters", "An", "10u", "14u", "", ""],
        [JAN, "Janssens", "Jan", "", "", 0.75, 0.9166666667],
    ]
    result = grid(tmp_path, rows[1:], header=rows[0], title=TITLE[1:2])
    assert result.problems == []
    assert hours(result) == [
        ("D4", "29/06 10:00", "29/06 14:00"),
        ("F5", "30/06 18:00", "30/06 22:00"),
    ]


def test_a_worker_merged_over_two_rows_keeps_both_rows_shifts(tmp_path):
    rows = [[AN, "Peeters", "An", "10-14", None], [None, None, None, "18-22", "10-14"]]
    path = write_book(
        tmp_path / "g.xlsx",
        {"S": [*TITLE, HEADER[:5], *rows]},
        merged={"S": ["A5:A6", "B5:B6", "C5:C6"]},
    )
    result = validate(read_rosters([path]))
    assert result.problems == []
    assert hours(result) == [
        ("D5", "29/06 10:00", "29/06 14:00"),
        ("D6", "29/06 18:00", "29/06 22:00"),
        ("E6", "30/06 10:00", "30/06 14:00"),
    ]
    assert {s.worker.insz for s in to_shifts(result.shifts)} == {AN}


def test_totals_rows_and_columns_are_not_shifts(tmp_path):
    header = [*HEADER, "Total heures"]
    rows = [[AN, "Peeters", "An", "10-14", "", "", 4], ["Total", "", "", "", "", "", 4], ["TOTAUX"]]
    result = grid(tmp_path, rows, header=header)
    assert result.problems == []
    assert len(result.shifts) == 1


def test_an_enterprise_number_column_gives_each_worker_his_employer(tmp_path):
    header = ["Ondernemingsnummer", "Werkgever", *HEADER]
    rows = [
        ["0566.988.259", "Brasserie", AN, "Peeters", "An", "10-14"],
        ["BE 0403 170 701", "Traiteur", AN, "Peeters", "An", "18-22"],
    ]
    result = grid(tmp_path, rows, header=header, title=TITLE[:1])
    shifts = to_shifts(result.shifts)
    assert [(s.employer.enterprise_number, s.employer.name) for s in shifts] == [
        ("0566988259", "Brasserie"),
        ("0403170701", "Traiteur"),
    ]


def test_a_wrong_labelled_enterprise_number_is_one_problem_at_the_label(tmp_path):
    title = [["Ondernemingsnummer: 0566.988.258"], ["Werkgever: Brasserie Het Pand"]]
    rows = [[AN, "Peeters", "An", "10-14", "18-22"], [JAN, "Janssens", "Jan", "10-14", ""]]
    result = grid(tmp_path, rows, header=[*HEADER[:3], "29/06/2026", "30/06/2026"], title=title)
    assert found(result) == [("A1", "error", "enterprise_check")]
    (p,) = result.problems
    assert (p.row, p.column, p.value) == (1, "Ondernemingsnummer", "0566.988.258")
    assert result.shifts.empty


def test_two_grids_on_one_sheet_each_with_its_employer(tmp_path):
    rows = [
        ["Ondernemingsnummer: 0566.988.259"],
        [*HEADER[:3], "29/06/2026"],
        [AN, "Peeters", "An", "10-14"],
        [],
        ["Ondernemingsnummer: 0403.170.701"],
        [*HEADER[:3], "30/06/2026"],
        [JAN, "Janssens", "Jan", "18-22"],
    ]
    path = write_book(tmp_path / "g.xlsx", {"S": rows})
    result = validate(read_rosters([path]))
    assert result.problems == []
    assert [(s.source.cell, s.employer.enterprise_number) for s in to_shifts(result.shifts)] == [
        ("D3", "0566988259"),
        ("D7", "0403170701"),
    ]


def test_a_grid_without_any_employer_is_reported_once(tmp_path):
    rows = [[AN, "Peeters", "An", "10-14", "10-14"], [JAN, "Janssens", "Jan", "10-14", ""]]
    result = grid(tmp_path, rows, title=[["Planning 29/06/2026"]])
    assert [(p.sheet, p.code) for p in result.problems] == [("Semaine 27", "no_employer")]
    assert result.shifts.empty


def test_hidden_rows_and_columns_of_a_grid_are_read_with_a_warning(tmp_path):
    rows = [[AN, "Peeters", "An", "10-14", "", "18-22"], [JAN, "Janssens", "Jan", "10-14", "", ""]]
    result = grid(
        tmp_path, rows, hidden_rows={"Semaine 27": [6]}, hidden_columns={"Semaine 27": ["F"]}
    )
    assert found(result) == [("F4", "warning", "hidden_column"), ("", "warning", "hidden_row")]
    assert result.problems[1].row == 6
    assert len(result.shifts) == 3


def test_overlapping_shifts_in_one_cell_point_at_that_cell(tmp_path):
    result = grid(tmp_path, [[AN, "Peeters", "An", "10-14 / 12-16"]])
    assert found(result) == [("D5", "error", "overlap"), ("D5", "error", "overlap")]
    assert [p.value for p in result.problems] == [
        "29/06/2026 10:00-14:00",
        "29/06/2026 12:00-16:00",
    ]
    assert result.shifts.empty
