"""How a value is shown in a report: times as Brussels wall time, identifiers with dots.

Shared by the Excel and HTML writers so both show the same moment, number and colour the
same way.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..identifiers import format_enterprise, format_insz
from ..model import BRUSSELS

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
EXCEL_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def enterprise_text(number: str) -> str:
    """0123.456.749, in the workbook as on the page (the Crossroads Bank's form)."""
    return format_enterprise(number or "")


def insz_text(insz: str) -> str:
    """93.05.18-223.61, in the workbook as on the page (the web form's form); a masked
    INSZ (93.05.18-***.**) or an unreadable one as it is."""
    return format_insz(insz or "")


def wall_time(moment: datetime) -> datetime:
    """The naive Europe/Brussels clock time of `moment` (naive input is taken as such)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(BRUSSELS).replace(tzinfo=None)


def repeated_hour_zone(moment: datetime) -> str:
    """CET or CEST when `moment` falls in the hour the autumn night shows twice, else empty.

    The wall time alone cannot tell the two readings apart on paper.
    """
    if moment.tzinfo is None:
        return ""
    local = moment.astimezone(BRUSSELS)
    if local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset():
        return ""
    return local.tzname() or ""


def format_datetime(moment: datetime | None) -> str:
    """25/06/2026 10:00, in Brussels time; the zone added in the repeated hour; empty for none."""
    if moment is None:
        return ""
    shown = wall_time(moment).strftime(DATETIME_FORMAT)
    zone = repeated_hour_zone(moment)
    return f"{shown} ({zone})" if zone else shown


# --- colours: the same in the workbooks and the pages (templates/base.html) ------------

ATTENTION_FILL = "#FFF3D6"  # amber: accepted with a warning, or a person must act
REFUSED_FILL = "#FDE7E5"  # light red: refused, or past its deadline
PENDING_FILL = "#EEF1F5"  # grey-blue: no answer yet
TOTAL_FILL = "#F3F3F3"  # a totals row, like a header


def elapsed_hours(start: datetime | None, end: datetime | None) -> float | None:
    """Real hours from start to end, counted in UTC so a night the clocks change counts right.

    Two aware moments in the same zone subtract as wall-clock times in Python, which would
    make 22:00 to 06:00 on the last Sunday of October 8 hours instead of 9. Naive moments
    are Brussels wall time.
    """
    if start is None or end is None:
        return None
    return (_utc(end) - _utc(start)).total_seconds() / 3600


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BRUSSELS)
    return moment.astimezone(UTC)


def hours_text(hours: float, unit: str, lang: str) -> str:
    """4 h, 6.5 h (en) / 6,5 u (nl) / 6,5 h (fr): at most two decimals, no trailing zeros."""
    number = f"{hours:.2f}".rstrip("0").rstrip(".")
    if number == "-0":
        number = "0"
    if lang != "en":
        number = number.replace(".", ",")
    return f"{number} {unit}"
