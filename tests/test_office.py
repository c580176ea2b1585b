"""The office's commands on a real ledger made by declare, reconcile and the web form.

periods, history, due and handled run through click's CliRunner; their csv is compared
exactly and their xlsx cell by cell (read back with openpyxl), in Dutch and English.
"""

from __future__ import annotations

import datetime as dt
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch import office
from batch.cli import main
from batch.pipeline import declare, import_worksheet, reconcile
from tests.conftest import AN, BRASSERIE, JAN, OTHER_EMPLOYER, at, shift, write_roster
from tests.workbooks import insz

PIET = insz("880412")  # answered 90017-510: may not work as flexi
ACTUALS_HEADER = ["Ondernemingsnummer", "INSZ", "Naam", "Datum", "Ingeklokt", "Uitgeklokt"]
V1 = [
    shift("2026-06-29", "10:00", "14:00"),  # An: comes at 10:30, a late start (manual)
    shift("2026-06-30", "10:00", "14:00", insz=JAN, last="Janssens", first="Jan"),
    shift("2026-07-03", "18:00", "23:00", insz=PIET, last="Claes", first="Piet"),
]
V2 = [V1[0], shift("2026-06-30", "11:00", "15:00", insz=JAN, last="Janssens", first="Jan"), V1[2]]
V3 = [V1[0], V1[2]]  # Jan's shift is off the roster: cancelled
WEB = [
    shift("2026-07-02", "10:00", "14:00", enterprise=OTHER_EMPLOYER, employer="Café Zuid"),
    shift("2026-07-02", "18:00", "22:00", enterprise=OTHER_EMPLOYER, employer="Café Zuid"),
]


def _build(folder: Path) -> Path:
    """The ledger: three sandbox runs, a web-form run with one IN typed as refused, actuals."""
    ledger = folder / "ledger.sqlite"
    for name, rows, as_of in (
        ("v1.xlsx", V1, "2026-06-28 12:00"),
        ("v2.xlsx", V2, "2026-06-29 09:00"),
        ("v3.xlsx", V3, "2026-06-29 10:00"),
    ):
        declare(
            [write_roster(folder / name, rows)],
            ledger=ledger,
            out=folder / name.removesuffix(".xlsx"),
            as_of=at(as_of),
            lang="en",
            not_eligible={PIET},
        )
    declare(
        [write_roster(folder / "web.xlsx", WEB)],
        ledger=ledger,
        out=folder / "web",
        as_of=at("2026-06-29 11:00"),
        lang="en",
        channel="web",
    )
    worksheet = folder / "web" / "worksheet.xlsx"
    book = openpyxl.load_workbook(worksheet)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, header.index("From") + 1).value == "18:00":
            sheet.cell(row, header.index("Status") + 1, "Geweigerd")
    book.save(worksheet)
    import_worksheet(worksheet, ledger=ledger, out=folder / "imp", as_of=at("2026-06-29 11:30"))
    actuals = write_roster(
        folder / "actuals.xlsx",
        [[BRASSERIE, AN, "Peeters", dt.date(2026, 6, 29), dt.time(10, 30), dt.time(14, 0)]],
        header=ACTUALS_HEADER,
        title_rows=(),
        sheet="Prikklok",
    )
    reconcile([actuals], ledger=ledger, out=folder / "rec", as_of=at("2026-06-30 01:00"), lang="en")
    return folder


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("made"))


@pytest.fixture
def ledger(made, tmp_path) -> Path:
    """A copy of the made ledger for each test, so a note in one is not seen by another."""
    copy = tmp_path / "ledger.sqlite"
    shutil.copy(made / "ledger.sqlite", copy)
    return copy


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def csv_of(path: Path) -> list[str]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel needs it
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return data.decode("utf-8-sig").split("\r\n")


def cells_of(path: Path) -> tuple[str, list[list[object]]]:
    book = openpyxl.load_workbook(path)
    (sheet,) = book.worksheets
    return sheet.title, [[c.value for c in row] for row in sheet.iter_rows()]


