"""Headers and labels: which row heads a sheet, which field each header names, totals rows.

Matching ignores case, accents, spaces and punctuation (`normalize_header`); the aliases it
matches against are the tables of `batch.read.aliases`.

- Totals rows ("Totaal", "Total", "Totaux", ... in a name or INSZ cell, without a valid INSZ)
  and repeated header rows are skipped silently: they are not shifts and not mistakes.
- Cells above the header labelled `Ondernemingsnummer: 0566.988.259`,
  `N° d'entreprise : BE 0566 988 259`, `RSZ-nummer: ...` or `Werkgever: Brasserie X` (or a
  label cell with the value in the next cell) give the employer of the rows below them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..timeparse import date_parts
from .aliases import ALIASES, LABEL_FIELDS, REQUIRED
from .records import Column, Sheet
from .values import address, column_letter, filled

HEADER_SEARCH_ROWS = 10


def grid_required(required: Sequence[str] = REQUIRED) -> tuple[str, ...]:
    """The worker columns a weekly grid needs: its days are columns, its employer a label."""
    return tuple(f for f in required if f not in ("enterprise_number", "work_day", "start", "end"))


GRID_REQUIRED = grid_required()

# Columns read from every roster, in the order the validation stage expects them.
FIELDS = tuple(ALIASES)

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


# Each normalized alias and the first spelling of it in the table, to suggest.
_SPELLINGS: dict[str, str] = {}
for _aliases in ALIASES.values():
    for _alias in _aliases:
        _SPELLINGS.setdefault(normalize_header(_alias), _alias)


def closest_header(header: object) -> str | None:
    """The known header an unknown one most likely means: `Naam werknemer` → `Naam`.

    The longest known header it starts or ends with (three letters or more), else the
    closest by difflib's ratio, if close enough.
    """
    key = normalize_header(header)
    if not key or key in _LOOKUP:
        return None
    affixes = [k for k in _SPELLINGS if len(k) >= 3 and (key.startswith(k) or key.endswith(k))]
    if affixes:
        return _SPELLINGS[max(affixes, key=len)]
    close = difflib.get_close_matches(key, _SPELLINGS, n=1, cutoff=0.75)
    return _SPELLINGS[close[0]] if close else None


@dataclass(frozen=True)
class Label:
    """A value written beside its name above the header: `Ondernemingsnummer: 0566.988.259`."""

    field: str
    value: object
    cell: str
    header: str


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
                after = next((i for i in range(c + 1, len(line)) if filled(line[i])), None)
                if after is not None and field_of(line[after]) is None:
                    labels.setdefault(
                        name,
                        Label(name, line[after], address(r, after), text.rstrip(" :")),
                    )
    return labels


def find_date(values: list[list], rows: range) -> dt.date | None:
    """The first full date (with a year) written in these rows: a title's `29/06/2026`."""
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
