"""Values as clients type them: every time and date format, identifiers that lost their zeros,
merged, hidden, blank, totals and formula cells; each unreadable value one problem at its cell.
"""

import datetime as dt

import pandas as pd
import pytest

from batch import timeparse
from batch.model import BRUSSELS
from batch.read import read_rosters
from batch.validate import to_shifts, validate
from tests.conftest import AN, BRASSERIE, HEADER, JAN, NSSO, shift, write_roster
from tests.workbooks import cache_formula_values, insz, write_book

DAY = dt.date(2026, 6, 29)


def row(day: object = DAY, start: object = "10:00", end: object = "14:00", **fields) -> list:
    """A roster row (HEADER's columns) with the day and hours as given."""
    base = shift("2026-06-29", "10:00", "14:00", **fields)
    return [*base[:6], day, start, end]


def check(tmp_path, rows, **kwargs):
    return validate(read_rosters([write_roster(tmp_path / "roster.xlsx", rows, **kwargs)]))


def found(result):
    return [(p.cell, p.severity.value, p.code) for p in result.problems]


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("9u30", 570),
        ("9h30", 570),
        ("9H30", 570),
        ("9.30", 570),
        ("930", 570),
        ("0930", 570),
        ("09:30:00", 570),
        ("9 h 30", 570),
        ("9u", 540),
        ("9h", 540),
        ("9", 540),
        ("9:30u", 570),
        ("9:30 pm", 1290),
        ("12 am", 0),
        ("24:00", 1440),
        (dt.time(9, 30), 570),
        (0.3958333333, 570),  # an Excel time fraction
        (930, 570),  # `930` stored as a number
        (10, 600),  # `10` stored as a number
        (46202.3958333, 570),  # an Excel date-time serial
        (dt.timedelta(hours=9, minutes=30), 570),  # a [h]:mm duration cell
    ],
)
def test_time_formats(typed, minutes):
    parsed, bad = timeparse.parse_minutes(pd.Series([typed], dtype="object"))
    assert not bad.iloc[0]
    assert parsed.iloc[0] == minutes


@pytest.mark.parametrize(
    "typed", ["25:00", "24:30", "9:60", "9.3.0", "x", "13 pm", 25, 46202, -0.5]
)
def test_times_that_cannot_be_read(typed):
    _, bad = timeparse.parse_minutes(pd.Series([typed], dtype="object"))
    assert bad.iloc[0]


@pytest.mark.parametrize(
    "typed",
    [
        46202,  # an Excel serial
        "29/06/2026",
        "29-06-26",
        "29.06.2026",
        "2026-06-29",
        "29/06/2026 00:00",
        "lundi 29/06/2026",
        "ma 29/06/2026",
        "29 juin 2026",
        "29 juni 2026",
        dt.date(2026, 6, 29),
        dt.datetime(2026, 6, 29, 10, 0),
    ],
)
def test_date_formats(typed):
    parsed, bad = timeparse.parse_dates(pd.Series([typed], dtype="object"))
    assert not bad.iloc[0]
    assert parsed.iloc[0] == pd.Timestamp(2026, 6, 29)


def test_a_date_without_year_takes_the_year_of_the_sheets_other_dates(tmp_path):
    rows = [row("30/06/2026", insz=JAN), row("29/06")]
    result = check(tmp_path, rows)
    assert result.problems == []
    assert to_shifts(result.shifts)[1].start == dt.datetime(2026, 6, 29, 10, tzinfo=BRUSSELS)


def test_hours_in_every_form_in_a_roster(tmp_path):
    rows = [
        row(DAY, "9u30", "13u30"),
        row(dt.date(2026, 6, 30), 0.375, 0.5833333333),
        row(dt.date(2026, 7, 1), dt.datetime(2026, 7, 1, 18), dt.datetime(2026, 7, 1, 22)),
        row(dt.date(2026, 7, 2), 930, 1330),
        row(dt.date(2026, 7, 3), "18:00", "24:00"),
    ]
    result = check(tmp_path, rows)
    assert result.problems == []
    assert [
        (f"{s.start:%d/%m %H:%M}", f"{s.end:%d/%m %H:%M}") for s in to_shifts(result.shifts)
    ] == [
        ("29/06 09:30", "29/06 13:30"),
        ("30/06 09:00", "30/06 14:00"),
        ("01/07 18:00", "01/07 22:00"),
        ("02/07 09:30", "02/07 13:30"),
        ("03/07 18:00", "04/07 00:00"),
    ]


