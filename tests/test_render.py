"""The reports as a person opens them: workbooks read back with openpyxl, HTML as rendered."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from batch.messages import problem
from batch.model import (
    BRUSSELS,
    Declaration,
    Employer,
    Kind,
    Problem,
    References,
    Result,
    Severity,
    Worker,
)
from batch.render import (
    atomic_write,
    label,
    write_receipts,
    write_table,
    write_validation,
)
from batch.render.labels import LABELS, LANGUAGES, channel_label, status_label
from tests.conftest import RECEIPT_HEADERS_EN as RECEIPT_HEADERS

RECEIPT_HEADERS_EN = [*RECEIPT_HEADERS, "Channel"]
PROBLEM_HEADERS_EN = ["File", "Sheet", "Row", "Column", "Cell", "Value", "Problem", "Severity"]

CAFE = Employer("0566988259", "000935467", "Café De Kroon")
BAKERY = Employer("0123456749", "", "Bakkerij <Noord> & Zn")


def brussels(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS)


def declaration(
    declaration_id: str,
    period_id: str | None,
    *,
    kind: Kind = Kind.IN,
    result: Result = Result.ACCEPTED,
    employer: Employer = CAFE,
    worker: Worker | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    sent_at: datetime | None = None,
    channel: str = "sandbox",
    anomalies: tuple[str, ...] = (),
    late: bool = False,
) -> Declaration:
    return Declaration(
        declaration_id=declaration_id,
        kind=kind,
        result=result,
        period_id=period_id,
        sent_at=sent_at or brussels(24, 18, 5),
        start=start or brussels(25, 10),
        end=end or brussels(25, 14),
        employer=employer,
        worker=worker or Worker("93051822361", "Peeters", "Jan"),
        references=References("EMP-1", "WRK-7", "DECL-3"),
        payload={},
        channel=channel,
        anomalies=anomalies,
        late=late,
        source="week26.xlsx [Rooster] row 4",
    )


@pytest.fixture
def declarations() -> list[Declaration]:
    return [
        declaration("900001", "660740832053"),
        declaration(
            "900002",
            "660740832054",
            result=Result.WARNING,
            anomalies=("90017-510", "late declaration"),
            worker=Worker("85073003328", "=1+2", "<b>x</b>"),
            # an aware UTC moment: Excel and HTML must show it as Brussels wall time
            sent_at=datetime(2026, 6, 24, 16, 30, tzinfo=UTC),
        ),
        declaration(
            "900003",
            None,
            result=Result.REFUSED,
            employer=BAKERY,
            anomalies=("00913-355",),
        ),
        declaration(
            "900004",
            "660740832055",
            kind=Kind.UPDATE,
            result=Result.PENDING,
            employer=BAKERY,
            start=brussels(25, 22),
            end=brussels(26, 2),
            channel="web",
        ),
    ]


def read_sheet(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[tuple]]:
    workbook = openpyxl.load_workbook(path)
    assert len(workbook.sheetnames) == 1
    sheet = workbook.worksheets[0]
    return sheet, list(sheet.iter_rows(values_only=True))


# --- labels ----------------------------------------------------------------------------


def test_every_label_has_all_three_languages():
    for key, words in LABELS.items():
        assert len(words) == len(LANGUAGES), key
        assert all(words), key


def test_label_defaults_to_dutch_and_rejects_unknown_languages():
    assert label("status_warning") == "Aanvaard (waarschuwing)"
    assert label("status_warning", "fr") == "Acceptée avec avertissement"
    with pytest.raises(ValueError, match="unknown language 'de'"):
        label("status", "de")


def test_status_words_follow_the_web_form():
    assert [status_label(r, "en") for r in "AWBS"] == [
        "Accepted",
        "Accepted with warning",
        "Refused",
        "Pending",
    ]
    assert [status_label(r, "nl") for r in "AWBS"] == [
        "Aanvaard",
        "Aanvaard (waarschuwing)",
        "Geweigerd",
        "In behandeling",
    ]
    assert [status_label(r, "fr") for r in "AWBS"] == [
        "Acceptée",
        "Acceptée avec avertissement",
        "Refusée",
        "En attente",
    ]


def test_channel_words():
    assert channel_label("sandbox", "fr") == "SANDBOX"
    assert channel_label("web", "en") == "web form, typed by the office"
    assert channel_label("rest", "en") == "rest"


# --- atomic_write ----------------------------------------------------------------------


def test_atomic_write_renames_into_place(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    with atomic_write(target) as temporary:
        assert temporary.parent == tmp_path
        assert temporary.name.startswith(".report.txt.tmp-")
        temporary.write_text("new")
        assert target.read_text() == "old"
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_atomic_write_leaves_nothing_when_the_block_raises(tmp_path):
    target = tmp_path / "report.txt"
    with pytest.raises(RuntimeError), atomic_write(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("crash while writing")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_the_old_file_when_the_block_raises(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_failing_row_leaves_no_workbook(tmp_path):
    target = tmp_path / "t.xlsx"
    with pytest.raises(ValueError, match="row 2 has 1 values"):
        write_table(target, "T", ["A", "B"], [("x", "y"), ("z",)], ["text", "text"])
    assert list(tmp_path.iterdir()) == []


# --- write_table -----------------------------------------------------------------------


def test_write_table_never_turns_text_into_formulas_or_numbers(tmp_path):
    texts = ["=1+2", "+32 475", "-5", "@SUM(A1)", "0123", "1e5", "http://x.be", "TRUE"]
    path = write_table(
        tmp_path / "t.xlsx",
        "T",
        ["Text", "When", "Count"],
        [(text, None, None) for text in texts],
        ["text", "datetime", "int"],
    )
    sheet, rows = read_sheet(path)
    assert [row[0] for row in rows[1:]] == texts
    for cell in sheet["A"][1:]:
        assert cell.data_type == "s"


def test_write_table_kinds(tmp_path):
    path = write_table(
        tmp_path / "t.xlsx",
        "T",
        ["Text", "When", "Count"],
        [
            (12, brussels(29, 23, 30, month=3), 7),
            ("", None, None),
        ],
        ["text", "datetime", "int"],
    )
    sheet, rows = read_sheet(path)
    assert rows == [
        ("Text", "When", "Count"),
        ("12", datetime(2026, 3, 29, 23, 30), 7),
    ]  # the second row is all empty: no cells, but inside the filter range
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["B2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["C2"].data_type == "n"


def _stored_numbers(path: Path, column: str) -> list[str]:
    """The number text of each cell of `column` in the first sheet's XML, as stored."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return re.findall(rf'<c r="{column}\d+"[^>]*><v>([^<]*)</v>', xml)


