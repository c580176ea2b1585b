"""What the command line prints, in the report's language: the labels and the lines they make.

Pure functions over counts and plain values, so `batch.cli` only prints what they return and
every line can be tested in nl, fr and en. Importing this module loads nothing heavy (the
summary table imports rich's Table when it is built).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .messages import problem_text
from .model import Problem, Severity

if TYPE_CHECKING:
    from rich.table import Table

    from .pipeline import RunResult

LANGS = ("nl", "fr", "en")

# The rows of the summary table (the keys of `RunResult.counts`), per language.
COUNTS: dict[str, dict[str, str]] = {
    "declared": {"nl": "aangegeven", "fr": "déclarées", "en": "declared"},
    "unchanged": {"nl": "ongewijzigd", "fr": "inchangées", "en": "unchanged"},
    "updated": {"nl": "gewijzigd", "fr": "modifiées", "en": "updated"},
    "cancelled": {"nl": "geannuleerd", "fr": "annulées", "en": "cancelled"},
    "rejected": {"nl": "afgewezen", "fr": "rejetées", "en": "rejected"},
    "late": {"nl": "te laat", "fr": "en retard", "en": "late"},
    "held": {"nl": "tegengehouden", "fr": "retenues", "en": "held"},
    "warned": {"nl": "met waarschuwing", "fr": "avec avertissement", "en": "warned"},
    "pending": {"nl": "in behandeling", "fr": "en attente", "en": "pending"},
    "identified": {"nl": "geïdentificeerd", "fr": "identifiées", "en": "identified"},
    "imported": {"nl": "ingelezen", "fr": "importées", "en": "imported"},
    "answered": {"nl": "beantwoord", "fr": "répondues", "en": "answered"},
    "in flight": {"nl": "onderweg", "fr": "en cours", "en": "in flight"},
    "accepted": {"nl": "aanvaard", "fr": "acceptées", "en": "accepted"},
    "refused": {"nl": "geweigerd", "fr": "refusées", "en": "refused"},
    "still to type": {"nl": "nog in te typen", "fr": "encore à encoder", "en": "still to type"},
    "looked at": {"nl": "bekeken", "fr": "examinées", "en": "looked at"},
    "match": {"nl": "klopt", "fr": "conformes", "en": "match"},
    "update": {"nl": "te wijzigen", "fr": "à modifier", "en": "update"},
    "cancel": {"nl": "te annuleren", "fr": "à annuler", "en": "cancel"},
    "declare": {"nl": "aan te geven", "fr": "à déclarer", "en": "declare"},
    "manual": {"nl": "manueel", "fr": "manuel", "en": "manual"},
}

# The summary table's first column, by command.
TITLES: dict[str, dict[str, str]] = {
    "declare": {"nl": "diensten", "fr": "prestations", "en": "shifts"},
    "reconcile": {"nl": "gewerkte diensten", "fr": "prestations réelles", "en": "actual shifts"},
    "import": {"nl": "aangiften", "fr": "déclarations", "en": "declarations"},
    "sync": {"nl": "aangiften", "fr": "déclarations", "en": "declarations"},
}

# The stages of a run as the progress bar names them (`pipeline` calls `stage(name)`).
STAGES: dict[str, dict[str, str]] = {
    "read": {"nl": "lezen", "fr": "lecture", "en": "reading"},
    "validate": {"nl": "valideren", "fr": "validation", "en": "validating"},
    "plan": {"nl": "plannen", "fr": "planification", "en": "planning"},
    "file": {"nl": "indienen", "fr": "dépôt", "en": "filing"},
    "record": {"nl": "vastleggen", "fr": "enregistrement", "en": "recording"},
    "render": {"nl": "rapporten schrijven", "fr": "écriture des rapports", "en": "writing reports"},
}

LINES: dict[str, dict[str, str]] = {
    "starting": {"nl": "starten", "fr": "démarrage", "en": "starting"},
    "dry_run": {
        "nl": "proefdraaien: niets ingediend",
        "fr": "essai : rien n'est déposé",
        "en": "dry run: nothing filed",
    },
    "error": {"nl": "fout", "fr": "erreur", "en": "error"},
    "info": {"nl": "info", "fr": "info", "en": "info"},
    "row": {"nl": "rij", "fr": "ligne", "en": "row"},
    "more_errors": {
        "nl": "… en nog {n} fouten",
        "fr": "… et {n} autres erreurs",
        "en": "… and {n} more errors",
    },
    "warnings": {
        "nl": "{n} waarschuwing(en): zie het validatierapport",
        "fr": "{n} avertissement(s) : voir le rapport de validation",
        "en": "{n} warning(s): see the validation report",
    },
    "wrote": {"nl": "geschreven: {path}", "fr": "écrit : {path}", "en": "wrote {path}"},
    "wrote_batch": {
        "nl": "geschreven: {path} (batch {n})",
        "fr": "écrit : {path} (lot {n})",
        "en": "wrote {path} (batch {n})",
    },
    "unusable": {
        "nl": "geen enkel bestand kon gelezen worden: niets aangegeven",
        "fr": "aucun fichier n'a pu être lu : rien n'est déclaré",
        "en": "no roster could be read: nothing was declared",
    },
    "earlier_receipts": {
        "nl": "batch {n}: de ontvangstbewijzen waren nog niet geschreven; nu in {names}",
        "fr": "lot {n} : ses accusés de réception n'avaient pas été écrits ; maintenant dans "
        "{names}",
        "en": "batch {n}: its receipts had not been written; now in {names}",
    },
    "reports_error": {
        "nl": "batch {n} is vastgelegd in het grootboek ({filed} aangifte(n) ingediend), maar "
        "de rapporten konden niet geschreven worden: {error}",
        "fr": "le lot {n} est enregistré dans le registre ({filed} déclaration(s) déposée(s)), "
        "mais ses rapports n'ont pas pu être écrits : {error}",
        "en": "batch {n} is committed in the ledger ({filed} declaration(s) filed), but its "
        "reports could not be written: {error}",
    },
    "receipts_later": {
        "nl": "De ontvangstbewijzen worden geschreven door de volgende run op dit grootboek, "
        "of nu met: {command}",
        "fr": "Ses accusés de réception seront écrits par la prochaine exécution sur ce "
        "registre, ou maintenant avec : {command}",
        "en": "Its receipts will be written by the next run on this ledger, or now with: {command}",
    },
    "nothing_filed": {
        "nl": "niets ingediend: geen ontvangstbewijzen geschreven",
        "fr": "rien n'est déposé : aucun accusé de réception écrit",
        "en": "nothing filed: no receipts written",
    },
    "write_again": {
        "nl": "; om eerdere ontvangstbewijzen opnieuw te schrijven: {command}",
        "fr": " ; pour réécrire des accusés de réception antérieurs : {command}",
        "en": "; to write earlier receipts again: {command}",
    },
    "recorded": {
        "nl": "batch {n} vastgelegd in het grootboek",
        "fr": "lot {n} enregistré dans le registre",
        "en": "batch {n} recorded in the ledger",
    },
    "usage_error": {"nl": "fout:", "fr": "erreur :", "en": "error:"},
    "unexpected": {
        "nl": "onverwachte fout:",
        "fr": "erreur inattendue :",
        "en": "unexpected error:",
    },
    "details_in": {"nl": "details in {log}", "fr": "détails dans {log}", "en": "details in {log}"},
    "no_log": {
        "nl": "er kon geen logbestand geschreven worden",
        "fr": "aucun fichier journal n'a pu être écrit",
        "en": "no log file could be written",
    },
    # what a channel did
    "web_queued": {
        "nl": "{n} op het werkblad gezet, niets ingediend",
        "fr": "{n} mise(s) sur la feuille de travail, rien n'est déposé",
        "en": "{n} queued on the worksheet, nothing filed",
    },
    "web_open": {
        "nl": "{n} in totaal nog in te typen in het webformulier",
        "fr": "{n} au total encore à encoder dans le formulaire web",
        "en": "{n} in all still to type in the web form",
    },
    "rest_filed": {
        "nl": "{n} aangifte(n) ingediend bij de RSZ",
        "fr": "{n} déclaration(s) introduite(s) auprès de l'ONSS",
        "en": "{n} declaration(s) filed with the NSSO",
    },
    "in_flight": {
        "nl": "{n} aangifte(n) nog onderweg (te verzenden of zonder antwoord): start later"
        " dimona-batch sync",
        "fr": "{n} déclaration(s) encore en cours (à envoyer ou sans réponse) : lancez plus"
        " tard dimona-batch sync",
        "en": "{n} declaration(s) still in flight (to send or without an answer yet): run"
        " dimona-batch sync later",
    },
    "unreachable": {
        "nl": "de RSZ kon niet bereikt worden: {why}",
        "fr": "l'ONSS n'a pas pu être joint : {why}",
        "en": "the NSSO could not be reached: {why}",
    },
    "sandbox": {
        "nl": "SANDBOX: niets bereikte de RSZ ({n} aangifte(n) ingediend in de sandbox)",
        "fr": "SANDBOX : rien n'est parvenu à l'ONSS ({n} déclaration(s) déposée(s) dans le "
        "bac à sable)",
        "en": "SANDBOX: nothing reached the NSSO ({n} filed in the sandbox)",
    },
    # the demo
    "demo_roster": {
        "nl": "1. Rooster week 27",
        "fr": "1. Horaire semaine 27",
        "en": "1. Roster week 27",
    },
    "demo_changes": {
        "nl": "2. Gecorrigeerd rooster",
        "fr": "2. Horaire corrigé",
        "en": "2. Corrected roster",
    },
    "demo_actuals": {
        "nl": "3. Gewerkte uren",
        "fr": "3. Heures prestées",
        "en": "3. Actual hours",
    },
    "demo_step": {
        "nl": "{title} ({sample}), op {as_of}",
        "fr": "{title} ({sample}), au {as_of}",
        "en": "{title} ({sample}), as of {as_of}",
    },
    "demo_periods": {
        "nl": "4. De periodes in het grootboek (dimona-batch periods)",
        "fr": "4. Les périodes du registre (dimona-batch periods)",
        "en": "4. The periods in the ledger (dimona-batch periods)",
    },
    "demo_due": {
        "nl": "5. Wat moet gebeuren (dimona-batch due), op {as_of}",
        "fr": "5. Ce qui est à faire (dimona-batch due), au {as_of}",
        "en": "5. What is due (dimona-batch due), as of {as_of}",
    },
    "demo_payroll": {
        "nl": "6. Voor het sociaal secretariaat: week 27 (dimona-batch export)",
        "fr": "6. Pour le secrétariat social : semaine 27 (dimona-batch export)",
        "en": "6. The payroll input of week 27 (dimona-batch export)",
    },
    "demo_open": {
        "nl": "\nOpen [bold]{out}/receipts.html[/] en [bold]{out}/validation.html[/]; de "
        "rapporten van het gecorrigeerde rooster staan in [bold]{out}/changes/[/], het "
        "correctierapport in [bold]{out}/reconcile/corrections.html[/].",
        "fr": "\nOuvrez [bold]{out}/receipts.html[/] et [bold]{out}/validation.html[/] ; les "
        "rapports de l'horaire corrigé sont dans [bold]{out}/changes/[/], le rapport de "
        "corrections dans [bold]{out}/reconcile/corrections.html[/].",
        "en": "\nOpen [bold]{out}/receipts.html[/] and [bold]{out}/validation.html[/]; the "
        "corrected roster's reports are in [bold]{out}/changes/[/], the correction report "
        "in [bold]{out}/reconcile/corrections.html[/].",
    },
}

ATTENTION = frozenset({"rejected", "late", "held", "warned", "manual", "refused"})
"""Counts that need a person: shown in bold yellow when not zero."""


def label(key: str, lang: str, **params: object) -> str:
    """One fixed line or word in `lang` (English for an unknown language)."""
    texts = LINES[key]
    return texts.get(lang, texts["en"]).format(**params)


def _word(table: Mapping[str, Mapping[str, str]], key: str, lang: str) -> str:
    texts = table.get(key)
    return texts.get(lang, texts["en"]) if texts else key


def stage_name(stage: str, lang: str) -> str:
    return _word(STAGES, stage, lang)


def summary_table(
    counts: Mapping[str, int], command: str, lang: str, dry_run: bool = False
) -> Table:
    """The run's counts, one row each, those needing a person in bold yellow."""
    from rich.table import Table

    table = Table(title=label("dry_run", lang) if dry_run else None)
    table.add_column(_word(TITLES, command, lang))
    table.add_column("", justify="right")
    for name, value in counts.items():
        style = "bold yellow" if value and name in ATTENTION else ""
        table.add_row(_word(COUNTS, name, lang), str(value), style=style)
    return table


