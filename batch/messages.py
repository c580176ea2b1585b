"""Problem messages in Dutch, French and English, in one table.

A Problem keeps its code and parameters, so the same problem reads in the report's language;
its `message` is the English text, for logs and exceptions.
"""

from __future__ import annotations

from .model import Problem, Severity

MESSAGES: dict[str, dict[str, str]] = {
    "missing": {
        "nl": "verplichte waarde ontbreekt",
        "fr": "valeur obligatoire manquante",
        "en": "required value is missing",
    },
    "insz_length": {
        "nl": "INSZ moet 11 cijfers hebben, {found} gevonden",
        "fr": "le NISS doit compter 11 chiffres, {found} trouvés",
        "en": "INSZ must have 11 digits, found {found}",
    },
    "insz_check": {
        "nl": "controlecijfers van het INSZ kloppen niet",
        "fr": "les chiffres de contrôle du NISS ne correspondent pas",
        "en": "INSZ check digits do not match",
    },
    "enterprise_length": {
        "nl": "ondernemingsnummer moet 10 cijfers hebben, {found} gevonden",
        "fr": "le numéro d'entreprise doit compter 10 chiffres, {found} trouvés",
        "en": "enterprise number must have 10 digits, found {found}",
    },
    "enterprise_check": {
        "nl": "controlecijfers van het ondernemingsnummer kloppen niet",
        "fr": "les chiffres de contrôle du numéro d'entreprise ne correspondent pas",
        "en": "enterprise number check digits do not match",
    },
    "nsso_check": {
        "nl": "RSZ-nummer lijkt ongeldig (controlecijfers)",
        "fr": "le numéro ONSS semble invalide (chiffres de contrôle)",
        "en": "NSSO number looks invalid (check digits)",
    },
    "bad_date": {
        "nl": "datum onleesbaar; verwacht dd/mm/jjjj of een datumcel",
        "fr": "date illisible ; attendu jj/mm/aaaa ou une cellule date",
        "en": "date cannot be read; expected dd/mm/yyyy or a date cell",
    },
    "bad_time": {
        "nl": "uur onleesbaar; verwacht UU:MM of een tijdcel",
        "fr": "heure illisible ; attendu HH:MM ou une cellule heure",
        "en": "time cannot be read; expected HH:MM or a time cell",
    },
    "no_such_time": {
        "nl": "dit uur bestaat niet die dag (zomertijd)",
        "fr": "cette heure n'existe pas ce jour-là (heure d'été)",
        "en": "this time does not exist that day (daylight saving)",
    },
    "end_equals_start": {
        "nl": "einde gelijk aan begin",
        "fr": "fin égale au début",
        "en": "end equals start",
    },
    "duplicate": {
        "nl": "dubbele prestatie: zelfde werkgever, werknemer, begin en einde als rij {first}",
        "fr": "prestation en double : même employeur, travailleur, début et fin "
        "que la ligne {first}",
        "en": "duplicate shift: same employer, worker, start and end as row {first}",
    },
    "overlap": {
        "nl": "overlapt met een andere prestatie van deze werknemer (rij {other})",
        "fr": "chevauche une autre prestation de ce travailleur (ligne {other})",
        "en": "overlaps another shift of this worker (row {other})",
    },
    "long_shift": {
        "nl": "prestatie van meer dan 12 uur ({hours} u)",
        "fr": "prestation de plus de 12 heures ({hours} h)",
        "en": "shift longer than 12 hours ({hours} h)",
    },
    "too_early": {
        "nl": "te vroeg: een FLX-aangifte kan pas vanaf {earliest}; niet verstuurd, wacht",
        "fr": "trop tôt : une déclaration FLX n'est possible qu'à partir du {earliest} ; "
        "non envoyée, en attente",
        "en": "too early: an FLX declaration can be filed from {earliest}; held back, not filed",
    },
    "late_in": {
        "nl": "laattijdige aangifte: de prestatie begon om {start}, vóór deze run",
        "fr": "déclaration tardive : la prestation a commencé à {start}, avant ce traitement",
        "en": "late declaration: the shift started at {start}, before this run",
    },
    "late_change": {
        "nl": "wijziging na het begin van periode {period} niet verstuurd; "
        "te regelen bij de afstemming met de werkelijke uren",
        "fr": "modification après le début de la période {period} non envoyée ; "
        "à régler lors du rapprochement des heures réelles",
        "en": "change after period {period} started not filed; "
        "handle it when reconciling actual hours",
    },
    "add_only_overlap": {
        "nl": "overlapt met aangegeven periode {period}; niet gewijzigd (--add-only)",
        "fr": "chevauche la période déclarée {period} ; non modifiée (--add-only)",
        "en": "overlaps declared period {period}; not changed (--add-only)",
    },
    "no_header": {
        "nl": "geen kopregel herkend; gevonden: {found}; nodig: {needed}",
        "fr": "aucune ligne d'en-tête reconnue ; trouvé : {found} ; requis : {needed}",
        "en": "no header row recognised; found: {found}; needed: {needed}",
    },
    "unreadable_file": {
        "nl": "bestand kan niet gelezen worden als Excel (.xlsx): {error}",
        "fr": "le fichier ne peut pas être lu comme Excel (.xlsx) : {error}",
        "en": "file cannot be read as Excel (.xlsx): {error}",
    },
    "times_missing": {
        "nl": "begin- of einduur ontbreekt (of een status zoals 'afwezig')",
        "fr": "heure de début ou de fin manquante (ou un statut comme 'absent')",
        "en": "start or end time is missing (or a status such as 'absent')",
    },
    "refused": {
        "nl": "geweigerd door de RSZ: {anomalies}",
        "fr": "refusée par l'ONSS : {anomalies}",
        "en": "refused by the NSSO: {anomalies}",
    },
}


def message(code: str, lang: str = "en", **params: object) -> str:
    return MESSAGES[code][lang].format(**params)


def problem(
    code: str,
    *,
    file: str,
    sheet: str,
    row: int | None = None,
    column: str = "",
    cell: str = "",
    value: object = "",
    severity: Severity = Severity.ERROR,
    **params: object,
) -> Problem:
    """A Problem whose text can be rendered in any of the three languages."""
    return Problem(
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        cell=cell,
        value="" if value is None else str(value),
        message=message(code, "en", **params),
        severity=severity,
        code=code,
        params=tuple((k, str(v)) for k, v in params.items()),
    )


def problem_text(p: Problem, lang: str) -> str:
    """The problem in the report's language (its English message when it has no code)."""
    if p.code in MESSAGES:
        return message(p.code, lang, **dict(p.params))
    return p.message
