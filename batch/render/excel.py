"""The Excel reports: one plain table per workbook, safe to open and fast to write.

Every text cell is written as a string, so a name like "=1+2" or an INSZ like "00010112345"
arrives in Excel exactly as it was (no formula, no lost leading zero); times are real Excel
date-times in Brussels wall time, so an accountant can sort and filter on them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, Literal

import xlsxwriter

from ..anomalies import translate
from ..messages import problem_text
from ..model import JOINT_COMMITTEE, WORKER_TYPE, Declaration, Problem, Result, Severity
from .atomic import atomic_write, scratch_folder
from .labels import channel_label, label, severity_label, status_label
from .summary import Summary, Tally, summarize
from .values import (
    ATTENTION_FILL,
    EXCEL_DATETIME_FORMAT,
    PENDING_FILL,
    REFUSED_FILL,
    TOTAL_FILL,
    enterprise_text,
    format_datetime,
    insz_text,
    repeated_hour_zone,
    wall_time,
)

ColumnKind = Literal["text", "datetime", "int", "hours"]
COLUMN_KINDS: tuple[str, ...] = ("text", "datetime", "int", "hours")
HOURS_FORMAT = "0.00"

_WIDTH_SAMPLE = 1000  # rows looked at to size the columns; the rest stream straight through
_MIN_WIDTH = 8
_MAX_WIDTH = 60
_DATETIME_WIDTH = 17

_WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows go to disk as written: 100,000 rows in flat memory
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


@dataclass
class Sheet:
    """One table of a workbook: a header row, then rows written as `column_kinds` say.

    `row_fills`, one per row in step with `rows`, gives a row a background colour
    ("#FFC7CE") across the whole table width, empty cells included; None leaves it plain.
    `editable` columns stay open to typing in a sheet otherwise protected. `choices` offers
    a drop-down list of words in a column (by index), for every row written; another value
    is allowed after a warning.
    """

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    column_kinds: Sequence[ColumnKind]
    row_fills: Iterable[str | None] | None = None
    editable: Sequence[int] = ()
    choices: dict[int, Sequence[str]] = field(default_factory=dict)


def write_table(
    path: str | os.PathLike[str],
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    column_kinds: Sequence[ColumnKind],
    *,
    title: str = "",
    page_header: str = "",
    row_fills: Iterable[str | None] | None = None,
    editable: Sequence[int] = (),
    choices: dict[int, Sequence[str]] | None = None,
) -> Path:
    """Write one table (header row + rows) as a workbook at `path`, atomically.

    `column_kinds` says per column how a value is stored: text (always a string cell, never
    a formula or number), datetime (an Excel date-time, aware values shown in Brussels
    time), int, or hours (a number shown with two decimals). None and "" leave the cell
    empty. `page_header` is printed on each page. See `Sheet` for the rest.
    """
    sheet = Sheet(sheet_name, headers, rows, column_kinds, row_fills, editable, choices or {})
    return write_workbook(path, [sheet], title=title, page_header=page_header)


def write_workbook(
    path: str | os.PathLike[str],
    sheets: Sequence[Sheet],
    *,
    title: str = "",
    page_header: str = "",
) -> Path:
    """Write `sheets` in order as one workbook at `path`, atomically.

    Every sheet prints landscape on A4, one page wide, its header row on each page.
    """
    for sheet in sheets:
        if len(sheet.column_kinds) != len(sheet.headers):
            raise ValueError(
                f"{len(sheet.headers)} headers but {len(sheet.column_kinds)} column kinds"
            )
        unknown = sorted(set(sheet.column_kinds) - set(COLUMN_KINDS))
        if unknown:
            raise ValueError(f"unknown column kind(s) {unknown}; use one of {COLUMN_KINDS}")

    target = Path(path)
    with atomic_write(target) as temporary, scratch_folder(target) as scratch:
        workbook = xlsxwriter.Workbook(str(temporary), {**_WORKBOOK_OPTIONS, "tmpdir": scratch})
        try:
            properties = {"title": title} if title else {}
            if page_header:
                properties["comments"] = page_header
            workbook.set_properties(properties)
            formats = _Formats(workbook)
            for spec in sheets:
                _write_sheet(workbook, formats, spec, page_header)
        finally:
            workbook.close()
    return target


class _Formats:
    """The cell formats of one workbook, each made once (xlsxwriter wants few formats)."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#E7E6E6", "bottom": 1, "valign": "top"}
        )
        self.datetime = workbook.add_format({"num_format": EXCEL_DATETIME_FORMAT})
        self.hours = workbook.add_format({"num_format": HOURS_FORMAT})
        self.unlocked = workbook.add_format({"locked": False, "bg_color": "#FFF9DB"})
        self.filled: dict[tuple[str, bool], tuple[Any, Any, Any]] = {}

    def fill(self, colour: str, unlocked: bool = False) -> tuple[Any, Any, Any]:
        """Plain, date-time and hours formats painted `colour` (open to typing if asked)."""
        if (colour, unlocked) not in self.filled:
            add = self.workbook.add_format
            base = {"bg_color": colour, "pattern": 1, **({"locked": False} if unlocked else {})}
            self.filled[(colour, unlocked)] = (
                add(base),
                add({"num_format": EXCEL_DATETIME_FORMAT, **base}),
                add({"num_format": HOURS_FORMAT, **base}),
            )
        return self.filled[(colour, unlocked)]


