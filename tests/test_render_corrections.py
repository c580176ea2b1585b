"""The correction report as a person opens it: corrections.xlsx read back, corrections.html."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from batch.model import (
    Action,
    Correction,
    DeadlineStatus,
    Employer,
    Finding,
    Result,
    Worker,
)
from batch.render import write_corrections, write_table
from batch.render.corrections import elapsed_hours, format_hours, format_span
from batch.render.labels import (
    LANGUAGES,
    action_label,
    deadline_status_label,
    finding_label,
    label,
)
from tests.conftest import CORRECTION_HEADERS_EN

BRUSSELS = ZoneInfo("Europe/Brussels")

CORRECTION_HEADERS_NL = [
    "Periodenummer",
    "Ondernemingsnummer",
    "INSZ",
    "Naam",
    "Voornaam",
    "Gepland begin",
    "Gepland einde",
    "Aangegeven begin",
    "Aangegeven einde",
    "Werkelijk begin",
    "Werkelijk einde",
    "Verschil (minuten)",
    "Vaststelling",
    "Actie",
    "Uiterste termijn",
    "Termijnstatus",
    "Ingediend op",
    "Resultaat",
    "Opmerking",
]
CORRECTION_HEADERS_FR = [
    "Numéro de période",
    "Numéro d'entreprise",
    "NISS",
    "Nom",
    "Prénom",
    "Début prévu",
    "Fin prévue",
    "Début déclaré",
    "Fin déclarée",
    "Début réel",
    "Fin réelle",
    "Écart (minutes)",
    "Constat",
    "Action",
    "Délai",
    "Statut du délai",
    "Introduite le",
    "Résultat",
    "Remarque",
]

CAFE = Employer("0566988259", "000935467", "Café De Kroon")
BAKERY = Employer("0123456749", "", "Bakkerij <Noord> & Zn")
AN = Worker("93051822361", "Peeters", "An")
JAN = Worker("85073003328", "<b>x</b>", "Jan")

START_CHANGE_EN = (
    "The start changed after the worker started: this cannot be corrected after the fact."
    " Contact the NSSO / your social secretariat and keep proof of the actual hours."
)
LATE_FILL = "FFFDE7E5"  # as the late rows of corrections.html
MANUAL_FILL = "FFFFF3D6"  # as its manual rows
OFFICE_HEADERS_EN = ["Employer", "What to do", "Handled"]  # after the architecture's


def brussels(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS)


def shift_times(prefix: str, day: int, start: tuple[int, int], end: tuple[int, int]) -> dict:
    return {
        f"{prefix}_start": brussels(day, *start),
        f"{prefix}_end": brussels(day, *end),
    }


def correction(
    period_id: str | None,
    findings: tuple[Finding, ...],
    action: Action,
    status: DeadlineStatus,
    *,
    employer: Employer = CAFE,
    worker: Worker = AN,
    channel: str = "sandbox",
    **fields,
) -> Correction:
    return Correction(
        employer=employer,
        worker=worker,
        findings=findings,
        action=action,
        deadline_status=status,
        period_id=period_id,
        channel=channel,
        **fields,
    )


@pytest.fixture
def corrections() -> list[Correction]:
    """Four café shifts and one bakery shift, in the order reconcile found them."""
    match = correction(
        "660740832053",
        (Finding.MATCH,),
        Action.NONE,
        DeadlineStatus.NOT_APPLICABLE,
        difference_minutes=0,
        **shift_times("planned", 25, (10, 0), (14, 0)),
        **shift_times("declared", 25, (10, 0), (14, 0)),
        **shift_times("actual", 25, (10, 0), (14, 0)),
    )
    bakery_later_end = correction(
        "660740832060",
        (Finding.LATER_END,),
        Action.UPDATE,
        DeadlineStatus.IN_TIME,
        employer=BAKERY,
        difference_minutes=150,
        deadline=brussels(25, 22),
        # an aware UTC moment: shown as Brussels wall time (20:00 in June)
        filed_at=datetime(2026, 6, 25, 18, 0, tzinfo=UTC),
        result=Result.ACCEPTED,
        **shift_times("planned", 25, (10, 0), (14, 0)),
        **shift_times("declared", 25, (10, 0), (14, 0)),
        **shift_times("actual", 25, (10, 0), (16, 30)),
    )
    late_start = correction(
        "660740832054",
        (Finding.LATER_START, Finding.LATER_END),
        Action.MANUAL,
        DeadlineStatus.LATE,
        worker=JAN,
        difference_minutes=150,
        deadline=brussels(26, 10, 30),
        result=Result.WARNING,
        note='=HYPERLINK("http://x.be")',
        **shift_times("planned", 26, (10, 0), (14, 0)),
        **shift_times("declared", 26, (10, 0), (14, 0)),
        **shift_times("actual", 26, (10, 30), (16, 30)),
    )
    refused = correction(
        "660740832056",
        (Finding.LATER_END,),
        Action.MANUAL,
        DeadlineStatus.NOT_APPLICABLE,
        difference_minutes=60,
        result=Result.REFUSED,
        note="refused by the NSSO: 00913-355",
        **shift_times("planned", 27, (10, 0), (14, 0)),
        **shift_times("declared", 27, (10, 0), (14, 0)),
        **shift_times("actual", 27, (10, 0), (15, 0)),
    )
    late_cancel = correction(
        "660740832055",
        (Finding.NO_SHOW,),
        Action.CANCEL,
        DeadlineStatus.LATE,
        deadline=brussels(29, 0),
        filed_at=brussels(29, 9),
        result=Result.ACCEPTED,
        **shift_times("planned", 28, (18, 0), (22, 0)),
        **shift_times("declared", 28, (18, 0), (22, 0)),
    )
    return [match, bakery_later_end, late_start, refused, late_cancel]


def read_corrections(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[tuple]]:
    workbook = openpyxl.load_workbook(path / "corrections.xlsx")
    assert len(workbook.sheetnames) == 2  # the corrections, then the totals
    sheet = workbook.worksheets[0]
    return sheet, list(sheet.iter_rows(values_only=True))


def render(tmp_path: Path, corrections: list[Correction], **kwargs) -> str:
    write_corrections(corrections, tmp_path, **kwargs)
    return (tmp_path / "corrections.html").read_text(encoding="utf-8")


# --- labels ----------------------------------------------------------------------------


def test_english_words_are_the_model_values():
    assert [finding_label(f, "en") for f in Finding] == [str(f) for f in Finding]
    assert [action_label(a, "en") for a in Action] == [
        "none",
        "update",
        "cancel",
        "declare",
        "manual",
    ]
    assert [deadline_status_label(s, "en") for s in DeadlineStatus] == ["in time", "late", "n/a"]


def test_dutch_and_french_words():
    assert [action_label(a, "nl") for a in Action] == [
        "geen",
        "wijziging",
        "annulatie",
        "aangifte",
        "manueel",
    ]
    assert [action_label(a, "fr") for a in Action] == [
        "aucune",
        "modification",
        "annulation",
        "déclaration",
        "manuel",
    ]
    assert [deadline_status_label(s, "nl") for s in DeadlineStatus] == [
        "tijdig",
        "laattijdig",
        "n.v.t.",
    ]
    assert [deadline_status_label(s, "fr") for s in DeadlineStatus] == [
        "dans les délais",
        "en retard",
        "s.o.",
    ]
    assert finding_label("no-show", "nl") == "niet opgedaagd"
    assert finding_label(Finding.UNDECLARED, "fr") == "prestation non déclarée"


# --- hours and spans -------------------------------------------------------------------


def test_elapsed_hours_count_the_autumn_night_as_nine_hours():
    start, end = brussels(24, 22, month=10), brussels(25, 6, month=10)
    assert end - start == (end.replace(tzinfo=None) - start.replace(tzinfo=None))  # the trap
    assert elapsed_hours(start, end) == 9
    assert elapsed_hours(brussels(28, 22, month=3), brussels(29, 6, month=3)) == 7
    assert elapsed_hours(datetime(2026, 6, 25, 10), datetime(2026, 6, 25, 16, 30)) == 6.5
    assert elapsed_hours(None, end) is None
    assert elapsed_hours(start, None) is None


def test_hours_and_spans_are_written_for_people():
    assert format_hours(4, "en") == "4 h"
    assert format_hours(6.5, "en") == "6.5 h"
    assert format_hours(6.5, "nl") == "6,5 u"
    assert format_hours(7.75, "fr") == "7,75 h"
    assert format_hours(1 / 3, "en") == "0.33 h"
    assert format_hours(0, "en") == "0 h"
    assert format_span(brussels(29, 10), brussels(29, 14)) == "29/06 10:00–14:00"
    assert format_span(brussels(24, 22, month=10), brussels(25, 6, month=10)) == (
        "24/10 22:00–25/10 06:00"
    )
    assert format_span(datetime(2026, 6, 29, 8, tzinfo=UTC), None) == "29/06 10:00–"
    assert format_span(None, None) == ""


# --- corrections.xlsx ------------------------------------------------------------------


def test_corrections_xlsx_in_english(tmp_path, corrections):
    paths = write_corrections(corrections, tmp_path, lang="en")
    assert paths == [tmp_path / "corrections.xlsx", tmp_path / "corrections.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrections.html", "corrections.xlsx"]

    sheet, rows = read_corrections(tmp_path)
    assert sheet.title == "Corrections"
    assert list(rows[0][:19]) == CORRECTION_HEADERS_EN
    # sandbox corrections: the channel is shown; then the office's columns, Handled last
    assert rows[0][19:] == ("Channel", *OFFICE_HEADERS_EN)
    assert len(rows) == 1 + len(corrections)
    headers = [*CORRECTION_HEADERS_EN, "Channel", *OFFICE_HEADERS_EN]
    records = [dict(zip(headers, r, strict=True)) for r in rows[1:]]
    assert [r["Period number"] for r in records] == [
        "660740832053",
        "660740832060",
        "660740832054",
        "660740832056",
        "660740832055",
    ]  # the given order, not sorted
    assert records[2] == {
        "Period number": "660740832054",
        "Enterprise number": "0566.988.259",
        "INSZ": "85.07.30-033.28",
        "Last name": "<b>x</b>",
        "First name": "Jan",
        "Planned start": datetime(2026, 6, 26, 10, 0),
        "Planned end": datetime(2026, 6, 26, 14, 0),
        "Declared start": datetime(2026, 6, 26, 10, 0),
        "Declared end": datetime(2026, 6, 26, 14, 0),
        "Actual start": datetime(2026, 6, 26, 10, 30),
        "Actual end": datetime(2026, 6, 26, 16, 30),
        "Difference (minutes)": 150,
        "Finding": "later start; later end",
        "Action": "manual",
        "Deadline": datetime(2026, 6, 26, 10, 30),
        "Deadline status": "late",
        "Filed at": None,
        "Result": "Accepted with warning",
        "Note": '=HYPERLINK("http://x.be")',
        "Channel": "SANDBOX",
        "Employer": "Café De Kroon",
        "What to do": START_CHANGE_EN,
        "Handled": None,
    }
    bakery = records[1]
    assert bakery["Enterprise number"] == "0123.456.749"
    assert bakery["Filed at"] == datetime(2026, 6, 25, 20, 0)  # 18:00 UTC is 20:00 in June
    assert (bakery["Finding"], bakery["Action"], bakery["Deadline status"]) == (
        "later end",
        "update",
        "in time",
    )
    assert bakery["Result"] == "Accepted"
    match = records[0]
    assert (match["Finding"], match["Action"], match["Deadline status"]) == ("match", "none", "n/a")
    assert match["Difference (minutes)"] == 0
    assert (match["Deadline"], match["Result"], match["Note"]) == (None, None, None)
    no_show = records[4]
    assert no_show["Finding"] == "no-show"
    assert (no_show["Actual start"], no_show["Actual end"]) == (None, None)
    assert no_show["Difference (minutes)"] is None

    # identifiers and the note are text, never numbers or formulas; times are date-times
    for column in ("A", "B", "C", "S"):
        assert sheet[f"{column}4"].data_type == "s", column
    assert sheet["S4"].value.startswith("=")
    assert sheet["L4"].data_type == "n"
    assert type(sheet["L4"].value) is int
    for column in ("F", "G", "H", "I", "J", "K", "O"):
        assert sheet[f"{column}4"].is_date, column
        assert sheet[f"{column}4"].number_format == "dd/mm/yyyy hh:mm"


def test_corrections_xlsx_layout_and_sandbox_page_header(tmp_path, corrections):
    write_corrections(corrections, tmp_path, lang="en")
    sheet, _ = read_corrections(tmp_path)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:W6"
    assert sheet.oddHeader.center.text == "SANDBOX — not filed with the NSSO"
    assert sheet.column_dimensions["M"].width >= len("later start; later end")


def test_corrections_xlsx_highlights_late_and_manual_rows(tmp_path, corrections):
    write_corrections(corrections, tmp_path, lang="en")
    sheet, _ = read_corrections(tmp_path)

    def fill(cell: str) -> str | None:
        pattern = sheet[cell].fill
        return pattern.fgColor.rgb if pattern.fill_type == "solid" else None

    # row 4: late (and manual) start change: light red across the row, empty cells too
    assert {fill(f"{column}4") for column in "ABCDEFGHIJKLMNOPQRSTUVW"} == {LATE_FILL}
    assert sheet["Q4"].value is None  # Filed at is empty, yet painted
    assert sheet["O4"].number_format == "dd/mm/yyyy hh:mm"  # the fill keeps the date format
    # row 5: manual but not late: amber
    assert fill("A5") == MANUAL_FILL
    assert fill("P5") == MANUAL_FILL
    # row 6: a late cancel: light red
    assert fill("P6") == LATE_FILL
    # rows 2 and 3 need nothing: plain
    assert fill("A2") is None
    assert fill("P3") is None


def test_corrections_xlsx_without_sandbox_has_exactly_the_architecture_columns(tmp_path):
    web = correction(
        "660740832053",
        (Finding.EARLIER_END,),
        Action.UPDATE,
        DeadlineStatus.IN_TIME,
        channel="web",
        declared_start=brussels(25, 10),
        declared_end=brussels(25, 14),
        actual_start=brussels(25, 10),
        actual_end=brussels(25, 12, 30),
        difference_minutes=-90,
        deadline=brussels(26, 0),
    )
    write_corrections([web], tmp_path, lang="en")
    sheet, rows = read_corrections(tmp_path)
    assert list(rows[0]) == [*CORRECTION_HEADERS_EN, *OFFICE_HEADERS_EN]
    assert rows[1][11] == -90
    assert rows[1][14] == datetime(2026, 6, 26, 0, 0)
    assert not sheet.oddHeader.center.text
    assert sheet.auto_filter.ref == "A1:V2"
    assert "SANDBOX" not in (tmp_path / "corrections.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "sheet_name", "headers", "words"),
    [
        (
            "nl",
            "Correcties",
            CORRECTION_HEADERS_NL,
            ("later begin; later einde", "manueel", "laattijdig", "Aanvaard (waarschuwing)"),
        ),
        (
            "fr",
            "Corrections",
            CORRECTION_HEADERS_FR,
            (
                "début plus tard; fin plus tard",
                "manuel",
                "en retard",
                "Acceptée avec avertissement",
            ),
        ),
        (
            "en",
            "Corrections",
            CORRECTION_HEADERS_EN,
            ("later start; later end", "manual", "late", "Accepted with warning"),
        ),
    ],
)
def test_corrections_xlsx_languages(tmp_path, corrections, lang, sheet_name, headers, words):
    write_corrections(corrections, tmp_path, lang=lang)
    sheet, rows = read_corrections(tmp_path)
    assert sheet.title == sheet_name
    assert list(rows[0][:19]) == headers
    assert rows[0][19] == label("channel", lang)
    assert len(set(rows[0])) == len(rows[0])
    late_start = rows[3]
    assert (late_start[12], late_start[13], late_start[15], late_start[17]) == words


def test_corrections_with_no_corrections(tmp_path):
    write_corrections([], tmp_path, lang="en")
    _, rows = read_corrections(tmp_path)
    assert rows == [(*CORRECTION_HEADERS_EN, *OFFICE_HEADERS_EN)]
    html = (tmp_path / "corrections.html").read_text(encoding="utf-8")
    assert '<p class="empty">No shifts to check in this run.</p>' in html
    assert '<section class="employer"' not in html


def test_write_corrections_creates_the_output_folder(tmp_path, corrections):
    out = tmp_path / "reports" / "week26"
    write_corrections(corrections, out)
    assert sorted(p.name for p in out.iterdir()) == ["corrections.html", "corrections.xlsx"]


def test_unknown_language_writes_nothing(tmp_path, corrections):
    with pytest.raises(ValueError, match="unknown language"):
        write_corrections(corrections, tmp_path / "out", lang="de")
    assert list(tmp_path.iterdir()) == []


def test_write_table_row_fills_are_optional_per_row(tmp_path):
    path = write_table(
        tmp_path / "t.xlsx",
        "T",
        ["A", "When", "N"],
        [("x", brussels(25, 10), 1), ("y", None, None), ("z", None, 3)],
        ["text", "datetime", "int"],
        row_fills=["#FDE7E5", None],  # shorter than the rows: the rest stay plain
    )
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A2"].fill.fgColor.rgb == LATE_FILL
    assert sheet["B2"].value == datetime(2026, 6, 25, 10, 0)
    assert sheet["B2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["C2"].value == 1
    assert sheet["A3"].fill.fill_type is None
    assert sheet["A4"].fill.fill_type is None
    assert sheet["C4"].value == 3


# --- corrections.html ------------------------------------------------------------------


def test_corrections_html_document(tmp_path, corrections):
    html = render(tmp_path, corrections, lang="en", title_note="as of 29/06/2026 12:00")
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert "<h1>Dimona corrections</h1>" in html
    assert '<p class="note">as of 29/06/2026 12:00</p>' in html


def test_corrections_html_groups_by_employer_late_and_manual_first(tmp_path, corrections):
    html = render(tmp_path, corrections, lang="en")
    sections = re.findall(r'<section class="employer" id="(e-\d+)">\n<h2>([^<]*)<', html)
    assert sections == [("e-1", "Café De Kroon "), ("e-2", "Bakkerij &lt;Noord&gt; &amp; Zn ")]
    assert (
        '<span class="muted num">Enterprise number 0566.988.259 · NSSO number 000935467</span>'
        in html
    )
    cafe, bakery = html.split('<section class="employer"')[1:]
    periods = re.compile(r'<td class="num period">(\d*)</td>')
    # late start (late, manual), refused (manual), no-show (late), then the match
    assert periods.findall(cafe) == [
        "660740832054",
        "660740832056",
        "660740832055",
        "660740832053",
    ]
    assert periods.findall(bakery) == ["660740832060"]


def test_corrections_html_totals_per_employer_and_overall(tmp_path, corrections):
    html = render(tmp_path, corrections, lang="en")
    summary, cafe, bakery = html.split('<section class="employer"')
    hours = re.compile(
        r'<td class="num">([\d.]+ h)</td><td class="num">([\d.]+ h)</td>'
        r'<td class="num">([\d.]+ h)</td>'
    )
    # planned · declared · actual; the no-show has no actual hours
    assert hours.findall(bakery) == [("4 h", "4 h", "6.5 h")]
    assert hours.findall(cafe) == [("16 h", "16 h", "15 h")]
    assert hours.findall(summary) == [("20 h", "20 h", "21.5 h")]
    # counts per finding, in the order of the Finding values
    finding_headers = "".join(f"<th>{f}</th>" for f in Finding)
    assert finding_headers in cafe
    counts = re.compile(r"((?:<td class=\"num\">\d+</td>){8})</tr>")
    cells = re.compile(r"(\d+)</td>")
    assert cells.findall(counts.findall(cafe)[0]) == ["1", "1", "0", "0", "2", "1", "0", "0"]
    assert cells.findall(counts.findall(bakery)[0]) == ["0", "0", "0", "0", "1", "0", "0", "0"]
    assert cells.findall(counts.findall(summary)[0]) == ["1", "1", "0", "0", "3", "1", "0", "0"]


def test_corrections_html_totals_across_the_autumn_night(tmp_path):
    night = correction(
        "660740832070",
        (Finding.MATCH,),
        Action.NONE,
        DeadlineStatus.NOT_APPLICABLE,
        channel="web",
        planned_start=brussels(24, 22, month=10),
        planned_end=brussels(25, 6, month=10),
        declared_start=brussels(24, 22, month=10),
        declared_end=brussels(25, 6, month=10),
        actual_start=brussels(24, 22, month=10),
        actual_end=brussels(25, 6, month=10),
    )
    html = render(tmp_path, [night], lang="nl")
    cafe = html.split('<section class="employer"')[1]
    assert '<td class="num">9 u</td><td class="num">9 u</td><td class="num">9 u</td>' in cafe
    assert '<td class="num">24/10 22:00–25/10 06:00</td>' in cafe
    assert "Alles klopt" in html


def test_corrections_html_shows_readable_columns(tmp_path, corrections):
    html = render(tmp_path, corrections, lang="en")
    assert '<td class="num">26/06 10:30–16:30</td>' in html
    assert '<td class="num">26/06/2026 10:30</td>' in html  # deadline
    assert '<td class="num">25/06/2026 20:00</td>' in html  # filed at, in Brussels time
    assert '<td class="num">+150</td>' in html
    assert '<td class="num">0</td>\n<td>match</td>' in html
    assert '<span class="muted num">85.07.30-033.28</span>' in html
    assert "<td>later start; later end</td>" in html
    assert '<span class="status status-refused">late</span>' in html
    assert '<span class="status status-ok">in time</span>' in html
    assert '<span class="status status-pending">n/a</span>' in html
    assert '<span class="status-attention">Accepted with warning</span>' in html
    assert '<tr class="item late" style="background: #fde7e5">' in html
    assert '<tr class="item manual" style="background: #fff3d6">' in html
    assert '<tr class="item">' in html


def test_corrections_html_says_what_to_do_for_manual_items(tmp_path, corrections):
    html = render(tmp_path, corrections, lang="en")
    assert f'<strong class="todo">What to do:</strong> {START_CHANGE_EN}' in html
    assert html.count(START_CHANGE_EN) == 1
    assert "This cannot be corrected automatically" in html  # the refused item
    # the two manual items, and the late cancel (filed, but the NSSO sees it as late)
    assert html.count('<strong class="todo">') == 3
    assert html.count("The deadline has passed: the declaration is filed all the same") == 1
    assert '<span class="muted">Note: refused by the NSSO: 00913-355</span>' in html

    nl = render(tmp_path, corrections, lang="nl")
    assert "Het begin is gewijzigd nadat de werknemer al begonnen was" in nl
    fr = render(tmp_path, corrections, lang="fr")
    assert "Le début a changé après que le travailleur a commencé" in fr


def test_corrections_html_escapes_everything(tmp_path, corrections):
    html = render(tmp_path, corrections, lang="en", title_note="<script>x</script>")
    assert "&lt;b&gt;x&lt;/b&gt; Jan" in html
    assert "<b>x</b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "Bakkerij &lt;Noord&gt; &amp; Zn" in html
    assert "=HYPERLINK(&#34;http://x.be&#34;)" in html


def test_corrections_html_marks_sandbox(tmp_path, corrections):
    html = render(tmp_path, corrections, lang="en")
    banner = '<div class="sandbox-banner">SANDBOX — not filed with the NSSO</div>'
    assert html.count(banner) == 1
    assert html.index(banner) < html.index("<h1>")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_corrections_html_languages(tmp_path, corrections, lang):
    html = render(tmp_path, corrections, lang=lang)
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{label('corrections_title', lang)}</h1>" in html
    assert f"<th>{label('deadline_status', lang)}</th>" in html
    assert finding_label(Finding.LATER_START, lang) in html


def test_reconcile_note_codes_are_translated_other_notes_kept(tmp_path):
    coded = correction(
        "660740832080",
        (Finding.LATER_START, Finding.LATER_END),
        Action.MANUAL,
        DeadlineStatus.LATE,
        note="start_manual end_late",
    )
    absent = correction(
        "660740832081", (Finding.NO_SHOW,), Action.CANCEL, DeadlineStatus.IN_TIME, note="absent"
    )
    free = correction(
        "660740832082",
        (Finding.MATCH,),
        Action.NONE,
        DeadlineStatus.NOT_APPLICABLE,
        note="worksheet:W000012 by phone",
    )
    write_corrections([coded, absent, free], tmp_path, lang="en")
    _, rows = read_corrections(tmp_path)
    assert [row[18] for row in rows[1:]] == [
        "The start can no longer be changed: the worker had already started."
        " The end is changed after its deadline.",
        "Reported absent in the actual hours.",
        "On the worksheet, key W000012. by phone",
    ]
    html = render(tmp_path, [absent], lang="fr")
    assert "Remarque: Signalé absent dans les heures réelles." in html
