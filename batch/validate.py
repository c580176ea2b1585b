"""Raw rows to declarable shifts, and every problem found on the way, cell by cell.

Each sheet's values are parsed a column at a time, checked against the pandera models in
`schemas`, then shifts of all sheets are checked against each other (duplicates, overlaps).
A row with an error goes no further; a row with a warning does. Nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import timeparse
from .identifiers import digits_column, foreign_characters, normalize_enterprise
from .messages import problem
from .model import (
    Employer,
    Identification,
    Problem,
    References,
    Severity,
    Shift,
    Source,
    Worker,
)
from .money import euro, parse_amount
from .read.headers import normalize_header
from .read.records import Column, Reading, Sheet
from .read.values import display
from .schemas import ShiftTable, ShiftWarnings, failures, minimum_of

TEXT_FIELDS = (
    "employer_name",
    "last_name",
    "first_name",
    "employer_reference",
    "worker_reference",
    "declaration_reference",
)

# What identifies a worker without INSZ besides names and birth date (domain.md §1).
IDENTIFICATION_TEXT = (
    "birth_place",
    "street",
    "house_number",
    "box",
    "postal_code",
    "municipality",
    "country",
    "nationality",
    "birth_country",
    "middle_initial",
)

# Gender as written (nl, fr, en; compared without case, accents or dots) → Dimona's M / F.
GENDERS = {
    **dict.fromkeys(("m", "man", "mannelijk", "h", "homme", "masculin", "male"), "M"),
    **dict.fromkeys(("v", "vrouw", "vrouwelijk", "f", "femme", "feminin", "female"), "F"),
}

# The address's country written as Belgium (or left empty) is "BE"; any other is kept.
BELGIUM = frozenset(("be", "b", "bel", "belgie", "belgique", "belgium", "belgien"))

# A status that says the worker did not come (actuals): nl, fr, en.
ABSENT = r"absent|afwezig|niet opgedaagd|niet gekomen|no.?show|ziek|sick|malade|ill\b"

# Which column a whole-row check points at.
_ROW_CHECK_FIELD = {
    "end_equals_start": "end",
    "long_shift": "end",
    "times_missing": "start",
    "identification_missing": "insz",
    "birth_date_late": "birth_date",
    "insz_future_birth": "insz",
    "wage_under_minimum": "hourly_wage",
}
_UNREADABLE_CODE = {
    "work_day": "bad_date",
    "birth_date": "bad_date",
    "gender": "bad_gender",
    "start": "no_such_time",
    "end": "no_such_time",
    "insz": "insz_characters",
    "enterprise_number": "enterprise_characters",
    "hourly_wage": "bad_wage",
}
_CHECK_CODE = {"not_nullable": "missing", "times_missing": "missing"}


@dataclass
class Validated:
    """Good shifts (one typed row each) and the problems of all rows."""

    shifts: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def validate(
    reading: Reading,
    errors: type[pa.DataFrameModel] = ShiftTable,
    warnings: type[pa.DataFrameModel] | None = ShiftWarnings,
    cross_check: bool = True,
    hours: str | None = None,
) -> Validated:
    """Rosters by default; actuals pass their own models and have no cross-row checks.

    `hours` ("decimal" or "clock", `timeparse.HOURS`) says how the client writes `9.5`;
    without it such a cell is an error that names its readings.

    All sheets' rows are parsed together and checked in one pandera pass per model (a folder
    of 200 small files is 2 passes, not 400); each problem goes back to its sheet, which
    points at the cell.
    """
    problems = list(reading.problems)
    if reading.sheets:
        table, unreadable = typed_sheets(reading.sheets, hours)
        checks = _Checks(reading.sheets, table, unreadable, hours)
        checks.errors(failures(errors, table), errors)
        good = table[~checks.rejected]
        if warnings is not None:
            checks.warnings(failures(warnings, good))
        shifts = good.reset_index(drop=True)
        for found in checks.problems:
            problems.extend(found)
    else:
        shifts = _empty()
    if cross_check:
        layouts = {(s.file, s.name): s.columns for s in reading.sheets}
        shifts, cross_problems = _cross_check(shifts, layouts)
        problems.extend(cross_problems)
    shifts = _listed_employers(shifts, reading)
    problems.sort(key=lambda p: (p.file, p.sheet, p.row or 0, p.cell))
    return Validated(shifts, problems)


def _empty() -> pd.DataFrame:
    columns = ["file", "sheet", "row", "enterprise_number", "nsso_number", "insz", "start", "end"]
    identification = [
        "birth_date",
        "gender",
        *IDENTIFICATION_TEXT,
        "worker_key",
        "hourly_wage",
        "wage_cell",
    ]
    return pd.DataFrame(columns=[*columns, *TEXT_FIELDS, *identification])


def typed(sheet: Sheet, hours: str | None = None) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The sheet's values parsed, with a mask per field of cells that could not be read."""
    table, unreadable = typed_sheets([sheet], hours)
    index = sheet.rows.index
    table.index = index
    for mask in unreadable.values():
        mask.index = index
    return table, unreadable


