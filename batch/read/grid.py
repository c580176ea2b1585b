"""Weekly grids: one row per worker, one column per day, the shifts typed in the cells.

A grid becomes the same raw rows as a long roster, one per shift, so validation treats both
alike; each row keeps the cell its shift came from in `cell_start`, `cell_end` and
`cell_work_day`, so a problem points at `E7`, not at a column. What is read:

- Worker columns named as in a long roster (INSZ, last name, first name, and optionally the
  employer's enterprise number, NSSO number and name, references); the employer may instead
  be a labelled cell above the header (`N° d'entreprise : BE 0566 988 259`).
- Day columns whose header holds a date: `29/06`, `ma 29/06`, `lundi 29/06/2026`,
  `2026-06-29`, `29 juin`, an Excel date cell; or the weekday in the header and the date in
  the row just above or below it; or weekday names only, with the week's date above the grid
  (`Semaine du 29/06/2026`). A date without a year takes the year that puts it nearest a
  full date elsewhere on the sheet (so a week over New Year reads right), else `--year`.
  A weekday that contradicts its date is a warning.
- One column per day, each cell empty or holding shifts: `10:00-14:00`, `10-14`,
  `9u30-13u30`, `9h30 - 13h30`, `10:00 - 14:00 / 18:00 - 22:00`, `22:00-02:00` (overnight),
  separated by `/`, `+`, `;`, `,`, `&`, `en`/`et`/`and` or a line break. A cell saying there
  is no work (`rust`, `repos`, `off`, `-`) holds no shift. Anything else is one problem at
  its cell naming what could not be read.
- Or two columns per day: the date over a `Van`/`Tot` (`Début`/`Fin`, ...) pair of
  sub-headers, each cell holding one hour, read like a long roster's hours.
- Several grids on one sheet, one under the other, each under its own header; labels above
  a grid apply to it and to the grids below it that have none of their own.

Grids are small, so this reads them cell by cell; only the hours are parsed a whole grid at a
time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from .. import timeparse
from ..messages import problem
from ..model import Problem, Severity
from .cells import Cells
from .headers import (
    FIELDS,
    GRID_REQUIRED,
    HEADER_SEARCH_ROWS,
    Label,
    apply_labels,
    field_of,
    find_date,
    find_labels,
    has_columns,
    is_total,
    match_row,
    normalize_header,
)
from .records import Column, Sheet
from .values import address, column_letter, display, letter_index

# Weekday names and abbreviations per language; `ma` and `di` differ between Dutch and French,
# so a row's language is the one that explains all its weekday words.
_WEEKDAY_NAMES = {
    "nl": ("maandag ma maa", "dinsdag di din", "woensdag wo woe", "donderdag do don",
           "vrijdag vr vri vrij", "zaterdag za zat", "zondag zo zon"),
    "fr": ("lundi lu lun", "mardi ma mar", "mercredi me mer", "jeudi je jeu",
           "vendredi ve ven", "samedi sa sam", "dimanche di dim"),
    "en": ("monday mo mon", "tuesday tu tue tues", "wednesday we wed",
           "thursday th thu thur thurs", "friday fr fri", "saturday sa sat", "sunday su sun"),
}  # fmt: skip
WEEKDAYS: dict[str, dict[str, int]] = {}
for _lang, _days in _WEEKDAY_NAMES.items():
    for _number, _words in enumerate(_days):
        for _word in _words.split():
            WEEKDAYS.setdefault(_word, {})[_lang] = _number

# Cells that say there is no shift that day.
NO_WORK = frozenset(
    normalize_header(w)
    for w in ("rust", "repos", "vrij", "libre", "off", "day off", "congé", "verlof", "vakantie",
              "vacances", "ziek", "malade", "absent", "afwezig", "niet", "pas", "none", "nvt")
)  # fmt: skip

_TIME = (
    r"\d{3,4}|\d{1,2}(?:\.\d(?!\d)|\s*[:uUhH.]\s*(?:\d{2})?(?::\d{2})?)?"
    r"(?:\s*[aApP]\.?[mM]\.?)?"
)
SHIFT = re.compile(
    rf"(?<![\w:.])(?:(?:van|de|from)\s+)?(?P<start>{_TIME})\s*(?:-|–|—|tot|à|to|till?)\s*"
    rf"(?P<end>{_TIME})(?![\w:.])",
    re.IGNORECASE,
)
_GAP = re.compile(r"^(?:[\s/+;,&|]|\b(?:en|et|and)\b)*$", re.IGNORECASE)
_SEPARATORS = " \t\r\n/+;,&|"
_LEADING_WORD = re.compile(r"^\s*([^\W\d_]+)\.?,?")


@dataclass(frozen=True)
class DayText:
    """What a header cell says about a day: a date (maybe without year), a weekday word."""

    text: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    word: str = ""


@dataclass(frozen=True)
class Day:
    """A day column of the grid (or the start and end columns of a day)."""

    day: dt.date
    start: int
    end: int | None
    header: str


@dataclass
class Header:
    top: int
    bottom: int
    ids: dict[str, Column]
    days: list[Day] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def day_headers(row: list) -> dict[int, DayText]:
    """The cells of a header row that name a day: by date, or by weekday only."""
    found: dict[int, DayText] = {}
    texts: dict[int, str] = {}
    for col, value in enumerate(row):
        if isinstance(value, dt.datetime | dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            found[col] = DayText(display(value), day.day, day.month, day.year)
        elif isinstance(value, str) and value.strip():
            texts[col] = value.strip()
    if not texts:
        return found
    parts = timeparse.date_parts(pd.Series(texts, dtype="object"))
    for col, text in texts.items():
        word = _weekday_word(text)
        d, m, y = parts.at[col, "day"], parts.at[col, "month"], parts.at[col, "year"]
        if pd.notna(d) and pd.notna(m):
            found[col] = DayText(text, int(d), int(m), None if pd.isna(y) else int(y), word)
        elif normalize_header(text) in WEEKDAYS:
            found[col] = DayText(text, word=normalize_header(text))
    return found


def _weekday_word(text: str) -> str:
    match = _LEADING_WORD.match(text)
    word = normalize_header(match.group(1)) if match else ""
    return word if word in WEEKDAYS else ""


def _weekdays(words: list[str]) -> dict[str, int]:
    """Each weekday word's day number (0 = Monday), in the language that explains them all."""
    languages = [set(WEEKDAYS[w]) for w in words if w]
    common = set.intersection(*languages) if languages else set()
    lang = next((x for x in ("nl", "fr", "en") if x in common), None)
    result = {}
    for w in filter(None, words):
        numbers = set(WEEKDAYS[w].values())
        if lang:
            result[w] = WEEKDAYS[w][lang]
        elif len(numbers) == 1:
            result[w] = numbers.pop()
    return result


