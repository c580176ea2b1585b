"""Belgian identifiers and their check digits (domain.md §2).

Each rule exists twice: a scalar function for one value and a column function for a whole
pandas Series, because a roster of 100,000 shifts must not be checked one Python call a row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_NOT_DIGIT = re.compile(r"[^0-9]")

# What may stand between the digits of an identifier: `93.05.18-223.61`, `0566 988 259`,
# `85/07/30`. Anything else (a letter, a comma) is not dropped: `8507300332B8` is refused.
SEPARATORS = r"\s.\-/–"
# An enterprise or VAT number may start with the country code: `BE 0566.988.259`.
_COUNTRY = r"^\s*BE\s*[:.]?"
_FOREIGN = re.compile(rf"[^0-9{SEPARATORS}]")


def digits(value: object) -> str:
    """The digits of an identifier as typed: dots, dashes, spaces and a BE prefix dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _NOT_DIGIT.sub("", str(value))


def digits_column(values: pd.Series) -> pd.Series:
    """`digits` over a column; numbers that Excel stored as floats keep no trailing .0."""
    return per_distinct(
        _cell_texts(values), lambda text: text.str.replace(r"[^0-9]", "", regex=True).fillna("")
    )


def per_distinct(values: pd.Series, check: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`check(values)` worked out once per distinct text and spread back to every cell: a
    roster repeats each worker's INSZ on every one of their shifts, and an employer's number
    on every row. `check` must answer each cell from its own value alone. A column that holds
    anything but texts and blanks is checked whole (1, 1.0 and True count as one value)."""
    import pandas as pd
    from pandas.api.types import infer_dtype

    if len(values) < 2 or infer_dtype(values, skipna=True) not in ("string", "empty"):
        return check(values)
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    if len(distinct) == len(values):
        return check(values)
    found = check(pd.Series(distinct, dtype=values.dtype)).to_numpy()
    return pd.Series(found[codes], index=values.index, name=values.name)


def foreign_characters(values: pd.Series, country: bool = False) -> pd.Series:
    """Per cell, the characters that are neither digits nor separators ("" when none).

    A cell without any digit (`geen`, `n.v.t.`, `-`) gives "": it says there is no number,
    it is not a number typed wrong. `country`: a leading `BE` is allowed (enterprise numbers).
    """
    import pandas as pd

    # Worked out once per distinct text: a roster repeats each worker's INSZ on every one of
    # their shifts, and an employer's number on every row.
    codes, distinct = pd.factorize(_cell_texts(values))
    text = pd.Series(distinct, dtype="object")
    if country:
        text = text.str.replace(_COUNTRY, "", regex=True, case=False)
    has_digit = text.str.contains(r"[0-9]", regex=True)
    foreign = text.str.findall(_FOREIGN).map(lambda found: "".join(dict.fromkeys(found)))
    found = foreign.where(has_digit, "").to_numpy(dtype=object)
    return pd.Series(found[codes], index=values.index, dtype="object")


def _cell_texts(values: pd.Series) -> pd.Series:
    """`_cell_text` of a whole column (object dtype); a text cell is taken as it is."""
    import pandas as pd

    text = [v if type(v) is str else _cell_text(v) for v in values.tolist()]
    return pd.Series(text, index=values.index, dtype="object")


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- INSZ (national register or bis number) -------------------------------------------


# The birth date part YYMMDD of an INSZ (domain.md §2, KSZ-BCSS). Accepted:
# - month 01..12 and day 01..31: a national register number;
# - month 00 or day 00: the month or the day of birth is unknown (the register writes 00);
# - month + 20 (gender unknown) or + 40 (gender known), i.e. 20..32 and 40..52: a bis
#   number, with the same 00 codes (20 or 40: month unknown).
# Refused: a day above 31 and a month 13..19, 33..39 or above 52 — no code of the register
# means them, so such a number was mistyped, whatever its check digits say. The day is not
# checked against the month (30/02): bis numbers are given for unknown or uncertain dates.


def insz_is_valid(number: str, year: int | None = None) -> bool:
    """True for an 11-digit INSZ whose check digits fit a birth before or after 2000.

    The same rule as `insz_valid_column`, for one number (the sandbox checks each IN);
    `year` is the work day's year (a birth in 20YY cannot be after it).
    """
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return False
    base, check = int(number[:9]), int(number[9:])
    month, day = int(number[2:4]), int(number[4:6])
    if month % 20 > 12 or month // 20 > 2 or day > 31:
        return False
    born_2000 = year is None or 2000 + int(number[:2]) <= year
    return check == 97 - base % 97 or (born_2000 and check == 97 - (2_000_000_000 + base) % 97)


def insz_valid_column(numbers: pd.Series, years: pd.Series | None = None) -> pd.Series:
    """Check digits: 97 − (first 9 digits mod 97), with a 2 prefixed for births from 2000.

    The 2000 reading counts only where 20YY is not after `years` (the work day's year, per
    row; NaN or None: any year): `60202521576` has the check digits of a birth in 2060, so
    for a work day in 2026 it is a typing error, not a worker. Bis numbers (month + 20 or
    + 40) use the same check; month and day may be 00 (see the comment above).
    Source: KSZ-BCSS, Royal Decree of 8 February 1991.
    """
    import numpy as np
    import pandas as pd

    # Each distinct number is read once (`per_distinct`); the work day's year is per row.
    codes, distinct = pd.factorize(numbers.fillna("").astype(str))
    text = pd.Series(distinct, dtype="object")
    shaped = text.str.fullmatch(r"[0-9]{11}").to_numpy(dtype=bool)
    whole = text.where(shaped, "00000000000").astype("int64").to_numpy()  # 11 digits fit
    base, check = whole // 100, whole % 100
    month, day = whole // 10**7 % 100, whole // 10**5 % 100
    fits = shaped & (month % 20 <= 12) & (month // 20 <= 2) & (day <= 31)
    before_2000 = (fits & (97 - base % 97 == check))[codes]
    from_2000 = (fits & (97 - (2_000_000_000 + base) % 97 == check))[codes]
    if years is not None:
        per_row = np.asarray(years, dtype="float64")
        born = (2000 + whole // 10**9)[codes]
        from_2000 &= np.isnan(per_row) | (born <= per_row)
    return pd.Series(before_2000 | from_2000, index=numbers.index, dtype=bool)


def insz_date_plausible(numbers: pd.Series) -> pd.Series:
    """The YYMMDD part is a date or one of the register's codes (see the comment above)."""

    def plausible(number: pd.Series) -> pd.Series:
        written = number.str[2:4].astype("int64")
        day = number.str[4:6].astype("int64")
        return ((written % 20 <= 12) & (written // 20 <= 2) & (day <= 31)).astype(bool)

    return per_distinct(numbers, plausible)


def insz_problem(number: str, year: int | None = None) -> str | None:
    """Why an INSZ is not valid, in words a clerk understands; None when it is."""
    if len(number) != 11:
        return f"INSZ must have 11 digits, found {len(number)}"
    month, day = (int(number[2:4]), int(number[4:6])) if number.isdigit() else (0, 0)
    if number.isdigit() and (month % 20 > 12 or month // 20 > 2 or day > 31):
        return f"INSZ birth date part {number[:6]} is not a date"
    if not insz_is_valid(number, year):
        return "INSZ check digits do not match"
    return None


# --- Enterprise number ----------------------------------------------------------------


def normalize_enterprise(number: str) -> str:
    """A 9-digit enterprise number has lost its leading 0 (Excel stored it as a number)."""
    return "0" + number if len(number) == 9 else number


def enterprise_valid_column(numbers: pd.Series) -> pd.Series:
    """10 digits, first 0 or 1, last two = 97 − (first 8 mod 97)."""

    def valid(text: pd.Series) -> pd.Series:
        shaped = text.str.fullmatch(r"[01][0-9]{9}")
        safe = text.where(shaped, "0000000000")
        base = safe.str[:8].astype("int64")
        check = safe.str[8:].astype("int64")
        return (shaped & (97 - base % 97 == check)).astype(bool)

    return per_distinct(numbers.fillna("").astype(str), valid)


def enterprise_is_valid(number: str) -> bool:
    import pandas as pd

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

    def valid(text: pd.Series) -> pd.Series:
        nine = text.str.fullmatch(r"[0-9]{9}")
        provisional = text.str.fullmatch(r"5[0-9]{9}")
        safe = text.where(nine, "000000096")
        checked = (safe.astype("int64") + 1) % 97 == 0
        return ((nine & checked) | provisional).astype(bool)

    return per_distinct(numbers.fillna("").astype(str), valid)


def nsso_is_valid(number: str) -> bool:
    import pandas as pd

    return bool(nsso_valid_column(pd.Series([number], dtype="object")).iloc[0])


def format_insz(number: str) -> str:
    """93.05.18-223.61, the way the web form prints it."""
    if len(number) != 11:
        return number
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
