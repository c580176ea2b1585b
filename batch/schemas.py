"""What a valid shift table is, as pandera models: one for errors, one for warnings.

A failed check in `ShiftTable` rejects the row; a failed check in `ShiftWarnings` only
reports it. Checks are named after the message code they produce (batch.messages).

A worker is known by INSZ or, without one, by the identification fields of domain.md §1:
the INSZ is required only of a row whose identification is incomplete.

Every check on whole rows says itself what a missing value means (`ignore_na=False`):
pandera would otherwise also pass each row all of whose cells are missing, which no row is
(each names its file, sheet and row), after looking at every cell of the table to find out.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .identifiers import (
    enterprise_valid_column,
    insz_date_plausible,
    insz_valid_column,
    nsso_valid_column,
    per_distinct,
)
from .model import IDENTIFICATION_REQUIRED
from .money import minimum_wage

LONG_SHIFT = pd.Timedelta(hours=12)


def _insz_date(number: pd.Series) -> pd.Series:
    shaped = number.str.fullmatch(r"[0-9]{11}").fillna(False).astype(bool)
    return ~shaped | insz_date_plausible(number.where(shaped, "00000000000"))


def _insz_check(number: pd.Series) -> pd.Series:
    shaped = number.str.fullmatch(r"[0-9]{11}").fillna(False).astype(bool)
    plausible = insz_date_plausible(number.where(shaped, "00000000000"))
    return ~(shaped & plausible) | insz_valid_column(number)


class ShiftTable(pa.DataFrameModel):
    """A shift that can be declared: who, for whom, from when until when."""

    enterprise_number: Series[object] = pa.Field(nullable=False)
    insz: Series[object] = pa.Field(nullable=True)
    last_name: Series[object] = pa.Field(nullable=False)
    first_name: Series[object] = pa.Field(nullable=False)
    work_day: Series[pd.Timestamp] = pa.Field(nullable=False)
    start_minutes: Series[pd.Float64Dtype] = pa.Field(nullable=False)
    end_minutes: Series[pd.Float64Dtype] = pa.Field(nullable=False)
    hourly_wage: Series[object] = pa.Field(nullable=True)
    """Optional: the base flexi wage per hour as a Decimal (None where the roster gives none)."""

    @pa.check("enterprise_number", name="enterprise_length")
    def enterprise_length(cls, number: Series[object]) -> Series[bool]:
        return per_distinct(number, lambda n: n.str.len() == 10)

    @pa.check("enterprise_number", name="enterprise_check")
    def enterprise_check(cls, number: Series[object]) -> Series[bool]:
        return per_distinct(number, lambda n: (n.str.len() != 10) | enterprise_valid_column(n))

    @pa.check("insz", name="insz_length")
    def insz_length(cls, number: Series[object]) -> Series[bool]:
        return per_distinct(number, lambda n: n.str.len() == 11)

    @pa.check("insz", name="insz_date")
    def insz_date(cls, number: Series[object]) -> Series[bool]:
        return per_distinct(number, _insz_date)

    @pa.check("insz", name="insz_check")
    def insz_check(cls, number: Series[object]) -> Series[bool]:
        return per_distinct(number, _insz_check)

    @pa.dataframe_check(name="insz_future_birth", ignore_na=False)
    def insz_future_birth(cls, table: pd.DataFrame) -> Series[bool]:
        """Check digits that fit only a birth in 20YY after the work day's year."""
        number = table["insz"]
        fits = insz_valid_column(number)
        years = table["work_day"].dt.year
        return ~fits | insz_valid_column(number, years)

    @classmethod
    def identifying_fields(cls) -> tuple[str, ...]:
        """What a row without INSZ must hold instead: the web form's fields (domain.md §1)."""
        return IDENTIFICATION_REQUIRED

    @pa.dataframe_check(name="identification_missing", ignore_na=False)
    def identification_missing(cls, table: pd.DataFrame) -> Series[bool]:
        return table["insz"].notna() | table[list(cls.identifying_fields())].notna().all(axis=1)

    @pa.dataframe_check(name="birth_date_late", ignore_na=False)
    def birth_date_late(cls, table: pd.DataFrame) -> Series[bool]:
        late = table["insz"].isna() & (table["birth_date"] >= table["work_day"])
        return ~late.fillna(False).astype(bool)

    @pa.dataframe_check(name="end_equals_start", ignore_na=False)
    def end_equals_start(cls, table: pd.DataFrame) -> Series[bool]:
        same = table["start_minutes"] == table["end_minutes"]
        return ~same.fillna(False).astype(bool)

    class Config:
        strict = False
        coerce = False


