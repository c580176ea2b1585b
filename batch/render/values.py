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


def format_datetime(moment: datetime | None) -> str:
    """25/06/2026 10:00, in Brussels time; empty for no moment."""
    if moment is None:
        return ""
    return wall_time(moment).strftime(DATETIME_FORMAT)