def _write_sheet(workbook: Any, formats: _Formats, spec: Sheet, page_header: str) -> None:
    row_iter = iter(spec.rows)
    sample = list(islice(row_iter, _WIDTH_SAMPLE))
    width = len(spec.headers)
    sheet = workbook.add_worksheet(spec.name)
    for col, (header, kind) in enumerate(zip(spec.headers, spec.column_kinds, strict=True)):
        size = _column_width(header, kind, sample, col)
        sheet.set_column(col, col, size, formats.unlocked if col in spec.editable else None)
        sheet.write_string(0, col, header, formats.header)
    if spec.editable:  # only the columns to fill in can be typed in; rows can be sorted
        sheet.protect(
            "",
            {"autofilter": True, "sort": True, "delete_rows": True, "format_columns": True},
        )
    sheet.freeze_panes(1, 0)
    _page_setup(sheet, page_header)

    last_row = _write_rows(sheet, formats, spec, chain(sample, row_iter))
    sheet.autofilter(0, 0, last_row, width - 1)
    for col, words in spec.choices.items():
        if last_row:
            # a warning, not a stop: another word the import knows (A, W, ...) may be typed
            sheet.data_validation(
                1,
                col,
                last_row,
                col,
                {"validate": "list", "source": list(words), "error_type": "warning"},
            )


_TEXT, _DATETIME, _INT, _HOURS = range(4)
_KIND_CODES = {"text": _TEXT, "datetime": _DATETIME, "int": _INT, "hours": _HOURS}


_Layout = tuple[list[tuple[int, Any, Any]], list[tuple[int, int, Any, Any]]]
"""A row's columns as written: the text ones (column, format, blank's format), then the
others (column, kind, format, blank's format)."""


def _write_rows(sheet: Any, formats: _Formats, spec: Sheet, rows: Iterable[Sequence[Any]]) -> int:
    """Write `rows` from the sheet's second row on; the number of the last row written.

    This is the inner loop of every report, so it does as little per cell as it can: each
    column's kind and format are looked up once per fill colour, not per cell, the text
    columns (most of them) are written in a loop of their own, and only xlsxwriter's public
    writers are used (what it does per cell is the floor's too; it puts a row's cells in
    column order whatever order they come in). A date-time goes in as the serial number of
    its Brussels wall time, worked out once per instant (`excel_serial`).
    """
    width = len(spec.headers)
    codes = [_KIND_CODES[kind] for kind in spec.column_kinds]
    numbers = {_DATETIME: formats.datetime, _HOURS: formats.hours}
    plain = _layout([(col, code, numbers.get(code), None) for col, code in enumerate(codes)])
    layouts: dict[str | None, _Layout] = {None: plain, "": plain}
    fills = iter(spec.row_fills) if spec.row_fills is not None else None
    write_string, write_number, write_blank = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_blank,
    )
    serials: dict[object, float] = {}
    row = 0
    for row, values in enumerate(rows, start=1):
        if len(values) != width:
            raise ValueError(f"row {row} has {len(values)} values, not {width}")
        fill = next(fills, None) if fills is not None else None
        layout = layouts.get(fill)
        if layout is None:
            layout = layouts[fill] = _filled_layout(formats, spec, codes, fill)
        texts, others = layout
        for col, cell_format, blank in texts:
            value = values[col]
            if value is None or value == "":
                if blank is not None:
                    write_blank(row, col, None, blank)
            else:
                write_string(row, col, value if type(value) is str else str(value), cell_format)
        for col, code, cell_format, blank in others:
            value = values[col]
            if value is None or value == "":
                if blank is not None:
                    write_blank(row, col, None, blank)
            elif code == _DATETIME:
                key = (value, value.fold)  # see html.Moments.moment
                serial = serials.get(key)
                if serial is None:
                    serial = serials[key] = excel_serial(wall_time(value))
                write_number(row, col, serial, cell_format)
            elif code == _INT:
                write_number(row, col, value, cell_format)
            else:
                write_number(row, col, round(value, 2), cell_format)
    return row