PERIODS_EN = [
    "Period number;Enterprise number;Employer;INSZ;Last name;First name;Declared start;"
    "Declared end;Actual start;Actual end;Status;Last result;Anomalies",
    "660740832053;0566988259;Brasserie Het Pand;93051822361;Peeters;An;29/06/2026 10:00;"
    "29/06/2026 14:00;29/06/2026 10:30;29/06/2026 14:00;active;Accepted;",
    "660740832054;0566988259;Brasserie Het Pand;85073003328;Janssens;Jan;30/06/2026 11:00;"
    "30/06/2026 15:00;;;cancelled;Accepted;",
    "W000001;0403170701;Café Zuid;93051822361;Peeters;An;02/07/2026 10:00;02/07/2026 14:00;"
    ";;to-type;;",
    ";0403170701;Café Zuid;93051822361;Peeters;An;02/07/2026 18:00;02/07/2026 22:00;;;"
    "refused;Refused;",
    "660740832055;0566988259;Brasserie Het Pand;88041200160;Claes;Piet;03/07/2026 18:00;"
    "03/07/2026 23:00;;;active;Accepted with warning;"
    "90017-510: the worker does not meet the flexi-job conditions",
    "",
]


def test_periods_as_csv_in_english(ledger, tmp_path):
    out = tmp_path / "periods.csv"
    status, text = run("periods", "--ledger", ledger, "--lang", "en", "--output", out)
    assert (status, text) == (0, f"wrote {out}\n")
    assert csv_of(out) == PERIODS_EN


