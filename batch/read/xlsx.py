"""The xlsx source: an Excel workbook (.xlsx, .xlsm) to one `Cells` per sheet, via calamine.

What clients' workbooks hold besides values, and what this source does with it:

- Merged cells: the value of a merged range applies to every cell of the range.
- Hidden rows, columns and sheets are read: a hidden row in a roster is usually still a
  shift (a filter left on, a row folded away), and declaring it with a warning is safer than
  dropping it unseen (one warning per hidden row read). Calamine does not tell which rows
  are hidden, so the flags come from the sheet XML, scanned as bytes (a 100,000-row sheet in
  well under a tenth of a second).
- Formulas count by the value Excel cached when it saved the file; macros are never run.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from ..messages import problem
from ..model import Problem
from .cells import Cells, fill_merged


def read_cells(path: Path, year: int | None = None) -> Iterator[Cells | Problem]:
    """Each sheet of the workbook as Cells; a workbook calamine cannot open is one Problem."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        yield problem("unreadable_file", file=path.name, sheet="", error=str(error) or type(error))
        return
    flags = hidden_flags(path)
    visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
    for name in workbook.sheet_names:
        calamine_sheet = workbook.get_sheet_by_name(name)
        values = calamine_sheet.to_python(skip_empty_area=False)
        hidden_rows, hidden_columns = flags.get(name, (frozenset(), frozenset()))
        yield Cells(
            path.name,
            name,
            fill_merged(values, calamine_sheet.merged_cell_ranges or []),
            hidden_rows,
            hidden_columns,
            hidden=not visible.get(name, True),
            year=year,
        )


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
