"""Synthetic weekly flexi rosters of any size, for benchmarks and load tests.

The rosters look like what the payroll office receives (long layout, a title row above the
header, Excel date and time cells) and are *clean*: every identifier has valid check digits
and no worker has overlapping or duplicate shifts, so a benchmark measures the happy path
rather than the error reporting. Identifiers are computed, never searched for, and rows are
streamed with xlsxwriter's constant_memory mode, so 100,000 shifts take seconds.

    python benchmarks/generate.py OUT.xlsx --shifts 100000 [--employers 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from datetime import date
from pathlib import Path

import xlsxwriter

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
)

_EXCEL_EPOCH = date(1899, 12, 30)

# Day patterns in minutes after midnight; an end at or before the start is the next day.
# Whole days only, and every daytime start is at 08:00 or later while the latest overnight
# end is 03:30, so no two shifts of one worker can overlap across days either.
_SINGLE = (
    ((480, 960),),  # 08:00-16:00
    ((600, 840),),  # 10:00-14:00
    ((660, 870),),  # 11:00-14:30
    ((720, 1200),),  # 12:00-20:00
    ((1020, 1380),),  # 17:00-23:00
    ((1080, 1320),),  # 18:00-22:00
    ((1140, 0),),  # 19:00-00:00 (ends at midnight)
)
_SPLIT = (
    ((600, 840), (1080, 1320)),  # 10:00-14:00 + 18:00-22:00
    ((660, 870), (1080, 1350)),  # 11:00-14:30 + 18:00-22:30
)
_OVERNIGHT = (
    ((1320, 120),),  # 22:00-02:00
    ((1380, 210),),  # 23:00-03:30
)
_PATTERNS = _SINGLE + _SPLIT + _OVERNIGHT
_WEIGHTS = (8,) * len(_SINGLE) + (10,) * len(_SPLIT) + (4,) * len(_OVERNIGHT)


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(","))


_LAST_NAMES = _words(
    "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, "
    "Dubois, Lambert, Dupont, Martin, Simon, Laurent, Lefèvre, Leclercq, Vermeulen, "
    "Van den Broeck, Van Damme, D'Hondt, Desmet, Claeys, Verstraete, Hermans, Michiels, "
    "Smets, Aerts, Lemaire, Renard, Mathieu, Fontaine, Denis, François, Gérard, "
    "Vandenberghe, El Amrani, Nowak, Yilmaz"
)
_FIRST_NAMES = _words(
    "Lotte, Wout, Elise, Jens, Fien, Arne, Nathalie, Ruben, Jolien, Kobe, Hanne, Camille, "
    "Julien, Yasmine, Thomas, Emma, Louis, Marie, Lucas, Noor, Arthur, Louise, Jules, Olivia, "
    "Victor, Lina, Mila, Adam, Nora, Finn, Sofia, Mathis, Chloé, Hugo, Manon, Noah, Zoë, "
    "Théo, Inès, Mohamed"
)
_EMPLOYER_KINDS = (
    "Brasserie",
    "Bistro",
    "Strandbar",
    "Traiteur",
    "Café",
    "Hotel",
    "Eetcafé",
    "Restaurant",
    "Events",
    "Frituur",
)
_TOWNS = (
    "Gent",
    "Oostende",
    "Brussel",
    "Antwerpen",
    "Brugge",
    "Leuven",
    "Namur",
    "Liège",
    "Knokke",
    "Hasselt",
    "Mons",
    "De Panne",
)


# --- identifiers with valid check digits (domain.md §2) ---------------------------------


def enterprise_number(base8: int) -> str:
    """10 digits: the 8-digit base (below 20,000,000: first digit 0 or 1), 97 − (base mod 97)."""
    return f"{base8:08d}{97 - base8 % 97:02d}"


def nsso_number(base7: int) -> str:
    """9 digits NNNNNNNCC with (number + 1) divisible by 97."""
    check = -(base7 * 100 + 1) % 97
    return f"{base7:07d}{check:02d}"


def insz_number(birth: date, serial: int, bis: bool = False) -> str:
    """YYMMDD SSS CC; a bis number adds 40 to the month; births from 2000 prefix a 2."""
    month = birth.month + (40 if bis else 0)
    base = int(f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial:03d}")
    checked = 2_000_000_000 + base if birth.year >= 2000 else base
    return f"{base:09d}{97 - checked % 97:02d}"


def dotted(enterprise: str) -> str:
    return f"{enterprise[:4]}.{enterprise[4:7]}.{enterprise[7:]}"


# --- the roster ---------------------------------------------------------------------------


def _employers(
    rng: random.Random, count: int, seen: set[int] | None = None, first: int = 0
) -> list[tuple[str, str, str]]:
    """(enterprise number as written, NSSO number, name); a few written without dots.

    `seen` (enterprise bases already taken) keeps employers apart across calls.
    """
    seen = set() if seen is None else seen
    result = []
    for i in range(count):
        base = rng.randrange(2_000_000, 20_000_000)
        while base in seen:
            base = rng.randrange(2_000_000, 20_000_000)
        seen.add(base)
        number = enterprise_number(base)
        written = number if rng.random() < 0.2 else dotted(number)
        nsso = nsso_number(rng.randrange(100_000, 1_999_999))
        name = f"{rng.choice(_EMPLOYER_KINDS)} {rng.choice(_LAST_NAMES)} {first + i + 1} "
        name += f"({rng.choice(_TOWNS)})"
        result.append((written, nsso, name))
    return result


def _birth(rng: random.Random) -> date:
    """Flexi workers: employees (most), pensioners (born 1950s), young adults (2000s)."""
    roll = rng.random()
    if roll < 0.15:
        year = rng.randrange(1950, 1960)
    elif roll < 0.75:
        year = rng.randrange(1960, 2000)
    else:
        year = rng.randrange(2000, 2008)
    return date(year, rng.randrange(1, 13), rng.randrange(1, 29))


Row = tuple[int, int, int, int, str, str, str]


def _shifts(
    rng: random.Random, shifts: int, employers: int, seen_insz: set[str] | None = None
) -> list[Row]:
    """(employer, day, start, end, INSZ, last name, first name), sorted as a roster is.

    `seen_insz` (INSZ already taken) keeps workers apart across calls.
    """
    rows: list[Row] = []
    seen_insz = set() if seen_insz is None else seen_insz
    days = range(7)
    while len(rows) < shifts:
        insz = insz_number(_birth(rng), rng.randrange(1, 998), bis=rng.random() < 0.02)
        if insz in seen_insz:
            continue
        seen_insz.add(insz)
        last, first = rng.choice(_LAST_NAMES), rng.choice(_FIRST_NAMES)
        main = rng.randrange(employers)
        # One worker in ten also works for a second employer, a whole day at a time.
        other = rng.randrange(employers) if rng.random() < 0.1 else main
        worked = rng.sample(days, rng.randint(1, 6))
        for day in sorted(worked):
            employer = other if rng.random() < 0.4 else main
            for start, end in rng.choices(_PATTERNS, _WEIGHTS)[0]:
                rows.append((employer, day, start, end, insz, last, first))
    del rows[shifts:]
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[4]))
    return rows


def roster_rows(
    shifts: int, employers: int = 50, seed: int = 1
) -> tuple[list[tuple[str, str, str]], list[Row]]:
    """The employers and the shift rows `generate_roster` writes, for the same arguments."""
    rng = random.Random(seed)
    bosses = _employers(rng, max(1, employers))
    return bosses, _shifts(rng, shifts, len(bosses))


def generate_roster(
    path: Path,
    shifts: int,
    employers: int = 50,
    week_start: date = date(2026, 6, 29),
    seed: int = 1,
) -> None:
    """Write one long-layout roster with `shifts` data rows; same seed, same workbook."""
    bosses, rows = roster_rows(shifts, employers, seed)
    week = week_start.isocalendar().week
    title = f"Flexi-rooster week {week} — synthetisch ({shifts} diensten)"
    write_rows(path, bosses, rows, week_start, title)


def generate_actuals(
    path: Path,
    shifts: int,
    employers: int = 50,
    week_start: date = date(2026, 6, 29),
    seed: int = 1,
    longer_every: int = 20,
    absent_every: int = 100,
) -> None:
    """The actual hours of the roster `generate_roster` writes for the same arguments.

    Every `longer_every`-th shift ended 15 minutes late; every `absent_every`-th has no row
    (the worker did not come): what a time-clock export of that week looks like.
    """
    bosses, rows = roster_rows(shifts, employers, seed)
    actual = []
    for i, (employer, day, start, end, insz, last, first) in enumerate(rows):
        if absent_every and i % absent_every == absent_every - 1:
            continue
        if longer_every and i % longer_every == longer_every - 1:
            end = (end + 15) % 1440
        actual.append((employer, day, start, end, insz, last, first))
    week = week_start.isocalendar().week
    write_rows(path, bosses, actual, week_start, f"Prikklok week {week} — synthetisch")


def generate_folder(
    folder: Path,
    files: int = 200,
    shifts: int = 50,
    week_start: date = date(2026, 6, 29),
    seed: int = 1,
) -> list[Path]:
    """`files` rosters of `shifts` each, one client employer per file, no worker in two."""
    folder = Path(folder)
    rng = random.Random(seed)
    seen_employers: set[int] = set()
    seen_insz: set[str] = set()
    week = week_start.isocalendar().week
    paths = []
    for i in range(files):
        bosses = _employers(rng, 1, seen_employers, first=i)
        rows = _shifts(rng, shifts, 1, seen_insz)
        path = folder / f"roster-{i + 1:03d}.xlsx"
        write_rows(path, bosses, rows, week_start, f"Rooster week {week} ({shifts} diensten)")
        paths.append(path)
    return paths


def write_rows(
    path: Path,
    bosses: list[tuple[str, str, str]],
    rows: list[Row],
    week_start: date,
    title: str,
) -> None:
    """One long-layout sheet: a title row, the header, then one row per shift."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet("Rooster")
        bold = workbook.add_format({"bold": True})
        date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
        time_fmt = workbook.add_format({"num_format": "hh:mm"})
        sheet.set_column(0, 1, 16)
        sheet.set_column(2, 2, 34)
        sheet.set_column(3, 5, 14)
        sheet.set_column(6, 8, 11)

        sheet.write_string(0, 0, title, bold)
        for col, header in enumerate(HEADERS):
            sheet.write_string(1, col, header, bold)

        first_day = (week_start - _EXCEL_EPOCH).days
        write_string, write_number = sheet.write_string, sheet.write_number
        for r, (employer, day, start, end, insz, last, first) in enumerate(rows, start=2):
            written, nsso, name = bosses[employer]
            write_string(r, 0, written)
            write_string(r, 1, nsso)
            write_string(r, 2, name)
            write_string(r, 3, insz)
            write_string(r, 4, last)
            write_string(r, 5, first)
            write_number(r, 6, first_day + day, date_fmt)
            write_number(r, 7, start / 1440, time_fmt)
            write_number(r, 8, end / 1440, time_fmt)
    finally:
        workbook.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic flexi roster (.xlsx).")
    parser.add_argument("out", type=Path, help="the .xlsx file to write")
    parser.add_argument("--shifts", type=int, default=10_000, help="data rows (default 10000)")
    parser.add_argument("--employers", type=int, default=50)
    parser.add_argument("--week-start", type=date.fromisoformat, default=date(2026, 6, 29))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate_roster(args.out, args.shifts, args.employers, args.week_start, args.seed)
    print(f"{args.out}: {args.shifts} shifts")


if __name__ == "__main__":
    main()
