"""The SQLite ledger: the one source of truth about what was declared.

`periods` holds each period's current state; `declarations` is an append-only log of every
declaration filed, with its REST v2 payload and the NSSO's answer; `answers` an append-only
log of later answers to them (a pending S resolved once SIGeDIS identified the worker).
A worker is keyed by `worker_key`: the INSZ, or for a worker without INSZ the key of name
and birth date (`model.identity_key`), the identification kept beside it as JSON.

A batch is one write transaction, taken before planning (so two runs on one ledger cannot
both declare a shift) and committed after recording: a crash leaves the ledger as it was
before the batch. A run that finds the ledger held waits for it (`wait` seconds), then gives up.

The schema has a version (`PRAGMA user_version`): ledgers of older versions are brought
forward in one transaction when opened; a ledger of a newer dimona-batch is refused. Ledgers
made before versions existed carry user_version 0 and hold schema 1.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import (
    BRUSSELS,
    Correction,
    Declaration,
    Employer,
    Kind,
    Operation,
    Period,
    PeriodStatus,
    References,
    Result,
    Worker,
    WorksheetItem,
    payload_text,
)
from ..settings import DEFAULT_WAIT
from . import outbox
from .outbox import _identification_text, _worker

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS batches (
    batch_id     INTEGER PRIMARY KEY,
    command      TEXT NOT NULL,
    as_of        TEXT NOT NULL,
    inputs       TEXT NOT NULL,
    channel      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS periods (
    period_id          TEXT PRIMARY KEY,
    enterprise_number  TEXT NOT NULL,
    nsso_number        TEXT NOT NULL DEFAULT '',
    employer_name      TEXT NOT NULL DEFAULT '',
    insz               TEXT NOT NULL,
    worker_key         TEXT NOT NULL,
    identification     TEXT,
    last_name          TEXT NOT NULL DEFAULT '',
    first_name         TEXT NOT NULL DEFAULT '',
    planned_start      TEXT NOT NULL,
    planned_end        TEXT NOT NULL,
    declared_start     TEXT NOT NULL,
    declared_end       TEXT NOT NULL,
    actual_start       TEXT,
    actual_end         TEXT,
    status             TEXT NOT NULL
                       CHECK (status IN ('active', 'pending', 'cancelled', 'to type')),
    channel            TEXT NOT NULL,
    employer_reference TEXT NOT NULL DEFAULT '',
    worker_reference   TEXT NOT NULL DEFAULT '',
    declaration_reference TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id),
    work_day           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS periods_by_employer_day ON periods (enterprise_number, work_day);
CREATE INDEX IF NOT EXISTS periods_by_worker ON periods (enterprise_number, worker_key);
CREATE INDEX IF NOT EXISTS periods_by_status ON periods (status, channel);
-- One worker cannot hold two live periods starting at the same minute for one employer:
-- the last guard against a declaration filed twice.
CREATE UNIQUE INDEX IF NOT EXISTS one_live_period
    ON periods (enterprise_number, worker_key, declared_start) WHERE status != 'cancelled';
CREATE TABLE IF NOT EXISTS declarations (
    declaration_id     TEXT PRIMARY KEY,
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id),
    kind               TEXT NOT NULL CHECK (kind IN ('IN', 'UPDATE', 'CANCEL')),
    result             TEXT NOT NULL CHECK (result IN ('A', 'W', 'B', 'S')),
    anomalies          TEXT NOT NULL DEFAULT '',
    period_id          TEXT,
    sent_at            TEXT NOT NULL,
    start              TEXT NOT NULL,
    end                TEXT NOT NULL,
    enterprise_number  TEXT NOT NULL,
    insz               TEXT NOT NULL,
    late               INTEGER NOT NULL DEFAULT 0,
    channel            TEXT NOT NULL,
    source             TEXT NOT NULL DEFAULT '',
    payload            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS declarations_by_period ON declarations (period_id);
-- Later answers to a declaration (S resolved to A, W or B), in the order they came.
CREATE TABLE IF NOT EXISTS answers (
    declaration_id     TEXT NOT NULL REFERENCES declarations(declaration_id),
    result             TEXT NOT NULL CHECK (result IN ('A', 'W', 'B', 'S')),
    anomalies          TEXT NOT NULL DEFAULT '',
    answered_at        TEXT NOT NULL,
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id)
);
CREATE INDEX IF NOT EXISTS answers_by_declaration ON answers (declaration_id);
-- Declarations waiting to be typed in the web form, one worksheet row each.
CREATE TABLE IF NOT EXISTS worksheet (
    key                TEXT PRIMARY KEY,
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id),
    kind               TEXT NOT NULL CHECK (kind IN ('IN', 'UPDATE', 'CANCEL')),
    period_id          TEXT,
    enterprise_number  TEXT NOT NULL,
    insz               TEXT NOT NULL,
    start              TEXT NOT NULL,
    end                TEXT NOT NULL,
    previous_start     TEXT,
    previous_end       TEXT,
    deadline           TEXT NOT NULL,
    source             TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL DEFAULT 'to type'
                       CHECK (state IN ('to type', 'imported', 'void'))
);
CREATE TRIGGER IF NOT EXISTS declarations_append_only_update
    BEFORE UPDATE ON declarations
    BEGIN SELECT RAISE(ABORT, 'the declarations log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS declarations_append_only_delete
    BEFORE DELETE ON declarations
    BEGIN SELECT RAISE(ABORT, 'the declarations log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS answers_append_only_update
    BEFORE UPDATE ON answers
    BEGIN SELECT RAISE(ABORT, 'the answers log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS answers_append_only_delete
    BEFORE DELETE ON answers
    BEGIN SELECT RAISE(ABORT, 'the answers log is append-only'); END;
"""
"""Schema 1, as dimona-batch 0.1.0 created it (with user_version left at 0). Frozen: a change
to the schema is a new entry in MIGRATIONS, never an edit here."""

