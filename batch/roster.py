"""Excel rosters to raw rows: find the layout, name the columns, keep where each value was.

Nothing is interpreted here: values stay as the cells hold them, so the validation stage can
say exactly which cell it could not read. Every row keeps file, sheet and the row number Excel
shows; every column keeps the header as written and its letter. A sheet is read as one of:

- a **long** roster: one row per shift, one column per field (`read_long`, vectorised);
- a **weekly grid**: one row per worker, one column per day (`batch.grid`), turned into the
  same rows, one per shift, each pointing at the cell it came from (`cell_<field>` columns);
- an **employer list** (`batch.employers`): enterprise number, NSSO number and name.

What clients' workbooks hold besides values, and what this module does with it:

- Merged cells: the value of a merged range applies to every cell of the range (a date
  header merged over two columns, a worker's name merged down over two rows, an employer
  merged down a block of shifts).
- Hidden rows, columns and sheets are read: a hidden row in a roster is usually still a
  shift (a filter left on, a row folded away), and declaring it with a warning is safer than
  dropping it unseen. Each hidden row read gets one warning ("hidden row read; check it is
  meant"); calamine does not tell which rows are hidden, so the flags come from the sheet
  XML, scanned as bytes (a 100,000-row sheet in well under a tenth of a second).
- Totals rows ("Totaal", "Total", "Totaux", ... in a name or INSZ cell, without a valid INSZ)
  and repeated header rows are skipped silently: they are not shifts and not mistakes.
- Formulas count by the value Excel cached when it saved the file.
- Cells above the header labelled `Ondernemingsnummer: 0566.988.259`,
  `N° d'entreprise : BE 0566 988 259`, `RSZ-nummer: ...` or `Werkgever: Brasserie X` (or a
  label cell with the value in the next cell) give the employer of the rows below them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import defusedxml.ElementTree as SafeET
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from .identifiers import digits
from .messages import problem
from .model import Employer, Problem, Severity

if TYPE_CHECKING:
    from .employers import Listed

HEADER_SEARCH_ROWS = 10

# canonical field -> headers as clients write them; matching ignores case, accents,
# spaces and punctuation (see `normalize_header`). Each header belongs to one field only
# (tests/test_roster.py checks); add a client's spelling here and both layouts know it.
ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise_number": (
        "Ondernemingsnummer",
        "Ondernemingsnr",
        "Onderneming nr",
        "KBO-nummer",
        "KBO-nr",
        "KBO",
        "BTW-nummer",
        "BTW",
        "BCE",
        "N° BCE",
        "No BCE",
        "Numéro BCE",
        "Numéro d'entreprise",
        "N° d'entreprise",
        "No d'entreprise",
        "N° entreprise",
        "Numéro de TVA",
        "N° TVA",
        "TVA",
        "Enterprise number",
        "Enterprise no",
        "Company number",
        "VAT number",
    ),
    "nsso_number": (
        "RSZ-nummer",
        "RSZ nr",
        "RSZ",
        "RSZ-stamnummer",
        "Stamnummer RSZ",
        "NSSO number",
        "NSSO",
        "Numéro ONSS",
        "N° ONSS",
        "No ONSS",
        "ONSS",
        "Matricule ONSS",
        "Employer ID",
    ),
    "employer_name": (
        "Werkgever",
        "Naam werkgever",
        "Bedrijf",
        "Bedrijfsnaam",
        "Firma",
        "Employeur",
        "Nom employeur",
        "Nom de l'employeur",
        "Raison sociale",
        "Société",
        "Employer",
        "Employer name",
        "Company",
        "Company name",
    ),
    "insz": (
        "INSZ",
        "INSZ-nummer",
        "INSZ-nr",
        "Rijksregisternummer",
        "Rijksregisternr",
        "Rijksregister",
        "SSIN",
        "NISS",
        "N° NISS",
        "No NISS",
        "Numéro NISS",
        "Numéro national",
        "N° national",
        "Numéro de registre national",
        "Registre national",
        "National number",
        "National register number",
    ),
    "last_name": (
        "Naam",
        "Achternaam",
        "Familienaam",
        "Nom",
        "Nom de famille",
        "Last name",
        "Surname",
        "Family name",
    ),
    "first_name": ("Voornaam", "Prénom", "First name", "Given name", "Forename"),
    # a worker without INSZ: the identification fields of the web form (domain.md §1)
    "birth_date": (
        "Geboortedatum",
        "Geboren op",
        "Date de naissance",
        "Né le",
        "Birth date",
        "Date of birth",
        "Birthdate",
        "DOB",
    ),
    "birth_place": (
        "Geboorteplaats",
        "Lieu de naissance",
        "Place of birth",
        "Birth place",
        "Birthplace",
    ),
    "gender": ("Geslacht", "Gender", "Sexe", "Sex", "M/V", "M/F", "H/F"),
    "street": ("Straat", "Straatnaam", "Rue", "Street"),
    "house_number": (
        "Huisnummer",
        "Huisnr",
        "Nr",
        "Numéro",
        "N° de maison",
        "House number",
    ),
    "box": ("Bus", "Busnummer", "Boîte", "Bte", "Box", "Box number"),
    "postal_code": ("Postcode", "Code postal", "Postal code", "Post code", "Zip code", "ZIP"),
    "municipality": (
        "Gemeente",
        "Woonplaats",
        "Stad",
        "Commune",
        "Localité",
        "Ville",
        "Municipality",
        "City",
        "Town",
    ),
    "country": ("Land", "Pays", "Country"),
    "nationality": ("Nationaliteit", "Nationalité", "Nationality"),
    "birth_country": (
        "Geboorteland",
        "Pays de naissance",
        "Country of birth",
        "Birth country",
    ),
    "middle_initial": (
        "Initiaal",
        "Initiaal tweede voornaam",
        "Initiale",
        "Initiale du deuxième prénom",
        "Middle initial",
    ),
    "work_day": (
        "Werkdag",
        "Datum",
        "Dag",
        "Datum prestatie",
        "Date",
        "Jour",
        "Jour de travail",
        "Date de travail",
        "Date prestation",
        "Work day",
        "Workday",
        "Day",
        "Shift date",
    ),
    "start": (
        "Van",
        "Begin",
        "Beginuur",
        "Startuur",
        "Aanvang",
        "Aanvangsuur",
        "Start",
        "Début",
        "Heure de début",
        "Heure début",
        "De",
        "From",
        "Start time",
        # actual hours (time-clock exports)
        "Ingeklokt",
        "Werkelijk begin",
        "Arrivée",
        "Début réel",
        "Clock in",
        "Actual start",
    ),
    "end": (
        "Tot",
        "Einde",
        "Einduur",
        "Eind",
        "Stopuur",
        "End",
        "Fin",
        "Heure de fin",
        "Heure fin",
        "À",
        "To",
        "Until",
        "End time",
        # actual hours (time-clock exports)
        "Uitgeklokt",
        "Werkelijk einde",
        "Départ",
        "Fin réelle",
        "Clock out",
        "Actual end",
    ),
    "employer_reference": (
        "Uw referentie werkgever",
        "Referentie werkgever",
        "Employer reference",
        "Référence employeur",
        "Votre référence employeur",
    ),
    "worker_reference": (
        "Referentie werknemer",
        "Uw referentie werknemer",
        "Personeelsnummer",
        "Worker reference",
        "Employee reference",
        "Employee number",
        "Référence travailleur",
        "Matricule",
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
    # actuals: a status or remark saying the worker did not come
    "status": (
        "Status",
        "Statut",
        "Opmerking",
        "Remarque",
        "Remark",
        "Afwezigheid",
        "Absence",
    ),
}

REQUIRED = ("enterprise_number", "insz", "last_name", "first_name", "work_day", "start", "end")


def grid_required(required: Sequence[str] = REQUIRED) -> tuple[str, ...]:
    """The worker columns a weekly grid needs: its days are columns, its employer a label."""
    return tuple(f for f in required if f not in ("enterprise_number", "work_day", "start", "end"))


GRID_REQUIRED = grid_required()

# Columns read from every roster, in the order the validation stage expects them.
FIELDS = tuple(ALIASES)

# Fields a labelled cell above the header may give for the whole sheet.
LABEL_FIELDS = ("enterprise_number", "nsso_number", "employer_name")

# A row whose name or INSZ cell says this (and holds no INSZ) sums the rows above it.
TOTALS = re.compile(
    r"^\s*(?:sub|sous|eind|grand)?[\s\-]*(?:totaal|totalen|total|totals|totaux|totale)\b",
    re.IGNORECASE,
)

_PUNCTUATION = re.compile(r"[^0-9a-z]")


def normalize_header(text: object) -> str:
    """`N° d'entreprise :` and `nd entreprise` are the same header."""
    if not isinstance(text, str):
        return ""
    plain = unicodedata.normalize("NFKD", text.replace("º", "°").casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _PUNCTUATION.sub("", plain)


_LOOKUP: dict[str, str] = {
    normalize_header(alias): name for name, aliases in ALIASES.items() for alias in aliases
}


def field_of(header: object) -> str | None:
    """The canonical field a header names, if any."""
    return _LOOKUP.get(normalize_header(header))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def letter_index(letter: str) -> int:
    """A → 0, AA → 26."""
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - 64
    return index - 1


def address(row: int, col: int) -> str:
    """0-based row and column → `E7`."""
    return f"{column_letter(col)}{row + 1}"


_ADDRESS = re.compile(r"^([A-Z]+)(\d+)$")


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
        match = _ADDRESS.match(cell)
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
            match = _ADDRESS.match(cell)
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


@dataclass(frozen=True)
class Label:
    """A value written beside its name above the header: `Ondernemingsnummer: 0566.988.259`."""

    field: str
    value: object
    cell: str
    header: str


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders searched recursively for .xlsx; Excel lock files skipped."""
    found: list[Path] = []
    for item in map(Path, paths):
        candidates = sorted(item.rglob("*.xlsx")) if item.is_dir() else [item]
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
    from .employers import settle_employers

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
    from .employers import is_employer_list, read_employer_list
    from .grid import read_grid

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        reading.problems.append(
            problem("unreadable_file", file=path.name, sheet="", error=str(error) or type(error))
        )
        return []
    flags = hidden_flags(path)
    visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
    employers: list[Listed] = []
    read_any = False
    unrecognised: list[Problem] = []
    for name in workbook.sheet_names:
        calamine_sheet = workbook.get_sheet_by_name(name)
        try:
            values = calamine_sheet.to_python(skip_empty_area=False)
        except BaseException as error:  # a date or time cell out of range: the reader fails
            if not isinstance(error, OverflowError | ValueError) and (
                type(error).__name__ != "PanicException"
            ):
                raise
            reading.problems.append(
                problem("unreadable_file", file=path.name, sheet=name, error=str(error))
            )
            continue
        if not any(any(_filled(v) for v in row) for row in values):
            continue
        hidden_rows, hidden_columns = flags.get(name, (frozenset(), frozenset()))
        cells = Cells(
            path.name,
            name,
            fill_merged(values, calamine_sheet.merged_cell_ranges or []),
            hidden_rows,
            hidden_columns,
            hidden=not visible.get(name, True),
            year=year,
        )
        header_row, matched = find_header(cells.values, required)
        problems: list[Problem] = []
        sheets: list[Sheet] = []
        if is_employer_list(name, matched, cells.values, header_row):
            found, problems = read_employer_list(cells, header_row, matched)
            employers.extend(found)
            read_any = True
        elif is_long(matched, required):
            sheet, problems = read_long(cells, header_row, matched)
            sheets = [sheet]
        else:
            grid = read_grid(cells, grid_required(required))
            if grid is None:
                unrecognised.append(no_header(path.name, name, cells.values, header_row, required))
                continue
            sheets, problems = grid
        read_any = True
        if cells.hidden and any(len(s.rows) for s in sheets):
            problems.append(
                problem("hidden_sheet", file=path.name, sheet=name, severity=Severity.WARNING)
            )
        reading.sheets.extend(sheets)
        reading.problems.extend(problems)
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


