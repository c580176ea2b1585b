import datetime as dt

import pandas as pd

from batch.model import BRUSSELS, Severity
from batch.read import read_rosters
from batch.validate import to_shifts, validate
from tests.conftest import AN, BRASSERIE, JAN, shift, write_roster


def check(tmp_path, rows, **kwargs):
    path = write_roster(tmp_path / "roster.xlsx", rows, **kwargs)
    return validate(read_rosters([path]))


def found(result):
    """(cell, severity, message code) of each problem: what the report shows."""
    return [(p.cell, p.severity.value, p.code) for p in result.problems]


def test_a_clean_row_becomes_a_shift_in_brussels_time(tmp_path):
    result = check(tmp_path, [shift("2026-06-29", "10:00", "14:00")])
    assert result.problems == []
    (s,) = to_shifts(result.shifts)
    assert s.start == dt.datetime(2026, 6, 29, 10, 0, tzinfo=BRUSSELS)
    assert s.end == dt.datetime(2026, 6, 29, 14, 0, tzinfo=BRUSSELS)
    assert s.employer.enterprise_number == "0566988259"
    assert s.worker.insz == AN
    assert (s.source.file, s.source.sheet, s.source.row, s.source.cell) == (
        "roster.xlsx",
        "Week 27",
        4,
        "H4",
    )


def test_each_error_points_at_its_cell(tmp_path):
    rows = [
        shift("2026-06-29", "10:00", "14:00", insz="93051822362"),  # row 4: check digits
        shift("2026-06-29", "10:00", "14:00", insz="9305182236"),  # row 5: length
        shift("2026-06-29", "10:00", "14:00", last=None),  # row 6: missing last name
        [*shift("2026-06-29", "10:00", "14:00")[:7], "25:70", dt.time(14)],  # row 7
        shift("2026-06-29", "10:00", "10:00", insz=JAN),  # row 8: end equals start
        shift("2026-06-29", "10:00", "14:00", enterprise="0566.988.258"),  # row 9
        [*shift("2026-06-29", "10:00", "14:00")[:6], "31/02/2026", "10:00", "14:00"],  # row 10
        shift("2026-06-29", "10:00", "14:00", enterprise="0566.988"),  # row 11
    ]
    result = check(tmp_path, rows)
    assert found(result) == [
        ("D4", "error", "insz_check"),
        ("D5", "error", "insz_length"),
        ("E6", "error", "missing"),
        ("H7", "error", "bad_time"),
        ("I8", "error", "end_equals_start"),
        ("A9", "error", "enterprise_check"),
        ("G10", "error", "no_such_date"),
        ("A11", "error", "enterprise_length"),
    ]
    assert result.shifts.empty
    first = result.problems[0]
    assert (first.file, first.sheet, first.row, first.column, first.value) == (
        "roster.xlsx",
        "Week 27",
        4,
        "INSZ",
        "93051822362",
    )
    assert result.problems[3].value == "25:70"
    assert result.problems[1].message == "INSZ must have 11 digits, found 10"


def test_valid_rows_proceed_beside_invalid_ones(tmp_path):
    rows = [
        shift("2026-06-29", "10:00", "14:00", insz="93051822362"),
        shift("2026-06-29", "10:00", "14:00", insz=JAN, last="Janssens", first="Jan"),
    ]
    result = check(tmp_path, rows)
    assert [s.worker.insz for s in to_shifts(result.shifts)] == [JAN]


def test_end_before_start_is_an_overnight_shift(tmp_path):
    result = check(tmp_path, [shift("2026-06-25", "22:00", "02:00")])
    (s,) = to_shifts(result.shifts)
    assert s.start == dt.datetime(2026, 6, 25, 22, 0, tzinfo=BRUSSELS)
    assert s.end == dt.datetime(2026, 6, 26, 2, 0, tzinfo=BRUSSELS)


def test_24_00_is_midnight_of_the_next_day(tmp_path):
    row = [*shift("2026-06-25", "18:00", "20:00")[:8], "24:00"]
    (s,) = to_shifts(check(tmp_path, [row]).shifts)
    assert s.end == dt.datetime(2026, 6, 26, 0, 0, tzinfo=BRUSSELS)


