"""Receipts are never lost: they are a view of the ledger, written again for any batch."""

import datetime as dt
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from batch.cli import main
from batch.identifiers import format_insz
from tests.conftest import AN, HEADER, JAN, shift, write_roster

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
IDENTIFICATION_NL = [
    "Geboortedatum",
    "Geboorteplaats",
    "Geslacht",
    "Straat",
    "Huisnummer",
    "Bus",
    "Postcode",
    "Gemeente",
]
ELISE = [dt.date(1999, 3, 4), "Gent", "V", "Kerkstraat", 12, None, 9000, "Gent"]


def invoke(*args):
    """The command in English (the terminal speaks Dutch by default), unless it names --lang."""
    args = [str(a) for a in args]
    return CliRunner().invoke(main, args if "--lang" in args else [*args, "--lang", "en"])


def cells(path: Path) -> list[tuple]:
    return list(openpyxl.load_workbook(path).active.values)


def same_receipts(written: Path, again: Path) -> None:
    """The same receipts: every cell of the workbook, every byte of the page."""
    assert cells(written.with_suffix(".xlsx")) == cells(again.with_suffix(".xlsx"))
    assert written.with_suffix(".html").read_bytes() == again.with_suffix(".html").read_bytes()


def run(command, inputs, ledger, out, as_of, *extra):
    return invoke(command, inputs, "--ledger", ledger, "--out", out, "--as-of", as_of, *extra)


def week(tmp_path, name="r.xlsx", day="2026-06-29", unknown=True):
    """Two workers with an INSZ and one without (filed S, answered A on the next run)."""
    header = [*HEADER, *IDENTIFICATION_NL]
    rows = [
        [*shift(day, "10:00", "14:00"), *[None] * 8],
        [*shift(day, "12:00", "18:00", JAN, last="Janssens", first="Jan"), *[None] * 8],
        [*shift(day, "17:00", "23:00", None, last="Dupré", first="Élise"), *ELISE],
    ]
    return write_roster(tmp_path / name, rows if unknown else rows[:2], header=header)


def test_receipts_written_again_are_those_the_runs_wrote(tmp_path):
    ledger = tmp_path / "l.sqlite"
    first = run("declare", week(tmp_path), ledger, tmp_path / "1", "2026-06-28 12:00")
    assert first.exit_code == 0, first.output
    assert "batch 1 recorded in the ledger" in first.output
    # The next week: the worker without INSZ is identified meanwhile (a later answer).
    second = run(
        "declare",
        week(tmp_path, "r2.xlsx", "2026-07-06"),
        ledger,
        tmp_path / "2",
        "2026-07-05 12:00",
    )
    assert second.exit_code == 0, second.output
    again = tmp_path / "again"
    for batch in (1, 2):
        result = invoke("receipts", "--batch", batch, "--ledger", ledger, "--out", again)
        assert result.exit_code == 0, result.output
        assert f"wrote {again}/receipts-batch-{batch}.xlsx (batch {batch})" in result.output
        same_receipts(tmp_path / str(batch) / "receipts.html", again / f"receipts-batch-{batch}")
    rows = cells(again / "receipts-batch-2.xlsx")
    # the answer to the pending IN of batch 1, then the three INs of the new week
    assert [r[3] for r in rows[1:]] == ["Accepted"] * 3 + ["Pending"]
    assert rows[1][4] == "SBX-IDENTIFIED: worker identified by SIGeDIS"


def test_the_sample_week_in_every_language(tmp_path):
    ledger = tmp_path / "l.sqlite"
    steps = [
        ("declare", "roster-week27.xlsx", "2026-06-28 12:00"),
        ("declare", "roster-week27-v2.xlsx", "2026-06-29 09:00"),
        ("reconcile", "actuals-week27.xlsx", "2026-07-01 01:00"),
    ]
    for n, (command, sample, as_of) in enumerate(steps, start=1):
        lang = ("nl", "fr", "en")[n - 1]
        result = run(command, SAMPLES / sample, ledger, tmp_path / str(n), as_of, "--lang", lang)
        assert result.exit_code == 1, result.output  # the samples hold rejected rows
        again = invoke(
            "receipts", "--batch", n, "--ledger", ledger, "--out", tmp_path / "a", "--lang", lang
        )
        assert again.exit_code == 0, again.output
        same_receipts(tmp_path / str(n) / "receipts.html", tmp_path / "a" / f"receipts-batch-{n}")
    assert len(cells(tmp_path / "a" / "receipts-batch-1.xlsx")) > 40