def test_identifiers_with_be_dots_dashes_spaces_or_lost_zeros(tmp_path):
    born_2001 = insz("010203")  # starts with 0: stored as a number it has 10 digits
    rows = [
        ["BE 0566.988.259", 935467, "", "93.05.18-223.61", "Peeters", "An", DAY, "10:00", "14:00"],
        ["0566-988-259", "0009354-67", "", int(born_2001), "Dubois", "Lou", DAY, "10:00", "14:00"],
        [566988259, "", "", "850730 033 28", "Janssens", "Jan", DAY, "10:00", "14:00"],
    ]
    result = check(tmp_path, rows)
    assert result.problems == []
    shifts = to_shifts(result.shifts)
    assert {s.employer.enterprise_number for s in shifts} == {"0566988259"}
    assert [s.worker.insz for s in shifts] == [AN, born_2001, JAN]
    assert [s.employer.nsso_number for s in shifts] == [NSSO, NSSO, ""]


def test_each_unreadable_value_is_one_problem_saying_what_was_expected(tmp_path):
    rows = [
        row(DAY, "25:70", "14:00"),
        row("31/02/2026", "10:00", "14:00", insz=JAN),
        row(DAY, "10:00", "x", insz=JAN),
    ]
    result = check(tmp_path, rows)
    assert found(result) == [
        ("H4", "error", "bad_time"),
        ("G5", "error", "no_such_date"),
        ("I6", "error", "bad_time"),
    ]
    assert result.problems[0].message == "time cannot be read; expected HH:MM or a time cell"
    assert result.problems[1].message == "31/02/2026 does not exist"


def test_an_employer_merged_down_a_block_of_shifts(tmp_path):
    rows = [
        [BRASSERIE, NSSO, "Brasserie", AN, "Peeters", "An", DAY, "10:00", "14:00"],
        [None, None, None, JAN, "Janssens", "Jan", DAY, "10:00", "14:00"],
        [None, None, None, AN, "Peeters", "An", DAY, "18:00", "22:00"],
    ]
    path = write_book(
        tmp_path / "r.xlsx", {"Week": [HEADER, *rows]}, merged={"Week": ["A2:A4", "B2:B4", "C2:C4"]}
    )
    result = validate(read_rosters([path]))
    assert result.problems == []
    assert [s.employer.name for s in to_shifts(result.shifts)] == ["Brasserie"] * 3


def test_blank_trailing_totals_and_repeated_header_rows_are_skipped(tmp_path):
    rows = [
        row(DAY),
        [None] * 9,
        HEADER,  # two rosters pasted one under the other
        row(dt.date(2026, 6, 30)),
        ["", "", "", "", "Totaal", "", "", "", 8],
        ["TOTAL", "", "", "", "", "", "", "", ""],
        [None] * 9,
        [None] * 9,
    ]
    result = check(tmp_path, rows)
    assert result.problems == []
    assert list(result.shifts["row"]) == [4, 7]


def test_a_totals_row_with_a_real_insz_is_a_row(tmp_path):
    result = check(tmp_path, [row(DAY, last="Total")])
    assert result.problems == [] and len(result.shifts) == 1


def test_hidden_rows_are_read_with_a_warning_each(tmp_path):
    rows = [HEADER, row(DAY), row(DAY, "18:00", "22:00"), row(dt.date(2026, 6, 30))]
    path = write_book(tmp_path / "r.xlsx", {"Week": rows}, hidden_rows={"Week": [3, 4]})
    result = validate(read_rosters([path]))
    assert [(p.row, p.severity.value, p.code) for p in result.problems] == [
        (3, "warning", "hidden_row"),
        (4, "warning", "hidden_row"),
    ]
    assert result.problems[0].message == "hidden row read; check it is meant"
    assert len(result.shifts) == 3


