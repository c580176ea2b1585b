"""The office's questions to the ledger, as queries: which periods, what happened, what is due.

Every query is bounded by what it is asked (an employer, a worker, a span of work days, one
period) and runs on an index of the schema (steps 1 and 4); `batch.office` turns the rows
into the dataclasses the commands list. A manual item or a due item counts as handled when
a note on its period was written in a later batch than the item (`_NOT_HANDLED`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence

from ..model import BRUSSELS, Action, Correction

NOT_ELIGIBLE = "90017-510"

# An item of batch `item_batch` on period `item_period` that no later note has handled.
_NOT_HANDLED = (
    "NOT EXISTS (SELECT 1 FROM handled h WHERE h.period_id = {period} AND h.batch_id > {batch})"
)


def _text(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(BRUSSELS).isoformat()


def moment(text: str | None) -> dt.datetime | None:
    """A moment as the ledger keeps it (ISO text with its UTC offset), in Brussels."""
    return None if text is None else dt.datetime.fromisoformat(text).astimezone(BRUSSELS)


# --- periods ---------------------------------------------------------------------------

_LAST_DECLARATION = (
    "(SELECT d.rowid FROM declarations d WHERE d.period_id = p.period_id"
    " ORDER BY d.rowid DESC LIMIT 1)"
)
_LAST_ANSWER = (
    "(SELECT a2.rowid FROM answers a2 WHERE a2.declaration_id = d.declaration_id"
    " ORDER BY a2.rowid DESC LIMIT 1)"
)


def periods(
    db: sqlite3.Connection,
    enterprise_number: str | None = None,
    worker_key: str | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    statuses: Sequence[str] | None = None,
    period_id: str | None = None,
) -> list[sqlite3.Row]:
    """Periods by work day, each with its last declaration's type, result and anomalies.

    The result and anomalies are those of the latest answer to that declaration, if a later
    one came (an S resolved); `in_result` is how the period's IN was last answered.
    """
    where, args = _period_filter(enterprise_number, worker_key, day_from, day_to)
    if statuses:
        where.append(f"p.status IN ({','.join('?' * len(statuses))})")
        args.extend(statuses)
    if period_id is not None:
        where.append("p.period_id = ?")
        args.append(period_id)
    sql = (
        f"WITH chosen AS (SELECT p.*, {_LAST_DECLARATION} AS last_declaration FROM periods p"
        f" WHERE {' AND '.join(where) or '1=1'})"
        " SELECT c.*, d.kind AS last_kind,"
        " COALESCE(a.result, d.result) AS last_result,"
        " CASE WHEN a.rowid IS NULL THEN d.anomalies ELSE a.anomalies END AS last_anomalies"
        " FROM chosen c LEFT JOIN declarations d ON d.rowid = c.last_declaration"
        f" LEFT JOIN answers a ON a.rowid = {_LAST_ANSWER}"
        " ORDER BY c.work_day, c.declared_start, c.enterprise_number, c.last_name,"
        " c.first_name, c.period_id"
    )
    return list(db.execute(sql, args))


def _period_filter(
    enterprise_number: str | None,
    worker_key: str | None,
    day_from: dt.date | None,
    day_to: dt.date | None,
) -> tuple[list[str], list[object]]:
    where: list[str] = []
    args: list[object] = []
    if enterprise_number is not None:
        where.append("p.enterprise_number = ?")
        args.append(enterprise_number)
    if worker_key is not None:
        where.append("p.worker_key = ?")
        args.append(worker_key)
    if day_from is not None:
        where.append("p.work_day >= ?")
        args.append(day_from.isoformat())
    if day_to is not None:
        where.append("p.work_day <= ?")
        args.append(day_to.isoformat())
    return where, args


def refused_ins(
    db: sqlite3.Connection,
    enterprise_number: str | None = None,
    insz: str | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
) -> list[sqlite3.Row]:
    """INs the NSSO refused at once: no period was made, so only the log knows them."""
    where = ["kind = 'IN'", "result = 'B'", "period_id IS NULL"]
    args: list[object] = []
    # `start` is ISO text in Brussels time: its first ten characters are the work day.
    if day_from is not None:
        where.append("start >= ?")
        args.append(day_from.isoformat())
    if day_to is not None:
        where.append("start < ?")
        args.append((day_to + dt.timedelta(days=1)).isoformat())
    if enterprise_number is not None:
        where.append("enterprise_number = ?")
        args.append(enterprise_number)
    if insz is not None:
        where.append("insz = ?")
        args.append(insz)
    sql = f"SELECT * FROM declarations WHERE {' AND '.join(where)} ORDER BY start, rowid"
    return list(db.execute(sql, args))


# --- one period's history ----------------------------------------------------------------


def period_row(db: sqlite3.Connection, period_id: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM periods WHERE period_id = ?", (period_id,)).fetchone()


def declarations_of(db: sqlite3.Connection, period_id: str) -> list[sqlite3.Row]:
    """Every declaration of the period in filing order, with its batch's command."""
    return list(
        db.execute(
            "SELECT d.*, b.command AS batch_command FROM declarations d"
            " JOIN batches b ON b.batch_id = d.batch_id"
            " WHERE d.period_id = ? ORDER BY d.rowid",
            (period_id,),
        )
    )


