"""The correction report: what was planned, declared and actually worked, side by side.

Written as corrections.xlsx (one row per correction, late and manual rows coloured) and
corrections.html (grouped by employer, late and manual items first, hour totals per
employer and what a person must do for every item the batch cannot repair itself).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..model import Action, Correction, DeadlineStatus, Finding, Result
from .atomic import private_folder
from .excel import ColumnKind, Sheet, joined_notes, write_workbook
from .html import _STATUS_CLASS, Moments, _escaped, _words, write_html
from .labels import (
    LABELS,
    action_label,
    channel_label,
    check_language,
    deadline_status_label,
    finding_label,
    label,
    status_label,
)
from .mask import mask_corrections
from .values import (
    ATTENTION_FILL,
    REFUSED_FILL,
    TOTAL_FILL,
    elapsed_hours,
    enterprise_text,
    format_datetime,
    hours_text,
    insz_text,
    repeated_hour_zone,
    wall_time,
)

LATE_FILL = REFUSED_FILL  # light red: past its deadline (as on the page)
MANUAL_FILL = ATTENTION_FILL  # amber: a person must act

CORRECTION_COLUMNS: tuple[tuple[str, ColumnKind], ...] = (
    ("period_number", "text"),
    ("enterprise_number", "text"),
    ("insz", "text"),
    ("last_name", "text"),
    ("first_name", "text"),
    ("planned_start", "datetime"),
    ("planned_end", "datetime"),
    ("declared_start", "datetime"),
    ("declared_end", "datetime"),
    ("actual_start", "datetime"),
    ("actual_end", "datetime"),
    ("difference_minutes", "int"),
    ("finding", "text"),
    ("action", "text"),
    ("deadline", "datetime"),
    ("deadline_status", "text"),
    ("filed_at", "datetime"),
    ("result", "text"),
    ("note", "text"),
)
CHANNEL_COLUMN: tuple[str, ColumnKind] = ("channel", "text")
# After the architecture's columns (and Channel): who, what a person must do, and an empty
# column for a person to note that it is done, which `import` reads back; always the last.
OFFICE_COLUMNS: tuple[tuple[str, ColumnKind], ...] = (
    ("employer", "text"),
    ("what_to_do", "text"),
    ("handled", "text"),
)
TOTALS_COLUMNS: tuple[tuple[str, ColumnKind], ...] = (
    ("enterprise_number", "text"),
    ("employer", "text"),
    ("shifts", "int"),
    ("declared_hours", "hours"),
    ("actual_hours", "hours"),
    ("difference_hours", "hours"),
    ("late_count", "int"),
    ("manual_count", "int"),
)

_DEADLINE_CLASS: dict[DeadlineStatus, str] = {
    DeadlineStatus.IN_TIME: "ok",
    DeadlineStatus.LATE: "refused",
    DeadlineStatus.NOT_APPLICABLE: "pending",
}


def write_corrections(
    corrections: Sequence[Correction],
    out_dir: Path,
    lang: str = "nl",
    title_note: str = "",
    *,
    mask: bool = False,
) -> list[Path]:
    """corrections.xlsx and corrections.html in `out_dir` (created if missing)."""
    check_language(lang)
    out = private_folder(out_dir)
    if mask:
        corrections = mask_corrections(corrections)
    summary = employer_totals(corrections)  # both reports show these totals: added up once
    return [
        write_corrections_xlsx(corrections, out / "corrections.xlsx", lang, summary=summary),
        write_corrections_html(
            corrections, out / "corrections.html", lang, title_note, summary=summary
        ),
    ]


# --- corrections.xlsx ------------------------------------------------------------------


def is_sandbox(corrections: Iterable[Correction]) -> bool:
    return any(c.channel == "sandbox" for c in corrections)


def findings_text(findings: Iterable[Finding], lang: str) -> str:
    """The findings of one row in the report's language, joined: later start; later end."""
    return "; ".join(finding_label(f, lang) for f in findings)


def note_text(note: str, lang: str) -> str:
    """A note in the report's language: reconcile's codes ("end_late") translated, text kept."""
    words = []
    for code in note.split():
        name, _, value = code.partition(":")
        if f"note_{name}" in LABELS:
            words.append(label(f"note_{name}", lang).format(value=value))
        else:
            words.append(code)
    return " ".join(words)


def correction_row(correction: Correction, lang: str, channel: bool = False) -> tuple[Any, ...]:
    """One correction as the values of CORRECTION_COLUMNS (and Channel when asked), then
    OFFICE_COLUMNS."""
    return next(correction_rows([correction], lang, channel))