def test_a_hidden_sheet_is_read_with_one_warning(tmp_path):
    sheets = {"Week 27": [HEADER, row(DAY)], "Week 28": [HEADER, row(dt.date(2026, 7, 6))]}
    path = write_book(tmp_path / "r.xlsx", sheets, hidden_sheets=["Week 27"])
    result = validate(read_rosters([path]))
    assert [(p.sheet, p.code) for p in result.problems] == [("Week 27", "hidden_sheet")]
    assert len(result.shifts) == 2


def test_formulas_count_by_their_cached_value(tmp_path):
    rows = [
        HEADER,
        [BRASSERIE, NSSO, "", "=D3", "Peeters", "An", "=G3+1", "=H3", "14:00"],
        [BRASSERIE, NSSO, "", AN, "Peeters", "An", DAY, "18:00", "22:00"],
    ]
    path = write_book(tmp_path / "r.xlsx", {"Week": rows})
    cache_formula_values(path, {"D2": AN, "G2": "46202", "H2": "10:00"})
    result = validate(read_rosters([path]))
    assert result.problems == []
    first, second = to_shifts(result.shifts)
    assert (first.worker.insz, first.start) == (AN, dt.datetime(2026, 6, 29, 10, tzinfo=BRUSSELS))
    assert second.start == dt.datetime(2026, 6, 29, 18, tzinfo=BRUSSELS)


def test_the_employer_from_a_label_above_a_long_roster(tmp_path):
    header = HEADER[3:]
    title = [["Ondernemingsnummer:", "0566.988.259"], ["RSZ-nummer: 0009354-67"], []]
    rows = [row(DAY)[3:], row(dt.date(2026, 6, 30))[3:]]
    result = check(tmp_path, rows, header=header, title_rows=title)
    assert result.problems == []
    s = to_shifts(result.shifts)[0]
    assert (s.employer.enterprise_number, s.employer.nsso_number) == ("0566988259", NSSO)
    assert s.source.cell == "E5"


def test_a_wrong_label_is_one_problem_at_its_cell(tmp_path):
    title = [["Ondernemingsnummer:", "0566.988.258"]]
    rows = [row(DAY)[3:], row(dt.date(2026, 6, 30))[3:]]
    result = check(tmp_path, rows, header=HEADER[3:], title_rows=title)
    assert found(result) == [("B1", "error", "enterprise_check")]
    assert result.problems[0].column == "Ondernemingsnummer"


def test_a_sheet_beside_a_roster_without_a_date_or_time_is_skipped_with_an_info_line(tmp_path):
    path = write_book(
        tmp_path / "r.xlsx", {"Week": [HEADER, row(DAY)], "Notes": [["Opgelet"], ["Wie", "Wat"]]}
    )
    result = validate(read_rosters([path]))
    assert [(p.sheet, p.severity.value, p.code) for p in result.problems] == [
        ("Notes", "info", "sheet_skipped")
    ]
    assert result.problems[0].message == (
        "sheet skipped: no date or time in it, so no roster; found: Wie, Wat"
    )
    assert len(result.shifts) == 1


def test_dates_without_any_year_take_the_year_option(tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [row("29/06"), row("30/06", insz=JAN)])
    assert [p.code for p in validate(read_rosters([path])).problems] == ["bad_date", "bad_date"]
    result = validate(read_rosters([path], year=2026))
    assert result.problems == []
    assert to_shifts(result.shifts)[1].start == dt.datetime(2026, 6, 30, 10, tzinfo=BRUSSELS)


def test_dates_without_year_take_the_year_of_the_title(tmp_path):
    title = [["Rooster week 27 (29/06/2026 - 05/07/2026)"], []]
    result = check(tmp_path, [row("29/06")], title_rows=title)
    assert result.problems == []
    assert to_shifts(result.shifts)[0].start.year == 2026


def test_a_label_without_colon(tmp_path):
    title = [["Ondernemingsnummer BE 0566.988.259"]]
    result = check(tmp_path, [row(DAY)[3:]], header=HEADER[3:], title_rows=title)
    assert result.problems == []
    assert to_shifts(result.shifts)[0].employer.enterprise_number == "0566988259"