def test_periods_as_xlsx_in_dutch(ledger, tmp_path):
    out = tmp_path / "periods.xlsx"
    status, _ = run("periods", "--ledger", ledger, "--week", "2026-W27", "--output", out)
    assert status == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    title, rows = cells_of(out)
    assert title == "Periodes"

    def at_(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(2026, 6 + (day < 20), day, hour, minute)

    assert rows == [
        [
            "Periodenummer",
            "Ondernemingsnummer",
            "Werkgever",
            "INSZ",
            "Naam",
            "Voornaam",
            "Aangegeven begin",
            "Aangegeven einde",
            "Werkelijk begin",
            "Werkelijk einde",
            "Status",
            "Laatste resultaat",
            "Anomalieën",
        ],
        [
            "660740832053",
            "0566988259",
            "Brasserie Het Pand",
            AN,
            "Peeters",
            "An",
            at_(29, 10),
            at_(29, 14),
            at_(29, 10, 30),
            at_(29, 14),
            "actief",
            "Aanvaard",
            None,
        ],
        [
            "660740832054",
            "0566988259",
            "Brasserie Het Pand",
            JAN,
            "Janssens",
            "Jan",
            at_(30, 11),
            at_(30, 15),
            None,
            None,
            "geannuleerd",
            "Aanvaard",
            None,
        ],
        [
            "W000001",
            "0403170701",
            "Café Zuid",
            AN,
            "Peeters",
            "An",
            at_(2, 10),
            at_(2, 14),
            None,
            None,
            "in te tikken",
            None,
            None,
        ],
        [
            None,
            "0403170701",
            "Café Zuid",
            AN,
            "Peeters",
            "An",
            at_(2, 18),
            at_(2, 22),
            None,
            None,
            "geweigerd",
            "Geweigerd",
            None,
        ],
        [
            "660740832055",
            "0566988259",
            "Brasserie Het Pand",
            PIET,
            "Claes",
            "Piet",
            at_(3, 18),
            at_(3, 23),
            None,
            None,
            "actief",
            "Aanvaard (waarschuwing)",
            "90017-510: de werknemer voldoet niet aan de voorwaarden voor een flexi-job",
        ],
    ]


@pytest.mark.parametrize(
    ("options", "numbers"),
    [
        (["--worker", "peeters"], ["660740832053", "W000001", ""]),
        (["--worker", "93.05.18-223.61", "--to", "2026-06-30"], ["660740832053"]),
        (["--worker", "Piet Claes"], ["660740832055"]),
        (["--employer", "BE 0403.170.701"], ["W000001", ""]),
        (["--status", "refused"], [""]),
        (["--status", "to-type"], ["W000001"]),
        (["--status", "cancelled"], ["660740832054"]),
        (["--from", "30/06/2026", "--to", "2026-07-02"], ["660740832054", "W000001", ""]),
        (["--week", "2026-W28"], []),
    ],
)
def test_periods_select_by_worker_employer_days_and_status(ledger, options, numbers):
    status, text = run("periods", "--ledger", ledger, "--format", "csv", *options)
    assert status == 0
    assert [line.split(";")[0] for line in text.splitlines()[1:]] == numbers


def test_history_of_a_period_updated_then_cancelled(ledger, tmp_path):
    out = tmp_path / "history.csv"
    status, _ = run("history", "660740832054", "--ledger", ledger, "--lang", "en", "--output", out)
    assert status == 0
    assert csv_of(out) == [
        "Type;Declaration number;Start;End;Sent at;Answered at;Result;Anomalies;Channel;Batch;"
        "Source file;Sheet;Row;Note",
        "IN;318400000002;30/06/2026 10:00;30/06/2026 14:00;28/06/2026 12:00;28/06/2026 12:00;"
        "Accepted;;SANDBOX;1;v1.xlsx;Week 27;5;",
        "UPDATE;318400000004;30/06/2026 11:00;30/06/2026 15:00;29/06/2026 09:00;"
        "29/06/2026 09:00;Accepted;;SANDBOX;2;v2.xlsx;Week 27;5;",
        "CANCEL;318400000005;30/06/2026 11:00;30/06/2026 15:00;29/06/2026 10:00;"
        # a CANCEL names where its period came from
        "29/06/2026 10:00;Accepted;;SANDBOX;3;v1.xlsx;Week 27;5;",
        "",
    ]
    found = office.history(ledger, "660740832054")
    assert [h.kind.value for h in found.declarations] == ["IN", "UPDATE", "CANCEL"]
    assert found.period.status == "cancelled"


def test_history_shows_the_actual_hours_and_the_notes_as_xlsx(ledger, tmp_path):
    assert run("handled", "660740832053", "--ledger", ledger, "--note", "AP: by phone",
               "--as-of", "2026-06-30 09:15")[0] == 0  # fmt: skip
    out = tmp_path / "history.xlsx"
    status, _ = run("history", "660740832053", "--ledger", ledger, "--output", out)
    assert status == 0
    title, rows = cells_of(out)
    assert title == "Historiek"
    assert rows == [
        [
            "Type",
            "Aangiftenummer",
            "Begin",
            "Einde",
            "Verzonden op",
            "Antwoord op",
            "Resultaat",
            "Anomalieën",
            "Kanaal",
            "Batch",
            "Bronbestand",
            "Blad",
            "Rij",
            "Opmerking",
        ],
        [
            "IN",
            "318400000001",
            dt.datetime(2026, 6, 29, 10),
            dt.datetime(2026, 6, 29, 14),
            dt.datetime(2026, 6, 28, 12),
            dt.datetime(2026, 6, 28, 12),
            "Aanvaard",
            None,
            "SANDBOX",
            1,
            "v1.xlsx",
            "Week 27",
            4,
            None,
        ],
        ["Werkelijke uren", None, dt.datetime(2026, 6, 29, 10, 30), dt.datetime(2026, 6, 29, 14)]
        + [None] * 10,
        ["Behandeld", None, None, None, dt.datetime(2026, 6, 30, 9, 15)]
        + [None] * 8
        + ["AP: by phone"],
    ]


DUE_EN = [
    "Deadline;Overdue;What;Period number;Enterprise number;Employer;INSZ;Last name;"
    "First name;Start;Note",
    "29/06/2026 10:30;yes;manual correction;660740832053;0566988259;Brasserie Het Pand;"
    "93051822361;Peeters;An;29/06/2026 10:00;later start",
    "02/07/2026 10:00;;to type in the web form;W000001;0403170701;Café Zuid;93051822361;"
    "Peeters;An;02/07/2026 10:00;Dimona IN",
    "03/07/2026 18:00;;cancel before it starts (90017-510);660740832055;0566988259;"
    "Brasserie Het Pand;88041200160;Claes;Piet;03/07/2026 18:00;90017-510",
    "",
]


def test_due_exits_1_while_something_is_overdue_and_0_once_handled(ledger, tmp_path):
    out = tmp_path / "due.csv"
    args = ("due", "--ledger", ledger, "--as-of", "2026-06-30 12:00", "--lang", "en")
    status, _ = run(*args, "--output", out)
    assert status == 1
    assert csv_of(out) == DUE_EN
    status, text = run("handled", "660740832053", "--ledger", ledger, "--lang", "en",
                       "--note", "AP: start corrected", "--as-of", "2026-06-30 12:05")  # fmt: skip
    assert (status, text) == (0, "660740832053: Handled AP: start corrected\n")
    status, _ = run(*args, "--output", out)
    assert status == 0
    assert csv_of(out) == [DUE_EN[0], *DUE_EN[2:]]


def test_due_within_hours_and_in_dutch_xlsx(ledger, tmp_path):
    out = tmp_path / "due.xlsx"
    args = ("due", "--ledger", ledger, "--as-of", "2026-07-01 12:00", "--within", "24")
    status, _ = run(*args, "--output", out)
    assert status == 1
    title, rows = cells_of(out)
    assert title == "Te doen"
    assert rows == [
        [
            "Uiterste termijn",
            "Te laat",
            "Wat",
            "Periodenummer",
            "Ondernemingsnummer",
            "Werkgever",
            "INSZ",
            "Naam",
            "Voornaam",
            "Begin",
            "Opmerking",
        ],
        [
            dt.datetime(2026, 6, 29, 10, 30),
            "ja",
            "manuele correctie",
            "660740832053",
            "0566988259",
            "Brasserie Het Pand",
            AN,
            "Peeters",
            "An",
            dt.datetime(2026, 6, 29, 10),
            "later begin",
        ],
        [
            dt.datetime(2026, 7, 2, 10),
            None,
            "in te tikken in het webformulier",
            "W000001",
            "0403170701",
            "Café Zuid",
            AN,
            "Peeters",
            "An",
            dt.datetime(2026, 7, 2, 10),
            "Dimona IN",
        ],
    ]


def test_due_on_the_terminal_says_what_is_overdue_and_why_held_shifts_are_not_listed(ledger):
    status, text = run("due", "--ledger", ledger, "--as-of", "2026-07-04 12:00", "--lang", "en")
    assert status == 1
    assert "2 overdue" in text  # the manual item and the worksheet row past its deadline
    assert "Shifts held back as too early for their quarter are not in the ledger" in text
    assert "90017-510" not in text  # Piet's shift has started: nothing left to cancel


def test_import_reads_the_handled_column_of_corrections_xlsx(made, ledger, tmp_path):
    corrections = tmp_path / "corrections.xlsx"
    shutil.copy(made / "rec" / "corrections.xlsx", corrections)
    book = openpyxl.load_workbook(corrections)
    sheet = book["Corrections"]
    last = sheet.max_column
    assert sheet.cell(1, last).value == "Handled"  # the report's last column, left empty
    sheet.cell(2, last, "30/06 AP: start corrected by phone")
    book.save(corrections)
    args = ("import", corrections, "--ledger", ledger, "--as-of", "2026-06-30 12:05")
    status, text = run(*args)
    assert (status, text) == (0, "corrections.xlsx: 1 handled note(s) recorded\n")
    found = office.history(ledger, "660740832053")
    assert found.notes == [
        office.Note(
            "660740832053",
            "30/06 AP: start corrected by phone",
            at("2026-06-30 12:05"),
            f"corrections.xlsx [Corrections] {openpyxl.utils.get_column_letter(last)}2",
        )
    ]
    status, text = run("due", "--ledger", ledger, "--as-of", "2026-06-30 12:10", "--format", "csv")
    assert status == 0 and "660740832053" not in text
    status, text = run(*args)  # the same file again: nothing twice
    assert (status, text) == (
        0,
        "corrections.xlsx: 0 handled note(s) recorded, 1 already in the ledger\n",
    )
    assert len(office.history(ledger, "660740832053").notes) == 1


def test_a_corrections_workbook_without_the_handled_column_is_refused(made, ledger, tmp_path):
    """A report of an older dimona-batch, or one whose last column a person deleted."""
    corrections = tmp_path / "corrections.xlsx"
    book = openpyxl.load_workbook(made / "rec" / "corrections.xlsx")
    book["Corrections"].delete_cols(book["Corrections"].max_column)
    book.save(corrections)
    status, text = run("import", corrections, "--ledger", ledger)
    assert status == 2
    assert text == (
        "error: corrections.xlsx [Corrections]: no column Behandeld / Traité / Handled in row 1\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "660740839999"], "error: no period 660740839999 in the ledger"),
        (["handled", "660740839999"], "error: no period 660740839999 in the ledger"),
        (["periods", "--week", "2026-W54"], "error: --week '2026-W54': 2026 has no week 54"),
        (["periods", "--worker", "9305182236"], "error: --worker '9305182236': an INSZ has 11"),
        (["periods", "--format", "xlsx"], "Error: --format xlsx needs --output FILE.xlsx"),
        (["periods", "--output", "x.txt"], "Error: --output x.txt: name a .csv or .xlsx file"),
        (["due", "--as-of", "tomorrow"], "error: --as-of 'tomorrow': expected YYYY-MM-DD HH:MM"),
    ],
)
def test_usage_and_ledger_errors_are_one_line_and_exit_2(ledger, args, message):
    status, text = run(*args, "--ledger", ledger)
    assert status == 2
    assert message in text and "Traceback" not in text


