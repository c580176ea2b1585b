"""Reports with INSZ numbers are private (0600, folders 0700), temporaries of interrupted runs
are removed, and `--mask-insz` leaves no full INSZ in any report sent to a client."""

import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from batch.cli import main
from batch.identifiers import format_insz
from tests.conftest import AN, JAN, shift, write_roster

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BAD_INSZ = "93051822362"  # check digits wrong: rejected, shown in the validation report


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def roster(tmp_path):
    rows = [
        shift("2026-06-29", "10:00", "14:00"),
        shift("2026-06-29", "12:00", "18:00", JAN, last="Janssens", first="Jan"),
        shift("2026-06-30", "10:00", "14:00", BAD_INSZ, last="Fout", first="Piet"),
    ]
    return write_roster(tmp_path / "r.xlsx", rows)


def actuals(tmp_path):
    """The sample week's actual hours: updates, cancels and manual items on the sample roster."""
    return SAMPLES / "actuals-week27.xlsx"


def report_bytes(path: Path) -> bytes:
    """Everything a report holds: an xlsx unzipped (every part), a page as it is."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return b"".join(book.read(name) for name in book.namelist())
    return path.read_bytes()


def full_insz_in(data: bytes, numbers) -> list[str]:
    """The INSZ numbers found whole in `data`, written plain or the web form's way."""
    found = []
    for n in numbers:
        dotted = f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}"
        if n.encode() in data or dotted.encode() in data or n[6:].encode() in data:
            found.append(n)
    return found


def test_ledger_and_reports_are_private_and_created_folders_too(tmp_path):
    out = tmp_path / "clients" / "brasserie" / "week27"
    ledger = tmp_path / "l.sqlite"
    result = invoke("declare", roster(tmp_path), "--ledger", ledger, "--out", out)
    assert result.exit_code == 1, result.output
    assert ledger.stat().st_mode & 0o777 == 0o600
    for folder in (tmp_path / "clients", tmp_path / "clients" / "brasserie", out):
        assert folder.stat().st_mode & 0o777 == 0o700
    names = sorted(p.name for p in out.iterdir())
    assert names == ["receipts.html", "receipts.xlsx", "validation.html", "validation.xlsx"]
    for path in out.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_worksheet_and_corrections_are_private(tmp_path):
    ledger = tmp_path / "l.sqlite"
    web = invoke(
        "declare",
        roster(tmp_path),
        "--ledger",
        tmp_path / "w.sqlite",
        "--out",
        tmp_path / "w",
        "--channel",
        "web",
    )
    assert web.exit_code == 1
    for name in ("worksheet.xlsx", "worksheet.html"):
        assert (tmp_path / "w" / name).stat().st_mode & 0o777 == 0o600
    invoke(
        "declare",
        SAMPLES / "roster-week27.xlsx",
        "--ledger",
        ledger,
        "--out",
        tmp_path / "d",
        "--as-of",
        "2026-06-28 12:00",
    )
    reconciled = invoke(
        "reconcile",
        actuals(tmp_path),
        "--ledger",
        ledger,
        "--out",
        tmp_path / "c",
        "--as-of",
        "2026-07-01 01:00",
    )
    assert reconciled.exit_code == 1
    for name in ("corrections.xlsx", "corrections.html"):
        assert (tmp_path / "c" / name).stat().st_mode & 0o777 == 0o600


def test_temporaries_of_interrupted_runs_are_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    try:
        left = [
            out / ".receipts.xlsx.tmp-k2j4h_8s",  # named before the writer's pid was in it
            out / f".receipts.html.tmp-{dead.stdout.strip()}-a8d9f0q1",  # its writer is gone
        ]
        running = out / f".validation.xlsx.tmp-{sleeper.pid}-zz81kd0a"  # its writer runs
        mine = out / "notes.txt"
        for path in (*left, running, mine):
            path.write_text("half")
        # The Excel writer's scratch folder, rows spilled to disk by a writer that is gone.
        scratch = out / f".corrections.xlsx.tmp-{dead.stdout.strip()}-q0w9e8r7"
        scratch.mkdir()
        (scratch / "tmp4h2k1l9z").write_text(f"<row><c><is><t>{AN}</t></is></c></row>")
        result = invoke(
            "declare", roster(tmp_path), "--ledger", tmp_path / "l.sqlite", "--out", out
        )
        assert result.exit_code == 1
        assert sorted(p.name for p in out.iterdir()) == sorted(
            [
                running.name,
                "notes.txt",
                "receipts.html",
                "receipts.xlsx",
                "validation.html",
                "validation.xlsx",
            ]
        )
    finally:
        sleeper.kill()
        sleeper.wait()


