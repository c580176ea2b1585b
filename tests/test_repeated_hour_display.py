"""On paper the two readings of 25/10/2026 02:30 must not print the same: the zone is added.

Two later-end corrections whose deadlines fall in each reading of the repeated hour, through
the real pipeline (openpyxl workbooks, a SQLite ledger, the sandbox), read back from
corrections.html and corrections.xlsx.
"""

from __future__ import annotations

import datetime as dt
import re

import openpyxl

from batch.model import BRUSSELS
from batch.render.values import format_datetime
from tests.conftest import shift
from tests.test_dst import actual, declared, reconciled

CEST_ROSTER = [shift("2026-10-24", "11:15", "18:30")]  # 18:30 CEST + 8 h = 02:30 CEST
CET_ROSTER = [shift("2026-10-24", "11:15", "19:30")]  # 19:30 CEST + 8 h = 02:30 CET
WORKED = [actual("2026-10-24", "11:15", "20:30")]


def deadlines_in_html(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r'<td class="num">(25/10/2026 [^<]*)</td>', text)


def note_and_deadline_in_xlsx(path) -> tuple:
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    header, (row,) = rows[0], rows[1:]
    return row[header.index("Note")], row[header.index("Deadline")]


def test_deadline_in_the_first_reading_shows_cest(tmp_path):
    declared(tmp_path, CEST_ROSTER)
    result = reconciled(tmp_path, WORKED, "2026-10-25 01:00")
    (c,) = result.corrections
    assert c.deadline.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert deadlines_in_html(tmp_path / "c" / "corrections.html") == [
        "25/10/2026 02:30 (CEST)",  # the deadline
        "25/10/2026 01:00",  # filed at: outside the repeated hour, as before
    ]
    # the Excel cell stays a zoneless date-time; the Note names the reading
    note, deadline = note_and_deadline_in_xlsx(tmp_path / "c" / "corrections.xlsx")
    assert deadline == dt.datetime(2026, 10, 25, 2, 30)
    assert note == "Deadline: 25/10/2026 02:30 (CEST)"


def test_deadline_in_the_second_reading_shows_cet(tmp_path):
    declared(tmp_path, CET_ROSTER)
    result = reconciled(tmp_path, WORKED, "2026-10-25 01:00")
    (c,) = result.corrections
    assert c.deadline.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    assert deadlines_in_html(tmp_path / "c" / "corrections.html") == [
        "25/10/2026 02:30 (CET)",
        "25/10/2026 01:00",
    ]
    note, deadline = note_and_deadline_in_xlsx(tmp_path / "c" / "corrections.xlsx")
    assert deadline == dt.datetime(2026, 10, 25, 2, 30)
    assert note == "Deadline: 25/10/2026 02:30 (CET)"


def test_moments_outside_the_repeated_hour_print_as_before():
    for utc_hour, text in [(23, "25/10/2026 01:59"), (2, "25/10/2026 03:00")]:
        day = 24 if utc_hour == 23 else 25
        minute = 59 if utc_hour == 23 else 0
        when = dt.datetime(2026, 10, day, utc_hour, minute, tzinfo=dt.UTC)
        assert format_datetime(when) == text
    assert format_datetime(dt.datetime(2026, 10, 25, 0, 0, tzinfo=BRUSSELS)) == ("25/10/2026 00:00")


def test_receipt_sent_in_the_second_reading_shows_cet(tmp_path):
    declared(tmp_path, [shift("2026-10-26", "10:00", "14:00")], as_of="2026-10-25 02:30+01:00")
    html = (tmp_path / "d" / "receipts.html").read_text(encoding="utf-8")
    assert "25/10/2026 02:30 (CET)" in html
    assert "25/10/2026 02:30 (CEST)" not in html
    assert "26/10/2026 10:00<" in html  # the shift itself prints as before
    rows = list(
        openpyxl.load_workbook(tmp_path / "d" / "receipts.xlsx")
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    header, (row,) = rows[0], rows[1:]
    assert row[header.index("Verzonden op")] == dt.datetime(2026, 10, 25, 2, 30)
    assert row[header.index("Anomalieën")] == "Verzonden op: 25/10/2026 02:30 (CET)"


def test_one_page_prints_both_readings_of_the_repeated_hour_apart():
    """A page works each moment's text out once and keeps it: the two readings of 02:30,
    equal to Python as wall times of one zone, are two entries (their fold), and the same
    instant given in another zone is printed as the one it is."""
    from batch.render.corrections import CorrectionPrinter

    first = dt.datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS)
    second = first.replace(fold=1)
    ended = dt.datetime(2026, 10, 25, 4, 0, tzinfo=BRUSSELS)
    assert first == second  # why a key of the moment alone would print one for the other
    page = CorrectionPrinter("en")
    shown = [page.moment(m) for m in (first, second, first, second)]
    assert shown == ["25/10/2026 02:30 (CEST)", "25/10/2026 02:30 (CET)"] * 2
    assert page.moment(first.astimezone(dt.UTC)) == "25/10/2026 02:30 (CEST)"
    spans = [page.span(m, ended) for m in (first, second, first, second)]
    assert spans[0] != spans[1] and spans[:2] == spans[2:]
    assert "(CET)" in spans[1] and "(CET)" not in spans[0]
