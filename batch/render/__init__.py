"""The last stage: declarations and problems become files a person reads and prints.

Each report is written twice, as a workbook to sort and filter and as an HTML page to read
and print, in Dutch, French or English; every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import Declaration, Problem
from .atomic import atomic_write, private_folder, remove_temporaries, writable_folder
from .excel import write_receipts_xlsx, write_table, write_validation_xlsx
from .html import SPLIT_OVER, write_html, write_receipts_html, write_validation_html
from .labels import LANGUAGES, label, labels
from .mask import mask_corrections, mask_declarations, mask_insz, mask_problems, mask_text
from .summary import summarize

_CORRECTIONS = ("write_corrections", "write_corrections_html", "write_corrections_xlsx")

__all__ = [
    "LANGUAGES",
    "atomic_write",
    "label",
    "labels",
    "mask_corrections",
    "mask_declarations",
    "mask_insz",
    "mask_problems",
    "mask_text",
    "private_folder",
    "remove_temporaries",
    "writable_folder",
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


def __getattr__(name: str) -> object:
    """The corrections' writers, imported on first use: only a reconcile writes them."""
    if name in _CORRECTIONS:
        from . import corrections

        return getattr(corrections, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_receipts(
    declarations: Sequence[Declaration],
    out_dir: Path,
    lang: str = "nl",
    title_note: str = "",
    *,
    name: str = "receipts",
    mask: bool = False,
) -> list[Path]:
    """receipts.xlsx and receipts.html (or NAME.xlsx, NAME.html) in `out_dir`.

    Over SPLIT_OVER receipts, receipts.html is an index of the pages in `receipts/` (NAME/).

    `mask` shows every INSZ as 93.05.18-***.** (receipts sent to a client employer).
    """
    out = private_folder(out_dir)
    if mask:
        declarations = mask_declarations(declarations)
    summary = summarize(declarations)  # the same sums on both, worked out once
    paths = [
        write_receipts_xlsx(declarations, out / f"{name}.xlsx", lang, summary=summary),
        write_receipts_html(declarations, out / f"{name}.html", lang, title_note, summary=summary),
    ]
    if len(declarations) > SPLIT_OVER:
        paths.append(out / name)  # the folder of the employers' pages
    return paths


def write_validation(
    problems: Sequence[Problem], out_dir: Path, lang: str = "nl", *, mask: bool = False
) -> list[Path]:
    """validation.xlsx and validation.html in `out_dir` (created if missing)."""
    out = private_folder(out_dir)
    if mask:
        problems = mask_problems(problems)
    return [
        write_validation_xlsx(problems, out / "validation.xlsx", lang),
        write_validation_html(problems, out / "validation.html", lang),
    ]
