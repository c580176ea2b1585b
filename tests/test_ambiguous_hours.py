"""`9.5` in an hour cell: 09:30 or 09:50? An error naming the readings, unless `--hours` says.

A time cell, a whole number and text with two digits after the separator are clock times; a
number with a fraction and text with one digit after a point or comma depend on how the
client writes hours (issue 8, point 5).
"""

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from batch import timeparse
from batch.cli import main
from batch.model import BRUSSELS
from batch.pipeline import declare
from batch.read import read_rosters
from batch.validate import to_shifts, validate
from tests.conftest import AN, at, shift, write_roster
from tests.workbooks import write_book

DAY = dt.date(2026, 6, 29)


def row(start: object, end: object = "14:00", day: str = "2026-06-29") -> list:
    return [*shift(day, "10:00", "14:00")[:7], start, end]


def minutes(value: object, hours: str | None = None) -> float | None:
    parsed, bad = timeparse.parse_minutes(pd.Series([value], dtype="object"), hours)
    return None if bad.iloc[0] else parsed.iloc[0]


@pytest.mark.parametrize(
    ("value", "default", "decimal", "clock"),
    [
        # clock times whatever the client's habit
        (dt.time(9, 30), 570, 570, 570),
        (dt.timedelta(hours=9, minutes=30), 570, 570, 570),
        (9, 540, 540, 540),
        (930, 570, 570, 570),
        ("9:30", 570, 570, 570),
        ("9u30", 570, 570, 570),
        ("9h30", 570, 570, 570),
        (0.3958333333, 570, 570, 570),  # an unformatted Excel time: a fraction of the day
        # text with two digits after a point or comma: the clock, unless decimal is said
        ("9.30", 570, 558, 570),
        ("9,30", 570, 558, 570),
        # ambiguous without --hours
        (9.5, None, 570, 590),
        (17.25, None, 1035, 1045),
        (9.3, None, 558, 570),
        (9.75, None, 585, None),  # 75 minutes: no clock reading
        ("9.5", None, 570, 590),
        ("17,5", None, 1050, 1070),
        ("9.7", None, 582, None),
    ],
)
def test_each_form_and_its_reading_per_hours_option(value, default, decimal, clock):
    assert minutes(value) == default
    assert minutes(value, "decimal") == decimal
    assert minutes(value, "clock") == clock


def test_an_unknown_hours_option_is_refused():
    with pytest.raises(ValueError, match="hours must be one of decimal, clock"):
        timeparse.parse_minutes(pd.Series([9.5], dtype="object"), "metric")


def found(result):
    return [(p.cell, p.code, p.value, p.message) for p in result.problems]


def test_ambiguous_number_and_text_cells_are_errors_naming_the_readings(tmp_path):
    rows = [row(9.5), row(17.25, 22), row(9.75), row("17,5", 22), row(9.3), row("9.30")]
    path = write_roster(tmp_path / "r.xlsx", rows)
    result = validate(read_rosters([path]))
    suffix = ", or say with --hours decimal or --hours clock how this client writes hours"
    assert found(result) == [
        ("H4", "ambiguous_hour", "9.5", "9.5: 09:30 or 09:50? write 9:30" + suffix),
        ("H5", "ambiguous_hour", "17.25", "17.25: 17:15 or 17:25? write 17:15" + suffix),
        (
            "H6",
            "ambiguous_hour_one",
            "9.75",
            "9.75: 09:45? write 9:45 (9.75 is no clock time), or use --hours decimal",
        ),
        ("H7", "ambiguous_hour", "17,5", "17,5: 17:30 or 17:50? write 17:30" + suffix),
        ("H8", "ambiguous_hour", "9.3", "9.3: 09:18 or 09:30? write 9:18" + suffix),
    ]
    # `9.30` typed as text is a clock time; only that row is declared
    assert [f"{s.start:%H:%M}" for s in to_shifts(result.shifts)] == ["09:30"]


def test_the_message_reads_in_each_language(tmp_path):
    from batch.messages import problem_text

    path = write_roster(tmp_path / "r.xlsx", [row(9.5)])
    (p,) = validate(read_rosters([path])).problems
    assert problem_text(p, "nl").startswith("9.5: 09:30 of 09:50? schrijf 9:30")
    assert problem_text(p, "fr").startswith("9.5 : 09:30 ou 09:50 ? écrivez 9:30")


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ("decimal", ["29/06 09:30-14:00", "29/06 17:15-22:00", "30/06 09:45-14:00"]),
        ("clock", ["29/06 09:50-14:00", "29/06 17:25-22:00"]),
    ],
)
def test_the_hours_option_reads_them_the_clients_way(tmp_path, hours, expected):
    rows = [row(9.5), row(17.25, 22), row(9.75, day="2026-06-30")]
    path = write_roster(tmp_path / "r.xlsx", rows)
    result = validate(read_rosters([path]), hours=hours)
    got = [f"{s.start:%d/%m %H:%M}-{s.end:%H:%M}" for s in to_shifts(result.shifts)]
    assert got == expected
    if hours == "clock":  # 9.75 has no clock reading: 75 minutes do not exist
        assert [(p.cell, p.code) for p in result.problems] == [("H6", "bad_time")]
    else:
        assert result.problems == []