def answers_of(db: sqlite3.Connection, declaration_ids: Sequence[str]) -> list[sqlite3.Row]:
    """Later answers to these declarations, in the order they came."""
    if not declaration_ids:
        return []
    marks = ",".join("?" * len(declaration_ids))
    return list(
        db.execute(
            f"SELECT * FROM answers WHERE declaration_id IN ({marks}) ORDER BY rowid",
            list(declaration_ids),
        )
    )


def notes_of(db: sqlite3.Connection, period_id: str) -> list[sqlite3.Row]:
    return list(
        db.execute("SELECT * FROM handled WHERE period_id = ? ORDER BY rowid", (period_id,))
    )


def worksheet_of(db: sqlite3.Connection, period_id: str) -> list[sqlite3.Row]:
    """The worksheet rows of a period (to type, imported or void), by key."""
    return list(
        db.execute(
            "SELECT * FROM worksheet WHERE period_id = ? OR key = ? ORDER BY key",
            (period_id, period_id),
        )
    )


def manual_of(db: sqlite3.Connection, period_id: str) -> list[sqlite3.Row]:
    return list(
        db.execute("SELECT * FROM manual_items WHERE period_id = ? ORDER BY rowid", (period_id,))
    )


def known(db: sqlite3.Connection, period_id: str) -> bool:
    """A period number (or worksheet key) the ledger knows: a note may be written on it."""
    return any(
        db.execute(sql, (period_id,)).fetchone()
        for sql in (
            "SELECT 1 FROM periods WHERE period_id = ?",
            "SELECT 1 FROM worksheet WHERE key = ?",
            "SELECT 1 FROM manual_items WHERE period_id = ?",
        )
    )


def has_note(db: sqlite3.Connection, period_id: str, note: str) -> bool:
    found = db.execute(
        "SELECT 1 FROM handled WHERE period_id = ? AND note = ?", (period_id, note)
    ).fetchone()
    return found is not None


# --- what is due -----------------------------------------------------------------------


def to_type(db: sqlite3.Connection) -> list[sqlite3.Row]:
    """Worksheet rows still to type in the web form, with the names of their period."""
    handled = _NOT_HANDLED.format(period="COALESCE(w.period_id, w.key)", batch="w.batch_id")
    return list(
        db.execute(
            "SELECT w.*, p.employer_name, p.last_name, p.first_name FROM worksheet w"
            " LEFT JOIN periods p ON p.period_id = COALESCE(w.period_id, w.key)"
            f" WHERE w.state = 'to type' AND {handled} ORDER BY w.deadline, w.key"
        )
    )


def pending(db: sqlite3.Connection) -> list[sqlite3.Row]:
    """Periods whose IN is still answered S (SIGeDIS identifying the worker)."""
    handled = _NOT_HANDLED.format(period="p.period_id", batch="d.batch_id")
    return list(
        db.execute(
            "SELECT p.*, d.declaration_id, d.sent_at, d.batch_id AS item_batch"
            " FROM periods p JOIN declarations d ON d.period_id = p.period_id AND d.kind = 'IN'"
            f" WHERE p.status = 'pending' AND {handled}"
            " ORDER BY p.declared_start, p.period_id"
        )
    )


def not_eligible(db: sqlite3.Connection, day_from: dt.date) -> list[sqlite3.Row]:
    """Live periods from `day_from` on whose declaration or later answer carried 90017-510."""
    like = f"%{NOT_ELIGIBLE}%"
    handled = _NOT_HANDLED.format(period="p.period_id", batch="w.batch_id")
    return list(
        db.execute(
            "WITH warned AS ("
            " SELECT period_id, batch_id, anomalies FROM declarations"
            " WHERE result = 'W' AND anomalies LIKE ?"
            " UNION ALL SELECT d.period_id, a.batch_id, a.anomalies FROM answers a"
            " JOIN declarations d ON d.declaration_id = a.declaration_id"
            " WHERE a.result = 'W' AND a.anomalies LIKE ?)"
            " SELECT p.*, MAX(w.batch_id) AS item_batch FROM warned w"
            " JOIN periods p ON p.period_id = w.period_id"
            f" WHERE p.status != 'cancelled' AND p.work_day >= ? AND {handled}"
            " GROUP BY p.period_id ORDER BY p.declared_start, p.period_id",
            (like, like, day_from.isoformat()),
        )
    )


