"""The HTML reports: printable pages rendered from jinja2 templates, escaped throughout.

The templates only loop and test; every value reaches them already formatted (Brussels
time, dotted identifiers, words in the report's language), prepared here.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2

from ..anomalies import translate
from ..model import JOINT_COMMITTEE, WORKER_TYPE, Declaration, Problem, Result, Severity, Worker
from .atomic import atomic_write
from .excel import problem_words
from .labels import channel_label, kind_label, label, labels, severity_label, status_label
from .summary import Tally, summarize
from .values import enterprise_text, format_datetime, hours_text, insz_text

_STATUS_CLASS: dict[Result, str] = {
    Result.ACCEPTED: "ok",
    Result.WARNING: "attention",
    Result.REFUSED: "refused",
    Result.PENDING: "pending",
}


def template_dirs() -> list[Path]:
    """Where the templates are: inside the installed package, else the source checkout's."""
    found: list[Path] = []
    packaged = resources.files("batch") / "templates"
    if isinstance(packaged, Path) and packaged.is_dir():
        found.append(packaged)
    found.append(Path(__file__).resolve().parents[2] / "templates")
    return found


@functools.cache
def environment() -> jinja2.Environment:
    """One shared environment: autoescape always on, a missing variable is an error."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dirs()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def write_html(path: str | os.PathLike[str], template_name: str, **context: Any) -> Path:
    """Render `template_name` with `context` into `path`, streamed and atomically."""
    target = Path(path)
    template = environment().get_template(template_name)
    with atomic_write(target) as temporary, temporary.open("w", encoding="utf-8") as out:
        out.writelines(template.generate(**context))
    return target


# --- receipts --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReceiptView:
    """Everything one receipt shows, as display strings (attributes: fast in jinja2)."""

    anchor: str
    kind: str
    kind_word: str
    period_id: str
    declaration_id: str
    status: str
    status_class: str
    attention: bool
    late: bool
    sent_at: str
    start: str
    end: str
    enterprise_number: str
    nsso_number: str
    employer_name: str
    insz: str
    last_name: str
    first_name: str
    joint_committee: str
    worker_type: str
    employer_reference: str
    worker_reference: str
    declaration_reference: str
    anomalies: tuple[str, ...]
    source: str
    channel: str
    sandbox: bool
    identified_by: str = ""
    """A worker without INSZ: name, birth date and place, address."""
    answered_at: str = ""
    """A later answer (a pending IN resolved): when it came."""


@dataclass(frozen=True, slots=True)
class EmployerGroup:
    anchor: str
    name: str
    enterprise_number: str
    nsso_number: str
    receipts: list[ReceiptView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One line of the run's summary: an employer's total, one of its workers, or all."""

    enterprise_number: str
    employer: str
    insz: str
    name: str
    shifts: int
    hours: str
    warnings: int
    refused: int
    total: bool


def summary_view(declarations: Sequence[Declaration], lang: str) -> list[SummaryRow]:
    """The summary of receipts.xlsx's second sheet, as the lines of the index's table."""
    employers, overall = summarize(declarations)
    unit = label("hours_unit", lang)
    everyone = label("total", lang)

    def line(enterprise: str, employer: str, insz: str, name: str, t: Tally, total: bool):
        hours = hours_text(t.hours, unit, lang)
        return SummaryRow(
            enterprise, employer, insz, name, t.shifts, hours, t.warnings, t.refused, total
        )

    rows = []
    for e in employers:
        enterprise = enterprise_text(e.enterprise_number) or e.nsso_number
        rows.append(line(enterprise, e.name, "", everyone, e.tally, True))
        for w in e.workers:
            name = f"{w.last_name} {w.first_name}".strip()
            rows.append(line(enterprise, e.name, insz_text(w.insz), name, w.tally, False))
    rows.append(line("", label("all_employers", lang), "", everyone, overall, True))
    return rows


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: str
    css: str
    n: int


def write_receipts_html(
    declarations: Sequence[Declaration],
    path: str | os.PathLike[str],
    lang: str = "nl",
    title_note: str = "",
) -> Path:
    """receipts.html: one printable receipt per declaration, grouped by employer, indexed."""
    t = _words(lang)
    groups: dict[str, EmployerGroup] = {}
    counts = dict.fromkeys(Result, 0)
    for number, declaration in enumerate(declarations, start=1):
        employer = declaration.employer
        # One section per employer, even when a roster row spelled its name or NSSO
        # number differently: the enterprise number is who the employer is.
        key = employer.enterprise_number or employer.nsso_number
        group = groups.get(key)
        if group is None:
            group = groups[key] = EmployerGroup(
                anchor=f"e-{len(groups) + 1}",
                name=employer.name,
                enterprise_number=enterprise_text(employer.enterprise_number),
                nsso_number=employer.nsso_number,
            )
        group.receipts.append(_receipt_view(number, declaration, lang))
        counts[declaration.result] += 1

    return write_html(
        path,
        "receipts.html",
        lang=lang,
        t=t,
        title=t.receipts_title,
        title_note=title_note,
        sandbox=any(d.channel == "sandbox" for d in declarations),
        total=len(declarations),
        counts=[
            StatusCount(status_label(result, lang), _STATUS_CLASS[result], n)
            for result, n in counts.items()
        ],
        groups=list(groups.values()),
        summary=summary_view(declarations, lang) if declarations else [],
    )


