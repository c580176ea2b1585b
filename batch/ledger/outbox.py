"""The outbox's SQL: every operation is a row, committed "to send" before anything leaves.

States: `to send` (planned) -> `sending` (committed just before the request) -> `sent` (the
NSSO's declaration id committed) -> `answered`; `refused` when the NSSO refused the request
itself (HTTP 400/403) or it can never be sent (the IN of the period it changes was refused);
`adopted` when its fate was unknown and the NSSO's own records settled it. A row answered S
(identification pending) is asked again by later runs until its answer is final.

An UPDATE or CANCEL of a period whose IN is still in flight points at the IN's row
(`after_operation`) until the IN's answer gives the period its number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from ..model import (
    BRUSSELS,
    Declaration,
    Employer,
    Identification,
    Kind,
    LoggedPayload,
    Operation,
    Period,
    PeriodStatus,
    References,
    Result,
    Worker,
)

TO_SEND = "to send"
SENDING = "sending"
SENT = "sent"
ANSWERED = "answered"
REFUSED = "refused"
ADOPTED = "adopted"
IN_FLIGHT = (TO_SEND, SENDING, SENT)
"""States of an operation the NSSO may hold or will hold: the plan counts them as declared."""

PLACEHOLDER = "outbox:"
"""The period number of an IN in flight, as the plan sees it: `outbox:<operation id>`."""


def _text(moment: dt.datetime | None) -> str | None:
    """A moment as the ledger keeps it (Brussels ISO text), worked out once per instant: a
    batch has few distinct ones. The cache's key carries the UTC offset: the two readings of
    the autumn's repeated hour are equal datetimes to Python, but not the same instant."""
    return None if moment is None else _brussels_text(moment, moment.utcoffset())


@lru_cache(maxsize=8192)
def _brussels_text(moment: dt.datetime, offset: dt.timedelta | None) -> str:
    return moment.astimezone(BRUSSELS).isoformat()


def _day(moment: dt.datetime) -> str:
    """The Brussels day of a moment (ISO), worked out once per instant (key as `_text`)."""
    return _brussels_day(moment, moment.utcoffset())


@lru_cache(maxsize=8192)
def _brussels_day(moment: dt.datetime, offset: dt.timedelta | None) -> str:
    return moment.astimezone(BRUSSELS).date().isoformat()


@lru_cache(maxsize=8192)
def _moment(text: str) -> dt.datetime:
    """A moment of the ledger's text (datetimes are immutable: one object per text)."""
    return dt.datetime.fromisoformat(text).astimezone(BRUSSELS)


@lru_cache(maxsize=1024)
@lru_cache(maxsize=4096)
def _employer(enterprise_number: str, nsso_number: str, name: str) -> Employer:
    """An employer of the outbox (frozen: one object shared by all its declarations)."""
    return Employer(enterprise_number, nsso_number, name)


@lru_cache(maxsize=4096)
def _references(employer: str | None, worker: str | None, declaration: str | None) -> References:
    """A shift's references (frozen: most shifts have none, and share one object)."""
    return References(employer, worker, declaration)


def _identification_text(worker: Worker) -> str | None:
    """A worker's identification as JSON (birth date as ISO text); None for an INSZ."""
    if worker.identification is None or worker.insz:
        return None
    fields = dataclasses.asdict(worker.identification)
    fields["birth_date"] = worker.identification.birth_date.isoformat()
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _worker(row: sqlite3.Row) -> Worker:
    """The worker of a periods row (also a joined worksheet row), identification included.

    One object per worker while it is in the cache: a run's declarations repeat each
    worker on every one of their shifts, and at a million shifts the copies weighed."""
    return _worker_of(
        row["insz"], row["last_name"] or "", row["first_name"] or "", row["identification"]
    )


@lru_cache(maxsize=1 << 17)
def _worker_of(insz: str | None, last_name: str, first_name: str, text: str | None) -> Worker:
    identification = None
    if text:
        fields = json.loads(text)
        fields["birth_date"] = dt.date.fromisoformat(fields["birth_date"])
        identification = Identification(**fields)
    return Worker(insz, last_name, first_name, identification)


def placeholder(operation_id: int) -> str:
    return f"{PLACEHOLDER}{operation_id}"


def waits_for(period_id: str) -> int | None:
    """The operation id an `outbox:N` period number stands for (None: a real number)."""
    if period_id.startswith(PLACEHOLDER):
        return int(period_id[len(PLACEHOLDER) :])
    return None


_COLUMNS = (
    "batch_id, kind, channel, enterprise_number, nsso_number, employer_name, insz,"
    " worker_key, identification, last_name, first_name, start, end, work_day,"
    " employer_reference, worker_reference, declaration_reference, source, late, period_id,"
    " after_operation, payload, planned_at"
)