MIGRATIONS: dict[int, str] = {
    # 2: receipts are a view of the ledger. A batch records whether its receipts were
    # written (batches before version 2 are taken as written); each logged declaration and
    # answer keeps what its receipt shows beyond the log's columns (names, references, the
    # anomalies as a list).
    2: """
ALTER TABLE batches ADD COLUMN receipts_written INTEGER NOT NULL DEFAULT 1;
ALTER TABLE declarations ADD COLUMN details TEXT;
ALTER TABLE answers ADD COLUMN details TEXT;
""",
    # 3: the outbox (filing for real: every operation committed "to send" before it leaves).
    # One row per operation, with what its receipt and its period row need; its state goes
    # to send -> sending (committed just before the POST) -> sent (declaration id) ->
    # answered, or refused (the NSSO would not take it, or it can never be sent), or
    # adopted (its fate was unknown and the NSSO's own records settled it).
    3: """
CREATE TABLE outbox (
    operation_id       INTEGER PRIMARY KEY,
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id),
    kind               TEXT NOT NULL CHECK (kind IN ('IN', 'UPDATE', 'CANCEL')),
    state              TEXT NOT NULL DEFAULT 'to send' CHECK (state IN
                       ('to send', 'sending', 'sent', 'answered', 'refused', 'adopted')),
    channel            TEXT NOT NULL,
    enterprise_number  TEXT NOT NULL,
    nsso_number        TEXT NOT NULL DEFAULT '',
    employer_name      TEXT NOT NULL DEFAULT '',
    insz               TEXT NOT NULL,
    worker_key         TEXT NOT NULL,
    identification     TEXT,
    last_name          TEXT NOT NULL DEFAULT '',
    first_name         TEXT NOT NULL DEFAULT '',
    start              TEXT NOT NULL,
    end                TEXT NOT NULL,
    work_day           TEXT NOT NULL,
    employer_reference TEXT NOT NULL DEFAULT '',
    worker_reference   TEXT NOT NULL DEFAULT '',
    declaration_reference TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    late               INTEGER NOT NULL DEFAULT 0,
    period_id          TEXT,
    after_operation    INTEGER REFERENCES outbox(operation_id),
    payload            TEXT NOT NULL,
    declaration_id     TEXT,
    result             TEXT CHECK (result IN ('A', 'W', 'B', 'S')),
    reason             TEXT NOT NULL DEFAULT '',
    attempts           INTEGER NOT NULL DEFAULT 0,
    planned_at         TEXT NOT NULL,
    sent_at            TEXT,
    answered_at        TEXT
);
CREATE INDEX outbox_by_state ON outbox (state);
CREATE INDEX outbox_by_worker ON outbox (enterprise_number, worker_key);
""",
    # 4: notes of a person on a manual item ("handled"), the manual items reconciliation
    # found (for `due`), and the indexes the office's look-ups (lookups.py) use.
    4: """
CREATE TABLE IF NOT EXISTS manual_items (
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id),
    period_id          TEXT,
    enterprise_number  TEXT NOT NULL,
    employer_name      TEXT NOT NULL DEFAULT '',
    insz               TEXT NOT NULL,
    last_name          TEXT NOT NULL DEFAULT '',
    first_name         TEXT NOT NULL DEFAULT '',
    findings           TEXT NOT NULL,
    start              TEXT,
    deadline           TEXT,
    source             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS manual_items_by_period ON manual_items (period_id);
CREATE TABLE IF NOT EXISTS handled (
    period_id          TEXT NOT NULL,
    note               TEXT NOT NULL DEFAULT '',
    noted_at           TEXT NOT NULL,
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id),
    source             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS handled_by_period ON handled (period_id);
CREATE TRIGGER IF NOT EXISTS handled_append_only_update
    BEFORE UPDATE ON handled
    BEGIN SELECT RAISE(ABORT, 'the handled notes are append-only'); END;
CREATE TRIGGER IF NOT EXISTS handled_append_only_delete
    BEFORE DELETE ON handled
    BEGIN SELECT RAISE(ABORT, 'the handled notes are append-only'); END;
CREATE INDEX IF NOT EXISTS periods_by_day ON periods (work_day);
CREATE INDEX IF NOT EXISTS periods_by_worker_day ON periods (worker_key, work_day);
CREATE INDEX IF NOT EXISTS declarations_refused_ins
    ON declarations (start) WHERE kind = 'IN' AND result = 'B';
CREATE INDEX IF NOT EXISTS declarations_warned ON declarations (result) WHERE result = 'W';
CREATE INDEX IF NOT EXISTS answers_warned ON answers (result) WHERE result = 'W';
CREATE INDEX IF NOT EXISTS worksheet_by_state ON worksheet (state, deadline);
""",
    # 5: the hourly wage of a shift (the payroll export).
    5: """
-- keyed by the shift as its roster gave it (its start); `source` names the wage's cell
CREATE TABLE IF NOT EXISTS wages (
    enterprise_number  TEXT NOT NULL,
    worker_key         TEXT NOT NULL,
    planned_start      TEXT NOT NULL,
    wage               TEXT NOT NULL,
    source             TEXT NOT NULL DEFAULT '',
    batch_id           INTEGER NOT NULL REFERENCES batches(batch_id),
    PRIMARY KEY (enterprise_number, worker_key, planned_start)
);
""",
    # 6: what every run asks, bounded by the run rather than by the ledger's history: a
    # batch's declarations and answers (its receipts, which batches have receipts), whether
    # a period number the NSSO shows is one the outbox already has, and the INs still
    # answered S (their later answers are asked at the start of every run; a partial index).
    6: """
CREATE INDEX IF NOT EXISTS declarations_by_batch ON declarations (batch_id);
CREATE INDEX IF NOT EXISTS answers_by_batch ON answers (batch_id);
CREATE INDEX IF NOT EXISTS outbox_by_period ON outbox (period_id);
CREATE INDEX IF NOT EXISTS outbox_answered_pending
    ON outbox (operation_id) WHERE kind = 'IN' AND result = 'S';
""",
    # 7: every CHECK of a list of values, `x IN ('a', 'b')`, as `x = 'a' OR x = 'b'`: the
    # same rule. SQLite builds a table of such a list each time a statement runs (about
    # 3 µs), ten times for each IN filed: its outbox row is written four times, its log
    # line and its period once. Only the tables' SQL text changes (`_chain_checks`).
    7: "",
    # 8: a run's new periods go at the end of the indexes it writes, not among each worker's
    # earlier ones: the guard against a period filed twice leads with its start (the same
    # rule: one live period per employer, worker and start minute), and the two indexes by
    # worker that no query chose any more are dropped (a worker's periods are found by
    # periods_by_worker_day). Each index led by the worker put every new period on another
    # page of a ledger with a long history, and each of those pages was written at commit.
    8: """
DROP INDEX IF EXISTS periods_by_worker;
DROP INDEX IF EXISTS outbox_by_worker;
DROP INDEX IF EXISTS one_live_period;
CREATE UNIQUE INDEX IF NOT EXISTS one_live_period
    ON periods (declared_start, enterprise_number, worker_key) WHERE status != 'cancelled';
""",
}
SCHEMA_VERSION = max(MIGRATIONS)
_TABLES = {"batches", "periods", "declarations"}  # what makes an SQLite file a ledger
_SQLITE_HEADER = b"SQLite format 3\x00"


_LISTED_CHECK = re.compile(r"CHECK \((\w+) IN\s*\(([^)]*)\)\)")


