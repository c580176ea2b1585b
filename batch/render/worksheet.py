"""The web-form worksheet: what a clerk types, screen by screen, in deadline order.

Rows are grouped by employer, then by worker and work day (one identification serves every
period of that worker that day), and ordered so that what is due first comes first. Only
the three columns the clerk fills in are unlocked; the row key lets the import find each
row again whatever the clerk does to the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..identifiers import format_enterprise, format_insz
from ..model import BRUSSELS, Kind, Worker, WorksheetItem
from .atomic import private_folder
from .excel import write_table
from .html import _words, write_html
from .labels import label
from .values import format_datetime

COLUMNS = (
    ("ws_key", "text"),
    ("deadline", "datetime"),
    ("enterprise_number", "text"),
    ("employer", "text"),
    ("ws_type", "text"),
    ("ws_period_to_change", "text"),
    ("insz", "text"),
    ("ws_identification", "text"),
    ("last_name", "text"),
    ("first_name", "text"),
    ("joint_committee", "text"),
    ("worker_type", "text"),
    ("ws_work_day", "text"),
    ("ws_from", "text"),
    ("ws_to", "text"),
    ("ws_end_day", "text"),
    ("ws_was", "text"),
    ("period_number", "text"),
    ("status", "text"),
    ("sent_at", "datetime"),
)
FILL_IN = ("period_number", "status", "sent_at")
_TYPE = {Kind.IN: "ws_in", Kind.UPDATE: "ws_update", Kind.CANCEL: "ws_cancel"}


def ordered(items: Sequence[WorksheetItem]) -> list[list[WorksheetItem]]:
    """Worker-day groups, employer by employer, each in order of its first deadline."""
    groups: dict[tuple[str, str, object], list[WorksheetItem]] = {}
    for item in sorted(items, key=lambda i: (i.deadline, i.key)):
        day = item.start.astimezone(BRUSSELS).date()
        groups.setdefault((item.employer.enterprise_number, item.worker.key, day), []).append(item)
    first_due: dict[str, object] = {}
    for (employer, _, _), group in groups.items():
        first_due.setdefault(employer, group[0].deadline)
    return sorted(
        groups.values(),
        key=lambda g: (
            first_due[g[0].employer.enterprise_number],
            g[0].employer.enterprise_number,
            g[0].deadline,
        ),
    )


def identification_text(worker: Worker) -> str:
    """The web form's identification screen for a worker without INSZ, on one line."""
    i = worker.identification
    if worker.insz or i is None:
        return ""
    street = " ".join(p for p in (i.street, i.house_number, i.box and f"bus {i.box}") if p)
    parts = [
        f"{worker.last_name} {worker.first_name}".strip(),
        f"° {i.birth_date:%d/%m/%Y} {i.birth_place}".strip(),
        i.gender,
        street,
        f"{i.postal_code} {i.municipality}".strip(),
        i.country,
        i.nationality,
    ]
    return ", ".join(p for p in parts if p)


def _row(item: WorksheetItem, lang: str) -> list[object]:
    start = item.start.astimezone(BRUSSELS)
    end = item.end.astimezone(BRUSSELS)
    was = ""
    if item.kind is Kind.UPDATE and item.previous_start and item.previous_end:
        was = (
            f"{format_datetime(item.previous_start)}-{item.previous_end.astimezone(BRUSSELS):%H:%M}"
        )
    return [
        item.key,
        item.deadline,
        format_enterprise(item.employer.enterprise_number),
        item.employer.name,
        label(_TYPE[item.kind], lang),
        item.period_id if item.kind is not Kind.IN else "",
        item.worker.insz,
        identification_text(item.worker),
        item.worker.last_name,
        item.worker.first_name,
        label("ws_joint_committee", lang),
        label("ws_worker_type", lang),
        f"{start:%d/%m/%Y}",
        f"{start:%H:%M}",
        f"{end:%H:%M}",
        f"{end:%d/%m/%Y}" if end.date() != start.date() else "",
        was,
        "",
        "",
        None,
    ]


def write_worksheet_xlsx(items: Sequence[WorksheetItem], path: Path, lang: str = "nl") -> Path:
    rows = [_row(item, lang) for group in ordered(items) for item in group]
    headers = [label(key, lang) for key, _ in COLUMNS]
    editable = [i for i, (key, _) in enumerate(COLUMNS) if key in FILL_IN]
    return write_table(
        path,
        label("worksheet_sheet", lang),
        headers,
        rows,
        [kind for _, kind in COLUMNS],
        title=label("worksheet_title", lang),
        editable=editable,
    )


@dataclass
class _Block:
    employer: str
    enterprise_number: str
    insz: str
    identification: str
    name: str
    day: str
    items: list[dict] = field(default_factory=list)


def write_worksheet_html(
    items: Sequence[WorksheetItem], path: Path, lang: str = "nl", title_note: str = ""
) -> Path:
    blocks = []
    for group in ordered(items):
        first = group[0]
        block = _Block(
            employer=first.employer.name,
            enterprise_number=format_enterprise(first.employer.enterprise_number),
            insz=format_insz(first.worker.insz),
            identification=identification_text(first.worker),
            name=f"{first.worker.last_name} {first.worker.first_name}".strip(),
            day=f"{first.start.astimezone(BRUSSELS):%d/%m/%Y}",
        )
        for item in group:
            row = _row(item, lang)
            block.items.append(
                {
                    "key": item.key,
                    "kind": item.kind.value,
                    "type": row[4],
                    "period": row[5],
                    "deadline": format_datetime(item.deadline),
                    "day": row[12],
                    "start": row[13],
                    "end": row[14],
                    "end_day": row[15],
                    "was": row[16],
                }
            )
        blocks.append(block)
    t = _words(lang)
    return write_html(
        path,
        "worksheet.html",
        lang=lang,
        t=t,
        title=t.worksheet_title,
        title_note=title_note,
        sandbox=False,
        blocks=blocks,
    )


def write_worksheet(
    items: Sequence[WorksheetItem], out_dir: Path, lang: str = "nl", title_note: str = ""
) -> list[Path]:
    """worksheet.xlsx and worksheet.html in `out_dir`.

    Never masked (`--mask-insz`): the worksheet is what a clerk types, the full INSZ included.
    """
    out = private_folder(out_dir)
    return [
        write_worksheet_xlsx(items, out / "worksheet.xlsx", lang),
        write_worksheet_html(items, out / "worksheet.html", lang, title_note),
    ]
