"""The command line as users run it: click's runner, real files, exit statuses."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from batch.cli import main
from tests.conftest import shift, write_roster

AS_OF = ["--as-of", "2026-06-28 12:00"]
ROOT = Path(__file__).parents[1]


def invoke(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_declare_all_good_exits_0_and_prints_the_summary(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    result = invoke(
        "declare", roster, "--ledger", tmp_path / "l.sqlite", "--out", tmp_path / "out", *AS_OF
    )
    assert result.exit_code == 0, result.output
    assert "aangegeven │ 1" in " ".join(result.output.split())  # Dutch by default
    assert (tmp_path / "out" / "receipts.xlsx").exists()


def test_the_command_as_its_own_process_ends_with_its_status_and_every_output_complete(tmp_path):
    """`python -m batch` (the dimona-batch script's `run`) ends without Python's last walk
    of its objects: what it printed, wrote and committed is all there, and its exit status
    is the command's."""
    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        shift("2026-06-30", "10:00", "14:00", insz="93051822362"),
        shift("2026-07-01", "10:00", "14:00"),
    ]
    roster = write_roster(tmp_path / "r.xlsx", rows)
    ledger, out = tmp_path / "l.sqlite", tmp_path / "out"
    command = [sys.executable, "-m", "batch", "declare", str(roster), "--ledger", str(ledger)]
    command += ["--out", str(out), *AS_OF, "--lang", "en"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # one row refused: a person must look
    assert "r.xlsx [Week 27] D5 (INSZ): INSZ check digits do not match" in done.stdout
    assert str(out / "receipts.html") in done.stdout
    assert done.stdout.endswith("batch 1 recorded in the ledger\n")  # the last line printed
    receipts = list(openpyxl.load_workbook(out / "receipts.xlsx").active.values)
    assert len(receipts) == 1 + 2
    assert (out / "receipts.html").read_bytes().rstrip().endswith(b"</html>")
    db = sqlite3.connect(ledger)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM periods").fetchone() == (2,)
        assert db.execute("SELECT receipts_written FROM batches").fetchone() == (1,)
    finally:
        db.close()

    missing = subprocess.run(
        [sys.executable, "-m", "batch", "declare", str(tmp_path / "nope.xlsx")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2
    assert "not found" in missing.stdout + missing.stderr


def test_a_command_leaves_the_cycle_collector_as_it_found_it(tmp_path):
    """The pipeline is imported with the collector at rest (in a fresh process, where the
    import really happens); after the run it is on again, with its usual thresholds."""
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    code = f"""
import gc, sys
from click.testing import CliRunner
from batch.cli import main
before = gc.get_threshold()
assert "batch.pipeline" not in sys.modules
args = ["declare", {str(roster)!r}, "--ledger", {str(tmp_path / "l.sqlite")!r},
        "--out", {str(tmp_path / "out")!r}, "--as-of", "2026-06-28 12:00"]
result = CliRunner().invoke(main, args)
print(result.exit_code, gc.isenabled(), gc.get_threshold() == before)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["0", "True", "True"], done.stderr


def test_declare_with_a_rejected_row_exits_1(tmp_path):
    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        shift("2026-06-30", "10:00", "14:00", insz="93051822362"),
    ]
    roster = write_roster(tmp_path / "r.xlsx", rows)
    result = invoke(
        "declare", roster, "--ledger", tmp_path / "l.sqlite", "--out", tmp_path / "out", *AS_OF,
        "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "r.xlsx [Week 27] D5 (INSZ): INSZ check digits do not match" in result.output


def test_missing_file_exits_2_and_leaves_no_ledger(tmp_path):
    result = invoke("declare", tmp_path / "nope.xlsx", "--ledger", tmp_path / "l.sqlite")
    assert result.exit_code == 2
    assert "not found" in result.output
    assert not (tmp_path / "l.sqlite").exists()


def test_a_file_without_a_roster_exits_2_and_leaves_no_ledger(tmp_path):
    notes = write_roster(tmp_path / "notes.xlsx", [["a"]], header=["Opmerking"])
    result = invoke(
        "declare", notes, "--ledger", tmp_path / "l.sqlite", "--out", tmp_path / "o", *AS_OF
    )
    assert result.exit_code == 2
    assert not (tmp_path / "l.sqlite").exists()
    problems = list(openpyxl.load_workbook(tmp_path / "o" / "validation.xlsx").active.values)
    assert len(problems) == 2 and problems[1][0] == "notes.xlsx"


def test_bad_as_of_is_a_usage_error(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    result = invoke("declare", roster, "--as-of", "tomorrow")
    assert result.exit_code == 2
    assert "expected YYYY-MM-DD HH:MM" in result.output


def test_ledger_from_the_environment(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    ledger = tmp_path / "env-ledger.sqlite"
    result = invoke(
        "declare", roster, "--out", tmp_path / "out", *AS_OF, env={"DIMONA_LEDGER": str(ledger)}
    )
    assert result.exit_code == 0, result.output
    assert ledger.exists()


def test_lang_fr_writes_french_headers(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    invoke(
        "declare",
        roster,
        "--ledger",
        tmp_path / "l.sqlite",
        "--out",
        tmp_path / "out",
        "--lang",
        "fr",
        *AS_OF,
    )
    header = next(openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx").active.values)
    assert header[0] == "Numéro de période"


def test_demo_writes_the_four_files_and_says_where_to_look(tmp_path):
    out = tmp_path / "demo"
    result = invoke("demo", "--out", out)
    assert result.exit_code == 0, result.output
    for name in ("receipts.xlsx", "receipts.html", "validation.xlsx", "validation.html"):
        assert (out / name).stat().st_size > 0
    assert f"{out}/receipts.html" in result.output.replace("\n", "")
    receipts = list(openpyxl.load_workbook(out / "receipts.xlsx").active.values)[1:]
    assert len(receipts) > 40
    assert all(r[0] for r in receipts)
    # it ends with what the office looks at next: the periods, then what is due
    text = result.output
    assert text.index("4. De periodes in het grootboek") < text.index("5. Wat moet gebeuren")
    assert "manuele correctie" in text[text.index("5. Wat moet gebeuren") :]
    payroll = text.index("6. Voor het sociaal secretariaat: week 27")
    assert text.index("5. Wat moet gebeuren") < payroll
    assert "Looninput" in text[payroll:]


def test_reconcile_command_writes_the_correction_report(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    ledger = tmp_path / "l.sqlite"
    invoke("declare", roster, "--ledger", ledger, "--out", tmp_path / "d", *AS_OF)
    actuals = write_roster(
        tmp_path / "a.xlsx",
        [["0566.988.259", "93051822361", "29/06/2026", "10:00", "16:00"]],
        header=["Ondernemingsnummer", "INSZ", "Datum", "Ingeklokt", "Uitgeklokt"],
        title_rows=(),
    )
    result = invoke(
        "reconcile",
        actuals,
        "--ledger",
        ledger,
        "--out",
        tmp_path / "c",
        "--as-of",
        "2026-06-29 21:00",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(tmp_path / "c" / "corrections.xlsx").active.values)
    assert rows[1][12:16][:2] == ("later end", "update")
    assert rows[1][15] == "in time"


def test_reconcile_without_a_ledger_is_a_usage_error(tmp_path):
    actuals = write_roster(
        tmp_path / "a.xlsx",
        [["0566.988.259", "93051822361", "29/06/2026", "10:00", "16:00"]],
        header=["Ondernemingsnummer", "INSZ", "Datum", "Van", "Tot"],
        title_rows=(),
    )
    result = invoke("reconcile", actuals, "--ledger", tmp_path / "none.sqlite", *AS_OF)
    assert result.exit_code == 2
    assert "declare the roster first" in result.output


def test_web_channel_worksheet_and_import_commands(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    ledger = tmp_path / "l.sqlite"
    result = invoke(
        "declare",
        roster,
        "--ledger",
        ledger,
        "--out",
        tmp_path / "w",
        "--channel",
        "web",
        "--lang",
        "en",
        *AS_OF,
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "w" / "worksheet.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Period number") + 1, value="660740832001")
    sheet.cell(row=2, column=header.index("Status") + 1, value="Aanvaard")
    book.save(path)
    imported = invoke(
        "import",
        path,
        "--ledger",
        ledger,
        "--out",
        tmp_path / "i",
        "--as-of",
        "2026-06-28 13:10",
        "--lang",
        "en",
    )
    assert imported.exit_code == 0, imported.output
    receipts = list(openpyxl.load_workbook(tmp_path / "i" / "receipts.xlsx").active.values)
    assert receipts[1][0] == "660740832001"
    assert receipts[1][3] == "Accepted"


def test_import_of_something_else_is_a_usage_error(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    ledger = tmp_path / "l.sqlite"
    invoke(
        "declare", roster, "--ledger", ledger, "--out", tmp_path / "w", "--channel", "web", *AS_OF
    )
    result = invoke("import", roster, "--ledger", ledger, "--out", tmp_path / "i", *AS_OF)
    assert result.exit_code == 2
    assert "not a worksheet" in result.output
