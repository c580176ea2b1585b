"""Dates and hours as clients type them, read a whole column at a time.

A cell may hold an Excel date or time, a date-time, a duration (`[h]:mm`), an Excel serial
number or fraction, a number typed as an hour (`10`, `930`, `9.30`), or text such as
`29/06/2026`, `29-06-26`, `lundi 29/06`, `29 juin 2026`, `2026-06-29`, `9:30`, `9u30`, `9h`,
`09:30:00`, `9:30 pm` or `24:00`. Each parser returns the parsed column and a mask of the cells
that held something it could not read, so the caller reports those cells and nothing else.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from .model import BRUSSELS

MINUTES_PER_DAY = 24 * 60
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")

# 9:30 pm, 9 AM, 9.30u
_AM_PM = r"\s*(?:[uUhH]|(?P<ampm>[aApP])\.?\s*[mM]\.?)?"
# 9:30, 09:30:00, 9u30, 9h30, 9.30, 9 h 30, 9u, 10
_TIME_SEPARATED = r"^(?P<h>\d{1,2})\s*(?:[:uUhH.]\s*(?P<m>\d{2})?(?::\d{2})?)?" + _AM_PM + r"\s*$"
# 930, 0930
_TIME_COMPACT = r"^(?P<h>\d{1,2})(?P<m>\d{2})" + _AM_PM + r"$"
# a weekday before a date: `ma 29/06`, `lundi, 29/06/2026`, `Mon. 29/06`
_WEEKDAY = r"(?:[^\W\d_]+\.?,?\s*)?"
# a time after a date: `29/06/2026 10:00`
_CLOCK = r"(?:[ T]+\d{1,2}[:.uUhH]\d{2}(?::\d{2}(?:\.\d+)?)?)?"
# 29/06/2026, 29-06-26, 29.06.2026, 29/06
_DATE_DMY = (
    r"^"
    + _WEEKDAY
    + r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})(?:[/.\-](?P<y>\d{2}|\d{4}))?"
    + _CLOCK
    + r"$"
)
# 2026-06-29, 2026/06/29
_DATE_ISO = r"^" + _WEEKDAY + r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[T ].*)?$"
# 29 juin 2026, 1er juillet, 29 June, 29 jun. 2026
_DATE_NAMED = (
    r"^" + _WEEKDAY + r"(?P<d>\d{1,2})(?:er|e|st|nd|rd|th)?\.?\s*(?P<name>[^\W\d_]{3,})\.?"
    r"(?:\s+(?P<y>\d{4}))?$"
)

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "janv", "janvier", "januari", "january"),
            ("feb", "febr", "fev", "fevr", "fevrier", "februari", "february"),
            ("mrt", "mar", "maart", "mars", "march"),
            ("apr", "avr", "avril", "april"),
            ("mei", "mai", "may"),
            ("jun", "juin", "juni", "june"),
            ("jul", "juil", "juillet", "juli", "july"),
            ("aug", "aou", "aout", "augustus", "august"),
            ("sep", "sept", "septembre", "september"),
            ("okt", "oct", "octobre", "oktober", "october"),
            ("nov", "novembre", "november"),
            ("dec", "decembre", "december"),
        ),
        start=1,
    )
    for name in names
}
"""Month names and abbreviations (nl, fr, en), without accents."""


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
    durations = kinds == "duration"
    if durations.any():
        minutes[durations] = values[durations].map(lambda d: round(d.total_seconds() / 60))
    numbers = kinds == "number"
    if numbers.any():
        minutes[numbers] = _number_minutes(values[numbers].astype("float64"))
    texts = kinds == "text"
    if texts.any():
        text = values[texts].astype(str).str.strip()
        minutes[texts] = _text_minutes(text)

    blank = kinds == "blank"
    unreadable = ~blank & (minutes.isna() | (minutes < 0) | (minutes > MINUTES_PER_DAY))
    minutes[unreadable] = np.nan
    return minutes.astype("Float64"), unreadable


def _number_minutes(number: pd.Series) -> pd.Series:
    """A number in an hour cell, read the way it was most likely typed.

    0..1 is an Excel time (a fraction of a day, 1 = 24:00); a whole 2..24 an hour typed as a
    number (`10`); a whole 100..2400 an hour without separator (`930`); 1..24 with decimals an
    hour typed with a point in a locale that reads it as a decimal (`9.30` → 9.3 = 9:30); a
    larger number with decimals an Excel date-time serial, whose fraction is the hour.
    """
    whole = number.floordiv(1)
    integral = number == whole
    fraction = number - whole
    hundredths = (fraction * 100).round(6)
    minutes = pd.Series(np.nan, index=number.index, dtype="float64")
    rules = [
        ((number >= 0) & (number <= 1), number * MINUTES_PER_DAY),
        (integral & (number > 1) & (number <= 24), number * 60),
        (
            integral & (number >= 100) & (number <= 2400) & (number % 100 < 60),
            number.floordiv(100) * 60 + number % 100,
        ),
        (
            ~integral
            & (number > 1)
            & (number < 24)
            & (hundredths == hundredths.round())
            & (hundredths < 60),
            whole * 60 + hundredths,
        ),
        (~integral & (number > 2400), fraction * MINUTES_PER_DAY),
    ]
    for applies, value in reversed(rules):  # the first rule that applies wins
        minutes = minutes.mask(applies, value)
    return minutes.round()


def _text_minutes(text: pd.Series) -> pd.Series:
    separated = text.str.extract(_TIME_SEPARATED)
    compact = text.str.extract(_TIME_COMPACT)
    matched = separated["h"].notna()
    hours = separated["h"].fillna(compact["h"])
    mins = separated["m"].where(matched, compact["m"]).fillna("0")
    ampm = separated["ampm"].where(matched, compact["ampm"]).str.lower()
    h = pd.to_numeric(hours, errors="coerce")
    m = pd.to_numeric(mins, errors="coerce")
    ok = (h <= 24) & (m <= 59) & ~((h == 24) & (m > 0))
    twelve = ampm.notna()
    ok &= ~twelve | ((h >= 1) & (h <= 12))
    h = h.where(~twelve, h % 12 + 12 * (ampm == "p"))
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
        result[cells] = _in_bounds(
            pd.to_datetime(values[cells].map(lambda d: dt.datetime(d.year, d.month, d.day)))
        )
    serials = kinds == "number"
    if serials.any():
        number = values[serials].astype("float64")
        plausible = (number >= 1) & (number < 2_958_466)
        days = pd.to_timedelta(number.where(plausible).floordiv(1), unit="D")
        result[serials] = _EXCEL_EPOCH + days
    texts = kinds == "text"
    if texts.any():
        result[texts] = _in_bounds(_text_dates(values[texts].astype(str).str.strip(), year))

    blank = kinds == "blank"
    unreadable = ~blank & result.isna()
    return result, unreadable


def parse_birth_dates(values: pd.Series, before: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Birth dates (a full year is needed) and the unreadable mask.

    A two-digit year (`18/05/93`) is read in the latest century that puts the birth before
    `before` (the work day): 93 is 1993, 08 is 2008.
    """
    dates, unreadable = parse_dates(values)
    values = values.astype("object")
    is_text = values.map(lambda v: isinstance(v, str))
    if is_text.any():
        year = values[is_text].astype(str).str.strip().str.extract(_DATE_DMY)["y"]
        two_digit = year.str.len().eq(2).fillna(False).astype(bool)
        two_digit = two_digit.reindex(values.index, fill_value=False)
        earlier = two_digit & (dates >= before).fillna(False).astype(bool)
        if earlier.any():
            dates[earlier] = dates[earlier] - pd.DateOffset(years=100)
    return dates, unreadable


