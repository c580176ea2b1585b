"""Dates and hours as clients type them, read a whole column at a time.

A cell may hold an Excel date or time, a date-time, a duration (`[h]:mm`), an Excel serial
number or fraction, a number typed as an hour (`10`, `930`, `9.30`), or text such as
`29/06/2026`, `29-06-26`, `lundi 29/06`, `29 juin 2026`, `2026-06-29`, `9:30`, `9u30`, `9h`,
`09:30:00`, `9:30 pm` or `24:00`. Each parser returns the parsed column and a mask of the cells
that held something it could not read, so the caller reports those cells and nothing else.

A fraction of an hour written with a point or comma is ambiguous: `9.5` is 09:30 to a client
who writes decimal hours and 09:50 to one who writes the clock with a point. Excel time cells
arrive from calamine as `datetime.time` (or `timedelta` for `[h]:mm`, `datetime` with a date),
so a float is a number the clerk typed, never a formatted time. What is read as what:

- clock times, always: a time cell, a whole number (`9` → 09:00, `930` → 09:30), text with a
  colon, `u` or `h` (`9:30`, `9u30`, `9h30`), a number from 0 to 1 (an unformatted Excel time,
  a fraction of the day: 0.5 → 12:00) and a number above 2400 (a date-time serial's fraction);
- clock times unless `hours="decimal"`: text with two digits after a point or comma (`9.30`,
  `9,30`);
- ambiguous unless `hours` says how the client writes them: a number with a fraction between
  1 and 24 (`9.5`, `17.25`, `9.3`, `9.75`) and text with one digit after a point or comma
  (`9.5`, `17,5`). `hours="decimal"` reads them as hours and tenths (9.5 → 09:30, rounded to
  the minute), `hours="clock"` as hours and minutes (9.5 → 09:50, 9.3 → 09:30; 9.75 has no
  clock reading: 75 minutes do not exist). Without `hours` such a cell is unreadable, and
  `hour_readings` names the readings it has, for the message.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from .model import BRUSSELS, UTC
from .settings import HOURS

MINUTES_PER_DAY = 24 * 60
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


# Dates outside these years are refused (documented in the README): no work day or birth date
# lies outside them, and pandas cannot hold dates beyond 1677..2262 at all.
FIRST_YEAR, LAST_YEAR = 1900, 2099

# 9:30 pm, 9 AM, 9.30u
_AM_PM = r"\s*(?:[uUhH]|(?P<ampm>[aApP])\.?\s*[mM]\.?)?"
# 9:30, 09:30:00, 9u30, 9h30, 9.30, 9 h 30, 9u, 10
_TIME_SEPARATED = r"^(?P<h>\d{1,2})\s*(?:[:uUhH.,]\s*(?P<m>\d{2})?(?::\d{2})?)?" + _AM_PM + r"\s*$"
# 9.5, 17,5, 9.30, 9,30: a point or comma and one or two digits, decimal or clock
_TIME_DOTTED = r"^(?P<h>\d{1,2})\s*[.,]\s*(?P<f>\d{1,2})$"
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
    spaces = [isinstance(v, str) and not v.strip() for v in text.tolist()]
    return text.isna() | pd.Series(spaces, index=text.index, dtype=bool)


def parse_minutes(values: pd.Series, hours: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Minutes after midnight (0..1440, where 1440 is a typed `24:00`) and the unreadable mask.

    `hours` ("decimal" or "clock") says how the client writes `9.5`; without it such a cell is
    unreadable (see the module's docstring and `hour_readings`).
    """
    if hours is not None and hours not in HOURS:
        raise ValueError(f"hours must be one of {', '.join(HOURS)}, not {hours!r}")
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
    readings = hour_readings(values, kinds)
    if not readings.empty:
        if hours is None:  # only `9.30` text has a reading without `hours`: the clock
            chosen = readings["clock"].where(~readings["default"].astype(bool))
        else:
            chosen = readings[hours]
        minutes[readings.index] = chosen

    blank = kinds == "blank"
    unreadable = ~blank & (minutes.isna() | (minutes < 0) | (minutes > MINUTES_PER_DAY))
    minutes[unreadable] = np.nan
    return minutes.astype("Float64"), unreadable


