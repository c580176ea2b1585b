"""The web-form worksheet: items past their deadline flagged, a status drop-down whose every
word the import reads back."""

from __future__ import annotations

import openpyxl
import pytest

from batch.channels.web import read_status
from batch.model import Result
from batch.pipeline import declare, import_worksheet
from batch.render.worksheet import status_choices
from tests.conftest import at, shift, write_roster

OVERDUE = "FFFDE7E5"  # as a late row of the correction report, and the pages' "refused"

ROSTER = [
    shift("2026-06-28", "10:00", "14:00"),  # already started at 12:00: past its deadline
    shift("2026-06-29", "10:00", "14:00"),
    shift("2026-06-30", "10:00", "14:00"),
]


def queue(tmp_path, lang="en"):
    roster = write_roster(tmp_path / "roster.xlsx", ROSTER)
    declare(
        [roster],
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "out",
        as_of=at("2026-06-28 12:00"),
        lang=lang,
        channel="web",
    )
    return tmp_path / "out" / "worksheet.xlsx"


def test_items_past_their_deadline_are_flagged_and_coloured(tmp_path):
    sheet = openpyxl.load_workbook(queue(tmp_path)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[16:] == ("Was", "Past the deadline", "Period number", "Status", "Sent at")
    assert [(r[0], r[12], r[17]) for r in rows[1:]] == [
        ("W000001", "28/06/2026", "Past the deadline"),
        ("W000002", "29/06/2026", None),
        ("W000003", "30/06/2026", None),
    ]
    colours = [
        row[0].fill.fgColor.rgb if row[0].fill.fill_type == "solid" else None
        for row in sheet.iter_rows(min_row=2)
    ]
    assert colours == [OVERDUE, None, None]
    assert sheet["U2"].fill.fgColor.rgb == OVERDUE  # the whole row, the fill-in cells too
    # painted, the cells to fill in stay open to typing in the protected sheet
    assert sheet.protection.sheet
    assert [sheet[f"{c}2"].protection.locked for c in "RSTU"] == [True, False, False, False]
    assert sheet["A2"].protection.locked
    assert sheet["G2"].value == "93.05.18-223.61"  # as the page and the form print it
    html = (tmp_path / "out" / "worksheet.html").read_text(encoding="utf-8")
    first = html[: html.index("W000002")]
    assert '<span class="flag flag-refused">Past the deadline</span>' in first
    assert html.count("Past the deadline") == 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ["Aanvaard", "Aanvaard (waarschuwing)", "Geweigerd", "In behandeling"]),
        ("fr", ["Acceptée", "Acceptée avec avertissement", "Refusée", "En attente"]),
        ("en", ["Accepted", "Accepted with warning", "Refused", "Pending"]),
    ],
)
def test_the_status_column_offers_the_web_forms_words(tmp_path, lang, words):
    sheet = openpyxl.load_workbook(queue(tmp_path, lang)).active
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    offered = validations[0]
    assert offered.type == "list"
    assert offered.errorStyle == "warning"  # "A" or another word the import knows may be typed
    assert str(offered.sqref) == "T2:T4"  # the Status column, every item's row
    assert offered.formula1 == '"' + ",".join(words) + '"'
    assert status_choices(lang) == words
    # every word offered is read back by the import, as the result it names
    assert [read_status(w) for w in words] == list(Result)


def test_a_worksheet_filled_from_the_drop_down_imports(tmp_path):
    path = queue(tmp_path, "nl")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    typed = [
        ("660740832001", "Aanvaard (waarschuwing)"),
        ("660740832002", "Aanvaard"),
        ("", "Geweigerd"),
    ]
    for row, (period, status) in enumerate(typed, start=2):
        sheet[f"S{row}"] = period or None
        sheet[f"T{row}"] = status
        sheet[f"U{row}"] = "28/06/2026 12:30"
    book.save(path)
    result = import_worksheet(
        path,
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "imp",
        as_of=at("2026-06-28 12:40"),
        lang="nl",
    )
    assert result.problems == []
    got = sorted((d.declaration_id, d.result) for d in result.declarations)
    assert got == [
        ("W000001", Result.WARNING),
        ("W000002", Result.ACCEPTED),
        ("W000003", Result.REFUSED),
    ]
