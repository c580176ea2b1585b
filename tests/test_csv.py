"""CSV rosters and actuals: the same headers, validation and cell references as a workbook.

Files are written here byte for byte (encodings, separators, BOM), run through the real
command line (click's runner) or the reading stage, and their reports read back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from batch.cli import main
from batch.read import expand_paths, read_rosters
from batch.read.delimited import read_values
from batch.validate import validate
from tests.conftest import AN, BRASSERIE, HEADER, JAN, NSSO, shift, write_roster
from tests.test_hostile import declare as declare_limited
from tests.test_hostile import one_line

AS_OF = ["--as-of", "2026-06-28 12:00"]
EMPLOYER = f"{BRASSERIE};{NSSO};Brasserie Het Pand"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def problems(out: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(out / "validation.xlsx").active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def periods(ledger: Path) -> list[tuple]:
    with sqlite3.connect(ledger) as db:
        return db.execute(
            "SELECT enterprise_number, insz, last_name, first_name, declared_start,"
            " declared_end, status FROM periods ORDER BY declared_start, insz"
        ).fetchall()


SEMICOLON_CP1252 = (
    "Flexi-rooster week 27;;;;;;;;\r\n"
    + ";".join(HEADER).replace("Voornaam", "Prénom")
    + "\r\n"
    + f"{EMPLOYER};{AN};Peeters;An;29/06/2026;10:00;14:00\r\n"
    + f"{EMPLOYER};{JAN};Dubois;Renée;30/06/2026;17u30;23:00\r\n"
).encode("cp1252")

COMMA_BOM = (
    "\ufeff"
    + ",".join(HEADER)
    + "\n"
    + f'{BRASSERIE},{NSSO},"Brasserie Het Pand, Gent",{AN},Peeters,An,2026-06-29,10:00,14:00\n'
).encode("utf-8")


def test_a_semicolon_windows_1252_file_with_prenom_is_read_as_a_sheet(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(SEMICOLON_CP1252)
    reading = read_rosters([path])
    assert reading.problems == []
    (sheet,) = reading.sheets
    assert (sheet.file, sheet.name) == ("export.csv", "")
    assert sheet.columns["first_name"].header == "Prénom"
    assert list(sheet.rows["row"]) == [3, 4]
    assert list(sheet.rows["first_name"]) == ["An", "Renée"]
    assert list(sheet.rows["start"]) == ["10:00", "17u30"]  # text, parsed by validation


def test_a_comma_utf8_file_with_a_bom_keeps_quoted_commas(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(COMMA_BOM)
    (sheet,) = read_rosters([path]).sheets
    assert sheet.columns["enterprise_number"].header == "Ondernemingsnummer"  # no BOM left
    assert list(sheet.rows["employer_name"]) == ["Brasserie Het Pand, Gent"]
    assert list(sheet.rows["row"]) == [2]


def test_a_semicolon_file_with_decimal_commas_stays_a_semicolon_file(tmp_path):
    path = tmp_path / "decimal.csv"
    path.write_text(
        ";".join(HEADER) + "\n" + f"{EMPLOYER};{AN};Peeters;An;29/06/2026;9,5;14,25\n",
        encoding="utf-8",
    )
    (sheet,) = read_rosters([path]).sheets
    assert list(sheet.rows["start"]) == ["9,5"] and list(sheet.rows["end"]) == ["14,25"]


def test_excel_sep_line_and_a_quoted_line_break_keep_line_numbers(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text(
        "sep=,\n"
        + ",".join(HEADER)
        + "\n"
        + f'{BRASSERIE},{NSSO},"Brasserie\nHet Pand",{AN},Peeters,An,29/06/2026,10:00,14:00\n'
        + f"{BRASSERIE},{NSSO},Het Pand,{JAN},Dubois,Jan,29/06/2026,10:00,14:00\n",
        encoding="utf-8",
    )
    values = read_values(path)
    assert values[1][0] == "Ondernemingsnummer"
    assert values[2][2] == "Brasserie\nHet Pand"
    assert values[3] == [] and values[4][3] == JAN  # line 5 of the file is row 5


def test_a_bad_row_is_reported_at_its_line_and_header(tmp_path):
    path = tmp_path / "export.csv"
    body = (
        ";".join(HEADER)
        + "\n"
        + f"{EMPLOYER};{AN};Peeters;An;29/06/2026;10:00;14:00\n"
        + f"{EMPLOYER};93051822362;Peeters;An;30/06/2026;9.5;14:00\n"
    )
    path.write_bytes(body.encode("cp1252"))
    out = tmp_path / "out"
    result = invoke(
        "declare", path, "--ledger", tmp_path / "l.sqlite", "--out", out, *AS_OF, "--lang", "en"
    )
    assert result.exit_code == 1, result.output
    found = {(f, s, r, c, cell, v, severity) for f, s, r, c, cell, v, _, severity in problems(out)}
    assert found == {
        ("export.csv", None, 3, "INSZ", "D3", "93051822362", "error"),
        ("export.csv", None, 3, "Van", "H3", "9.5", "error"),
    }
    texts = [t for *_, t, _ in problems(out)]
    assert "INSZ check digits do not match" in texts
    assert "9.5: 09:30 or 09:50? write 9:30" in " ".join(texts)
    assert periods(tmp_path / "l.sqlite")[0][1] == AN


def test_a_csv_roster_declares_the_same_periods_as_the_same_roster_as_xlsx(tmp_path):
    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        shift("2026-06-30", "17:30", "23:00", insz=JAN, last="Dubois", first="Renée"),
        shift("2026-07-01", "22:00", "02:00"),  # overnight
    ]
    xlsx = write_roster(tmp_path / "roster.xlsx", rows)
    csv_path = tmp_path / "roster.csv"
    lines = ["Flexi-rooster week 27", "", ";".join(HEADER)]
    for r in rows:
        lines.append(";".join([*r[:6], f"{r[6]:%d/%m/%Y}", f"{r[7]:%H:%M}", f"{r[8]:%H:%M}"]))
    csv_path.write_bytes("\r\n".join(lines).encode("cp1252"))
    for name, roster in (("x", xlsx), ("c", csv_path)):
        result = invoke(
            "declare", roster, "--ledger", tmp_path / f"{name}.sqlite", "--out", tmp_path / name,
            *AS_OF,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    declared = periods(tmp_path / "x.sqlite")
    assert len(declared) == 3 and declared == periods(tmp_path / "c.sqlite")
    receipt = list(openpyxl.load_workbook(tmp_path / "c" / "receipts.xlsx").active.values)
    source = receipt[0].index("Bron")
    sources = [row[source] for row in receipt[1:]]
    assert sources == ["roster.csv row 4", "roster.csv row 5", "roster.csv row 6"]


def test_actuals_as_csv_are_reconciled(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    ledger = tmp_path / "l.sqlite"
    assert (
        invoke("declare", roster, "--ledger", ledger, "--out", tmp_path / "d", *AS_OF).exit_code
        == 0
    )
    actuals = tmp_path / "prikklok.csv"
    # FritosFlexi's payroll export (its headers), with the employer's number added
    actuals.write_text(
        "NISS,Nom,Prénom,Date prestation,Heure début,Heure fin,Heures totales,N° BCE\n"
        f'{AN},Peeters,An,2026-06-29,10:00,16:00,"6,00",{BRASSERIE}\n',
        encoding="utf-8-sig",
    )
    out = tmp_path / "c"
    result = invoke(
        "reconcile", actuals, "--ledger", ledger, "--out", out,
        "--as-of", "2026-06-29 21:00", "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = openpyxl.load_workbook(out / "corrections.xlsx").active.iter_rows(
        min_row=2, values_only=True
    )
    assert (row[2], row[12], row[13], row[15]) == (
        "93.05.18-223.61",
        "later end",
        "update",
        "in time",
    )
    with sqlite3.connect(ledger) as db:
        (end,) = db.execute("SELECT declared_end FROM periods").fetchone()
    assert end.startswith("2026-06-29T16:00")


def test_folders_are_searched_for_csv_and_skip_lock_and_hidden_files(tmp_path):
    for name in ("a.csv", "b.XLSX", "~$b.xlsx", ".hidden.csv", "._a.csv", "notes.txt"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.csv", "b.XLSX"]


def test_no_roster_files_in_a_folder_names_csv_too(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = invoke("declare", tmp_path, "--ledger", tmp_path / "l.sqlite", *AS_OF)
    assert result.exit_code == 2
    assert "no .xlsx, .xlsm or .csv files in" in result.output


# --- hostile CSV files: one line naming the file, bounded memory, no ledger -------------------


def assert_refused(tmp_path: Path, target: Path, message: str) -> None:
    status, output = declare_limited(tmp_path, target)
    assert status == 2, output
    line = one_line(output, target.name)
    assert line.startswith(f"error   {target.name}") and message in line, line
    (problem,) = problems(tmp_path / "out")
    assert problem[0] == target.name and message in problem[6]
    assert not (tmp_path / "ledger.sqlite").exists()


def test_a_huge_line_is_refused_without_reading_it_into_memory(tmp_path):
    target = tmp_path / "line.csv"
    with target.open("wb") as stream:
        stream.write(b"Naam;Voornaam\n" + b"x" * (2 << 20))
        stream.truncate(900 << 20)  # a 900 MB line (sparse): a reader without a limit dies
    assert_refused(tmp_path, target, "line 2 is longer than 1 MB")


def test_nul_bytes_are_binary_data(tmp_path):
    target = tmp_path / "nul.csv"
    target.write_bytes(b"Naam;Voornaam\nPeeters;\x00An\n")
    assert_refused(tmp_path, target, "not a text (CSV) file")


def test_a_workbook_named_csv_is_binary_data(tmp_path):
    target = tmp_path / "roster.csv"
    write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")]).rename(target)
    assert_refused(tmp_path, target, "not a text (CSV) file")


def test_random_bytes_are_neither_utf8_nor_windows_1252(tmp_path):
    target = tmp_path / "random.csv"
    target.write_bytes(bytes(range(1, 256)) * 100)
    assert_refused(tmp_path, target, "not a text (CSV) file")


def test_millions_of_columns_are_refused(tmp_path):
    target = tmp_path / "wide.csv"
    target.write_bytes(b"Naam" + b";" * 900_000 + b"\n")
    assert_refused(tmp_path, target, "line 1 has 900,001 columns (limit 16,384)")


def test_too_many_cells_are_refused_at_the_cell_that_passes_the_limit(tmp_path):
    target = tmp_path / "cells.csv"
    with target.open("wb") as stream:
        stream.write(b";" * 16_383 + b"\n")  # 16,384 columns...
        stream.write(b"x\n" * 3_000)  # ...on 3,000 lines: 49 million cells
    assert_refused(tmp_path, target, "more than 33,554,432 cells")


def test_a_file_over_the_size_limit_is_refused_from_its_size(tmp_path):
    target = tmp_path / "big.csv"
    with target.open("wb") as stream:
        stream.write(b"Naam;Voornaam\n")
        stream.truncate(2 << 30)  # sparse: nothing written, nothing read
    assert_refused(tmp_path, target, "refused: the CSV file is 2,048 MB (limit 1,024 MB)")


FRITOSFLEXI = (
    "NISS;Nom;Prénom;Date prestation;Heure début;Heure fin;Heures totales;Taux horaire;"
    "Salaire brut;Prime dimanche;Pécule vacances (7,67%);Cotisation patronale (28%)"
)


def test_fritosflexi_partena_export_headers_are_understood(tmp_path):
    path = tmp_path / "partena.csv"
    path.write_bytes(
        (
            f"{FRITOSFLEXI};N° BCE\r\n"
            f"{AN};Peeters;An;2026-06-30;10:00:00;14:00:00;4.00;12.50;50.00;0.00;3.84;15.07;"
            f"{BRASSERIE}\r\n"
        ).encode("cp1252")
    )
    reading = read_rosters([path])
    (sheet,) = reading.sheets
    assert {f: (c.header, c.letter) for f, c in sheet.columns.items()} == {
        "insz": ("NISS", "A"),
        "last_name": ("Nom", "B"),
        "first_name": ("Prénom", "C"),
        "work_day": ("Date prestation", "D"),
        "start": ("Heure début", "E"),
        "end": ("Heure fin", "F"),
        "hourly_wage": ("Taux horaire", "H"),  # the payroll export's wage
        "enterprise_number": ("N° BCE", "M"),
    }
    validated = validate(reading)
    assert validated.problems == []
    assert [str(t) for t in validated.shifts["start"]] == ["2026-06-30 10:00:00+02:00"]