def _in_bounds(dates: pd.Series) -> pd.Series:
    """Dates a nanosecond column holds (1677-2262); 9999-12-31 or 1600 is unreadable, no crash."""
    return dates.where((dates >= pd.Timestamp.min) & (dates <= pd.Timestamp.max))


def _text_dates(text: pd.Series, year: int | None) -> pd.Series:
    parts = date_parts(text)
    if year is not None:
        parts["year"] = parts["year"].fillna(year)
    return pd.to_datetime(parts, errors="coerce")


def date_parts(text: pd.Series) -> pd.DataFrame:
    """Year, month and day of dates typed as text (NaN where absent or unreadable).

    A date without a year (`29/06`, `lundi 29 juin`) keeps a NaN year for the caller to fill.
    """
    text = text.astype(str).str.strip()
    dmy = text.str.extract(_DATE_DMY)
    iso = text.str.extract(_DATE_ISO)
    named = text.str.extract(_DATE_NAMED)
    name = named["name"].dropna().map(_plain)
    named_month = name.map(MONTHS).reindex(text.index).astype("float64")
    day = pd.to_numeric(dmy["d"].fillna(iso["d"]).fillna(named["d"]), errors="coerce")
    month = pd.to_numeric(dmy["m"].fillna(iso["m"]), errors="coerce").fillna(named_month)
    y = pd.to_numeric(dmy["y"].fillna(iso["y"]).fillna(named["y"]), errors="coerce")
    y = y.where(y >= 100, 2000 + y)
    return pd.DataFrame({"year": y, "month": month, "day": day.where(month.notna())})


def _plain(word: str) -> str:
    """`Février` → `fevrier`: month and day names compare without case or accents."""
    plain = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


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
        return "duration" if dt.timedelta(0) <= value <= dt.timedelta(days=1) else "other"
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