def read_grid(
    cells: Cells, required: tuple[str, ...] = GRID_REQUIRED
) -> tuple[list[Sheet], list[Problem]] | None:
    """A sheet read as weekly grids; None when it holds no grid header.

    `required`: the worker columns a grid must have (`headers.grid_required`).
    """
    values = cells.values
    headers: list[Header] = []
    r = 0
    while r < len(values):
        if not headers and r >= HEADER_SEARCH_ROWS:
            return None
        header = _header_at(cells, r, required)
        if header is None:
            r += 1
            continue
        headers.append(header)
        r = header.bottom + 1
    if not headers:
        return None

    sheets: list[Sheet] = []
    problems: list[Problem] = []
    labels: dict[str, Label] = {}
    previous_bottom = -1
    for number, header in enumerate(headers):
        end = headers[number + 1].top if number + 1 < len(headers) else len(values)
        labels = {**labels, **find_labels(values, range(previous_bottom + 1, header.top))}
        previous_bottom = header.bottom
        problems.extend(header.problems)
        if header.days:
            sheet, found = _read_block(cells, header, range(header.bottom + 1, end), labels)
            sheets.append(sheet)
            problems.extend(found)
    return sheets, problems


def _header_at(cells: Cells, r: int, required: tuple[str, ...]) -> Header | None:
    """The grid header whose worker columns are named on row r, with its day columns."""
    values = cells.values
    matched = match_row(values[r])
    if not required or not has_columns(matched, required):
        return None
    ids = {n: c for n, c in matched.items() if n not in ("work_day", "start", "end")}
    id_columns = {letter_index(c.letter) for c in ids.values()}

    def header_like(x: int) -> bool:
        """Row x may belong to the header: its worker cells are empty or header words."""
        if not 0 <= x < len(values):
            return False
        return all(not _text(cells.value(x, c)) or field_of(cells.value(x, c)) for c in id_columns)

    def dated(x: int) -> dict[int, DayText]:
        found = day_headers(values[x]) if header_like(x) or x == r else {}
        return {c: t for c, t in found.items() if c not in id_columns}

    rows = {x: dated(x) for x in (r, r - 1, r + 1)}
    date_row = next((x for x in (r, r - 1, r + 1) if any(t.month for t in rows[x].values())), None)
    word_row = next((x for x in (r, r - 1, r + 1) if any(t.word for t in rows[x].values())), None)
    if date_row is None and word_row is None:
        return None
    band = sorted({r, *(x for x in (date_row, word_row) if x is not None)})
    header = Header(top=band[0], bottom=band[-1], ids=ids)

    day_texts: dict[int, DayText] = {}
    for x in (date_row, word_row):
        for col, text in rows.get(x, {}).items() if x is not None else ():
            known = day_texts.get(col)
            if known is None:
                day_texts[col] = text
            elif not known.word and text.word:
                day_texts[col] = DayText(
                    f"{text.text} {known.text}", known.day, known.month, known.year, text.word
                )
    if not day_texts:
        return None

    # Two columns per day: start and end sub-headers under the dates, on the worker header
    # row itself when the dates are above it, else on the row below the header.
    sub = r if date_row is not None and date_row < r else header.bottom + 1
    pairs = _start_end_columns(values[sub]) if sub < len(values) else []
    pairs = [(s, e) for s, e in pairs if s not in id_columns]
    if pairs:
        header.bottom = max(header.bottom, sub)
    for col in set(day_texts) | {c for pair in pairs for c in pair}:
        header.texts[col] = " ".join(
            _text(cells.value(x, col))
            for x in range(header.top, header.bottom + 1)
            if _text(cells.value(x, col))
        )
    row = date_row if date_row is not None else word_row
    header.days = _resolve_days(cells, header, day_texts, row, pairs)
    return header