def test_a_missing_ledger_is_an_error_and_is_not_created(tmp_path):
    missing = tmp_path / "none.sqlite"
    for command in (["periods"], ["due"], ["history", "1"], ["handled", "1"]):
        status, text = run(*command, "--ledger", missing)
        assert (status, text) == (2, f"error: ledger {missing} not found\n")
    assert not missing.exists()


def test_a_pending_in_is_due_until_answered_and_history_shows_the_later_answer(tmp_path):
    from tests.test_identification import NL_HEADER, unknown

    ledger = tmp_path / "ledger.sqlite"
    roster = write_roster(tmp_path / "r.xlsx", [unknown("2026-06-29", "10:00", "14:00")], NL_HEADER)
    declare([roster], ledger=ledger, out=tmp_path / "a", as_of=at("2026-06-28 12:00"))
    status, text = run("due", "--ledger", ledger, "--as-of", "2026-06-28 12:30", "--format", "csv",
                       "--lang", "en")  # fmt: skip
    assert status == 0  # pending needs no one yet: listed, never overdue
    assert text.splitlines()[1:] == [
        ";;pending an answer;660740832053;0566988259;Brasserie Het Pand;;Dupré;Élise;"
        "29/06/2026 10:00;318400000001"
    ]
    within = ("due", "--ledger", ledger, "--as-of", "2026-06-28 12:30", "--within", "48")
    assert run(*within, "--format", "csv")[1].count("\n") == 1  # no deadline: left out
    status, text = run("periods", "--ledger", ledger, "--status", "pending", "--format", "csv")
    assert [line.split(";")[0] for line in text.splitlines()[1:]] == ["660740832053"]
    # the next run through the sandbox hears SIGeDIS's answer
    declare([roster], ledger=ledger, out=tmp_path / "b", as_of=at("2026-06-28 13:00"))
    assert (
        run("due", "--ledger", ledger, "--as-of", "2026-06-28 13:05", "--format", "csv")[1].count(
            "\n"
        )
        == 1
    )
    (line,) = office.history(ledger, "660740832053").declarations
    assert (line.kind.value, line.result.value, line.sent_at, line.answered_at) == (
        "IN",
        "A",
        at("2026-06-28 12:00"),
        at("2026-06-28 13:00"),
    )