def test_a_datetime_cell_stores_the_number_xlsxwriter_would_store(tmp_path):
    """Each distinct moment is converted once (`excel_serial`) and written as a number: the
    cell's stored text is the one xlsxwriter's own write_datetime gives, to the last digit,
    for moments across the year, both readings of the autumn's repeated hour, seconds and
    microseconds, and the odd days of Excel's 1900 calendar."""
    import xlsxwriter

    from batch.render.values import wall_time

    moments = [
        *(
            datetime(2026, 1, 1, tzinfo=BRUSSELS) + timedelta(minutes=7 * n, microseconds=n)
            for n in range(0, 75_000, 37)
        ),
        datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS),
        datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS, fold=1),
        datetime(2026, 3, 29, 3, 0, 1, tzinfo=BRUSSELS),
        datetime(2099, 12, 31, 23, 59, 59, 999_999),
        datetime(1900, 3, 1, 12),
        datetime(1900, 2, 28, 23, 59),
        datetime(1900, 1, 1, 6),
        datetime(1899, 12, 31),
    ]
    ours = write_table(tmp_path / "ours.xlsx", "T", ["When"], [(m,) for m in moments], ["datetime"])
    reference = xlsxwriter.Workbook(str(tmp_path / "reference.xlsx"), {"constant_memory": True})
    sheet, moment = reference.add_worksheet(), reference.add_format({"num_format": "dd/mm/yyyy"})
    for row, m in enumerate(moments):
        sheet.write_datetime(row, 0, wall_time(m), moment)
    reference.close()
    stored = _stored_numbers(ours, "A")
    assert len(stored) == len(moments) == len(set(moments)) + 1  # 2:30 twice, an hour apart
    assert stored == _stored_numbers(tmp_path / "reference.xlsx", "A")
    assert stored[-4:] == ["61.5", "60.99930555555556", "0.25", "0"]


