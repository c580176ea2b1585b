"""The listing writer: typed columns as csv, xlsx and a terminal table, headers in nl/fr/en."""

from __future__ import annotations

import datetime as dt
import io
import stat
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rich.console import Console

from batch.model import BRUSSELS
from batch.render.listing import (
    Column,
    Listing,
    csv_text,
    emit,
    output_format,
    write_csv,
    write_xlsx,
)

START = dt.datetime(2026, 6, 29, 9, 30, tzinfo=BRUSSELS)
# 02:30 the second time (winter time) on the night the clocks go back
REPEATED = dt.datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS, fold=1)

LISTING = Listing(
    columns=(
        Column("period_number"),
        Column("insz"),
        Column("last_name"),
        Column("ws_work_day", "date"),
        Column("declared_start", "datetime"),
        Column("hours_worked", "hours"),
        Column("wage", "money"),
        Column("row", "integer"),
    ),
    rows=[
        (
            "660740832061",
            "00010112345",
            "=1+2",
            dt.date(2026, 6, 29),
            START,
            7.5,
            Decimal("12.05"),
            7,
        ),
        ("", "93051822361", "Peeters; An", dt.date(2026, 10, 25), REPEATED, None, None, None),
    ],
    sheet="periods_sheet",
    labels={"wage": ("Uurloon", "Salaire horaire", "Hourly wage")},
)


def test_csv_is_semicolon_separated_with_a_decimal_comma_and_a_bom(tmp_path):
    path = write_csv(LISTING, tmp_path / "periods.csv", "nl")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert path.read_bytes().decode("utf-8-sig") == (
        "Periodenummer;INSZ;Naam;Werkdag;Aangegeven begin;Uren;Uurloon;Rij\r\n"
        "660740832061;00010112345;=1+2;29/06/2026;29/06/2026 09:30;7,50;12,05;7\r\n"
        ';93051822361;"Peeters; An";25/10/2026;25/10/2026 02:30 (CET);;;\r\n'
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_english_headers():
    first = csv_text(LISTING, "en").splitlines()[0]
    assert first == "Period number;INSZ;Last name;Work day;Declared start;Hours;Hourly wage;Row"
    assert csv_text(LISTING, "fr").splitlines()[0].startswith("Numéro de période;NISS;Nom;")


def test_xlsx_cells_are_typed_and_text_is_never_a_formula(tmp_path):
    path = write_xlsx(LISTING, tmp_path / "periods.xlsx", "en")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sheet = load_workbook(path)["Periods"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        [
            "Period number",
            "INSZ",
            "Last name",
            "Work day",
            "Declared start",
            "Hours",
            "Hourly wage",
            "Row",
        ],
        [
            "660740832061",
            "00010112345",
            "=1+2",
            dt.datetime(2026, 6, 29),
            dt.datetime(2026, 6, 29, 9, 30),
            7.5,
            12.05,
            7,
        ],
        [
            None,
            "93051822361",
            "Peeters; An",
            dt.datetime(2026, 10, 25),
            dt.datetime(2026, 10, 25, 2, 30),
        ]
        + [None] * 3,
    ]
    assert sheet["C2"].data_type == "s"  # a string, not the formula =1+2
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["E2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["F2"].number_format == "0.00"


def test_the_terminal_table_shows_the_same_texts():
    out = io.StringIO()
    console = Console(file=out, width=250, highlight=False, color_system=None)
    emit(LISTING, "nl", None, None, console)
    text = out.getvalue()
    assert "Periodenummer" in text and "29/06/2026 09:30" in text and "7,50" in text
    assert "=1+2" in text


def test_csv_without_output_goes_to_the_terminal():
    out = io.StringIO()
    emit(LISTING, "en", "csv", None, Console(file=out, width=80))
    assert out.getvalue() == csv_text(LISTING, "en")


def test_an_empty_listing_says_so():
    out = io.StringIO()
    emit(
        Listing(LISTING.columns, [], labels=LISTING.labels),
        "en",
        None,
        None,
        Console(file=out, width=80),
    )
    assert out.getvalue() == "Nothing found.\n"


@pytest.mark.parametrize(
    ("fmt", "output", "expected"),
    [
        (None, None, "table"),
        (None, "x.csv", "csv"),
        (None, "x.XLSX", "xlsx"),
        ("csv", None, "csv"),
        ("xlsx", "x.data", "xlsx"),
    ],
)
def test_the_format_follows_the_option_or_the_file_name(fmt, output, expected):
    assert output_format(fmt, output) == expected


@pytest.mark.parametrize(
    ("fmt", "output", "message"),
    [
        (None, "x.txt", "name a .csv or .xlsx file"),
        ("table", "x.csv", "shown on the terminal"),
        ("xlsx", None, "needs --output"),
    ],
)
def test_unclear_formats_are_usage_errors(fmt, output, message):
    with pytest.raises(ValueError, match=message):
        output_format(fmt, output)


def test_a_row_of_the_wrong_width_is_refused(tmp_path):
    bad = Listing((Column("insz"),), [("a", "b")])
    with pytest.raises(ValueError, match="2 values for 1"):
        csv_text(bad, "nl")
    with pytest.raises(ValueError):
        write_xlsx(bad, tmp_path / "bad.xlsx", "nl")
    assert list(tmp_path.iterdir()) == []  # nothing half written left behind
