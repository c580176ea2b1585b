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
    "ambiguous_hour": {
        "nl": "{written}: {decimal} of {clock}? schrijf {suggestion}, of zeg met --hours "
        "decimal of --hours clock hoe deze klant uren schrijft",
        "fr": "{written} : {decimal} ou {clock} ? écrivez {suggestion}, ou indiquez avec "
        "--hours decimal ou --hours clock comment ce client écrit les heures",
        "en": "{written}: {decimal} or {clock}? write {suggestion}, or say with --hours "
        "decimal or --hours clock how this client writes hours",
    },
    "ambiguous_hour_one": {
        "nl": "{written}: {decimal}? schrijf {suggestion} (als klokuur bestaat {written} "
        "niet), of gebruik --hours decimal",
        "fr": "{written} : {decimal} ? écrivez {suggestion} ({written} n'existe pas comme "
        "heure d'horloge), ou utilisez --hours decimal",
        "en": "{written}: {decimal}? write {suggestion} ({written} is no clock time), "
        "or use --hours decimal",
    },
    "no_such_date": {
        "nl": "{date} bestaat niet",
        "fr": "le {date} n'existe pas",
        "en": "{date} does not exist",
    },
    "date_out_of_range": {
        "nl": "datum {date} ligt buiten de jaren 1900 tot 2099",
        "fr": "la date {date} est en dehors des années 1900 à 2099",
        "en": "date {date} is outside the years 1900 to 2099",
    },
    "insz_characters": {
        "nl": "INSZ bevat {found}: enkel cijfers, punten, spaties, streepjes en schuine "
        "strepen horen erin; verbeter het nummer",
        "fr": "le NISS contient {found} : seuls chiffres, points, espaces, tirets et barres "
        "obliques sont admis ; corrigez le numéro",
        "en": "INSZ holds {found}: only digits, dots, spaces, dashes and slashes belong in "
        "it; correct the number",
    },
    "enterprise_characters": {
        "nl": "ondernemingsnummer bevat {found}: enkel BE, cijfers, punten, spaties, "
        "streepjes en schuine strepen horen erin; verbeter het nummer",
        "fr": "le numéro d'entreprise contient {found} : seuls BE, chiffres, points, espaces, "
        "tirets et barres obliques sont admis ; corrigez le numéro",
        "en": "enterprise number holds {found}: only BE, digits, dots, spaces, dashes and "
        "slashes belong in it; correct the number",
    },
    "insz_date": {
        "nl": "de geboortedatum in het INSZ bestaat niet (dag boven 31 of maand buiten "
        "00-12, 20-32, 40-52)",
        "fr": "la date de naissance du NISS n'existe pas (jour au-delà de 31 ou mois hors "
        "00-12, 20-32, 40-52)",
        "en": "the INSZ's birth date does not exist (day above 31, or month outside "
        "00-12, 20-32, 40-52)",
    },
    "insz_future_birth": {
        "nl": "controlecijfers van het INSZ passen enkel bij een geboorte in {year}, na de "
        "werkdag; verkeerd getypt?",
        "fr": "les chiffres de contrôle du NISS ne conviennent qu'à une naissance en {year}, "
        "après le jour de travail ; erreur de frappe ?",
        "en": "INSZ check digits fit only a birth in {year}, after the work day; mistyped?",
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
        "nl": "geen rooster, weekrooster of werkgeverslijst herkend; gevonden: {found}; "
        "ontbreekt: {missing}{suggestions}; nodig: {needed} (een rij per prestatie), of "
        "{grid} en een kolom per dag (weekrooster)",
        "fr": "aucun planning, grille hebdomadaire ou liste d'employeurs reconnu ; trouvé : "
        "{found} ; manque : {missing}{suggestions} ; requis : {needed} (une ligne par "
        "prestation), ou {grid} et une colonne par jour (grille hebdomadaire)",
        "en": "no roster, weekly grid or employer list recognised; found: {found}; "
        "missing: {missing}{suggestions}; needed: {needed} (one row per shift), or {grid} "
        "and one column per day (weekly grid)",
    },
    "sheet_empty": {
        "nl": "leeg blad overgeslagen",
        "fr": "feuille vide ignorée",
        "en": "empty sheet skipped",
    },
    "sheet_skipped": {
        "nl": "blad overgeslagen: geen datum of uur, dus geen rooster; gevonden: {found}",
        "fr": "feuille ignorée : ni date ni heure, donc pas de planning ; trouvé : {found}",
        "en": "sheet skipped: no date or time in it, so no roster; found: {found}",
    },
    "bad_shift": {
        "nl": "prestatie onleesbaar: {piece}; verwacht bv. 10:00-14:00 of "
        "10:00-14:00 / 18:00-22:00",
        "fr": "prestation illisible : {piece} ; attendu p. ex. 10:00-14:00 ou "
        "10:00-14:00 / 18:00-22:00",
        "en": "shift cannot be read: {piece}; expected e.g. 10:00-14:00 or "
        "10:00-14:00 / 18:00-22:00",
    },
    "shift_is_date": {
        "nl": "Excel maakte van deze prestatie een datum; typ ze als tekst, bv. '10-14",
        "fr": "Excel a changé cette prestation en date ; tapez-la comme texte, p. ex. '10-14",
        "en": "Excel turned this shift into a date; type it as text, e.g. '10-14",
    },
    "no_year": {
        "nl": "de dagen in de kop hebben geen jaar ({found}); zet het jaar in een kop "
        "(29/06/2026) of boven het rooster, of gebruik --year",
        "fr": "les jours de l'en-tête n'ont pas d'année ({found}) ; indiquez l'année dans un "
        "en-tête (29/06/2026) ou au-dessus de la grille, ou utilisez --year",
        "en": "the day headers have no year ({found}); write it in one header (29/06/2026) "
        "or above the grid, or use --year",
    },
    "no_dates": {
        "nl": "de dagkolommen hebben geen datum ({found}); zet de datum in elke kop "
        "(ma 29/06) of de week boven het rooster (Week van 29/06/2026)",
        "fr": "les colonnes des jours n'ont pas de date ({found}) ; indiquez la date dans "
        "chaque en-tête (lu 29/06) ou la semaine au-dessus (Semaine du 29/06/2026)",
        "en": "the day columns have no date ({found}); write the date in each header "
        "(Mon 29/06) or the week above the grid (Week of 29/06/2026)",
    },
    "weekday_mismatch": {
        "nl": "dag en datum verschillen: {written} is niet de dag van {date}; de datum geldt",
        "fr": "jour et date diffèrent : {written} ne correspond pas au {date} ; "
        "la date est retenue",
        "en": "day and date differ: {written} is not the weekday of {date}; the date is used",
    },
    "hidden_row": {
        "nl": "verborgen rij gelezen; controleer of ze bedoeld is",
        "fr": "ligne masquée lue ; vérifiez qu'elle est voulue",
        "en": "hidden row read; check it is meant",
    },
    "hidden_column": {
        "nl": "verborgen kolom gelezen; controleer of ze bedoeld is",
        "fr": "colonne masquée lue ; vérifiez qu'elle est voulue",
        "en": "hidden column read; check it is meant",
    },
    "hidden_sheet": {
        "nl": "verborgen blad gelezen; controleer of het bedoeld is",
        "fr": "feuille masquée lue ; vérifiez qu'elle est voulue",
        "en": "hidden sheet read; check it is meant",
    },
    "no_employer": {
        "nl": "geen werkgever: voeg een kolom Ondernemingsnummer toe, een cel "
        "'Ondernemingsnummer: 0566.988.259' boven de kop, of een blad Werkgevers",
        "fr": "pas d'employeur : ajoutez une colonne Numéro d'entreprise, une cellule "
        "« N° d'entreprise : 0566.988.259 » au-dessus de l'en-tête, ou une feuille Employeurs",
        "en": "no employer: add an Enterprise number column, a cell "
        "'Enterprise number: 0566.988.259' above the header, or an Employers sheet",
    },
    "employer_conflict": {
        "nl": "werkgever al anders opgegeven in een andere lijst; de eerste geldt",
        "fr": "employeur déjà indiqué autrement dans une autre liste ; la première est retenue",
        "en": "employer already listed differently elsewhere; the first listing is used",
    },
    "unreadable_file": {
        "nl": "bestand kan niet gelezen worden als Excel (.xlsx): {error}",
        "fr": "le fichier ne peut pas être lu comme Excel (.xlsx) : {error}",
        "en": "file cannot be read as Excel (.xlsx): {error}",
    },
    "not_a_workbook": {
        "nl": "geen Excel-werkmap (.xlsx): het bestand is geen zip; sla het op als .xlsx",
        "fr": "pas un classeur Excel (.xlsx) : le fichier n'est pas un zip ; "
        "enregistrez-le en .xlsx",
        "en": "not an Excel workbook (.xlsx): the file is not a zip; save it as .xlsx",
    },
    "xls_file": {
        "nl": "oud Excel-formaat (.xls) onder een andere naam; sla het op als .xlsx",
        "fr": "ancien format Excel (.xls) sous un autre nom ; enregistrez-le en .xlsx",
        "en": "an old Excel file (.xls) under another name; save it as .xlsx",
    },
    "encrypted_file": {
        "nl": "werkmap met wachtwoord beveiligd; sla ze op zonder wachtwoord",
        "fr": "classeur protégé par mot de passe ; enregistrez-le sans mot de passe",
        "en": "password-protected workbook; save it without a password",
    },
    "ods_file": {
        "nl": "OpenDocument-rekenblad (.ods) onder de naam .xlsx; sla het op als .xlsx",
        "fr": "feuille de calcul OpenDocument (.ods) nommée .xlsx ; enregistrez-la en .xlsx",
        "en": "an OpenDocument spreadsheet (.ods) named .xlsx; save it as .xlsx",
    },
    "too_many_parts": {
        "nl": "geweigerd: de werkmap bevat {found} delen (grens {limit})",
        "fr": "refusé : le classeur contient {found} parties (limite {limit})",
        "en": "refused: the workbook holds {found} parts (limit {limit})",
    },
    "part_too_large": {
        "nl": "geweigerd: {part} is uitgepakt {size} (grens {limit})",
        "fr": "refusé : {part} fait {size} décompressé (limite {limit})",
        "en": "refused: {part} is {size} uncompressed (limit {limit})",
    },
    "workbook_too_large": {
        "nl": "geweigerd: de werkmap is uitgepakt {size} (grens {limit})",
        "fr": "refusé : le classeur fait {size} décompressé (limite {limit})",
        "en": "refused: the workbook is {size} uncompressed (limit {limit})",
    },
    "zip_bomb": {
        "nl": "geweigerd: {part} is {ratio} keer samengeperst (grens {limit}); een zipbom?",
        "fr": "refusé : {part} est compressé {ratio} fois (limite {limit}) ; une bombe zip ?",
        "en": "refused: {part} is compressed {ratio} to 1 (limit {limit}); a zip bomb?",
    },
    "xml_entities": {
        "nl": "geweigerd: {part} declareert XML-entiteiten (<!DOCTYPE/<!ENTITY), "
        "wat een werkmap nooit nodig heeft",
        "fr": "refusé : {part} déclare des entités XML (<!DOCTYPE/<!ENTITY), "
        "ce dont un classeur n'a jamais besoin",
        "en": "refused: {part} declares XML entities (<!DOCTYPE/<!ENTITY), "
        "which a workbook never needs",
    },
    "sheet_too_large": {
        "nl": "geweigerd: het blad loopt van A1 tot deze cel, meer dan {limit} cellen",
        "fr": "refusé : la feuille va de A1 à cette cellule, plus de {limit} cellules",
        "en": "refused: the sheet spans A1 to this cell, more than {limit} cells",
    },
    "times_missing": {
        "nl": "begin- of einduur ontbreekt (of een status zoals 'afwezig')",
        "fr": "heure de début ou de fin manquante (ou un statut comme 'absent')",
        "en": "start or end time is missing (or a status such as 'absent')",
    },
    "already_imported": {
        "nl": "deze rij is al ingelezen; niets opnieuw geregistreerd",
        "fr": "cette ligne a déjà été importée ; rien n'est réenregistré",
        "en": "this row was imported already; nothing recorded again",
    },
    "unknown_key": {
        "nl": "onbekende sleutel: deze rij staat niet op een werkblad van dit grootboek",
        "fr": "clé inconnue : cette ligne ne figure sur aucune feuille de ce registre",
        "en": "unknown key: this row is not on a worksheet of this ledger",
    },
    "bad_status": {
        "nl": "status onbekend; verwacht Aanvaard, Aanvaard (waarschuwing), Geweigerd, "
        "In behandeling (of A, W, B, S)",
        "fr": "statut inconnu ; attendu Acceptée, Acceptée avec avertissement, Refusée, "
        "En attente (ou A, W, B, S)",
        "en": "status not recognised; expected Accepted, Accepted with warning, Refused, "
        "Pending (or A, W, B, S)",
    },
    "period_missing": {
        "nl": "periodenummer ontbreekt voor een aanvaarde aangifte",
        "fr": "numéro de période manquant pour une déclaration acceptée",
        "en": "period number missing for an accepted declaration",
    },
    "bad_period": {
        "nl": "periodenummer moet uit 1 tot 12 cijfers bestaan",
        "fr": "le numéro de période doit compter 1 à 12 chiffres",
        "en": "period number must be 1 to 12 digits",
    },
    "period_used": {
        "nl": "periodenummer al gebruikt ({other})",
        "fr": "numéro de période déjà utilisé ({other})",
        "en": "period number already used ({other})",
    },
    "period_mismatch": {
        "nl": "periodenummer verschilt van de te wijzigen periode {period}",
        "fr": "le numéro de période diffère de la période à modifier {period}",
        "en": "period number differs from the period to change, {period}",
    },
    "bad_sent_at": {
        "nl": "tijdstip onleesbaar; verwacht dd/mm/jjjj uu:mm",
        "fr": "heure illisible ; attendu jj/mm/aaaa hh:mm",
        "en": "time sent cannot be read; expected dd/mm/yyyy hh:mm",
    },
    "identification_missing": {
        "nl": "geen INSZ: vul het INSZ in, of voor een werknemer zonder INSZ: {fields}",
        "fr": "pas de NISS : indiquez le NISS ou, pour un travailleur sans NISS : {fields}",
        "en": "no INSZ: fill in the INSZ, or for a worker without INSZ: {fields}",
    },
    "bad_gender": {
        "nl": "geslacht onleesbaar; verwacht M of V (de Dimona kent enkel man en vrouw)",
        "fr": "sexe illisible ; attendu M ou F (la Dimona ne connaît que homme et femme)",
        "en": "gender cannot be read; expected M or F (Dimona knows only male and female)",
    },
    "birth_date_late": {
        "nl": "geboortedatum ligt niet vóór de werkdag",
        "fr": "la date de naissance n'est pas antérieure au jour de travail",
        "en": "birth date is not before the work day",
    },
    "bad_wage": {
        "nl": "uurloon onleesbaar; verwacht een bedrag, bv. 12,50 of € 12.50 (de prestatie wordt"
        " aangegeven, zonder uurloon)",
        "fr": "salaire horaire illisible ; attendu un montant, p. ex. 12,50 ou 12.50 € (la"
        " prestation est déclarée, sans salaire)",
        "en": "hourly wage cannot be read; expected an amount, e.g. 12.50 or € 12,50 (the shift"
        " is declared, without a wage)",
    },
    "wage_not_positive": {
        "nl": "uurloon moet groter zijn dan nul (de prestatie wordt aangegeven, zonder uurloon)",
        "fr": "le salaire horaire doit être supérieur à zéro (la prestation est déclarée, sans"
        " salaire)",
        "en": "hourly wage must be more than zero (the shift is declared, without a wage)",
    },
    "wage_under_minimum": {
        "nl": "uurloon € {wage} ligt onder het minimum flexiloon van € {minimum} per uur op"
        " {date} (zonder flexivakantiegeld)",
        "fr": "le salaire horaire de {wage} € est inférieur au salaire flexi minimum de"
        " {minimum} € de l'heure au {date} (hors pécule de vacances flexi)",
        "en": "hourly wage €{wage} is under the minimum flexi wage of €{minimum} an hour on"
        " {date} (holiday pay excluded)",
    },
    "refused": {
        "nl": "geweigerd door de RSZ: {anomalies}",
        "fr": "refusée par l'ONSS : {anomalies}",
        "en": "refused by the NSSO: {anomalies}",
    },
    # --- CSV files (batch/read/delimited.py) ---
    "csv_binary": {
        "nl": "geen tekstbestand (CSV): het bevat binaire gegevens; sla het op als CSV of .xlsx",
        "fr": "pas un fichier texte (CSV) : il contient des données binaires ; "
        "enregistrez-le en CSV ou en .xlsx",
        "en": "not a text (CSV) file: it holds binary data; save it as CSV or .xlsx",
    },
    "csv_too_large": {
        "nl": "geweigerd: het CSV-bestand is {size} (grens {limit})",
        "fr": "refusé : le fichier CSV fait {size} (limite {limit})",
        "en": "refused: the CSV file is {size} (limit {limit})",
    },
    "csv_line_too_long": {
        "nl": "geweigerd: regel {line} is langer dan {limit}",
        "fr": "refusé : la ligne {line} dépasse {limit}",
        "en": "refused: line {line} is longer than {limit}",
    },
    "csv_too_many_columns": {
        "nl": "geweigerd: regel {line} heeft {found} kolommen (grens {limit})",
        "fr": "refusé : la ligne {line} a {found} colonnes (limite {limit})",
        "en": "refused: line {line} has {found} columns (limit {limit})",
    },
    "csv_unreadable": {
        "nl": "CSV-bestand kan niet gelezen worden: {error}",
        "fr": "le fichier CSV ne peut pas être lu : {error}",
        "en": "CSV file cannot be read: {error}",
    },
}