def test_write_table_freezes_and_filters_the_header(tmp_path):
    path = write_table(
        tmp_path / "t.xlsx", "T", ["A", "B"], [("x", "y")] * 3, ["text", "text"], title="T"
    )
    sheet, _ = read_sheet(path)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B4"
    assert sheet.column_dimensions["A"].width >= 8


def test_write_table_checks_its_column_kinds(tmp_path):
    with pytest.raises(ValueError, match="2 headers but 1 column kinds"):
        write_table(tmp_path / "t.xlsx", "T", ["A", "B"], [], ["text"])
    with pytest.raises(ValueError, match="unknown column kind"):
        write_table(tmp_path / "t.xlsx", "T", ["A"], [], ["money"])  # type: ignore[list-item]
    assert list(tmp_path.iterdir()) == []


# --- receipts.xlsx ---------------------------------------------------------------------


def test_receipts_xlsx_in_english(tmp_path, declarations):
    paths = write_receipts(declarations, tmp_path, lang="en")
    assert paths == [tmp_path / "receipts.xlsx", tmp_path / "receipts.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["receipts.html", "receipts.xlsx"]

    workbook = openpyxl.load_workbook(paths[0])
    assert workbook.sheetnames == ["Receipts", "Summary"]
    sheet = workbook["Receipts"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == RECEIPT_HEADERS_EN
    assert len(rows) == 1 + len(declarations)
    records = [dict(zip(RECEIPT_HEADERS_EN, row, strict=True)) for row in rows[1:]]

    assert records[0] == {
        "Period number": "660740832053",
        "Declaration number": "900001",
        "Type": "IN",
        "Status": "Accepted",
        "Anomalies": None,
        "Sent at": datetime(2026, 6, 24, 18, 5),
        "Start": datetime(2026, 6, 25, 10, 0),
        "End": datetime(2026, 6, 25, 14, 0),
        "Enterprise number": "0566.988.259",
        "NSSO number": "000935467",
        "Employer": "Café De Kroon",
        "INSZ": "93.05.18-223.61",
        "Last name": "Peeters",
        "First name": "Jan",
        "Joint committee": "XXX",
        "Worker type": "FLX",
        "Employer reference": "EMP-1",
        "Worker reference": "WRK-7",
        "Declaration reference": "DECL-3",
        "Source": "week26.xlsx [Rooster] row 4",
        "Channel": "SANDBOX",
    }
    warned = records[1]
    assert warned["Status"] == "Accepted with warning"
    assert warned["Anomalies"] == "90017-510; late declaration"
    assert warned["Sent at"] == datetime(2026, 6, 24, 18, 30)  # 16:30 UTC is 18:30 in June
    assert warned["Last name"] == "=1+2"
    refused = records[2]
    assert refused["Status"] == "Refused"
    assert refused["Period number"] is None
    assert refused["Enterprise number"] == "0123.456.749"
    update = records[3]
    assert (update["Type"], update["Status"]) == ("UPDATE", "Pending")
    assert (update["Start"], update["End"]) == (datetime(2026, 6, 25, 22), datetime(2026, 6, 26, 2))
    assert update["Channel"] == "web form, typed by the office"

    # identifiers are text cells, the name "=1+2" is a string and not a formula
    for column in ("A", "B", "I", "J", "L"):
        assert sheet[f"{column}2"].data_type == "s", column
    assert sheet["M3"].value == "=1+2"
    assert sheet["M3"].data_type == "s"
    for column in ("F", "G", "H"):
        assert sheet[f"{column}2"].is_date
        assert sheet[f"{column}2"].number_format == "dd/mm/yyyy hh:mm"


def test_receipts_xlsx_layout_and_sandbox_page_header(tmp_path, declarations):
    write_receipts(declarations, tmp_path, lang="en")
    sheet = openpyxl.load_workbook(tmp_path / "receipts.xlsx")["Receipts"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:U5"
    assert sheet.oddHeader.center.text == "SANDBOX — not filed with the NSSO"
    assert sheet.column_dimensions["K"].width >= len("Café De Kroon")


def test_receipts_xlsx_without_sandbox_has_no_sandbox_header(tmp_path):
    write_receipts([declaration("1", "660740832053", channel="web")], tmp_path, lang="en")
    sheet = openpyxl.load_workbook(tmp_path / "receipts.xlsx")["Receipts"]
    assert not sheet.oddHeader.center.text
    assert sheet["U2"].value == "web form, typed by the office"
    assert "SANDBOX" not in (tmp_path / "receipts.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "sheet_name", "first_headers", "warning_word"),
    [
        ("nl", "Ontvangstbewijzen", ["Periodenummer", "Aangiftenummer"], "Aanvaard (waarschuwing)"),
        (
            "fr",
            "Accusés de réception",
            ["Numéro de période", "Numéro de déclaration"],
            "Acceptée avec avertissement",
        ),
        ("en", "Receipts", ["Period number", "Declaration number"], "Accepted with warning"),
    ],
)
def test_receipts_xlsx_languages(
    tmp_path, declarations, lang, sheet_name, first_headers, warning_word
):
    write_receipts(declarations, tmp_path, lang=lang)
    workbook = openpyxl.load_workbook(tmp_path / "receipts.xlsx")
    assert workbook.sheetnames == [sheet_name, label("summary", lang)]
    rows = list(workbook[sheet_name].iter_rows(values_only=True))
    assert list(rows[0][:2]) == first_headers
    assert len(rows[0]) == len(RECEIPT_HEADERS_EN)
    assert len(set(rows[0])) == len(rows[0])
    assert rows[2][3] == warning_word


def test_receipts_with_no_declarations(tmp_path):
    write_receipts([], tmp_path, lang="en")
    rows = list(openpyxl.load_workbook(tmp_path / "receipts.xlsx")["Receipts"].values)
    assert rows == [tuple(RECEIPT_HEADERS_EN)]
    html = (tmp_path / "receipts.html").read_text(encoding="utf-8")
    assert "No declarations in this run." in html


def test_write_receipts_creates_the_output_folder(tmp_path, declarations):
    out = tmp_path / "reports" / "week26"
    write_receipts(declarations, out)
    assert sorted(p.name for p in out.iterdir()) == ["receipts.html", "receipts.xlsx"]


def test_unknown_language_writes_nothing(tmp_path, declarations):
    with pytest.raises(ValueError, match="unknown language"):
        write_receipts(declarations, tmp_path, lang="de")
    assert list(tmp_path.iterdir()) == []


# --- receipts.html ---------------------------------------------------------------------


def render_receipts(tmp_path: Path, declarations: list[Declaration], **kwargs) -> str:
    write_receipts(declarations, tmp_path, **kwargs)
    return (tmp_path / "receipts.html").read_text(encoding="utf-8")


def test_receipts_html_document(tmp_path, declarations):
    html = render_receipts(tmp_path, declarations, lang="en", title_note="as of 28/06/2026 12:00")
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in html
    assert "<h1>Dimona receipts</h1>" in html
    assert '<p class="note">as of 28/06/2026 12:00</p>' in html
    assert "break-after: page" in html


def test_receipts_html_shows_every_receipt(tmp_path, declarations):
    html = render_receipts(tmp_path, declarations, lang="en")
    for period_id in ("660740832053", "660740832054", "660740832055"):
        assert f'<td class="num">{period_id}</td>' in html
    assert html.count('<article class="receipt') == len(declarations)
    for number in range(1, len(declarations) + 1):
        assert f'id="r-{number}"' in html
        assert f'href="#r-{number}"' in html
    # identifiers as the web form prints them, times in Brussels
    assert '<td class="num">93.05.18-223.61</td>' in html
    assert '<td class="num">0566.988.259</td>' in html
    assert '<td class="num">24/06/2026 18:30</td>' in html
    assert '<td class="num">26/06/2026 02:00</td>' in html
    assert "<td>XXX</td>" in html
    assert "<td>FLX</td>" in html
    assert "90017-510<br>late declaration" in html


def test_receipts_html_groups_by_employer_in_order_of_appearance(tmp_path, declarations):
    html = render_receipts(tmp_path, declarations, lang="en")
    sections = re.findall(r'<section class="employer" id="(e-\d+)">\n<h2>([^<]*)<', html)
    assert sections == [("e-1", "Café De Kroon "), ("e-2", "Bakkerij &lt;Noord&gt; &amp; Zn ")]
    assert (
        '<span class="muted num">Enterprise number 0566.988.259 · NSSO number 000935467</span>'
        in html
    )
    assert '<span class="muted num">Enterprise number 0123.456.749</span></h2>' in html
    cafe, bakery = html.split('<section class="employer"')[1:]
    assert cafe.count('<article class="receipt') == 2
    assert bakery.count('<article class="receipt') == 2


def test_receipts_html_escapes_everything(tmp_path, declarations):
    html = render_receipts(tmp_path, declarations, lang="en", title_note="<script>x</script>")
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "Bakkerij &lt;Noord&gt; &amp; Zn" in html


def test_receipts_html_flags_status(tmp_path, declarations):
    html = render_receipts(tmp_path, declarations, lang="nl")
    assert '<html lang="nl">' in html
    assert '<span class="status status-attention">Aanvaard (waarschuwing)</span>' in html
    assert '<span class="flag">⚠ Aandacht nodig</span>' in html
    assert '<span class="status status-ok">Aanvaard</span>' in html
    assert '<span class="status status-refused">Geweigerd</span>' in html
    assert '<span class="status status-pending">In behandeling</span>' in html
    # only the warned receipt carries the attention flag
    assert html.count("Aandacht nodig") == 1


def test_receipts_html_marks_late_declarations(tmp_path):
    html = render_receipts(tmp_path, [declaration("1", "660740832053", late=True)], lang="en")
    assert '<span class="flag flag-refused">Late</span>' in html


def test_receipts_html_marks_sandbox_on_top_and_on_each_receipt(tmp_path, declarations):
    html = render_receipts(tmp_path, declarations, lang="en")
    banner = '<div class="sandbox-banner">SANDBOX — not filed with the NSSO</div>'
    # page banner + the three sandbox receipts (the fourth was typed in the web form)
    assert html.count(banner) == 1 + 3
    assert html.index(banner) < html.index("<h1>")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_receipts_html_languages(tmp_path, declarations, lang):
    html = render_receipts(tmp_path, declarations, lang=lang)
    assert f'<html lang="{lang}">' in html
    assert f"<th>{label('period_number', lang)}</th>" in html
    assert status_label("W", lang) in html


# --- validation ------------------------------------------------------------------------


@pytest.fixture
def problems() -> list[Problem]:
    return [
        problem(
            "insz_check",
            file="week26.xlsx",
            sheet="Rooster",
            row=16,
            column="INSZ",
            cell="H16",
            value="93051822362",
        ),
        problem(
            "nsso_check",
            file="week26.xlsx",
            sheet="Rooster",
            row=17,
            column="RSZ",
            cell="C17",
            value="=HYPERLINK(1)",
            severity=Severity.WARNING,
        ),
        problem("unreadable_file", file="broken.xlsx", sheet="", error="<not a zip>"),
        problem(
            "insz_length",
            file="week26.xlsx",
            sheet="Extra",
            row=3,
            column="INSZ",
            cell="H3",
            value="123",
            found=3,
        ),
    ]


def test_validation_xlsx_in_english(tmp_path, problems):
    paths = write_validation(problems, tmp_path, lang="en")
    assert paths == [tmp_path / "validation.xlsx", tmp_path / "validation.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["validation.html", "validation.xlsx"]
    workbook = openpyxl.load_workbook(paths[0])
    assert workbook.sheetnames == ["Problems"]
    sheet = workbook["Problems"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == PROBLEM_HEADERS_EN
    assert rows[1:] == [
        (
            "week26.xlsx",
            "Rooster",
            16,
            "INSZ",
            "H16",
            "93051822362",
            "INSZ check digits do not match",
            "error",
        ),
        (
            "week26.xlsx",
            "Rooster",
            17,
            "RSZ",
            "C17",
            "=HYPERLINK(1)",
            "NSSO number looks invalid (check digits)",
            "warning",
        ),
        (
            "broken.xlsx",
            None,
            None,
            None,
            None,
            None,
            "file cannot be read as Excel (.xlsx): <not a zip>",
            "error",
        ),
        (
            "week26.xlsx",
            "Extra",
            3,
            "INSZ",
            "H3",
            "123",
            "INSZ must have 11 digits, found 3",
            "error",
        ),
    ]
    assert sheet["C2"].data_type == "n"
    assert sheet["F2"].data_type == "s"
    assert sheet["F3"].data_type == "s"  # "=HYPERLINK(1)" stays text
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H5"


@pytest.mark.parametrize(
    ("lang", "sheet_name", "headers", "severities"),
    [
        (
            "nl",
            "Problemen",
            ["Bestand", "Blad", "Rij", "Kolom", "Cel", "Waarde", "Probleem", "Ernst"],
            ["fout", "waarschuwing"],
        ),
        (
            "fr",
            "Problèmes",
            ["Fichier", "Feuille", "Ligne", "Colonne", "Cellule", "Valeur", "Problème", "Gravité"],
            ["erreur", "avertissement"],
        ),
        ("en", "Problems", PROBLEM_HEADERS_EN, ["error", "warning"]),
    ],
)
def test_validation_xlsx_languages(tmp_path, problems, lang, sheet_name, headers, severities):
    write_validation(problems, tmp_path, lang=lang)
    workbook = openpyxl.load_workbook(tmp_path / "validation.xlsx")
    assert workbook.sheetnames == [sheet_name]
    rows = list(workbook[sheet_name].iter_rows(values_only=True))
    assert list(rows[0]) == headers
    assert [rows[1][7], rows[2][7]] == severities


def test_validation_problem_text_is_in_the_report_language(tmp_path, problems):
    write_validation(problems, tmp_path)  # nl by default
    _, rows = read_sheet(tmp_path / "validation.xlsx")
    assert rows[1][6] == "controlecijfers van het INSZ kloppen niet"
    assert rows[4][6] == "INSZ moet 11 cijfers hebben, 3 gevonden"


def test_validation_html_groups_by_file_then_sheet(tmp_path, problems):
    write_validation(problems, tmp_path, lang="en")
    html = (tmp_path / "validation.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<h1>Input check</h1>" in html
    assert '<tr><td class="num">3</td><td class="num">1</td></tr>' in html  # errors, warnings
    headings = re.findall(r"<h[23]>([^<]*)</h[23]>", html)
    assert headings == [
        "File: week26.xlsx",
        "Sheet: Rooster",
        "Sheet: Extra",
        "File: broken.xlsx",
        "Sheet: (no sheet)",
    ]
    assert (
        '<tr class="severity-error"><td class="num">16</td><td>INSZ</td>'
        '<td class="num">H16</td><td>93051822362</td>'
        '<td>INSZ check digits do not match</td><td class="severity">error</td></tr>'
    ) in html
    assert "file cannot be read as Excel (.xlsx): &lt;not a zip&gt;" in html
    assert "SANDBOX" not in html


def test_validation_html_without_problems(tmp_path):
    write_validation([], tmp_path, lang="en")
    html = (tmp_path / "validation.html").read_text(encoding="utf-8")
    assert '<p class="empty">No problems found: every row can be used.</p>' in html
    assert '<table class="problems">' not in html
    _, rows = read_sheet(tmp_path / "validation.xlsx")
    assert rows == [tuple(PROBLEM_HEADERS_EN)]


def test_validation_html_in_french(tmp_path, problems):
    write_validation(problems, tmp_path, lang="fr")
    html = (tmp_path / "validation.html").read_text(encoding="utf-8")
    assert "les chiffres de contrôle du NISS ne correspondent pas" in html
    assert '<td class="severity">avertissement</td>' in html


# --- templates -------------------------------------------------------------------------


def test_templates_come_from_the_package_when_installed(tmp_path, monkeypatch):
    from batch.render import html

    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(html.resources, "files", lambda package: tmp_path)
    dirs = html.template_dirs()
    assert dirs[0] == tmp_path / "templates"
    assert dirs[-1] == Path(html.__file__).resolve().parents[2] / "templates"


def test_templates_fall_back_to_the_source_checkout():
    from batch.render import html

    assert (html.template_dirs()[-1] / "receipts.html").is_file()
    assert html.environment().autoescape is True
