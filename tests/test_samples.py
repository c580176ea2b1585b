"""The committed sample rosters are what make_samples.py writes, and say what README says.

The demo and the documentation point at cells of these files ("D10: INSZ check digits"), so
a sample edited by hand, or a generator changed without re-running it, must fail here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

from batch.identifiers import (
    digits,
    enterprise_is_valid,
    insz_is_valid,
    normalize_enterprise,
    nsso_is_valid,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
V1 = SAMPLES / "roster-week27.xlsx"
V2 = SAMPLES / "roster-week27-v2.xlsx"
FIRST = 4  # first data row


def _load(name: str, path: Path) -> ModuleType:
    """samples/ is a folder of files, not a package: load the script itself."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def maker() -> ModuleType:
    return _load("make_samples", SAMPLES / "make_samples.py")


def _cells(path: Path) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(path)
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def _sheet(path: Path):
    return openpyxl.load_workbook(path).active


def _rows(path: Path) -> dict[int, dict[str, object]]:
    """Data rows by the row number Excel shows, as header → value."""
    sheet = _sheet(path)
    headers = [c.value for c in sheet[FIRST - 1]]
    return {
        r: dict(zip(headers, values, strict=True))
        for r, values in enumerate(sheet.iter_rows(min_row=FIRST, values_only=True), FIRST)
    }


def _cells_of(ranges: list[str]) -> set[str]:
    """'A28:K28' and 'D10' → the single cells they cover."""
    cells = set()
    for text in ranges:
        if ":" not in text:
            cells.add(text)
            continue
        min_col, min_row, max_col, max_row = range_boundaries(text)
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                cells.add(f"{openpyxl.utils.get_column_letter(col)}{row}")
    return cells


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, str), value
    if "/" in value:
        return datetime.strptime(value, "%d/%m/%Y").date()
    return date.fromisoformat(value)


def _time(value: object) -> time:
    if isinstance(value, time):
        return value
    assert isinstance(value, str), value
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _span(row: dict[str, object]) -> tuple[datetime, datetime]:
    """Start and end; an end at or before the start is on the next day."""
    day = _day(row["Werkdag"])
    start = datetime.combine(day, _time(row["Van"]))
    end = datetime.combine(day, _time(row["Tot"]))
    if end <= start:
        end += timedelta(days=1)
    return start, end


# --- the files are the generator's ------------------------------------------------------


def test_committed_samples_match_the_generator(maker: ModuleType, tmp_path: Path) -> None:
    written = maker.build(tmp_path)
    assert [p.name for p in written] == [V1.name, V2.name]
    for fresh in written:
        assert _cells(SAMPLES / fresh.name) == _cells(fresh), (
            f"samples/{fresh.name} differs from what make_samples.py writes: "
            "run python samples/make_samples.py"
        )


def test_documented_cells_are_where_the_code_puts_them(maker: ModuleType) -> None:
    maker.check_documentation()  # MISTAKES, EDITS_V2, DELETED_V2 against the tagged rows
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    script = (SAMPLES / "make_samples.py").read_text(encoding="utf-8")
    for cell, _, _ in maker.MISTAKES:
        assert f"| {cell} |" in readme, f"README.md does not list {cell}"
        assert f"    {cell} " in script, f"the comment list of make_samples.py misses {cell}"
    for cell, _ in maker.EDITS_V2:
        assert f"| {cell} |" in readme, f"README.md does not list v2 cell {cell}"
    for row, _ in maker.DELETED_V2:
        assert f"| {row} |" in readme


# --- the layout and the realism the demo relies on -------------------------------------


def test_layout(maker: ModuleType) -> None:
    for path in (V1, V2):
        sheet = _sheet(path)
        assert str(sheet["A1"].value).startswith("Flexi-rooster week 27 — ")
        assert all(c.value is None for c in sheet[2])
        assert [c.value for c in sheet[3]] == list(maker.HEADERS)
    assert len(_rows(V1)) == 58
    assert len(_rows(V2)) == 57


def _mistake_rows(maker: ModuleType) -> set[int]:
    return {coordinate_from_string(c.split(":")[0])[1] for c, _, _ in maker.MISTAKES}


