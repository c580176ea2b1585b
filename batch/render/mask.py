"""INSZ numbers masked for reports that leave the office (`--mask-insz`): 93.05.18-***.**.

The birth date stays, so a client employer can still tell two workers apart; the serial
number and check digits do not leave. Masking works on the records before they are
rendered, so every report (workbook and page, every text cell) is masked the same way. The
ledger, the payroll export and the web-form worksheet (what a clerk types) are never masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from ..model import Correction, Declaration, Problem, Worker

# An INSZ written as a number or the way the web form prints it (93.05.18-223.61), not
# part of a longer number (a 12-digit period number is not an INSZ).
_INSZ = re.compile(r"(?<![\d])(\d{2})[. ]?(\d{2})[. ]?(\d{2})[-. ]?\d{3}[. ]?\d{2}(?![\d])")


def mask_insz(insz: str) -> str:
    """`93051822361` (or anything typed in an INSZ cell) as `93.05.18-***.**`."""
    digits = re.sub(r"\D", "", insz)
    if not insz:
        return ""
    if len(digits) < 6:
        return "***"
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-***.**"


def mask_text(text: str) -> str:
    """Every INSZ in a text (an anomaly, a note, a problem's value) masked."""
    if not text:
        return text
    return _INSZ.sub(lambda m: f"{m[1]}.{m[2]}.{m[3]}-***.**", text)


def _worker(worker: Worker) -> Worker:
    return replace(worker, insz=mask_insz(worker.insz))


def mask_declarations(declarations: Iterable[Declaration]) -> list[Declaration]:
    """Receipts: the INSZ column and anomalies that quote one ("INSZ ... is not valid")."""
    return [
        replace(
            d,
            worker=_worker(d.worker),
            anomalies=tuple(mask_text(a) for a in d.anomalies),
            source=mask_text(d.source),
            payload={},
        )
        for d in declarations
    ]


def mask_corrections(corrections: Iterable[Correction]) -> list[Correction]:
    return [replace(c, worker=_worker(c.worker), note=mask_text(c.note)) for c in corrections]


def mask_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Validation: a value found in an INSZ cell is masked whole, however it was typed."""
    masked = []
    for p in problems:
        in_insz_cell = "insz" in p.code.lower() or p.column.strip().upper() in ("INSZ", "NISS")
        masked.append(
            replace(
                p,
                value=mask_insz(p.value) if in_insz_cell else mask_text(p.value),
                message=mask_text(p.message),
                params=tuple((k, mask_text(str(v))) for k, v in p.params),
            )
        )
    return masked
