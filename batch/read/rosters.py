"""The reading stage's entry points: files and folders to a `Reading`, source by source.

Nothing is interpreted here: values stay as the cells hold them, so the validation stage can
say exactly which cell it could not read. Every row keeps file, sheet and the row number Excel
shows; every column keeps the header as written and its letter. A new source (a CSV file) is
one module with a `read_cells` function (`batch.read.cells.Source`) and one line in `SOURCES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..messages import problem
from ..model import Problem, Severity
from . import xlsx
from .aliases import REQUIRED
from .cells import Source
from .detect import is_empty, read_sheet
from .employers import Listed, settle_employers
from .records import Reading

# File suffix → the source that reads it; a file of another suffix is tried as a workbook.
SOURCES: dict[str, Source] = {".xlsx": xlsx.read_cells, ".xlsm": xlsx.read_cells}


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders searched for the suffixes of `SOURCES`; Excel lock files skipped."""
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            candidates = sorted(p for p in item.rglob("*") if p.suffix.lower() in SOURCES)
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
    unrecognised: list[Problem] = []
    for cells in source(path, year):
        if isinstance(cells, Problem):
            reading.problems.append(cells)
            continue
        if is_empty(cells):
            continue
        found = read_sheet(cells, required)
        if not found.understood:
            unrecognised.extend(found.problems)
            continue
        read_any = True
        employers.extend(found.employers)
        reading.sheets.extend(found.sheets)
        reading.problems.extend(found.problems)
    # A sheet without a roster beside sheets with one is usually a notes or totals sheet:
    # an error when the file holds no roster at all, else one warning that it was not read.
    for p in unrecognised:
        if read_any:
            p = problem(
                "sheet_not_read",
                file=p.file,
                sheet=p.sheet,
                row=p.row,
                severity=Severity.WARNING,
                **dict(p.params),
            )
        reading.problems.append(p)
    return employers
