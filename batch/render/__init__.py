"""The last stage: declarations and problems become files a person reads and prints.

Each report is written twice, as a workbook to sort and filter and as an HTML page to read
and print, in Dutch, French or English; every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import Declaration, Problem
from .atomic import atomic_write
from .corrections import write_corrections, write_corrections_html, write_corrections_xlsx
from .excel import write_receipts_xlsx, write_table, write_validation_xlsx
from .html import write_html, write_receipts_html, write_validation_html
from .labels import LANGUAGES, label, labels

__all__ = [
    "LANGUAGES",
    "atomic_write",
    "label",
    "labels",
    "write_corrections",
    "write_corrections_html",
    "write_corrections_xlsx",
    "write_html",
    "write_receipts",
    "write_receipts_html",
    "write_receipts_xlsx",
    "write_table",
    "write_validation",
    "write_validation_html",
    "write_validation_xlsx",
]


def write_receipts(
    declarations: Sequence[Declaration], out_dir: Path, lang: str = "nl", title_note: str = ""
) -> list[Path]:
    """receipts.xlsx and receipts.html in `out_dir` (created if missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [
        write_receipts_xlsx(declarations, out / "receipts.xlsx", lang),
        write_receipts_html(declarations, out / "receipts.html", lang, title_note),
    ]


def write_validation(problems: Sequence[Problem], out_dir: Path, lang: str = "nl") -> list[Path]:
    """validation.xlsx and validation.html in `out_dir` (created if missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [
        write_validation_xlsx(problems, out / "validation.xlsx", lang),
        write_validation_html(problems, out / "validation.html", lang),
    ]
