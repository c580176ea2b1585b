"""The long layout: one row per shift, one column per field, read a whole column at a time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

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
    data = {"row": pd.RangeIndex(header_row + 2, header_row + 2 + len(body))}
    for f in FIELDS:
        column = matched.get(f)
        index = letter_index(column.letter) if column else None
        if frame is not None and index is not None and index < width:
            data[f] = frame[index].to_numpy()
        else:
            data[f] = pd.Series([None] * len(body), dtype="object").to_numpy()
    rows = pd.DataFrame(data)
    used = [f for f in FIELDS if f in matched]
    for f in used:  # calamine gives "" for an empty cell
        rows[f] = rows[f].where(rows[f].ne(""), None)
    rows = rows[rows[used].notna().any(axis=1)]
    rows = rows[~_repeated_header(rows, matched) & ~totals_rows(rows)].reset_index(drop=True)

    sheet = Sheet(cells.file, cells.sheet, matched, rows, layout="long")
    labels = find_labels(values, range(header_row))
    apply_labels(sheet, labels)
    sheet.year = cells.year or _year(find_date(values, range(header_row)))
    return sheet, cells.hidden_row_warnings(rows["row"])


def _repeated_header(rows: pd.DataFrame, matched: dict[str, Column]) -> pd.Series:
    """Rows that repeat the header (two rosters pasted one under the other)."""
    repeated = pd.Series(True, index=rows.index)
    for name, column in matched.items():
        repeated &= rows[name].eq(column.header)
    return repeated


def totals_rows(rows: pd.DataFrame) -> pd.Series:
    """Rows that sum the others: `Totaal` in a name, INSZ, employer or day cell, no INSZ."""
    said = pd.Series(False, index=rows.index)
    for name in (
        "enterprise_number",
        "insz",
        "last_name",
        "first_name",
        "employer_name",
        "work_day",
    ):
        try:
            said |= rows[name].str.match(TOTALS.pattern, flags=re.IGNORECASE, na=False)
        except AttributeError:  # not one text in the column: dates, numbers or nothing
            continue
    if not said.any():
        return said
    insz_digits = rows.loc[said, "insz"].map(digits)
    return said & insz_digits.str.len().ne(11).reindex(rows.index, fill_value=False)


def _year(day: dt.date | None) -> int | None:
    return day.year if day else None
