"""Workbooks as clients send them, built in the test: several sheets, merged cells, hidden rows,
columns and sheets, formulas with the values Excel cached; and identifiers with valid check
digits, computed rather than looked up.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl


def write_book(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[object]]],
    *,
    merged: Mapping[str, Sequence[str]] | None = None,
    hidden_rows: Mapping[str, Sequence[int]] | None = None,
    hidden_columns: Mapping[str, Sequence[str]] | None = None,
    hidden_sheets: Sequence[str] = (),
) -> Path:
    """One sheet per entry, rows from A1; merged ranges ("D5:E5") keep their first value."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for cells in (merged or {}).get(name, ()):
            ws.merge_cells(cells)
        for number in (hidden_rows or {}).get(name, ()):
            ws.row_dimensions[number].hidden = True
        for letter in (hidden_columns or {}).get(name, ()):
            ws.column_dimensions[letter].hidden = True
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    book.save(path)
    return path


def cache_formula_values(path: Path, values: Mapping[str, str], sheet: int = 1) -> Path:
    """Store the values Excel would have cached for formula cells (openpyxl writes none)."""
    part = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    xml = files[part].decode()
    for cell, value in values.items():
        pattern = rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/>'
        kind = "" if re.fullmatch(r"-?\d+(\.\d+)?", value) else ' t="str"'
        xml, count = re.subn(pattern, rf'<c r="{cell}"\1{kind}><f>\2</f><v>{value}</v>', xml)
        assert count == 1, f"no formula in {cell}"
    files[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def insz(birth: str, sequence: int = 1) -> str:
    """A valid INSZ for a birth date `YYMMDD`; births from 2000 when YY < 30."""
    base = int(f"{birth}{sequence:03d}")
    prefix = 2_000_000_000 if int(birth[:2]) < 30 else 0
    return f"{base:09d}{97 - (prefix + base) % 97:02d}"


def enterprise(base: int) -> str:
    """A valid 10-digit enterprise number from its first 8 digits."""
    return f"{base:08d}{97 - base % 97:02d}"


def nsso(base: int) -> str:
    """A valid 9-digit NSSO number ((number + 1) mod 97 == 0)."""
    return f"{97 * base - 1:09d}"