Line = tuple[str, str]
"""One line to print: its plain text (no markup) and its rich style ("" for none)."""


def problem_line(p: Problem, lang: str) -> str:
    """`fout    roster.xlsx [Week 27] D5 (INSZ): controlecijfers ...`"""
    word = label("error", lang) if p.severity is Severity.ERROR else label("info", lang)
    where = f"{p.file} [{p.sheet}]" if p.sheet else p.file
    if p.cell:
        where += f" {p.cell}"
    elif p.row:
        where += f" {label('row', lang)} {p.row}"
    column = f" ({p.column})" if p.column else ""
    return f"{word:<8}{where}{column}: {problem_text(p, lang)}"


def problem_lines(problems: Sequence[Problem], lang: str, limit: int = 10) -> list[Line]:
    """The first `limit` errors and how many more, the number of warnings, every info."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    lines = [(problem_line(p, lang), "red") for p in errors[:limit]]
    if len(errors) > limit:
        lines.append((label("more_errors", lang, n=len(errors) - limit), ""))
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    if warnings:
        lines.append((label("warnings", lang, n=warnings), ""))
    lines += [(problem_line(p, lang), "") for p in problems if p.severity is Severity.INFO]
    return lines


@dataclass(frozen=True)
class ChannelCounts:
    """What a run's channel did, for the lines that say so (`channel_lines`).

    The outbox's counts (in flight, unreachable) hold for the sandbox and rest channels.
    """

    filed: int = 0
    """Declarations the channel answered in this run."""
    queued: int = 0
    """Rows this run put on the web-form worksheet."""
    open: int = 0
    """Rows still to type on the worksheet, this run's and earlier ones."""
    in_flight: int = 0
    """Operations still to send or sent without an answer (sandbox and rest)."""
    unreachable: str = ""
    """Why the NSSO could not be reached, if it could not."""


