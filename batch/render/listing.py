"""One writer for every listing of the ledger: a table on the terminal, a csv or an xlsx file.

A listing is rows of typed columns (text, date, date-time, hours, money, integer) with
headers from a label table in nl/fr/en, so `periods`, `history`, `due` and `export` all look
alike and a clerk's spreadsheet gets real dates and numbers, never text that looks like them.

csv: UTF-8 with a byte-order mark, `;` between fields and a decimal comma (`7,50`), the
dialect Excel expects on a Belgian (nl-BE, fr-BE) computer, where `,` is the decimal sign;
dates as 29/06/2026 and moments as 29/06/2026 09:30 (Brussels time), so it opens by a double
click with every column in place. Files are written atomically and readable by their owner
only (they hold INSZ numbers).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from .atomic import atomic_write
from .labels import LABELS, check_language
from .values import EXCEL_DATETIME_FORMAT, format_datetime, wall_time

ColumnType = Literal["text", "date", "datetime", "hours", "money", "integer"]
COLUMN_TYPES: tuple[str, ...] = ("text", "date", "datetime", "hours", "money", "integer")
FORMATS: tuple[str, ...] = ("table", "csv", "xlsx")

CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"
DATE_FORMAT = "%d/%m/%Y"
EXCEL_DATE_FORMAT = "dd/mm/yyyy"
EXCEL_NUMBER_FORMAT = "0.00"

# Headers and titles of the listings that the receipts' and corrections' table lacks.
# key: (nl, fr, en); with --lang en exactly the words of the issue.
LISTING_LABELS: dict[str, tuple[str, str, str]] = {
    "last_result": ("Laatste resultaat", "Dernier résultat", "Last result"),
    "batch": ("Batch", "Lot", "Batch"),
    "source_file": ("Bronbestand", "Fichier source", "Source file"),
    "source_cell": ("Cel", "Cellule", "Cell"),
    "what": ("Wat", "Quoi", "What"),
    "overdue": ("Te laat", "En retard", "Overdue"),
    "noted_at": ("Genoteerd op", "Noté le", "Noted at"),
    "period_active": ("actief", "active", "active"),
    "period_cancelled": ("geannuleerd", "annulée", "cancelled"),
    "period_pending": ("in behandeling", "en attente", "pending"),
    "period_to_type": ("in te tikken", "à saisir", "to-type"),
    "period_refused": ("geweigerd", "refusée", "refused"),
    "start_date": ("Begindatum", "Date de début", "Start date"),
    "actual_hours": ("Werkelijke uren", "Heures réelles", "Actual hours"),
    "handled": ("Behandeld", "Traité", "Handled"),
    "due_to_type": (
        "in te tikken in het webformulier",
        "à saisir dans le formulaire web",
        "to type in the web form",
    ),
    "due_pending": ("wacht op antwoord", "en attente de réponse", "pending an answer"),
    "due_not_eligible": (
        "annuleren vóór het begin (90017-510)",
        "annuler avant le début (90017-510)",
        "cancel before it starts (90017-510)",
    ),
    "due_manual": ("manuele correctie", "correction manuelle", "manual correction"),
    "due_in_flight": (
        "onderweg: dimona-batch sync",
        "en cours : dimona-batch sync",
        "in flight: dimona-batch sync",
    ),
    "yes": ("ja", "oui", "yes"),
    "due_held_note": (
        "Diensten die te vroeg zijn voor hun kwartaal staan niet in het grootboek: elke"
        " declare-run noemt ze in zijn controleverslag, met de datum vanaf wanneer ze"
        " aangegeven kunnen worden.",
        "Les prestations trop tôt pour leur trimestre ne sont pas dans le registre : chaque"
        " exécution de declare les nomme dans son rapport de contrôle, avec la date à partir"
        " de laquelle elles peuvent être déclarées.",
        "Shifts held back as too early for their quarter are not in the ledger: each declare"
        " run names them in its validation report, with the date from which they can be"
        " filed.",
    ),
    "overdue_count": ("te laat", "en retard", "overdue"),
    "periods_sheet": ("Periodes", "Périodes", "Periods"),
    "history_sheet": ("Historiek", "Historique", "History"),
    "due_sheet": ("Te doen", "À faire", "Due"),
    "nothing_listed": ("Niets gevonden.", "Rien trouvé.", "Nothing found."),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a listing: the label key of its header and how its values are typed."""

    key: str
    type: ColumnType = "text"

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"unknown column type {self.type!r}; use one of {COLUMN_TYPES}")


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows of values in the order of `columns`; None is an empty cell."""

    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Any]]
    sheet: str = "periods_sheet"
    """The label key of the xlsx sheet name (and the terminal table's title)."""
    labels: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    """Extra words (key: nl, fr, en) for headers neither LISTING_LABELS nor LABELS holds."""


def word(key: str, lang: str, extra: Mapping[str, tuple[str, str, str]] | None = None) -> str:
    """The word for `key` in `lang`: from `extra`, else the listings' table, else the reports'."""
    column = check_language(lang)
    for table in (extra or {}, LISTING_LABELS, LABELS):
        if key in table:
            return table[key][column]
    raise KeyError(f"no label {key!r}")


def headers(listing: Listing, lang: str) -> list[str]:
    return [word(c.key, lang, listing.labels) for c in listing.columns]


def _decimal_text(value: Any) -> str:
    """7.5 → 7,50: two decimals and a decimal comma (the csv's Belgian dialect)."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    return f"{amount:.2f}".replace(".", ",")


def text_of(value: Any, kind: str) -> str:
    """A value as the csv and the terminal show it; empty for None."""
    if value is None or value == "":
        return ""
    if kind == "datetime":
        return format_datetime(value)
    if kind == "date":
        return value.strftime(DATE_FORMAT)
    if kind in ("hours", "money"):
        return _decimal_text(value)
    if kind == "integer":
        return str(int(value))
    return value if type(value) is str else str(value)


def csv_text(listing: Listing, lang: str) -> str:
    """The whole listing as csv text (header row first), without the byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(headers(listing, lang))
    kinds = [c.type for c in listing.columns]
    for row in listing.rows:
        writer.writerow(_texts(listing, row, kinds))
    return buffer.getvalue()


def _texts(listing: Listing, row: Sequence[Any], kinds: Sequence[str]) -> list[str]:
    if len(row) != len(kinds):
        raise ValueError(f"a row has {len(row)} values for {len(kinds)} columns")
    return [text_of(value, kind) for value, kind in zip(row, kinds, strict=True)]


def write_csv(listing: Listing, path: str | os.PathLike[str], lang: str) -> Path:
    """The listing as a csv file (UTF-8 with BOM, `;`, decimal comma), atomically, 0600."""
    target = Path(path)
    with atomic_write(target) as temporary:
        temporary.write_text(csv_text(listing, lang), encoding=CSV_ENCODING, newline="")
    return target


def write_xlsx(listing: Listing, path: str | os.PathLike[str], lang: str) -> Path:
    """The listing as one sheet: a bold header row, then typed cells; text never a formula."""
    return write_sheets((listing,), path, lang)


def write_sheets(listings: Sequence[Listing], path: str | os.PathLike[str], lang: str) -> Path:
    """Listings as the sheets of one workbook (the export's lines and summary), atomically."""
    import xlsxwriter

    from .excel import _WORKBOOK_OPTIONS

    target = Path(path)
    with atomic_write(target) as temporary:
        options = {**_WORKBOOK_OPTIONS, "constant_memory": False}
        workbook = xlsxwriter.Workbook(str(temporary), options)
        try:
            for listing in listings:
                _add_sheet(workbook, listing, lang)
        finally:
            workbook.close()
    return target


def _add_sheet(workbook: Any, listing: Listing, lang: str) -> None:
    kinds = [c.type for c in listing.columns]
    titles = headers(listing, lang)
    sheet = workbook.add_worksheet(word(listing.sheet, lang, listing.labels)[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "bottom": 1})
    formats = {
        "datetime": workbook.add_format({"num_format": EXCEL_DATETIME_FORMAT}),
        "date": workbook.add_format({"num_format": EXCEL_DATE_FORMAT}),
        "hours": workbook.add_format({"num_format": EXCEL_NUMBER_FORMAT}),
        "money": workbook.add_format({"num_format": EXCEL_NUMBER_FORMAT}),
    }
    widths = [len(t) for t in titles]
    for col, title in enumerate(titles):
        sheet.write_string(0, col, title, bold)
    for number, row in enumerate(listing.rows, start=1):
        if len(row) != len(kinds):
            raise ValueError(f"row {number} has {len(row)} values for {len(kinds)}")
        for col, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if value is None or value == "":
                continue
            _write_cell(sheet, number, col, value, kind, formats)
            widths[col] = max(widths[col], len(text_of(value, kind)))
    for col, size in enumerate(widths):
        sheet.set_column(col, col, max(8, min(60, size + 2)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(listing.rows), 1), len(titles) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)


def _write_cell(sheet: Any, row: int, col: int, value: Any, kind: str, formats: dict) -> None:
    if kind == "datetime":
        sheet.write_datetime(row, col, wall_time(value), formats["datetime"])
    elif kind == "date":
        day = value if type(value) is dt.date else value.date()
        sheet.write_datetime(row, col, dt.datetime.combine(day, dt.time()), formats["date"])
    elif kind in ("hours", "money"):
        amount = float(Decimal(str(value)).quantize(Decimal("0.01")))
        sheet.write_number(row, col, amount, formats[kind])
    elif kind == "integer":
        sheet.write_number(row, col, int(value))
    else:
        sheet.write_string(row, col, value if type(value) is str else str(value))


def print_table(listing: Listing, lang: str, console: Any) -> None:
    """The listing as a rich table on the terminal (numbers right-aligned)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=word(listing.sheet, lang, listing.labels))
    for column, title in zip(listing.columns, headers(listing, lang), strict=True):
        numeric = column.type in ("hours", "money", "integer")
        table.add_column(escape(title), justify="right" if numeric else "left", overflow="fold")
    kinds = [c.type for c in listing.columns]
    titles = headers(listing, lang)
    widths = [len(t) for t in titles]
    for row in listing.rows:
        texts = _texts(listing, row, kinds)
        widths = [max(w, len(t)) for w, t in zip(widths, texts, strict=True)]
        table.add_row(*(escape(t) for t in texts))
    if not listing.rows:
        console.print(word("nothing_listed", lang))
        return
    needed = sum(widths) + 3 * len(widths) + 1
    if console.is_terminal or needed <= console.width:
        console.print(table)  # a narrow terminal folds long values, never cuts them
        return
    # piped to a file or another program: as wide as its longest values
    narrow = console.width
    console.width = needed
    try:
        console.print(table)
    finally:
        console.width = narrow


def output_format(fmt: str | None, output: str | os.PathLike[str] | None) -> str:
    """The format asked, or the one the --output file's extension names; ValueError if unclear.

    A table goes to the terminal only; an xlsx needs a file; a csv without one goes to the
    terminal (to pipe on).
    """
    if fmt is None:
        if output is None:
            return "table"
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix not in ("csv", "xlsx"):
            raise ValueError(f"--output {output}: name a .csv or .xlsx file, or give --format")
        return suffix
    if fmt not in FORMATS:
        raise ValueError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    if fmt == "table" and output is not None:
        raise ValueError("--format table is shown on the terminal: give --format csv or xlsx")
    if fmt == "xlsx" and output is None:
        raise ValueError("--format xlsx needs --output FILE.xlsx")
    return fmt


def emit(
    listing: Listing,
    lang: str,
    fmt: str | None,
    output: str | os.PathLike[str] | None,
    console: Any,
) -> Path | None:
    """Show or write the listing as the options ask; returns the file written, if any."""
    chosen = output_format(fmt, output)
    if chosen == "table":
        print_table(listing, lang, console)
        return None
    if output is None:  # csv to the terminal
        console.file.write(csv_text(listing, lang))
        return None
    from .atomic import private_folder

    target = Path(output)
    private_folder(target.parent)
    if chosen == "csv":
        return write_csv(listing, target, lang)
    return write_xlsx(listing, target, lang)