def enqueue(
    db: sqlite3.Connection,
    batch_id: int,
    channel: str,
    operations: Sequence[Operation],
    payloads: Sequence[dict | str],
    planned_at: dt.datetime,
) -> list[int]:
    """One `to send` row per operation, in filing order; their operation ids.

    `payloads`: each body, or its JSON with sorted keys (`payloads.payload_json`).

    One statement for all (inside the batch's transaction, so the ids are consecutive
    after the largest one before).
    """

    def values(op: Operation, body: dict | str) -> tuple:
        references = op.shift.references if op.shift else op.period.references  # type: ignore
        source = op.shift.source if op.shift else None
        period_id, after = None, None
        if op.period is not None:
            after = waits_for(op.period.period_id)
            period_id = None if after is not None else op.period.period_id
        return (
            batch_id,
            op.kind.value,
            channel,
            op.employer.enterprise_number,
            op.employer.nsso_number,
            op.employer.name,
            op.worker.insz,
            op.worker.key,
            _identification_text(op.worker),
            op.worker.last_name,
            op.worker.first_name,
            _text(op.start),
            _text(op.end),
            _day(op.start),
            references.employer,
            references.worker,
            references.declaration,
            str(source) if source else (op.period.source if op.period else ""),
            int(op.late),
            period_id,
            after,
            body if type(body) is str else json.dumps(body, sort_keys=True),
            planned,
        )

    if len(operations) != len(payloads):
        raise ValueError("one payload per operation")
    planned = _text(planned_at)
    last = db.execute("SELECT COALESCE(MAX(operation_id), 0) FROM outbox").fetchone()[0]
    db.executemany(
        f"INSERT INTO outbox ({_COLUMNS}) VALUES ({', '.join('?' * 23)})",
        (values(op, body) for op, body in zip(operations, payloads, strict=True)),
    )
    ids = [
        r[0]
        for r in db.execute(
            "SELECT operation_id FROM outbox WHERE operation_id > ? ORDER BY operation_id",
            (last,),
        )
    ]
    assert len(ids) == len(operations), (len(ids), len(operations))
    return ids


def rows(
    db: sqlite3.Connection,
    states: Iterable[str],
    channel: str | None = None,
    result: str | None = None,
) -> list[sqlite3.Row]:
    """Operations in some states, in filing order."""
    wanted = list(states)
    sql = f"SELECT * FROM outbox WHERE state IN ({', '.join('?' * len(wanted))})"
    args: list[object] = list(wanted)
    if channel is not None:
        sql += " AND channel = ?"
        args.append(channel)
    if result is not None:
        sql += " AND result = ?"
        args.append(result)
    return list(db.execute(sql + " ORDER BY operation_id", args))


def count(db: sqlite3.Connection, states: Iterable[str]) -> int:
    """How many operations are in some states (the state index: history is not read)."""
    wanted = list(states)
    sql = f"SELECT COUNT(*) FROM outbox WHERE state IN ({', '.join('?' * len(wanted))})"
    return db.execute(sql, wanted).fetchone()[0]


CHUNK = 500
"""Rows read at a time when the outbox is walked in filing order."""


def stream(
    db: sqlite3.Connection, state: str, chunk: int = CHUNK, columns: str = "*"
) -> Iterator[sqlite3.Row]:
    """The operations in one state, in filing order, read `chunk` rows at a time.

    Each chunk is its own query after the last operation id seen, so steps written between
    two chunks are fine, and no more than a chunk of rows is held at once.
    """
    last = 0
    while True:
        found = db.execute(
            f"SELECT {columns} FROM outbox WHERE state = ? AND operation_id > ?"
            " ORDER BY operation_id LIMIT ?",
            (state, last, chunk),
        ).fetchall()
        yield from found
        if len(found) < chunk:
            return
        last = found[-1]["operation_id"]


def row(db: sqlite3.Connection, operation_id: int) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM outbox WHERE operation_id = ?", (operation_id,)).fetchone()


def of_batch(db: sqlite3.Connection, batch_id: int) -> list[sqlite3.Row]:
    return list(
        db.execute("SELECT * FROM outbox WHERE batch_id = ? ORDER BY operation_id", (batch_id,))
    )


_STEP_FIELDS = {
    "state",
    "declaration_id",
    "result",
    "reason",
    "period_id",
    "sent_at",
    "answered_at",
    "payload",
}


def step(db: sqlite3.Connection, operation_id: int, **fields: object) -> None:
    """One step of an operation (its state and what came with it); `attempts` counts sends."""
    assert fields and set(fields) <= _STEP_FIELDS | {"attempt"}, fields
    attempt = bool(fields.pop("attempt", False))
    values = {
        name: _text(value) if isinstance(value, dt.datetime) else value
        for name, value in fields.items()
    }
    sets = [f"{name} = ?" for name in values]
    if attempt:
        sets.append("attempts = attempts + 1")
    db.execute(
        f"UPDATE outbox SET {', '.join(sets)} WHERE operation_id = ?",
        (*values.values(), operation_id),
    )


def steps(
    db: sqlite3.Connection,
    names: Sequence[str],
    values: Iterable[Sequence],
    attempt: bool = False,
) -> None:
    """The same step for many operations in one statement (`step` for each, at once).

    `values`: per operation, the values of `names` followed by its operation id.
    """
    assert names and set(names) <= _STEP_FIELDS, names
    sets = ", ".join([*(f"{name} = ?" for name in names), *["attempts = attempts + 1"] * attempt])
    db.executemany(
        f"UPDATE outbox SET {sets} WHERE operation_id = ?",
        (tuple(_text(v) if isinstance(v, dt.datetime) else v for v in row) for row in values),
    )


