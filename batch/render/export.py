"""The payroll export as listings: the periods, and each worker's quarters and years.

Two listings of the listing writer (batch.render.listing): on the terminal two tables, in
xlsx two sheets of one workbook, in csv two files (`NAME.csv` and `NAME-summary.csv`), or on
the terminal as csv the lines, an empty line, then the summary.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..messages import message
from ..money import CENT, euro
from ..payroll import Earnings, PayLine, PayrollExport
from .listing import (
    Column,
    Listing,
    csv_text,
    output_format,
    word,
    write_csv,
    write_sheets,
)

# Words of the export the other listings and reports do not have: key -> (nl, fr, en).
EXPORT_LABELS: dict[str, tuple[str, str, str]] = {
    "export_sheet": ("Looninput", "Données de paie", "Payroll"),
    "summary_sheet": ("Per werknemer", "Par travailleur", "Per worker"),
    "ex_work_day": ("Werkdag", "Jour de travail", "Work day"),
    "declared_hours": ("Aangegeven uren", "Heures déclarées", "Declared hours"),
    "actual_hours": ("Werkelijke uren", "Heures réelles", "Actual hours"),
    "paid_hours": ("Betaalde uren", "Heures payées", "Paid hours"),
    "hourly_wage": ("Uurloon", "Salaire horaire", "Hourly wage"),
    "gross_wage": ("Brutoloon", "Salaire brut", "Gross wage"),
    "holiday_pay": ("Flexivakantiegeld", "Pécule de vacances flexi", "Flexi holiday pay"),
    "contribution": ("Werkgeversbijdrage", "Cotisation patronale", "Employer contribution"),
    "wage_warning": ("Waarschuwing", "Avertissement", "Warning"),
    "wage_cell": ("Cel uurloon", "Cellule salaire", "Wage cell"),
    "span": ("Kwartaal of jaar", "Trimestre ou année", "Quarter or year"),
    "shifts": ("Prestaties", "Prestations", "Shifts"),
    "employers": ("Werkgevers", "Employeurs", "Employers"),
    "without_wage": ("Zonder uurloon", "Sans salaire horaire", "Without wage"),
    "hours": ("Uren", "Heures", "Hours"),
    "flexi_earnings": ("Flexi-inkomsten", "Revenus flexi", "Flexi earnings"),
    "tax_free_cap": ("Belastingvrij plafond", "Plafond exonéré", "Tax-free cap"),
    "cap_alert": ("Plafondalarm", "Alerte plafond", "Cap alert"),
    "under_minimum_short": (
        "onder minimum {minimum}",
        "sous le minimum {minimum}",
        "under minimum {minimum}",
    ),
    "cap_passed": (
        "boven het belastingvrije plafond van {cap} (niet-gepensioneerden)",
        "au-delà du plafond exonéré de {cap} (non-pensionnés)",
        "over the tax-free cap of {cap} (non-pensioners)",
    ),
    "export_counts": (
        "{lines} periode(s); {warnings} uurloon onder het minimum; {alerts} plafondalarm(en)",
        "{lines} période(s) ; {warnings} salaire(s) sous le minimum ; {alerts} alerte(s) plafond",
        "{lines} period(s); {warnings} wage(s) under the minimum; {alerts} cap alert(s)",
    ),
}

LINE_COLUMNS = (
    Column("enterprise_number"),
    Column("employer"),
    Column("insz"),
    Column("last_name"),
    Column("first_name"),
    Column("ex_work_day", "date"),
    Column("declared_start", "datetime"),
    Column("declared_end", "datetime"),
    Column("actual_start", "datetime"),
    Column("actual_end", "datetime"),
    Column("declared_hours", "hours"),
    Column("actual_hours", "hours"),
    Column("period_number"),
    Column("status"),
    Column("hourly_wage", "money"),
    Column("paid_hours", "hours"),
    Column("gross_wage", "money"),
    Column("holiday_pay", "money"),
    Column("contribution", "money"),
    Column("wage_warning"),
    Column("wage_cell"),
)

SUMMARY_COLUMNS = (
    Column("insz"),
    Column("last_name"),
    Column("first_name"),
    Column("span"),
    Column("shifts", "integer"),
    Column("employers", "integer"),
    Column("hours", "hours"),
    Column("gross_wage", "money"),
    Column("holiday_pay", "money"),
    Column("flexi_earnings", "money"),
    Column("without_wage", "integer"),
    Column("tax_free_cap", "money"),
    Column("cap_alert"),
)


def export_word(key: str, lang: str, **params: object) -> str:
    return word(key, lang, EXPORT_LABELS).format(**params)


def _hours(minutes: int | None):
    from ..money import hours

    return None if minutes is None else hours(minutes)


def line_row(line: PayLine, lang: str, short: bool = False) -> list[Any]:
    """One period's values; `short` words the wage warning for the terminal."""
    period, pay = line.period, line.pay
    warning = ""
    if short and line.under_minimum and line.minimum is not None:
        warning = export_word("under_minimum_short", lang, minimum=euro(line.minimum, lang))
    elif line.under_minimum and line.minimum is not None and line.wage is not None:
        warning = message(
            "wage_under_minimum",
            lang,
            wage=euro(line.wage),
            minimum=euro(line.minimum),
            date=f"{line.work_day:%d/%m/%Y}",
        )
    return [
        period.employer.enterprise_number,
        period.employer.name,
        period.worker.insz,
        period.worker.last_name,
        period.worker.first_name,
        line.work_day,
        period.declared_start,
        period.declared_end,
        period.actual_start if line.reconciled else None,
        period.actual_end if line.reconciled else None,
        _hours(line.declared_minutes),
        _hours(line.actual_minutes),
        "" if period.status.value == "to type" else period.period_id,
        word(f"period_{period.status.value.replace(' ', '_')}", lang),
        line.wage,
        _hours(line.paid_minutes) if pay else None,
        pay.gross if pay else None,
        pay.holiday_pay if pay else None,
        pay.contribution if pay else None,
        warning,
        line.wage_source,
    ]