def chained_checks(sql: str) -> str:
    """A CREATE TABLE with each `CHECK (x IN ('a', 'b'))` written `CHECK (x = 'a' OR x = 'b')`."""

    def chain(found: re.Match[str]) -> str:
        column, values = found[1], re.findall(r"'[^']*'", found[2])
        return f"CHECK ({' OR '.join(f'{column} = {value}' for value in values)})"

    return _LISTED_CHECK.sub(chain, sql)


def _chain_checks(db: sqlite3.Connection) -> None:
    """Step 7, inside the migration's transaction: the tables' SQL rewritten in place, as
    SQLite documents for a change of constraints that leaves every stored row as it is
    (writable_schema, then the schema version raised so every connection reads it again).
    An SQLite that forbids editing its schema keeps the lists: the same rule, only slower."""
    changed = []
    for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        if sql and (chained := chained_checks(sql)) != sql:
            changed.append((chained, name))
    if not changed:
        return
    (version,) = db.execute("PRAGMA schema_version").fetchone()
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.executemany(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", changed
        )
    except sqlite3.OperationalError as error:
        if "may not be modified" in str(error):  # SQLITE_DBCONFIG_DEFENSIVE: nothing changed
            return
        raise
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    db.execute(f"PRAGMA schema_version = {version + 1}")


_IN_PYTHON: dict[int, Callable[[sqlite3.Connection], None]] = {7: _chain_checks}
"""Migration steps that are more than SQL statements, run after their step's statements."""


class LedgerError(Exception):
    """A ledger the batch cannot use: not a ledger, damaged, too new, or held too long."""


def _statements(script: str) -> list[str]:
    """The statements of a script, whole (a trigger's body holds semicolons)."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return found


def _text(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(BRUSSELS).isoformat()


def _day(moment: dt.datetime) -> str:
    return moment.astimezone(BRUSSELS).date().isoformat()


_INSERT_PERIOD = (
    "INSERT INTO periods (period_id, enterprise_number, nsso_number, employer_name,"
    " insz, worker_key, identification, last_name, first_name, planned_start, planned_end,"
    " declared_start, declared_end, status, channel, employer_reference, worker_reference,"
    " declaration_reference, source, batch_id, work_day)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _busy(error: sqlite3.Error) -> bool:
    """SQLite's answer when another connection holds the lock a statement needs."""
    return "locked" in str(error) or "busy" in str(error)


def _moment(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text).astimezone(BRUSSELS)


