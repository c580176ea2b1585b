"""The limits a file must keep to be read, in one place (the README lists them).

They admit a real 1,048,576-row roster of ordinary width (about 0.5 GB of sheet XML that
compresses about 10:1) and refuse what only a hostile or broken file holds: a zip bomb
compresses hundreds to one, one cell at XFD1048576 spans 17 billion cells.
"""

from __future__ import annotations

MIB = 1 << 20
GIB = 1 << 30

MAX_PART_BYTES = 2 * GIB
"""One part of the workbook (a sheet's XML, the shared strings), uncompressed."""
MAX_TOTAL_BYTES = 4 * GIB
"""All parts of the workbook together, uncompressed."""
MAX_RATIO = 100
"""Uncompressed to compressed size of one part; sheet XML compresses about 10:1."""
RATIO_FROM_BYTES = 1 * MIB
"""The ratio is held against parts larger than this only (tiny parts compress as they like)."""
MAX_PARTS = 10_000
"""Files inside the workbook's zip."""
MAX_CELLS = 1_048_576 * 32
"""Cells of one sheet from A1 to its furthest cell: all 1,048,576 rows, 32 columns (A:AF).

At least 1,048,576 × 26: the scan counts only columns beyond Z (`xlsx._scan_sheet`)."""
MAX_COLUMN = 16_384
"""Excel's last column (XFD): a `<col max=...>` beyond it stops there."""
OLE_SCAN_BYTES = 64 * MIB
"""How much of an OLE2 file (an .xls, an encrypted workbook) is searched for its streams."""

# --- text files (.csv) ----------------------------------------------------------------------

MAX_TEXT_BYTES = 1 * GIB
"""A CSV file on disk: a full 1,048,576-row roster of ordinary width is about 150 MB."""
MAX_LINE_BYTES = 1 * MIB
"""One line of a CSV file; a roster's line is a few hundred bytes."""
TEXT_CHUNK = 1 * MIB
"""How much of a CSV file is checked at a time (encoding, NUL bytes, line lengths)."""