def hour_readings(values: pd.Series, kinds: pd.Series | None = None) -> pd.DataFrame:
    """The cells that depend on how the client writes hours, with both readings in minutes.

    One row per such cell (the index of `values`): `decimal` and `clock` minutes after
    midnight, NaN where that reading does not exist (9.75 as a clock time: 75 minutes), and
    `default`, True where the cell is ambiguous without `hours` (not `9.30` text, a clock time).
    """
    values = values.astype("object")
    kinds = values.map(_kind) if kinds is None else kinds
    frames = []
    numbers = kinds == "number"
    if numbers.any():
        number = values[numbers].astype("float64")
        whole = np.floor(number)
        dotted = (number != whole) & (number > 1) & (number < 24)
        number, whole = number[dotted], whole[dotted]
        hundredths = ((number - whole) * 100).round(6)
        clock = (whole * 60 + hundredths).where(
            (hundredths == hundredths.round()) & (hundredths < 60)
        )
        decimal = (number * 60).round()
        frames.append(pd.DataFrame({"decimal": decimal, "clock": clock, "default": True}))
    texts = kinds == "text"
    if texts.any():
        parts = values[texts].astype(str).str.strip().str.extract(_TIME_DOTTED).dropna()
        if not parts.empty:
            h = parts["h"].astype("float64")
            f = parts["f"].astype("float64")
            two = parts["f"].str.len() == 2
            decimal = h * 60 + (f / np.where(two, 100, 10) * 60).round()
            clock_m = f * np.where(two, 1, 10)
            clock = (h * 60 + clock_m).where(clock_m < 60)
            frames.append(pd.DataFrame({"decimal": decimal, "clock": clock, "default": ~two}))
    if not frames:
        return pd.DataFrame(columns=["decimal", "clock", "default"], dtype="float64")
    readings = pd.concat(frames)
    hour_ok = readings <= MINUTES_PER_DAY
    readings[["decimal", "clock"]] = readings[["decimal", "clock"]].where(
        hour_ok[["decimal", "clock"]]
    )
    return readings