_MOMENT_COLUMNS = tuple(
    (i, key) for i, (key, kind) in enumerate(CORRECTION_COLUMNS) if kind == "datetime"
)


class _Texts:
    """The texts of corrections that repeat across a run, each made once: identifiers,
    labels, notes, and which moments fall in the autumn's repeated hour."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.enterprises: dict[str, str] = {}
        self.insz: dict[str, str] = {}
        self.findings: dict[tuple[Finding, ...], str] = {}
        self.notes: dict[str, str] = {"": ""}
        self.zones: dict[object, str] = {}
        self.channels: dict[str, str] = {}
        self.actions = {a: action_label(a, lang) for a in Action}
        self.deadlines = {s: deadline_status_label(s, lang) for s in DeadlineStatus}
        self.results: dict[Result | None, str | None] = {r: status_label(r, lang) for r in Result}
        self.results[None] = None

    def enterprise(self, number: str) -> str:
        text = self.enterprises.get(number)
        if text is None:
            text = self.enterprises[number] = enterprise_text(number)
        return text

    def insz_of(self, insz: str) -> str:
        text = self.insz.get(insz)
        if text is None:
            text = self.insz[insz] = insz_text(insz)
        return text

    def findings_of(self, findings: tuple[Finding, ...]) -> str:
        text = self.findings.get(findings)
        if text is None:
            text = self.findings[findings] = findings_text(findings, self.lang)
        return text

    def note(self, note: str) -> str:
        text = self.notes.get(note)
        if text is None:
            text = self.notes[note] = note_text(note, self.lang)
            if len(self.notes) > 100_000:  # free texts: do not keep them all
                self.notes.clear()
        return text

    def channel(self, channel: str) -> str:
        text = self.channels.get(channel)
        if text is None:
            text = self.channels[channel] = channel_label(channel, self.lang)
        return text

    def zone(self, moment: datetime) -> str:
        """repeated_hour_zone, once per instant; only a moment of October (or of the first
        of November, in a zone far east) can fall in the autumn's repeated hour."""
        if moment.month not in (10, 11) or moment.tzinfo is None:
            return ""
        key = (moment, moment.fold)  # see Moments.moment
        zone = self.zones.get(key)
        if zone is None:
            zone = self.zones[key] = repeated_hour_zone(moment)
        return zone

    def what_to_do(self, correction: Correction) -> str:
        if correction.action is not Action.MANUAL and not correction.late:
            return ""
        return what_to_do(correction, self.lang)


def correction_rows(
    corrections: Iterable[Correction], lang: str, channel: bool = False
) -> Iterator[tuple[Any, ...]]:
    """correction_row of each correction, the texts that repeat across a run made once."""
    texts = _Texts(lang)
    zone = texts.zone
    actions, deadlines, results = texts.actions, texts.deadlines, texts.results
    for c in corrections:
        worker = c.worker
        row: tuple[Any, ...] = (
            c.period_id,
            texts.enterprise(c.employer.enterprise_number),
            texts.insz_of(worker.insz),
            worker.last_name,
            worker.first_name,
            c.planned_start,
            c.planned_end,
            c.declared_start,
            c.declared_end,
            c.actual_start,
            c.actual_end,
            c.difference_minutes,
            texts.findings_of(c.findings),
            actions[c.action],
            c.deadline,
            deadlines[c.deadline_status],
            c.filed_at,
            results[c.result],
        )
        note = texts.note(c.note)
        repeated = [(i, key) for i, key in _MOMENT_COLUMNS if row[i] is not None and zone(row[i])]
        if repeated:
            note = joined_notes(
                note,
                "; ".join(f"{label(key, lang)}: {format_datetime(row[i])}" for i, key in repeated),
            )
        row = (*row, note)
        if channel:
            row = (*row, texts.channel(c.channel))
        yield (*row, c.employer.name, texts.what_to_do(c), "")


def row_fill(correction: Correction) -> str | None:
    """Light red for a late row, amber for one a person must handle; late wins."""
    if correction.late:
        return LATE_FILL
    if correction.action is Action.MANUAL:
        return MANUAL_FILL
    return None


