"""What the reading stage hands on: per sheet its raw rows and where each value was."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..model import Employer, Problem
from .values import ADDRESS


@dataclass(frozen=True)
class Column:
    header: str
    letter: str


@dataclass
class Sheet:
    """One sheet's rows: a frame with `row` (as Excel shows it) and one column per field.

    A layout whose values do not sit in one column per field (a weekly grid, a labelled cell
    above the header) adds `cell_<field>` columns holding each value's address (`E7`), and
    `headers` the header to show for such an address (by address, or by column letter).
    """

    file: str
    name: str
    columns: dict[str, Column]
    rows: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    layout: str = "long"

    def header_of(self, cell: str) -> str:
        """The header as written above (or beside) the cell at this address."""
        if cell in self.headers:
            return self.headers[cell]
        match = ADDRESS.match(cell)
        return self.headers.get(match.group(1), "") if match else ""

    def has_column(self, name: str) -> bool:
        """The sheet holds the field somewhere: a column, or cells of its own per row."""
        return name in self.columns or f"cell_{name}" in self.rows

    def locate(self, name: str, index: int) -> tuple[int, str, str]:
        """Row, header and address of one field's value in one row of `rows`."""
        row = int(self.rows.at[index, "row"])
        where = f"cell_{name}"
        cell = self.rows.at[index, where] if where in self.rows else None
        if isinstance(cell, str) and cell:
            match = ADDRESS.match(cell)
            return (int(match.group(2)) if match else row), self.header_of(cell), cell
        column = self.columns.get(name)
        if column is None:
            return row, "", ""
        return row, column.header, f"{column.letter}{row}"

    def cells(self, name: str) -> tuple[pd.Series, pd.Series]:
        """Address and header of one field's value in every row, a whole column at a time."""
        column = self.columns.get(name)
        rows = self.rows
        default = (
            column.letter + rows["row"].astype(str)
            if column
            else pd.Series("", index=rows.index, dtype="object")
        )
        where = f"cell_{name}"
        if where not in rows:
            return default, pd.Series(column.header if column else "", index=rows.index)
        cell = rows[where].where(rows[where].notna(), default)
        header = cell.map(self.header_of)
        if column:
            header = header.where(rows[where].notna(), column.header)
        return cell, header


@dataclass
class Reading:
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    employers: dict[str, Employer] = field(default_factory=dict)
    """Employer lists of the run by enterprise number: fill names and NSSO numbers."""
