"""Actual hours (a time-clock export or a filled-in sheet) to clock segments and absences.

The same reader and header rules as rosters; names are optional, a status column may say
the worker did not come; a worker without INSZ is found by name and birth date. Each row
keeps its source, so a problem points at its cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import timeparse
from .model import Employer, Problem, Source
from .reconcile import Actual
from .roster import read_rosters
from .schemas import ActualTable
from .validate import as_text, validate, worker_of

REQUIRED = ("enterprise_number", "insz", "work_day", "start", "end")


@dataclass
class ActualsReading:
    actuals: list[Actual] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: int = 0


def read_actuals(paths: Sequence[Path | str], hours: str | None = None) -> ActualsReading:
    """`hours`: how the client writes `9.5` (`timeparse.HOURS`); None makes it an error."""
    reading = read_rosters(paths, required=REQUIRED)
    validated = validate(reading, errors=ActualTable, warnings=None, cross_check=False, hours=hours)
    return ActualsReading(_to_actuals(validated.shifts), validated.problems, len(reading.sheets))


def _to_actuals(table: pd.DataFrame) -> list[Actual]:
    if table.empty:
        return []
    starts = timeparse.to_python(table["start"])
    ends = timeparse.to_python(table["end"])
    actuals = []
    for row, start, end in zip(table.itertuples(index=False), starts, ends, strict=True):
        absent = bool(row.absent)
        actuals.append(
            Actual(
                employer=Employer(
                    row.enterprise_number, as_text(row.nsso_number), as_text(row.employer_name)
                ),
                worker=worker_of(row),
                work_day=row.work_day.date(),
                start=None if absent else start,
                end=None if absent else end,
                absent=absent,
                source=Source(row.file, row.sheet, int(row.row), row.cell, row.column),
            )
        )
    return actuals
