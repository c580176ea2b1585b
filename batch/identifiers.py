"""Belgian identifiers and their check digits (domain.md §2).

Each rule exists twice: a scalar function for one value and a column function for a whole
pandas Series, because a roster of 100,000 shifts must not be checked one Python call a row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_NOT_DIGIT = re.compile(r"\D")


def digits(value: object) -> str:
    """The digits of an identifier as typed: dots, dashes, spaces and a BE prefix dropped."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _NOT_DIGIT.sub("", str(value))


def digits_column(values: pd.Series) -> pd.Series:
    """`digits` over a column; numbers that Excel stored as floats keep no trailing .0."""
    text = values.map(_cell_text)
    return text.str.replace(r"\D", "", regex=True).fillna("")


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- INSZ (national register or bis number) -------------------------------------------


def insz_is_valid(number: str) -> bool:
    """True for an 11-digit INSZ whose check digits fit a birth before or after 2000.

    The same rule as `insz_valid_column`, for one number (the sandbox checks each IN).
    """
    if len(number) != 11 or not number.isdigit():
        return False
    base, check = int(number[:9]), int(number[9:])
    month, day = int(number[2:4]), int(number[4:6])
    if month % 20 > 12 or month // 20 > 2 or day > 31:
        return False
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def insz_valid_column(numbers: pd.Series) -> pd.Series:
    """Check digits: 97 − (first 9 digits mod 97), with a 2 prefixed for births from 2000.

    Bis numbers (month + 20 or + 40) use the same check; month and day may be 00.
    Source: KSZ-BCSS, Royal Decree of 8 February 1991.
    """
    text = numbers.fillna("").astype(str)
    shaped = text.str.fullmatch(r"\d{11}")
    safe = text.where(shaped, "00000000000")
    base = safe.str[:9].astype("int64")
    check = safe.str[9:].astype("int64")
    before_2000 = 97 - base % 97 == check
    from_2000 = 97 - (2_000_000_000 + base) % 97 == check
    month = safe.str[2:4].astype("int64") % 20
    bis_step = safe.str[2:4].astype("int64") // 20
    day = safe.str[4:6].astype("int64")
    plausible = (month <= 12) & (bis_step <= 2) & (day <= 31)
    return (shaped & (before_2000 | from_2000) & plausible).astype(bool)


def insz_problem(number: str) -> str | None:
    """Why an INSZ is not valid, in words a clerk understands; None when it is."""
    if len(number) != 11:
        return f"INSZ must have 11 digits, found {len(number)}"
    if not insz_is_valid(number):
        return "INSZ check digits do not match"
    return None


# --- Enterprise number ----------------------------------------------------------------


def normalize_enterprise(number: str) -> str:
    """A 9-digit enterprise number has lost its leading 0 (Excel stored it as a number)."""
    return "0" + number if len(number) == 9 else number


def enterprise_valid_column(numbers: pd.Series) -> pd.Series:
    """10 digits, first 0 or 1, last two = 97 − (first 8 mod 97)."""
    text = numbers.fillna("").astype(str)
    shaped = text.str.fullmatch(r"[01]\d{9}")
    safe = text.where(shaped, "0000000000")
    base = safe.str[:8].astype("int64")
    check = safe.str[8:].astype("int64")
    return (shaped & (97 - base % 97 == check)).astype(bool)


def enterprise_is_valid(number: str) -> bool:
    return bool(enterprise_valid_column(pd.Series([number], dtype="object")).iloc[0])


def enterprise_problem(number: str) -> str | None:
    if len(number) != 10:
        return f"enterprise number must have 10 digits, found {len(number)}"
    if number[0] not in "01":
        return "enterprise number must start with 0 or 1"
    if not enterprise_is_valid(number):
        return "enterprise number check digits do not match"
    return None


def format_enterprise(number: str) -> str:
    """0566.988.259, the way the Crossroads Bank prints it."""
    if len(number) != 10:
        return number
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


# --- NSSO number ----------------------------------------------------------------------


def nsso_valid_column(numbers: pd.Series) -> pd.Series:
    """9 digits with (number + 1) mod 97 == 0, or a provisional 10-digit number starting 5.

    The check is inferred from published examples (domain.md §2), so a failure is a warning.
    """
    text = numbers.fillna("").astype(str)
    nine = text.str.fullmatch(r"\d{9}")
    provisional = text.str.fullmatch(r"5\d{9}")
    safe = text.where(nine, "000000096")
    checked = (safe.astype("int64") + 1) % 97 == 0
    return ((nine & checked) | provisional).astype(bool)


def nsso_is_valid(number: str) -> bool:
    return bool(nsso_valid_column(pd.Series([number], dtype="object")).iloc[0])


def format_insz(number: str) -> str:
    """93.05.18-223.61, the way the web form prints it."""
    if len(number) != 11:
        return number
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
