"""The HTML reports: printable pages rendered from jinja2 templates, escaped throughout.

The templates only loop and test; every value reaches them already formatted (Brussels
time, dotted identifiers, words in the report's language), prepared here. What repeats once
per receipt, correction or problem (a receipt's block, a table row) is made here as one
escaped string (ReceiptPrinter, ProblemLines; corrections.CorrectionPrinter) and the page's
template places it: a page of 100,000 receipts streams without a template call per field.
"""

from __future__ import annotations

import functools
import os
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib import resources
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import jinja2
import jinja2.ext
import markupsafe
from jinja2.lexer import Token
from markupsafe import Markup, escape

from ..anomalies import translate
from ..model import (
    BRUSSELS,
    JOINT_COMMITTEE,
    WORKER_TYPE,
    Declaration,
    Employer,
    Kind,
    Problem,
    Result,
    Severity,
    Worker,
)
from .atomic import FILE_MODE, atomic_folder, atomic_write, remove_split
from .excel import problem_words
from .labels import (
    LANGUAGES,
    channel_label,
    kind_label,
    label,
    labels,
    severity_label,
    status_label,
)
from .summary import Summary, Tally, summarize
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
def environment(lang: str | None = None) -> jinja2.Environment:
    """An environment: autoescape always on, a missing variable is an error.

    With `lang`, every `{{ t.NAME }}` of its templates is that language's label, escaped
    and written into the template when it is compiled (`_Words`): a page of many receipts
    repeats the same words on each, and they need not be looked up and escaped each time.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dirs()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[_words_of(lang)] if lang else [],
    )


_LABEL_SHAPE = ["variable_begin", "name", "dot", "name", "variable_end"]  # {{ t.NAME }}


def _words_of(lang: str) -> type[jinja2.ext.Extension]:
    words = {key: str(markupsafe.escape(word)) for key, word in labels(lang).items()}

    class _Words(jinja2.ext.Extension):
        """`{{ t.NAME }}` as the escaped label itself: template data, not an expression."""

        def filter_stream(self, stream: jinja2.lexer.TokenStream) -> Iterator[Token]:
            tokens = list(stream)
            i = 0
            while i < len(tokens):
                window = tokens[i : i + 5]
                if [t.type for t in window] == _LABEL_SHAPE and window[1].value == "t":
                    word = words.get(window[3].value)
                    if word is not None:
                        yield Token(window[0].lineno, "data", word)
                        i += 5
                        continue
                yield tokens[i]
                i += 1

    return _Words


def write_html(path: str | os.PathLike[str], template_name: str, **context: Any) -> Path:
    """Render `template_name` with `context` into `path`, streamed and atomically."""
    target = Path(path)
    with atomic_write(target) as temporary:
        stream_html(temporary, template_name, None, **context)
    return target


def stream_html(path: Path, template_name: str, max_bytes: int | None, **context: Any) -> bool:
    """Render `template_name` into `path` as it is generated, in UTF-8.

    With `max_bytes`, a page that would pass it is not finished: the file is removed and
    the answer is False.
    """
    lang = context.get("lang")
    words = context.get("t")
    baked = isinstance(words, SimpleNamespace) and lang in LANGUAGES and vars(words) == labels(lang)
    template = environment(lang if baked else None).get_template(template_name)
    chunks = template.generate(**context)
    size = 0
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "wb") as out:
        while batch := list(islice(chunks, _CHUNKS)):
            data = "".join(batch).encode("utf-8")
            size += len(data)
            if max_bytes is not None and size > max_bytes:
                break
            out.write(data)
        else:
            return True
    path.unlink()
    return False


# --- receipts --------------------------------------------------------------------------

SPLIT_OVER = 2_000
"""A run of more receipts writes receipts.html as an index page with a file per employer."""
MAX_FILE_BYTES = 20_000_000
"""No receipts page is larger (20 MB): an employer's file that would be is split by work
day, and a work day that still would be, into numbered parts."""
_CHUNKS = 4096  # template chunks joined into one write


try:  # markupsafe's own C escaping, without making a Markup of each value
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - an older or pure-Python markupsafe
    _escape_inner = None


def _escaped(value: object) -> str:
    """`value` as jinja2's autoescape writes it (markupsafe.escape), as a plain str."""
    if _escape_inner is not None and type(value) is str:
        return _escape_inner(value)
    return str(escape(value))


