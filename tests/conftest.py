"""Rosters built in the test with openpyxl, and the moments tests run at."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, settings

from batch.model import BRUSSELS

# `make fuzz` (DIMONA_FUZZ=1): the random rosters of tests/test_fuzz.py, 2,000 each, fixed seed.
FUZZ_EXAMPLES = 2000
settings.register_profile(
    "fuzz",
    max_examples=FUZZ_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
if os.environ.get("DIMONA_FUZZ") == "1":
    settings.load_profile("fuzz")

HEADER = [
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
# The architecture's English headers: the contract the reports are held to.
RECEIPT_HEADERS_EN = [
    "Period number",
    "Declaration number",
    "Type",
    "Status",
    "Anomalies",
    "Sent at",
    "Start",
    "End",
    "Enterprise number",
    "NSSO number",
    "Employer",
    "INSZ",
    "Last name",
    "First name",
    "Joint committee",
    "Worker type",
    "Employer reference",
    "Worker reference",
    "Declaration reference",
    "Source",
]
CORRECTION_HEADERS_EN = [
    "Period number",
    "Enterprise number",
    "INSZ",
    "Last name",
    "First name",
    "Planned start",
    "Planned end",
    "Declared start",
    "Declared end",
    "Actual start",
    "Actual end",
    "Difference (minutes)",
    "Finding",
    "Action",
    "Deadline",
    "Deadline status",
    "Filed at",
    "Result",
    "Note",
]
BRASSERIE = "0566.988.259"
OTHER_EMPLOYER = "0403.170.701"  # valid check digits, a second client
NSSO = "000935467"
AN = "93051822361"
JAN = "85073003328"


def at(text: str) -> dt.datetime:
    """`2026-06-28 12:00` in Brussels."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


def write_roster(
    path: Path,
    rows: Sequence[Sequence[object]],
    header: Sequence[str] = HEADER,
    title_rows: Sequence[Sequence[object]] = (("Flexi-rooster week 27",), ()),
    sheet: str = "Week 27",
) -> Path:
    """A long-layout roster: title rows, the header, then one row per shift."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in title_rows:
        ws.append(list(row))
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


def shift(
    day: str,
    start: str,
    end: str,
    insz: str = AN,
    enterprise: str = BRASSERIE,
    last: str = "Peeters",
    first: str = "An",
    nsso: str = NSSO,
    employer: str = "Brasserie Het Pand",
) -> list[object]:
    """A roster row with real Excel date and time cells."""
    return [
        enterprise,
        nsso,
        employer,
        insz,
        last,
        first,
        dt.date.fromisoformat(day),
        dt.time.fromisoformat(start),
        dt.time.fromisoformat(end),
    ]


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.sqlite"


@pytest.fixture
def simulator(tmp_path: Path):
    """`dimona-batch simulator` as a real process on 127.0.0.1 (tests/simulator.py)."""
    from tests.simulator import start_simulator

    running = start_simulator(tmp_path)
    yield running
    running.stop()