class Ledger:
    """A ledger file; use `batch()` for every change."""

    def __init__(
        self,
        path: Path | str,
        wait: float = DEFAULT_WAIT,
        notify: Callable[[str], None] | None = None,
        check: bool = True,
    ):
        """Open (or create) the ledger at `path`, checked and brought to SCHEMA_VERSION.

        `wait` is how many seconds to wait for another run that holds the ledger; `notify`
        is told once when waiting starts. `check` False skips the integrity check (a ledger
        this process has just checked and written).
        """
        self.path = Path(path)
        self.wait = wait
        self.notify = notify
        self.batch_id: int | None = None
        _check_file(self.path)
        try:
            self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=wait)
        except sqlite3.Error as error:
            raise LedgerError(f"the ledger {self.path} cannot be opened: {error}") from error
        try:
            self.connection.row_factory = sqlite3.Row
            self.connection.execute("PRAGMA foreign_keys = ON")
            self._check(check and not _unchanged_since_checked(self.path))
            # a long history's indexes: the pages a run writes into stay in memory (64 MiB
            # at most, taken only as used; SQLite's default is 2 MiB)
            self.connection.execute("PRAGMA cache_size = -65536")
            self._migrate()
            self._log_ahead()
        except BaseException:
            self.connection.close()
            raise

    def close(self) -> None:
        self.connection.close()
        _remember_checked(self.path)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- opening: checks, locking, migrations -------------------------------------------

    def _damaged(self, error: BaseException | str) -> LedgerError:
        lines = [line for line in str(error).splitlines() if line and not line.startswith("***")]
        return LedgerError(f"the ledger {self.path} is damaged: {'; '.join(lines)}")

    def _check(self, integrity: bool = True) -> None:
        """Refuse what is not a ledger of this version, before anything is written."""
        try:
            version = self.version()
            if version > SCHEMA_VERSION:
                raise LedgerError(
                    f"the ledger {self.path} was made by a newer dimona-batch (schema"
                    f" {version}; this one knows up to {SCHEMA_VERSION}): upgrade dimona-batch"
                )
            problems = ["ok"]
            if integrity:
                problems = [r[0] for r in self.connection.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise self._damaged("; ".join(problems))
            tables = self._tables()
        except sqlite3.DatabaseError as error:
            if "not a database" in str(error):
                raise LedgerError(f"{self.path} is not a dimona-batch ledger") from error
            if _busy(error):
                raise self._held() from error
            raise self._damaged(error) from error
        if (tables and not tables >= _TABLES) or (version and not tables):
            raise LedgerError(
                f"{self.path} is an SQLite database but not a dimona-batch ledger"
                f" (tables {', '.join(sorted(tables)) or 'none'})"
            )

    def _log_ahead(self) -> None:
        """Commits append the pages they change to `<ledger>-wal`, folded back into the ledger
        every 64 MiB and when the run closes it. A rollback journal copied the old contents of
        every page a commit touched first, and a long history's indexes spread a group's rows
        over many pages: each commit grew slower with the history. Each commit is still on
        disk before the next step (synchronous FULL): nothing is sent on a "sending" that a
        power cut could take back."""
        db = self.connection
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA wal_autocheckpoint = 16384")  # pages of 4 KiB
        except sqlite3.OperationalError as error:
            if _busy(error):
                raise self._held() from error
            raise LedgerError(f"the ledger {self.path} cannot be written: {error}") from error

    def version(self) -> int:
        return self.connection.execute("PRAGMA user_version").fetchone()[0]

    def _tables(self) -> set[str]:
        rows = self.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}

    def _migrate(self) -> None:
        """Create a new ledger, or bring an older one forward, in one transaction."""
        if self.version() == SCHEMA_VERSION:
            return
        with self._write():
            # Looked at again under the lock: another run may have just done it.
            version = self.version()
            if version == SCHEMA_VERSION:
                return
            # A new ledger, or one of 0.1.0 (user_version 0, schema 1): schema 1 first, whose
            # statements create only what is missing, then every step after it.
            if version <= 1:
                for statement in _statements(SCHEMA_V1):
                    self.connection.execute(statement)
            for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[step]):
                    self.connection.execute(statement)
                if step in _IN_PYTHON:
                    _IN_PYTHON[step](self.connection)
            self.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _held(self) -> LedgerError:
        return LedgerError(
            f"the ledger {self.path} is held by another run; gave up after waiting"
            f" {self.wait:g} s (--wait)"
        )

    def _begin(self) -> None:
        """BEGIN IMMEDIATE: at once if the ledger is free, else after waiting up to `wait`."""
        db = self.connection
        db.execute("PRAGMA busy_timeout = 0")
        try:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
            if self.notify:
                self.notify("waiting for the ledger: another run holds it")
            deadline = time.monotonic() + self.wait
            while True:
                left = deadline - time.monotonic()
                db.execute(f"PRAGMA busy_timeout = {max(int(left * 1000), 0)}")
                try:
                    db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if not _busy(error):
                        raise
                    if time.monotonic() >= deadline:
                        raise self._held() from error
                    time.sleep(0.05)
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction outside a batch (migrations, receipts written)."""
        db = self.connection
        self._begin()
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")

    @contextmanager
    def batch(
        self, command: str, as_of: dt.datetime, inputs: Sequence[str], channel: str
    ) -> Iterator[int]:
        """One write transaction: all the batch's periods and declarations, or none."""
        db = self.connection
        self._begin()
        try:
            cursor = db.execute(
                "INSERT INTO batches (command, as_of, inputs, channel, receipts_written)"
                " VALUES (?, ?, ?, ?, 0)",
                (command, _text(as_of), json.dumps(list(inputs)), channel),
            )
            self.batch_id = cursor.lastrowid
            yield self.batch_id
        except sqlite3.DatabaseError as error:
            db.execute("ROLLBACK")
            if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                raise  # a rule of the ledger broken: a fault of the batch, not of the file
            raise LedgerError(
                f"the ledger {self.path} could not be written ({error}): nothing was recorded"
            ) from error
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")
        finally:
            self.batch_id = None

    @contextmanager
    def steps(self, batch_id: int) -> Iterator[None]:
        """One write transaction of the filing engine: steps of the outbox after the batch
        committed its plan; what it logs belongs to `batch_id` (the run that learnt it)."""
        with self._write():
            self.batch_id = batch_id
            try:
                yield
            finally:
                self.batch_id = None

    # --- the outbox (filing for real): its SQL is in outbox.py ------------------------------

    def enqueue(
        self,
        channel: str,
        operations: Sequence[Operation],
        payloads: Sequence[dict | str],
        planned_at: dt.datetime,
    ) -> list[int]:
        """Every operation of the batch `to send`, committed with the batch."""
        if self.batch_id is None:
            raise RuntimeError("enqueue() must run inside Ledger.batch()")
        return outbox.enqueue(
            self.connection, self.batch_id, channel, operations, payloads, planned_at
        )

    def declared_periods(
        self,
        enterprise_numbers: Iterable[str] | None = None,
        day_from: dt.date | None = None,
        day_to: dt.date | None = None,
        excluding: Collection[str] = (),
        without_insz: bool = False,
    ) -> list[Period]:
        """The live periods as the NSSO holds them once what is in flight is answered.

        `excluding`: period numbers not wanted (days the plan already found unchanged): the
        ledger does not make them at all. `without_insz`: only the periods of workers known
        without an INSZ, those `declared_times` leaves out (what is left to plan when it
        found every other period unchanged).
        """
        if enterprise_numbers is not None:
            enterprise_numbers = sorted(set(enterprise_numbers))
        if outbox.rows(self.connection, outbox.IN_FLIGHT):
            found = self.periods(enterprise_numbers, day_from, day_to)
            found = outbox.overlay(self.connection, found, day_from, day_to, enterprise_numbers)
            if without_insz:
                found = [p for p in found if not p.worker.insz]
            return [p for p in found if p.period_id not in excluding] if excluding else found
        found = self.periods(
            enterprise_numbers, day_from, day_to, excluding=excluding, without_insz=without_insz
        )
        return outbox.overlay(self.connection, found, day_from, day_to, enterprise_numbers)

    def declared_times(
        self,
        enterprise_numbers: Iterable[str] | None = None,
        day_from: dt.date | None = None,
        day_to: dt.date | None = None,
    ) -> pd.DataFrame:
        """The times of `declared_periods` as columns, for comparing whole rosters at once:
        period_id, enterprise_number, worker_key, day (the work day, datetime64[D]) and
        start, end (UTC, int64 nanoseconds). Periods without an INSZ are left out.

        Read as columns straight from the ledger; only while something is in flight are
        the periods made first (what is in flight changes them).
        """
        import pandas as pd

        if enterprise_numbers is not None:
            enterprise_numbers = sorted(set(enterprise_numbers))
        if outbox.rows(self.connection, outbox.IN_FLIGHT):
            found = [
                (
                    p.period_id,
                    p.employer.enterprise_number,
                    p.worker.insz,
                    _day(p.declared_start),
                    _text(p.declared_start),
                    _text(p.declared_end),
                )
                for p in self.declared_periods(enterprise_numbers, day_from, day_to)
                if p.worker.insz
            ]
        else:
            sql, args = _live_periods(
                "period_id, enterprise_number, insz, work_day, declared_start, declared_end",
                enterprise_numbers,
                day_from,
                day_to,
            )
            cursor = self.connection.cursor()
            cursor.row_factory = None
            found = cursor.execute(sql + " AND insz != ''", args).fetchall()
        columns = ["period_id", "enterprise_number", "worker_key", "day", "start", "end"]
        frame = pd.DataFrame(found, columns=columns)
        frame["day"] = pd.to_datetime(frame["day"], format="%Y-%m-%d").to_numpy("datetime64[D]")
        for column in ("start", "end"):
            moments = pd.to_datetime(frame[column], utc=True, format="ISO8601").dt.as_unit("ns")
            frame[column] = moments.astype("int64")
        return frame

    def in_flight(self) -> int:
        """Operations sent or to send whose answer has not come (the fate of some unknown)."""
        return len(outbox.rows(self.connection, outbox.IN_FLIGHT))

    def outbox(self, batch_id: int | None = None) -> list[sqlite3.Row]:
        """The outbox's rows (of one batch), in filing order."""
        if batch_id is not None:
            return outbox.of_batch(self.connection, batch_id)
        return list(self.connection.execute("SELECT * FROM outbox ORDER BY operation_id"))

    # --- receipts: a view of the ledger ----------------------------------------------------

    def batch_row(self, batch_id: int) -> sqlite3.Row | None:
        return self.connection.execute(
            "SELECT * FROM batches WHERE batch_id = ?", (batch_id,)
        ).fetchone()

    def receipt_batches(self, unwritten: bool = False) -> list[int]:
        """The batches that filed something or recorded answers: they have receipts."""
        sql = (
            "SELECT batch_id FROM batches b WHERE (EXISTS (SELECT 1 FROM declarations d"
            " WHERE d.batch_id = b.batch_id) OR EXISTS (SELECT 1 FROM answers a"
            " WHERE a.batch_id = b.batch_id))"
        )
        if unwritten:
            sql += " AND receipts_written = 0"
        return [row[0] for row in self.connection.execute(sql + " ORDER BY batch_id")]

    def mark_receipts_written(self, batch_ids: Iterable[int]) -> None:
        ids = [(batch_id,) for batch_id in batch_ids]
        if not ids:
            return
        with self._write():
            self.connection.executemany(
                "UPDATE batches SET receipts_written = 1 WHERE batch_id = ?", ids
            )

    def receipts(self, batch_id: int) -> list[Declaration]:
        """The declarations a batch's receipts show, as the run showed them.

        Its later answers to earlier declarations first, then what it filed, in filing order.
        """
        select = (
            "SELECT d.*, p.nsso_number AS p_nsso_number, p.employer_name AS p_employer_name,"
            " p.last_name AS p_last_name, p.first_name AS p_first_name,"
            " p.identification AS p_identification, p.employer_reference AS p_employer_reference,"
            " p.worker_reference AS p_worker_reference,"
            " p.declaration_reference AS p_declaration_reference"
        )
        answers = self.connection.execute(
            f"{select}, a.result AS a_result, a.anomalies AS a_anomalies,"
            " a.answered_at AS a_answered_at, a.details AS a_details"
            " FROM answers a JOIN declarations d ON d.declaration_id = a.declaration_id"
            " LEFT JOIN periods p ON p.period_id = d.period_id"
            " WHERE a.batch_id = ? ORDER BY a.rowid",
            (batch_id,),
        )
        shown = [
            replace(
                _logged(row),
                result=Result(row["a_result"]),
                anomalies=_anomalies(row["a_anomalies"], row["a_details"]),
                answered_at=_moment(row["a_answered_at"]),
            )
            for row in answers
        ]
        filed = self.connection.execute(
            f"{select} FROM declarations d LEFT JOIN periods p ON p.period_id = d.period_id"
            " WHERE d.batch_id = ? ORDER BY d.rowid",
            (batch_id,),
        )
        return [*shown, *(_logged(row) for row in filed)]

    def receipts_of(
        self,
        enterprise_number: str | None = None,
        day_from: dt.date | None = None,
        day_to: dt.date | None = None,
    ) -> list[Declaration]:
        """The receipts of an employer's work days across batches, in filing order, each
        showing its latest answer (a pending one resolved later, with when)."""
        from . import lookups

        shown = []
        for row in lookups.receipts(self.connection, enterprise_number, day_from, day_to):
            d = _logged(row)
            if row["a_result"] is not None:
                d = replace(
                    d,
                    result=Result(row["a_result"]),
                    anomalies=_anomalies(row["a_anomalies"], row["a_details"]),
                    answered_at=_moment(row["a_answered_at"]),
                )
            shown.append(d)
        return shown

    # --- reading ------------------------------------------------------------------------

    def periods(
        self,
        enterprise_numbers: Iterable[str] | None = None,
        day_from: dt.date | None = None,
        day_to: dt.date | None = None,
        include_cancelled: bool = False,
        excluding: Collection[str] = (),
        without_insz: bool = False,
    ) -> list[Period]:
        """Periods whose work day (declared start date) lies in [day_from, day_to], but for
        the period numbers `excluding` (and, `without_insz`, those of a worker's INSZ)."""
        sql, args = _live_periods(
            _PERIOD_COLUMNS, enterprise_numbers, day_from, day_to, include_cancelled
        )
        if without_insz:
            sql += " AND COALESCE(insz, '') = ''"
        if excluding:
            sql += " AND period_id NOT IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(excluding)))
        sql += " ORDER BY enterprise_number, worker_key, declared_start"
        cursor = self.connection.cursor()
        cursor.row_factory = None  # tuples, in the order of _PERIOD_COLUMNS
        return _PeriodReader().read(cursor.execute(sql, args))

    def period(self, period_id: str) -> Period | None:
        row = self.connection.execute(
            "SELECT * FROM periods WHERE period_id = ?", (period_id,)
        ).fetchone()
        return _period(row) if row else None

    def largest_ids(self, channel: str) -> tuple[int, int]:
        """The largest period and declaration numbers a channel has handed out so far."""
        db = self.connection
        period = db.execute(
            "SELECT MAX(CAST(period_id AS INTEGER)) FROM periods WHERE channel = ?", (channel,)
        ).fetchone()[0]
        declaration = db.execute(
            "SELECT MAX(CAST(declaration_id AS INTEGER)) FROM declarations WHERE channel = ?",
            (channel,),
        ).fetchone()[0]
        return int(period or 0), int(declaration or 0)

    def declarations(self, period_id: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM declarations"
        args: tuple = ()
        if period_id is not None:
            sql += " WHERE period_id = ?"
            args = (period_id,)
        return list(self.connection.execute(sql + " ORDER BY rowid", args))

    def pending_ins(self, channel: str) -> list[Declaration]:
        """The INs a channel answered S whose period is still pending, as they were logged."""
        rows = self.connection.execute(
            "SELECT d.declaration_id, d.result, d.anomalies, d.period_id, d.sent_at, d.start,"
            " d.end, d.late, d.channel, d.source, d.payload, p.enterprise_number,"
            " p.nsso_number, p.employer_name, p.insz, p.identification, p.last_name,"
            " p.first_name, p.employer_reference, p.worker_reference, p.declaration_reference"
            " FROM declarations d JOIN periods p ON p.period_id = d.period_id"
            " WHERE p.status = 'pending' AND p.channel = ? AND d.kind = 'IN' AND d.result = 'S'"
            " ORDER BY d.rowid",
            (channel,),
        )
        return [
            Declaration(
                declaration_id=row["declaration_id"],
                kind=Kind.IN,
                result=Result(row["result"]),
                period_id=row["period_id"],
                sent_at=_moment(row["sent_at"]),  # type: ignore[arg-type]
                start=_moment(row["start"]),  # type: ignore[arg-type]
                end=_moment(row["end"]),  # type: ignore[arg-type]
                employer=Employer(
                    row["enterprise_number"], row["nsso_number"], row["employer_name"]
                ),
                worker=_worker(row),
                references=References(
                    row["employer_reference"],
                    row["worker_reference"],
                    row["declaration_reference"],
                ),
                payload=json.loads(row["payload"]),
                channel=row["channel"],
                anomalies=tuple(a for a in row["anomalies"].split("; ") if a),
                late=bool(row["late"]),
                source=row["source"],
            )
            for row in rows
        ]

    def answers(self, declaration_id: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM answers"
        args: tuple = ()
        if declaration_id is not None:
            sql += " WHERE declaration_id = ?"
            args = (declaration_id,)
        return list(self.connection.execute(sql + " ORDER BY rowid", args))

    def count(self, table: str) -> int:
        assert table in ("periods", "declarations", "answers", "batches")
        return self.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    # --- writing ------------------------------------------------------------------------

    def record(
        self, declarations: Sequence[Declaration], payloads: Sequence[str] | None = None
    ) -> None:
        """Append the declarations to the log and bring the periods up to date.

        `payloads`: each declaration's payload as JSON text (sorted keys), when the caller
        has it already (the outbox keeps the same text); else it is dumped here.
        """
        self.log(declarations, payloads)
        self.apply(declarations)

    def log(
        self, declarations: Sequence[Declaration], payloads: Sequence[str] | None = None
    ) -> None:
        """Append the declarations to the append-only log (`payloads` as for `record`)."""
        if self.batch_id is None:
            raise RuntimeError("log() must run inside Ledger.batch()")
        if payloads is None:
            payloads = [payload_text(d.payload) for d in declarations]
        self.connection.executemany(
            "INSERT INTO declarations (declaration_id, batch_id, kind, result, anomalies,"
            " period_id, sent_at, start, end, enterprise_number, insz, late, channel, source,"
            " payload, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    d.declaration_id,
                    self.batch_id,
                    d.kind.value,
                    d.result.value,
                    "; ".join(d.anomalies),
                    d.period_id,
                    outbox._text(d.sent_at),
                    outbox._text(d.start),
                    outbox._text(d.end),
                    d.employer.enterprise_number,
                    d.worker.insz,
                    int(d.late),
                    d.channel,
                    d.source,
                    text,
                    _details(d),
                )
                for d, text in zip(declarations, payloads, strict=True)
            ],
        )

    def apply(self, declarations: Sequence[Declaration]) -> None:
        """Bring the periods up to date with accepted declarations.

        Applied in filing order: the channel judged each one against the state its
        predecessors left (a CANCEL before the IN that takes its place).
        """
        db = self.connection
        accepted = (d for d in declarations if d.result is not Result.REFUSED)
        # a run of one kind at a time in one statement: the order between kinds is kept
        for kind, run in itertools.groupby(accepted, key=lambda d: d.kind):
            if kind is Kind.IN:
                db.executemany(_INSERT_PERIOD, [self._period_row(d) for d in run])
            elif kind is Kind.UPDATE:
                db.executemany(
                    "UPDATE periods SET declared_start = ?, declared_end = ?, work_day = ?"
                    " WHERE period_id = ?",
                    [
                        (
                            outbox._text(d.start),
                            outbox._text(d.end),
                            outbox._day(d.start),
                            d.period_id,
                        )
                        for d in run
                    ],
                )
            else:
                db.executemany(
                    "UPDATE periods SET status = 'cancelled' WHERE period_id = ?",
                    [(d.period_id,) for d in run],
                )

    def record_answers(self, answers: Sequence[Declaration]) -> None:
        """Later answers to logged declarations: appended, and their periods brought up to date.

        An accepted answer (A, W) makes the pending period active; a refusal (B) leaves no
        live period (status cancelled); another S changes nothing.
        """
        if self.batch_id is None:
            raise RuntimeError("record_answers() must run inside Ledger.batch()")
        db = self.connection
        db.executemany(
            "INSERT INTO answers (declaration_id, result, anomalies, answered_at, batch_id,"
            " details) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    d.declaration_id,
                    d.result.value,
                    "; ".join(d.anomalies),
                    _text(d.answered_at or d.sent_at),
                    self.batch_id,
                    json.dumps({"anomalies": list(d.anomalies)}, ensure_ascii=False),
                )
                for d in answers
            ],
        )
        for d in answers:
            if d.result is Result.PENDING:
                continue
            status = PeriodStatus.CANCELLED if d.result is Result.REFUSED else PeriodStatus.ACTIVE
            db.execute(
                "UPDATE periods SET status = ? WHERE period_id = ? AND status = 'pending'",
                (status.value, d.period_id),
            )

    def _period_row(self, d: Declaration) -> tuple:
        status = PeriodStatus.PENDING if d.result is Result.PENDING else PeriodStatus.ACTIVE
        start, end = outbox._text(d.start), outbox._text(d.end)
        return (
            d.period_id,
            d.employer.enterprise_number,
            d.employer.nsso_number,
            d.employer.name,
            d.worker.insz,
            d.worker.key,
            _identification_text(d.worker),
            d.worker.last_name,
            d.worker.first_name,
            start,
            end,
            start,
            end,
            status.value,
            d.channel,
            d.references.employer,
            d.references.worker,
            d.references.declaration,
            d.source,
            self.batch_id,
            outbox._day(d.start),
        )

    # --- the web-form worksheet -----------------------------------------------------------

    def next_key(self) -> int:
        """The number after the largest worksheet row key (W000001, W000002, ...)."""
        largest = self.connection.execute(
            "SELECT MAX(CAST(SUBSTR(key, 2) AS INTEGER)) FROM worksheet"
        ).fetchone()[0]
        return int(largest or 0) + 1

    def add_item(self, item: WorksheetItem) -> None:
        """Put a declaration on the worksheet; an IN also gets a period row 'to type'."""
        if self.batch_id is None:
            raise RuntimeError("add_item() must run inside Ledger.batch()")
        if item.kind is Kind.IN:
            self.connection.execute(
                _INSERT_PERIOD,
                (
                    item.key,
                    item.employer.enterprise_number,
                    item.employer.nsso_number,
                    item.employer.name,
                    item.worker.insz,
                    item.worker.key,
                    _identification_text(item.worker),
                    item.worker.last_name,
                    item.worker.first_name,
                    _text(item.start),
                    _text(item.end),
                    _text(item.start),
                    _text(item.end),
                    PeriodStatus.TO_TYPE.value,
                    "web",
                    item.references.employer,
                    item.references.worker,
                    item.references.declaration,
                    item.source,
                    self.batch_id,
                    _day(item.start),
                ),
            )
        self.connection.execute(
            "INSERT INTO worksheet (key, batch_id, kind, period_id, enterprise_number, insz,"
            " start, end, previous_start, previous_end, deadline, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.key,
                self.batch_id,
                item.kind.value,
                item.period_id,
                item.employer.enterprise_number,
                item.worker.insz,
                _text(item.start),
                _text(item.end),
                _text(item.previous_start),
                _text(item.previous_end),
                _text(item.deadline),
                item.source,
            ),
        )

    def items(
        self, state: str = "to type", keys: Iterable[str] | None = None
    ) -> list[WorksheetItem]:
        """Worksheet rows in a state, with the names of the period they concern."""
        sql = (
            "SELECT w.*, p.nsso_number, p.employer_name, p.last_name, p.first_name,"
            " p.identification,"
            " p.employer_reference, p.worker_reference, p.declaration_reference"
            " FROM worksheet w LEFT JOIN periods p ON p.period_id = w.period_id"
            " WHERE w.state = ?"
        )
        args: list[object] = [state]
        if keys is not None:
            wanted = sorted(set(keys))
            sql += f" AND w.key IN ({','.join('?' * len(wanted))})"
            args.extend(wanted)
        rows = self.connection.execute(sql + " ORDER BY w.deadline, w.key", args)
        return [_item(row) for row in rows]

    def item_state(self, key: str) -> str | None:
        row = self.connection.execute("SELECT state FROM worksheet WHERE key = ?", (key,))
        found = row.fetchone()
        return found[0] if found else None

    def set_item_state(self, key: str, state: str) -> None:
        self.connection.execute("UPDATE worksheet SET state = ? WHERE key = ?", (state, key))

    def retime_item(
        self, key: str, start: dt.datetime, end: dt.datetime, deadline: dt.datetime
    ) -> None:
        """An IN not yet typed gets the roster's new times: nothing else needs typing."""
        self.connection.execute(
            "UPDATE worksheet SET start = ?, end = ?, deadline = ? WHERE key = ?",
            (_text(start), _text(end), _text(deadline), key),
        )
        self.connection.execute(
            "UPDATE periods SET planned_start = ?, planned_end = ?, declared_start = ?,"
            " declared_end = ?, work_day = ? WHERE period_id = ?",
            (_text(start), _text(end), _text(start), _text(end), _day(start), key),
        )

    def drop_untyped_period(self, key: str) -> None:
        """An IN that was never typed leaves no period behind."""
        self.connection.execute(
            "DELETE FROM periods WHERE period_id = ? AND status = 'to type'", (key,)
        )

    def confirm_period(self, key: str, period_id: str, status: PeriodStatus) -> None:
        """The period number typed in the web form replaces the worksheet key."""
        self.connection.execute(
            "UPDATE periods SET period_id = ?, status = ? WHERE period_id = ?",
            (period_id, status.value, key),
        )
        self.connection.execute(
            "UPDATE worksheet SET period_id = ? WHERE key = ?", (period_id, key)
        )

    def period_exists(self, period_id: str) -> bool:
        row = self.connection.execute("SELECT 1 FROM periods WHERE period_id = ?", (period_id,))
        return row.fetchone() is not None

    def record_actuals(
        self, actuals: Iterable[tuple[str, dt.datetime | None, dt.datetime | None]]
    ) -> None:
        """Keep the actual start and end seen for periods (reconciliation)."""
        self.connection.executemany(
            "UPDATE periods SET actual_start = ?, actual_end = ? WHERE period_id = ?",
            [(_text(s), _text(e), pid) for pid, s, e in actuals],
        )

    # --- the office: manual items and handled notes (queries in lookups.py) --------------

    def record_manual_items(self, corrections: Iterable[Correction]) -> None:
        """Keep reconciliation's manual items for `due`; one already kept is not kept twice."""
        from . import lookups

        if self.batch_id is None:
            raise RuntimeError("record_manual_items() must run inside Ledger.batch()")
        lookups.add_manual_items(self.connection, self.batch_id, corrections)

    def add_note(self, period_id: str, note: str, noted_at: dt.datetime, source: str = "") -> None:
        """A person's note that they handled what `due` lists for the period."""
        if self.batch_id is None:
            raise RuntimeError("add_note() must run inside Ledger.batch()")
        self.connection.execute(
            "INSERT INTO handled (period_id, note, noted_at, batch_id, source)"
            " VALUES (?, ?, ?, ?, ?)",
            (period_id, note, _text(noted_at), self.batch_id, source),
        )