def write_corrections_xlsx(
    corrections: Sequence[Correction],
    path: str | os.PathLike[str],
    lang: str = "nl",
    *,
    summary: Summary | None = None,
) -> Path:
    """corrections.xlsx: one row per correction in the given order, late and manual rows
    coloured; SANDBOX marked; a second sheet of totals per employer (`summary`: the
    corrections' `employer_totals`, when already added up)."""
    sandbox = is_sandbox(corrections)
    columns = (*CORRECTION_COLUMNS, CHANNEL_COLUMN) if sandbox else CORRECTION_COLUMNS
    columns = (*columns, *OFFICE_COLUMNS)
    totals, totals_fills = totals_rows(corrections, lang, summary)
    return write_workbook(
        path,
        [
            Sheet(
                label("corrections_sheet", lang),
                [label(key, lang) for key, _ in columns],
                correction_rows(corrections, lang, channel=sandbox),
                [kind for _, kind in columns],
                row_fills=(row_fill(c) for c in corrections),
            ),
            Sheet(
                label("totals_sheet", lang),
                [label(key, lang) for key, _ in TOTALS_COLUMNS],
                totals,
                [kind for _, kind in TOTALS_COLUMNS],
                row_fills=totals_fills,
            ),
        ],
        title=label("corrections_title", lang),
        page_header=label("sandbox_banner", lang) if sandbox else "",
    )


def by_employer(corrections: Iterable[Correction]) -> dict[str, list[Correction]]:
    """The corrections of each employer, in order of appearance; the enterprise number is
    who the employer is, even when an actuals file spelled its name differently."""
    grouped: dict[str, list[Correction]] = {}
    for c in corrections:
        key = c.employer.enterprise_number or c.employer.nsso_number or c.employer.name
        grouped.setdefault(key, []).append(c)
    return grouped


def _first(values: Iterable[str]) -> str:
    return next((v for v in values if v), "")


Summary = tuple[list[tuple[list["Correction"], "Totals"]], "Totals"]
"""Each employer's corrections with their totals, and the totals of all of them."""


def employer_totals(corrections: Iterable[Correction]) -> Summary:
    """The corrections of each employer (`by_employer`) with their totals, and the overall
    totals: each correction's hours worked out once, added in the order of the page."""
    groups = []
    overall = Totals()
    for items in by_employer(corrections).values():
        totals = Totals()
        for c in items:
            hours = _hours(c)
            totals.add(c, hours)
            overall.add(c, hours)
        groups.append((items, totals))
    return groups, overall


def totals_rows(
    corrections: Sequence[Correction], lang: str, summary: Summary | None = None
) -> tuple[list[tuple[Any, ...]], list[str | None]]:
    """Per employer: shifts, declared and actual hours (elapsed), late and manual counts."""
    rows: list[tuple[Any, ...]] = []
    groups, overall = summary or employer_totals(corrections)
    for items, totals in groups:
        rows.append(
            (
                enterprise_text(_first(c.employer.enterprise_number for c in items))
                or _first(c.employer.nsso_number for c in items),
                _first(c.employer.name for c in items),
                *_totals_cells(totals),
            )
        )
    fills: list[str | None] = [None] * len(rows)
    rows.append(("", label("all_employers", lang), *_totals_cells(overall)))
    fills.append(TOTAL_FILL)
    return rows, fills


def _totals_cells(totals: Totals) -> tuple[Any, ...]:
    return (
        totals.shifts,
        totals.declared,
        totals.actual,
        totals.actual - totals.declared,
        totals.late,
        totals.manual,
    )


# --- hours -----------------------------------------------------------------------------


def format_hours(hours: float, lang: str) -> str:
    """4 h, 6.5 h (en) / 6,5 u (nl) / 6,5 h (fr): at most two decimals, no trailing zeros."""
    return hours_text(hours, label("hours_unit", lang), lang)


def format_span(start: datetime | None, end: datetime | None) -> str:
    """29/06 10:00–14:00, or 24/10 22:00–25/10 06:00 across midnight; Brussels wall time."""
    if start is None and end is None:
        return ""
    first = wall_time(start).strftime("%d/%m %H:%M") if start is not None else ""
    if start is not None and repeated_hour_zone(start):
        first += f" ({repeated_hour_zone(start)})"
    if end is None:
        return f"{first}–"
    last = wall_time(end)
    zone = f" ({repeated_hour_zone(end)})" if repeated_hour_zone(end) else ""
    if start is not None and wall_time(start).date() == last.date():
        return f"{first}–{last:%H:%M}{zone}"
    return f"{first}–{last:%d/%m %H:%M}{zone}"


