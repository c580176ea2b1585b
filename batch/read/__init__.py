"""The reading stage: rosters and actuals (files, folders) to raw rows that keep their cells.

Imports go one way: `aliases`, `limits` and `values` (data, plain values) ← `records` and
`cells` (what is read) ← the sources (`xlsx`; `delimited` for .csv) and `headers` ← the
layouts (`long`, `grid`, `employers`) ← `detect` (which layout a sheet holds) ← `rosters`
(the entry points, one source per file suffix). A source turns a file into `Cells`; a layout
reads only `Cells`, so a new source is one new module and one line in `rosters.SOURCES`.
"""

from __future__ import annotations

from .records import Column, Reading, Sheet
from .rosters import expand_paths, read_rosters

__all__ = ["Column", "Reading", "Sheet", "expand_paths", "read_rosters"]
