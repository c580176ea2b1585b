"""Every word the reports show, in Dutch (the default), French and English, in one table.

The rest of the package names things in English; a report asks this table for the word in
its language, so a translation is fixed here and nowhere else (domain.md §8 for the terms).
"""

from __future__ import annotations

from ..model import Kind, Result, Severity

LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"

# key: (nl, fr, en)
LABELS: dict[str, tuple[str, str, str]] = {
    # --- receipts: column headers (with --lang en exactly the architecture's list) -----
    "period_number": ("Periodenummer", "Numéro de période", "Period number"),
    "declaration_number": ("Aangiftenummer", "Numéro de déclaration", "Declaration number"),
    "type": ("Type", "Type", "Type"),
    "status": ("Status", "Statut", "Status"),
    "anomalies": ("Anomalieën", "Anomalies", "Anomalies"),
    "sent_at": ("Verzonden op", "Envoyée le", "Sent at"),
    "start": ("Begin", "Début", "Start"),
    "end": ("Einde", "Fin", "End"),
    "enterprise_number": ("Ondernemingsnummer", "Numéro d'entreprise", "Enterprise number"),
    "nsso_number": ("RSZ-nummer", "Numéro ONSS", "NSSO number"),
    "employer": ("Werkgever", "Employeur", "Employer"),
    "insz": ("INSZ", "NISS", "INSZ"),
    "last_name": ("Naam", "Nom", "Last name"),
    "first_name": ("Voornaam", "Prénom", "First name"),
    "joint_committee": ("Paritair comité", "Commission paritaire", "Joint committee"),
    "worker_type": ("Type werknemer", "Type de travailleur", "Worker type"),
    "employer_reference": ("Referentie werkgever", "Référence employeur", "Employer reference"),
    "worker_reference": ("Referentie werknemer", "Référence travailleur", "Worker reference"),
    "declaration_reference": (
        "Referentie aangifte",
        "Référence déclaration",
        "Declaration reference",
    ),
    "source": ("Bron", "Source", "Source"),
    "channel": ("Kanaal", "Canal", "Channel"),
    # --- validation: column headers ----------------------------------------------------
    "file": ("Bestand", "Fichier", "File"),
    "sheet": ("Blad", "Feuille", "Sheet"),
    "row": ("Rij", "Ligne", "Row"),
    "column": ("Kolom", "Colonne", "Column"),
    "cell": ("Cel", "Cellule", "Cell"),
    "value": ("Waarde", "Valeur", "Value"),
    "problem": ("Probleem", "Problème", "Problem"),
    "severity": ("Ernst", "Gravité", "Severity"),
    # --- sheet names (at most 31 characters, none of []:*?/\) ---------------------------
    "receipts_sheet": ("Ontvangstbewijzen", "Accusés de réception", "Receipts"),
    "problems_sheet": ("Problemen", "Problèmes", "Problems"),
    # --- status words (domain.md §4, the web form's wording) ---------------------------
    "status_accepted": ("Aanvaard", "Acceptée", "Accepted"),
    "status_warning": (
        "Aanvaard (waarschuwing)",
        "Acceptée avec avertissement",
        "Accepted with warning",
    ),
    "status_refused": ("Geweigerd", "Refusée", "Refused"),
    "status_pending": ("In behandeling", "En attente", "Pending"),
    # --- kind words --------------------------------------------------------------------
    "kind_in": ("indiensttreding", "entrée en service", "start of employment"),
    "kind_update": ("wijziging", "modification", "update"),
    "kind_cancel": ("annulatie", "annulation", "cancellation"),
    # --- severities --------------------------------------------------------------------
    "severity_error": ("fout", "erreur", "error"),
    "severity_warning": ("waarschuwing", "avertissement", "warning"),
    # --- channels ----------------------------------------------------------------------
    "channel_sandbox": ("SANDBOX", "SANDBOX", "SANDBOX"),
    "channel_web": (
        "webformulier, ingevuld door het kantoor",
        "formulaire web, saisi par le bureau",
        "web form, typed by the office",
    ),
    "sandbox_banner": (
        "SANDBOX — niet ingediend bij de RSZ",
        "SANDBOX — non transmis à l'ONSS",
        "SANDBOX — not filed with the NSSO",
    ),
    # --- titles and running text -------------------------------------------------------
    "receipts_title": (
        "Dimona-ontvangstbewijzen",
        "Accusés de réception Dimona",
        "Dimona receipts",
    ),
    "validation_title": (
        "Controle van de invoer",
        "Contrôle des données",
        "Input check",
    ),
    "receipt": ("Ontvangstbewijs", "Accusé de réception", "Receipt"),
    "index": ("Overzicht", "Sommaire", "Index"),
    "summary": ("Samenvatting", "Résumé", "Summary"),
    "total": ("Totaal", "Total", "Total"),
    "declaration": ("Aangifte", "Déclaration", "Declaration"),
    "worker": ("Werknemer", "Travailleur", "Worker"),
    "references": ("Referenties", "Références", "References"),
    "features": ("Kenmerken", "Caractéristiques", "Features"),
    "attention": ("Aandacht nodig", "À vérifier", "Needs attention"),
    "late": ("Laattijdig", "Tardive", "Late"),
    "no_declarations": (
        "Geen aangiften in deze run.",
        "Aucune déclaration dans ce traitement.",
        "No declarations in this run.",
    ),
    "errors": ("Fouten", "Erreurs", "Errors"),
    "warnings": ("Waarschuwingen", "Avertissements", "Warnings"),
    "no_problems": (
        "Geen problemen gevonden: alle rijen zijn bruikbaar.",
        "Aucun problème trouvé : toutes les lignes sont utilisables.",
        "No problems found: every row can be used.",
    ),
    "no_sheet": ("(geen blad)", "(pas de feuille)", "(no sheet)"),
}

_STATUS_KEYS: dict[Result, str] = {
    Result.ACCEPTED: "status_accepted",
    Result.WARNING: "status_warning",
    Result.REFUSED: "status_refused",
    Result.PENDING: "status_pending",
}

_KIND_KEYS: dict[Kind, str] = {
    Kind.IN: "kind_in",
    Kind.UPDATE: "kind_update",
    Kind.CANCEL: "kind_cancel",
}

_SEVERITY_KEYS: dict[Severity, str] = {
    Severity.ERROR: "severity_error",
    Severity.WARNING: "severity_warning",
}


def check_language(lang: str) -> int:
    """The column of `lang` in the table; an unknown language is a usage error, not nl."""
    try:
        return LANGUAGES.index(lang)
    except ValueError:
        raise ValueError(
            f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}"
        ) from None


def label(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The word for `key` in `lang`."""
    return LABELS[key][check_language(lang)]


def labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """All words in `lang`, to hand to a template as one mapping."""
    column = check_language(lang)
    return {key: words[column] for key, words in LABELS.items()}


def status_label(result: Result | str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Aanvaard / Aanvaard (waarschuwing) / Geweigerd / In behandeling for A / W / B / S."""
    return label(_STATUS_KEYS[Result(result)], lang)


def kind_label(kind: Kind | str, lang: str = DEFAULT_LANGUAGE) -> str:
    return label(_KIND_KEYS[Kind(kind)], lang)


def severity_label(severity: Severity | str, lang: str = DEFAULT_LANGUAGE) -> str:
    return label(_SEVERITY_KEYS[Severity(severity)], lang)


def channel_label(channel: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """SANDBOX for the simulation, the web-form text for `web`, other channels as named."""
    if channel == "sandbox":
        return label("channel_sandbox", lang)
    if channel == "web":
        return label("channel_web", lang)
    return channel
