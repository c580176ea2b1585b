"""Cell values and addresses as a clerk sees them in Excel, for every layout and stage."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def letter_index(letter: str) -> int:
    """A → 0, AA → 26."""
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - 64
    return index - 1


def address(row: int, col: int) -> str:
    """0-based row and column → `E7`."""
    return f"{column_letter(col)}{row + 1}"


ADDRESS = re.compile(r"^([A-Z]+)(\d+)$")


def filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def display(value: object) -> str:
    """A cell's value as a clerk would read it in Excel."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""  # NaT: a blank in a column pandas made date-time
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() else f"{value:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(value)