def _number_minutes(number: pd.Series) -> pd.Series:
    """A number in an hour cell that does not depend on how hours are written.

    0..1 is an Excel time (a fraction of a day, 1 = 24:00); a whole 2..24 an hour typed as a
    number (`10`); a whole 100..2400 an hour without separator (`930`); a larger number with
    decimals an Excel date-time serial, whose fraction is the hour. A number with decimals
    between 1 and 24 (`9.5`) is read by `hour_readings`.
    """
    whole = number.floordiv(1)
    integral = number == whole
    fraction = number - whole
    minutes = pd.Series(np.nan, index=number.index, dtype="float64")
    rules = [
        ((number >= 0) & (number <= 1), number * MINUTES_PER_DAY),
        (integral & (number > 1) & (number <= 24), number * 60),
        (
            integral & (number >= 100) & (number <= 2400) & (number % 100 < 60),
            number.floordiv(100) * 60 + number % 100,
        ),
        (~integral & (number > 2400) & np.isfinite(number), fraction * MINUTES_PER_DAY),
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
    A date outside FIRST_YEAR..LAST_YEAR is unreadable too (`date_trouble` says why).
    """
    values = values.astype("object")
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    kinds = values.map(_kind)

    cells = kinds.isin(["date", "datetime"])
    if cells.any():
        result[cells] = pd.to_datetime(
            values[cells].map(
                lambda d: (
                    dt.datetime(d.year, d.month, d.day)
                    if FIRST_YEAR <= d.year <= LAST_YEAR
                    else None
                )
            )
        )
    serials = kinds == "number"
    if serials.any():
        number = values[serials].astype("float64")
        plausible = (number >= 1) & (number < 73051)  # 1900-01-01 .. 2099-12-31
        days = pd.to_timedelta(number.where(plausible).floordiv(1), unit="D")
        result[serials] = _EXCEL_EPOCH + days
    texts = kinds == "text"
    if texts.any():
        result[texts] = _in_bounds(_text_dates(values[texts].astype(str).str.strip(), year))

    blank = kinds == "blank"
    unreadable = ~blank & result.isna()
    return result, unreadable


def date_trouble(value: object, year: int | None = None) -> tuple[str, str] | None:
    """Why a date cell that `parse_dates` could not read was refused, when it can say more.

    `("no_such_date", "31/06/2026")` for a day the calendar does not have (31/06/2026,
    29/02/2027, 32/01/2026); `("date_out_of_range", "01/01/1600")` for a real date outside
    FIRST_YEAR..LAST_YEAR; None when the cell is simply not a date.
    """
    if isinstance(value, dt.date):
        return "date_out_of_range", f"{value:%d/%m/%Y}"
    if not isinstance(value, str):
        return None
    parts = date_parts(pd.Series([value], dtype="object")).iloc[0]
    y = parts["year"] if pd.notna(parts["year"]) else year
    d, m = parts["day"], parts["month"]
    if pd.isna(d) or pd.isna(m) or y is None or pd.isna(y):
        return None
    d, m, y = int(d), int(m), int(y)
    typed_year = pd.Series([value.strip()]).str.extract(_DATE_DMY)["y"].iloc[0]
    short = isinstance(typed_year, str) and len(typed_year) == 2  # `31/04/93`: no century
    text = f"{d:02d}/{m:02d}/{typed_year if short else f'{y:04d}'}"
    try:
        dt.date(y, m, d)
    except ValueError:
        return "no_such_date", text
    if not FIRST_YEAR <= y <= LAST_YEAR:
        return "date_out_of_range", text
    return None


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
    in_range = (parts["year"] >= FIRST_YEAR) & (parts["year"] <= LAST_YEAR)
    return pd.to_datetime(parts.where(in_range), errors="coerce")


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
    kind = type(value)  # the cells a roster mostly holds, by their exact type first
    if kind is dt.datetime:
        return "datetime"
    if kind is float:
        return "blank" if value != value else "number"
    if kind is int:
        return "number"
    if value is None:
        return "blank"
    if isinstance(value, str):
        return "blank" if not value.strip() else "text"
    if isinstance(value, bool):
        return "other"
    if isinstance(value, dt.datetime | pd.Timestamp):
        return "blank" if value is pd.NaT else "datetime"
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
    """A date-time cell typed in an hour column counts by its time of day (NaT, a blank in a
    column pandas made date-time, stays blank)."""
    return values.map(lambda v: v.time() if isinstance(v, dt.datetime) and v is not pd.NaT else v)


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
    """Aware pandas timestamps as datetimes in Brussels with zoneinfo, for the records.

    The column is turned into plain UTC datetimes at once; each is then only given its zone
    (`astimezone` sets the `fold` of the repeated autumn hour), never built from a Timestamp,
    and once per distinct instant: a roster has a few hundred of them, the rows share them
    (a datetime cannot be changed, so sharing one is safe).
    """
    if aware.empty:
        return []
    moments = aware.dt.tz_convert(UTC).dt.tz_localize(None).dt.to_pydatetime().tolist()
    missing = aware.isna().tolist()
    zoned: dict[dt.datetime, dt.datetime] = {}
    return [
        None if gone else zoned.get(moment) or zoned.setdefault(moment, _brussels(moment))
        for moment, gone in zip(moments, missing, strict=True)
    ]


def _brussels(utc: dt.datetime) -> dt.datetime:
    """A naive UTC datetime as the same instant in Brussels."""
    return utc.replace(tzinfo=UTC).astimezone(BRUSSELS)