def test_roster_content(maker: ModuleType) -> None:
    rows = _rows(V1)
    employers = {digits(r["Ondernemingsnummer"]) for r in rows.values()}
    workers = {digits(r["INSZ"]) for r in rows.values() if r["Naam"]}
    assert len({normalize_enterprise(e) for e in employers if enterprise_is_valid(e)}) == 3
    assert len({w for w in workers if insz_is_valid(w)}) == 15
    names = {r["Naam"] for r in rows.values()}
    assert "D'Hondt" in names and "Lefèvre" in names

    days = {_day(r["Werkdag"]) for r in rows.values()}
    assert days == {date(2026, 6, 29) + timedelta(days=d) for d in range(7)}

    usable = {r: row for r, row in rows.items() if r not in _mistake_rows(maker)}
    overnight = [row for row in usable.values() if _time(row["Tot"]) < _time(row["Van"])]
    assert len([row for row in overnight if _time(row["Tot"]) != time(0)]) >= 2

    per_day: dict[tuple, list[tuple[time, time]]] = defaultdict(list)
    for row in usable.values():
        per_day[(row["Ondernemingsnummer"], row["INSZ"], _day(row["Werkdag"]))].append(
            (_time(row["Van"]), _time(row["Tot"]))
        )
    assert [(time(11), time(14, 30)), (time(18), time(22, 30))] in per_day.values()

    # typed the way people type (samples/README.md "Typed the way people type")
    sheet = _sheet(V1)
    assert sheet["G6"].value == sheet["G7"].value == "30/06/2026"
    assert sheet["G36"].value == "2026-07-01"
    assert sheet["H19"].value == sheet["H27"].value == "18:00"
    assert sheet["H54"].value == sheet["H55"].value == "9:30"
    assert isinstance(sheet["G4"].value, datetime) and isinstance(sheet["H4"].value, time)
    assert all(sheet[f"A{r}"].value.isdigit() for r in range(32, 38))
    assert sheet["A4"].value == "0784.315.274"


# --- identifiers: valid except the deliberate mistakes ---------------------------------


@pytest.mark.parametrize("path", [V1, V2], ids=["v1", "v2"])
def test_identifiers_valid_outside_the_mistakes(maker: ModuleType, path: Path) -> None:
    wrong = _cells_of([cell for cell, _, _ in maker.MISTAKES]) if path == V1 else set()
    checked = 0
    for r, row in _rows(path).items():
        if f"A{r}" not in wrong:
            enterprise = normalize_enterprise(digits(row["Ondernemingsnummer"]))
            assert enterprise_is_valid(enterprise), f"A{r}: {row['Ondernemingsnummer']}"
        if f"B{r}" not in wrong:
            assert nsso_is_valid(digits(row["RSZ-nummer"])), f"B{r}: {row['RSZ-nummer']}"
        if f"D{r}" not in wrong:
            assert insz_is_valid(digits(row["INSZ"])), f"D{r}: {row['INSZ']}"
            checked += 1
    assert checked >= 55


def test_the_mistakes_are_really_there() -> None:
    sheet, rows = _sheet(V1), _rows(V1)
    assert not insz_is_valid(digits(sheet["D10"].value))
    assert len(digits(sheet["D35"].value)) == 10
    assert not enterprise_is_valid(normalize_enterprise(digits(sheet["A61"].value)))
    assert enterprise_is_valid(normalize_enterprise(digits(sheet["A60"].value)))
    assert not nsso_is_valid(digits(sheet["B20"].value))
    assert sheet["E37"].value is None and sheet["F37"].value
    assert sheet["I52"].value == "25:70"
    assert sheet["H15"].value == sheet["I15"].value
    assert rows[28] == rows[26]
    assert rows[39]["INSZ"] == rows[40]["INSZ"]
    first, second = _span(rows[39]), _span(rows[40])
    assert second[0] < first[1] and first[0] < second[1]  # they overlap
    start, end = _span(rows[56])
    assert end - start == timedelta(hours=13)


def _clean_rows(path: Path, skip: set[int]) -> dict[int, dict[str, object]]:
    return {r: row for r, row in _rows(path).items() if r not in skip}