_EXCEL_EPOCH = datetime(1899, 12, 31)


def excel_serial(wall: datetime) -> float:
    """A naive date-time as the number an Excel cell stores for it (the 1900 date system).

    The same number, to the last bit, as xlsxwriter's `write_datetime` stores: days since
    1899-12-31 with the fraction of the day added to the whole days, less one on Monday
    1 January 1900, plus one from March 1900 on (Excel counts a 29 February 1900). And
    `write_number` writes it as the same XML, so a report converts each distinct moment
    once instead of each cell.
    """
    if wall.tzinfo is not None:
        raise ValueError(f"not a naive date-time: {wall!r}")
    delta = wall - _EXCEL_EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400
    if wall.isocalendar() == (1900, 1, 1):
        serial -= 1
    if serial > 59:
        serial += 1
    return serial


def _layout(columns: list[tuple[int, int, Any, Any]]) -> _Layout:
    """(column, kind, format, blank's format) of each column, the text ones apart."""
    texts = [(col, form, blank) for col, code, form, blank in columns if code == _TEXT]
    others = [column for column in columns if column[1] != _TEXT]
    return texts, others


def _filled_layout(formats: _Formats, spec: Sheet, codes: list[int], colour: str) -> _Layout:
    """Per column of a row painted `colour`: its kind, its cell format and the format of an
    empty cell; the editable columns stay open to typing."""
    layout = []
    for col, code in enumerate(codes):
        plain, dated, hours = formats.fill(colour, unlocked=col in spec.editable)
        cell_format = dated if code == _DATETIME else hours if code == _HOURS else plain
        layout.append((col, code, cell_format, plain))
    return _layout(layout)


def _column_width(header: str, kind: str, sample: list[Sequence[Any]], col: int) -> int:
    """Wide enough for the header and the sampled values, within sane bounds."""
    if kind == "datetime":
        longest = _DATETIME_WIDTH
    else:
        longest = max(
            (len(str(row[col])) for row in sample if len(row) > col and row[col] is not None),
            default=0,
        )
    return max(_MIN_WIDTH, min(_MAX_WIDTH, max(len(header), longest) + 2))


