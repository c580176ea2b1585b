"""The NSSO's codes a payload carries for a worker without INSZ, read from data files.

Gender as the Dimona XSD's WorkerSex (1 male, 2 female); countries and nationalities as NSSO
country codes (Belgium 150, `countries.csv`); the address's municipality as its NIS code
(`municipalities.csv`), 99999 when it cannot be told. Each file says its source in its header.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from ...model import plain_name

BELGIUM = 150
UNKNOWN_MUNICIPALITY = 99999
GENDERS = {"M": 1, "F": 2}
"""`Identification.gender` → WorkerSex of Dimona_20231.xsd."""


def _rows(name: str) -> list[dict[str, str]]:
    """A table of this folder, its `#` header lines (the source) skipped."""
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@cache
def _countries() -> dict[str, int]:
    """Every way a country is written (ISO code, names in en/nl/fr/de, nationality) → its code."""
    codes: dict[str, int] = {}
    by_iso = {}
    for row in _rows("countries.csv"):
        code = int(row["nsso"])
        by_iso[row["iso"]] = code
        for written in (row["iso"], row["en"], row["nl"], row["fr"], row["de"]):
            codes.setdefault(plain_name(written), code)
    for row in _rows("nationalities.csv"):
        codes.setdefault(plain_name(row["word"]), by_iso[row["iso"]])
    codes.pop("", None)
    return codes


def known_country(code: object) -> bool:
    """Whether a number is one of the NSSO's country codes."""
    return code in set(_countries().values())


def country_code(written: str) -> int | None:
    """The NSSO code of a country or nationality as written (`BE`, `Frankrijk`, `française`)."""
    return _countries().get(plain_name(written))


@cache
def _provinces() -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    return tuple(
        (int(row["first"]), int(row["last"]), tuple(row["nis"].split()))
        for row in _rows("provinces.csv")
    )


@cache
def _municipalities() -> dict[str, tuple[int, ...]]:
    """A municipality's name in any of its languages → its NIS codes (homonyms: several)."""
    found: dict[str, list[int]] = {}
    for row in _rows("municipalities.csv"):
        for name in {row["fr"], row["nl"], row["de"]} - {""}:
            found.setdefault(plain_name(name), []).append(int(row["nis"]))
    return {name: tuple(codes) for name, codes in found.items()}


def _province(post_code: str) -> tuple[str, ...]:
    """The NIS prefixes of a postal code's province; empty when it is not a Belgian one."""
    if not (post_code.isdigit() and len(post_code) == 4):
        return ()
    number = int(post_code)
    return next((p for first, last, p in _provinces() if first <= number <= last), ())


@cache
def _nis_codes() -> frozenset[int]:
    return frozenset(int(row["nis"]) for row in _rows("municipalities.csv"))


def municipality_fits(nis: object, post_code: str) -> bool:
    """Whether a NIS code is a municipality of the postal code's province."""
    prefixes = _province(post_code)
    return nis in _nis_codes() and bool(prefixes) and str(nis).startswith(prefixes)


def municipality_code(name: str, post_code: str) -> int:
    """The NIS code of a Belgian municipality, 99999 when it cannot be told.

    The postal code's province settles a homonym (Saint-Nicolas near Liège or Sint-Niklaas)
    and refuses a name that lies in another province than its postal code.
    """
    prefixes = _province(post_code)
    found = [c for c in _municipalities().get(plain_name(name), ()) if str(c).startswith(prefixes)]
    return found[0] if prefixes and len(found) == 1 else UNKNOWN_MUNICIPALITY