@pytest.mark.parametrize("path", [V1, V2], ids=["v1", "v2"])
def test_no_other_overlaps_or_duplicates(maker: ModuleType, path: Path) -> None:
    """Only the deliberate rows may be unusable: everything else must declare cleanly."""
    skip = _mistake_rows(maker) if path == V1 else set()
    spans: dict[tuple[str, str], list[tuple[datetime, datetime]]] = defaultdict(list)
    long_shifts = []
    for r, row in _clean_rows(path, skip).items():
        start, end = _span(row)
        assert timedelta(0) < end - start <= timedelta(hours=13), f"row {r}"
        if end - start > timedelta(hours=12):
            long_shifts.append(r)
        key = (normalize_enterprise(digits(row["Ondernemingsnummer"])), digits(row["INSZ"]))
        spans[key].append((start, end))
    for key, periods in spans.items():
        periods.sort()
        for (_, end_a), (start_b, _) in pairwise(periods):
            assert end_a <= start_b, f"overlap for {key}"
    # v2 keeps the 13-hour wedding shift (confirmed by the caterer): a warning, not an error
    assert long_shifts == ([] if path == V1 else [55])


def test_v2_changes_are_in_time_except_the_deliberate_one(maker: ModuleType) -> None:
    """At 09:00 on 29 June only H31 concerns a shift already started (or due to)."""
    rows = _rows(V2)
    demo_moment = datetime(2026, 6, 29, 9, 0)
    edited = {coordinate_from_string(c.split(":")[0])[1] for c, _ in maker.EDITS_V2}
    for r in edited:
        start, _ = _span(rows[r])
        if r == 31:
            assert start == datetime(2026, 6, 29, 8, 0) < demo_moment
        else:
            assert start.date() >= date(2026, 6, 30), f"row {r}"
    v1 = _rows(V1)
    assert _span(v1[32])[0] == datetime(2026, 6, 29, 10, 0)  # the too-late row as declared
    assert v1[53]["Naam"] == "El Amrani" and _day(v1[53]["Werkdag"]) == date(2026, 7, 1)
    assert v1[41]["Naam"] == "Vandamme" and rows[40]["Naam"] == "Mertens"


# --- the actual hours of the demo's third step -----------------------------------------

ACTUALS = SAMPLES / "actuals-week27.xlsx"


def test_committed_actuals_match_the_generator(maker: ModuleType, tmp_path: Path) -> None:
    fresh = maker.build_actuals(tmp_path)
    assert fresh.name == ACTUALS.name
    assert _cells(ACTUALS) == _cells(fresh), (
        "samples/actuals-week27.xlsx differs from what make_samples.py writes: "
        "run python samples/make_samples.py"
    )


def test_actuals_documented_rows_are_where_the_code_puts_them(maker: ModuleType) -> None:
    maker.check_actuals_documentation()
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    script = (SAMPLES / "make_samples.py").read_text(encoding="utf-8")
    section = readme[readme.index("## actuals-week27.xlsx") :]
    for rows, worker, *_, finding, action, deadline, status in maker.ACTUAL_CASES:
        line = next(
            (line for line in section.splitlines() if line.startswith(f"| {rows} | {worker}")),
            None,
        )
        assert line, f"README.md does not list actuals rows {rows} ({worker})"
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[5:7] == [finding, action], line
        assert cells[7].startswith(deadline) and cells[8] == status, line
    for cell, _, _ in maker.BAD_ACTUALS:
        assert f"| {cell} |" in section, f"README.md does not list {cell}"
        assert f"    {cell} " in script, f"the docstring of make_samples.py misses {cell}"


def test_actuals_layout_and_identifiers(maker: ModuleType) -> None:
    sheet = openpyxl.load_workbook(ACTUALS)["Prikklok"]
    assert str(sheet["A1"].value).startswith("Prikklok-export week 27")
    assert [c.value for c in sheet[2]] == list(maker.ACTUALS_HEADERS)
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 20
    assert {r[4].date() for r in rows} == {date(2026, 6, 29), date(2026, 6, 30), date(2026, 7, 1)}
    for number, (enterprise, insz, *_) in enumerate(rows, start=3):
        assert enterprise_is_valid(normalize_enterprise(digits(enterprise))), f"A{number}"
        assert insz_is_valid(digits(insz)), f"B{number}"
    roster_workers = {digits(r["INSZ"]) for r in _rows(V2).values()}
    extra = {digits(r[1]) for r in rows} - roster_workers
    assert extra == {p.insz for p in maker.EXTRA_PEOPLE.values()}
    assert sheet["G17"].value == "1x:30"
    absent = [(r[2], r[7]) for r in rows if r[5] is None]
    assert absent == [("Claeys", "ziek (belde om 00:30)"), ("Maes", "niet opgedaagd")]
