"""The CSV source: a time-clock or payroll export (.csv) to one `Cells`, read as a sheet is.

The file is one sheet with an empty name; row N is line N of the file and column letters
count fields as a spreadsheet opening the file would show them (`F7`), so a problem points at
the value as the clerk sees it. Every value is text: dates, hours (`9.5` included) and INSZ
numbers go through the same parsing as text cells of a workbook.

- Encoding: UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252 (what
  Excel saves as "CSV" on a Belgian PC); a file that is neither is refused.
- Separator: a first line `sep=;` (Excel's hint) names it; otherwise whichever of `;`, `,`
  and tab splits the first lines into the most lines of one width (a semicolon file with
  decimal commas, `9,5`, stays a semicolon file).
- Limits (`batch.read.limits`): the file's size, one line's length, 16,384 fields a line, and
  the cells of the sheet; a NUL byte or a zip or OLE2 signature means binary data. Lines are
  read with a length limit, so a hostile file never fills memory; what fails is one problem
  naming the file, and nothing of it is read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from pathlib import Path

from ..messages import problem
from ..model import Problem
from .cells import Cells, fill_merged
from .limits import MAX_CELLS, MAX_COLUMN, MAX_LINE_BYTES, MAX_TEXT_BYTES
from .values import column_letter

ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (";", ",", "\t")
SAMPLE_LINES = 50
_BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


class Refused(Exception):
    """A CSV file that is not read; `problem` names the file and says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_cells(path: Path, year: int | None = None) -> Iterator[Cells | Problem]:
    """The file as one sheet of text cells; a file refused or unreadable is one Problem."""
    try:
        values = read_values(path)
    except Refused as refused:
        yield refused.problem
        return
    yield Cells(path.name, "", fill_merged(values, []), year=year)


def read_values(path: Path) -> list[list]:
    """The file's records, padded so that list index + 1 is the line a record starts on."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as error:
        raise _refuse(name, "csv_unreadable", error=error.strerror or str(error)) from None
    if size > MAX_TEXT_BYTES:
        raise _refuse(name, "csv_too_large", size=_mb(size), limit=_mb(MAX_TEXT_BYTES))
    if head.startswith(_BINARY_SIGNATURES) or b"\x00" in head:
        raise _refuse(name, "csv_binary")
    for encoding in ENCODINGS:
        try:
            return _records(path, encoding)
        except UnicodeDecodeError:
            continue
        except csv.Error as error:
            raise _refuse(name, "csv_unreadable", error=str(error)) from None
        except OSError as error:
            raise _refuse(name, "csv_unreadable", error=error.strerror or str(error)) from None
    raise _refuse(name, "csv_binary")


def _records(path: Path, encoding: str) -> list[list]:
    """Read strictly in one encoding (UnicodeDecodeError: try the next one)."""
    with path.open(encoding=encoding, errors="strict", newline="") as stream:
        lines = _lines(stream, path.name)
        sample = list(islice(lines, SAMPLE_LINES))
        delimiter, hinted = _delimiter(sample)
        if hinted:
            sample[0] = "\n"  # the `sep=` line: an empty row, so line numbers stay right
        reader = csv.reader(chain(sample, lines), delimiter=delimiter)
        values: list[list] = []
        share = {}.setdefault  # a repeated text is kept once (see xlsx.rows_from_a1)
        widest = 0
        read_to = 0  # the last line read so far
        for record in reader:
            start = read_to + 1
            read_to = reader.line_num
            if len(record) > MAX_COLUMN:
                raise _refuse(
                    path.name, "csv_too_many_columns", line=start, found=f"{len(record):,}",
                    limit=f"{MAX_COLUMN:,}", cell=f"A{start}",
                )  # fmt: skip
            while len(values) < start - 1:  # a quoted value spanned lines: keep numbering
                values.append([])
            values.append([share(v, v) for v in record])
            widest = max(widest, len(record))
            if widest * len(values) > MAX_CELLS:
                raise _refuse(
                    path.name, "sheet_too_large", cell=f"{column_letter(widest - 1)}{start}",
                    limit=f"{MAX_CELLS:,}",
                )  # fmt: skip
    return values


def _lines(stream: io.TextIOBase, name: str) -> Iterator[str]:
    """The file's lines, each read with a limit: a longer line or a NUL byte is refused."""
    number = 0
    while line := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES:
            raise _refuse(name, "csv_line_too_long", line=number, limit=_mb(MAX_LINE_BYTES))
        if "\x00" in line:
            raise _refuse(name, "csv_binary", row=number)
        yield line


def _delimiter(sample: Sequence[str]) -> tuple[str, bool]:
    """The separator and whether the first line named it (`sep=;`)."""
    first = sample[0].strip() if sample else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], True
    return max(DELIMITERS, key=lambda d: _consistency(sample, d)), False


def _consistency(sample: Sequence[str], delimiter: str) -> tuple[int, int]:
    """Lines of the most common width above one, and that width: the larger, the likelier."""
    try:
        widths = Counter(len(r) for r in csv.reader(sample, delimiter=delimiter) if len(r) > 1)
    except csv.Error:
        return (0, 0)
    if not widths:
        return (0, 0)
    width, lines = max(widths.items(), key=lambda item: (item[1], item[0]))
    return (lines, width)


def _refuse(name: str, code: str, cell: str = "", row: int | None = None, **params) -> Refused:
    return Refused(problem(code, file=name, sheet="", row=row, cell=cell, **params))


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"