class Moments:
    """Each instant's text on a page, escaped, worked out once: a large run shows the same
    few hundred moments on many lines."""

    def __init__(self) -> None:
        self._moments: dict[object, str] = {}

    def moment(self, moment: datetime | None) -> str:
        """format_datetime, escaped.

        The key is the moment with its fold: equal moments are one instant (a datetime keeps
        its hash, so the look-up costs little), and the two readings of the autumn's
        repeated hour, equal to Python as wall times of one zone, stay apart by their fold.
        """
        if moment is None:
            return ""
        key = (moment, moment.fold)
        text = self._moments.get(key)
        if text is None:
            text = self._moments[key] = _escaped(format_datetime(moment))
        return text


class ReceiptPrinter(Moments):
    """Writes each receipt of a run as its HTML block, and its line in the page's index.

    This is the one place a receipt's markup is made, once per receipt, as one string: every
    value escaped once, the words of the report's language escaped once per run, and the
    texts that repeat across a run (moments, employers, answers, kinds, channels) formatted
    and escaped once each. Nothing is kept per receipt: a page of 100,000 receipts never
    holds more than the one being written.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        w = {key: _escaped(word) for key, word in labels(lang).items()}
        self.words = w
        super().__init__()
        self._employers: dict[Employer, tuple[str, str, str]] = {}
        self._insz: dict[str, str] = {}
        self._anomalies: dict[tuple[str, ...], str] = {(): ""}
        self._channels: dict[str, tuple[str, bool]] = {}
        flag_attention = f'<span class="flag">⚠ {w["attention"]}</span>'
        self._status: dict[Result, tuple[str, str, str]] = {}
        for result in Result:
            css = _STATUS_CLASS[result]
            status = _escaped(status_label(result, lang))
            self._status[result] = (
                css,
                f'<span class="status-{css}">{status}</span>',
                f'<span class="status status-{css}">{status}</span>'
                + (flag_attention if result is Result.WARNING else ""),
            )
        self._kinds = {k: (_escaped(str(k)), _escaped(kind_label(k, lang))) for k in Kind}
        self._late = f'<span class="flag flag-refused">{w["late"]}</span>'
        self._banner = f'<div class="sandbox-banner">{w["sandbox_banner"]}</div>\n'
        self._fixed = (
            f"<tr><th>{w['joint_committee']}</th><td>{_escaped(JOINT_COMMITTEE)}</td></tr>\n"
            f"<tr><th>{w['worker_type']}</th><td>{_escaped(WORKER_TYPE)}</td></tr>\n"
        )

    def line(self, number: int, d: Declaration) -> str:
        """The receipt's line in the index at the top of its page."""
        _, status, _ = self._status[d.result]
        return (
            f'<li><a class="num" href="#r-{number}">{_escaped(d.period_id or "—")}'
            f" / {_escaped(d.declaration_id)}</a> {self._kinds[d.kind][0]}"
            f" · {self.moment(d.start)} · {_escaped(d.worker.last_name)}"
            f" {_escaped(d.worker.first_name)} · {status}</li>\n"
        )

    def receipt(self, number: int, d: Declaration) -> str:
        """The receipt's block: an article of its fields, as templates/receipts-body.html
        places it."""
        w = self.words
        employer = self._employers.get(d.employer)
        if employer is None:
            employer = self._employers[d.employer] = (
                _escaped(enterprise_text(d.employer.enterprise_number)),
                _escaped(d.employer.nsso_number),
                _escaped(d.employer.name),
            )
        enterprise, nsso, employer_name = employer
        worker = d.worker
        insz = self._insz.get(worker.insz)
        if insz is None:
            insz = self._insz[worker.insz] = _escaped(insz_text(worker.insz))
        anomalies = self._anomalies.get(d.anomalies)
        if anomalies is None:
            anomalies = self._anomalies[d.anomalies] = (
                f"<tr><th>{w['anomalies']}</th><td>"
                + "<br>".join(_escaped(translate(a, self.lang)) for a in d.anomalies)
                + "</td></tr>\n"
            )
        channel = self._channels.get(d.channel)
        if channel is None:
            channel = self._channels[d.channel] = (
                _escaped(channel_label(d.channel, self.lang)),
                d.channel == "sandbox",
            )
        channel_text, sandbox = channel
        css, _, status = self._status[d.result]
        kind, kind_word = self._kinds[d.kind]
        answered = ""
        if d.answered_at is not None:
            answered = (
                f"<tr><th>{w['answered_at']}</th>"
                f'<td class="num">{self.moment(d.answered_at)}</td></tr>\n'
            )
        identified = ""
        if not worker.insz:
            who = identified_by(worker, self.lang)
            if who:
                identified = f"<tr><th>{w['identified_by']}</th><td>{_escaped(who)}</td></tr>\n"
        references = d.references
        return (
            f'<article class="receipt status-{css}-box" id="r-{number}">\n'
            f"{self._banner if sandbox else ''}"
            f"<h3>{w['receipt']} Dimona {kind} "
            f'<span class="muted">({kind_word})</span></h3>\n'
            '<table class="fields">\n'
            f"<tr><th>{w['period_number']}</th>"
            f'<td class="num">{_escaped(d.period_id or "")}</td></tr>\n'
            f"<tr><th>{w['declaration_number']}</th>"
            f'<td class="num">{_escaped(d.declaration_id)}</td></tr>\n'
            f"<tr><th>{w['type']}</th><td>{kind}</td></tr>\n"
            f"<tr><th>{w['status']}</th><td>{status}"
            f"{self._late if d.late else ''}</td></tr>\n"
            f"{anomalies}"
            f'<tr><th>{w["sent_at"]}</th><td class="num">{self.moment(d.sent_at)}</td></tr>\n'
            f"{answered}"
            f'<tr><th>{w["start"]}</th><td class="num">{self.moment(d.start)}</td></tr>\n'
            f'<tr><th>{w["end"]}</th><td class="num">{self.moment(d.end)}</td></tr>\n'
            f"<tr><th>{w['employer']}</th><td>{employer_name}</td></tr>\n"
            f'<tr><th>{w["enterprise_number"]}</th><td class="num">{enterprise}</td></tr>\n'
            f'<tr><th>{w["nsso_number"]}</th><td class="num">{nsso}</td></tr>\n'
            f'<tr><th>{w["insz"]}</th><td class="num">{insz}</td></tr>\n'
            f"<tr><th>{w['last_name']}</th><td>{_escaped(worker.last_name)}</td></tr>\n"
            f"<tr><th>{w['first_name']}</th><td>{_escaped(worker.first_name)}</td></tr>\n"
            f"{identified}"
            f"{self._fixed}"
            f"<tr><th>{w['employer_reference']}</th><td>{_escaped(references.employer)}</td></tr>\n"
            f"<tr><th>{w['worker_reference']}</th><td>{_escaped(references.worker)}</td></tr>\n"
            f"<tr><th>{w['declaration_reference']}</th>"
            f"<td>{_escaped(references.declaration)}</td></tr>\n"
            f"<tr><th>{w['source']}</th><td>{_escaped(d.source)}</td></tr>\n"
            f"<tr><th>{w['channel']}</th><td>{channel_text}</td></tr>\n"
            "</table>\n"
            "</article>\n"
        )


