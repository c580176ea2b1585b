"""Employer lists: each client's enterprise number, NSSO number and name, on a sheet of its own.

Rosters often name their employer by enterprise number only, or not at all (a weekly grid
with the employer in its title). A `Werkgevers` / `Employeurs` / `Employers` sheet, in a
roster file or a file of its own, gives the names and NSSO numbers the receipts show, and the
employer of a roster that lacks one. Its numbers are checked like a roster's, each problem
pointing at its cell; an employer whose enterprise number is wrong is not used.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..identifiers import (
    digits,
    enterprise_is_valid,
    foreign_characters,
    normalize_enterprise,
    nsso_is_valid,
)
from ..messages import problem
from ..model import Employer, Problem, Severity
from .cells import Cells
from .grid import day_headers
from .headers import is_total, normalize_header
from .records import Column, Reading, Sheet
from .values import letter_index

SHEET_NAMES = frozenset(
    normalize_header(name)
    for name in (
        "Werkgevers",
        "Werkgever",
        "Werkgeverslijst",
        "Klanten",
        "Employeurs",
        "Employeur",
        "Liste des employeurs",
        "Clients",
        "Employers",
        "Employer",
        "Employer list",
    )
)

# A header naming one of these belongs to a roster, not to a list of employers.
_ROSTER_FIELDS = ("insz", "first_name", "work_day", "start", "end")


@dataclass(frozen=True)
class Listed:
    """An employer as a list gives it, and where."""

    employer: Employer
    file: str
    sheet: str
    row: int
    cell: str


def is_employer_list(
    name: str, matched: dict[str, Column], values: list[list], header_row: int | None
) -> bool:
    """A sheet of employers: named so, or headed by enterprise number and NSSO number or name."""
    if "enterprise_number" not in matched or any(f in matched for f in _ROSTER_FIELDS):
        return False
    if normalize_header(name) in SHEET_NAMES:
        return True
    details = any(f in matched for f in ("nsso_number", "employer_name", "last_name"))
    return details and not _has_dates(values[header_row] if header_row is not None else [])


def _has_dates(row: list) -> bool:
    return bool(day_headers(row))


def read_employer_list(
    cells: Cells, header_row: int, matched: dict[str, Column]
) -> tuple[list[Listed], list[Problem]]:
    """The employers of a list sheet, checked; those with a bad enterprise number left out."""
    name_column = matched.get("employer_name") or matched.get("last_name")
    columns = {
        "enterprise_number": matched["enterprise_number"],
        "nsso_number": matched.get("nsso_number"),
        "employer_name": name_column,
    }
    found: list[Listed] = []
    problems: list[Problem] = []
    for r in range(header_row + 1, len(cells.values)):
        row = r + 1

        def value(name: str, r: int = r) -> object:
            column = columns[name]
            return cells.value(r, letter_index(column.letter)) if column else None

        def report(code: str, name: str, severity=Severity.ERROR, row=row, **params) -> None:
            column = columns[name]
            problems.append(
                problem(
                    code,
                    file=cells.file,
                    sheet=cells.sheet,
                    row=row,
                    column=column.header if column else "",
                    cell=f"{column.letter}{row}" if column else "",
                    value=_display(value(name)),
                    severity=severity,
                    **params,
                )
            )

        texts = [_display(value(n)).strip() for n in columns]
        if not any(texts) or any(is_total(t) for t in texts):
            continue
        foreign = foreign_characters(pd.Series([value("enterprise_number")]), country=True)
        if foreign.iloc[0]:  # `0566.98X.259`: a letter is not dropped
            report("enterprise_characters", "enterprise_number", found=foreign.iloc[0])
            continue
        number = normalize_enterprise(digits(value("enterprise_number")))
        if not number:
            report("missing", "enterprise_number")
            continue
        if len(number) != 10:
            report("enterprise_length", "enterprise_number", found=len(number))
            continue
        if not enterprise_is_valid(number):
            report("enterprise_check", "enterprise_number")
            continue
        nsso = nsso_digits(value("nsso_number"))
        if nsso and not nsso_is_valid(nsso):
            report("nsso_check", "nsso_number", Severity.WARNING)
        name = _display(value("employer_name")).strip()
        column = columns["enterprise_number"]
        found.append(
            Listed(
                Employer(number, nsso, name), cells.file, cells.sheet, row, f"{column.letter}{row}"
            )
        )
    return found, problems


def nsso_digits(value: object) -> str:
    """An NSSO number's 9 digits; stored as a number, it lost its leading zeros."""
    number = digits(value)
    if isinstance(value, int | float) and number and len(number) < 9:
        return number.zfill(9)
    return number


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def settle_employers(reading: Reading, listed: dict[str, list[Listed]]) -> None:
    """Gather the run's employer lists, and give rosters without an enterprise number one.

    A roster without one takes the employer whose listed name it names (a `Werkgever` column
    or label), else the only employer its own file lists; failing both, its sheet is reported
    once and not read.
    """
    for entries in listed.values():
        for entry in entries:
            number = entry.employer.enterprise_number
            known = reading.employers.get(number)
            if known is None:
                reading.employers[number] = entry.employer
            elif known != entry.employer:
                reading.problems.append(
                    problem(
                        "employer_conflict",
                        file=entry.file,
                        sheet=entry.sheet,
                        row=entry.row,
                        cell=entry.cell,
                        value=number,
                        severity=Severity.WARNING,
                    )
                )
    by_name: dict[str, str | None] = {}
    for employer in reading.employers.values():
        key = normalize_header(employer.name)
        if key:
            by_name[key] = None if key in by_name else employer.enterprise_number
    kept: list[Sheet] = []
    for sheet in reading.sheets:
        rows = sheet.rows
        if "enterprise_number" in sheet.columns or rows["enterprise_number"].notna().all():
            kept.append(sheet)
            continue
        missing = rows["enterprise_number"].isna()
        named = rows["employer_name"].map(lambda n: by_name.get(normalize_header(n)))
        rows["enterprise_number"] = rows["enterprise_number"].where(~missing, named)
        own = {e.employer.enterprise_number for e in listed.get(sheet.file, [])}
        if len(own) == 1:
            rows["enterprise_number"] = rows["enterprise_number"].fillna(next(iter(own)))
        if rows.empty or rows["enterprise_number"].notna().any():
            kept.append(sheet)
            continue
        reading.problems.append(
            problem("no_employer", file=sheet.file, sheet=sheet.name, row=_first_row(rows))
        )
    reading.sheets = kept


def _first_row(rows: pd.DataFrame) -> int | None:
    return int(rows["row"].min()) if len(rows) else None