def _start_end_columns(row: list) -> list[tuple[int, int]]:
    """Start and end sub-header columns under two-column days, paired left to right."""
    pairs, start = [], None
    for col, value in enumerate(row):
        name = field_of(value)
        if name == "start":
            start = col
        elif name == "end" and start is not None:
            pairs.append((start, col))
            start = None
    return pairs


def _resolve_days(
    cells: Cells,
    header: Header,
    texts: dict[int, DayText],
    row: int,
    pairs: list[tuple[int, int]],
) -> list[Day]:
    """Dates for the day columns: years completed, weekday-only headers dated, checked."""

    def where(col: int) -> dict:
        return {
            "file": cells.file,
            "sheet": cells.sheet,
            "row": row + 1,
            "column": header.texts.get(col, ""),
            "cell": address(row, col),
            "value": texts[col].text if col in texts else "",
        }

    reference = next(
        (_date(t.year, t.month, t.day) for _, t in sorted(texts.items()) if t.year and t.month),
        None,
    ) or find_date(cells.values, range(header.top))
    weekdays = _weekdays([t.word for t in texts.values()])
    dates: dict[int, dt.date] = {}
    for col, text in sorted(texts.items()):
        if text.month is None:  # a weekday only: the week of the date above the grid
            number = weekdays.get(text.word)
            if reference is None or number is None:
                continue
            dates[col] = reference - dt.timedelta(days=reference.weekday() - number)
            continue
        if text.year:
            day = _date(text.year, text.month, text.day)
        elif reference is not None:
            day = _nearest(text.month, text.day, reference)
        elif cells.year is not None:
            day = _date(cells.year, text.month, text.day)
            reference = day
        else:
            header.problems.append(problem("no_year", **where(col), found=text.text))
            return []
        if day is None:
            year = f"/{text.year}" if text.year else ""
            date = f"{text.day:02d}/{text.month:02d}{year}"
            header.problems.append(problem("no_such_date", **where(col), date=date))
            continue
        number = weekdays.get(text.word)
        if number is not None and number != day.weekday():
            header.problems.append(
                problem(
                    "weekday_mismatch",
                    **where(col),
                    severity=Severity.WARNING,
                    written=text.text,
                    date=f"{day:%d/%m/%Y}",
                )
            )
        dates[col] = day
    if texts and not dates and not header.problems:
        col = min(texts)
        header.problems.append(problem("no_dates", **where(col), found=texts[col].text))

    if not pairs:
        return [Day(day, col, None, header.texts.get(col, "")) for col, day in dates.items()]
    days = []
    for start, end in pairs:
        dated = [c for c in dates if c <= start]
        if dated:
            days.append(Day(dates[max(dated)], start, end, header.texts.get(start, "")))
    return days