def test_the_same_actuals_again_keep_one_manual_item_and_a_handled_one_stays_handled(
    made, ledger, tmp_path
):
    def manual() -> list[str]:
        found = office.due(ledger, at("2026-06-30 12:00"))
        return [i.period_number for i in found.items if i.what == "manual"]

    def again(out: str) -> None:
        reconcile(
            [made / "actuals.xlsx"], ledger=ledger, out=tmp_path / out, as_of=at("2026-06-30 02:00")
        )

    again("r1")
    assert manual() == ["660740832053"]
    office.handled(ledger, "660740832053", "done", at("2026-06-30 03:00"))
    assert manual() == []
    again("r2")  # the same finding again: it was handled, it stays handled
    assert manual() == []


def test_due_lists_what_the_outbox_could_not_send_and_sync_is_told(tmp_path):
    """An NSSO out of reach: the two INs stay in the outbox, and `due` names them."""
    import socket

    from tests.simulator import make_keys

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    private, _ = make_keys(tmp_path, "office")
    credentials = tmp_path / "dimona.toml"
    credentials.write_text(
        f'endpoint = "http://127.0.0.1:{port}"\nclient_id = "office"\n'
        f'private_key = "{private}"\nattempts = 1\n',
        encoding="utf-8",
    )
    credentials.chmod(0o600)
    roster = write_roster(
        tmp_path / "r.xlsx",
        [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-30", "18:00", "22:00", JAN)],
    )
    ledger = tmp_path / "l.sqlite"
    result = declare(
        [roster], ledger=ledger, out=tmp_path / "o", as_of=at("2026-06-28 12:00"),
        channel="rest", credentials=credentials,
    )  # fmt: skip
    assert result.in_flight == 2 and result.exit_status == 1
    out = tmp_path / "due.csv"
    status, _ = run("due", "--ledger", ledger, "--lang", "en", "--as-of", "2026-06-28 12:05",
                    "--output", out)  # fmt: skip
    assert status == 0  # nothing overdue: what is in flight has no deadline of its own here
    rows = [line.split(";") for line in csv_of(out)[1:-1]]
    assert [(r[2], r[3], r[6], r[9], r[10]) for r in rows] == [
        ("in flight: dimona-batch sync", "", AN, "29/06/2026 10:00", "IN to send"),
        ("in flight: dimona-batch sync", "", JAN, "30/06/2026 18:00", "IN to send"),
    ]
