"""Every word the reports show, in Dutch (the default), French and English, in one table.

The rest of the package names things in English; a report asks this table for the word in
its language, so a translation is fixed here and nowhere else (domain.md §8 for the terms).
"""

from __future__ import annotations

from ..model import Action, DeadlineStatus, Finding, Kind, Result, Severity

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
    "severity_info": ("info", "info", "info"),
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
    # --- the web-form worksheet (domain.md §6) ------------------------------------------
    "worksheet_sheet": ("Werkblad", "Feuille de travail", "Worksheet"),
    "worksheet_title": (
        "Werkblad voor het Dimona-webformulier",
        "Feuille de travail pour le formulaire web Dimona",
        "Worksheet for the Dimona web form",
    ),
    "ws_key": ("Sleutel", "Clé", "Key"),
    "ws_type": ("Soort aangifte", "Type de déclaration", "Declaration type"),
    "ws_identification": (
        "Identificatie (zonder INSZ)",
        "Identification (sans NISS)",
        "Identification (no INSZ)",
    ),
    "ws_in": ("Dimona IN", "Dimona IN", "Dimona IN"),
    "ws_update": ("Wijziging", "Modification", "Change"),
    "ws_cancel": ("Annulatie", "Annulation", "Cancellation"),
    "ws_joint_committee": ("Andere - xxx", "Autre - xxx", "Other - xxx"),
    "ws_worker_type": ("Flexi-Job - FLX", "Flexi-Job - FLX", "Flexi-Job - FLX"),
    "ws_work_day": ("Werkdag", "Jour de travail", "Work day"),
    "ws_from": ("Van", "De", "From"),
    "ws_to": ("Tot", "À", "To"),
    "ws_end_day": ("Einddatum", "Date de fin", "End date"),
    "ws_period_to_change": ("Te wijzigen periode", "Période à modifier", "Period to change"),
    "ws_was": ("Was", "Était", "Was"),
    "ws_fill_in": ("In te vullen", "À compléter", "To fill in"),
    "ws_step_employer": (
        "Ondernemingsnummer ingeven",
        "Introduire le numéro d'entreprise",
        "Enter the enterprise number",
    ),
    "ws_step_type": ("Kies", "Choisir", "Choose"),
    "ws_step_worker": (
        "Ik ken het INSZ-nummer",
        "Je connais le NISS",
        "I know the INSZ",
    ),
    "ws_step_features": (
        "Paritair comité en type werknemer",
        "Commission paritaire et type de travailleur",
        "Joint committee and worker type",
    ),
    "ws_step_day": ("Een dag", "Un jour", "One day"),
    "ws_step_confirm": (
        "Overzicht nakijken en bevestigen; noteer periodenummer, status en tijdstip",
        "Vérifier l'aperçu et confirmer ; noter numéro de période, statut et heure",
        "Check the overview and confirm; write down period number, status and time",
    ),
    "ws_step_period": (
        "Periodenummer ingeven",
        "Introduire le numéro de période",
        "Enter the period number",
    ),
    "ws_step_new_hours": (
        "Nieuwe begin- en einduren",
        "Nouvelles heures de début et de fin",
        "New start and end hours",
    ),
    "ws_same_worker": (
        'Zelfde werknemer en dag: voeg de volgende met "Een periode toevoegen" toe',
        "Même travailleur et jour : ajouter la suivante avec « Ajouter une période »",
        'Same worker and day: add the next one with "Add a period"',
    ),
    "ws_nothing": (
        "Niets in te tikken: alles is ingevoerd.",
        "Rien à saisir : tout est introduit.",
        "Nothing to type: everything is in.",
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
    "declared_hours": ("Aangegeven uren", "Heures déclarées", "Declared hours"),
    "actual_hours": ("Werkelijke uren", "Heures réelles", "Actual hours"),
    "difference_hours": ("Verschil (uren)", "Écart (heures)", "Difference (hours)"),
    "refused_count": ("Geweigerd", "Refusées", "Refused"),
    "late_count": ("Laattijdig", "En retard", "Late"),
    "manual_count": ("Manueel", "Manuelles", "Manual"),
    "total": ("Totaal", "Total", "Total"),
    "declaration": ("Aangifte", "Déclaration", "Declaration"),
    "worker": ("Werknemer", "Travailleur", "Worker"),
    "references": ("Referenties", "Références", "References"),
    "features": ("Kenmerken", "Caractéristiques", "Features"),
    "attention": ("Aandacht nodig", "À vérifier", "Needs attention"),
    "late": ("Laattijdig", "Tardive", "Late"),
    "identified_by": (
        "Geïdentificeerd door (zonder INSZ)",
        "Identifié par (sans NISS)",
        "Identified by (no INSZ)",
    ),
    "answered_at": ("Antwoord op", "Réponse le", "Answered at"),
    "no_declarations": (
        "Geen aangiften in deze run.",
        "Aucune déclaration dans ce traitement.",
        "No declarations in this run.",
    ),
    # --- receipts.html split into one file per employer (and per work day) ------------
    "receipts_split": (
        "De ontvangstbewijzen staan in een bestand per werkgever (per werkdag voor een"
        " grote werkgever):",
        "Les accusés de réception sont dans un fichier par employeur (par jour de travail"
        " pour un grand employeur) :",
        "The receipts are in one file per employer (per work day for a large employer):",
    ),
    "receipts_count": ("ontvangstbewijzen", "accusés de réception", "receipts"),
    "back_to_index": ("Terug naar het overzicht", "Retour au sommaire", "Back to the index"),
    "work_day": ("Werkdag", "Jour de travail", "Work day"),
    "part": ("deel", "partie", "part"),
    "errors": ("Fouten", "Erreurs", "Errors"),
    "warnings": ("Waarschuwingen", "Avertissements", "Warnings"),
    "no_problems": (
        "Geen problemen gevonden: alle rijen zijn bruikbaar.",
        "Aucun problème trouvé : toutes les lignes sont utilisables.",
        "No problems found: every row can be used.",
    ),
    "no_sheet": ("(geen blad)", "(pas de feuille)", "(no sheet)"),
    # --- corrections: column headers (with --lang en exactly the architecture's list) ---
    "planned_start": ("Gepland begin", "Début prévu", "Planned start"),
    "planned_end": ("Gepland einde", "Fin prévue", "Planned end"),
    "declared_start": ("Aangegeven begin", "Début déclaré", "Declared start"),
    "declared_end": ("Aangegeven einde", "Fin déclarée", "Declared end"),
    "actual_start": ("Werkelijk begin", "Début réel", "Actual start"),
    "actual_end": ("Werkelijk einde", "Fin réelle", "Actual end"),
    "difference_minutes": ("Verschil (minuten)", "Écart (minutes)", "Difference (minutes)"),
    "finding": ("Vaststelling", "Constat", "Finding"),
    "action": ("Actie", "Action", "Action"),
    "deadline": ("Uiterste termijn", "Délai", "Deadline"),
    "deadline_status": ("Termijnstatus", "Statut du délai", "Deadline status"),
    "filed_at": ("Ingediend op", "Introduite le", "Filed at"),
    "result": ("Resultaat", "Résultat", "Result"),
    "note": ("Opmerking", "Remarque", "Note"),
    "corrections_sheet": ("Correcties", "Corrections", "Corrections"),
    "totals_sheet": ("Totalen", "Totaux", "Totals"),
    "handled": ("Behandeld", "Traité", "Handled"),
    # --- findings (with --lang en exactly the Finding values) ---------------------------
    "finding_match": ("overeenkomst", "conforme", "match"),
    "finding_later_start": ("later begin", "début plus tard", "later start"),
    "finding_earlier_start": ("vroeger begin", "début plus tôt", "earlier start"),
    "finding_earlier_end": ("vroeger einde", "fin plus tôt", "earlier end"),
    "finding_later_end": ("later einde", "fin plus tard", "later end"),
    "finding_no_show": ("niet opgedaagd", "absent", "no-show"),
    "finding_undeclared": (
        "niet-aangegeven prestatie",
        "prestation non déclarée",
        "undeclared work",
    ),
    "finding_unreadable": (
        "werkelijke uren onleesbaar",
        "heures réelles illisibles",
        "actual hours unreadable",
    ),
    # --- actions and deadline statuses (with --lang en exactly the model's values) -------
    "action_none": ("geen", "aucune", "none"),
    "action_update": ("wijziging", "modification", "update"),
    "action_cancel": ("annulatie", "annulation", "cancel"),
    "action_declare": ("aangifte", "déclaration", "declare"),
    "action_manual": ("manueel", "manuel", "manual"),
    "deadline_in_time": ("tijdig", "dans les délais", "in time"),
    "deadline_late": ("laattijdig", "en retard", "late"),
    "deadline_not_applicable": ("n.v.t.", "s.o.", "n/a"),
    # --- corrections.html ---------------------------------------------------------------
    "corrections_title": ("Dimona-correcties", "Corrections Dimona", "Dimona corrections"),
    "planned": ("Gepland", "Prévu", "Planned"),
    "declared": ("Aangegeven", "Déclaré", "Declared"),
    "actual": ("Werkelijk", "Réel", "Actual"),
    "hours_unit": ("u", "h", "h"),
    "hours_worked": ("Uren", "Heures", "Hours"),
    "shifts": ("Diensten", "Prestations", "Shifts"),
    "all_employers": ("Alle werkgevers", "Tous les employeurs", "All employers"),
    "what_to_do": ("Te doen", "À faire", "What to do"),
    "past_deadline": ("Termijn verstreken", "Délai dépassé", "Past the deadline"),
    "to_handle": ("Manueel af te handelen", "À traiter manuellement", "To handle by hand"),
    "no_corrections": (
        "Geen diensten om na te kijken in deze run.",
        "Aucune prestation à vérifier dans ce traitement.",
        "No shifts to check in this run.",
    ),
    "all_match": (
        "Alles klopt: de werkelijke uren komen overeen met de aangiften.",
        "Tout est en ordre : les heures réelles correspondent aux déclarations.",
        "Everything matches: the hours worked are the hours declared.",
    ),
    # --- notes reconcile leaves on a correction (codes, see batch/reconcile.py) ----------
    "note_start_manual": (
        "Het begin kan niet meer gewijzigd worden: de werknemer was al begonnen.",
        "Le début ne peut plus être modifié : le travailleur avait déjà commencé.",
        "The start can no longer be changed: the worker had already started.",
    ),
    "note_end_late": (
        "Het einde wordt na de uiterste termijn gewijzigd.",
        "La fin est modifiée après le délai.",
        "The end is changed after its deadline.",
    ),
    "note_absent": (
        "Afwezig gemeld in de werkelijke uren.",
        "Signalé absent dans les heures réelles.",
        "Reported absent in the actual hours.",
    ),
    "note_no_row": (
        "Geen werkelijke uren voor deze dienst: behandeld als niet opgedaagd.",
        "Pas d'heures réelles pour cette prestation : traitée comme absence.",
        "No actual hours for this shift: treated as a no-show.",
    ),
    "note_unreadable": (
        "De rij(en) met de werkelijke uren zijn afgewezen (zie het validatierapport):"
        " niet behandeld als niet opgedaagd.",
        "La ou les lignes d'heures réelles sont rejetées (voir le rapport de validation) :"
        " pas traitée comme absence.",
        "The actual hours' row(s) were rejected (see the validation report): not treated as"
        " a no-show.",
    ),
    "note_same_in_out": (
        "Uitgeklokt op hetzelfde uur als ingeklokt: de werknemer was er, het einde is onbekend.",
        "Pointage de sortie à la même heure que l'entrée : le travailleur était là, la fin"
        " est inconnue.",
        "Clocked out at the same time as in: the worker was there, the end is not known.",
    ),
    "note_end_unknown": (
        "De werkelijke uren tonen niet wanneer deze dienst eindigde: het einde is onbekend.",
        "Les heures réelles ne montrent pas quand cette prestation a pris fin : la fin est"
        " inconnue.",
        "The actual hours do not show when this shift ended: the end is not known.",
    ),
    "note_start_unknown": (
        "De werkelijke uren tonen niet wanneer deze dienst begon: het begin is onbekend.",
        "Les heures réelles ne montrent pas quand cette prestation a commencé : le début est"
        " inconnu.",
        "The actual hours do not show when this shift started: the start is not known.",
    ),
    "note_not_typed": (
        "Nog niet ingetikt in het webformulier: eerst intikken en het werkblad inlezen.",
        "Pas encore saisie dans le formulaire web : la saisir puis importer la feuille.",
        "Not yet typed in the web form: type it and import the worksheet first.",
    ),
    "note_unidentified": (
        "Geen INSZ en de werkelijke uren missen identificatiegegevens (adres, geboorteplaats,"
        " geslacht): zelf aangeven.",
        "Pas de NISS et les heures réelles n'ont pas toutes les données d'identification"
        " (adresse, lieu de naissance, sexe) : à déclarer soi-même.",
        "No INSZ and the actual hours lack identification fields (address, birth place,"
        " gender): declare it yourself.",
    ),
    "note_worksheet": (
        "Op het werkblad, sleutel {value}.",
        "Sur la feuille de travail, clé {value}.",
        "On the worksheet, key {value}.",
    ),
    # --- what a person must do for a manual item -------------------------------------------
    "manual_start_change": (
        "Het begin is gewijzigd nadat de werknemer al begonnen was: dat kan achteraf niet"
        " meer rechtgezet worden. Neem contact op met de RSZ / uw sociaal secretariaat en"
        " bewaar het bewijs van de werkelijke uren.",
        "Le début a changé après que le travailleur a commencé : cela ne peut plus être"
        " corrigé après coup. Contactez l'ONSS / votre secrétariat social et conservez la"
        " preuve des heures réellement prestées.",
        "The start changed after the worker started: this cannot be corrected after the"
        " fact. Contact the NSSO / your social secretariat and keep proof of the actual"
        " hours.",
    ),
    "manual_undeclared": (
        "Er werd gewerkt zonder Dimona en de termijn is voorbij: dien de aangifte nu"
        " manueel in (als flexi, nooit als ander type werknemer), neem contact op met de"
        " RSZ / uw sociaal secretariaat en bewaar het bewijs van de werkelijke uren.",
        "Du travail a été presté sans Dimona et le délai est dépassé : introduisez la"
        " déclaration manuellement maintenant (en flexi, jamais sous un autre type de"
        " travailleur), contactez l'ONSS / votre secrétariat social et conservez la preuve"
        " des heures réellement prestées.",
        "Work was done without a Dimona and the deadline has passed: file the declaration"
        " by hand now (as flexi, never as another worker type), contact the NSSO / your"
        " social secretariat and keep proof of the actual hours.",
    ),
    "manual_unidentified": (
        "Er werd gewerkt zonder Dimona door een werknemer zonder INSZ: dien de aangifte nu"
        " in met naam, geslacht, geboortedatum en -plaats en adres (als flexi), of zet die"
        " gegevens in het rooster en declareer het opnieuw.",
        "Du travail a été presté sans Dimona par un travailleur sans NISS : introduisez la"
        " déclaration maintenant avec nom, sexe, date et lieu de naissance et adresse (en"
        " flexi), ou ajoutez ces données au planning et déclarez-le à nouveau.",
        "Work was done without a Dimona by a worker without INSZ: file the declaration now"
        " with name, gender, birth date and place and address (as flexi), or add those"
        " fields to the roster and declare it again.",
    ),
    "manual_no_show": (
        "De werknemer is niet gekomen en de termijn om te annuleren is voorbij: annuleer"
        " de periode manueel en neem contact op met de RSZ / uw sociaal secretariaat.",
        "Le travailleur n'est pas venu et le délai d'annulation est dépassé : annulez la"
        " période manuellement et contactez l'ONSS / votre secrétariat social.",
        "The worker did not come and the deadline to cancel has passed: cancel the period"
        " by hand and contact the NSSO / your social secretariat.",
    ),
    "late_filed": (
        "De termijn is voorbij: de aangifte wordt toch ingediend, maar de RSZ ziet ze als"
        " laattijdig. Bewaar het bewijs van de werkelijke uren en overleg met uw sociaal"
        " secretariaat.",
        "Le délai est dépassé : la déclaration est quand même introduite, mais l'ONSS la"
        " considère comme tardive. Conservez la preuve des heures réellement prestées et"
        " consultez votre secrétariat social.",
        "The deadline has passed: the declaration is filed all the same, but the NSSO sees"
        " it as late. Keep proof of the actual hours and check with your social secretariat.",
    ),
    "late_web": (
        "De termijn is voorbij: tik de aangifte nu in het webformulier (zie het werkblad);"
        " de RSZ zal ze als laattijdig zien. Bewaar het bewijs van de werkelijke uren en"
        " overleg met uw sociaal secretariaat.",
        "Le délai est dépassé : saisissez maintenant la déclaration dans le formulaire web"
        " (voir la feuille de travail) ; l'ONSS la considérera comme tardive. Conservez la"
        " preuve des heures réellement prestées et consultez votre secrétariat social.",
        "The deadline has passed: type the declaration in the web form now (see the"
        " worksheet); the NSSO will see it as late. Keep proof of the actual hours and check"
        " with your social secretariat.",
    ),
    "manual_unreadable": (
        "De werkelijke uren van deze dienst zijn niet te lezen: kijk ze na en verbeter het"
        " bestand. Is de werknemer niet gekomen, annuleer dan vóór middernacht na de"
        " begindag; werkte hij andere uren, wijzig dan de periode.",
        "Les heures réelles de cette prestation sont illisibles : vérifiez-les et corrigez le"
        " fichier. Si le travailleur n'est pas venu, annulez avant minuit du jour de début ;"
        " s'il a presté d'autres heures, modifiez la période.",
        "The actual hours of this shift cannot be read: check them and correct the file. If"
        " the worker did not come, cancel before midnight ending the start day; if they"
        " worked other hours, update the period.",
    ),
    "manual_other": (
        "Dit kan niet automatisch rechtgezet worden: kijk de periode na in de"
        " Dimona-toepassing en corrigeer ze manueel, of vraag het uw sociaal secretariaat.",
        "Ceci ne peut pas être corrigé automatiquement : vérifiez la période dans"
        " l'application Dimona et corrigez-la manuellement, ou demandez à votre secrétariat"
        " social.",
        "This cannot be corrected automatically: check the period in the Dimona application"
        " and correct it by hand, or ask your social secretariat.",
    ),
    # --- check: the ledger against the NSSO's periods ----------------------------------
    "check_difference": ("Verschil", "Différence", "Difference"),
    "check_worker": ("Werknemer", "Travailleur", "Worker"),
    "check_ledger": ("Register", "Registre", "Ledger"),
    "check_nsso": ("RSZ", "ONSS", "NSSO"),
    "check_only_ledger": (
        "enkel in het register",
        "seulement dans le registre",
        "only in the ledger",
    ),
    "check_only_nsso": ("enkel bij de RSZ", "seulement à l'ONSS", "only at the NSSO"),
    "check_times": ("ander begin of einde", "autre début ou fin", "other start or end"),
    "check_status": ("andere status", "autre statut", "other status"),
    "check_other_worker": ("andere werknemer", "autre travailleur", "other worker"),
    "check_active": ("actief", "active", "active"),
    "check_pending": ("in behandeling", "en attente", "pending"),
    "check_cancelled": ("geannuleerd", "annulée", "cancelled"),
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
    Severity.INFO: "severity_info",
}