def test_a_grid_cell_with_an_ambiguous_hour_is_reported_at_its_cell(tmp_path):
    rows = [
        ["Ondernemingsnummer: 0566.988.259"],
        [],
        ["INSZ", "Naam", "Voornaam", "ma 29/06/2026", "di 30/06/2026"],
        [AN, "Peeters", "An", "9.5-13", "10-14"],
    ]
    path = write_book(tmp_path / "g.xlsx", {"Rooster": rows})
    result = validate(read_rosters([path]))
    assert [(p.cell, p.code, p.value) for p in result.problems] == [("D4", "ambiguous_hour", "9.5")]
    assert result.problems[0].message.startswith("9.5: 09:30 or 09:50? write 9:30")
    assert [f"{s.start:%d/%m %H:%M}" for s in to_shifts(result.shifts)] == ["30/06 10:00"]
    decimal = validate(read_rosters([path]), hours="decimal")
    assert decimal.problems == []
    assert [f"{s.start:%d/%m %H:%M}" for s in to_shifts(decimal.shifts)] == [
        "29/06 09:30",
        "30/06 10:00",
    ]


def test_declare_writes_the_problem_to_the_validation_report(tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [row(9.5)])
    result = declare(
        [path],
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "out",
        as_of=at("2026-06-28 12:00"),
        lang="en",
    )
    assert result.exit_status == 1
    sheet = openpyxl.load_workbook(tmp_path / "out" / "validation.xlsx")["Problems"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:7] == (
        "r.xlsx",
        "Week 27",
        4,
        "Van",
        "H4",
        "9.5",
        "9.5: 09:30 or 09:50? write 9:30, or say with --hours decimal or --hours clock "
        "how this client writes hours",
    )


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_declare_hours_option_through_the_command_line(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [row(9.5)])
    common = ["--ledger", tmp_path / "l.sqlite", "--as-of", "2026-06-28 12:00", "--lang", "en"]
    refused = invoke("declare", roster, "--out", tmp_path / "a", *common)
    assert refused.exit_code == 1
    assert "H4 (Van): 9.5: 09:30 or 09:50? write 9:30" in refused.output
    declared = invoke("declare", roster, "--out", tmp_path / "b", "--hours", "decimal", *common)
    assert declared.exit_code == 0, declared.output
    receipts = list(openpyxl.load_workbook(tmp_path / "b" / "receipts.xlsx").active.values)
    assert receipts[1][6] == dt.datetime(2026, 6, 29, 9, 30)
    wrong = invoke("declare", roster, "--hours", "metric", *common)
    assert wrong.exit_code == 2
    assert "'metric' is not one of 'decimal', 'clock'" in wrong.output


def test_reconcile_reads_hours_from_the_option_or_the_rules_file(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    ledger = tmp_path / "l.sqlite"
    common = ["--ledger", ledger, "--as-of", "2026-06-29 21:00", "--lang", "en"]
    invoke(
        "declare",
        roster,
        "--ledger",
        ledger,
        "--out",
        tmp_path / "d",
        "--as-of",
        "2026-06-28 12:00",
    )
    actuals = write_roster(
        tmp_path / "a.xlsx",
        [["0566.988.259", AN, "29/06/2026", 10, 16.5]],
        header=["Ondernemingsnummer", "INSZ", "Datum", "Ingeklokt", "Uitgeklokt"],
        title_rows=(),
    )
    refused = invoke("reconcile", actuals, "--out", tmp_path / "c0", "--dry-run", *common)
    assert refused.exit_code == 1
    assert "E2 (Uitgeklokt): 16.5: 16:30 or 16:50?" in refused.output
    rules = tmp_path / "client.toml"
    rules.write_text('hours = "clock"\n', encoding="utf-8")
    clock = invoke("reconcile", actuals, "--out", tmp_path / "c1", "--rules", rules, *common)
    assert clock.exit_code == 0, clock.output
    rows = list(openpyxl.load_workbook(tmp_path / "c1" / "corrections.xlsx").active.values)
    assert rows[1][10] == dt.datetime(2026, 6, 29, 16, 50)
    rules.write_text('hours = "sometimes"\n', encoding="utf-8")
    bad = invoke("reconcile", actuals, "--out", tmp_path / "c2", "--rules", rules, *common)
    assert bad.exit_code == 2
    assert "hours = 'sometimes'; expected one of decimal, clock" in bad.output


def test_the_option_overrides_the_rules_file(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    ledger = tmp_path / "l.sqlite"
    invoke(
        "declare",
        roster,
        "--ledger",
        ledger,
        "--out",
        tmp_path / "d",
        "--as-of",
        "2026-06-28 12:00",
    )
    actuals = write_roster(
        tmp_path / "a.xlsx",
        [["0566.988.259", AN, "29/06/2026", 10, 16.5]],
        header=["Ondernemingsnummer", "INSZ", "Datum", "Ingeklokt", "Uitgeklokt"],
        title_rows=(),
    )
    rules = tmp_path / "client.toml"
    rules.write_text('hours = "clock"\n', encoding="utf-8")
    result = invoke(
        "reconcile",
        actuals,
        "--ledger",
        ledger,
        "--out",
        tmp_path / "c",
        "--rules",
        rules,
        "--hours",
        "decimal",
        "--as-of",
        "2026-06-29 21:00",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(tmp_path / "c" / "corrections.xlsx").active.values)
    assert rows[1][10] == dt.datetime(2026, 6, 29, 16, 30)


def test_localized_start_of_a_decimal_hour_is_brussels_time(tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [row(9.5)])
    (s,) = to_shifts(validate(read_rosters([path]), hours="decimal").shifts)
    assert s.start == dt.datetime(2026, 6, 29, 9, 30, tzinfo=BRUSSELS)
