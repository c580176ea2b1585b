"""The NSSO's Dimona service as a simulator: its own state, its rules, its answers.

Payload dicts in, REST v2 JSON dicts out (domain.md §4-5); it never sees the ledger. The
state is its own SQLite file, so the NSSO and an office's ledger can disagree as in life.
The rules are today's sandbox's: refused (B) for a bad or unknown INSZ, an overlap, a
change of an unknown or cancelled period, a worker without INSZ or full identification;
warned (W) for a late IN, a late change or cancel (the rule table's deadlines), a worker
who does not meet the flexi conditions. A worker without INSZ is answered S first; a later
look at the declaration answers what SIGeDIS found. Lateness is judged by the `now` of the
submission; the answer is visible from `now + delay`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .. import anomalies as anomaly
from ..anomalies import Anomaly
from ..channels import codes
from ..identifiers import insz_is_valid
from ..model import BRUSSELS, UTC
from ..rules import RuleBook, Times, is_late
from .body import Invalid, Request, employer_key, moment, read, worker_key

__all__ = ["FIRST_DECLARATION", "FIRST_PERIOD", "Invalid", "Nsso", "StateError"]

FIRST_PERIOD = 660_740_832_053
FIRST_DECLARATION = 318_400_000_001
SCHEMA_VERSION = 3
BELGIUM = codes.BELGIUM

_SQLITE_HEADER = b"SQLite format 3\x00"
_INSERT_PERIOD = "INSERT INTO periods VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_DECLARATION = (
    "INSERT INTO declarations (id, client, kind, payload, received_at, visible_from,"
    " result, period_id, anomalies, resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

_SCHEMA = """
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE periods (
    id                INTEGER PRIMARY KEY,
    employer          TEXT NOT NULL,
    employer_key      TEXT NOT NULL,
    enterprise_number TEXT NOT NULL,
    worker            TEXT NOT NULL,
    worker_key        TEXT NOT NULL,
    ssin              TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    start_hour        TEXT NOT NULL,
    end_date          TEXT NOT NULL,
    end_hour          TEXT NOT NULL,
    start_utc         TEXT NOT NULL,
    end_utc           TEXT NOT NULL,
    status            TEXT NOT NULL
);
CREATE INDEX periods_by_day ON periods (enterprise_number, start_date);
CREATE INDEX periods_by_start ON periods (start_date, employer_key, worker_key);
CREATE INDEX periods_unidentified ON periods (worker_key) WHERE ssin = '';
CREATE TABLE declarations (
    id            INTEGER PRIMARY KEY,
    client        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    visible_from  REAL NOT NULL,
    result        TEXT NOT NULL,
    period_id     INTEGER,
    anomalies     TEXT NOT NULL,
    resolution    TEXT,
    pending_shown INTEGER NOT NULL DEFAULT 0
);
"""
_UPGRADES = {
    # 2: the look-ups a search by worker and an identification make, bounded however many
    # periods the state holds
    2: """
CREATE INDEX IF NOT EXISTS periods_by_worker_day ON periods (enterprise_number, ssin, start_date);
CREATE INDEX IF NOT EXISTS periods_unidentified ON periods (worker_key) WHERE ssin = '';
""",
    # 3: new periods go at the end of the indexes, not among each worker's earlier ones (with
    # a long history every period filed was written to another page of each index by worker):
    # an overlap is looked for by start day, employer and worker, on the days a period that
    # overlaps can have started (`longest_period`: the longest period ever held, in seconds);
    # a search by worker reads the employer's days asked, as one without a worker does.
    3: """
DROP INDEX IF EXISTS periods_by_worker;
DROP INDEX IF EXISTS periods_by_worker_day;
CREATE INDEX IF NOT EXISTS periods_by_start ON periods (start_date, employer_key, worker_key);
INSERT OR IGNORE INTO counters SELECT 'longest_period',
    COALESCE(MAX(strftime('%s', end_utc) - strftime('%s', start_utc)), 0) FROM periods;