def _item(row: sqlite3.Row) -> WorksheetItem:
    return WorksheetItem(
        key=row["key"],
        kind=Kind(row["kind"]),
        employer=Employer(
            row["enterprise_number"], row["nsso_number"] or "", row["employer_name"] or ""
        ),
        worker=_worker(row),
        start=_moment(row["start"]),  # type: ignore[arg-type]
        end=_moment(row["end"]),  # type: ignore[arg-type]
        deadline=_moment(row["deadline"]),  # type: ignore[arg-type]
        period_id=row["period_id"],
        references=References(
            row["employer_reference"] or "",
            row["worker_reference"] or "",
            row["declaration_reference"] or "",
        ),
        source=row["source"],
        previous_start=_moment(row["previous_start"]),
        previous_end=_moment(row["previous_end"]),
    )


def _live_periods(
    columns: str,
    enterprise_numbers: Iterable[str] | None,
    day_from: dt.date | None,
    day_to: dt.date | None,
    include_cancelled: bool = False,
) -> tuple[str, list[object]]:
    """The query of the periods (live ones unless `include_cancelled`) of some employers
    whose work day lies in [day_from, day_to], and its arguments."""
    sql = f"SELECT {columns} FROM periods WHERE 1=1"
    args: list[object] = []
    if not include_cancelled:
        sql += " AND status != 'cancelled'"
    if day_from is not None:
        sql += " AND work_day >= ?"
        args.append(day_from.isoformat())
    if day_to is not None:
        sql += " AND work_day <= ?"
        args.append(day_to.isoformat())
    if enterprise_numbers is not None:
        numbers = sorted(set(enterprise_numbers))
        sql += f" AND enterprise_number IN ({','.join('?' * len(numbers))})"
        args.extend(numbers)
    return sql, args


