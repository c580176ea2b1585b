"""The SQLite ledger: the one source of truth about what was declared.

`periods` holds each period's current state; `declarations` is an append-only log of every
declaration filed, with its REST v2 payload and the NSSO's answer; `answers` an append-only
log of later answers to them (a pending S resolved once SIGeDIS identified the worker).
A worker is keyed by `worker_key`: the INSZ, or for a worker without INSZ the key of name
and birth date (`model.identity_key`), the identification kept beside it as JSON.

A batch is one write transaction, taken before planning (so two runs on one ledger cannot
both declare a shift) and committed after recording: a crash leaves the ledger as it was
before the batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .model import (
    BRUSSELS,
    Declaration,
    Employer,
    Identification,
    Kind,
    Period,
    PeriodStatus,
    References,
    Result,
    Worker,
    WorksheetItem,
)

SCHEMA = """
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


def _identification_text(worker: Worker) -> str | None:
    """A worker's identification as JSON (birth date as ISO text); None for an INSZ."""
    if worker.identification is None or worker.insz:
        return None
    fields = dataclasses.asdict(worker.identification)
    fields["birth_date"] = worker.identification.birth_date.isoformat()
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _worker(row: sqlite3.Row) -> Worker:
    """The worker of a periods row (also a joined worksheet row), identification included."""
    text = row["identification"]
    identification = None
    if text:
        fields = json.loads(text)
        fields["birth_date"] = dt.date.fromisoformat(fields["birth_date"])
        identification = Identification(**fields)
    return Worker(row["insz"], row["last_name"] or "", row["first_name"] or "", identification)


def _moment(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text).astimezone(BRUSSELS)


class Ledger:
    """A ledger file; use `batch()` for every change."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.executescript(SCHEMA)
        self.batch_id: int | None = None

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(
        self, command: str, as_of: dt.datetime, inputs: Sequence[str], channel: str
    ) -> Iterator[int]:
        """One write transaction: all the batch's periods and declarations, or none."""
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            cursor = db.execute(
                "INSERT INTO batches (command, as_of, inputs, channel) VALUES (?, ?, ?, ?)",
                (command, _text(as_of), json.dumps(list(inputs)), channel),
            )
            self.batch_id = cursor.lastrowid
            yield self.batch_id
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")
        finally:
            self.batch_id = None

    # --- reading ------------------------------------------------------------------------

    def periods(
        self,
        enterprise_numbers: Iterable[str] | None = None,
        day_from: dt.date | None = None,
        day_to: dt.date | None = None,
        include_cancelled: bool = False,
    ) -> list[Period]:
        """Periods whose work day (declared start date) lies in [day_from, day_to]."""
        sql = "SELECT * FROM periods WHERE 1=1"
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
        sql += " ORDER BY enterprise_number, worker_key, declared_start"
        return [_period(row) for row in self.connection.execute(sql, args)]

    def periods_of(self, enterprise_number: str, worker_key: str) -> list[Period]:
        """Every period of one worker (`Worker.key`) at one employer, cancelled ones included."""
        rows = self.connection.execute(
            "SELECT * FROM periods WHERE enterprise_number = ? AND worker_key = ?"
            " ORDER BY declared_start",
            (enterprise_number, worker_key),
        )
        return [_period(row) for row in rows]

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

    def record(self, declarations: Sequence[Declaration]) -> None:
        """Append the declarations to the log and bring the periods up to date."""
        self.log(declarations)
        self.apply(declarations)

    def log(self, declarations: Sequence[Declaration]) -> None:
        """Append the declarations to the append-only log."""
        if self.batch_id is None:
            raise RuntimeError("log() must run inside Ledger.batch()")
        self.connection.executemany(
            "INSERT INTO declarations (declaration_id, batch_id, kind, result, anomalies,"
            " period_id, sent_at, start, end, enterprise_number, insz, late, channel, source,"
            " payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    d.declaration_id,
                    self.batch_id,
                    d.kind.value,
                    d.result.value,
                    "; ".join(d.anomalies),
                    d.period_id,
                    _text(d.sent_at),
                    _text(d.start),
                    _text(d.end),
                    d.employer.enterprise_number,
                    d.worker.insz,
                    int(d.late),
                    d.channel,
                    d.source,
                    json.dumps(d.payload, sort_keys=True),
                )
                for d in declarations
            ],
        )

    def apply(self, declarations: Sequence[Declaration]) -> None:
        """Bring the periods up to date with accepted declarations.

        Applied in filing order: the channel judged each one against the state its
        predecessors left (a CANCEL before the IN that takes its place).
        """
        db = self.connection
        for d in declarations:
            if d.result is Result.REFUSED:
                continue
            if d.kind is Kind.IN:
                db.execute(_INSERT_PERIOD, self._period_row(d))
            elif d.kind is Kind.UPDATE:
                db.execute(
                    "UPDATE periods SET declared_start = ?, declared_end = ?, work_day = ?"
                    " WHERE period_id = ?",
                    (_text(d.start), _text(d.end), _day(d.start), d.period_id),
                )
            else:
                db.execute(
                    "UPDATE periods SET status = 'cancelled' WHERE period_id = ?", (d.period_id,)
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
            "INSERT INTO answers (declaration_id, result, anomalies, answered_at, batch_id)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (
                    d.declaration_id,
                    d.result.value,
                    "; ".join(d.anomalies),
                    _text(d.answered_at or d.sent_at),
                    self.batch_id,
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
            _text(d.start),
            _text(d.end),
            _text(d.start),
            _text(d.end),
            status.value,
            d.channel,
            d.references.employer,
            d.references.worker,
            d.references.declaration,
            d.source,
            self.batch_id,
            _day(d.start),
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