def channel_lines(channel: str, counts: ChannelCounts, lang: str) -> list[Line]:
    """What the channel did, in words: nothing left to guess about what reached the NSSO."""
    lines: list[Line] = []
    if channel == "web":
        lines.append((label("web_queued", lang, n=counts.queued), "bold"))
        if counts.open > counts.queued:
            lines.append((label("web_open", lang, n=counts.open), ""))
    elif channel == "sandbox" and counts.filed:
        lines.append((label("sandbox", lang, n=counts.filed), "bold magenta"))
    elif channel == "rest" and counts.filed:
        lines.append((label("rest_filed", lang, n=counts.filed), "bold"))
    if counts.unreachable:
        lines.append((label("unreachable", lang, why=counts.unreachable), "red"))
    if counts.in_flight:
        lines.append((label("in_flight", lang, n=counts.in_flight), "yellow"))
    return lines


def channel_counts(result: RunResult) -> ChannelCounts:
    return ChannelCounts(
        filed=len(result.filed),
        queued=len(result.queued),
        open=len(result.worksheet_open),
        in_flight=result.in_flight,
        unreachable=result.unreachable,
    )


def report_lines(result: RunResult, channel: str | None, lang: str) -> list[Line]:
    """Everything a declare, reconcile or import run prints below its summary table.

    `channel` is the run's channel (None for an import, which files through none).
    """
    lines = problem_lines(result.problems, lang)
    lines += [(label("wrote", lang, path=path), "") for path in result.outputs]
    if result.unusable:
        lines.append((label("unusable", lang), "red"))
    if channel and not result.dry_run and result.batch_id is not None:
        lines += channel_lines(channel, channel_counts(result), lang)
    return lines + receipt_lines(result, lang)


def receipt_lines(result: RunResult, lang: str) -> list[Line]:
    """What became of the run's batch and of receipts earlier runs never wrote."""
    if result.batch_id is None:
        return []
    again = "dimona-batch receipts --batch {n} --out DIR"
    if result.ledger is not None:
        again += f" --ledger {result.ledger}"
    lines = [
        (label("earlier_receipts", lang, n=n, names=", ".join(p.name for p in paths)), "yellow")
        for n, paths in result.earlier_receipts.items()
    ]
    if result.reports_error:
        error = label(
            "reports_error",
            lang,
            n=result.batch_id,
            filed=len(result.filed),
            error=result.reports_error,
        )
        lines.append((error, "red"))
        if result.declarations:
            command = again.format(n=result.batch_id)
            lines.append((label("receipts_later", lang, command=command), ""))
        return lines
    if result.nothing_filed:
        line = label("nothing_filed", lang)
        if result.last_receipts_batch is not None:
            command = again.format(n=result.last_receipts_batch)
            line += label("write_again", lang, command=command)
        lines.append((line, ""))
    else:
        lines.append((label("recorded", lang, n=result.batch_id), ""))
    return lines
