"""The anomalies an NSSO answer can carry, in nl, fr and en: one table for the simulator
that answers them and for the reports that show them.

An anomaly travels and is kept as one text, `CODE: English description` (the ledger, the
receipts' Anomalies column with --lang en). `translate` turns such a text into the report's
language; a text it does not know (a code of the real NSSO we have no words for) is shown
as it came. Codes starting with `SBX-` are the simulator's own, so nobody mistakes them for
the NSSO's; `90017-510` and `00913-355` are official (domain.md §4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Anomaly:
    code: str
    en: str
    nl: str
    fr: str

    def text(self, lang: str = "en", **params: object) -> str:
        """`CODE: description` in a language, its {placeholders} filled in."""
        return f"{self.code}: {getattr(self, lang).format(**params)}"

    def description(self, lang: str, **params: object) -> str:
        return getattr(self, lang).format(**params)


NOT_ELIGIBLE = Anomaly(
    "90017-510",
    "the worker does not meet the flexi-job conditions",
    "de werknemer voldoet niet aan de voorwaarden voor een flexi-job",
    "le travailleur ne remplit pas les conditions du flexi-job",
)
ALREADY_CANCELLED = Anomaly(
    "00913-355",
    "period already cancelled",
    "de periode is al geannuleerd",
    "la période est déjà annulée",
)
LATE_IN = Anomaly(
    "SBX-LATE-IN",
    "filed after the start of the shift (late declaration)",
    "ingediend na het begin van de prestatie (laattijdige aangifte)",
    "introduite après le début de la prestation (déclaration tardive)",
)
LATE_CHANGE = Anomaly(
    "SBX-LATE-CHANGE",
    "change filed after its deadline",
    "wijziging ingediend na de termijn",
    "modification introduite après le délai",
)
LATE_CANCEL = Anomaly(
    "SBX-LATE-CHANGE",
    "cancellation filed after its deadline",
    "annulatie ingediend na de termijn",
    "annulation introduite après le délai",
)
OVERLAP = Anomaly(
    "SBX-OVERLAP",
    "overlaps active period {period}",
    "overlapt met de actieve periode {period}",
    "chevauche la période active {period}",
)
UNKNOWN_PERIOD = Anomaly(
    "SBX-UNKNOWN-PERIOD",
    "no period {period}",
    "geen periode {period}",
    "pas de période {period}",
)
PERIOD_CANCELLED = Anomaly(
    "SBX-PERIOD-CANCELLED",
    "period {period} is cancelled",
    "periode {period} is geannuleerd",
    "la période {period} est annulée",
)
BAD_INSZ = Anomaly(
    "SBX-BAD-INSZ",
    "INSZ {insz} is not valid",
    "INSZ {insz} is niet geldig",
    "le NISS {insz} n'est pas valable",
)
UNKNOWN_WORKER = Anomaly(
    "SBX-UNKNOWN-WORKER",
    "INSZ {insz} is not known in the National Register",
    "INSZ {insz} is niet gekend in het Rijksregister",
    "le NISS {insz} est inconnu au Registre national",
)
UNIDENTIFIED = Anomaly(
    "SBX-UNIDENTIFIED",
    "no INSZ and no full identification",
    "geen INSZ en geen volledige identificatie",
    "pas de NISS ni d'identification complète",
)
IDENTITY = Anomaly(
    "SBX-IDENTITY",
    "the identification is incomplete or contradicts itself: {fields}",
    "de identificatie is onvolledig of tegenstrijdig: {fields}",
    "l'identification est incomplète ou contradictoire : {fields}",
)
IDENTIFYING = Anomaly(
    "SBX-IDENTIFYING",
    "worker being identified (SIGeDIS)",
    "werknemer wordt geïdentificeerd (SIGeDIS)",
    "travailleur en cours d'identification (SIGeDIS)",
)
IDENTIFIED = Anomaly(
    "SBX-IDENTIFIED",
    "worker identified by SIGeDIS",
    "werknemer geïdentificeerd door SIGeDIS",
    "travailleur identifié par SIGeDIS",
)

ANOMALIES: tuple[Anomaly, ...] = (
    NOT_ELIGIBLE,
    ALREADY_CANCELLED,
    LATE_IN,
    LATE_CHANGE,
    LATE_CANCEL,
    OVERLAP,
    UNKNOWN_PERIOD,
    PERIOD_CANCELLED,
    BAD_INSZ,
    UNKNOWN_WORKER,
    UNIDENTIFIED,
    IDENTITY,
    IDENTIFYING,
    IDENTIFIED,
)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], Anomaly], ...]:
    """Each anomaly's English text as a pattern, its placeholders captured by name."""
    found = []
    for anomaly in ANOMALIES:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(anomaly.en))
        found.append((re.compile(rf"{re.escape(anomaly.code)}: {pattern}"), anomaly))
    return tuple(found)


def translate(text: str, lang: str) -> str:
    """An anomaly text (`CODE: English description`) in the report's language."""
    if lang == "en":
        return text
    for pattern, anomaly in _patterns():
        match = pattern.fullmatch(text)
        if match:
            return anomaly.text(lang, **match.groupdict())
    return text
