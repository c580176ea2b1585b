"""The reading stage's entry points: files and folders to a `Reading`, source by source.

Nothing is interpreted here: values stay as the cells hold them, so the validation stage can
say exactly which cell it could not read. Every row keeps file, sheet and the row number Excel
shows (a CSV file's line number); every column keeps the header as written and its letter. A
source is one module with a `read_cells` function (`batch.read.cells.Source`) and one line in
`SOURCES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..messages import problem
from ..model import Problem, Severity
from . import delimited, xlsx
from .aliases import REQUIRED
from .cells import Source
from .detect import holds_dates, is_empty, read_sheet
from .employers import Listed, settle_employers
from .records import Reading

# File suffix → the source that reads it; a file of another suffix is tried as a workbook.
SOURCES: dict[str, Source] = {
    ".xlsx": xlsx.read_cells,
    ".xlsm": xlsx.read_cells,
    ".csv": delimited.read_cells,
}


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders searched for the suffixes of `SOURCES`.

    In a folder, Excel's lock files (`~$roster.xlsx`) and hidden files (`.roster.csv`, the
    `._roster.xlsx` a Mac leaves on a USB stick) are skipped.
    """
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            candidates = sorted(
                p
                for p in item.rglob("*")
                if p.suffix.lower() in SOURCES and not p.name.startswith(".")
            )
        else:
            candidates = [item]
        found.extend(p for p in candidates if not p.name.startswith("~$"))
    return found


def read_rosters(
    paths: Iterable[Path | str],
    year: int | None = None,
    required: Sequence[str] = REQUIRED,
) -> Reading:
    """Every roster sheet of every file, the employer lists among them, and what went wrong.

    `year` completes dates written without one (`29/06`) when the sheet shows no year;
    `required` names the columns a sheet must have (actuals need fewer than rosters).
    """
    reading = Reading()
    listed: dict[str, list[Listed]] = {}
    for path in expand_paths(paths):
        listed[path.name] = read_workbook(path, reading, year, required)
    settle_employers(reading, listed)
    return reading


def read_workbook(
    path: Path, reading: Reading, year: int | None = None, required: Sequence[str] = REQUIRED
) -> list[Listed]:
    """Read one file's sheets into `reading`; return the employers its lists name."""
    source = SOURCES.get(path.suffix.lower(), xlsx.read_cells)
    employers: list[Listed] = []
    read_any = False
    undated: list[Problem] = []
    for cells in source(path, year):
        if isinstance(cells, Problem):
            reading.problems.append(cells)
            continue
        if is_empty(cells):
            reading.problems.append(
                problem("sheet_empty", file=path.name, sheet=cells.sheet, severity=Severity.INFO)
            )
            continue
        found = read_sheet(cells, required)
        if not found.understood and not holds_dates(cells):
            undated.extend(found.problems)
            continue
        read_any = read_any or found.understood
        employers.extend(found.employers)
        reading.sheets.extend(found.sheets)
        reading.problems.extend(found.problems)
    # A sheet that holds data no layout reads is an error: its shifts would go undeclared.
    # Without a date or time anywhere it is clearly no roster (notes, a price list): beside a
    # sheet that was read it is skipped with an info line; a file of nothing else is an error.
    for p in undated:
        if read_any:
            params = {"found": dict(p.params).get("found", "-")}
            p = problem(
                "sheet_skipped",
                file=p.file,
                sheet=p.sheet,
                row=p.row,
                severity=Severity.INFO,
                **params,
            )
        reading.problems.append(p)
    return employers