class ShiftWarnings(pa.DataFrameModel):
    """Doubtful but declarable: the row goes on, the report shows the doubt."""

    nsso_number: Series[object] = pa.Field(nullable=True)

    @pa.check("nsso_number", name="nsso_check")
    def nsso_check(cls, number: Series[object]) -> Series[bool]:
        return per_distinct(number, lambda n: n.isna() | nsso_valid_column(n))

    @pa.dataframe_check(name="wage_under_minimum", ignore_na=False)
    def wage_under_minimum(cls, table: pd.DataFrame) -> Series[bool]:
        """A wage under the minimum flexi wage of the shift's work day (batch.money)."""
        return ~under_minimum(table["hourly_wage"], table["work_day"])

    @pa.dataframe_check(name="long_shift", ignore_na=False)
    def long_shift(cls, table: pd.DataFrame) -> Series[bool]:
        length = table["end"] - table["start"]
        return ~(length > LONG_SHIFT).fillna(False).astype(bool)

    class Config:
        strict = False
        coerce = False


@lru_cache(maxsize=4096)
def _minimum(day: dt.date):
    return minimum_wage(day)


def minimum_of(day: pd.Timestamp):
    """The minimum flexi wage of a work day (None before the parameter table starts)."""
    return _minimum(day.date())


def under_minimum(wages: pd.Series, days: pd.Series) -> pd.Series:
    """Rows whose wage is under the minimum flexi wage of their work day."""
    under = pd.Series(False, index=wages.index)
    given = wages.notna() & days.notna()
    if given.any():
        minimum = days[given].map(minimum_of)
        under[given] = [m is not None and w < m for w, m in zip(wages[given], minimum, strict=True)]
    return under


def failures(model: type[pa.DataFrameModel], table: pd.DataFrame) -> pd.DataFrame:
    """Every failed check as (column, check, index), all at once (lazy validation)."""
    try:
        model.validate(table, lazy=True, inplace=True)  # coerce is off: nothing to copy
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()].copy()
        whole_row = cases["schema_context"] == "DataFrameSchema"
        cases.loc[whole_row, "column"] = None
        cases = cases.drop_duplicates(subset=["column", "check", "index"])
        return cases[["column", "check", "index"]]
    return pd.DataFrame(columns=["column", "check", "index"])


class ActualTable(ShiftTable):
    """An actuals row: a clock segment, or a day the worker did not come (status absent).

    Names may be left out (the ledger knows them); the hours may be left out on an absence.
    A worker without INSZ is found by name and birth date, as the declaration keyed them.
    """

    @classmethod
    def identifying_fields(cls) -> tuple[str, ...]:
        return ("last_name", "first_name", "birth_date")

    last_name: Series[object] = pa.Field(nullable=True)
    first_name: Series[object] = pa.Field(nullable=True)
    start_minutes: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    end_minutes: Series[pd.Float64Dtype] = pa.Field(nullable=True)

    @pa.dataframe_check(name="times_missing", ignore_na=False)
    def times_missing(cls, table: pd.DataFrame) -> Series[bool]:
        has_hours = table["start_minutes"].notna() & table["end_minutes"].notna()
        return (table["absent"] | has_hours).astype(bool)