# Field names a message lists (parameter `fields`: canonical names joined by commas).
FIELD_NAMES: dict[str, dict[str, str]] = {
    "last_name": {"nl": "naam", "fr": "nom", "en": "last name"},
    "first_name": {"nl": "voornaam", "fr": "prénom", "en": "first name"},
    "gender": {"nl": "geslacht", "fr": "sexe", "en": "gender"},
    "birth_date": {"nl": "geboortedatum", "fr": "date de naissance", "en": "birth date"},
    "birth_place": {"nl": "geboorteplaats", "fr": "lieu de naissance", "en": "birth place"},
    "street": {"nl": "straat", "fr": "rue", "en": "street"},
    "house_number": {"nl": "huisnummer", "fr": "numéro", "en": "house number"},
    "postal_code": {"nl": "postcode", "fr": "code postal", "en": "postal code"},
    "municipality": {"nl": "gemeente", "fr": "commune", "en": "municipality"},
}


# How a suggestion for an unknown header reads (parameter `suggestions`: `header=known|...`).
DID_YOU_MEAN = {
    "nl": "; {header}: bedoelt u {known}?",
    "fr": " ; {header} : vouliez-vous dire {known} ?",
    "en": "; {header}: did you mean {known}?",
}


# Parameters that are amounts in euro, kept as `11.64`: Dutch and French write `11,64`.
AMOUNTS = frozenset(("wage", "minimum"))


def message(code: str, lang: str = "en", **params: object) -> str:
    if lang != "en":
        for name in AMOUNTS & params.keys():
            params[name] = str(params[name]).replace(".", ",")
    if "suggestions" in params:
        pairs = [p.split("=", 1) for p in str(params["suggestions"]).split("|") if "=" in p]
        params["suggestions"] = "".join(
            DID_YOU_MEAN[lang].format(header=h, known=k) for h, k in pairs
        )
    if "fields" in params:
        names = str(params["fields"]).split(",")
        params["fields"] = ", ".join(FIELD_NAMES.get(n, {}).get(lang, n) for n in names if n)
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