_PERIOD_COLUMNS = (
    "period_id, enterprise_number, nsso_number, employer_name, insz, identification,"
    " last_name, first_name, planned_start, planned_end, declared_start, declared_end, status,"
    " channel, employer_reference, worker_reference, declaration_reference, actual_start,"
    " actual_end, source"
)


class _PeriodReader:
    """Periods from rows (`_PERIOD_COLUMNS`), as `_period` makes them, for many rows at once:
    the employers, workers, references and moments that periods share are made once (the
    same start is read for every worker of a shift), which saves time and memory."""

    def __init__(self) -> None:
        self.moments: dict[str, dt.datetime] = {}
        self.statuses = {s.value: s for s in PeriodStatus}

    def moment(self, text: str | None) -> dt.datetime | None:
        if text is None:
            return None
        found = self.moments.get(text)
        if found is None:
            found = self.moments[text] = dt.datetime.fromisoformat(text).astimezone(BRUSSELS)
        return found

    def read(self, rows: Iterable[tuple]) -> list[Period]:
        moment = self.moment
        employers: dict[tuple, Employer] = {}
        workers: dict[tuple, Worker] = {}
        shared_references: dict[tuple, References] = {}
        found = []
        for (
            period_id,
            enterprise_number,
            nsso_number,
            employer_name,
            insz,
            identification,
            last_name,
            first_name,
            planned_start,
            planned_end,
            declared_start,
            declared_end,
            status,
            channel,
            employer_reference,
            worker_reference,
            declaration_reference,
            actual_start,
            actual_end,
            source,
        ) in rows:
            key = (enterprise_number, nsso_number, employer_name)
            employer = employers.get(key)
            if employer is None:
                employer = employers[key] = Employer(*key)
            key = (insz, identification, last_name, first_name)
            worker = workers.get(key)
            if worker is None:
                fields = {"insz": insz, "identification": identification}
                fields |= {"last_name": last_name, "first_name": first_name}
                worker = workers[key] = _worker(fields)  # type: ignore[arg-type]
            key = (employer_reference, worker_reference, declaration_reference)
            references = shared_references.get(key)
            if references is None:
                references = shared_references[key] = References(*key)
            found.append(
                Period(
                    period_id=period_id,
                    employer=employer,
                    worker=worker,
                    planned_start=moment(planned_start),  # type: ignore[arg-type]
                    planned_end=moment(planned_end),  # type: ignore[arg-type]
                    declared_start=moment(declared_start),  # type: ignore[arg-type]
                    declared_end=moment(declared_end),  # type: ignore[arg-type]
                    status=self.statuses[status],
                    channel=channel,
                    references=references,
                    actual_start=moment(actual_start),
                    actual_end=moment(actual_end),
                    source=source,
                )
            )
        return found


