"""(Re)create the sample rosters of `make demo`: python samples/make_samples.py [OUT_DIR]

Three invented horeca employers send their flexi roster for ISO week 27 of 2026 (Monday
29 June to Sunday 5 July): a brasserie in Gent, a beach bar in Oostende and an event caterer
in Brussels. The rosters are typed by people, so they mix date cells with text dates, time
cells with text times, dotted and bare enterprise numbers, and a handful of mistakes that the
validation report must point at cell by cell. Written from code so that the files, the
README and the tests cannot drift apart: tests/test_samples.py rebuilds them and compares.

roster-week27.xlsx: title on row 1, row 2 blank, headers on row 3, data from row 4.
Deliberate mistakes, one per row (the row numbers Excel shows; MISTAKES below holds the same
list and `build` refuses to write when the rows have moved):
    D10      error    INSZ with wrong check digits (Arne Goossens, Wed 1 July)
    I15      error    end equal to start, 18:00-18:00 (Wout De Smet, Thu 2 July)
    B20      warning  RSZ-nummer with wrong check digits (Brasserie, Fri 3 July)
    A28:K28  error    exact duplicate of row 26 (Arne Goossens, Sat 4 July)
    D35      error    INSZ with 10 digits, one dropped (Jolien Mertens, Tue 30 June)
    E37      error    Naam (last name) empty (Kobe, Wed 1 July)
    H40      error    14:00-18:00 overlaps row 39, 10:00-15:00 (Hanne Willems, Thu 2 July)
    I52      error    unreadable time "25:70" (Julien Lambert, Wed 1 July)
    H56:I56  warning  13-hour shift, 10:00-23:00 (Julien Lambert, Sat 4 July)
    A61      error    enterprise number with wrong check digits (caterer, Sun 5 July)

roster-week27-v2.xlsx is the same roster as corrected by the employers on Monday 29 June:
the mistakes fixed (the duplicate row deleted; the 13-hour shift confirmed as it was), plus
changes (EDITS_V2 and DELETED_V2 list them with their cells): two shifts with new hours, one
shift deleted, one added, one moved to another worker, and one start moved earlier on
Monday 29 June that is too late to file at 09:00.

actuals-week27.xlsx is the employers' time-clock export ("Prikklok": title on row 1, headers
on row 2, data from row 3) taken at 00:45 on Wednesday 1 July, for 29 June to 1 July: what
the demo reconciles at 01:00. It holds the periods the two rosters left in the ledger,
changed so that every finding shows up, in time and late (ACTUAL_CASES lists each line the
reconciliation gives, with its deadline), plus one unreadable time:
    G17      error    unreadable time "1x:30" (Hanne Willems, Wed 1 July)
`build_actuals` writes it; `python samples/make_samples.py` writes all three files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
MONDAY = date(2026, 6, 29)
FIRST_DATA_ROW = 4
SHEET = "Rooster"

HEADERS = (
    "Ondernemingsnummer",
    "RSZ-nummer",
    "Werkgever",
    "INSZ",
    "Naam",
    "Voornaam",
    "Werkdag",
    "Van",
    "Tot",
    "Uw referentie werkgever",
    "Referentie werknemer",
)
COLUMN = {header: get_column_letter(i) for i, header in enumerate(HEADERS, start=1)}

# (cell or range, severity, what is wrong) in roster-week27.xlsx, in row order.
MISTAKES: tuple[tuple[str, str, str], ...] = (
    ("D10", "error", "INSZ with wrong check digits"),
    ("I15", "error", "end equal to start (18:00-18:00)"),
    ("B20", "warning", "RSZ-nummer with wrong check digits"),
    ("A28:K28", "error", "exact duplicate of row 26"),
    ("D35", "error", "INSZ with 10 digits (one digit dropped)"),
    ("E37", "error", "Naam (last name) empty"),
    ("H40", "error", "14:00-18:00 overlaps row 39 (10:00-15:00), same worker and day"),
    ("I52", "error", 'unreadable time "25:70"'),
    ("H56:I56", "warning", "13-hour shift (10:00-23:00)"),
    ("A61", "error", "enterprise number with wrong check digits"),
)

# (cell or range in roster-week27-v2.xlsx, what changed since version 1), in row order.
EDITS_V2: tuple[tuple[str, str], ...] = (
    ("D10", "fix: INSZ corrected"),
    ("I15", "fix: end 18:00 → 22:30"),
    ("I18", "change: Fri 3/7 Lotte Van den Broeck 18:00-22:30 → 18:00-23:30"),
    ("B20", "fix: RSZ-nummer corrected"),
    ("H31", "change: Mon 29/6 Nathalie Lefèvre 10:00-18:00 → 08:00-18:00 (too late)"),
    ("D34", "fix: INSZ completed to 11 digits"),
    ("E36", "fix: Naam filled in"),
    ("I38", "fix: overlap removed, 10:00-15:00 → 10:00-13:00"),
    ("D40:F40", "change: Thu 2/7 12:00-20:00 moved from Ruben Vandamme to Jolien Mertens"),
    ("H45", "change: Sat 4/7 Kobe Maes 12:00-20:00 → 13:00-20:00"),
    ("A50:K50", "change: new shift Sun 5/7 Hanne Willems 12:00-20:00"),
    ("I52", "fix: unreadable end 25:70 → 23:00"),
    ("A60", "fix: enterprise number corrected"),
)

# (row in roster-week27.xlsx, why it is gone from version 2).
DELETED_V2: tuple[tuple[int, str], ...] = (
    (28, "fix: the duplicate row is deleted"),
    (53, "change: Wed 1/7 Yasmine El Amrani 16:00-23:00 deleted"),
)


# --- identifiers with valid check digits (domain.md §2) ---------------------------------


def enterprise_number(base8: int) -> str:
    """Base below 20,000,000 (first digit 0 or 1), then 97 − (base mod 97)."""
    return f"{base8:08d}{97 - base8 % 97:02d}"


def nsso_number(base7: int) -> str:
    """NNNNNNN-CC with (NNNNNNNCC + 1) divisible by 97."""
    return f"{base7:07d}-{-(base7 * 100 + 1) % 97:02d}"


def insz_number(birth: date, serial: int) -> str:
    """YYMMDD SSS CC; for births from 2000 the check is computed on 2 followed by the 9."""
    base = int(f"{birth:%y%m%d}{serial:03d}")
    checked = 2_000_000_000 + base if birth.year >= 2000 else base
    return f"{base:09d}{97 - checked % 97:02d}"


def dotted(number: str) -> str:
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def insz_dotted(number: str) -> str:
    """93.05.18-223.61, as printed on the eID card."""
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"


def wrong_check(number: str) -> str:
    """The same number with its last check digit off by one: a typical typo."""
    last = int(number[-1])
    return number[:-1] + str((last + 1) % 10)


# --- who works where ----------------------------------------------------------------------


@dataclass(frozen=True)
class Employer:
    enterprise: str
    nsso: str
    name: str
    insz_style: str = "plain"  # how this employer's payroll software writes an INSZ


@dataclass(frozen=True)
class Person:
    last: str
    first: str
    insz: str
    reference: str = ""
    post: str = ""  # the employer's reference: team or post


EMPLOYERS = {
    "gent": Employer(
        enterprise_number(7843152), nsso_number(1512843), "Brasserie Het Lieverdje BV"
    ),
    "oostende": Employer(
        enterprise_number(6581947), nsso_number(987602), "Strandbar De Zilvermeeuw BV"
    ),
    "brussel": Employer(
        enterprise_number(10024718),
        nsso_number(1712039),
        "Saveurs & Fêtes Events SRL",
        insz_style="dotted",
    ),
}

PEOPLE = {
    # Gent: split shifts, lunch and dinner service.
    "lotte": Person("Van den Broeck", "Lotte", insz_number(date(1998, 3, 14), 162), "P014", "Zaal"),
    "wout": Person("De Smet", "Wout", insz_number(date(1989, 11, 2), 47), "P022", "Keuken"),
    "elise": Person("D'Hondt", "Elise", insz_number(date(2003, 8, 21), 214), "P031", "Zaal"),
    "jens": Person("Claeys", "Jens", insz_number(date(1958, 5, 9), 331), "P007", "Keuken"),
    "fien": Person("Vermeulen", "Fien", insz_number(date(2001, 1, 27), 88), "P035", "Zaal"),
    "arne": Person("Goossens", "Arne", insz_number(date(1995, 10, 30), 195), "P029", "Keuken"),
    # Oostende: long days on the beach, a late bar on Friday and Saturday.
    "nathalie": Person("Lefèvre", "Nathalie", insz_number(date(1976, 4, 5), 126), "ZM-03"),
    "ruben": Person("Vandamme", "Ruben", insz_number(date(2002, 6, 17), 73), "ZM-11"),
    "jolien": Person("Mertens", "Jolien", insz_number(date(1984, 12, 11), 302), "ZM-08"),
    "kobe": Person("Maes", "Kobe", insz_number(date(2004, 2, 29), 159), "ZM-14"),
    "hanne": Person("Willems", "Hanne", insz_number(date(1987, 7, 23), 244), "ZM-05"),
    # Brussels: events; the worker reference is optional and left empty here.
    "camille": Person("Dubois", "Camille", insz_number(date(1993, 9, 15), 236)),
    "julien": Person("Lambert", "Julien", insz_number(date(1984, 3, 12), 157)),
    "yasmine": Person("El Amrani", "Yasmine", insz_number(date(2000, 1, 4), 118)),
    "thomas": Person("Dupont", "Thomas", insz_number(date(1957, 6, 30), 11)),
}

EVENTS = {  # the caterer's reference per work day
    2: "Receptie Kunstberg",
    3: "Seminarie Tour & Taxis",
    5: "Huwelijk Van Acker",
    6: "Brunch Zavel",
}


# --- the rows -------------------------------------------------------------------------


class Text(str):
    """A value typed as text in Excel ('30/06/2026', '9:30'), not as a date or time cell."""


@dataclass(frozen=True)
class Line:
    """One roster row: who works where and when, plus any cells typed differently."""

    employer: str
    who: str
    day: int  # days after Monday 29 June
    start: str  # "HH:MM", written as a time cell unless listed in `text`
    end: str
    text: frozenset[str] = frozenset()  # headers written as text: Werkdag, Van, Tot
    cells: dict[str, object] = field(default_factory=dict, hash=False)  # header → value
    plain_enterprise: bool = False  # enterprise number written without dots
    key: str = ""  # names the rows that version 2 changes
    mistake: str = ""  # columns of a deliberate mistake in version 1: "D", "H:I", "A:K"
    edit: str = ""  # columns that version 2 changed

    def values(self) -> list[object]:
        boss, person = EMPLOYERS[self.employer], PEOPLE[self.who]
        day = MONDAY + timedelta(days=self.day)
        insz = insz_dotted(person.insz) if boss.insz_style == "dotted" else person.insz
        row: dict[str, object] = {
            "Ondernemingsnummer": boss.enterprise
            if self.plain_enterprise
            else dotted(boss.enterprise),
            "RSZ-nummer": boss.nsso,
            "Werkgever": boss.name,
            "INSZ": insz,
            "Naam": person.last,
            "Voornaam": person.first,
            "Werkdag": datetime.combine(day, time()),
            "Van": time.fromisoformat(self.start),
            "Tot": time.fromisoformat(self.end),
            "Uw referentie werkgever": EVENTS.get(self.day, "")
            if self.employer == "brussel"
            else person.post or "Strandbar",
            "Referentie werknemer": person.reference,
        }
        for header in self.text:
            row[header] = _as_text(header, row[header])
        row.update(self.cells)
        return [row[h] for h in HEADERS]


def _as_text(header: str, value: object) -> Text:
    if header == "Werkdag":
        assert isinstance(value, datetime)
        # Some clerks type 30/06/2026, some paste ISO dates from another tool.
        return Text(f"{value:%d/%m/%Y}" if value.day % 2 == 0 else f"{value:%Y-%m-%d}")
    assert isinstance(value, time)
    return Text(f"{value.hour}:{value.minute:02d}")


GENT, OOST, BXL = "gent", "oostende", "brussel"
SPLIT_AM, SPLIT_PM = ("11:00", "14:30"), ("18:00", "22:30")


def _week27() -> list[Line]:
    """Version 1 as the three employers sent it on Sunday 28 June."""
    gent = [
        # Tuesday 30 June (the brasserie is closed on Monday)
        Line(GENT, "lotte", 1, *SPLIT_AM),
        Line(GENT, "lotte", 1, *SPLIT_PM),
        Line(GENT, "wout", 1, *SPLIT_PM, text=frozenset({"Werkdag"})),
        Line(GENT, "fien", 1, *SPLIT_AM, text=frozenset({"Werkdag"})),
        # Wednesday 1 July
        Line(GENT, "elise", 2, *SPLIT_AM),
        Line(GENT, "jens", 2, *SPLIT_AM),
        Line(
            GENT,
            "arne",
            2,
            *SPLIT_PM,
            cells={"INSZ": wrong_check(PEOPLE["arne"].insz)},
            key="arne-insz",
            mistake="D",
        ),
        Line(GENT, "elise", 2, *SPLIT_PM),
        # Thursday 2 July
        Line(GENT, "lotte", 3, *SPLIT_AM),
        Line(GENT, "fien", 3, *SPLIT_AM),
        Line(GENT, "fien", 3, *SPLIT_PM),
        Line(GENT, "wout", 3, "18:00", "18:00", key="wout-end", mistake="I"),
        # Friday 3 July
        Line(GENT, "lotte", 4, *SPLIT_AM),
        Line(GENT, "jens", 4, *SPLIT_AM),
        Line(GENT, "lotte", 4, *SPLIT_PM, key="lotte-later"),
        Line(GENT, "elise", 4, *SPLIT_PM, text=frozenset({"Van"})),
        Line(
            GENT,
            "arne",
            4,
            *SPLIT_PM,
            cells={"RSZ-nummer": wrong_check(EMPLOYERS[GENT].nsso)},
            key="arne-rsz",
            mistake="B",
        ),
        # Saturday 4 July
        Line(GENT, "wout", 5, *SPLIT_AM),
        Line(GENT, "elise", 5, *SPLIT_AM),
        Line(GENT, "jens", 5, *SPLIT_AM),
        Line(GENT, "wout", 5, *SPLIT_PM),
        Line(GENT, "elise", 5, *SPLIT_PM),
        Line(GENT, "arne", 5, *SPLIT_PM),
        Line(GENT, "fien", 5, *SPLIT_PM, text=frozenset({"Van"})),
        Line(GENT, "arne", 5, *SPLIT_PM, key="duplicate", mistake="A:K"),
        # Sunday 5 July (lunch only)
        Line(GENT, "lotte", 6, *SPLIT_AM),
        Line(GENT, "jens", 6, *SPLIT_AM),
        Line(GENT, "arne", 6, *SPLIT_AM),
    ]
    oostende = [
        # Monday to Wednesday pasted from another file: enterprise number without dots
        Line(OOST, "nathalie", 0, "10:00", "18:00", plain_enterprise=True, key="too-late"),
        Line(OOST, "kobe", 0, "12:00", "20:00", plain_enterprise=True),
        Line(OOST, "ruben", 1, "10:00", "18:00", plain_enterprise=True),
        Line(
            OOST,
            "jolien",
            1,
            "12:00",
            "20:00",
            plain_enterprise=True,
            cells={"INSZ": PEOPLE["jolien"].insz[:5] + PEOPLE["jolien"].insz[6:]},
            key="jolien-insz",
            mistake="D",
        ),
        Line(
            OOST, "hanne", 2, "10:00", "18:00", plain_enterprise=True, text=frozenset({"Werkdag"})
        ),
        Line(
            OOST,
            "kobe",
            2,
            "12:00",
            "20:00",
            plain_enterprise=True,
            cells={"Naam": None},
            key="kobe-name",
            mistake="E",
        ),
        # Thursday 2 July
        Line(OOST, "nathalie", 3, "10:00", "18:00"),
        Line(OOST, "hanne", 3, "10:00", "15:00", key="overlap-first"),
        Line(OOST, "hanne", 3, "14:00", "18:00", mistake="H"),
        Line(OOST, "ruben", 3, "12:00", "20:00", key="moved"),
        # Friday 3 July
        Line(OOST, "jolien", 4, "10:00", "18:00"),
        Line(OOST, "hanne", 4, "17:00", "23:00"),
        Line(OOST, "ruben", 4, "22:00", "02:00"),
        # Saturday 4 July
        Line(OOST, "nathalie", 5, "10:00", "18:00"),
        Line(OOST, "kobe", 5, "12:00", "20:00", key="kobe-later"),
        Line(OOST, "hanne", 5, "17:00", "23:00"),
        Line(OOST, "jolien", 5, "22:00", "02:00"),
        # Sunday 5 July
        Line(OOST, "ruben", 6, "10:00", "18:00"),
        Line(OOST, "kobe", 6, "12:00", "20:00", key="sunday"),
    ]
    brussel = [
        # Wednesday 1 July: reception
        Line(BXL, "camille", 2, "16:00", "23:00"),
        Line(
            BXL,
            "julien",
            2,
            "16:00",
            "23:00",
            cells={"Tot": Text("25:70")},
            key="julien-time",
            mistake="I",
        ),
        Line(BXL, "yasmine", 2, "16:00", "23:00", key="deleted"),
        # Thursday 2 July: seminar lunch
        Line(BXL, "thomas", 3, "09:30", "15:00", text=frozenset({"Van"})),
        Line(BXL, "camille", 3, "09:30", "15:00", text=frozenset({"Van"})),
        # Saturday 4 July: wedding, from set-up to the last dance
        Line(BXL, "julien", 5, "10:00", "23:00", mistake="H:I"),
        Line(BXL, "camille", 5, "16:00", "00:00"),
        Line(BXL, "thomas", 5, "17:00", "23:00"),
        Line(BXL, "yasmine", 5, "23:00", "03:30"),
        # Sunday 5 July: brunch
        Line(BXL, "camille", 6, "09:00", "15:00"),
        Line(
            BXL,
            "thomas",
            6,
            "09:00",
            "15:00",
            cells={"Ondernemingsnummer": dotted(wrong_check(EMPLOYERS[BXL].enterprise))},
            key="thomas-enterprise",
            mistake="A",
        ),
    ]
    return gent + oostende + brussel


def _week27_v2() -> list[Line]:
    """Version 2, sent on Monday 29 June: mistakes fixed, and the week has moved on."""

    def cleaned(line: Line) -> Line:
        return replace(line, cells={})

    edits: dict[str, tuple[Callable[[Line], Line], str]] = {
        # the mistakes, fixed
        "arne-insz": (cleaned, "D"),
        "wout-end": (lambda line: replace(line, end="22:30"), "I"),
        "arne-rsz": (cleaned, "B"),
        "jolien-insz": (cleaned, "D"),
        "kobe-name": (cleaned, "E"),
        "overlap-first": (lambda line: replace(line, end="13:00"), "I"),
        "julien-time": (cleaned, "I"),
        "thomas-enterprise": (cleaned, "A"),
        # the changes
        "lotte-later": (lambda line: replace(line, end="23:30"), "I"),
        "too-late": (lambda line: replace(line, start="08:00"), "H"),
        "moved": (lambda line: replace(line, who="jolien"), "D:F"),
        "kobe-later": (lambda line: replace(line, start="13:00"), "H"),
    }
    deleted = {"duplicate", "deleted"}
    added = {"sunday": Line(OOST, "hanne", 6, "12:00", "20:00", edit="A:K")}

    lines: list[Line] = []
    for line in _week27():
        if line.key in deleted:
            continue
        if line.key in edits:
            change, columns = edits[line.key]
            line = replace(change(line), edit=columns)
        lines.append(replace(line, mistake=""))
        if line.key in added:
            lines.append(added[line.key])
    return lines


# --- the workbooks --------------------------------------------------------------------

_DATE_FORMAT = "dd/mm/yyyy"
_TIME_FORMAT = "hh:mm"
_WIDTHS = {"A": 20, "B": 14, "C": 30, "D": 18, "E": 17, "F": 11, "G": 12, "H": 8, "I": 8}


def _write(path: Path, title: str, lines: list[Line]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", start_color="FFD9E1F2")
    for col, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=FIRST_DATA_ROW - 1, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter in (get_column_letter(i) for i in range(1, len(HEADERS) + 1)):
        sheet.column_dimensions[letter].width = _WIDTHS.get(letter, 22)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"

    for r, line in enumerate(lines, start=FIRST_DATA_ROW):
        for c, value in enumerate(line.values(), start=1):
            cell = sheet.cell(
                row=r, column=c, value=str(value) if isinstance(value, Text) else value
            )
            if isinstance(value, datetime):
                cell.number_format = _DATE_FORMAT
            elif isinstance(value, time):
                cell.number_format = _TIME_FORMAT
            elif isinstance(value, str):
                cell.number_format = "@"  # typed as text: keeps 0566.988.259 and 9:30 as is
    fixed_moment = datetime(2026, 6, 28, 11, 0)
    workbook.properties.creator = "dimona-batch samples/make_samples.py"
    workbook.properties.created = fixed_moment
    workbook.properties.modified = fixed_moment
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def tagged(lines: list[Line], tag: str) -> tuple[str, ...]:
    """Cells of the rows tagged `mistake` or `edit`: the documented lists are checked on it."""
    found = []
    for row, line in enumerate(lines, start=FIRST_DATA_ROW):
        if columns := getattr(line, tag):
            first, _, last = columns.partition(":")
            found.append(f"{first}{row}:{last}{row}" if last else f"{first}{row}")
    return tuple(found)


def check_documentation() -> None:
    """MISTAKES, EDITS_V2 and DELETED_V2 name the rows the code writes, or we stop."""
    v1, v2 = _week27(), _week27_v2()
    if tagged(v1, "mistake") != tuple(cell for cell, _, _ in MISTAKES):
        raise AssertionError(f"MISTAKES is out of date: {tagged(v1, 'mistake')}")
    if tagged(v2, "edit") != tuple(cell for cell, _ in EDITS_V2):
        raise AssertionError(f"EDITS_V2 is out of date: {tagged(v2, 'edit')}")
    gone = tuple(
        row
        for row, line in enumerate(v1, start=FIRST_DATA_ROW)
        if line.key in {"duplicate", "deleted"}
    )
    if gone != tuple(row for row, _ in DELETED_V2):
        raise AssertionError(f"DELETED_V2 is out of date: {gone}")


def build(out_dir: Path = HERE) -> list[Path]:
    """Write both sample rosters into out_dir; refuse when the documented cells moved."""
    check_documentation()
    v1, v2 = _week27(), _week27_v2()
    week = f"{MONDAY:%d/%m/%Y} t/m {MONDAY + timedelta(days=6):%d/%m/%Y}"
    employers = ", ".join(e.name for e in EMPLOYERS.values())
    first = out_dir / "roster-week27.xlsx"
    second = out_dir / "roster-week27-v2.xlsx"
    _write(first, f"Flexi-rooster week 27 — {week} — {employers}", v1)
    _write(
        second,
        f"Flexi-rooster week 27 — {week} — {employers} — versie 2 (gecorrigeerd 29/06/2026)",
        v2,
    )
    return [first, second]


# --- the actual hours: the time-clock export of Wednesday 1 July, 01:00 -------------------

ACTUALS_SHEET = "Prikklok"
ACTUALS_FIRST_DATA_ROW = 3  # title on row 1, headers on row 2
ACTUALS_HEADERS = (
    "Ondernemingsnummer",
    "INSZ",
    "Naam",
    "Voornaam",
    "Datum",
    "Ingeklokt",
    "Uitgeklokt",
    "Opmerking",
)
ACTUALS_COLUMN = {h: get_column_letter(i) for i, h in enumerate(ACTUALS_HEADERS, start=1)}

# Workers without any declared period: their hours are undeclared work.
EXTRA_PEOPLE = {
    "mila": Person("Jacobs", "Mila", insz_number(date(2005, 4, 12), 67)),
}

# What reconciling actuals-week27.xlsx at 2026-07-01 01:00 finds, after the demo declared
# roster-week27.xlsx (28/06 12:00) and roster-week27-v2.xlsx (29/06 09:00). One line per
# declared period or undeclared shift the file speaks for; rows are those Excel shows ("-"
# for a period without any row; a rejected row is left out). Deadlines from shared/domain.md
# §3, Brussels time: (rows, worker, day, declared, actual, finding, action, deadline, status)
ACTUAL_CASES: tuple[tuple[str, str, str, str, str, str, str, str, str], ...] = (
    # Brasserie Het Lieverdje, Gent (closed on Monday)
    ("3, 4", "Lotte Van den Broeck", "30/06", "11:00-14:30", "11:00-12:45 + 13:15-14:30",
     "match", "none", "", "n/a"),
    ("5", "Fien Vermeulen", "30/06", "11:00-14:30", "11:00-15:30",
     "later end", "update", "30/06 22:30", "late"),
    ("6", "Lotte Van den Broeck", "30/06", "18:00-22:30", "18:00-23:40",
     "later end", "update", "01/07 08:00", "in time"),
    ("-", "Wout De Smet", "30/06", "18:00-22:30", "no row at all",
     "no-show", "cancel", "01/07 00:00", "late"),
    ("7", "Elise D'Hondt", "01/07", "11:00-14:30", "11:00-14:30",
     "match", "none", "", "n/a"),
    ("8", "Jens Claeys", "01/07", "11:00-14:30", "ziek (no hours)",
     "no-show", "cancel", "02/07 00:00", "in time"),
    ("9", "Elise D'Hondt", "01/07", "18:00-22:30", "18:00-22:30",
     "match", "none", "", "n/a"),
    ("10", "Arne Goossens", "01/07", "18:00-22:30", "18:00-22:30",
     "match", "none", "", "n/a"),
    ("11", "Mila Jacobs", "01/07", "none", "18:00-22:30",
     "undeclared work", "declare", "01/07 18:00", "in time"),
    # Strandbar De Zilvermeeuw, Oostende
    ("12", "Nathalie Lefèvre", "29/06", "10:00-18:00", "08:00-18:00",
     "earlier start", "manual", "29/06 08:00", "late"),
    ("13", "Kobe Maes", "29/06", "12:00-20:00", "niet opgedaagd (no hours)",
     "no-show", "cancel", "30/06 00:00", "late"),
    ("14", "Ruben Vandamme", "30/06", "10:00-18:00", "10:25-18:00",
     "later start", "manual", "30/06 10:25", "late"),
    ("15", "Jolien Mertens", "30/06", "12:00-20:00", "12:00-19:00",
     "earlier end", "update", "01/07 00:00", "late"),
    ("16, 18", "Hanne Willems", "01/07", "10:00-18:00", "10:00-12:30 + 15:45-18:00",
     "match", "none", "", "n/a"),
    ("19", "Kobe Maes", "01/07", "12:00-20:00", "12:30-20:00",
     "later start", "update", "01/07 12:30", "in time"),
    # Saveurs & Fêtes Events, Brussel (the first event is on Wednesday)
    ("20", "Yasmine El Amrani", "30/06", "none", "14:00-18:00",
     "undeclared work", "declare", "30/06 14:00", "late"),
    ("21", "Julien Lambert", "01/07", "16:00-23:00", "15:00-23:00",
     "earlier start", "update", "01/07 15:00", "in time"),
    ("22", "Camille Dubois", "01/07", "16:00-23:00", "16:00-22:00",
     "earlier end", "update", "02/07 00:00", "in time"),
)  # fmt: skip

# (cell, severity, what is wrong) in actuals-week27.xlsx.
BAD_ACTUALS: tuple[tuple[str, str, str], ...] = (
    ("G17", "error", 'unreadable time "1x:30" (Hanne Willems, Wed 1 July, middle segment)'),
)


@dataclass(frozen=True)
class Clock:
    """One row of the time-clock export: a clock segment, or a day the worker did not come."""

    employer: str
    who: str
    day: int  # days after Monday 29 June
    start: str = ""  # "HH:MM"; empty when the worker did not come
    end: str = ""
    remark: str = ""  # Opmerking: "ziek" or "niet opgedaagd" mark an absence
    cells: dict[str, object] = field(default_factory=dict, hash=False)  # header → value
    case: str = ""  # the first column of ACTUAL_CASES ("3, 4") or BAD_ACTUALS ("G17")

    def values(self) -> list[object]:
        boss = EMPLOYERS[self.employer]
        person = {**PEOPLE, **EXTRA_PEOPLE}[self.who]
        enterprise = boss.enterprise if self.employer == OOST else dotted(boss.enterprise)
        row: dict[str, object] = {
            "Ondernemingsnummer": enterprise,
            "INSZ": insz_dotted(person.insz) if boss.insz_style == "dotted" else person.insz,
            "Naam": person.last,
            "Voornaam": person.first,
            "Datum": datetime.combine(MONDAY + timedelta(days=self.day), time()),
            "Ingeklokt": time.fromisoformat(self.start) if self.start else None,
            "Uitgeklokt": time.fromisoformat(self.end) if self.end else None,
            "Opmerking": self.remark or None,
        }
        row.update(self.cells)
        return [row[h] for h in ACTUALS_HEADERS]


PLANNED = "gepland"  # 1 July has not started at 01:00: the clock holds the day's plan


def _actuals_week27() -> list[Clock]:
    """The time clock as exported at 01:00 on Wednesday 1 July, for 29 June to 1 July.

    Built on what the ledger holds after the demo's two declare runs (every live period of
    those days has its rows, except Wout's on purpose), then changed where ACTUAL_CASES says.
    """
    gent = [
        # Tuesday 30 June: Lotte clocks out for her break; Fien stays an hour longer; Lotte
        # closes the dinner service late; Wout does not come and nobody writes it down.
        Clock(GENT, "lotte", 1, "11:00", "12:45", case="3, 4"),
        Clock(GENT, "lotte", 1, "13:15", "14:30", case="3, 4"),
        Clock(GENT, "fien", 1, "11:00", "15:30", "groep van 30, langer gebleven", case="5"),
        Clock(GENT, "lotte", 1, "18:00", "23:40", "laatste tafel om 23:00", case="6"),
        # Wednesday 1 July: the day's plan; Jens called in sick, Mila helps out at dinner.
        Clock(GENT, "elise", 2, "11:00", "14:30", PLANNED, case="7"),
        Clock(GENT, "jens", 2, remark="ziek (belde om 00:30)", case="8"),
        Clock(GENT, "elise", 2, "18:00", "22:30", PLANNED, case="9"),
        Clock(GENT, "arne", 2, "18:00", "22:30", PLANNED, case="10"),
        Clock(GENT, "mila", 2, "18:00", "22:30", "extra hulp, gepland", case="11"),
    ]
    oostende = [
        # Monday 29 June: Nathalie started at 08:00 (too late for roster v2 to declare it)
        Clock(OOST, "nathalie", 0, "08:00", "18:00", "vroeger begonnen", case="12"),
        Clock(OOST, "kobe", 0, remark="niet opgedaagd", case="13"),
        # Tuesday 30 June
        Clock(OOST, "ruben", 1, "10:25", "18:00", "te laat, trein", case="14"),
        Clock(OOST, "jolien", 1, "12:00", "19:00", "vroeger naar huis, rustig", case="15"),
        # Wednesday 1 July: the plan, two breaks for Hanne; Kobe comes at 12:30
        Clock(OOST, "hanne", 2, "10:00", "12:30", PLANNED, case="16, 18"),
        Clock(
            OOST,
            "hanne",
            2,
            "13:00",
            "15:30",
            PLANNED,
            cells={"Uitgeklokt": "1x:30"},
            case="G17",
        ),
        Clock(OOST, "hanne", 2, "15:45", "18:00", PLANNED, case="16, 18"),
        Clock(OOST, "kobe", 2, "12:30", "20:00", "gepland: komt om 12:30", case="19"),
    ]
    brussel = [
        # Tuesday 30 June: Yasmine set up the reception hall; nobody declared it
        Clock(BXL, "yasmine", 1, "14:00", "18:00", "opbouw receptie Kunstberg", case="20"),
        # Wednesday 1 July: the reception, set-up from 15:00, ends at 22:00
        Clock(BXL, "julien", 2, "15:00", "23:00", "gepland: opbouw vanaf 15:00", case="21"),
        Clock(BXL, "camille", 2, "16:00", "22:00", "gepland: receptie tot 22:00", case="22"),
    ]
    return gent + oostende + brussel


def check_actuals_documentation() -> None:
    """ACTUAL_CASES and BAD_ACTUALS name the rows the code writes, or we stop."""
    rows: dict[str, list[int]] = {}
    for row, clock in enumerate(_actuals_week27(), start=ACTUALS_FIRST_DATA_ROW):
        rows.setdefault(clock.case, []).append(row)
    bad = {cell for cell, _, _ in BAD_ACTUALS}
    for cell in bad:
        column, row = cell[0], int(cell[1:])
        if rows.get(cell) != [row] or column != ACTUALS_COLUMN["Uitgeklokt"]:
            raise AssertionError(f"BAD_ACTUALS is out of date: {cell} vs {rows.get(cell)}")
    for case, *_ in ACTUAL_CASES:
        if case != "-" and ", ".join(map(str, rows.get(case, []))) != case:
            raise AssertionError(f"ACTUAL_CASES is out of date: {case} vs rows {rows.get(case)}")
    documented = {case for case, *_ in ACTUAL_CASES} | bad
    if undocumented := set(rows) - documented:
        raise AssertionError(f"rows without an ACTUAL_CASES line: {sorted(undocumented)}")


def _write_actuals(path: Path, title: str, clocks: list[Clock]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ACTUALS_SHEET
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", start_color="FFE2EFDA")
    for col, header in enumerate(ACTUALS_HEADERS, start=1):
        cell = sheet.cell(row=ACTUALS_FIRST_DATA_ROW - 1, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
    widths = {"A": 20, "B": 18, "C": 17, "D": 11, "E": 12, "F": 11, "G": 11, "H": 32}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{ACTUALS_FIRST_DATA_ROW}"
    for r, clock in enumerate(clocks, start=ACTUALS_FIRST_DATA_ROW):
        for c, value in enumerate(clock.values(), start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, datetime):
                cell.number_format = _DATE_FORMAT
            elif isinstance(value, time):
                cell.number_format = _TIME_FORMAT
            elif isinstance(value, str):
                cell.number_format = "@"
    fixed_moment = datetime(2026, 7, 1, 0, 45)
    workbook.properties.creator = "dimona-batch samples/make_samples.py"
    workbook.properties.created = fixed_moment
    workbook.properties.modified = fixed_moment
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def build_actuals(out_dir: Path = HERE) -> Path:
    """Write actuals-week27.xlsx into out_dir; refuse when the documented rows moved."""
    check_actuals_documentation()
    path = out_dir / "actuals-week27.xlsx"
    days = f"{MONDAY:%d/%m/%Y} t/m {MONDAY + timedelta(days=2):%d/%m/%Y}"
    _write_actuals(
        path,
        f"Prikklok-export week 27 — {days} — aangemaakt 01/07/2026 00:45",
        _actuals_week27(),
    )
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written in [*build(target), build_actuals(target)]:
        print(written)