def _filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def fill_merged(values: list[list], ranges: Sequence) -> list[list]:
    """The value of each merged range's first cell copied into all its cells."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(values):
            continue
        first = values[top][left] if left < len(values[top]) else None
        if not _filled(first):
            continue
        width = max(len(values[0]) if values else 0, right + 1)
        while len(values) <= bottom:
            values.append([""] * width)
        for r in range(top, bottom + 1):
            line = values[r]
            if len(line) <= right:
                line.extend([""] * (right + 1 - len(line)))
            for c in range(left, right + 1):
                if not _filled(line[c]):
                    line[c] = first
    width = max((len(line) for line in values), default=0)
    for line in values:
        if len(line) < width:
            line.extend([""] * (width - len(line)))
    return values


# --- hidden rows and columns, from the sheet XML ----------------------------------------

_ROW_HIDDEN = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COL_HIDDEN = re.compile(rb'<col\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_COL_SPAN = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')
_CHUNK = 1 << 20
_OVERLAP = 2048  # longer than any <row> or <col> tag


def hidden_flags(path: Path) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """Per sheet name: hidden rows (Excel numbers) and hidden columns (0-based).

    Best effort: a workbook whose XML this cannot follow is read as if nothing were hidden.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return {name: _scan_hidden(archive, part) for name, part in _sheet_parts(archive)}
    except (zipfile.BadZipFile, KeyError, OSError, SafeET.ParseError, ValueError):
        return {}


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = []
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(rel), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        parts.append((sheet.get("name", ""), part))
    return parts