def _period(row: sqlite3.Row) -> Period:
    return Period(
        period_id=row["period_id"],
        employer=Employer(row["enterprise_number"], row["nsso_number"], row["employer_name"]),
        worker=_worker(row),
        planned_start=_moment(row["planned_start"]),  # type: ignore[arg-type]
        planned_end=_moment(row["planned_end"]),  # type: ignore[arg-type]
        declared_start=_moment(row["declared_start"]),  # type: ignore[arg-type]
        declared_end=_moment(row["declared_end"]),  # type: ignore[arg-type]
        status=PeriodStatus(row["status"]),
        channel=row["channel"],
        references=References(
            row["employer_reference"], row["worker_reference"], row["declaration_reference"]
        ),
        actual_start=_moment(row["actual_start"]),
        actual_end=_moment(row["actual_end"]),
        source=row["source"],
    )


def checked_stamp(path: Path) -> Path:
    """Beside the ledger: the file as this program last left it (`_remember_checked`)."""
    return path.with_name(f"{path.name}.checked")


def _file_stamp(path: Path) -> str:
    status = os.stat(path)
    return f"{status.st_ino} {status.st_size} {status.st_mtime_ns}\n"


def _unchanged_since_checked(path: Path) -> bool:
    """The ledger is byte for byte as a run of ours left it: its integrity check (a read of
    every page, seconds on a long history) is not needed again. Any change by another
    program, a copy or a restore gives the file another inode, size or modification time."""
    try:
        return checked_stamp(path).read_text() == _file_stamp(path)
    except (OSError, UnicodeDecodeError):
        return False


