"""The xlsx source: an Excel workbook (.xlsx, .xlsm) to one `Cells` per sheet, via calamine.

Before calamine sees a file, the file is checked (`inspect`) within the limits of
`batch.read.limits`, from the zip directory and a streamed scan of each sheet's XML; a file
that fails is refused with one problem naming it, and calamine never opens it:

- not a zip at all, an old `.xls` or a password-protected workbook (OLE2 files), an `.ods`
  saved as `.xlsx`;
- a part too large, all parts too large, or a part compressed beyond `MAX_RATIO` (zip bomb);
- a `<!DOCTYPE` or `<!ENTITY` in any XML part (billion laughs, external entities): nothing in
  a workbook needs one, and what we parse ourselves goes through defusedxml;
- a sheet whose cells span more than `MAX_CELLS` from A1 (one cell at XFD1048576).

What clients' workbooks hold besides values, and what this source does with it:

- Merged cells: the value of a merged range applies to every cell of the range.
- Hidden rows, columns and sheets are read: a hidden row in a roster is usually still a
  shift (a filter left on, a row folded away), and declaring it with a warning is safer than
  dropping it unseen (one warning per hidden row read). Calamine does not tell which rows are
  hidden, so the flags come from the same scan of the sheet XML.
- Formulas count by the value Excel cached when it saved the file; macros are never run.
- A number formatted as a date or time that no calendar holds (`-1e308`) becomes text, so
  that only its row is rejected.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from ..messages import problem
from ..model import Problem
from .cells import Cells, fill_merged
from .limits import (
    MAX_CELLS,
    MAX_COLUMN,
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    OLE_SCAN_BYTES,
    RATIO_FROM_BYTES,
)
from .values import column_letter, letter_index


class Refused(Exception):
    """A file the source will not hand to calamine; `problem` says why, naming the file."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class SheetScan:
    """What the scan of one sheet's XML found."""

    hidden_rows: set[int] = field(default_factory=set)
    """Excel row numbers (1-based)."""
    hidden_columns: set[int] = field(default_factory=set)
    """0-based indexes."""
    last_row: int = 0
    last_column: int = 0
    """1-based: the furthest row and column a cell names."""
    cells: int = 0
    huge_numbers: bool = False
    """A number of 1e11 or more: formatted as a date or time it would crash calamine."""


def read_cells(path: Path, year: int | None = None) -> Iterator[Cells | Problem]:
    """Each sheet of the workbook as Cells; a file refused or unreadable is one Problem."""
    try:
        scans = inspect(path)
    except Refused as refused:
        yield refused.problem
        return
    try:
        if any(scan.huge_numbers for scan in scans.values()):
            workbook = CalamineWorkbook.from_filelike(_dates_as_text(path))
        else:
            workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError, zipfile.BadZipFile) as error:
        yield problem("unreadable_file", file=path.name, sheet="", error=str(error) or type(error))
        return
    visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
    for name in workbook.sheet_names:
        try:
            calamine_sheet = workbook.get_sheet_by_name(name)
            end_row, end_column = calamine_sheet.end or (0, 0)
            if (end_row + 1) * (end_column + 1) > MAX_CELLS:
                yield _too_large(path, name, end_row + 1, end_column + 1)
                continue
            values = _values(path, name, calamine_sheet)
        except (CalamineError, ValueError) as error:
            yield problem("unreadable_file", file=path.name, sheet=name, error=str(error))
            continue
        scan = scans.get(name, SheetScan())
        yield Cells(
            path.name,
            name,
            fill_merged(values, calamine_sheet.merged_cell_ranges or []),
            frozenset(scan.hidden_rows),
            frozenset(scan.hidden_columns),
            hidden=not visible.get(name, True),
            year=year,
        )