def _scan_hidden(archive: zipfile.ZipFile, part: str) -> tuple[frozenset[int], frozenset[int]]:
    rows: set[int] = set()
    columns: set[int] = set()
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            for tag in _ROW_HIDDEN.finditer(text):
                number = _ROW_NUMBER.search(tag.group())
                if number:
                    rows.add(int(number.group(1)))
            if b"<col" in text:
                for tag in _COL_HIDDEN.finditer(text):
                    span = _COL_SPAN.search(tag.group())
                    if span:
                        low = int(span.group(1) or span.group(4))
                        high = int(span.group(2) or span.group(3))
                        columns.update(range(low - 1, high))
            tail = text[-_OVERLAP:]
    return frozenset(rows), frozenset(columns)


# --- headers and labels -------------------------------------------------------------------


def match_row(row: Sequence[object]) -> dict[str, Column]:
    """The fields a row's cells name, each at the first column that names it."""
    matched: dict[str, Column] = {}
    for col, value in enumerate(row):
        canonical = field_of(value)
        if canonical and canonical not in matched:
            matched[canonical] = Column(str(value).strip(), column_letter(col))
    return matched


def find_header(
    values: list[list], required: Sequence[str] = REQUIRED
) -> tuple[int | None, dict[str, Column]]:
    """The likeliest header among the first rows: most required fields, then most fields."""
    best_row, best, best_score = None, {}, (0, 0)
    for index, row in enumerate(values[:HEADER_SEARCH_ROWS]):
        matched = match_row(row)
        score = (sum(named(f, matched) for f in required), len(matched))
        if score > best_score:
            best_row, best, best_score = index, matched, score
    return best_row, best