_BATCH = 64  # receipts joined into one piece of markup for the template


class Receipts:
    """Some receipts of a run (positions in it), printed afresh each time a page loops over
    them: the index lines and the receipts below them each as one piece of markup."""

    __slots__ = ("declarations", "numbers", "printer")  # numbers: an array, 8 bytes each

    def __init__(
        self,
        declarations: Sequence[Declaration],
        numbers: Sequence[int],
        printer: ReceiptPrinter,
    ) -> None:
        self.declarations = declarations
        self.numbers = numbers
        self.printer = printer

    def __iter__(self) -> Iterator[Markup]:
        return self._printed(self.printer.receipt)

    def lines(self) -> Iterator[Markup]:
        return self._printed(self.printer.line)

    def _printed(self, print_one: Callable[[int, Declaration], str]) -> Iterator[Markup]:
        """The receipts printed by `print_one`, _BATCH at a time as one piece of markup."""
        declarations, numbers = self.declarations, self.numbers
        for start in range(0, len(numbers), _BATCH):
            yield Markup(
                "".join(
                    [print_one(n + 1, declarations[n]) for n in numbers[start : start + _BATCH]]
                )
            )

    def __len__(self) -> int:
        return len(self.numbers)

    def __bool__(self) -> bool:
        return bool(self.numbers)


@dataclass(frozen=True, slots=True)
class EmployerGroup:
    anchor: str
    name: str
    enterprise_number: str
    nsso_number: str
    key: str
    """The enterprise number (else the NSSO number): who the employer is, and its file."""
    receipts: Receipts

    @property
    def lines(self) -> Iterator[Markup]:
        return self.receipts.lines()


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