def test_mask_insz_leaves_no_full_insz_in_receipts_corrections_and_validation(tmp_path):
    ledger = tmp_path / "l.sqlite"
    declared = invoke(
        "declare",
        SAMPLES / "roster-week27.xlsx",
        roster(tmp_path),
        "--ledger",
        ledger,
        "--out",
        tmp_path / "d",
        "--as-of",
        "2026-06-28 12:00",
        "--mask-insz",
        "--lang",
        "en",
    )
    assert declared.exit_code == 1, declared.output
    reconciled = invoke(
        "reconcile",
        actuals(tmp_path),
        "--ledger",
        ledger,
        "--out",
        tmp_path / "c",
        "--as-of",
        "2026-07-01 01:00",
        "--mask-insz",
        "--lang",
        "en",
    )
    assert reconciled.exit_code == 1, reconciled.output
    again = invoke(
        "receipts", "--batch", 1, "--ledger", ledger, "--out", tmp_path / "a", "--mask-insz"
    )
    assert again.exit_code == 0

    db = sqlite3.connect(ledger)
    numbers = {row[0] for row in db.execute("SELECT insz FROM periods") if row[0]}
    numbers |= {AN, JAN, BAD_INSZ}
    assert len(numbers) > 15
    # The ledger is never masked.
    assert AN in {row[0] for row in db.execute("SELECT insz FROM declarations")}
    reports = sorted(
        [*(tmp_path / "d").iterdir(), *(tmp_path / "c").iterdir(), *(tmp_path / "a").iterdir()]
    )
    assert {p.name for p in reports} >= {
        "receipts.xlsx",
        "receipts.html",
        "validation.xlsx",
        "validation.html",
        "corrections.xlsx",
        "corrections.html",
        "receipts-batch-1.xlsx",
        "receipts-batch-1.html",
    }
    for path in reports:
        data = report_bytes(path)
        assert full_insz_in(data, numbers) == [], path
    assert b"93.05.18-***.**" in report_bytes(tmp_path / "d" / "receipts.xlsx")
    assert b"93.05.18-***.**" in report_bytes(tmp_path / "d" / "receipts.html")
    assert b"93.05.18-***.**" in report_bytes(tmp_path / "a" / "receipts-batch-1.html")
    corrections = report_bytes(tmp_path / "c" / "corrections.html")
    assert len(re.findall(rb"\d\d\.\d\d\.\d\d-\*\*\*\.\*\*", corrections)) > 5
    # The rejected INSZ in the validation report's Value cell keeps only its birth date.
    problems = list(load_workbook(tmp_path / "d" / "validation.xlsx").active.values)
    values = [row[5] for row in problems if row[0] == "r.xlsx"]
    assert values == ["93.05.18-***.**"]


def test_the_worksheet_keeps_the_full_insz_even_when_masked(tmp_path):
    result = invoke(
        "declare",
        roster(tmp_path),
        "--ledger",
        tmp_path / "w.sqlite",
        "--out",
        tmp_path / "w",
        "--channel",
        "web",
        "--mask-insz",
        "--lang",
        "en",
    )
    assert result.exit_code == 1
    assert format_insz(AN).encode() in report_bytes(tmp_path / "w" / "worksheet.xlsx")
    assert full_insz_in(report_bytes(tmp_path / "w" / "validation.xlsx"), [BAD_INSZ]) == []


def test_help_says_what_mask_insz_masks():
    for command in ("declare", "reconcile", "import", "receipts", "demo"):
        result = invoke(command, "--help")
        text = " ".join(result.output.split())
        assert "--mask-insz" in text
        assert "93.05.18-***.**" in text
        assert "web-form worksheet (what a clerk types) always keep the full INSZ" in text
    text = " ".join(invoke("declare", "--help").output.split())
    assert "--wait SECONDS" in text and "[default: 120" in text
