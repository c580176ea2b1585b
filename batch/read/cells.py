"""One sheet's cells, whatever the source (an xlsx workbook today): the input of every layout.

A source turns a file into `Cells`, one per sheet with its merged ranges filled in and its
hidden rows and columns flagged; layouts read nothing but `Cells`. A source is a function
`(path, year) -> iterator of Cells or Problem`: a Problem it yields is a sheet (or, with an
empty sheet name, the whole file) it refused to read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..messages import problem
from ..model import Problem, Severity
from .values import filled


@dataclass
class Cells:
    """One sheet's values, row 0 being Excel's row 1, with merged ranges filled in."""

    file: str
    sheet: str
    values: list[list]
    hidden_rows: frozenset[int] = frozenset()
    """Excel row numbers (1-based) of hidden rows."""
    hidden_columns: frozenset[int] = frozenset()
    """0-based indexes of hidden columns."""
    hidden: bool = False
    year: int | None = None

    def value(self, row: int, col: int) -> object:
        line = self.values[row] if 0 <= row < len(self.values) else ()
        return line[col] if 0 <= col < len(line) else None

    def hidden_row_warnings(self, rows: Iterable[int]) -> list[Problem]:
        """One warning per hidden row read (Excel row numbers)."""
        if not self.hidden_rows:
            return []
        return [
            problem(
                "hidden_row", file=self.file, sheet=self.sheet, row=r, severity=Severity.WARNING
            )
            for r in sorted(set(rows) & self.hidden_rows)
        ]


def fill_merged(values: list[list], ranges: Sequence) -> list[list]:
    """The value of each merged range's first cell copied into all its cells."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(values):
            continue
        first = values[top][left] if left < len(values[top]) else None
        if not filled(first):
            continue
        width = max(len(values[0]) if values else 0, right + 1)
        while len(values) <= bottom:
            values.append([""] * width)
        for r in range(top, bottom + 1):
            line = values[r]
            if len(line) <= right:
                line.extend([""] * (right + 1 - len(line)))
            for c in range(left, right + 1):
                if not filled(line[c]):
                    line[c] = first
    width = max((len(line) for line in values), default=0)
    for line in values:
        if len(line) < width:
            line.extend([""] * (width - len(line)))
    return values


Source = Callable[[Path, int | None], Iterator[Cells | Problem]]
"""Reads one file: its sheets as Cells, or the Problem of what it refused to read."""