def test_split_shift_is_two_shifts(tmp_path):
    rows = [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-29", "18:00", "22:00")]
    result = check(tmp_path, rows)
    assert result.problems == []
    assert len(to_shifts(result.shifts)) == 2


def test_text_dates_and_times_and_identifiers_with_punctuation(tmp_path):
    rows = [
        ["0566 988 259", "", "", "930518-223.61", "Peeters", "An", "30/06/2026", "9:30", "13:45"],
        [566988259, "", "", 85073003328, "Janssens", "Jan", "2026-07-01", "18:00", "22:00"],
    ]
    result = check(tmp_path, rows)
    assert result.problems == []
    first, second = to_shifts(result.shifts)
    assert first.start == dt.datetime(2026, 6, 30, 9, 30, tzinfo=BRUSSELS)
    assert first.worker.insz == AN
    assert second.employer.enterprise_number == "0566988259"
    assert second.start == dt.datetime(2026, 7, 1, 18, 0, tzinfo=BRUSSELS)


def test_exact_duplicate_first_proceeds_later_one_is_an_error(tmp_path):
    rows = [shift("2026-06-29", "10:00", "14:00")] * 3
    result = check(tmp_path, rows)
    assert found(result) == [("H5", "error", "duplicate"), ("H6", "error", "duplicate")]
    assert result.problems[0].message.endswith("as row 4")
    assert list(result.shifts["row"]) == [4]


def test_overlapping_shifts_of_one_worker_are_both_errors(tmp_path):
    rows = [
        shift("2026-06-29", "10:00", "15:00"),
        shift("2026-06-29", "18:00", "22:00"),
        shift("2026-06-29", "14:00", "16:00"),
        shift("2026-06-29", "14:00", "16:00", enterprise="0403.170.701"),  # other employer
    ]
    result = check(tmp_path, rows)
    assert found(result) == [("H4", "error", "overlap"), ("H6", "error", "overlap")]
    assert result.problems[0].message == "overlaps another shift of this worker (row 6)"
    assert sorted(result.shifts["row"]) == [5, 7]


def test_overlap_across_midnight(tmp_path):
    rows = [shift("2026-06-29", "22:00", "03:00"), shift("2026-06-30", "02:00", "06:00")]
    assert [p.code for p in check(tmp_path, rows).problems] == ["overlap", "overlap"]


def test_warnings_keep_the_row(tmp_path):
    rows = [
        shift("2026-06-29", "08:00", "21:00"),  # 13 hours
        shift("2026-06-30", "10:00", "14:00", nsso="000935468"),
    ]
    result = check(tmp_path, rows)
    assert found(result) == [("I4", "warning", "long_shift"), ("B5", "warning", "nsso_check")]
    assert all(p.severity is Severity.WARNING for p in result.problems)
    assert len(result.shifts) == 2
    assert result.problems[0].message == "shift longer than 12 hours (13 h)"


def test_a_time_the_clock_skips_is_reported(tmp_path):
    # 29 March 2026: clocks jump from 02:00 to 03:00 in Brussels.
    result = check(tmp_path, [shift("2026-03-29", "02:30", "06:00")])
    assert found(result) == [("H4", "error", "no_such_time")]


def test_shift_across_the_autumn_change_lasts_its_real_length(tmp_path):
    (s,) = to_shifts(check(tmp_path, [shift("2026-10-24", "22:00", "06:00")]).shifts)
    assert (s.end - s.start) == dt.timedelta(hours=8)  # wall clock
    assert (s.end.astimezone(dt.UTC) - s.start.astimezone(dt.UTC)) == dt.timedelta(hours=9)


def test_enterprise_in_another_sheet_layout(tmp_path):
    rows = [["Peeters", "An", AN, BRASSERIE, dt.date(2026, 6, 29), "10u", "14u"]]
    header = ["Last name", "First name", "SSIN", "Enterprise number", "Date", "Start", "End"]
    result = check(tmp_path, rows, header=header, title_rows=())
    assert result.problems == []
    assert to_shifts(result.shifts)[0].source.cell == "F2"


def test_the_schemas_look_at_the_typed_table_and_leave_it_as_it_was(tmp_path):
    """pandera checks the table in place (nothing to coerce): each model finds its failures
    and the table is not touched, so the rows that go on are the ones that were read."""
    from batch.schemas import ShiftTable, ShiftWarnings, failures
    from batch.validate import typed_sheets

    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        shift("2026-06-30", "10:00", "10:00"),  # row 5: ends as it starts
        shift("2026-07-01", "08:00", "22:00", insz=JAN, last="Janssens", first="Jan"),  # long
    ]
    path = write_roster(tmp_path / "roster.xlsx", rows)
    table, _ = typed_sheets(read_rosters([path]).sheets)
    before = table.copy()

    errors = failures(ShiftTable, table)
    warnings = failures(ShiftWarnings, table)

    assert [(c, int(i)) for c, i in zip(errors["check"], errors["index"], strict=True)] == [
        ("end_equals_start", 1)
    ]
    assert [(c, int(i)) for c, i in zip(warnings["check"], warnings["index"], strict=True)] == [
        ("long_shift", 2)
    ]
    assert errors["column"].isna().all() and warnings["column"].isna().all()  # whole rows
    assert list(table.columns) == list(before.columns)
    pd.testing.assert_frame_equal(table, before)