def _remember_checked(path: Path) -> None:
    """After a run of ours closed a ledger it had checked (or found unchanged since): its
    stamp. A write after this one must show a later modification time, so the stamp waits
    out the file system's clock tick; a stamp that cannot be written only means the next
    run checks the whole file again."""
    try:
        settle = os.stat(path).st_mtime_ns / 1e9 + 0.02 - time.time()
        if settle > 0:
            time.sleep(settle)
        stamp = checked_stamp(path)
        part = stamp.with_name(f"{stamp.name}.part")
        descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(_file_stamp(path))
        os.replace(part, stamp)
    except OSError:
        pass


def _check_file(path: Path) -> None:
    """A new ledger is created private (0600, its folders 0700); an existing one must be SQLite."""
    if path.is_dir():
        raise LedgerError(f"the ledger {path} is a folder, not a file")
    if not path.exists():
        from ..render.atomic import private_folder

        try:
            private_folder(path.parent)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as error:
            raise LedgerError(f"the ledger {path} cannot be created: {error}") from error
        return
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise LedgerError(f"the ledger {path} cannot be read: {error}") from error
    if header and header != _SQLITE_HEADER:
        raise LedgerError(f"{path} is not a dimona-batch ledger (not an SQLite file)")


def _details(d: Declaration) -> str:
    """What a receipt shows beyond the log's columns, so that it can be written again."""
    references = (d.references.employer, d.references.worker, d.references.declaration)
    return _details_text(
        d.employer.nsso_number,
        d.employer.name,
        d.worker.last_name,
        d.worker.first_name,
        _identification_text(d.worker),
        references,
        tuple(d.anomalies),
    )


@lru_cache(maxsize=4096)
def _details_text(
    nsso_number: str,
    employer_name: str,
    last_name: str,
    first_name: str,
    identification: str | None,
    references: tuple[str, str, str],
    anomalies: tuple[str, ...],
) -> str:
    """`_details` as JSON, dumped once per distinct content: a worker's shifts of a run
    mostly share it."""
    return json.dumps(
        {
            "nsso_number": nsso_number,
            "employer_name": employer_name,
            "last_name": last_name,
            "first_name": first_name,
            "identification": identification,
            "references": list(references),
            "anomalies": list(anomalies),
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _anomalies(text: str, details: str | None) -> tuple[str, ...]:
    if details:
        return tuple(json.loads(details)["anomalies"])
    return tuple(a for a in text.split("; ") if a)


def _logged(row: sqlite3.Row) -> Declaration:
    """A logged declaration as it was filed; a log of schema 1 is completed from its period."""
    if row["details"]:
        details = json.loads(row["details"])
    else:
        payload_worker = json.loads(row["payload"]).get("worker", {})
        details = {
            "nsso_number": row["p_nsso_number"] or "",
            "employer_name": row["p_employer_name"] or "",
            "last_name": row["p_last_name"] or payload_worker.get("familyName", ""),
            "first_name": row["p_first_name"] or payload_worker.get("givenName", ""),
            "identification": row["p_identification"],
            "references": [
                row["p_employer_reference"] or "",
                row["p_worker_reference"] or "",
                row["p_declaration_reference"] or "",
            ],
            "anomalies": None,
        }
    worker_row = {
        "insz": row["insz"],
        "last_name": details["last_name"],
        "first_name": details["first_name"],
        "identification": details["identification"],
    }
    return Declaration(
        declaration_id=row["declaration_id"],
        kind=Kind(row["kind"]),
        result=Result(row["result"]),
        period_id=row["period_id"],
        sent_at=_moment(row["sent_at"]),  # type: ignore[arg-type]
        start=_moment(row["start"]),  # type: ignore[arg-type]
        end=_moment(row["end"]),  # type: ignore[arg-type]
        employer=Employer(
            row["enterprise_number"], details["nsso_number"], details["employer_name"]
        ),
        worker=_worker(worker_row),  # type: ignore[arg-type]
        references=References(*details["references"]),
        payload=json.loads(row["payload"]),
        channel=row["channel"],
        anomalies=_anomalies(row["anomalies"], row["details"]),
        late=bool(row["late"]),
        source=row["source"],
    )