def named(field: str, matched: dict[str, Column]) -> bool:
    """The header names the field; a birth date column stands in for INSZ (workers without)."""
    return field in matched or (field == "insz" and "birth_date" in matched)


def has_columns(matched: dict[str, Column], required: Sequence[str]) -> bool:
    return all(named(f, matched) for f in required)


def is_long(matched: dict[str, Column], required: Sequence[str] = REQUIRED) -> bool:
    """One row per shift: all required columns (the employer may come from a label)."""
    return has_columns(matched, [f for f in required if f != "enterprise_number"])


_LABEL_VALUE = re.compile(r"^(?P<label>[^:\d]*[^\W\d_][^:\d]*?)\s*[:=]\s*(?P<value>.+)$")
_LABEL_NUMBER = re.compile(
    r"^(?P<label>[^\d]*?[^\W\d_])\s+(?P<value>(?:BE)?[\s.]*\d[\d\s.\-/]{8,})$", re.IGNORECASE
)


def find_labels(values: list[list], rows: range) -> dict[str, Label]:
    """Employer fields written as `label: value` (or label, value in the next cell) in rows."""
    labels: dict[str, Label] = {}
    for r in rows:
        line = values[r] if 0 <= r < len(values) else []
        for c, value in enumerate(line):
            if not isinstance(value, str) or not value.strip():
                continue
            text = value.strip()
            found = _LABEL_VALUE.match(text) or _LABEL_NUMBER.match(text)
            if found and field_of(found.group("label")) in LABEL_FIELDS:
                name = field_of(found.group("label"))
                value, label = found.group("value").strip(), found.group("label").strip()
                labels.setdefault(name, Label(name, value, address(r, c), label))
                continue
            name = field_of(text)
            if name in LABEL_FIELDS:
                after = next((i for i in range(c + 1, len(line)) if _filled(line[i])), None)
                if after is not None and field_of(line[after]) is None:
                    labels.setdefault(
                        name,
                        Label(name, line[after], address(r, after), text.rstrip(" :")),
                    )
    return labels


