"""A ledger the batch cannot use is one clear line and exit 2, with nothing written; an older
ledger is brought forward; a ledger another run holds is waited for, then given up."""

import itertools
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.identifiers import format_enterprise, format_insz
from batch.ledger import (
    MIGRATIONS,
    SCHEMA_V1,
    SCHEMA_VERSION,
    Ledger,
    LedgerError,
    chained_checks,
    checked_stamp,
)
from batch.pipeline import declare
from tests.conftest import AN, JAN, at, shift, write_roster

DATA = Path(__file__).parent / "data"
AS_OF = ["--as-of", "2026-06-28 12:00"]


def invoke(*args):
    """The command in English (the terminal speaks Dutch by default), unless it names --lang."""
    args = [str(a) for a in args]
    return CliRunner().invoke(main, args if "--lang" in args else [*args, "--lang", "en"])


def roster(tmp_path):
    rows = [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-30", "10:00", "14:00", JAN)]
    return write_roster(tmp_path / "r.xlsx", rows)


def a_ledger(tmp_path) -> Path:
    """A real ledger of two declared shifts, and its bytes."""
    path = tmp_path / "good.sqlite"
    declare([roster(tmp_path)], ledger=path, out=tmp_path / "first", as_of=at("2026-06-28 12:00"))
    return path


def refused(tmp_path, ledger: Path, *extra) -> str:
    """Declare on `ledger`: exit 2, one line, neither the ledger nor a report written."""
    before = ledger.read_bytes() if ledger.exists() else None
    out = tmp_path / "out"
    result = invoke("declare", roster(tmp_path), "--ledger", ledger, "--out", out, *AS_OF, *extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert (ledger.read_bytes() if ledger.exists() else None) == before
    assert not out.exists()
    lines = result.output.strip().splitlines()
    return " ".join(line.strip() for line in lines)  # rich wraps one long line at 80 columns


def test_a_text_file_is_not_a_ledger(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    ledger.write_text("period;insz\n1;93051822361\n")
    assert refused(tmp_path, ledger) == (
        f"error: {ledger} is not a dimona-batch ledger (not an SQLite file)"
    )


def test_a_png_is_not_a_ledger(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    ledger.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert "is not a dimona-batch ledger (not an SQLite file)" in refused(tmp_path, ledger)


def test_another_sqlite_database_is_not_a_ledger(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    db = sqlite3.connect(ledger)
    db.execute("CREATE TABLE invoices (number TEXT)")
    db.commit()
    db.close()
    text = refused(tmp_path, ledger)
    assert text == (
        f"error: {ledger} is an SQLite database but not a dimona-batch ledger (tables invoices)"
    )


def test_a_truncated_ledger_is_damaged(tmp_path):
    ledger = a_ledger(tmp_path)
    data = ledger.read_bytes()
    assert len(data) > 8192
    ledger.write_bytes(data[: len(data) // 2])
    text = refused(tmp_path, ledger)
    assert text.startswith(f"error: the ledger {ledger} is damaged: ")


def test_a_ledger_with_overwritten_pages_is_damaged(tmp_path):
    ledger = a_ledger(tmp_path)
    data = bytearray(ledger.read_bytes())
    page = 4096
    data[3 * page : 3 * page + 2000] = b"\xff" * 2000  # a page of a table's b-tree
    ledger.write_bytes(bytes(data))
    text = refused(tmp_path, ledger)
    assert text.startswith(f"error: the ledger {ledger} is damaged: ")
    assert "\n" not in text


def test_a_ledger_left_by_a_run_is_not_read_whole_again_but_one_changed_since_is(tmp_path):
    """The integrity check reads every page (seconds on a long history): a ledger exactly as
    our last run left it skips it; any other change to the file brings it back."""
    ledger = a_ledger(tmp_path)
    stamp = checked_stamp(ledger)
    status = ledger.stat()
    assert stamp.read_text() == f"{status.st_ino} {status.st_size} {status.st_mtime_ns}\n"
    assert stamp.stat().st_mode & 0o777 == 0o600

    data = bytearray(ledger.read_bytes())
    data[3 * 4096 : 3 * 4096 + 2000] = b"\xff" * 2000
    ledger.write_bytes(bytes(data))
    # The same damage with the file's stamp put back as it was: taken for our own file,
    # the ledger opens without its pages being read (the check is skipped, as promised) ...
    os.utime(ledger, ns=(status.st_atime_ns, status.st_mtime_ns))
    Ledger(ledger).connection.close()
    # ... while any real change (here: the bytes written again) is checked and refused.
    ledger.write_bytes(bytes(data))
    assert refused(tmp_path, ledger).startswith(f"error: the ledger {ledger} is damaged: ")
    assert stamp.read_text() == f"{status.st_ino} {status.st_size} {status.st_mtime_ns}\n"


def test_a_ledger_of_a_newer_dimona_batch_is_refused(tmp_path):
    ledger = a_ledger(tmp_path)
    db = sqlite3.connect(ledger)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    assert refused(tmp_path, ledger) == (
        f"error: the ledger {ledger} was made by a newer dimona-batch (schema"
        f" {SCHEMA_VERSION + 1}; this one knows up to {SCHEMA_VERSION}): upgrade dimona-batch"
    )


def test_a_folder_is_not_a_ledger(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    ledger.mkdir()
    result = invoke("declare", roster(tmp_path), "--ledger", ledger, "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_new_ledger_is_private_and_has_the_current_version(tmp_path):
    ledger = tmp_path / "books" / "2026" / "ledger.sqlite"
    declare([roster(tmp_path)], ledger=ledger, out=tmp_path / "o", as_of=at("2026-06-28 12:00"))
    assert ledger.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "books").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "books" / "2026").stat().st_mode & 0o777 == 0o700
    db = sqlite3.connect(ledger)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    columns = {row[1] for row in db.execute("PRAGMA table_info(batches)")}
    assert "receipts_written" in columns


def test_between_runs_the_ledger_is_one_file_and_while_open_its_log_is_private(tmp_path):
    """Commits go to `<ledger>-wal` (write-ahead log) while a run has the ledger open; when the
    run closes it, the log is folded back: a copy of the one file holds every batch."""
    ledger = tmp_path / "ledger.sqlite"
    declare([roster(tmp_path)], ledger=ledger, out=tmp_path / "o", as_of=at("2026-06-28 12:00"))
    log, shared = (ledger.with_name(f"ledger.sqlite{suffix}") for suffix in ("-wal", "-shm"))
    assert not log.exists() and not shared.exists()
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(ledger.read_bytes())
    db = sqlite3.connect(copy)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT count(*) FROM periods").fetchone() == (2,)
    db.close()
    with Ledger(ledger) as book:
        assert book.count("declarations") == 2
        assert log.stat().st_mode & 0o777 == 0o600
    assert not log.exists()


# --- migrations -------------------------------------------------------------------------


def v0_ledger(tmp_path) -> Path:
    """The ledger `dimona-batch demo` made at 0.1.0 (schema 1, user_version 0), restored."""
    path = tmp_path / "v0.sqlite"
    db = sqlite3.connect(path)
    db.executescript((DATA / "ledger-v0.sql").read_text())
    db.close()
    return path


def test_a_ledger_of_0_1_0_is_migrated_in_one_transaction(tmp_path):
    path = v0_ledger(tmp_path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    before = {t: db.execute(f"SELECT * FROM {t}").fetchall() for t in ("periods", "declarations")}
    db.close()
    with Ledger(path) as book:
        assert book.version() == SCHEMA_VERSION
        # Nothing lost, nothing changed; batches of 0.1.0 count as having their receipts.
        for table, rows in before.items():
            now = book.connection.execute(f"SELECT * FROM {table}").fetchall()
            assert [tuple(r)[: len(rows[0])] for r in now] == rows
        assert book.receipt_batches() == [1, 2, 3]
        assert book.receipt_batches(unwritten=True) == []
        assert len(book.periods(include_cancelled=True)) == len(before["periods"]) == 61


def test_a_ledger_of_schema_5_gets_the_indexes_of_step_6_and_keeps_its_rows(tmp_path):
    """Step 6 only adds indexes: what a run asks of a batch (its receipts) and of the INs
    answered S stops scanning the whole log, whatever the ledger's history."""
    path = a_ledger(tmp_path)
    added = ("declarations_by_batch", "answers_by_batch", "outbox_answered_pending")
    db = sqlite3.connect(path)
    for name in added:
        db.execute(f"DROP INDEX {name}")
    db.execute("PRAGMA user_version = 5")
    db.commit()
    tables = ("batches", "periods", "declarations", "answers", "outbox")
    before = {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    db.close()
    with Ledger(path) as book:
        assert book.version() == SCHEMA_VERSION
        db = book.connection
        for table, rows in before.items():
            assert [tuple(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY rowid")] == rows
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert indexes >= set(added)
        plans = {
            "SELECT * FROM declarations WHERE batch_id = 1": "declarations_by_batch",
            "SELECT * FROM answers WHERE batch_id = 1": "answers_by_batch",
            "SELECT * FROM outbox WHERE kind = 'IN' AND result = 'S'": "outbox_answered_pending",
        }
        for sql, index in plans.items():
            assert index in " ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert book.receipt_batches() == [1]
        assert [d.worker.insz for d in book.receipts(1)] == [AN, JAN]
    again = declare(
        [roster(tmp_path)], ledger=path, out=tmp_path / "o", as_of=at("2026-06-28 12:00")
    )
    assert len(again.plan.unchanged) == 2 and not again.plan.operations


# --- step 7: a CHECK of a list of values written as a chain of `=` ----------------------

SCRIPTS = "\n".join([SCHEMA_V1, *MIGRATIONS.values()])


def created(script: str) -> dict[str, str]:
    """Each CREATE TABLE of a script, by table."""
    found = re.finditer(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+) \((.*?)\n\);", script, re.S)
    return {m[1]: m[0] for m in found}


def allowed(sql: str) -> dict[str, set[str]]:
    """column -> the values its CHECK allows, written as a list or as a chain of `=`."""
    found = {
        m[1]: set(re.findall(r"'([^']*)'", m[2]))
        for m in re.finditer(r"(\w+) IN\s*\(([^)]*)\)", sql)
    }
    for chain in re.findall(r"CHECK \(((?:\w+ = '[^']*'(?: OR )?)+)\)", sql):
        pairs = re.findall(r"(\w+) = '([^']*)'", chain)
        found[pairs[0][0]] = {value for _, value in pairs}
    return found


def test_every_check_of_a_list_becomes_a_chain_allowing_the_same_values(tmp_path):
    """A ledger of 0.1.0 and a new one: no list left in a CHECK, each allowing what it did."""
    listed = {table: allowed(sql) for table, sql in created(SCRIPTS).items()}
    assert {t: set(c) for t, c in listed.items() if c} == {
        "periods": {"status"},
        "declarations": {"kind", "result"},
        "answers": {"result"},
        "worksheet": {"kind", "state"},
        "outbox": {"kind", "state", "result"},
    }
    assert listed["outbox"]["state"] == {
        "to send",
        "sending",
        "sent",
        "answered",
        "refused",
        "adopted",
    }
    for path in (v0_ledger(tmp_path), tmp_path / "new.sqlite"):
        Ledger(path).close()
        db = sqlite3.connect(path)
        now = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        assert not [t for t, sql in now.items() if re.search(r"CHECK \(\w+ IN", sql)]
        assert {t: allowed(now[t]) for t in listed} == listed
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.close()


@pytest.mark.parametrize("table", ["periods", "declarations", "answers", "worksheet", "outbox"])
def test_a_chained_check_refuses_and_allows_what_sqlite_s_list_did(table):
    """SQLite itself is the judge: the table as the schema wrote it and as step 7 writes it
    take or refuse the same values, each listed one, its other case, others, '' and NULL."""
    sql = created(SCRIPTS)[table]
    db = sqlite3.connect(":memory:")
    db.execute(re.sub(r"CREATE TABLE (IF NOT EXISTS )?\w+", "CREATE TABLE listed", sql))
    chained = chained_checks(sql)
    assert chained != sql
    db.execute(re.sub(r"CREATE TABLE (IF NOT EXISTS )?\w+", "CREATE TABLE chained", chained))
    columns = [row[1] for row in db.execute("PRAGMA table_info(listed)")]
    checks = allowed(sql)
    valid = {column: min(values) for column, values in checks.items()}  # for the others
    rows = itertools.count()
    for column, values in checks.items():
        tries = [*values, *(v.swapcase() for v in values), "bogus", "", None]
        for value in tries:
            verdicts = []
            for name in ("listed", "chained"):
                serial = next(rows)  # a key of its own for each row
                row = {c: value if c == column else valid.get(c, serial) for c in columns}
                marks = ", ".join("?" * len(columns))
                try:
                    db.execute(f"INSERT INTO {name} VALUES ({marks})", list(row.values()))
                    verdicts.append("taken")
                except sqlite3.IntegrityError as error:
                    verdicts.append(str(error).split(":")[0])
            assert verdicts[0] == verdicts[1], (table, column, value, verdicts)
            assert (verdicts[0] == "taken") == (value in values or value is None) or (
                value is None and verdicts[0] == "NOT NULL constraint failed"
            ), (column, value, verdicts)


def test_on_a_migrated_ledger_a_state_outside_the_list_is_still_refused(tmp_path):
    path = v0_ledger(tmp_path)
    result = declare(
        [roster(tmp_path)], ledger=path, out=tmp_path / "o", as_of=at("2026-06-28 12:00")
    )
    assert len(result.filed) == 2
    db = sqlite3.connect(path)
    for sql in (
        "UPDATE outbox SET state = 'bogus'",
        "UPDATE outbox SET state = 'Sent'",
        "UPDATE periods SET status = 'bogus'",
        "UPDATE outbox SET result = 'X'",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            db.execute(sql)
    db.execute("UPDATE outbox SET state = 'adopted'")  # a listed value is taken
    db.rollback()


def test_step_8_leads_the_guard_with_the_start_and_every_look_up_keeps_its_index(tmp_path):
    """Step 8: the one-live-period guard leads with the start (a run's new periods go at the
    end of it, whatever the history), the indexes by worker no query chose are gone, and the
    plan's, the office's and the guard's queries still each use an index."""
    for path in (v0_ledger(tmp_path), tmp_path / "new.sqlite"):
        declare([roster(tmp_path)], ledger=path, out=tmp_path / "o", as_of=at("2026-06-28 12:00"))
        db = sqlite3.connect(path)
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert not names & {"periods_by_worker", "outbox_by_worker"}
        guard = [r[2] for r in db.execute("PRAGMA index_info('one_live_period')")]
        assert guard == ["declared_start", "enterprise_number", "worker_key"]
        (sql,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'one_live_period'"
        ).fetchone()
        assert sql.startswith("CREATE UNIQUE INDEX") and sql.endswith("WHERE status != 'cancelled'")
        plans = {
            "SELECT * FROM periods WHERE status != 'cancelled' AND work_day >= '2026-06-29'"
            " AND work_day <= '2026-07-05' AND enterprise_number IN ('0566988259')": (
                "periods_by_employer_day"
            ),
            f"SELECT * FROM periods p WHERE p.worker_key = '{AN}' AND p.enterprise_number"
            " = '0566988259'": "periods_by_worker_day",
            "SELECT * FROM periods WHERE declared_start = '2026-06-29T10:00:00+02:00' AND"
            f" enterprise_number = '0566988259' AND worker_key = '{AN}'"
            " AND status != 'cancelled'": "one_live_period",
        }
        for query, index in plans.items():
            assert index in " ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {query}"))
        row = db.execute("SELECT * FROM periods WHERE status = 'active'").fetchone()
        marks = ",".join("?" * len(row))
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            db.execute(f"INSERT INTO periods VALUES ({marks})", ("999999999999", *row[1:]))
        status = [r[1] for r in db.execute("PRAGMA table_info(periods)")].index("status")
        gone = ("999999999998", *row[1:status], "cancelled", *row[status + 1 :])
        db.execute(f"INSERT INTO periods VALUES ({marks})", gone)  # a cancelled one is no clash
        db.rollback()
        db.close()


def test_a_migration_that_fails_leaves_the_old_ledger(tmp_path):
    path = v0_ledger(tmp_path)
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE answers ADD COLUMN details TEXT")  # the last step will clash
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(sqlite3.OperationalError, match="duplicate column"):
        Ledger(path)
    assert path.read_bytes() == before
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    assert "receipts_written" not in {r[1] for r in db.execute("PRAGMA table_info(batches)")}


def test_schema_1_as_0_1_0_ran_it_then_a_declare_on_it(tmp_path):
    """0.1.0 ran its schema script on every open; a ledger it made is migrated and used."""
    path = tmp_path / "l.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V1)
    db.close()
    result = declare(
        [roster(tmp_path)], ledger=path, out=tmp_path / "o", as_of=at("2026-06-28 12:00")
    )
    assert len(result.filed) == 2
    with Ledger(path) as book:
        assert book.version() == SCHEMA_VERSION
        assert [d.worker.insz for d in book.receipts(1)] == [AN, JAN]


def test_receipts_of_a_0_1_0_batch_are_written_again_as_0_1_0_wrote_them(tmp_path):
    path = v0_ledger(tmp_path)
    out = tmp_path / "again"
    result = invoke("receipts", "--batch", 1, "--ledger", path, "--out", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    written = list(openpyxl.load_workbook(out / "receipts-batch-1.xlsx").active.values)
    original = list(openpyxl.load_workbook(DATA / "ledger-v0-receipts-batch-1.xlsx").active.values)
    assert len(written) == 50
    # the same receipts; only the enterprise number and INSZ are now shown with their dots
    dotted = {8: format_enterprise, 11: format_insz}
    shown = [
        tuple(dotted[i](v) if i in dotted and n else v for i, v in enumerate(row))
        for n, row in enumerate(original)
    ]
    assert written == shown


# --- one run per ledger at a time -------------------------------------------------------

HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def hold(ledger: Path, seconds: float) -> subprocess.Popen:
    """A second process that holds the ledger's write lock, as a running batch does."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ledger), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_ledger_held_longer_than_the_wait_is_given_up(tmp_path):
    ledger = a_ledger(tmp_path)
    holder = hold(ledger, 30)
    try:
        started = time.monotonic()
        text = refused(tmp_path, ledger, "--wait", "1")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert text == (
        "waiting for the ledger: another run holds it "
        f"error: the ledger {ledger} is held by another run; gave up after waiting 1 s (--wait)"
    )
    assert waited < 20


def test_a_ledger_of_the_journal_days_held_by_another_run_is_waited_for_then_given_up(tmp_path):
    """A ledger still on a rollback journal (as runs before the write-ahead log left it) is
    switched when opened; another run holding it then means waiting, not an error."""
    ledger = a_ledger(tmp_path)
    db = sqlite3.connect(ledger)
    assert db.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
    db.close()
    holder = hold(ledger, 30)
    try:
        text = refused(tmp_path, ledger, "--wait", "1")
    finally:
        holder.kill()
        holder.wait()
    assert text == (
        f"error: the ledger {ledger} is held by another run; gave up after waiting 1 s (--wait)"
    )
    with Ledger(ledger) as book:
        assert book.count("declarations") == 2
    assert sqlite3.connect(ledger).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_run_waits_for_the_other_run_then_goes_on(tmp_path):
    ledger = a_ledger(tmp_path)
    holder = hold(ledger, 1.5)
    try:
        result = invoke(
            "declare",
            write_roster(tmp_path / "r2.xlsx", [shift("2026-07-07", "10:00", "14:00")]),
            "--ledger",
            ledger,
            "--out",
            tmp_path / "out",
            *AS_OF,
            "--wait",
            "30",
        )
    finally:
        holder.wait()
    assert result.exit_code == 0, result.output
    assert "waiting for the ledger: another run holds it" in result.output
    with Ledger(ledger) as book:
        assert book.count("declarations") == 3


def test_the_library_raises_ledger_error_when_held(tmp_path):
    ledger = a_ledger(tmp_path)
    told = []
    holder = hold(ledger, 30)
    try:
        with pytest.raises(LedgerError, match="held by another run"):
            declare(
                [write_roster(tmp_path / "r2.xlsx", [shift("2026-07-07", "10:00", "14:00")])],
                ledger=ledger,
                out=tmp_path / "o",
                as_of=at("2026-06-28 12:00"),
                wait=0.5,
                notify=told.append,
            )
    finally:
        holder.kill()
        holder.wait()
    assert told == ["waiting for the ledger: another run holds it"]