def period_of(db: sqlite3.Connection, operation_id: int) -> tuple[str, str | None]:
    """The state and period number of an IN an UPDATE or CANCEL waits for."""
    found = db.execute(
        "SELECT state, result, period_id FROM outbox WHERE operation_id = ?", (operation_id,)
    ).fetchone()
    if found is None:
        return REFUSED, None
    if found["result"] == "B":
        return REFUSED, found["period_id"]
    return found["state"], found["period_id"]


def counts(db: sqlite3.Connection) -> dict[str, int]:
    """How many operations are in each state; `pending` counts those answered S."""
    found = {state: 0 for state in (*IN_FLIGHT, ANSWERED, REFUSED, ADOPTED)}
    for state, number in db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"):
        found[state] = number
    found["pending"] = db.execute(
        "SELECT COUNT(*) FROM outbox o JOIN periods p ON p.period_id = o.period_id"
        " WHERE o.kind = 'IN' AND o.result = 'S' AND p.status = 'pending'"
    ).fetchone()[0]
    return found


def pending(db: sqlite3.Connection, channel: str | None = None) -> list[sqlite3.Row]:
    """INs answered S whose period is still pending: their final answer is still to come."""
    sql = (
        "SELECT o.*, d.payload AS logged_payload FROM outbox o"
        " JOIN periods p ON p.period_id = o.period_id"
        " JOIN declarations d ON d.declaration_id = o.declaration_id"
        " WHERE o.kind = 'IN' AND o.result = 'S' AND p.status = 'pending'"
    )
    args: tuple = ()
    if channel is not None:
        sql += " AND o.channel = ?"
        args = (channel,)
    return list(db.execute(sql + " ORDER BY o.operation_id", args))


_KINDS = {kind.value: kind for kind in Kind}
"""A kind by its value, looked up (the enum's own call costs more, per answered row)."""


def declaration(
    row: sqlite3.Row,
    declaration_id: str,
    result: Result,
    anomalies: Sequence[str],
    period_id: str | None,
    sent_at: dt.datetime,
    payload: dict | None = None,
) -> Declaration:
    """The declaration an answered operation is in the log: as `Ledger.record` takes it."""
    return Declaration(
        declaration_id=declaration_id,
        kind=_KINDS.get(row["kind"]) or Kind(row["kind"]),
        result=result,
        period_id=period_id,
        sent_at=sent_at,
        start=_moment(row["start"]),
        end=_moment(row["end"]),
        employer=_employer(row["enterprise_number"], row["nsso_number"], row["employer_name"]),
        worker=_worker(row),
        references=_references(
            row["employer_reference"], row["worker_reference"], row["declaration_reference"]
        ),
        payload=payload if payload is not None else LoggedPayload(row["payload"]),
        channel=sys.intern(row["channel"]),  # one of three words, on every declaration
        anomalies=tuple(anomalies),
        late=bool(row["late"]),
        source=row["source"],
    )


def overlay(
    db: sqlite3.Connection,
    periods: list[Period],
    day_from: dt.date | None,
    day_to: dt.date | None,
    enterprise_numbers: Iterable[str] | None,
) -> list[Period]:
    """The periods as they will be once what is in flight is answered.

    An IN in flight is a live period (numbered `outbox:<id>` until its answer comes), an
    UPDATE in flight gives its period the new times, a CANCEL in flight takes it away.
    """
    numbers = None if enterprise_numbers is None else set(enterprise_numbers)
    by_id = {p.period_id: p for p in periods}
    for found in rows(db, IN_FLIGHT):
        if numbers is not None and found["enterprise_number"] not in numbers:
            continue
        start, end = _moment(found["start"]), _moment(found["end"])
        if found["kind"] == Kind.IN.value:
            day = found["work_day"]
            if (day_from and day < day_from.isoformat()) or (day_to and day > day_to.isoformat()):
                continue
            period_id = placeholder(found["operation_id"])
            by_id[period_id] = Period(
                period_id=period_id,
                employer=Employer(
                    found["enterprise_number"], found["nsso_number"], found["employer_name"]
                ),
                worker=_worker(found),
                planned_start=start,
                planned_end=end,
                declared_start=start,
                declared_end=end,
                status=PeriodStatus.ACTIVE if found["insz"] else PeriodStatus.PENDING,
                channel=found["channel"],
                references=References(
                    found["employer_reference"],
                    found["worker_reference"],
                    found["declaration_reference"],
                ),
                source=found["source"],
            )
            continue
        target = found["period_id"] or placeholder(found["after_operation"])
        period = by_id.get(target)
        if period is None:
            continue
        if found["kind"] == Kind.CANCEL.value:
            del by_id[target]
        else:
            by_id[target] = dataclasses.replace(period, declared_start=start, declared_end=end)
    return sorted(by_id.values(), key=lambda p: (*p.key, p.declared_start.astimezone(dt.UTC)))
