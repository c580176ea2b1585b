"""Dates and hours as clients type them, read a whole column at a time.

A cell may hold an Excel date or time, a date-time, an Excel serial number or fraction, or
text such as `29/06/2026`, `2026-06-29`, `9:30`, `9u30` or `24:00`. Each parser returns the
parsed column and a mask of the cells that held something it could not read, so the caller
reports those cells and nothing else.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .model import BRUSSELS

MINUTES_PER_DAY = 24 * 60
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")

# 9:30, 09:30:00, 9u30, 9h30, 9.30, 9 h 30, 9u, 10
_TIME_SEPARATED = r"^(?P<h>\d{1,2})\s*(?:[:uUhH.]\s*(?P<m>\d{2})?(?::\d{2})?)?\s*$"
# 930, 0930
_TIME_COMPACT = r"^(?P<h>\d{1,2})(?P<m>\d{2})$"
# 29/06/2026, 29-06-26, 29.06.2026, 29/06
_DATE_DMY = r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})(?:[/.\-](?P<y>\d{2}|\d{4}))?$"
# 2026-06-29, 2026/06/29
_DATE_ISO = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[T ].*)?$"


def is_blank(values: pd.Series) -> pd.Series:
    """Empty cells: None, NaN, NaT, or text of only spaces."""
    text = values.astype("object")
    blank = text.isna()
    is_str = text.map(lambda v: isinstance(v, str))
    return blank | (is_str & text.where(is_str, "x").astype(str).str.strip().eq(""))


def parse_minutes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Minutes after midnight (0..1440, where 1440 is a typed `24:00`) and the unreadable mask."""
    values = values.astype("object")
    minutes = pd.Series(np.nan, index=values.index, dtype="float64")

    kinds = values.map(_kind)
    times = kinds == "time"
    if times.any():
        minutes[times] = values[times].map(lambda t: t.hour * 60 + t.minute + round(t.second / 60))
    fractions = kinds == "number"
    if fractions.any():
        number = values[fractions].astype("float64")
        in_day = (number >= 0) & (number <= 1)
        # An Excel time is a fraction of a day; a date-time keeps its fraction as the hour.
        minutes[fractions & in_day.reindex(values.index, fill_value=False)] = (
            number[in_day] * MINUTES_PER_DAY
        ).round()
    texts = kinds == "text"
    if texts.any():
        text = values[texts].astype(str).str.strip()
        minutes[texts] = _text_minutes(text)

    blank = kinds == "blank"
    unreadable = ~blank & (minutes.isna() | (minutes < 0) | (minutes > MINUTES_PER_DAY))
    minutes[unreadable] = np.nan
    return minutes.astype("Float64"), unreadable


def _text_minutes(text: pd.Series) -> pd.Series:
    separated = text.str.extract(_TIME_SEPARATED)
    compact = text.str.extract(_TIME_COMPACT)
    hours = separated["h"].fillna(compact["h"])
    mins = separated["m"].where(separated["h"].notna(), compact["m"]).fillna("0")
    h = pd.to_numeric(hours, errors="coerce")
    m = pd.to_numeric(mins, errors="coerce")
    ok = (h <= 24) & (m <= 59) & ~((h == 24) & (m > 0))
    return (h * 60 + m).where(ok)


def parse_dates(values: pd.Series, year: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Calendar dates (datetime64, midnight) and the unreadable mask.

    `year` completes a date typed without one (`29/06`); without it such a date is unreadable.
    """
    values = values.astype("object")
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    kinds = values.map(_kind)

    cells = kinds.isin(["date", "datetime"])
    if cells.any():
        result[cells] = pd.to_datetime(
            values[cells].map(lambda d: dt.datetime(d.year, d.month, d.day))
        )
    serials = kinds == "number"
    if serials.any():
        number = values[serials].astype("float64")
        plausible = (number >= 1) & (number < 2_958_466)
        days = pd.to_timedelta(number.where(plausible).floordiv(1), unit="D")
        result[serials] = _EXCEL_EPOCH + days
    texts = kinds == "text"
    if texts.any():
        result[texts] = _text_dates(values[texts].astype(str).str.strip(), year)

    blank = kinds == "blank"
    unreadable = ~blank & result.isna()
    return result, unreadable


def _text_dates(text: pd.Series, year: int | None) -> pd.Series:
    dmy = text.str.extract(_DATE_DMY)
    iso = text.str.extract(_DATE_ISO)
    day = pd.to_numeric(dmy["d"].fillna(iso["d"]), errors="coerce")
    month = pd.to_numeric(dmy["m"].fillna(iso["m"]), errors="coerce")
    years = dmy["y"].fillna(iso["y"])
    y = pd.to_numeric(years, errors="coerce")
    y = y.where(y >= 100, 2000 + y)
    if year is not None:
        y = y.fillna(year)
    frame = pd.DataFrame({"year": y, "month": month, "day": day})
    return pd.to_datetime(frame, errors="coerce")


def _kind(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, str):
        return "blank" if not value.strip() else "text"
    if isinstance(value, bool):
        return "other"
    if isinstance(value, dt.datetime | pd.Timestamp):
        return "blank" if pd.isna(value) else "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, int | float | np.integer | np.floating):
        return "blank" if np.isnan(value) else "number"
    if isinstance(value, dt.timedelta):
        return "other"
    return "other"


def time_of_datetime_cells(values: pd.Series) -> pd.Series:
    """A date-time cell typed in an hour column counts by its time of day."""
    return values.map(lambda v: v.time() if isinstance(v, dt.datetime) else v)


def localize(naive: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Wall-clock times in Brussels made aware; the mask marks times the clock skipped.

    In the autumn hour that happens twice, the first (summer time) is meant.
    """
    summer_first = np.ones(len(naive), dtype=bool)
    aware = naive.dt.tz_localize(BRUSSELS, ambiguous=summer_first, nonexistent="NaT")
    skipped = naive.notna() & aware.isna()
    return aware, skipped


def shift_bounds(
    day: pd.Series, start_minutes: pd.Series, end_minutes: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Naive wall-clock start and end of shifts; an end at or before the start is the next day.

    `24:00` (1440 minutes) is 00:00 of the next day: Dimona has no hour 24 (domain.md §1).
    """
    start_m = start_minutes.astype("float64")
    end_m = end_minutes.astype("float64")
    start = day + pd.to_timedelta(start_m, unit="min")
    overnight = end_m < start_m
    end = day + pd.to_timedelta(end_m + overnight * MINUTES_PER_DAY, unit="min")
    return start, end


def to_python(aware: pd.Series) -> list[dt.datetime | None]:
    """Aware pandas timestamps as datetimes in Brussels with zoneinfo, for the records."""
    return [None if pd.isna(t) else t.to_pydatetime().astimezone(BRUSSELS) for t in aware]