def test_receipts_lost_to_an_unwritable_out_come_with_the_next_run(tmp_path):
    ledger = tmp_path / "l.sqlite"
    roster = week(tmp_path, unknown=False)
    out = tmp_path / "out"
    (out / "receipts.xlsx").mkdir(parents=True)  # a folder in the way of the receipts
    failed = run("declare", roster, ledger, out, "2026-06-28 12:00")
    assert failed.exit_code == 1
    text = " ".join(failed.output.split())
    assert (
        "batch 1 is committed in the ledger (2 declaration(s) filed), but its reports could not"
        f" be written: Is a directory: {out}/receipts.xlsx" in text
    )
    assert (
        "Its receipts will be written by the next run on this ledger, or now with:"
        f" dimona-batch receipts --batch 1 --out DIR --ledger {ledger}" in text
    )
    assert "Traceback" not in failed.output
    assert sorted(p.name for p in out.iterdir()) == ["receipts.xlsx"]  # no temporary left
    db = sqlite3.connect(ledger)
    assert db.execute("SELECT COUNT(*) FROM declarations").fetchone()[0] == 2
    assert db.execute("SELECT receipts_written FROM batches").fetchall() == [(0,)]
    db.close()

    # The same roster again: nothing new to file, but the receipts of batch 1 are written.
    later = run("declare", roster, ledger, tmp_path / "later", "2026-06-28 12:30")
    assert later.exit_code == 0, later.output
    text = " ".join(later.output.split())
    assert (
        "batch 1: its receipts had not been written; now in receipts-batch-1.xlsx,"
        " receipts-batch-1.html" in text
    )
    assert "nothing filed: no receipts written" in text
    assert sorted(p.name for p in (tmp_path / "later").iterdir()) == [
        "receipts-batch-1.html",
        "receipts-batch-1.xlsx",
        "validation.html",
        "validation.xlsx",
    ]
    # What a run that could write would have written (a ledger of its own, the same numbers).
    reference = run(
        "declare", roster, tmp_path / "ref.sqlite", tmp_path / "ref", "2026-06-28 12:00"
    )
    assert reference.exit_code == 0
    same_receipts(tmp_path / "ref" / "receipts.html", tmp_path / "later" / "receipts-batch-1")
    rows = cells(tmp_path / "later" / "receipts-batch-1.xlsx")
    assert [r[11] for r in rows[1:]] == [format_insz(AN), format_insz(JAN)]

    # Written once: the run after that writes them no more; `receipts` writes them any time.
    third = run("declare", roster, ledger, tmp_path / "third", "2026-06-28 13:00")
    assert "receipts-batch-1" not in third.output
    assert not list((tmp_path / "third").glob("receipts*"))
    result = invoke("receipts", "--batch", "1", "--ledger", ledger, "--out", tmp_path / "any")
    assert result.exit_code == 0
    same_receipts(tmp_path / "ref" / "receipts.html", tmp_path / "any" / "receipts-batch-1")


def test_a_run_that_files_nothing_keeps_the_earlier_receipts(tmp_path):
    ledger = tmp_path / "l.sqlite"
    roster = week(tmp_path)
    out = tmp_path / "out"
    assert run("declare", roster, ledger, out, "2026-06-28 12:00").exit_code == 0
    before = (out / "receipts.xlsx").read_bytes(), (out / "receipts.html").read_bytes()
    assert len(cells(out / "receipts.xlsx")) == 4
    again = run("declare", roster, ledger, out, "2026-06-28 12:30")
    # The pending IN is answered now: that is filed news, with receipts of its own.
    assert again.exit_code == 0 and len(cells(out / "receipts.xlsx")) == 2
    before = (out / "receipts.xlsx").read_bytes(), (out / "receipts.html").read_bytes()
    quiet = run("declare", roster, ledger, out, "2026-06-28 13:00")
    assert quiet.exit_code == 0, quiet.output
    assert ((out / "receipts.xlsx").read_bytes(), (out / "receipts.html").read_bytes()) == before
    text = " ".join(quiet.output.split())
    assert (
        "nothing filed: no receipts written; to write earlier receipts again:"
        f" dimona-batch receipts --batch 2 --out DIR --ledger {ledger}" in text
    )
    assert f"wrote {out}/receipts" not in quiet.output


def test_receipts_of_a_batch_that_filed_nothing_or_does_not_exist(tmp_path):
    ledger = tmp_path / "l.sqlite"
    roster = week(tmp_path)
    run("declare", roster, ledger, tmp_path / "o", "2026-06-28 12:00")
    run("declare", roster, ledger, tmp_path / "o", "2026-06-28 12:30")
    run("declare", roster, ledger, tmp_path / "o", "2026-06-28 13:00")
    for batch, why in ((3, "filed nothing"), (9, "is not in the ledger")):
        result = invoke("receipts", "--batch", batch, "--ledger", ledger, "--out", tmp_path / "x")
        assert result.exit_code == 2
        assert result.output.strip() == (f"error: batch {batch} {why}; batches with receipts: 1-2")
    assert not (tmp_path / "x").exists()
    latest = invoke("receipts", "--ledger", ledger, "--out", tmp_path / "x")
    assert latest.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == [
        "receipts-batch-2.html",
        "receipts-batch-2.xlsx",
    ]
    missing = invoke("receipts", "--batch", 1, "--ledger", tmp_path / "none.sqlite")
    assert missing.exit_code == 2
    assert missing.output == f"error: ledger {tmp_path}/none.sqlite not found\n"