@dataclass(slots=True)
class Totals:
    """Hours and findings of a set of corrections (one employer, or all of them)."""

    planned: float = 0.0
    declared: float = 0.0
    actual: float = 0.0
    findings: dict[Finding, int] = field(default_factory=lambda: dict.fromkeys(Finding, 0))
    shifts: int = 0
    late: int = 0
    manual: int = 0

    def add(self, c: Correction, hours: tuple[float, float, float]) -> None:
        """Count `c` in, with its planned, declared and actual hours (`_hours`)."""
        planned, declared, actual = hours
        self.planned += planned
        self.declared += declared
        self.actual += actual
        for finding in c.findings:
            self.findings[finding] += 1
        self.shifts += 1
        self.late += c.late
        self.manual += c.action is Action.MANUAL


def _hours(c: Correction) -> tuple[float, float, float]:
    """A correction's planned, declared and actual hours (elapsed); 0 where not known."""
    return (
        elapsed_hours(c.planned_start, c.planned_end) or 0.0,
        elapsed_hours(c.declared_start, c.declared_end) or 0.0,
        elapsed_hours(c.actual_start, c.actual_end) or 0.0,
    )


# --- corrections.html ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TotalsView:
    shifts: int
    planned: str
    declared: str
    actual: str
    findings: tuple[int, ...]
    """Counts in the order of the page's finding headers (every Finding, in enum order)."""


class CorrectionPrinter(Moments):
    """Writes each line of corrections.html (and its detail line) as one string: every value
    escaped once, the words of the report's language and the texts that repeat across a run
    made and escaped once. Nothing is kept per correction."""

    def __init__(self, lang: str) -> None:
        self.texts = _Texts(lang)
        self.lang = lang
        self._spans: dict[tuple[object, object], str] = {}
        super().__init__()
        self.what_to_do = f'<strong class="todo">{_escaped(label("what_to_do", lang))}:</strong> '
        self.note_word = _escaped(label("note", lang))
        self._deadlines = {
            s: f'<td><span class="status status-{_DEADLINE_CLASS[s]}">'
            f"{_escaped(deadline_status_label(s, lang))}</span></td>"
            for s in DeadlineStatus
        }
        self._results: dict[Result | None, str] = {
            r: f'<td><span class="status-{_STATUS_CLASS[r]}">'
            f"{_escaped(status_label(r, lang))}</span></td>"
            for r in Result
        }
        self._results[None] = "<td></td>"
        self._actions = {a: _escaped(action_label(a, lang)) for a in Action}

    def span(self, start: datetime | None, end: datetime | None) -> str:
        """format_span, escaped, once per pair of instants."""
        key = (start, end, start and start.fold, end and end.fold)  # see Moments.moment
        text = self._spans.get(key)
        if text is None:
            text = self._spans[key] = _escaped(format_span(start, end))
            if len(self._spans) > 100_000:
                self._spans.clear()
        return text

    def rows(self, c: Correction) -> str:
        """The correction's line, and its detail line when there is something to do or note."""
        texts = self.texts
        worker = c.worker
        if c.late:  # the row's colour in corrections.xlsx
            row_class, style = " late", f' style="background: {LATE_FILL.lower()}"'
        elif c.action is Action.MANUAL:
            row_class, style = " manual", f' style="background: {MANUAL_FILL.lower()}"'
        else:
            row_class = style = ""
        line = (
            f'<tr class="item{row_class}"{style}>\n'
            f'<td class="num period">{_escaped(c.period_id or "")}</td>\n'
            f"<td>{_escaped(worker.last_name)} {_escaped(worker.first_name)}<br>"
            f'<span class="muted num">{_escaped(texts.insz_of(worker.insz))}</span></td>\n'
            f'<td class="num">{self.span(c.planned_start, c.planned_end)}</td>\n'
            f'<td class="num">{self.span(c.declared_start, c.declared_end)}</td>\n'
            f'<td class="num">{self.span(c.actual_start, c.actual_end)}</td>\n'
            f'<td class="num">{_escaped(_signed(c.difference_minutes))}</td>\n'
            f"<td>{_escaped(texts.findings_of(c.findings))}</td>\n"
            f"<td>{self._actions[c.action]}</td>\n"
            f'<td class="num">{self.moment(c.deadline)}</td>\n'
            f"{self._deadlines[c.deadline_status]}\n"
            f'<td class="num">{self.moment(c.filed_at)}</td>\n'
            f"{self._results[c.result]}\n"
            "</tr>\n"
        )
        todo = texts.what_to_do(c)
        note = texts.note(c.note)
        if not (todo or note):
            return line
        detail = f'<tr class="detail{row_class}"{style}><td colspan="12">'
        if todo:
            detail += f"{self.what_to_do}{_escaped(todo)}"
        if todo and note:
            detail += "<br>"
        if note:
            detail += f'<span class="muted">{self.note_word}: {_escaped(note)}</span>'
        return f"{line}{detail}</td></tr>\n"


