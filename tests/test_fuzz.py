"""Random rosters and actuals through the whole batch: every input gives a result, never a crash.

Real workbooks (openpyxl) whose cells are drawn from nasty values (random text, huge and tiny
numbers, dates far out of range, times, durations, booleans, formulas, unicode, header words,
hours that look almost right) go through `pipeline.declare` and `pipeline.reconcile`. The
only claim is the one a payroll office needs: the batch answers with problems, it does not
stop with a traceback. About 50 examples in all in `make test`; `make fuzz` (DIMONA_FUZZ=1,
the profile in conftest) runs 2,000 long rosters, 250 grids and 250 actuals, with a fixed
seed (`derandomize`), so a failure found is found again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from batch.pipeline import RunResult, declare, reconcile
from tests.conftest import AN, BRASSERIE, HEADER, JAN, NSSO, at, shift, write_roster
from tests.workbooks import insz

FUZZING = os.environ.get("DIMONA_FUZZ") == "1"


def fuzz(share: float) -> settings:
    """About 50 examples over the three tests in `make test`; the fuzz profile's 2,000 for
    long rosters and a share of it for grids and actuals in `make fuzz`."""
    examples = settings.default.max_examples if FUZZING else 50
    return settings(
        max_examples=max(1, round(examples * share)),
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


AS_OF = at("2026-06-28 12:00")

# Characters openpyxl can write (XML 1.0 forbids most control characters).
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=24) | st.text(
    alphabet="0123456789:.,/-uh ", max_size=12
)

NASTY_WORDS = [
    "",
    " ",
    "=1+1",
    "=A1/0",
    "=SUM(A:A)",
    "+32",
    "-",
    "@x",
    "9.5",
    "17,5",
    "9.30",
    "9,30",
    "9u30",
    "24:00",
    "25:00",
    "9:60",
    "12 am",
    "13 pm",
    "31/06/2026",
    "29/02/2027",
    "01/01/1600",
    "31/12/9999",
    "29/06",
    "ma 29/06",
    "lundi 29 juin 2026",
    "2026-06-29T10:00",
    "8507300332B8",
    "60202521576",
    "BE 0566.988.259",
    "geen",
    "n.v.t.",
    "Totaal",
    "INSZ",
    "Naam",
    "Van",
    "Tot",
    "Werkdag",
    "afwezig",
    "10-14",
    "9.5-13",
    "22:00-02:00",
    "10:00-14:00 / 18:00-22:00",
    "rust",
    "\u200b",
    "Ｉ",
    "١٢:٣٠",
    "🙂",
    "x" * 300,
]


@dataclass(frozen=True)
class Formatted:
    """A number shown as a date or time: calamine converts it (`-1e308` as `hh:mm`)."""

    value: float
    number_format: str


FORMATTED = st.builds(
    Formatted,
    st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**6), 10**7)),
    st.sampled_from(["hh:mm", "dd/mm/yyyy", "[h]:mm", "dd/mm/yyyy hh:mm", "0.00"]),
)

NASTY = st.one_of(
    st.none(),
    FORMATTED,
    st.sampled_from(NASTY_WORDS),
    _TEXT,
    st.booleans(),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, max_value=2500, allow_nan=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)),
)

# What a well-typed row holds, column by column (HEADER): some rows get through to filing.
GOOD = [
    st.sampled_from([BRASSERIE, "0403.170.701"]),
    st.just(NSSO),
    st.just("Brasserie"),
    st.sampled_from([AN, JAN, insz("050612"), None]),
    st.sampled_from(["Peeters", "Janssens", "Dupré"]),
    st.sampled_from(["An", "Jan", "Élise"]),
    st.dates(min_value=dt.date(2026, 6, 27), max_value=dt.date(2026, 10, 26)),
    st.sampled_from([dt.time(10), dt.time(2, 30), "9:30", 9.5, 10, "18:00"]),
    st.sampled_from([dt.time(14), dt.time(3), "24:00", 17.25, 22, "02:00"]),
]


def spoiled(good: list[st.SearchStrategy]) -> st.SearchStrategy:
    """A well-typed row with none, one, two or all of its cells replaced by nasty values."""

    def apply(drawn: tuple[list, list[tuple[int, object]]]) -> list:
        row, nasty = drawn
        for index, value in nasty:
            row[index % len(row)] = value
        return row

    width = len(good)
    replaced = st.one_of(
        st.lists(st.tuples(st.integers(0, width - 1), NASTY), max_size=2),
        st.lists(NASTY, min_size=width, max_size=width).map(lambda v: list(enumerate(v))),
    )
    return st.tuples(st.tuples(*good).map(list), replaced).map(apply)


LONG_ROWS = st.lists(spoiled(GOOD), min_size=1, max_size=6)

GRID = st.tuples(
    st.lists(st.one_of(st.sampled_from(["ma 29/06/2026", "di 30/06", "woensdag"]), NASTY),
             min_size=1, max_size=3),
    st.lists(
        st.lists(st.one_of(st.sampled_from(["10-14", "9.5-13", "rust", "22-2"]), NASTY),
                 min_size=4, max_size=6),
        min_size=1,
        max_size=4,
    ),
)  # fmt: skip


def write(path: Path, rows: list[list[object]]) -> Path:
    """Cells as drawn; a value openpyxl refuses to write becomes its text."""
    book = openpyxl.Workbook()
    sheet = book.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            try:
                if isinstance(value, Formatted):
                    target = sheet.cell(row=r, column=c, value=value.value)
                    target.number_format = value.number_format
                else:
                    sheet.cell(row=r, column=c, value=value)
            except (ValueError, TypeError):
                sheet.cell(row=r, column=c, value=repr(value))
    book.save(path)
    return path


def check(result: RunResult) -> None:
    assert isinstance(result, RunResult)
    assert result.exit_status in (0, 1, 2)
    for p in result.problems:
        assert p.message and p.file


@fuzz(1.0 if FUZZING else 0.6)
@given(rows=LONG_ROWS, hours=st.sampled_from([None, "decimal", "clock"]))
# found here: an hour column that pandas made date-time (a time cell beside a blank one)
@example(
    rows=[
        [None] * 8 + [dt.timedelta(0)],
        [None] * 7 + [Formatted(value=0.0, number_format="hh:mm"), None],
    ],
    hours=None,
)
def test_random_long_rosters_give_problems_never_a_crash(rows, hours):
    with tempfile.TemporaryDirectory() as folder:
        roster = write(Path(folder) / "roster.xlsx", [["Rooster"], [], HEADER, *rows])
        result = declare(
            [roster],
            ledger=Path(folder) / "l.sqlite",
            out=Path(folder) / "out",
            as_of=AS_OF,
            lang="en",
            hours=hours,
        )
        check(result)


@fuzz(0.125 if FUZZING else 0.2)
@given(grid=GRID, header=st.lists(st.one_of(st.sampled_from(HEADER), NASTY), max_size=9))
def test_random_grids_and_headers_give_problems_never_a_crash(grid, header):
    days, body = grid
    rows = [
        ["Ondernemingsnummer: 0566.988.259"],
        ["INSZ", "Naam", "Voornaam", *days],
        *([AN if i % 2 else JAN, "Peeters", "An", *cells[3:]] for i, cells in enumerate(body)),
        header,
    ]
    with tempfile.TemporaryDirectory() as folder:
        roster = write(Path(folder) / "grid.xlsx", rows)
        result = declare(
            [roster], ledger=Path(folder) / "l.sqlite", out=Path(folder) / "out", as_of=AS_OF
        )
        check(result)


@pytest.fixture(scope="module")
def declared(tmp_path_factory) -> Path:
    """A ledger holding a week of declared shifts, copied for each example."""
    folder = tmp_path_factory.mktemp("declared")
    rows = [shift(f"2026-06-{d}", "10:00", "14:00") for d in (29, 30)]
    rows.append(shift("2026-06-29", "18:00", "22:00", insz=JAN, last="Janssens", first="Jan"))
    roster = write_roster(folder / "roster.xlsx", rows)
    result = declare([roster], ledger=folder / "l.sqlite", out=folder / "out", as_of=AS_OF)
    assert result.exit_status == 0
    return folder / "l.sqlite"


ACTUAL_HEADER = ["Ondernemingsnummer", "INSZ", "Datum", "Ingeklokt", "Uitgeklokt", "Status"]
ACTUAL_GOOD = [
    st.just(BRASSERIE),
    st.sampled_from([AN, JAN]),
    st.sampled_from(["29/06/2026", "30/06/2026", dt.date(2026, 6, 29)]),
    st.sampled_from(["10:00", "09:50", 10, 9.5, "23:50", dt.time(10, 30)]),
    st.sampled_from(["14:00", "16:30", 16.5, "10:00", "02:00", dt.time(13)]),
    st.sampled_from([None, "afwezig", "absent"]),
]


@fuzz(0.125 if FUZZING else 0.2)
@given(
    rows=st.lists(spoiled(ACTUAL_GOOD), min_size=1, max_size=5),
    hours=st.sampled_from([None, "decimal", "clock"]),
)
def test_random_actuals_give_problems_never_a_crash(declared, rows, hours):
    with tempfile.TemporaryDirectory() as folder:
        ledger = Path(folder) / "l.sqlite"
        shutil.copy(declared, ledger)
        actuals = write(Path(folder) / "actuals.xlsx", [ACTUAL_HEADER, *rows])
        result = reconcile(
            [actuals],
            ledger=ledger,
            out=Path(folder) / "out",
            as_of=at("2026-07-01 01:00"),
            lang="fr",
            hours=hours,
        )
        check(result)


# --- what the fuzz found, kept as plain tests ---------------------------------------------


def test_a_time_cell_the_reader_cannot_convert_rejects_only_its_row(tmp_path):
    """`-1e308` as `hh:mm` makes the reader panic, 1e9 as `[h]:mm` overflows a timedelta."""
    for n, (number, number_format) in enumerate(((-1e308, "hh:mm"), (1e9, "[h]:mm"))):
        rows = [HEADER, shift("2026-06-29", "10:00", "14:00")]
        rows.append([*rows[1][:7], Formatted(number, number_format), dt.time(14)])
        roster = write(tmp_path / f"r{n}.xlsx", rows)
        result = declare(
            [roster], ledger=tmp_path / f"l{n}.sqlite", out=tmp_path / f"out{n}", as_of=AS_OF
        )
        assert result.exit_status == 1
        errors = [p for p in result.problems if p.severity.value == "error"]
        assert [(p.file, p.sheet, p.row, p.cell) for p in errors] == [
            (f"r{n}.xlsx", "Sheet", 3, "H3")
        ]
        assert result.counts["declared"] == 1


def test_identifier_columns_of_dates_only_or_empty_are_read():
    from batch.identifiers import digits_column, foreign_characters

    empty = pd.Series([], dtype="datetime64[ns]")
    assert digits_column(empty).tolist() == [] and foreign_characters(empty).tolist() == []
    dates = pd.Series([dt.datetime(2026, 1, 1)])
    assert foreign_characters(dates).tolist() == [":"]  # a date in an INSZ cell is refused
