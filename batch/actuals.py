"""Actual hours (a time-clock export or a filled-in sheet) to clock segments and absences.

The same reader and header rules as rosters; names are optional, a status column may say
the worker did not come; a worker without INSZ is found by name and birth date. Each row
keeps its source, so a problem points at its cell. A row validation rejects is kept too, as
an `Actual` with `rejected` set and no hours: the worker has a row that day, so reconciling
must not take them for a no-show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import timeparse
from .model import Employer, Problem, Severity, Source, brussels
from .read import Reading, read_rosters
from .reconcile import Actual
from .schemas import ActualTable
from .validate import records, typed, validate, worker_of

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
    actuals = _to_actuals(validated.shifts) + _rejected(
        reading, validated.shifts, validated.problems, hours
    )
    return ActualsReading(actuals, validated.problems, len(reading.sheets))


def _rejected(
    reading: Reading, kept: pd.DataFrame, problems: Sequence[Problem], hours: str | None = None
) -> list[Actual]:
    """The rows validation rejected, with whatever employer, worker and day could be read.

    Each carries the code of its first error (`end_equals_start`, `no_such_time`, ...).
    """
    kept_keys = (
        set(zip(kept["file"], kept["sheet"], kept["row"].astype(int), kept["cell"], strict=True))
        if not kept.empty
        else set()
    )
    per_sheet = kept.groupby(["file", "sheet"]).size().to_dict() if not kept.empty else {}
    codes: dict[tuple[str, str, int], str] = {}
    for p in problems:
        if p.severity is Severity.ERROR and p.row is not None:
            codes.setdefault((p.file, p.sheet, p.row), p.code or "rejected")
    found = []
    for sheet in reading.sheets:
        if per_sheet.get((sheet.file, sheet.name), 0) >= len(sheet.rows):
            continue
        table, _ = typed(sheet, hours)
        for row in table.itertuples(index=False):
            key = (row.file, row.sheet, int(row.row), row.cell)
            if key in kept_keys or pd.isna(row.enterprise_number):
                continue
            day = None if pd.isna(row.work_day) else row.work_day.date()
            start = None if pd.isna(row.start) else brussels(row.start.to_pydatetime())
            found.append(
                Actual(
                    employer=Employer(row.enterprise_number),
                    worker=worker_of(row),
                    work_day=day,
                    start=start,
                    end=None,
                    absent=bool(row.absent),
                    source=Source(row.file, row.sheet, int(row.row), row.cell, row.column),
                    rejected=codes.get((row.file, row.sheet, int(row.row)), "rejected"),
                )
            )
    return found


def _to_actuals(table: pd.DataFrame) -> list[Actual]:
    """Typed rows as Actual records, built from whole columns (`validate.records`)."""
    if table.empty:
        return []
    starts = timeparse.to_python(table["start"])
    ends = timeparse.to_python(table["end"])
    employers, workers, _, sources = records(table)
    days = table["work_day"].dt.date.tolist()
    absents = table["absent"].astype(bool).tolist()
    return [
        Actual(
            employer=employer,
            worker=worker,
            work_day=day,
            start=None if absent else start,
            end=None if absent else end,
            absent=absent,
            source=source,
        )
        for employer, worker, day, start, end, absent, source in zip(
            employers, workers, days, starts, ends, absents, sources, strict=True
        )
    ]