def _date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _nearest(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The date with this day and month nearest the reference (28/12/2026 → 03/01 is 2027)."""
    candidates = [_date(reference.year + k, month, day) for k in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    return min(valid, key=lambda c: abs(c - reference)) if valid else None


def _text(value: object) -> str:
    return display(value).strip() if value is not None else ""


@dataclass(frozen=True)
class _Piece:
    """A shift found in a cell, its hours still text."""

    row: int
    col: int
    start: str
    end: str


def _read_block(
    cells: Cells, header: Header, rows: range, labels: dict[str, Label]
) -> tuple[Sheet, list[Problem]]:
    """One grid's worker rows as raw rows, one per shift."""
    problems: list[Problem] = []
    records: list[dict] = []
    pieces: list[_Piece] = []
    unreadable: dict[tuple[int, int], list[str]] = {}
    used_rows: set[int] = set()
    used_columns: set[int] = set()
    id_cols = {name: letter_index(c.letter) for name, c in header.ids.items()}

    def report(code: str, x: int, col: int, value: object, **params) -> None:
        problems.append(
            problem(
                code,
                file=cells.file,
                sheet=cells.sheet,
                row=x + 1,
                column=header.texts.get(col, ""),
                cell=address(x, col),
                value=_text(value),
                **params,
            )
        )

    for x in rows:
        worker = {name: cells.value(x, col) for name, col in id_cols.items()}
        texts = [_text(v) for v in worker.values()]
        if sum(field_of(_text(v)) == name for name, v in worker.items()) >= 2:
            continue  # the header repeated
        insz = re.sub(r"\D", "", _text(worker.get("insz")))
        if any(is_total(t) for t in texts) and len(insz) != 11:
            continue
        base = {name: (None if _text(v) == "" else v) for name, v in worker.items()}
        for day in header.days:
            if day.end is not None:
                start, end = cells.value(x, day.start), cells.value(x, day.end)
                if not _text(start) and not _text(end):
                    continue
                records.append(
                    {
                        **base,
                        "row": x + 1,
                        "work_day": day.day,
                        "start": start if _text(start) else None,
                        "end": end if _text(end) else None,
                        "cell_start": address(x, day.start),
                        "cell_end": address(x, day.end),
                        "cell_work_day": address(x, day.start),
                    }
                )
                used_rows.add(x + 1)
                used_columns.update((day.start, day.end))
                continue
            value = cells.value(x, day.start)
            text = _text(value)
            if not text:
                continue
            used_rows.add(x + 1)
            used_columns.add(day.start)
            if isinstance(value, dt.date | dt.datetime):
                report("shift_is_date", x, day.start, value)
                continue
            if not isinstance(value, str):
                report("bad_shift", x, day.start, value, piece=text)
                continue
            if normalize_header(text) in NO_WORK or not normalize_header(text):
                continue
            found, bad = split_shifts(text)
            if bad:
                unreadable.setdefault((x, day.start), []).extend(bad)
            for start, end in found:
                pieces.append(_Piece(x, day.start, start, end))
                records.append(
                    {
                        **base,
                        "row": x + 1,
                        "work_day": day.day,
                        "start": start,
                        "end": end,
                        "cell_start": address(x, day.start),
                        "cell_end": address(x, day.start),
                        "cell_work_day": address(x, day.start),
                        "_piece": len(pieces) - 1,
                    }
                )

    # Hours of all shifts read at once; a shift with an hour that does not exist (`25-26`,
    # `9h70-12`) is a problem of its cell, not a bad hour of a column. A cell with a problem
    # gives no shift at all (an error means: not used), however much of it could be read.
    for index in sorted(_unreadable_pieces(pieces)):
        piece = pieces[index]
        unreadable.setdefault((piece.row, piece.col), []).append(f"{piece.start}-{piece.end}")
    for (x, col), bad in sorted(unreadable.items()):
        report("bad_shift", x, col, cells.value(x, col), piece=" / ".join(bad))
    records = [
        r
        for r in records
        if "_piece" not in r or (pieces[r["_piece"]].row, pieces[r["_piece"]].col) not in unreadable
    ]

    columns = ["row", *FIELDS, "cell_start", "cell_end", "cell_work_day"]
    frame = pd.DataFrame([{k: r.get(k) for k in columns} for r in records], columns=columns)
    frame = frame.astype("object").where(frame.notna(), None)
    frame["row"] = frame["row"].astype("int64")
    sheet = Sheet(
        cells.file,
        cells.sheet,
        dict(header.ids),
        frame,
        headers={column_letter(c): t for c, t in header.texts.items()},
        layout="grid",
    )
    apply_labels(sheet, labels)
    problems.extend(cells.hidden_row_warnings(used_rows))
    for col in sorted(used_columns & cells.hidden_columns):
        problems.append(
            problem(
                "hidden_column",
                file=cells.file,
                sheet=cells.sheet,
                row=header.top + 1,
                column=header.texts.get(col, ""),
                cell=address(header.top, col),
                severity=Severity.WARNING,
            )
        )
    return sheet, problems


def split_shifts(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The shifts written in a cell as (start, end) texts, and the pieces that are not shifts."""
    found, bad, position = [], [], 0
    for match in SHIFT.finditer(text):
        gap = text[position : match.start()]
        if not _GAP.match(gap):
            bad.append(gap.strip(_SEPARATORS))
        found.append((match.group("start").strip(), match.group("end").strip()))
        position = match.end()
    tail = text[position:]
    if not _GAP.match(tail):
        bad.append(tail.strip(_SEPARATORS))
    return found, bad


def _unreadable_pieces(pieces: list[_Piece]) -> set[int]:
    if not pieces:
        return set()
    starts = pd.Series([p.start for p in pieces], dtype="object")
    ends = pd.Series([p.end for p in pieces], dtype="object")
    _, bad_start = timeparse.parse_minutes(starts)
    _, bad_end = timeparse.parse_minutes(ends)
    # `9.5-13`: an hour that depends on how the client writes hours is left to validation,
    # which knows `--hours` and names both readings at the cell
    for values, bad in ((starts, bad_start), (ends, bad_end)):
        readings = timeparse.hour_readings(values)
        bad[readings.index[readings["default"].astype(bool)]] = False
    return set((bad_start | bad_end)[lambda s: s].index)