def _values(path: Path, name: str, calamine_sheet) -> list[list]:
    """The sheet's values from A1; a date cell no calendar holds read again as text."""
    try:
        return rows_from_a1(calamine_sheet)
    except BaseException as error:  # calamine panics on a date like -1e308 (a PanicException)
        if not (_is_panic(error) or isinstance(error, OverflowError)):  # 1e9 days as [h]:mm
            raise
    try:
        workbook = CalamineWorkbook.from_filelike(_dates_as_text(path))
        return rows_from_a1(workbook.get_sheet_by_name(name))
    except BaseException as error:
        if not _is_panic(error):
            raise
        raise ValueError(str(error)) from None


# The values a cell holds as an object of its own, shared between equal cells; a number is
# small, and would not do (-0.0 equals 0.0, 1 equals 1.0 and True).
_SHARED = frozenset((str, dt.datetime, dt.date, dt.time, dt.timedelta))


def rows_from_a1(calamine_sheet) -> list[list]:
    """The sheet's values from A1, as calamine's `to_python(skip_empty_area=False)` has them,
    with equal texts, dates and times held as one object.

    Calamine gives each cell an object of its own, all rows at once; a long roster repeats
    its employers, workers, days and times on row after row. Here the rows come one at a
    time and each repeated value is kept once: at a million rows, that was most of the
    memory of reading. Equal values of two types are never one (a date is no date-time).
    """
    end = calamine_sheet.end
    if end is None:
        return []
    height, width = end[0] + 1, end[1] + 1
    seen: dict[object, object] = {}
    share = seen.setdefault
    rows: list[list] = []
    for row in calamine_sheet.iter_rows():
        line = [share(v, v) if type(v) in _SHARED else v for v in row]
        if len(line) < width:  # the rows start at the sheet's first used column
            line[:0] = [""] * (width - len(line))
        rows.append(line)
    if len(rows) < height:  # and at its first used row
        rows[:0] = [[""] * width for _ in range(height - len(rows))]
    if len(rows) != height:
        raise ValueError(f"calamine gave {len(rows)} rows of a sheet {height} high")
    return rows


def _is_panic(error: BaseException) -> bool:
    return type(error).__name__ == "PanicException"


# Excel's number formats that show a date or time (ECMA-376 18.8.30), and the characters
# of a format code that do, outside quoted text, [colours] and escaped characters.
_DATE_FORMATS = frozenset((*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)))
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_NUMBER_CELL = re.compile(rb"<c\b([^>]*)><v>([^<]*)</v></c>")
_STYLE = re.compile(rb'\ss="(\d+)"')
_TYPE = re.compile(rb'\st="([^"]*)"')
_LAST_SERIAL = 2_958_466  # 9999-12-31 is serial 2,958,465


