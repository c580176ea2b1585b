"""The benchmark's I/O floor writes what the run wrote; its new inputs are what they say."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from batch.model import BRUSSELS
from batch.pipeline import declare

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.datetime(2026, 6, 28, 12, 0, tzinfo=BRUSSELS)


def _load(name: str) -> ModuleType:
    """benchmarks/ is a folder of scripts, not a package: load the file itself."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return _load("generate")


@pytest.fixture(scope="module")
def floor() -> ModuleType:
    return _load("floor")


def _cells(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's values; a date-time to the second (the floor writes Excel's number)."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                values = tuple(
                    v.replace(microsecond=0) + dt.timedelta(seconds=round(v.microsecond / 1e6))
                    if isinstance(v, dt.datetime)
                    else v
                    for v in row
                )
                while values and values[-1] is None:
                    values = values[:-1]
                rows.append(values)
            sheets[sheet.title] = rows
        return sheets
    finally:
        workbook.close()


def test_the_floor_writes_the_cells_and_bytes_the_run_wrote(generate, floor, tmp_path):
    roster = tmp_path / "roster.xlsx"
    generate.generate_roster(roster, 120, employers=3)
    run_out = tmp_path / "run"
    result = declare([roster], ledger=tmp_path / "l.sqlite", out=run_out, as_of=AS_OF, lang="en")
    assert result.counts["declared"] == 120

    spec, floor_out = tmp_path / "floor.spec", tmp_path / "floor"
    described = floor.prepare(run_out, spec)
    done = floor.run(spec, floor_out, [roster])

    written = [p.relative_to(run_out) for p in floor.reports(run_out)]
    assert sorted(map(str, written)) == [
        "receipts.html",
        "receipts.xlsx",
        "validation.html",
        "validation.xlsx",
    ]
    assert described["files"] == 4
    assert done["rows_read"] == 122  # the title row, the header, 120 shifts
    for name in written:
        ran, floored = run_out / name, floor_out / name
        if name.suffix == ".xlsx":
            assert _cells(floored) == _cells(ran)
        else:
            assert floored.read_bytes() == ran.read_bytes()
    receipts = _cells(floor_out / "receipts.xlsx")
    first_sheet = next(iter(receipts.values()))
    assert len(first_sheet) == 121  # the header and one row per declaration


def test_a_folder_of_rosters_has_one_employer_per_file_and_no_worker_twice(generate, tmp_path):
    paths = generate.generate_folder(tmp_path / "folder", files=4, shifts=30)
    assert [p.name for p in paths] == [f"roster-00{i}.xlsx" for i in range(1, 5)]
    employers, workers = [], []
    for path in paths:
        rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].values)[2:]
        assert len(rows) == 30
        employers.append({row[0] for row in rows})
        workers.append({row[3] for row in rows})
    assert all(len(e) == 1 for e in employers)
    assert len(set().union(*employers)) == 4
    assert sum(map(len, workers)) == len(set().union(*workers))


def test_actuals_are_the_roster_with_late_ends_and_no_shows(generate, tmp_path):
    generate.generate_roster(tmp_path / "roster.xlsx", 200)
    generate.generate_actuals(tmp_path / "actuals.xlsx", 200)
    planned = list(openpyxl.load_workbook(tmp_path / "roster.xlsx").worksheets[0].values)[2:]
    actual = list(openpyxl.load_workbook(tmp_path / "actuals.xlsx").worksheets[0].values)[2:]
    assert len(actual) == 198  # every 100th shift has no row
    kept = [row for i, row in enumerate(planned) if i % 100 != 99]
    later = [i for i, (p, a) in enumerate(zip(kept, actual, strict=True)) if p != a]
    assert later  # every 20th shift ended 15 minutes later
    for i in later:
        p, a = kept[i], actual[i]
        assert p[:8] == a[:8]
        ends = [dt.datetime.combine(dt.date(2000, 1, 1), t) for t in (p[8], a[8])]
        assert (ends[1] - ends[0]) % dt.timedelta(days=1) == dt.timedelta(minutes=15)