def typed_sheets(
    sheets: list[Sheet], hours: str | None = None
) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The rows of all sheets parsed in one go, one after the other under a fresh index.

    Each column is parsed once for the whole run (200 sheets of 50 rows cost what one sheet
    of 10,000 does); only what a sheet decides itself (its year, where a value's cell is)
    is taken per sheet.
    """
    if len(sheets) == 1:
        raw = sheets[0].rows.reset_index(drop=True)
    else:
        raw = pd.concat([sheet.rows for sheet in sheets], ignore_index=True)
    sizes = [len(sheet.rows) for sheet in sheets]
    # as objects: each row's file and sheet are then its sheet's own two texts, not copies
    files = np.array([sheet.file for sheet in sheets], dtype=object)
    names = np.array([sheet.name for sheet in sheets], dtype=object)
    table = pd.DataFrame(
        {"file": np.repeat(files, sizes), "sheet": np.repeat(names, sizes), "row": raw["row"]}
    )
    cell, column = zip(*(sheet.cells("start") for sheet in sheets), strict=True)
    table["cell"], table["column"] = _joined(cell), _joined(column)
    for name in ("enterprise_number", "nsso_number", "insz"):
        table[name] = _identifier(raw[name])
    foreign = {
        name: foreign_characters(raw[name], country=name == "enterprise_number").ne("")
        for name in ("insz", "enterprise_number")
    }
    for name, width in (("insz", 11), ("nsso_number", 9)):
        table[name] = _leading_zeros(raw[name], table[name], width)
    # `geen`, `-`, `n.v.t.`: an INSZ cell without a digit says the worker has none
    table["insz"] = table["insz"].where(table["insz"].ne(""), None)
    table["enterprise_number"] = table["enterprise_number"].map(
        lambda n: normalize_enterprise(n) if isinstance(n, str) else n
    )
    for name in TEXT_FIELDS:
        table[name] = _text(raw[name])
    table["absent"] = _text(raw["status"]).str.contains(ABSENT, case=False, na=False).astype(bool)

    table["work_day"], bad_day = _work_days(raw["work_day"], sheets, sizes)
    start_cells = timeparse.time_of_datetime_cells(raw["start"])
    end_cells = timeparse.time_of_datetime_cells(raw["end"])
    table["start_minutes"], bad_start = timeparse.parse_minutes(start_cells, hours)
    table["end_minutes"], bad_end = timeparse.parse_minutes(end_cells, hours)
    naive_start, naive_end = timeparse.shift_bounds(
        table["work_day"], table["start_minutes"], table["end_minutes"]
    )
    table["start"], skipped_start = timeparse.localize(naive_start)
    table["end"], skipped_end = timeparse.localize(naive_end)
    bad_birth, bad_gender = _identification(table, raw)
    table["hourly_wage"], bad_wage = _wages(raw["hourly_wage"])
    wage_cell = _joined([sheet.cells("hourly_wage")[0] for sheet in sheets])
    table["wage_cell"] = wage_cell.where(table["hourly_wage"].notna(), None)
    unreadable = {
        "work_day": bad_day,
        "start_minutes": bad_start,
        "end_minutes": bad_end,
        "start": skipped_start,
        "end": skipped_end,
        "birth_date": bad_birth,
        "gender": bad_gender,
        "hourly_wage": bad_wage,
        **foreign,
    }
    return table, unreadable


def _joined(parts) -> pd.Series:
    """Per-sheet columns one after the other, under the fresh index of `typed_sheets`."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    return pd.concat(parts, ignore_index=True)


def _work_days(
    values: pd.Series, sheets: list[Sheet], sizes: list[int]
) -> tuple[pd.Series, pd.Series]:
    """Work days and the unreadable mask; a date without a year takes its sheet's year.

    A sheet that shows no year and mixes `29/06` with `30/06/2026` completes the short ones
    with the year its other dates have.
    """
    ends = np.cumsum(sizes)
    years = {sheet.year for sheet in sheets}
    if len(years) == 1:
        days, bad = timeparse.parse_dates(values, sheets[0].year)
    else:
        days = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        bad = pd.Series(False, index=values.index)
        for year in years:
            rows = np.repeat([sheet.year == year for sheet in sheets], sizes)
            if rows.any():
                days[rows], bad[rows] = timeparse.parse_dates(values[rows], year)
    for sheet, end, size in zip(sheets, ends, sizes, strict=True):
        part = slice(end - size, end)
        if sheet.year is None and bad.iloc[part].any() and days.iloc[part].notna().any():
            year = int(days.iloc[part].dt.year.mode().iloc[0])
            days.iloc[part], bad.iloc[part] = timeparse.parse_dates(values.iloc[part], year)
    return days, bad


def _identification(table: pd.DataFrame, raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Identification fields and `worker_key`, parsed only where a row has no INSZ.

    A row with an INSZ is known by it: what else it says of the worker is not read, so a
    100,000-row roster of INSZ rows costs nothing here. Returns the unreadable birth date
    and gender masks.
    """
    index = table.index
    without = table["insz"].isna()
    some = raw.loc[without]
    table["birth_date"] = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    bad_birth = pd.Series(False, index=index)
    bad_gender = pd.Series(False, index=index)
    for name in ("gender", *IDENTIFICATION_TEXT):
        table[name] = pd.Series(None, index=index, dtype="object")
    table["worker_key"] = table["insz"]
    if some.empty:
        return bad_birth, bad_gender

    work_day = table.loc[without, "work_day"]
    born, unreadable = timeparse.parse_birth_dates(some["birth_date"], work_day)
    table.loc[without, "birth_date"] = born
    bad_birth[without] = unreadable
    written = _text(some["gender"])
    gender = written.map(lambda g: GENDERS.get(normalize_header(g)) if g else None)
    table.loc[without, "gender"] = gender
    bad_gender[without] = written.notna() & gender.isna()
    for name in IDENTIFICATION_TEXT:
        table.loc[without, name] = _text(some[name])

    named = table.loc[without, ["last_name", "first_name", "birth_date"]].dropna()
    if not named.empty:
        table.loc[named.index, "worker_key"] = (
            "~"
            + name_key_column(named["last_name"])
            + "|"
            + name_key_column(named["first_name"])
            + "|"
            + named["birth_date"].dt.strftime("%Y-%m-%d")
        )
    return bad_birth, bad_gender


def _wages(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The optional hourly wage as Decimal euro (None where empty) and the unreadable mask."""
    blank = timeparse.is_blank(values)
    wages = pd.Series(None, index=values.index, dtype="object")
    if not blank.all():
        wages[~blank] = values[~blank].map(parse_amount)
    return wages, ~blank & wages.isna()


def _drop_bad_wages(table: pd.DataFrame, unreadable: pd.Series, report: Callable) -> None:
    """A wage that cannot be used is a warning and is left out: it never holds back the
    shift's Dimona, which the law asks for whatever the pay."""
    wages = table["hourly_wage"]
    not_positive = wages.map(lambda amount: amount is not None and amount <= 0).astype(bool)
    for code, mask in (("bad_wage", unreadable), ("wage_not_positive", not_positive)):
        for index in mask[mask].index:
            report(code, "hourly_wage", index, Severity.WARNING)
    dropped = unreadable | not_positive
    table.loc[dropped, "hourly_wage"] = None
    table.loc[dropped, "wage_cell"] = None


def name_key_column(names: pd.Series) -> pd.Series:
    """`model.plain_name` of a whole column: no case, accents, spaces or punctuation."""
    text = names.astype(str).str.casefold().str.normalize("NFKD")
    return text.str.replace(r"[\W_]+", "", regex=True)


_FIELD_OF = {"start_minutes": "start", "end_minutes": "end"}


class _Checks:
    """The rows of all sheets under validation (`typed_sheets`): what is rejected, and each
    sheet's problems in the order one sheet's validation gives them: unusable wages, then
    unreadable cells, then failed errors, then warnings.

    `which` (the sheet) and `labels` (the row's index in its sheet's rows) take a row of the
    whole table back to where it was read.
    """

    def __init__(
        self,
        sheets: list[Sheet],
        table: pd.DataFrame,
        unreadable: dict[str, pd.Series],
        hours: str | None,
    ) -> None:
        self.sheets, self.table, self.unreadable = sheets, table, unreadable
        sizes = [len(sheet.rows) for sheet in sheets]
        self.ends = np.cumsum(sizes)
        self.which = np.repeat(np.arange(len(sheets)), sizes)
        self.labels = np.concatenate([sheet.rows.index.to_numpy() for sheet in sheets])
        self.problems: list[list[Problem]] = [[] for _ in sheets]
        self._seen: set[tuple[int, str, str]] = set()
        _drop_bad_wages(table, unreadable.pop("hourly_wage"), self.report)
        self.rejected = pd.Series(False, index=table.index)
        for column, mask in unreadable.items():
            code = _UNREADABLE_CODE.get(column, "bad_time")
            for index in mask[mask].index:
                number = int(self.which[index])
                why, params = _why_unreadable(
                    code,
                    column,
                    sheets[number].rows,
                    self.labels[index],
                    self._part(number),
                    hours,
                )
                self.report(why, column, index, **params)
            self.rejected |= mask

    def _part(self, number: int) -> pd.DataFrame:
        """One sheet's rows of the whole table."""
        end = int(self.ends[number])
        return self.table.iloc[end - len(self.sheets[number].rows) : end]

    def report(self, code: str, column: str, index: int, severity=Severity.ERROR, **params):
        number = int(self.which[index])
        sheet, label = self.sheets[number], self.labels[index]
        name = _FIELD_OF.get(column, column)
        row, header, cell = sheet.locate(name, label)
        if cell and (number, cell, code) in self._seen:
            return  # a labelled cell many rows share is one problem
        self._seen.add((number, cell, code))
        raw = sheet.rows
        self.problems[number].append(
            problem(
                code,
                file=sheet.file,
                sheet=sheet.name,
                row=row,
                column=header,
                cell=cell,
                value=display(raw.at[label, name]) if name in raw else "",
                severity=severity,
                **params,
            )
        )

    def errors(self, failed: pd.DataFrame, errors: type[pa.DataFrameModel]) -> None:
        """Report the failed error checks; their rows are rejected."""
        table, unreadable, rejected = self.table, self.unreadable, self.rejected
        identifying = errors.identifying_fields() if hasattr(errors, "identifying_fields") else ()
        unidentified = set(failed.loc[failed["check"] == "identification_missing", "index"])
        for column, check, index in failed.itertuples(index=False):
            index = int(index)
            if column in unreadable and unreadable[column].at[index]:
                continue  # already reported as unreadable
            if check == "not_nullable" and column in identifying and index in unidentified:
                continue  # listed in the row's one identification_missing problem
            rejected.at[index] = True
            if check == "times_missing":
                if (unreadable["start_minutes"] | unreadable["end_minutes"]).at[index]:
                    continue
                column = "start" if pd.isna(table.at[index, "start_minutes"]) else "end"
            params = _params(check, table, column, index)
            if check == "identification_missing":
                missing = [
                    f
                    for f in identifying
                    if pd.isna(table.at[index, f])
                    and not (f in unreadable and unreadable[f].at[index])
                ]
                if not missing:
                    continue  # what is missing could not be read: reported at its cell
                params = {"fields": ",".join(missing)}
                sheet = self.sheets[int(self.which[index])]
                column = "insz" if sheet.has_column("insz") else "last_name"
            column = _ROW_CHECK_FIELD[check] if pd.isna(column) else column
            self.report(_CHECK_CODE.get(check, check), column, index, **params)

    def warnings(self, failed: pd.DataFrame) -> None:
        """Report the failed warning checks; the rows go on."""
        for column, check, index in failed.itertuples(index=False):
            column = _ROW_CHECK_FIELD[check] if pd.isna(column) else column
            index = int(index)
            params = _params(check, self.table, column, index)
            self.report(check, column, index, Severity.WARNING, **params)


def _why_unreadable(
    code: str, column: str, raw: pd.DataFrame, index: int, table: pd.DataFrame, hours: str | None
) -> tuple[str, dict[str, object]]:
    """The code and parameters of an unreadable cell's problem: say why it is unreadable."""
    name = _FIELD_OF.get(column, column)
    value = raw.at[index, name] if name in raw else None
    if code == "bad_time" and hours is None:
        readings = timeparse.hour_readings(pd.Series([value], dtype="object"))
        if not readings.empty and readings["default"].astype(bool).iloc[0]:
            decimal, clock = readings["decimal"].iloc[0], readings["clock"].iloc[0]
            params = {
                "written": display(value),
                "decimal": _clock(decimal),
                "suggestion": f"{int(decimal) // 60}:{int(decimal) % 60:02d}",
            }
            if pd.isna(clock):
                return "ambiguous_hour_one", params
            return "ambiguous_hour", {**params, "clock": _clock(clock)}
    if code == "bad_date":
        year = _sheet_year(table) if column == "work_day" else None
        trouble = timeparse.date_trouble(value, year)
        if trouble is not None:
            return trouble[0], {"date": trouble[1]}
    if code in ("insz_characters", "enterprise_characters"):
        country = column == "enterprise_number"
        found = foreign_characters(pd.Series([value], dtype="object"), country).iloc[0]
        return code, {"found": found}
    return code, {}


def _clock(minutes: float) -> str:
    minutes = int(minutes)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _sheet_year(table: pd.DataFrame) -> int | None:
    """The year most of the sheet's work days have (completes `31/06` in a message)."""
    years = table["work_day"].dropna().dt.year
    return int(years.mode().iloc[0]) if not years.empty else None


def _params(check: str, table: pd.DataFrame, column: str, index: int) -> dict[str, object]:
    if check in ("insz_length", "enterprise_length"):
        return {"found": len(table.at[index, column])}
    if check == "insz_future_birth":
        return {"year": 2000 + int(table.at[index, "insz"][:2])}
    if check == "wage_under_minimum":
        day = table.at[index, "work_day"]
        return {
            "wage": euro(table.at[index, "hourly_wage"]),
            "minimum": euro(minimum_of(day)),
            "date": f"{day:%d/%m/%Y}",
        }
    if check == "long_shift":
        hours = (table.at[index, "end"] - table.at[index, "start"]) / pd.Timedelta(hours=1)
        return {"hours": f"{hours:g}"}
    return {}


def _cross_check(
    shifts: pd.DataFrame, layouts: dict[tuple[str, str], dict[str, Column]]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Exact duplicates (the first one stands) and overlapping shifts (none stands)."""
    if shifts.empty:
        return shifts, []
    problems: list[Problem] = []
    who = ["enterprise_number", "worker_key"]

    duplicate = shifts.duplicated(subset=[*who, "start", "end"], keep="first")
    first_row = shifts.groupby([*who, "start", "end"])["row"].transform("first")
    for index in shifts.index[duplicate]:
        problems.append(_cross_problem("duplicate", shifts, index, layouts, first=first_row[index]))
    kept = shifts[~duplicate]

    ordered = kept.sort_values([*who, "start"])
    group = ordered.groupby(who, sort=False)
    latest_end = group["end"].cummax()
    previous_end = latest_end.groupby([ordered[c] for c in who]).shift()
    holder = ordered.index.to_series().where(ordered["end"] == latest_end)
    previous_holder = holder.groupby([ordered[c] for c in who]).ffill()
    previous_holder = previous_holder.groupby([ordered[c] for c in who]).shift()
    overlaps = ordered["start"] < previous_end
    partners: dict[int, int] = {}
    for index in ordered.index[overlaps.fillna(False).astype(bool)]:
        other = int(previous_holder[index])
        partners.setdefault(index, other)
        partners.setdefault(other, index)
    for index, other in sorted(partners.items()):
        problems.append(_cross_problem("overlap", kept, index, layouts, other=_where(kept, other)))
    return kept.drop(index=list(partners)), problems


def _where(shifts: pd.DataFrame, index: int) -> str:
    """Row 12, or `other.xlsx [Week] row 12` when the other row is elsewhere."""
    return str(shifts.at[index, "row"])


def _cross_problem(code, shifts, index, layouts, **params) -> Problem:
    file, sheet, row = shifts.at[index, "file"], shifts.at[index, "sheet"], shifts.at[index, "row"]
    start = shifts.at[index, "start"]
    end = shifts.at[index, "end"]
    return problem(
        code,
        file=file,
        sheet=sheet,
        row=int(row),
        column=shifts.at[index, "column"],
        cell=shifts.at[index, "cell"],
        value=f"{start:%d/%m/%Y %H:%M}-{end:%H:%M}",
        **params,
    )


def _leading_zeros(values: pd.Series, found: pd.Series, width: int) -> pd.Series:
    """An identifier Excel stored as a number lost its leading zeros: 1020312345 → 01020312345."""
    short = found.str.len().lt(width).fillna(False).astype(bool)
    if short.any():
        numeric = values[short].map(lambda v: type(v) in (int, float))
        padded = found[numeric[numeric].index].str.zfill(width)
        found = found.copy()
        found[padded.index] = padded
    return found


def _listed_employers(shifts: pd.DataFrame, reading: Reading) -> pd.DataFrame:
    """Names and NSSO numbers from the run's employer lists where the roster leaves them out."""
    if not reading.employers or shifts.empty:
        return shifts
    shifts = shifts.copy()
    number = shifts["enterprise_number"]
    for name, attribute in (("nsso_number", "nsso_number"), ("employer_name", "name")):
        listed = {k: getattr(e, attribute) or None for k, e in reading.employers.items()}
        shifts[name] = shifts[name].where(shifts[name].notna(), number.map(listed))
    return shifts


def _identifier(values: pd.Series) -> pd.Series:
    found = digits_column(values)
    blank = timeparse.is_blank(values)
    return found.where(~blank, None).astype("object")


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text, None where empty; a text cell is taken as it is (the most)."""
    text = [
        None if v is None else ((v if type(v) is str else display(v)).strip() or None)
        for v in values.tolist()
    ]
    return pd.Series(text, index=values.index, dtype="object")


def to_shifts(table: pd.DataFrame) -> list[Shift]:
    """Typed rows as Shift records, in the order of the files.

    Built from whole columns: the records are frozen, so one Employer, Worker and References
    is shared by every row that has the same values, and only a Shift and its Source are
    made per row.
    """
    if table.empty:
        return []
    starts = timeparse.to_python(table["start"])
    ends = timeparse.to_python(table["end"])
    employers, workers, references, sources = records(table)
    return [
        Shift(employer, worker, start, end, reference, source)
        for employer, worker, start, end, reference, source in zip(
            employers, workers, starts, ends, references, sources, strict=True
        )
    ]


def records(
    table: pd.DataFrame,
) -> tuple[list[Employer], list[Worker], list[References], list[Source]]:
    """Each typed row's employer, worker, references and source, a column at a time."""
    employers = _shared(
        Employer,
        table["enterprise_number"].tolist(),
        texts(table["nsso_number"]),
        texts(table["employer_name"]),
    )
    references = _shared(
        References,
        texts(table["employer_reference"]),
        texts(table["worker_reference"]),
        texts(table["declaration_reference"]),
    )
    sources = [
        Source(*values)
        for values in zip(
            table["file"].tolist(),
            table["sheet"].tolist(),
            table["row"].astype("int64").tolist(),
            table["cell"].tolist(),
            table["column"].tolist(),
            strict=True,
        )
    ]
    return employers, workers_of(table), references, sources


def workers_of(table: pd.DataFrame) -> list[Worker]:
    """`worker_of` for every typed row: one Worker per INSZ and names, the others by row."""
    insz = texts(table["insz"])
    workers = _shared(Worker, insz, texts(table["last_name"]), texts(table["first_name"]))
    without = [i for i, number in enumerate(insz) if not number]
    if without:
        for i, row in zip(without, table.iloc[without].itertuples(index=False), strict=True):
            workers[i] = worker_of(row)
    return workers


def _shared(record: type, *columns: list) -> list:
    """`record(*values)` for each row, one record for all rows with the same values."""
    made: dict[tuple, object] = {}
    found = []
    for values in zip(*columns, strict=True):
        one = made.get(values)
        if one is None:
            one = made[values] = record(*values)
        found.append(one)
    return found


def texts(values: pd.Series) -> list[str]:
    """`as_text` of a whole column: the empty string where there is no value."""
    return values.astype("object").where(values.notna(), "").map(str).tolist()


def worker_of(row) -> Worker:
    """The worker of one typed row (a namedtuple): by INSZ, else with the identification."""
    insz = row.insz
    if isinstance(insz, str) and insz:
        return Worker(insz, as_text(row.last_name), as_text(row.first_name))
    identification = None
    if not pd.isna(row.birth_date):
        country = as_text(row.country)
        identification = Identification(
            birth_date=row.birth_date.date(),
            birth_place=as_text(row.birth_place),
            gender=as_text(row.gender),
            street=as_text(row.street),
            house_number=as_text(row.house_number),
            box=as_text(row.box),
            postal_code=as_text(row.postal_code),
            municipality=as_text(row.municipality),
            country="BE" if normalize_header(country) in BELGIUM or not country else country,
            nationality=as_text(row.nationality),
            birth_country=as_text(row.birth_country),
            middle_initial=as_text(row.middle_initial),
        )
    return Worker("", as_text(row.last_name), as_text(row.first_name), identification)


def as_text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)