def _dates_as_text(path: Path) -> io.BytesIO:
    """A copy of the workbook whose date-formatted numbers outside the calendar are text."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(out, "w") as copy:
        styles = _date_styles(archive)
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = _NUMBER_CELL.sub(lambda m: _as_text(m, styles), data)
            copy.writestr(info, data)
    out.seek(0)
    return out


def _as_text(match: re.Match[bytes], styles: frozenset[int]) -> bytes:
    attributes, value = match.group(1), match.group(2)
    kind = _TYPE.search(attributes)
    style = _STYLE.search(attributes)
    if (kind and kind.group(1) != b"n") or not style or int(style.group(1)) not in styles:
        return match.group()
    try:
        number = float(value)
    except ValueError:
        return match.group()
    if 0 <= number < _LAST_SERIAL:
        return match.group()
    attributes = _TYPE.sub(b"", attributes)
    return b'<c%s t="str"><v>%s</v></c>' % (attributes, value)


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles (`s="..."`) that show a number as a date or time."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        styles = SafeET.fromstring(archive.read("xl/styles.xml"))
    except (KeyError, SafeET.ParseError, DefusedXmlException):
        return frozenset()
    codes = {f.get("numFmtId"): f.get("formatCode", "") for f in styles.iter(f"{main}numFmt")}
    found = set()
    xfs = styles.find(f"{main}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else ()):
        number_format = xf.get("numFmtId", "0")
        code = _FORMAT_LITERALS.sub("", codes.get(number_format, ""))
        if (number_format.isdigit() and int(number_format) in _DATE_FORMATS) or _DATE_CODE.search(
            code
        ):
            found.add(index)
    return frozenset(found)


def hidden_flags(path: Path) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """Per sheet name: hidden rows (Excel numbers) and hidden columns (0-based).

    Best effort: a workbook whose XML this cannot follow is read as if nothing were hidden.
    """
    try:
        scans = inspect(path)
    except Refused:
        return {}
    return {n: (frozenset(s.hidden_rows), frozenset(s.hidden_columns)) for n, s in scans.items()}


# --- the checks before calamine -------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MARKUP_DECLARATION = (b"<!", "<!".encode("utf-16-le"), "<!".encode("utf-16-be"))
_ENTITY_MARKS = tuple(
    re.compile(b"\\x00?".join(re.escape(bytes([c])) for c in mark.encode()), re.IGNORECASE)
    for mark in ("<!DOCTYPE", "<!ENTITY")
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def inspect(path: Path) -> dict[str, SheetScan]:
    """The file checked against the limits before calamine opens it; per sheet, its scan.

    Raises Refused with the one problem that names the file (and the sheet and cell if known).
    """
    name = path.name

    def refuse(code: str, sheet: str = "", cell: str = "", **params: object) -> Refused:
        return Refused(problem(code, file=name, sheet=sheet, cell=cell, **params))

    try:
        with path.open("rb") as stream:
            head = stream.read(len(_OLE2))
            if head == _OLE2:
                content = head + stream.read(OLE_SCAN_BYTES)
                raise refuse("encrypted_file" if _ENCRYPTED in content else "xls_file")
    except OSError as error:
        raise refuse("unreadable_file", error=str(error) or type(error).__name__) from None
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise refuse("not_a_workbook") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise refuse("too_many_parts", found=len(infos), limit=MAX_PARTS)
        total = 0
        for info in infos:
            size = info.file_size
            total += size
            ratio = size / max(info.compress_size, 1)
            if size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
                raise refuse("zip_bomb", part=info.filename, ratio=f"{ratio:.0f}", limit=MAX_RATIO)
            if size > MAX_PART_BYTES:
                raise refuse(
                    "part_too_large", part=info.filename, size=_mb(size), limit=_mb(MAX_PART_BYTES)
                )
        if total > MAX_TOTAL_BYTES:
            raise refuse("workbook_too_large", size=_mb(total), limit=_mb(MAX_TOTAL_BYTES))
        try:
            if "mimetype" in {i.filename for i in infos}:
                with archive.open("mimetype") as part:
                    if b"opendocument" in part.read(200):
                        raise refuse("ods_file")
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    with archive.open(info) as part:
                        if _has_entities(part.read(_HEAD)):
                            raise refuse("xml_entities", part=info.filename)
            try:
                parts = _sheet_parts(archive)
            except (KeyError, SafeET.ParseError, ValueError):
                # Sheets we cannot name are still scanned for their size (calamine, more
                # lenient, may read them); without a name, their hidden rows are not known.
                parts = [("", i.filename) for i in infos if i.filename.endswith(".xml")]
        except DefusedXmlException:
            raise refuse("xml_entities", part="xl/workbook.xml") from None
        except _BROKEN as error:
            raise refuse("unreadable_file", error=str(error) or type(error).__name__) from None
        scans = {}
        for sheet, part in parts:
            try:
                scan = _scan_sheet(archive, part)
            except KeyError:
                continue
            except _BROKEN as error:
                raise refuse("unreadable_file", error=str(error) or type(error).__name__) from None
            if scan is None:
                raise refuse("xml_entities", part=part)
            if scan.last_row * scan.last_column > MAX_CELLS or scan.cells > MAX_CELLS:
                raise Refused(_too_large(path, sheet, scan.last_row, scan.last_column))
            scans[sheet] = scan
    return scans


# A zip whose parts cannot be inflated: damaged, encrypted entries, an unknown compression.
_BROKEN = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error)


def _too_large(path: Path, sheet: str, rows: int, columns: int) -> Problem:
    return problem(
        "sheet_too_large",
        file=path.name,
        sheet=sheet,
        cell=f"{column_letter(max(columns, 1) - 1)}{max(rows, 1)}",
        limit=f"{MAX_CELLS:,}",
    )


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


_HEAD = 64 << 10  # a DOCTYPE stands in the prolog, before the root element


def _has_entities(text: bytes) -> bool:
    """A DOCTYPE or ENTITY declaration, in UTF-8 or UTF-16 (`<!` is rare: check it first;
    in UTF-16 it holds a zero byte, which a part in UTF-8 never has: one quick look)."""
    marks = _MARKUP_DECLARATION if b"\x00" in text else _MARKUP_DECLARATION[:1]
    if not any(mark in text for mark in marks):
        return False
    return any(mark.search(text) for mark in _ENTITY_MARKS)


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


_ROW_HIDDEN = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COL_HIDDEN = re.compile(rb'<col\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_ROW_TAG = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_COL_SPAN = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')
_CHUNK = 1 << 20
_OVERLAP = 2048  # longer than any <row> or <col> tag


def _scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetScan | None:
    """Hidden rows and columns, extent and cell count of a sheet, streamed; None: entities.

    Bytes only, a chunk at a time (0.5 GB of XML in a few seconds): the furthest column is
    looked for only among references of two or three letters (AA and beyond), which a roster
    of ordinary width never has; columns A to Z stay within MAX_CELLS at any height.
    """
    scan = SheetScan()
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            if _has_entities(text):
                return None
            scan.cells += chunk.count(b"<c")  # with <col>, <color>...: an upper bound
            for tag in _ROW_HIDDEN.finditer(text) if b'hidden="' in text else ():
                number = _ROW_NUMBER.search(tag.group())
                if number:
                    scan.hidden_rows.add(int(number.group(1)))
            if b"<col" in text:
                for tag in _COL_HIDDEN.finditer(text):
                    span = _COL_SPAN.search(tag.group())
                    if span:
                        low = int(span.group(1) or span.group(4))
                        high = min(int(span.group(2) or span.group(3)), MAX_COLUMN)
                        scan.hidden_columns.update(range(low - 1, high))
            if not scan.huge_numbers and _HUGE_NUMBER.search(text):
                scan.huge_numbers = True
            # Excel and most writers put `r` first, after one space: the fast patterns match
            # then; a chunk where they miss some (counted) is read with the general ones.
            rows = _ROW_FIRST.findall(text)
            wide = _WIDE_FIRST.findall(text)
            if (
                len(rows) < text.count(b"<row")
                or text.count(b' r="') < text.count(b'r="')
                or b":row" in text
            ):
                rows, wide = _ROW_TAG.findall(text), _WIDE_REFERENCE.findall(text)
            if rows:
                scan.last_row = max(scan.last_row, *map(int, rows))
            for letters, number in wide:
                scan.last_column = max(scan.last_column, letter_index(letters.decode()) + 1)
                scan.last_row = max(scan.last_row, int(number))
            tail = text[-_OVERLAP:]
    scan.last_column = max(scan.last_column, 1 if scan.cells else 0)
    return scan


_HUGE_NUMBER = re.compile(rb"<v>\s*-?(?:\d{12,}|[\d.]+[eE]\+?(?:1[1-9]|[2-9]\d|\d{3,}))")
_WIDE_REFERENCE = re.compile(rb'\sr="([A-Z]{2,3})(\d+)"')
_WIDE_FIRST = re.compile(rb' r="([A-Z]{2,3})(\d+)"')
_ROW_FIRST = re.compile(rb'<row r="(\d+)"')
