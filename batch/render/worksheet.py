"""The web-form worksheet: what a clerk types, screen by screen, in deadline order.

Rows are grouped by employer, then by worker and work day (one identification serves every
period of that worker that day), and ordered so that what is due first comes first. Only
the three columns the clerk fills in are unlocked; the row key lets the import find each
row again whatever the clerk does to the order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import BRUSSELS, Kind, Result, Worker, WorksheetItem
from ..rules import is_late
from .atomic import private_folder
from .excel import write_table
from .html import _words, write_html
from .labels import label, status_label
from .values import REFUSED_FILL, enterprise_text, format_datetime, insz_text

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
    ("past_deadline", "text"),
    ("period_number", "text"),
    ("status", "text"),
    ("sent_at", "datetime"),
)
FILL_IN = ("period_number", "status", "sent_at")
_TYPE = {Kind.IN: "ws_in", Kind.UPDATE: "ws_update", Kind.CANCEL: "ws_cancel"}
OVERDUE_FILL = REFUSED_FILL  # light red, as a late row of the correction report


def status_choices(lang: str) -> list[str]:
    """The Status drop-down: the web form's words in the report's language, which the
    worksheet's import reads back (batch.channels.web.read_status)."""
    return [status_label(result, lang) for result in Result]


def overdue(item: WorksheetItem, as_of: dt.datetime | None) -> bool:
    """Its deadline has passed at `as_of`: typed now, the NSSO sees it as late."""
    return as_of is not None and is_late(as_of, item.deadline)


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


def _row(item: WorksheetItem, lang: str, as_of: dt.datetime | None = None) -> list[object]:
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
        enterprise_text(item.employer.enterprise_number),
        item.employer.name,
        label(_TYPE[item.kind], lang),
        item.period_id if item.kind is not Kind.IN else "",
        insz_text(item.worker.insz),
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
        label("past_deadline", lang) if overdue(item, as_of) else "",
        "",
        "",
        None,
    ]


def write_worksheet_xlsx(
    items: Sequence[WorksheetItem],
    path: Path,
    lang: str = "nl",
    as_of: dt.datetime | None = None,
) -> Path:
    """worksheet.xlsx: rows past their deadline at `as_of` flagged and coloured; the Status
    column offers the web form's words."""
    queue = [item for group in ordered(items) for item in group]
    headers = [label(key, lang) for key, _ in COLUMNS]
    keys = [key for key, _ in COLUMNS]
    editable = [i for i, key in enumerate(keys) if key in FILL_IN]
    return write_table(
        path,
        label("worksheet_sheet", lang),
        headers,
        [_row(item, lang, as_of) for item in queue],
        [kind for _, kind in COLUMNS],
        title=label("worksheet_title", lang),
        editable=editable,
        row_fills=[OVERDUE_FILL if overdue(item, as_of) else None for item in queue],
        choices={keys.index("status"): status_choices(lang)},
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
    items: Sequence[WorksheetItem],
    path: Path,
    lang: str = "nl",
    title_note: str = "",
    as_of: dt.datetime | None = None,
) -> Path:
    blocks = []
    for group in ordered(items):
        first = group[0]
        block = _Block(
            employer=first.employer.name,
            enterprise_number=enterprise_text(first.employer.enterprise_number),
            insz=insz_text(first.worker.insz),
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
                    "overdue": overdue(item, as_of),
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
    items: Sequence[WorksheetItem],
    out_dir: Path,
    lang: str = "nl",
    title_note: str = "",
    as_of: dt.datetime | None = None,
) -> list[Path]:
    """worksheet.xlsx and worksheet.html in `out_dir`; items past their deadline at `as_of`
    (the batch's moment) flagged.

    Never masked (`--mask-insz`): the worksheet is what a clerk types, the full INSZ included.
    """
    out = private_folder(out_dir)
    return [
        write_worksheet_xlsx(items, out / "worksheet.xlsx", lang, as_of),
        write_worksheet_html(items, out / "worksheet.html", lang, title_note, as_of),
    ]
