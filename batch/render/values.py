"""How a value is shown in a report: times as Brussels wall time, identifiers with dots.

Shared by the Excel and HTML writers so both show the same moment the same way.
"""

from __future__ import annotations

from datetime import datetime

from ..model import BRUSSELS

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
EXCEL_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


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