def _receipt_view(number: int, d: Declaration, lang: str) -> ReceiptView:
    return ReceiptView(
        anchor=f"r-{number}",
        kind=str(d.kind),
        kind_word=kind_label(d.kind, lang),
        period_id=d.period_id or "",
        declaration_id=d.declaration_id,
        status=status_label(d.result, lang),
        status_class=_STATUS_CLASS[d.result],
        attention=d.result is Result.WARNING,
        late=d.late,
        sent_at=format_datetime(d.sent_at),
        start=format_datetime(d.start),
        end=format_datetime(d.end),
        enterprise_number=enterprise_text(d.employer.enterprise_number),
        nsso_number=d.employer.nsso_number,
        employer_name=d.employer.name,
        insz=insz_text(d.worker.insz),
        last_name=d.worker.last_name,
        first_name=d.worker.first_name,
        joint_committee=JOINT_COMMITTEE,
        worker_type=WORKER_TYPE,
        employer_reference=d.references.employer,
        worker_reference=d.references.worker,
        declaration_reference=d.references.declaration,
        anomalies=tuple(translate(a, lang) for a in d.anomalies),
        source=d.source,
        channel=channel_label(d.channel, lang),
        sandbox=d.channel == "sandbox",
        identified_by=identified_by(d.worker, lang),
        answered_at=format_datetime(d.answered_at),
    )


_BOX = {"nl": "bus", "fr": "bte", "en": "box"}


def identified_by(worker: Worker, lang: str = "nl") -> str:
    """`Peeters An, ° 18/05/1993 Gent, M; Kerkstraat 12 bus 3, 9000 Gent BE`; empty for an INSZ."""
    who = worker.identification
    if worker.insz or who is None:
        return ""
    name = " ".join(n for n in (worker.last_name, worker.first_name, who.middle_initial) if n)
    born = f"° {who.birth_date:%d/%m/%Y} {who.birth_place}".strip()
    if who.birth_country:
        born += f" ({who.birth_country})"
    street = " ".join(p for p in (who.street, who.house_number) if p)
    if who.box:
        street += f" {_BOX.get(lang, 'bus')} {who.box}"
    town = " ".join(p for p in (who.postal_code, who.municipality, who.country) if p)
    person = ", ".join(p for p in (name, born, who.gender, who.nationality) if p)
    return "; ".join(p for p in (person, ", ".join(p for p in (street, town) if p)) if p)


# --- validation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProblemView:
    row: str
    column: str
    cell: str
    value: str
    problem: str
    severity: str
    severity_class: str


@dataclass(frozen=True, slots=True)
class SheetGroup:
    name: str
    problems: list[ProblemView]


@dataclass(frozen=True, slots=True)
class FileGroup:
    name: str
    sheets: list[SheetGroup]


def write_validation_html(
    problems: Sequence[Problem], path: str | os.PathLike[str], lang: str = "nl"
) -> Path:
    """validation.html: the problems in their given order, grouped by file, then sheet."""
    t = _words(lang)
    files: dict[str, dict[str, list[ProblemView]]] = {}
    for p in problems:
        files.setdefault(p.file, {}).setdefault(p.sheet, []).append(
            ProblemView(
                row="" if p.row is None else str(p.row),
                column=p.column,
                cell=p.cell,
                value=p.value,
                problem=problem_words(p, lang),
                severity=severity_label(p.severity, lang),
                severity_class=str(p.severity),
            )
        )
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return write_html(
        path,
        "validation.html",
        lang=lang,
        t=t,
        title=t.validation_title,
        title_note="",
        sandbox=False,
        errors=errors,
        warnings=sum(1 for p in problems if p.severity is Severity.WARNING),
        files=[
            FileGroup(
                name=name,
                sheets=[
                    SheetGroup(name=sheet or t.no_sheet, problems=rows)
                    for sheet, rows in sheets.items()
                ],
            )
            for name, sheets in files.items()
        ],
    )


def _words(lang: str) -> SimpleNamespace:
    """The labels as attributes (`t.status`): jinja2 resolves an attribute fastest."""
    return SimpleNamespace(**labels(lang))