def test_an_out_that_is_a_file_stops_the_run_before_it_files(tmp_path):
    ledger = tmp_path / "l.sqlite"
    (tmp_path / "reports").write_text("not a folder")
    result = run(
        "declare", week(tmp_path), ledger, tmp_path / "reports" / "week27", "2026-06-28 12:00"
    )
    assert result.exit_code == 2
    assert " ".join(result.output.split()) == (
        f"error: --out {tmp_path}/reports/week27 cannot be written: a file is in the way:"
        f" {tmp_path}/reports"
    )
    assert not ledger.exists()


def test_receipts_of_an_import_from_the_web_form_written_again(tmp_path):
    roster = write_roster(
        tmp_path / "r.xlsx",
        [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-29", "11:00", "15:00", JAN)],
    )
    ledger = tmp_path / "l.sqlite"
    queued = run(
        "declare", roster, ledger, tmp_path / "w", "2026-06-28 12:00", "--channel", "web",
        "--lang", "nl",
    )  # fmt: skip
    assert queued.exit_code == 0, queued.output
    # queued on the worksheet, no receipts yet: the channel says so, not "no receipts written"
    assert "2 op het werkblad gezet, niets ingediend" in queued.output
    assert "geen ontvangstbewijzen" not in queued.output
    path = tmp_path / "w" / "worksheet.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    typed = [("660740832001", "Aanvaard"), ("", "Geweigerd")]
    for row, (period, status) in enumerate(typed, start=2):
        sheet.cell(row=row, column=header.index("Periodenummer") + 1, value=period or None)
        sheet.cell(row=row, column=header.index("Status") + 1, value=status)
    book.save(path)
    imported = run("import", path, ledger, tmp_path / "i", "2026-06-28 13:10", "--lang", "nl")
    assert imported.exit_code == 1, imported.output  # the refused one needs a person
    again = invoke(
        "receipts", "--batch", 2, "--ledger", ledger, "--out", tmp_path / "a", "--lang", "nl"
    )
    assert again.exit_code == 0, again.output
    same_receipts(tmp_path / "i" / "receipts.html", tmp_path / "a" / "receipts-batch-2")
    rows = cells(tmp_path / "a" / "receipts-batch-2.xlsx")
    assert [(r[0], r[3], r[11]) for r in rows[1:]] == [
        ("660740832001", "Aanvaard", format_insz(AN)),
        (None, "Geweigerd", format_insz(JAN)),
    ]


def test_a_run_killed_after_its_batch_was_committed_loses_no_receipt(tmp_path):
    """Killed for real (SIGKILL) as soon as its batch is in the ledger, while it renders."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    roster, ledger, out = tmp_path / "r.xlsx", tmp_path / "l.sqlite", tmp_path / "out"
    generate.generate_roster(roster, 600, employers=7)
    command = [sys.executable, "-m", "batch", "declare", str(roster), "--ledger", str(ledger)]
    command += ["--out", str(out), "--as-of", "2026-06-28 12:00"]
    victim = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        filed = committed(ledger, victim)
    finally:
        victim.kill()
        victim.wait()
    assert filed > 500
    db = sqlite3.connect(ledger)
    (written,) = db.execute("SELECT receipts_written FROM batches").fetchone()
    db.close()

    later = run("declare", roster, ledger, out, "2026-06-28 12:30")
    assert later.exit_code == 0, later.output
    assert "nothing filed" in later.output
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]
    if written:  # killed after its receipts were in place: they are complete
        shown = cells(out / "receipts.xlsx")
    else:  # killed before: the next run wrote them
        assert "batch 1: its receipts had not been written" in later.output
        shown = cells(out / "receipts-batch-1.xlsx")
    assert len(shown) == filed + 1


def committed(ledger: Path, victim: subprocess.Popen) -> int:
    """Wait until the run's filing is committed (answers are logged a group at a time:
    every operation answered); the number of declarations it filed."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and victim.poll() is None:
        if ledger.exists():
            db = sqlite3.connect(ledger, timeout=5)
            try:
                found = db.execute("SELECT COUNT(*) FROM declarations").fetchone()[0]
                waiting = db.execute(
                    "SELECT COUNT(*) FROM outbox WHERE state IN ('to send', 'sending', 'sent')"
                ).fetchone()[0]
            except sqlite3.OperationalError:  # not yet created
                found, waiting = 0, 0
            finally:
                db.close()
            if found and not waiting:
                return found
        time.sleep(0.01)
    raise AssertionError("the run ended or never committed its batch")


def test_a_dry_run_whose_reports_cannot_be_written_is_a_usage_error(tmp_path):
    ledger = tmp_path / "l.sqlite"
    roster = week(tmp_path, unknown=False)
    assert run("declare", roster, ledger, tmp_path / "o", "2026-06-28 12:00").exit_code == 0
    before = ledger.read_bytes()
    out = tmp_path / "dry"
    (out / "validation.xlsx").mkdir(parents=True)
    result = run("declare", roster, ledger, out, "2026-06-28 12:30", "--dry-run")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"error: --out {out} cannot be written: Is a directory: {out}/validation.xlsx"
    )
    assert ledger.read_bytes() == before