def summary_view(
    declarations: Sequence[Declaration], lang: str, summary: Summary | None = None
) -> list[SummaryRow]:
    """The summary of receipts.xlsx's second sheet, as the lines of the index's table
    (`summary`: summarize(declarations), if the caller has it already)."""
    employers, overall = summary or summarize(declarations)
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


@dataclass(frozen=True, slots=True)
class PartLink:
    """One file of a split receipts.html, as the index links it."""

    href: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class EmployerFile:
    """An employer on the index of a split receipts.html: its file, or its work days'."""

    name: str
    enterprise_number: str
    count: int
    href: str
    parts: list[PartLink]


def employer_groups(declarations: Sequence[Declaration], lang: str) -> list[EmployerGroup]:
    """The run's receipts by employer, in order of appearance, to be viewed as written."""
    printer = ReceiptPrinter(lang)
    groups: dict[str, EmployerGroup] = {}
    for number, declaration in enumerate(declarations):
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
                key=key,
                receipts=Receipts(declarations, array("q"), printer),
            )
        group.receipts.numbers.append(number)
    return list(groups.values())


def write_receipts_html(
    declarations: Sequence[Declaration],
    path: str | os.PathLike[str],
    lang: str = "nl",
    title_note: str = "",
    *,
    split_over: int = SPLIT_OVER,
    max_bytes: int = MAX_FILE_BYTES,
    summary: Summary | None = None,
) -> Path:
    """receipts.html: one printable receipt per declaration, grouped by employer, indexed.

    A run of more than `split_over` receipts writes it as an index page (the run's summary,
    a link per employer) and the receipts in a folder named after it (`receipts/`): one
    file per employer (`receipts/0123456749.html`), or, for an employer whose file would
    pass `max_bytes`, one per work day (`receipts/0123456749-2026-06-29.html`). Every page
    is streamed to its file as the template renders it. `summary`, if given, is
    summarize(declarations), worked out by the caller for receipts.xlsx too.
    """
    t = _words(lang)
    counts = dict.fromkeys(Result, 0)
    for declaration in declarations:
        counts[declaration.result] += 1
    groups = employer_groups(declarations, lang)
    common = {
        "lang": lang,
        "t": t,
        "title_note": title_note,
        "sandbox": any(d.channel == "sandbox" for d in declarations),
    }
    context = {
        **common,
        "title": t.receipts_title,
        "total": len(declarations),
        "counts": [
            StatusCount(status_label(result, lang), _STATUS_CLASS[result], n)
            for result, n in counts.items()
        ],
        "summary": summary_view(declarations, lang, summary) if declarations else [],
        "groups": groups,
        "files": [],
    }
    target = Path(path)
    folder = target.with_suffix("")
    if len(declarations) <= split_over:
        write_html(target, "receipts.html", **context)
        remove_split(folder)  # an earlier, larger run's employer files
        return target

    with atomic_folder(folder) as scratch:
        files = [
            _write_employer(group, scratch, folder.name, f"../{target.name}", common, max_bytes)
            for group in groups
        ]
    return write_html(target, "receipts.html", **{**context, "files": files})


def _write_employer(
    group: EmployerGroup,
    folder: Path,
    href: str,
    index_href: str,
    common: dict[str, Any],
    max_bytes: int,
) -> EmployerFile:
    """The employer's receipts page in `folder`; per work day (and part) if it is too large."""
    stem = _file_stem(group)
    page = _Page(common, index_href, group)

    def link(name: str) -> str:
        return f"{quote(href)}/{quote(name)}"

    if page.write(folder / f"{stem}.html", group.receipts.numbers, "", max_bytes):
        return EmployerFile(
            group.name, group.enterprise_number, len(group.receipts), link(f"{stem}.html"), []
        )
    parts: list[PartLink] = []
    by_day: dict[date, array[int]] = {}
    declarations = group.receipts.declarations
    for n in group.receipts.numbers:
        by_day.setdefault(declarations[n].start.astimezone(BRUSSELS).date(), array("q")).append(n)
    t = common["t"]
    for day, numbers in by_day.items():
        day_text = f"{day:%d/%m/%Y}"
        chunks = page.write_split(folder, f"{stem}-{day.isoformat()}", numbers, day_text, max_bytes)
        for i, (name, chunk) in enumerate(chunks, start=1):
            shown = day_text if len(chunks) == 1 else f"{day_text} ({t.part} {i})"
            parts.append(PartLink(link(name), shown, len(chunk)))
    return EmployerFile(group.name, group.enterprise_number, len(group.receipts), "", parts)