""",
}


class StateError(Exception):
    """The state file cannot be used (not SQLite, from a newer version, unreadable)."""


def _instant(moment: dt.datetime) -> str:
    """A moment as sortable UTC text (a batch has few distinct moments: each worked out once;
    the key carries the UTC offset, as the repeated hour's two readings are equal to Python)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime: the NSSO's clock must be timezone-aware")
    return _utc_text(moment, moment.utcoffset())


@lru_cache(maxsize=8192)
def _utc_text(moment: dt.datetime, offset: dt.timedelta | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=1024)
def _employer_text(employer: tuple[tuple[str, object], ...] | None) -> str:
    """An employer of a body (its one number) as the periods keep it: dumped once per employer."""
    return json.dumps(
        None if employer is None else dict(employer), ensure_ascii=False, sort_keys=True
    )


def _said(which: Anomaly, **params: object) -> dict:
    """An anomaly as the answer carries it."""
    return {
        "code": which.code,
        "descriptionNl": which.description("nl", **params),
        "descriptionFr": which.description("fr", **params),
    }


class Nsso:
    """The NSSO's periods and declarations, kept in one SQLite file, one lock for all.

    Each request is its own transaction, unless a client opens a `group()`: then the
    requests inside are committed together at its end.
    """

    def __init__(
        self,
        state: Path,
        rules: RuleBook | None = None,
        not_eligible: Iterable[str] = (),
        unknown_workers: Iterable[str] = (),
        delay: float = 0.0,
    ):
        self.state = Path(state)
        self.rules = rules or RuleBook()
        self.not_eligible = frozenset(not_eligible)
        self.unknown_workers = frozenset(unknown_workers)
        self.delay = float(delay)
        self._lock = threading.RLock()
        self._db = _open(self.state)
        self._depth = 0
        self._failed = False
        self._counters: dict[str, int] = {}
        # what this group received, written at once before anything reads it back
        self._new_periods: list[tuple] = []
        self._new_declarations: list[tuple] = []
        self._new_by_worker: dict[tuple[str, str], list[tuple[int, str, str]]] = {}

    def group(self) -> _Group:
        """Requests committed together, once, at the end (groups may nest: the outermost
        commits). A client that records the answers only after the group, as the filing
        engine does, finds after a crash either the whole group here or none of it. An
        error inside undoes the whole group; other threads wait until it ends."""
        return _Group(self)

    def _end(self) -> None:
        try:
            if self._failed:
                self._db.rollback()
            else:
                self._write_new()
                for name, value in self._counters.items():
                    self._db.execute("UPDATE counters SET value = ? WHERE name = ?", (value, name))
                self._db.commit()
        except BaseException:
            self._db.rollback()
            raise
        finally:
            self._failed = False
            self._counters.clear()
            self._forget_new()

    def _write_new(self) -> None:
        """The periods and declarations this group received, written in one statement each
        (one INSERT per request was most of a request's cost): before the group commits and
        before anything reads the tables back."""
        if self._new_periods:
            self._db.executemany(_INSERT_PERIOD, self._new_periods)
        if self._new_declarations:
            self._db.executemany(_INSERT_DECLARATION, self._new_declarations)
        self._forget_new()

    def _forget_new(self) -> None:
        self._new_periods.clear()
        self._new_declarations.clear()
        self._new_by_worker.clear()

    # --- the service ----------------------------------------------------------------------

    def submit(self, payload: dict, now: dt.datetime, client: str = "", text: str = "") -> str:
        """Receive a declaration: its id. It is judged at once, its answer kept for later.

        `text`: the body as it was received (JSON), kept as it came; else dumped here.
        """
        request = read(payload)
        received = _instant(now)
        with self.group():
            declaration_id = self._take("next_declaration")
            if request.kind == "IN":
                result, said, period_id, resolution = self._in(request, now)
            elif request.kind == "UPDATE":
                result, said, period_id = self._update(request, now)
                resolution = None
            else:
                result, said, period_id = self._cancel(request, now)
                resolution = None
            self._new_declarations.append(
                (
                    declaration_id,
                    client,
                    request.kind,
                    text or json.dumps(payload, ensure_ascii=False, sort_keys=True),
                    received,
                    now.timestamp() + self.delay,
                    result,
                    period_id,
                    json.dumps(said, ensure_ascii=False) if said else "[]",
                    json.dumps(resolution, ensure_ascii=False) if resolution else None,
                )
            )
        return str(declaration_id)

    def status(self, declaration_id: str, now: dt.datetime) -> dict | None:
        """The `declarationStatus` object; None for an unknown or not yet processed id."""
        return self.statuses([declaration_id], now)[0]

    def statuses(self, declaration_ids: list[str], now: dt.datetime) -> list[dict | None]:
        """`status` of each declaration, in order, read in one query per few hundred ids
        (a group's answers asked at once); an id asked twice is answered once."""
        if now.tzinfo is None:
            raise ValueError("a naive datetime: the NSSO's clock must be timezone-aware")
        numbers = [_number(declaration_id) for declaration_id in declaration_ids]
        wanted = sorted({number for number in numbers if number is not None})
        answers: dict[int, dict | None] = {}
        with self.group():
            self._write_new()
            rows: dict[int, sqlite3.Row] = {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                for row in self._db.execute(
                    f"SELECT * FROM declarations WHERE id IN ({marks})", chunk
                ):
                    rows[row["id"]] = row
            for number in numbers:
                if number is not None and number not in answers:
                    answers[number] = self._status(rows.get(number), now)
        return [None if number is None else answers[number] for number in numbers]

    def _status(self, row: sqlite3.Row | None, now: dt.datetime) -> dict | None:
        """One declaration's status (inside a group): showing an S once moves it on."""
        if row is None or now.timestamp() < row["visible_from"]:
            return None
        said_text = row["anomalies"]
        result, said = row["result"], [] if said_text == "[]" else json.loads(said_text)
        if result == "S" and row["pending_shown"]:
            resolution = json.loads(row["resolution"])
            result, said = resolution["result"], resolution["anomalies"]
            settled = "cancelled" if result == "B" else "active"
            self._db.execute(
                "UPDATE periods SET status = ? WHERE id = ? AND status = 'pending'",
                (settled, row["period_id"]),
            )
        elif result == "S":
            self._db.execute("UPDATE declarations SET pending_shown = 1 WHERE id = ?", (row["id"],))
        answer: dict = {"declarationId": row["id"], "result": result}
        if row["period_id"] is not None:
            answer["period"] = {"id": row["period_id"]}
        answer["anomalies"] = said
        return answer

    def period(self, period_id: str) -> dict | None:
        """The period item of /periods/{id}; None if there is no such period."""
        number = _number(period_id)
        if number is None:
            return None
        with self._lock:
            self._write_new()
            row = self._db.execute("SELECT * FROM periods WHERE id = ?", (number,)).fetchone()
        return None if row is None else _item(row)

    def client_of(self, declaration_id: str) -> str | None:
        """Who sent a declaration (the server shows it to that client only); None if unknown."""
        number = _number(declaration_id)
        if number is None:
            return None
        with self._lock:
            self._write_new()
            row = self._db.execute(
                "SELECT client FROM declarations WHERE id = ?", (number,)
            ).fetchone()
        return None if row is None else row["client"]

    def search(
        self,
        enterprise_number: str,
        ssin: str | None,
        start: dt.date,
        end: dt.date,
        page: int = 1,
        page_size: int = 50,
    ) -> tuple[list[dict], bool]:
        """One page of the employer's periods (cancelled too) starting in [start, end]."""
        if page < 1 or page_size < 1:
            raise ValueError("page and page_size start at 1")
        sql = "SELECT * FROM periods WHERE enterprise_number = ? AND start_date BETWEEN ? AND ?"
        args: list[object] = [enterprise_number, start.isoformat(), end.isoformat()]
        if ssin:
            sql += " AND ssin = ?"
            args.append(ssin)
        sql += " ORDER BY id LIMIT ? OFFSET ?"
        args += [page_size + 1, (page - 1) * page_size]
        with self._lock:
            self._write_new()
            rows = self._db.execute(sql, args).fetchall()
        return [_item(row) for row in rows[:page_size]], len(rows) > page_size

    def seed(self, periods: Iterable[dict], next_period: int, next_declaration: int) -> None:
        """Take over the periods a ledger's old sandbox answered (period items as `period`
        gives them); numbering goes on after the largest. Seeding again changes nothing."""
        rows = []
        longest = dt.timedelta(0)
        for item in periods:
            start = moment(item["startDate"], item["startHour"])
            end = moment(item["endDate"], item["endHour"])
            longest = max(longest, end - start)
            employer, worker = item["employer"], item["worker"]
            rows.append(
                (
                    int(item["id"]),
                    json.dumps(employer, ensure_ascii=False, sort_keys=True),
                    employer_key(employer),
                    employer.get("enterpriseNumber", ""),
                    json.dumps(worker, ensure_ascii=False, sort_keys=True),
                    worker_key(worker),
                    worker.get("ssin") or "",
                    item["startDate"],
                    item["startHour"],
                    item["endDate"],
                    item["endHour"],
                    _instant(start),
                    _instant(end),
                    item.get("status", "active"),
                )
            )
        with self.group():
            self._write_new()
            self._db.executemany(_INSERT_PERIOD.replace("INSERT", "INSERT OR IGNORE", 1), rows)
            self._lengthen(longest)
            largest = self._db.execute("SELECT MAX(id) FROM periods").fetchone()[0] or 0
            self._raise("next_period", max(next_period, largest + 1))
            self._raise("next_declaration", next_declaration)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Nsso:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the rules ------------------------------------------------------------------------

    def _in(
        self, request: Request, now: dt.datetime
    ) -> tuple[str, list[dict], int | None, dict | None]:
        assert request.start is not None and request.end is not None
        ssin = request.ssin
        if request.missing:
            return "B", [_said(anomaly.UNIDENTIFIED)], None, None
        if ssin and not insz_is_valid(ssin, request.start.year):
            return "B", [_said(anomaly.BAD_INSZ, insz=ssin)], None, None
        if ssin in self.unknown_workers:
            return "B", [_said(anomaly.UNKNOWN_WORKER, insz=ssin)], None, None
        keys = (employer_key(request.employer or {}), worker_key(request.worker or {}))
        clash = self._overlap(*keys, request.start, request.end)
        if clash is not None:
            return "B", [_said(anomaly.OVERLAP, period=clash)], None, None
        warnings = []
        if is_late(now, request.start):
            warnings.append(_said(anomaly.LATE_IN))
        if ssin in self.not_eligible:
            warnings.append(_said(anomaly.NOT_ELIGIBLE))
        contradictions = [] if ssin else self._contradictions(request, keys[1])
        period_id = self._take("next_period")
        self._lengthen(request.end - request.start)
        times = _times(request)
        self._new_by_worker.setdefault(keys, []).append((period_id, times[4], times[5]))
        self._new_periods.append(
            (
                period_id,
                _employer_text(
                    None if request.employer is None else tuple(request.employer.items())
                ),
                keys[0],
                (request.employer or {}).get("enterpriseNumber", ""),
                json.dumps(request.worker, ensure_ascii=False, sort_keys=True),
                keys[1],
                ssin,
                *times,
                "active" if ssin else "pending",
            )
        )
        if ssin:
            return ("W" if warnings else "A"), warnings, period_id, None
        if contradictions:
            fields = ", ".join(contradictions)
            resolution = {"result": "B", "anomalies": [_said(anomaly.IDENTITY, fields=fields)]}
        else:
            identified = [_said(anomaly.IDENTIFIED), *warnings]
            resolution = {"result": "W" if warnings else "A", "anomalies": identified}
        return "S", [_said(anomaly.IDENTIFYING), *warnings], period_id, resolution

    def _update(self, request: Request, now: dt.datetime) -> tuple[str, list[dict], int]:
        assert request.period_id is not None and request.start and request.end
        period_id = request.period_id
        self._write_new()
        row = self._db.execute("SELECT * FROM periods WHERE id = ?", (period_id,)).fetchone()
        if row is None:
            return "B", [_said(anomaly.UNKNOWN_PERIOD, period=period_id)], period_id
        if row["status"] == "cancelled":
            return "B", [_said(anomaly.PERIOD_CANCELLED, period=period_id)], period_id
        clash = self._overlap(
            row["employer_key"], row["worker_key"], request.start, request.end, skip=period_id
        )
        if clash is not None:
            return "B", [_said(anomaly.OVERLAP, period=clash)], period_id
        declared = Times(_moment(row["start_utc"]), _moment(row["end_utc"]))
        deadline = self.rules.change_deadline(declared, request.start, request.end)
        self._lengthen(request.end - request.start)
        self._db.execute(
            "UPDATE periods SET start_date = ?, start_hour = ?, end_date = ?, end_hour = ?,"
            " start_utc = ?, end_utc = ? WHERE id = ?",
            (*_times(request), period_id),
        )
        if is_late(now, deadline):
            return "W", [_said(anomaly.LATE_CHANGE)], period_id
        return "A", [], period_id

    def _cancel(self, request: Request, now: dt.datetime) -> tuple[str, list[dict], int]:
        assert request.period_id is not None
        period_id = request.period_id
        self._write_new()
        row = self._db.execute("SELECT * FROM periods WHERE id = ?", (period_id,)).fetchone()
        if row is None:
            return "B", [_said(anomaly.UNKNOWN_PERIOD, period=period_id)], period_id
        if row["status"] == "cancelled":
            return "B", [_said(anomaly.ALREADY_CANCELLED)], period_id
        self._db.execute("UPDATE periods SET status = 'cancelled' WHERE id = ?", (period_id,))
        declared = Times(_moment(row["start_utc"]), _moment(row["end_utc"]))
        if is_late(now, self.rules.cancel_deadline(declared)):
            return "W", [_said(anomaly.LATE_CANCEL)], period_id
        return "A", [], period_id

    def _overlap(
        self, employer: str, worker: str, start: dt.datetime, end: dt.datetime, skip: int = 0
    ) -> int | None:
        """The first live period of the same employer and worker that overlaps these times.

        Such a period starts before `end` and ends after `start`, so it started after `start`
        less the longest period ever held: on one of the Brussels days between. Those days
        are asked of the index by start day one by one, whatever the history before them.
        The periods this group received and has not written yet come after those in the
        file (their numbers are higher) and are looked through in memory.
        """
        days = _days(start - dt.timedelta(seconds=self._longest()), end)
        since, until = _instant(start), _instant(end)
        row = self._db.execute(
            f"SELECT id FROM periods WHERE start_date IN ({', '.join('?' * len(days))})"
            " AND employer_key = ? AND worker_key = ? AND end_utc > ? AND start_utc < ?"
            " AND status != 'cancelled' AND id != ? ORDER BY id LIMIT 1",
            (*days, employer, worker, since, until, skip),
        ).fetchone()
        if row is not None:
            return row[0]
        for period_id, start_utc, end_utc in self._new_by_worker.get((employer, worker), ()):
            if end_utc > since and start_utc < until and period_id != skip:
                return period_id
        return None

    def _longest(self) -> int:
        """The longest period ever held, in seconds (kept in memory until the group commits)."""
        value = self._counters.get("longest_period")
        if value is None:
            (value,) = self._db.execute(
                "SELECT value FROM counters WHERE name = 'longest_period'"
            ).fetchone()
            self._counters["longest_period"] = value
        return value

    def _lengthen(self, length: dt.timedelta) -> None:
        """A period this long is held: `_longest` is at least its length."""
        seconds = int(length.total_seconds())
        if seconds > self._longest():
            self._counters["longest_period"] = seconds

    def _contradictions(self, request: Request, key: str) -> list[str]:
        """What SIGeDIS cannot reconcile in an identification: the properties concerned."""
        assert request.start is not None
        worker = request.worker or {}
        found = []
        born = dt.date.fromisoformat(worker["birthDate"])
        if not dt.date(1900, 1, 1) <= born < request.start.date():
            found.append("birthDate")
        for name in ("nationality", "birthCountry"):
            if name in worker and not codes.known_country(worker[name]):
                found.append(name)
        address = worker.get("address") or {}
        if "country" in address and not codes.known_country(address["country"]):
            found.append("address.country")
        if address.get("country", BELGIUM) == BELGIUM:
            post_code = address.get("postCode", "")
            if not (len(post_code) == 4 and post_code.isdigit() and post_code[0] != "0"):
                found.append("address.postCode")
            nis = (address.get("municipality") or {}).get("code")
            if nis != codes.UNKNOWN_MUNICIPALITY and not codes.municipality_fits(nis, post_code):
                found.append("address.municipality.code")
        self._write_new()
        for row in self._db.execute(
            "SELECT worker FROM periods WHERE worker_key = ? AND ssin = ''", (key,)
        ):
            earlier = _gender(json.loads(row[0]).get("gender"))
            if earlier is not None and earlier != _gender(worker.get("gender")):
                found.append("gender")
                break
        return found

    # --- numbering ------------------------------------------------------------------------

    def _take(self, counter: str) -> int:
        """The counter's next number; kept in memory until the group commits it."""
        value = self._counters.get(counter)
        if value is None:
            (value,) = self._db.execute(
                "SELECT value FROM counters WHERE name = ?", (counter,)
            ).fetchone()
        self._counters[counter] = value + 1
        return value

    def _raise(self, counter: str, at_least: int) -> None:
        taken = self._counters.pop(counter, None)  # numbers taken in this group count
        at_least = max(at_least, taken or 0)
        self._db.execute(
            "UPDATE counters SET value = MAX(value, ?) WHERE name = ?", (at_least, counter)
        )


class _Group:
    """`Nsso.group()`: a plain context manager (each request enters one, so it is cheap)."""

    __slots__ = ("nsso",)

    def __init__(self, nsso: Nsso):
        self.nsso = nsso

    def __enter__(self) -> None:
        nsso = self.nsso
        nsso._lock.acquire()
        nsso._depth += 1

    def __exit__(self, kind: type | None, error: object, trace: object) -> None:
        nsso = self.nsso
        try:
            if kind is not None:
                nsso._failed = True
            nsso._depth -= 1
            if nsso._depth == 0:
                nsso._end()
        finally:
            nsso._lock.release()


# --- the state file ---------------------------------------------------------------------


def _open(path: Path) -> sqlite3.Connection:
    """The state file, created private (0600) with its schema if it does not exist."""
    if path.is_dir():
        raise StateError(f"the NSSO state {path} is a folder, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
        if header and header != _SQLITE_HEADER:
            raise StateError(f"{path} is not an NSSO state file (not an SQLite file)") from None
    except OSError as error:
        raise StateError(f"the NSSO state {path} cannot be created: {error}") from error
    try:
        db = sqlite3.connect(path, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA wal_autocheckpoint = 16384")  # 64 MiB of 4 KiB pages
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            db.close()
            raise StateError(f"{path} was written by a newer dimona-batch (state {version})")
        if version == 0:
            db.executescript(
                f"BEGIN; {_SCHEMA}"
                f" INSERT INTO counters VALUES ('next_period', {FIRST_PERIOD});"
                f" INSERT INTO counters VALUES ('next_declaration', {FIRST_DECLARATION});"
                " INSERT INTO counters VALUES ('longest_period', 0);"
                f" PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        elif version < SCHEMA_VERSION:
            steps = "".join(_UPGRADES[n] for n in range(version + 1, SCHEMA_VERSION + 1))
            db.executescript(f"BEGIN; {steps} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
    except sqlite3.DatabaseError as error:
        raise StateError(f"the NSSO state {path} cannot be read: {error}") from error
    return db


def _gender(value: object) -> int | None:
    """A gender as a code, also as a period seeded from an older ledger wrote it ("M", "F")."""
    if isinstance(value, str):
        return codes.GENDERS.get(value)
    return value if value in (1, 2) and not isinstance(value, bool) else None  # type: ignore[return-value]


def _number(text: object) -> int | None:
    value = str(text)
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@lru_cache(maxsize=4096)
def _days(first: dt.datetime, last: dt.datetime) -> tuple[str, ...]:
    """The Brussels days from the one of `first` to the one of `last`, as ISO dates."""
    day, end = first.astimezone(BRUSSELS).date(), last.astimezone(BRUSSELS).date()
    days = []
    while day <= end:
        days.append(day.isoformat())
        day += dt.timedelta(days=1)
    return tuple(days)


def _times(request: Request) -> tuple[str, ...]:
    assert request.times is not None and request.start and request.end
    t = request.times
    dates = (t["startDate"], t["startHour"], t["endDate"], t["endHour"])
    return (*dates, _instant(request.start), _instant(request.end))


def _item(row: sqlite3.Row) -> dict:
    """A period as /periods answers it."""
    return {
        "id": row["id"],
        "employer": json.loads(row["employer"]),
        "worker": json.loads(row["worker"]),
        "startDate": row["start_date"],
        "startHour": row["start_hour"],
        "endDate": row["end_date"],
        "endHour": row["end_hour"],
        "status": row["status"],
    }
