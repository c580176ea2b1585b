"""The synthetic roster generator makes clean, valid rosters: the benchmark relies on it."""

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

from batch.identifiers import (
    digits,
    enterprise_is_valid,
    insz_is_valid,
    normalize_enterprise,
    nsso_is_valid,
)

ROOT = Path(__file__).resolve().parents[1]
HEADERS = [
    "Ondernemingsnummer",
    "RSZ-nummer",
    "Werkgever",
    "INSZ",
    "Naam",
    "Voornaam",
    "Werkdag",
    "Van",
    "Tot",
]


def _load(name: str, path: Path) -> ModuleType:
    """benchmarks/ is a folder of scripts, not a package: load the file itself."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return _load("bench_generate", ROOT / "benchmarks" / "generate.py")


def _rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        values = [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return values[:2], values[2:]


def test_500_clean_shifts(generate: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    generate.generate_roster(path, 500, employers=7)
    head, data = _rows(path)

    assert str(head[0][0]).startswith("Flexi-rooster week 27")
    assert list(head[1]) == HEADERS
    assert len(data) == 500

    births_from_2000 = 0
    spans: dict[tuple[str, str], list[tuple[datetime, datetime]]] = defaultdict(list)
    overnight = 0
    for enterprise, nsso, employer, insz, last, first, day, start, end in data:
        assert enterprise_is_valid(normalize_enterprise(digits(enterprise))), enterprise
        assert nsso_is_valid(digits(nsso)), nsso
        assert insz_is_valid(insz), insz
        assert employer and last and first
        if 97 - (2_000_000_000 + int(insz[:9])) % 97 == int(insz[9:]):
            births_from_2000 += 1

        assert isinstance(day, datetime) and day.time() == time(0)
        assert date(2026, 6, 29) <= day.date() <= date(2026, 7, 5)
        assert isinstance(start, time) and isinstance(end, time)
        begin = datetime.combine(day.date(), start)
        finish = datetime.combine(day.date(), end)
        if finish <= begin:  # overnight, or ending at midnight: the next day
            finish += timedelta(days=1)
            overnight += 1
        assert finish - begin <= timedelta(hours=12)
        spans[(digits(enterprise), insz)].append((begin, finish))

    assert 0 < births_from_2000 < 500  # both check-digit rules are exercised
    assert overnight > 0
    assert len({digits(row[0]) for row in data}) > 1

    for key, periods in spans.items():
        periods.sort()
        assert len(set(periods)) == len(periods), f"duplicate shift for {key}"
        for (_, end_a), (start_b, _) in pairwise(periods):
            assert end_a <= start_b, f"overlapping shifts for {key}"
    assert any(len(periods) > 1 for periods in spans.values())


def test_same_seed_same_roster(generate: ModuleType, tmp_path: Path) -> None:
    generate.generate_roster(tmp_path / "a.xlsx", 200, employers=5, seed=3)
    generate.generate_roster(tmp_path / "b.xlsx", 200, employers=5, seed=3)
    generate.generate_roster(tmp_path / "c.xlsx", 200, employers=5, seed=4)
    assert _rows(tmp_path / "a.xlsx") == _rows(tmp_path / "b.xlsx")
    assert _rows(tmp_path / "a.xlsx")[1] != _rows(tmp_path / "c.xlsx")[1]


@pytest.mark.parametrize(
    ("birth", "serial", "expected"),
    [(date(1993, 5, 18), 223, "93051822361"), (date(1985, 7, 30), 33, "85073003328")],
)
def test_insz_matches_published_examples(
    generate: ModuleType, birth: date, serial: int, expected: str
) -> None:
    assert generate.insz_number(birth, serial) == expected


def test_identifier_helpers_are_valid(generate: ModuleType) -> None:
    assert generate.enterprise_number(5669882) == "0566988259"  # the domain.md example
    assert generate.nsso_number(9354) == "000935467"  # 0009354-67
    for base in (*range(2_000_000, 2_000_300), *range(19_999_700, 20_000_000)):
        assert enterprise_is_valid(generate.enterprise_number(base))
    for base in range(100_000, 100_300):
        assert nsso_is_valid(generate.nsso_number(base))
    for serial in range(1, 300):
        assert insz_is_valid(generate.insz_number(date(2004, 2, 29), serial))
        assert insz_is_valid(generate.insz_number(date(1961, 12, 1), serial, bis=True))