class _Page:
    """An employer's receipts page of a split receipts.html, written for some of them."""

    def __init__(self, common: dict[str, Any], index_href: str, group: EmployerGroup) -> None:
        self.common = common
        self.index_href = index_href
        self.group = group

    def write(self, path: Path, numbers: Sequence[int], day: str, max_bytes: int) -> bool:
        """Write the page of `numbers`; False (and nothing written) if it passes max_bytes."""
        t = self.common["t"]
        group = self.group
        note = " · ".join(
            p for p in (self.common["title_note"], day and f"{t.work_day} {day}") if p
        )
        receipts = Receipts(group.receipts.declarations, numbers, group.receipts.printer)
        part = replace(group, receipts=receipts)
        return stream_html(
            path,
            "receipts-part.html",
            max_bytes,
            **{
                **self.common,
                "title": f"{t.receipts_title} · {group.name}",
                "title_note": note,
                "index_href": self.index_href,
                "groups": [part],
            },
        )

    def write_split(
        self, folder: Path, stem: str, numbers: Sequence[int], day: str, max_bytes: int
    ) -> list[tuple[str, Sequence[int]]]:
        """The page of `numbers` as `stem.html`, or as `stem-1.html`, `stem-2.html`, ...
        halved until each is within max_bytes (a single receipt is written as it is)."""
        if self.write(folder / f"{stem}.html", numbers, day, max_bytes):
            return [(f"{stem}.html", numbers)]
        pending = [numbers]
        done: list[Sequence[int]] = []
        while pending:
            chunk = pending.pop(0)
            name = f"{stem}-{len(done) + 1}.html"
            limit = max_bytes if len(chunk) > 1 else None
            if self.write(folder / name, chunk, day, limit):
                done.append(chunk)
            else:
                half = len(chunk) // 2
                pending[:0] = [chunk[:half], chunk[half:]]
        return [(f"{stem}-{i}.html", chunk) for i, chunk in enumerate(done, start=1)]


def _file_stem(group: EmployerGroup) -> str:
    """The employer's file name: its enterprise (or NSSO) number's digits and letters."""
    stem = re.sub(r"[^0-9A-Za-z]", "", group.key)
    return stem or group.anchor


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


class ProblemLines:
    """The problems of one sheet, each printed as its table row as the page loops over them
    (one string each, every value escaped once); nothing is kept per problem but the
    reference to it."""

    __slots__ = ("lang", "problems", "severities")

    def __init__(self, lang: str, severities: dict[Severity, str]) -> None:
        self.lang = lang
        self.problems: list[Problem] = []
        self.severities = severities

    def __iter__(self) -> Iterator[Markup]:
        lang, severities = self.lang, self.severities
        for p in self.problems:
            yield Markup(
                f'<tr class="severity-{_escaped(str(p.severity))}">'
                f'<td class="num">{"" if p.row is None else _escaped(str(p.row))}</td>'
                f"<td>{_escaped(p.column)}</td>"
                f'<td class="num">{_escaped(p.cell)}</td>'
                f"<td>{_escaped(p.value)}</td>"
                f"<td>{_escaped(problem_words(p, lang))}</td>"
                f'<td class="severity">{severities[p.severity]}</td></tr>\n'
            )


@dataclass(frozen=True, slots=True)
class SheetGroup:
    name: str
    problems: ProblemLines


@dataclass(frozen=True, slots=True)
class FileGroup:
    name: str
    sheets: list[SheetGroup]


def write_validation_html(
    problems: Sequence[Problem], path: str | os.PathLike[str], lang: str = "nl"
) -> Path:
    """validation.html: the problems in their given order, grouped by file, then sheet."""
    t = _words(lang)
    severities = {s: _escaped(severity_label(s, lang)) for s in Severity}
    files: dict[str, dict[str, ProblemLines]] = {}
    for p in problems:
        sheets = files.get(p.file)
        if sheets is None:
            sheets = files[p.file] = {}
        lines = sheets.get(p.sheet)
        if lines is None:
            lines = sheets[p.sheet] = ProblemLines(lang, severities)
        lines.problems.append(p)
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