_FINDING_KEYS: dict[Finding, str] = {
    Finding.MATCH: "finding_match",
    Finding.LATER_START: "finding_later_start",
    Finding.EARLIER_START: "finding_earlier_start",
    Finding.EARLIER_END: "finding_earlier_end",
    Finding.LATER_END: "finding_later_end",
    Finding.NO_SHOW: "finding_no_show",
    Finding.UNDECLARED: "finding_undeclared",
    Finding.UNREADABLE: "finding_unreadable",
}

_ACTION_KEYS: dict[Action, str] = {
    Action.NONE: "action_none",
    Action.UPDATE: "action_update",
    Action.CANCEL: "action_cancel",
    Action.DECLARE: "action_declare",
    Action.MANUAL: "action_manual",
}

_DEADLINE_KEYS: dict[DeadlineStatus, str] = {
    DeadlineStatus.IN_TIME: "deadline_in_time",
    DeadlineStatus.LATE: "deadline_late",
    DeadlineStatus.NOT_APPLICABLE: "deadline_not_applicable",
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


def finding_label(finding: Finding | str, lang: str = DEFAULT_LANGUAGE) -> str:
    """later start / later begin / début plus tard, ... for a reconciliation finding."""
    return label(_FINDING_KEYS[Finding(finding)], lang)


def action_label(action: Action | str, lang: str = DEFAULT_LANGUAGE) -> str:
    return label(_ACTION_KEYS[Action(action)], lang)


def deadline_status_label(status: DeadlineStatus | str, lang: str = DEFAULT_LANGUAGE) -> str:
    return label(_DEADLINE_KEYS[DeadlineStatus(status)], lang)


def channel_label(channel: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """SANDBOX for the simulation, the web-form text for `web`, other channels as named."""
    if channel == "sandbox":
        return label("channel_sandbox", lang)
    if channel == "web":
        return label("channel_web", lang)
    return channel