def find_date(values: list[list], rows: range) -> dt.date | None:
    """The first full date (with a year) written in these rows: a title's `29/06/2026`."""
    from .timeparse import date_parts

    for r in rows:
        for value in values[r] if 0 <= r < len(values) else ():
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str) and any(ch.isdigit() for ch in value):
                for candidate in _DATE_IN_TEXT.findall(value):
                    parts = date_parts(pd.Series([candidate])).iloc[0]
                    if parts.notna().all():
                        try:
                            return dt.date(int(parts.year), int(parts.month), int(parts.day))
                        except ValueError:
                            continue
    return None


# Only four-digit years: `9.30-13.30` is not a date of the year 2013.
_DATE_IN_TEXT = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b")


# --- the long layout ------------------------------------------------------------------------


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


def is_total(value: object) -> bool:
    return isinstance(value, str) and bool(TOTALS.match(value))


def apply_labels(sheet: Sheet, labels: dict[str, Label]) -> None:
    """Fill the employer fields a label gives into the rows that leave them empty."""
    rows = sheet.rows
    for name, label in labels.items():
        empty = rows[name].isna()
        if not empty.any():
            continue
        rows[name] = rows[name].where(~empty, label.value)
        where = f"cell_{name}"
        current = rows[where] if where in rows else pd.Series(None, index=rows.index, dtype=object)
        rows[where] = current.where(~empty, label.cell).astype("object")
        sheet.headers[label.cell] = label.header


def _year(day: dt.date | None) -> int | None:
    return day.year if day else None


def no_header(
    file: str,
    sheet: str,
    cells: list[list],
    best_row: int | None,
    required: Sequence[str] = REQUIRED,
) -> Problem:
    if best_row is None:  # the likeliest header: the fullest of the first rows
        first = cells[:HEADER_SEARCH_ROWS]
        best_row = max(range(len(first)), key=lambda i: sum(map(_filled, first[i])), default=None)
    row = cells[best_row] if best_row is not None else []
    found = ", ".join(str(v).strip() for v in row if _filled(v)) or "-"
    needed = ", ".join(ALIASES[f][0] for f in required)
    grid = ", ".join(ALIASES[f][0] for f in grid_required(required))
    return problem(
        "no_header",
        file=file,
        sheet=sheet,
        row=(best_row + 1) if best_row is not None else None,
        found=found,
        needed=needed,
        grid=grid,
    )