def summary_row(earnings: Earnings, lang: str) -> list[Any]:
    cap = earnings.cap
    alert = ""
    if earnings.cap_alert and cap is not None:
        alert = export_word("cap_passed", lang, cap=euro(cap, lang))
    return [
        earnings.worker.insz,
        earnings.worker.last_name,
        earnings.worker.first_name,
        earnings.span,
        earnings.shifts,
        earnings.employers,
        _hours(earnings.minutes),
        earnings.gross,
        earnings.holiday_pay,
        earnings.earnings,
        earnings.without_wage,
        cap.quantize(CENT) if cap is not None and earnings.quarter is None else None,
        alert,
    ]


def listings(export: PayrollExport, lang: str, short: bool = False) -> tuple[Listing, Listing]:
    """The export's two listings: one row per period, one per worker and quarter or year."""
    lines = Listing(
        LINE_COLUMNS,
        [line_row(line, lang, short) for line in export.lines],
        sheet="export_sheet",
        labels=EXPORT_LABELS,
    )
    summary = Listing(
        SUMMARY_COLUMNS,
        [summary_row(e, lang) for e in export.summary],
        sheet="summary_sheet",
        labels=EXPORT_LABELS,
    )
    return lines, summary


# The terminal shows what a clerk checks at a glance; csv and xlsx hold every column.
TERMINAL_LINE_KEYS = (
    "last_name",
    "first_name",
    "ex_work_day",
    "declared_start",
    "declared_end",
    "paid_hours",
    "hourly_wage",
    "gross_wage",
    "holiday_pay",
    "contribution",
    "wage_warning",
)
TERMINAL_SUMMARY_KEYS = (
    "last_name",
    "first_name",
    "span",
    "shifts",
    "hours",
    "flexi_earnings",
    "tax_free_cap",
    "cap_alert",
)


def narrowed(listing: Listing, keys: tuple[str, ...]) -> Listing:
    """The listing with only the columns named by `keys`, in that order."""
    where = {c.key: i for i, c in enumerate(listing.columns)}
    picked = [where[k] for k in keys]
    return Listing(
        tuple(listing.columns[i] for i in picked),
        [[row[i] for i in picked] for row in listing.rows],
        sheet=listing.sheet,
        labels=listing.labels,
    )


def summary_path(output: str | os.PathLike[str]) -> Path:
    """`export.csv` → `export-summary.csv`: where the csv's second part goes."""
    path = Path(output)
    return path.with_name(f"{path.stem}-summary{path.suffix}")


def write_export(
    export: PayrollExport,
    lang: str,
    fmt: str | None,
    output: str | os.PathLike[str] | None,
    console: Any,
) -> list[Path]:
    """Show or write both parts of the export as the options ask; returns the files written."""
    from .listing import print_table

    chosen = output_format(fmt, output)
    lines, summary = listings(export, lang, short=chosen == "table")
    if chosen == "table":
        print_table(narrowed(lines, TERMINAL_LINE_KEYS), lang, console)
        if summary.rows:
            print_table(narrowed(summary, TERMINAL_SUMMARY_KEYS), lang, console)
        return []
    if output is None:  # csv to the terminal: the lines, an empty line, the summary
        console.file.write(csv_text(lines, lang) + "\r\n" + csv_text(summary, lang))
        return []
    from .atomic import private_folder

    target = Path(output)
    private_folder(target.parent)
    if chosen == "csv":
        return [write_csv(lines, target, lang), write_csv(summary, summary_path(target), lang)]
    return [write_sheets((lines, summary), target, lang)]