class CorrectionLines:
    """An employer's corrections, late and manual items first, printed as the page loops
    over them."""

    __slots__ = ("items", "printer")

    def __init__(self, items: list[Correction], printer: CorrectionPrinter) -> None:
        self.items = items
        self.printer = printer

    def __iter__(self) -> Iterator[Markup]:
        rows = self.printer.rows
        for c in needs_attention_first(self.items):
            yield Markup(rows(c))


@dataclass(frozen=True, slots=True)
class CorrectionGroup:
    anchor: str
    name: str
    enterprise_number: str
    nsso_number: str
    totals: TotalsView
    items: CorrectionLines


def write_corrections_html(
    corrections: Sequence[Correction],
    path: str | os.PathLike[str],
    lang: str = "nl",
    title_note: str = "",
    *,
    summary: Summary | None = None,
) -> Path:
    """corrections.html: per employer, late and manual items first, with hour totals
    (`summary`: the corrections' `employer_totals`, when already added up)."""
    t = _words(lang)
    printer = CorrectionPrinter(lang)
    employers, overall = summary or employer_totals(corrections)
    groups = []
    for number, (items, totals) in enumerate(employers, start=1):
        groups.append(
            CorrectionGroup(
                anchor=f"e-{number}",
                name=_first(c.employer.name for c in items),
                enterprise_number=enterprise_text(
                    _first(c.employer.enterprise_number for c in items)
                ),
                nsso_number=_first(c.employer.nsso_number for c in items),
                totals=_totals_view(totals, lang),
                items=CorrectionLines(items, printer),
            )
        )

    return write_html(
        path,
        "corrections.html",
        lang=lang,
        t=t,
        title=t.corrections_title,
        title_note=title_note,
        sandbox=is_sandbox(corrections),
        finding_headers=[finding_label(f, lang) for f in Finding],
        overall=_totals_view(overall, lang),
        late=sum(1 for c in corrections if c.late),
        manual=sum(1 for c in corrections if c.action is Action.MANUAL),
        all_match=bool(corrections)
        and all(c.findings == (Finding.MATCH,) and c.action is Action.NONE for c in corrections),
        groups=groups,
    )


def needs_attention_first(corrections: Iterable[Correction]) -> list[Correction]:
    """Late and manual items before the rest, each part in its given order."""
    items = list(corrections)
    urgent = [c for c in items if _urgent(c)]
    return urgent + [c for c in items if not _urgent(c)]


def _urgent(c: Correction) -> bool:
    return c.late or c.action is Action.MANUAL


def what_to_do(correction: Correction, lang: str) -> str:
    """What a person must do about a manual item, or know about a late one; else nothing."""
    if correction.action is not Action.MANUAL:
        if not correction.late:
            return ""
        # on the web channel nothing is filed until a clerk types it in the form
        return label("late_web" if correction.channel == "web" else "late_filed", lang)
    findings = set(correction.findings)
    if findings & {Finding.LATER_START, Finding.EARLIER_START}:
        key = "manual_start_change"
    elif Finding.UNDECLARED in findings and "unidentified" in correction.note.split():
        key = "manual_unidentified"
    elif Finding.UNDECLARED in findings:
        key = "manual_undeclared"
    elif Finding.NO_SHOW in findings:
        key = "manual_no_show"
    elif Finding.UNREADABLE in findings:
        key = "manual_unreadable"
    else:
        key = "manual_other"
    return label(key, lang)


def _signed(minutes: int | None) -> str:
    """+150, -90, 0: which way the actual shift differs from the declared one."""
    if minutes is None:
        return ""
    return f"{minutes:+d}" if minutes else "0"


def _totals_view(totals: Totals, lang: str) -> TotalsView:
    return TotalsView(
        shifts=totals.shifts,
        planned=format_hours(totals.planned, lang),
        declared=format_hours(totals.declared, lang),
        actual=format_hours(totals.actual, lang),
        findings=tuple(totals.findings[f] for f in Finding),
    )
