"""Layout detection: which layout a sheet's cells hold, and that layout's reading of them.

A sheet is read as one of:

- a **long** roster: one row per shift, one column per field (`batch.read.long`);
- a **weekly grid**: one row per worker, one column per day (`batch.read.grid`), turned into
  the same rows, one per shift, each pointing at the cell it came from (`cell_<field>`);
- an **employer list** (`batch.read.employers`): enterprise number, NSSO number and name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..messages import problem
from ..model import Problem, Severity
from .aliases import ALIASES, REQUIRED
from .cells import Cells
from .employers import Listed, is_employer_list, read_employer_list
from .grid import WEEKDAYS, read_grid
from .headers import (
    HEADER_SEARCH_ROWS,
    closest_header,
    field_of,
    find_header,
    grid_required,
    match_row,
    named,
    normalize_header,
)
from .long import is_long, read_long
from .records import Sheet
from .values import filled


@dataclass
class SheetReading:
    """What one sheet gave: roster sheets or listed employers, and its problems."""

    sheets: list[Sheet] = field(default_factory=list)
    employers: list[Listed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    understood: bool = True
    """False: the sheet holds no layout the batch knows (its problem says what it found)."""


def is_empty(cells: Cells) -> bool:
    return not any(any(filled(v) for v in row) for row in cells.values)


def read_sheet(cells: Cells, required: Sequence[str] = REQUIRED) -> SheetReading:
    """The sheet read in the first layout that fits: employer list, long roster, weekly grid."""
    header_row, matched = find_header(cells.values, required)
    found = SheetReading()
    if is_employer_list(cells.sheet, matched, cells.values, header_row):
        found.employers, found.problems = read_employer_list(cells, header_row, matched)
    elif is_long(matched, required):
        sheet, found.problems = read_long(cells, header_row, matched)
        found.sheets = [sheet]
    else:
        grid = read_grid(cells, grid_required(required))
        if grid is None:
            found.understood = False
            found.problems = [
                no_header(cells.file, cells.sheet, cells.values, header_row, required)
            ]
            return found
        found.sheets, found.problems = grid
    if cells.hidden and any(len(s.rows) for s in found.sheets):
        found.problems.append(
            problem("hidden_sheet", file=cells.file, sheet=cells.sheet, severity=Severity.WARNING)
        )
    return found


def no_header(
    file: str,
    sheet: str,
    cells: list[list],
    best_row: int | None,
    required: Sequence[str] = REQUIRED,
) -> Problem:
    if best_row is None:  # the likeliest header: the fullest of the first rows
        first = cells[:HEADER_SEARCH_ROWS]
        best_row = max(range(len(first)), key=lambda i: sum(map(filled, first[i])), default=None)
    row = cells[best_row] if best_row is not None else []
    found = ", ".join(str(v).strip() for v in row if filled(v)) or "-"
    matched = match_row(row)
    missing = [f for f in required if f != "enterprise_number" and not named(f, matched)]
    unknown = [v.strip() for v in row if isinstance(v, str) and v.strip() and not field_of(v)]
    hints = {_plain(u): closest_header(u) for u in unknown}
    needed = ", ".join(ALIASES[f][0] for f in required)
    grid = ", ".join(ALIASES[f][0] for f in grid_required(required))
    return problem(
        "no_header",
        file=file,
        sheet=sheet,
        row=(best_row + 1) if best_row is not None else None,
        found=found,
        missing=", ".join(ALIASES[f][0] for f in missing) or "-",
        suggestions="|".join(f"{u}={k}" for u, k in hints.items() if k),
        needed=needed,
        grid=grid,
    )


def _plain(header: str) -> str:
    """A header as a `suggestions` parameter holds it (`=` and `|` separate its entries)."""
    return header.replace("=", " ").replace("|", " ")


# A date (`29/06`, `29-06-2026`, `2026-06-29`) or a time (`9:30`, `9u30`, `10-14`) in a text.
_DATE_OR_TIME = re.compile(
    r"\b\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?\b|\b\d{4}-\d{1,2}-\d{1,2}\b"
    r"|\b\d{1,2}\s*[:uUhH]\s*\d{2}\b"
)
_DAY_OR_HOUR_FIELDS = frozenset(("work_day", "start", "end"))


def holds_dates(cells: Cells) -> bool:
    """Somewhere a date or a time (a cell, a text, a day or hour header, a weekday name).

    A sheet without any is clearly no roster (notes, a price list): it is skipped, not an
    error; a sheet with one that no layout reads may hold shifts, and is an error.
    """
    for line in cells.values:
        for value in line:
            if isinstance(value, dt.date | dt.time):
                return True
            if not isinstance(value, str) or not value.strip():
                continue
            if _DATE_OR_TIME.search(value) or field_of(value) in _DAY_OR_HOUR_FIELDS:
                return True
            if normalize_header(value) in WEEKDAYS:
                return True
    return False