def _page_setup(sheet: Any, page_header: str) -> None:
    """Landscape A4, one page wide (as many long as needed), header row repeated on each
    printed page, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    if page_header:
        sheet.set_header("&C" + page_header.replace("&", "&&"))
    sheet.set_footer("&C&P / &N")


# --- receipts --------------------------------------------------------------------------

RECEIPT_COLUMNS: tuple[tuple[str, ColumnKind], ...] = (
    ("period_number", "text"),
    ("declaration_number", "text"),
    ("type", "text"),
    ("status", "text"),
    ("anomalies", "text"),
    ("sent_at", "datetime"),
    ("start", "datetime"),
    ("end", "datetime"),
    ("enterprise_number", "text"),
    ("nsso_number", "text"),
    ("employer", "text"),
    ("insz", "text"),
    ("last_name", "text"),
    ("first_name", "text"),
    ("joint_committee", "text"),
    ("worker_type", "text"),
    ("employer_reference", "text"),
    ("worker_reference", "text"),
    ("declaration_reference", "text"),
    ("source", "text"),
    ("channel", "text"),
)


def repeated_hour_note(
    columns: Sequence[tuple[str, ColumnKind]], values: Sequence[Any], lang: str
) -> str:
    """The row's moments in the autumn's repeated hour, with their zone: Deadline 02:30 (CET).

    An Excel date-time has no zone, so the cell alone cannot tell the two readings apart.
    """
    return "; ".join(
        f"{label(key, lang)}: {format_datetime(value)}"
        for (key, kind), value in zip(columns, values, strict=False)
        if kind == "datetime" and isinstance(value, datetime) and repeated_hour_zone(value)
    )


def joined_notes(*texts: str) -> str:
    return "; ".join(t for t in texts if t)


# Only a moment of October (or of the first of November, in a zone far east of Brussels)
# can fall in the autumn's repeated hour.
_AUTUMN = (10, 11)


def receipt_rows(declarations: Iterable[Declaration], lang: str) -> Iterator[tuple[Any, ...]]:
    """receipt_row of each declaration, the texts that repeat across a run made once."""
    statuses = {r: status_label(r, lang) for r in Result}
    channels: dict[str, str] = {}
    employers: dict[str, str] = {}
    insz: dict[str, str] = {}
    notes: dict[tuple, str] = {}
    datetimes = RECEIPT_COLUMNS[5:8]
    for d in declarations:
        sent_at, start, end = moments = (d.sent_at, d.start, d.end)
        if not d.anomalies and (
            sent_at.month not in _AUTUMN and start.month not in _AUTUMN and end.month not in _AUTUMN
        ):
            note = ""  # nothing to say, and no moment near the repeated hour
        else:
            note_key = (d.anomalies, *moments, *(m.fold for m in moments))
            note = notes.get(note_key)
            if note is None:
                note = notes[note_key] = joined_notes(
                    "; ".join(translate(a, lang) for a in d.anomalies),
                    repeated_hour_note(datetimes, moments, lang),
                )
                if len(notes) > 100_000:
                    notes.clear()
        employer, worker = d.employer, d.worker
        enterprise = employers.get(employer.enterprise_number)
        if enterprise is None:
            enterprise = employers[employer.enterprise_number] = enterprise_text(
                employer.enterprise_number
            )
        shown_insz = insz.get(worker.insz)
        if shown_insz is None:
            shown_insz = insz[worker.insz] = insz_text(worker.insz)
        channel = channels.get(d.channel)
        if channel is None:
            channel = channels[d.channel] = channel_label(d.channel, lang)
        yield (
            d.period_id,
            d.declaration_id,
            d.kind.value,
            statuses[d.result],
            note,
            d.sent_at,
            d.start,
            d.end,
            enterprise,
            employer.nsso_number,
            employer.name,
            shown_insz,
            worker.last_name,
            worker.first_name,
            JOINT_COMMITTEE,
            WORKER_TYPE,
            d.references.employer,
            d.references.worker,
            d.references.declaration,
            d.source,
            channel,
        )


def receipt_row(declaration: Declaration, lang: str) -> tuple[Any, ...]:
    """One declaration as the values of RECEIPT_COLUMNS, in that order."""
    d = declaration
    return (
        d.period_id,
        d.declaration_id,
        str(d.kind),
        status_label(d.result, lang),
        joined_notes(
            "; ".join(translate(a, lang) for a in d.anomalies),
            repeated_hour_note(RECEIPT_COLUMNS[5:8], (d.sent_at, d.start, d.end), lang),
        ),
        d.sent_at,
        d.start,
        d.end,
        enterprise_text(d.employer.enterprise_number),
        d.employer.nsso_number,
        d.employer.name,
        insz_text(d.worker.insz),
        d.worker.last_name,
        d.worker.first_name,
        JOINT_COMMITTEE,
        WORKER_TYPE,
        d.references.employer,
        d.references.worker,
        d.references.declaration,
        d.source,
        channel_label(d.channel, lang),
    )


# The colour of a row by its answer: as the status badges of the HTML pages.
STATUS_FILLS: dict[Result, str | None] = {
    Result.ACCEPTED: None,
    Result.WARNING: ATTENTION_FILL,
    Result.REFUSED: REFUSED_FILL,
    Result.PENDING: PENDING_FILL,
}

SUMMARY_COLUMNS: tuple[tuple[str, ColumnKind], ...] = (
    ("enterprise_number", "text"),
    ("employer", "text"),
    ("insz", "text"),
    ("last_name", "text"),
    ("first_name", "text"),
    ("shifts", "int"),
    ("declared_hours", "hours"),
    ("warnings", "int"),
    ("refused_count", "int"),
)


def summary_rows(
    declarations: Sequence[Declaration], lang: str, summary: Summary | None = None
) -> tuple[list[tuple[Any, ...]], list[str | None]]:
    """The summary sheet's rows: per employer its total, then its workers; all at the end.

    `summary` is summarize(declarations) when the caller has it already (receipts.html
    shows the same one)."""
    employers, total = summary or summarize(declarations)

    def counts(tally: Tally) -> tuple[Any, ...]:
        return (tally.shifts, tally.hours, tally.warnings, tally.refused)

    rows: list[tuple[Any, ...]] = []
    fills: list[str | None] = []
    everyone = label("total", lang)
    for e in employers:
        enterprise = enterprise_text(e.enterprise_number) or e.nsso_number
        rows.append((enterprise, e.name, "", everyone, "", *counts(e.tally)))
        fills.append(TOTAL_FILL)
        for w in e.workers:
            rows.append(
                (enterprise, e.name, insz_text(w.insz), w.last_name, w.first_name, *counts(w.tally))
            )
            fills.append(None)
    rows.append(("", label("all_employers", lang), "", everyone, "", *counts(total)))
    fills.append(TOTAL_FILL)
    return rows, fills


def write_receipts_xlsx(
    declarations: Sequence[Declaration],
    path: str | os.PathLike[str],
    lang: str = "nl",
    *,
    summary: Summary | None = None,
) -> Path:
    """receipts.xlsx: one row per declaration, coloured by its answer; SANDBOX in the Channel
    column and page header; a second sheet sums up the run per employer and worker
    (`summary`, if given, is summarize(declarations) worked out by the caller)."""
    sandbox = any(d.channel == "sandbox" for d in declarations)
    summary_lines, summary_fills = summary_rows(declarations, lang, summary)
    return write_workbook(
        path,
        [
            Sheet(
                label("receipts_sheet", lang),
                [label(key, lang) for key, _ in RECEIPT_COLUMNS],
                receipt_rows(declarations, lang),
                [kind for _, kind in RECEIPT_COLUMNS],
                row_fills=(STATUS_FILLS[d.result] for d in declarations),
            ),
            Sheet(
                label("summary", lang),
                [label(key, lang) for key, _ in SUMMARY_COLUMNS],
                summary_lines,
                [kind for _, kind in SUMMARY_COLUMNS],
                row_fills=summary_fills,
            ),
        ],
        title=label("receipts_title", lang),
        page_header=label("sandbox_banner", lang) if sandbox else "",
    )


# --- validation ------------------------------------------------------------------------

PROBLEM_COLUMNS: tuple[tuple[str, ColumnKind], ...] = (
    ("file", "text"),
    ("sheet", "text"),
    ("row", "int"),
    ("column", "text"),
    ("cell", "text"),
    ("value", "text"),
    ("problem", "text"),
    ("severity", "text"),
)


SEVERITY_FILLS: dict[Severity, str | None] = {
    Severity.ERROR: REFUSED_FILL,
    Severity.WARNING: ATTENTION_FILL,
    Severity.INFO: None,
}


def problem_words(problem: Problem, lang: str) -> str:
    """The problem in the report's language, a refusal's anomalies translated too."""
    if problem.code == "refused":
        params = tuple(
            (k, "; ".join(translate(a, lang) for a in str(v).split("; ")))
            if k == "anomalies"
            else (k, v)
            for k, v in problem.params
        )
        problem = replace(problem, params=params)
    return problem_text(problem, lang)


def problem_row(problem: Problem, lang: str) -> tuple[Any, ...]:
    """One problem as the values of PROBLEM_COLUMNS, its text in the report's language."""
    p = problem
    return (
        p.file,
        p.sheet,
        p.row,
        p.column,
        p.cell,
        p.value,
        problem_words(p, lang),
        severity_label(p.severity, lang),
    )


def write_validation_xlsx(
    problems: Sequence[Problem], path: str | os.PathLike[str], lang: str = "nl"
) -> Path:
    """validation.xlsx: one row per problem, in the order the checks found them."""
    return write_table(
        path,
        label("problems_sheet", lang),
        [label(key, lang) for key, _ in PROBLEM_COLUMNS],
        (problem_row(p, lang) for p in problems),
        [kind for _, kind in PROBLEM_COLUMNS],
        title=label("validation_title", lang),
        row_fills=(SEVERITY_FILLS[Severity(p.severity)] for p in problems),
    )