def open_manual_items(db: sqlite3.Connection) -> list[sqlite3.Row]:
    """Reconciliation's manual items that no later note handled."""
    handled = _NOT_HANDLED.format(period="m.period_id", batch="m.batch_id")
    return list(
        db.execute(
            f"SELECT m.* FROM manual_items m WHERE (m.period_id IS NULL OR {handled})"
            " ORDER BY m.deadline IS NULL, m.deadline, m.rowid"
        )
    )


def in_flight(db: sqlite3.Connection) -> list[sqlite3.Row]:
    """Operations of the outbox still to send or sent without an answer, by start.

    `due` lists them as pending an answer: `sync` (or the next run) goes on with them. The
    period number is empty for an IN (the NSSO gives it with the answer).
    """
    return list(
        db.execute(
            "SELECT CASE WHEN period_id LIKE 'outbox:%' THEN NULL ELSE period_id END"
            " AS period_id, enterprise_number, employer_name, insz, last_name, first_name,"
            " start, kind, state FROM outbox WHERE state IN ('to send', 'sending', 'sent')"
            " ORDER BY start, operation_id"
        )
    )


def add_manual_items(
    db: sqlite3.Connection, batch_id: int, corrections: Iterable[Correction]
) -> None:
    """Keep the manual corrections of a reconciliation; one the ledger holds already (open or
    handled: the same actuals reconciled again) is not kept twice."""
    for c in corrections:
        if c.action is not Action.MANUAL:
            continue
        findings = "; ".join(str(f) for f in c.findings)
        start = c.declared_start or c.actual_start
        key = c.period_id
        if key is None:
            same = db.execute(
                "SELECT rowid FROM manual_items WHERE period_id IS NULL AND enterprise_number = ?"
                " AND insz = ? AND start IS ? AND findings = ?",
                (c.employer.enterprise_number, c.worker.insz, _text(start), findings),
            ).fetchone()
        else:
            same = db.execute(
                "SELECT rowid FROM manual_items WHERE period_id = ? AND findings = ?",
                (key, findings),
            ).fetchone()
        if same is not None:
            continue
        db.execute(
            "INSERT INTO manual_items (batch_id, period_id, enterprise_number, employer_name,"
            " insz, last_name, first_name, findings, start, deadline, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                batch_id,
                key,
                c.employer.enterprise_number,
                c.employer.name,
                c.worker.insz,
                c.worker.last_name,
                c.worker.first_name,
                findings,
                _text(start),
                _text(c.deadline),
                str(c.source) if c.source else "",
            ),
        )


# --- receipts by employer and work day, across batches ---------------------------------


def receipts(
    db: sqlite3.Connection,
    enterprise_number: str | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
) -> list[sqlite3.Row]:
    """Every logged declaration of an employer whose work day (its start, in Brussels) lies
    in [day_from, day_to], in filing order, with the latest later answer to it if one came.

    The columns are those `Ledger.receipts` reads (`p_*` from the period, `a_*` the answer).
    """
    where: list[str] = []
    args: list[object] = []
    # `start` is ISO text in Brussels time: its first ten characters are the work day.
    if day_from is not None:
        where.append("d.start >= ?")
        args.append(day_from.isoformat())
    if day_to is not None:
        where.append("d.start < ?")
        args.append((day_to + dt.timedelta(days=1)).isoformat())
    if enterprise_number is not None:
        where.append("d.enterprise_number = ?")
        args.append(enterprise_number)
    sql = (
        "SELECT d.*, p.nsso_number AS p_nsso_number, p.employer_name AS p_employer_name,"
        " p.last_name AS p_last_name, p.first_name AS p_first_name,"
        " p.identification AS p_identification, p.employer_reference AS p_employer_reference,"
        " p.worker_reference AS p_worker_reference,"
        " p.declaration_reference AS p_declaration_reference,"
        " a.result AS a_result, a.anomalies AS a_anomalies, a.answered_at AS a_answered_at,"
        " a.details AS a_details"
        " FROM declarations d LEFT JOIN periods p ON p.period_id = d.period_id"
        f" LEFT JOIN answers a ON a.rowid = {_LAST_ANSWER}"
        f" WHERE {' AND '.join(where) or '1=1'} ORDER BY d.rowid"
    )
    return list(db.execute(sql, args))
