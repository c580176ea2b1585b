"""The long layout: one row per shift, one column per field, read a whole column at a time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..identifiers import digits
from ..model import Problem
from .aliases import REQUIRED
from .cells import Cells
from .headers import FIELDS, TOTALS, apply_labels, find_date, find_labels, has_columns
from .records import Column, Sheet
from .values import letter_index


def is_long(matched: dict[str, Column], required: Sequence[str] = REQUIRED) -> bool:
    """One row per shift: all required columns (the employer may come from a label)."""
    return has_columns(matched, [f for f in required if f != "enterprise_number"])


def read_long(
    cells: Cells, header_row: int, matched: dict[str, Column]
) -> tuple[Sheet, list[Problem]]:
    """One row per shift, read a whole column at a time (100,000 rows must stay fast)."""
    values = cells.values
    body = values[header_row + 1 :]
    width = max((len(r) for r in body), default=0)
    frame = pd.DataFrame(body, columns=range(width), dtype="object") if body else None
    # The columns as numpy object arrays: a sheet of 50 rows costs a few array operations,
    # not a few dozen pandas ones.
    data = {"row": np.arange(header_row + 2, header_row + 2 + len(body))}
    for f in FIELDS:
        column = matched.get(f)
        index = letter_index(column.letter) if column else None
        if frame is not None and index is not None and index < width:
            data[f] = frame[index].to_numpy(copy=True)
        else:
            data[f] = np.full(len(body), None, dtype="object")
    used = [f for f in FIELDS if f in matched]
    for f in used:  # calamine gives "" for an empty cell
        data[f][data[f] == ""] = None
    keep = np.zeros(len(body), dtype=bool)
    for f in used:
        keep |= ~pd.isna(data[f])
    data = {name: column[keep] for name, column in data.items()}
    keep = ~_repeated_header(data, matched) & ~_totals(data)
    rows = pd.DataFrame({name: column[keep] for name, column in data.items()})

    sheet = Sheet(cells.file, cells.sheet, matched, rows, layout="long")
    labels = find_labels(values, range(header_row))
    apply_labels(sheet, labels)
    sheet.year = cells.year or _year(find_date(values, range(header_row)))
    return sheet, cells.hidden_row_warnings(rows["row"])


def _repeated_header(data: dict[str, np.ndarray], matched: dict[str, Column]) -> np.ndarray:
    """Rows that repeat the header (two rosters pasted one under the other)."""
    repeated = np.ones(len(data["row"]), dtype=bool)
    for name, column in matched.items():
        repeated &= data[name] == column.header
    return repeated


_TOTALS = re.compile(TOTALS.pattern, re.IGNORECASE)
_SAYS_TOTAL = (
    "enterprise_number",
    "insz",
    "last_name",
    "first_name",
    "employer_name",
    "work_day",
)


def _totals(data: dict[str, np.ndarray]) -> np.ndarray:
    """Rows that sum the others: `Totaal` in a name, INSZ, employer or day cell, no INSZ."""
    said = np.zeros(len(data["row"]), dtype=bool)
    for name in _SAYS_TOTAL:
        # each distinct value looked at once: a column repeats its names, numbers and days
        codes, distinct = pd.factorize(data[name])
        says = np.fromiter(
            (isinstance(v, str) and _TOTALS.match(v) is not None for v in distinct),
            dtype=bool,
            count=len(distinct),
        )
        known = codes >= 0  # -1: an empty cell
        said[known] |= says[codes[known]]
    if said.any():
        said[said] = [len(digits(v)) != 11 for v in data["insz"][said]]
    return said


def _year(day: dt.date | None) -> int | None:
    return day.year if day else None
