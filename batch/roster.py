"""Excel rosters to raw rows: find the header, name the columns, keep where each value was.

Nothing is interpreted here: values stay as the cells hold them, so the validation stage can
say exactly which cell it could not read. Every row keeps file, sheet and the row number Excel
shows; every column keeps the header as written and its letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from .messages import problem
from .model import Problem

HEADER_SEARCH_ROWS = 10

# canonical field -> headers as clients write them; matching ignores case, accents,
# spaces and punctuation (see `normalize_header`).
ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise_number": (
        "Ondernemingsnummer",
        "Ondernemingsnr",
        "KBO-nummer",
        "KBO",
        "BCE",
        "N° BCE",
        "Enterprise number",
        "Numéro d'entreprise",
        "N° d'entreprise",
        "Company number",
    ),
    "nsso_number": (
        "RSZ-nummer",
        "RSZ nr",
        "RSZ",
        "NSSO number",
        "Numéro ONSS",
        "ONSS",
        "N° ONSS",
    ),
    "employer_name": ("Werkgever", "Employer", "Employeur", "Naam werkgever", "Bedrijf"),
    "insz": (
        "INSZ",
        "INSZ-nummer",
        "Rijksregisternummer",
        "Rijksregisternr",
        "SSIN",
        "NISS",
        "Numéro national",
        "National number",
    ),
    "last_name": ("Naam", "Achternaam", "Familienaam", "Last name", "Surname", "Nom"),
    "first_name": ("Voornaam", "First name", "Given name", "Prénom"),
    "work_day": ("Werkdag", "Datum", "Dag", "Date", "Work day", "Jour", "Jour de travail"),
    "start": (
        "Van",
        "Begin",
        "Beginuur",
        "Startuur",
        "Start",
        "Début",
        "De",
        "From",
        "Werkelijk begin",
        "Ingeklokt",
        "Actual start",
        "Clock in",
        "Début réel",
        "Arrivée",
    ),
    "end": (
        "Tot",
        "Einde",
        "Einduur",
        "Stopuur",
        "End",
        "Fin",
        "À",
        "To",
        "Until",
        "Werkelijk einde",
        "Uitgeklokt",
        "Actual end",
        "Clock out",
        "Fin réelle",
        "Départ",
    ),
    "status": ("Status", "Opmerking", "Remark", "Afwezigheid", "Absence", "Remarque", "Statut"),
    "employer_reference": (
        "Uw referentie werkgever",
        "Referentie werkgever",
        "Employer reference",
        "Référence employeur",
    ),
    "worker_reference": (
        "Referentie werknemer",
        "Uw referentie werknemer",
        "Worker reference",
        "Référence travailleur",
    ),
    "declaration_reference": (
        "Referentie aangifte",
        "Uw referentie aangifte",
        "Declaration reference",
        "Référence déclaration",
        "Référence",
        "Referentie",
        "Reference",
    ),
}

REQUIRED = ("enterprise_number", "insz", "last_name", "first_name", "work_day", "start", "end")

# Columns read from every roster, in the order the validation stage expects them.
FIELDS = tuple(ALIASES)

_PUNCTUATION = re.compile(r"[^0-9a-z]")


def normalize_header(text: object) -> str:
    """`N° d'entreprise :` and `nd entreprise` are the same header."""
    if not isinstance(text, str):
        return ""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _PUNCTUATION.sub("", plain)


_LOOKUP: dict[str, str] = {
    normalize_header(alias): name for name, aliases in ALIASES.items() for alias in aliases
}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    header: str
    letter: str


@dataclass
class Sheet:
    """One sheet's rows: a frame with `row` (as Excel shows it) and one column per field."""

    file: str
    name: str
    columns: dict[str, Column]
    rows: pd.DataFrame


@dataclass
class Reading:
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders searched recursively for .xlsx; Excel lock files skipped."""
    found: list[Path] = []
    for item in map(Path, paths):
        candidates = sorted(item.rglob("*.xlsx")) if item.is_dir() else [item]
        found.extend(p for p in candidates if not p.name.startswith("~$"))
    return found


def read_rosters(paths: Iterable[Path | str], required: tuple[str, ...] = REQUIRED) -> Reading:
    """Every sheet with a recognisable header; `required` names the columns it must have."""
    reading = Reading()
    for path in expand_paths(paths):
        read_workbook(path, reading, required)
    return reading


def read_workbook(path: Path, reading: Reading, required: tuple[str, ...] = REQUIRED) -> None:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        reading.problems.append(
            problem("unreadable_file", file=path.name, sheet="", error=str(error) or type(error))
        )
        return
    with_rows = []
    header_problems = []
    for name in workbook.sheet_names:
        cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if not any(any(_filled(v) for v in row) for row in cells):
            continue
        sheet, trouble = _read_sheet(path.name, name, cells, required)
        if sheet is not None:
            with_rows.append(sheet)
        else:
            header_problems.append(trouble)
    reading.sheets.extend(with_rows)
    # A sheet without a roster beside sheets with one is a notes or totals sheet: say so only
    # when the file has no roster at all.
    if not with_rows:
        reading.problems.extend(p for p in header_problems if p is not None)


def _filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def _read_sheet(
    file: str, name: str, cells: list[list], required: tuple[str, ...] = REQUIRED
) -> tuple[Sheet | None, Problem | None]:
    best_row, best = None, {}
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        matched: dict[str, Column] = {}
        for col, value in enumerate(row):
            canonical = _LOOKUP.get(normalize_header(value))
            if canonical and canonical not in matched:
                matched[canonical] = Column(str(value).strip(), column_letter(col))
        if sum(f in matched for f in required) > sum(f in best for f in required):
            best_row, best = index, matched
    if best_row is None or not all(f in best for f in required):
        return None, _no_header(file, name, cells, best_row, required)

    body = cells[best_row + 1 :]
    width = max((len(r) for r in body), default=0)
    frame = pd.DataFrame(body, columns=range(width), dtype="object") if body else None
    data = {"row": pd.RangeIndex(best_row + 2, best_row + 2 + len(body))}
    for f in FIELDS:
        column = best.get(f)
        index = _letter_index(column.letter) if column else None
        if frame is not None and index is not None and index < width:
            data[f] = frame[index].to_numpy()
        else:
            data[f] = pd.Series([None] * len(body), dtype="object").to_numpy()
    rows = pd.DataFrame(data)
    for f in FIELDS:  # calamine gives "" for an empty cell
        rows[f] = rows[f].where(rows[f].ne(""), None)
    used = [f for f in FIELDS if f in best]
    rows = rows[rows[used].notna().any(axis=1)].reset_index(drop=True)
    return Sheet(file, name, best, rows), None


def _letter_index(letter: str) -> int:
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - 64
    return index - 1


def _no_header(
    file: str, sheet: str, cells: list[list], best_row: int | None, required: tuple[str, ...]
) -> Problem:
    if best_row is None:  # the likeliest header: the fullest of the first rows
        first = cells[:HEADER_SEARCH_ROWS]
        best_row = max(range(len(first)), key=lambda i: sum(map(_filled, first[i])), default=None)
    row = cells[best_row] if best_row is not None else []
    found = ", ".join(str(v).strip() for v in row if _filled(v)) or "-"
    needed = ", ".join(ALIASES[f][0] for f in required)
    return problem(
        "no_header",
        file=file,
        sheet=sheet,
        row=(best_row + 1) if best_row is not None else None,
        found=found,
        needed=needed,
    )
