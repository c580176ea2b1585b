"""The filing engine: the outbox's operations sent to a `Service` exactly once.

Three steps, each committed to the ledger as it happens (several steps may share one
transaction, but no request leaves before its row is committed `sending`):
1. settle: an operation `sending` with no declaration id may have reached the NSSO (the
   answer was lost, or the run died): the NSSO's own periods say whether it holds it. What
   it holds is adopted; only what it verifiably does not hold is sent again.
2. send: a few requests in flight (`service.parallel`, in threads; the ledger written on
   this thread only). An UPDATE or CANCEL waits for its period's number; an IN waits while
   a CANCEL or UPDATE of the same worker is unanswered (it may free the IN's slot).
3. poll: the answers of what was sent, starting after a while and backing off. An S
   (identification pending) is recorded; its final answer is asked by the next run or `sync`.

Answers go into the declarations log and the periods as `Ledger.record` puts them, so
receipts, reconcile and the web channel read them as before. Nothing here reads the
ledger's periods to decide what the NSSO holds: it asks the service.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from .. import anomalies as words
from ..ledger import Ledger, LedgerError
from ..ledger import outbox as box
from ..model import BRUSSELS, Declaration, Kind, Result
from .payloads import date_and_hour
from .service import FateUnknown, NotSent, Rejected, Service

Services = Callable[[str], Service]
"""The service for an enterprise number (a social secretariat may have several accounts)."""

ADOPTED = "ADOPTED: adopted from the NSSO's records (its answer was lost)"
VOID_PREFIX = "VOID"


@dataclass
class Outcome:
    """What one run of the engine learnt, in the order it learnt it."""

    filed: dict[int, Declaration] = field(default_factory=dict)
    """The declarations logged for operations, by operation id."""
    answers: list[Declaration] = field(default_factory=list)
    """Final answers to declarations answered S before (logged as later answers)."""
    in_flight: int = 0
    """Operations still without an answer when the run ended."""
    unreachable: str = ""
    """Why the NSSO could not be reached (nothing sent), if so."""


@cache
def _nl_patterns() -> tuple[tuple[str, re.Pattern[str], words.Anomaly], ...]:
    found = []
    for anomaly in words.ANOMALIES:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(anomaly.nl))
        found.append((anomaly.code, re.compile(pattern), anomaly))
    return tuple(found)


def anomaly_text(item: dict) -> str:
    """An answer's anomaly as the ledger keeps it: `CODE: English description`.

    The NSSO answers a code with Dutch and French words; a code we know is kept with our
    English words (its placeholders read from the Dutch), another with the NSSO's Dutch.
    """
    code, dutch = item.get("code", ""), item.get("descriptionNl", "")
    for known, pattern, anomaly in _nl_patterns():
        if known == code:
            match = pattern.fullmatch(dutch)
            if match:
                return anomaly.text("en", **match.groupdict())
    return f"{code}: {dutch or item.get('descriptionFr', '')}".strip()


def _result(status: dict) -> tuple[Result, tuple[str, ...], str | None]:
    period = status.get("period") or {}
    period_id = str(period["id"]) if period.get("id") is not None else None
    found = tuple(anomaly_text(a) for a in status.get("anomalies") or ())
    return Result(status["result"]), found, period_id


def payload_of(row: sqlite3.Row, period_id: str | None) -> dict:
    """The body to POST: as planned, with the period number now known."""
    body = json.loads(row["payload"])
    for part in ("dimonaUpdate", "dimonaCancel"):
        if part in body and period_id is not None:
            body[part]["periodId"] = int(period_id)
    return body


PROGRESS_STEP = 100
"""Answers between two calls of a run's progress callback."""


class Filing:
    """Settle, send and poll the outbox of one ledger through a service."""

    def __init__(
        self,
        book: Ledger,
        services: Services,
        clock: Callable[[], dt.datetime],
        batch_id: int,
        first_poll: float = 2.0,
        patience: float = 60.0,
        group: int = 200,
    ):
        """`batch_id`: the run's batch, under which what it learns is logged.

        `first_poll` seconds after sending the first status is asked (0 in-process), then
        less and less often; `patience` seconds without any new answer ends the polling
        (what is left stays in flight for the next run or `sync`).
        """
        self.book = book
        self.db = book.connection
        self.services = services
        self.clock = clock
        self.batch_id = batch_id
        self.first_poll = first_poll
        self.patience = patience
        self.group = group
        self.outcome = Outcome()
        self.progress: Callable[[int, int], None] | None = None
        self.total = 0

    # --- the whole run ---------------------------------------------------------------------

    def run(self, progress: Callable[[int, int], None] | None = None) -> Outcome:
        """`progress(done, total)` is told every PROGRESS_STEP answers, and at the end."""
        self.progress = progress
        self.total = len(box.rows(self.db, box.IN_FLIGHT))
        self.settle()
        self.send()
        self.settle()  # what was lost while sending: the NSSO has had time to record it
        self.outcome.in_flight = len(box.rows(self.db, box.IN_FLIGHT))
        return self.outcome

    # --- steps committed ------------------------------------------------------------------

    def _write(self):
        return self.book.steps(self.batch_id)

    def _log(self, operation_id: int, declaration: Declaration, state: str) -> None:
        """Log a declaration and its effect on the periods; the operation is done."""
        self.book.record([declaration])
        box.step(
            self.db,
            operation_id,
            state=state,
            declaration_id=declaration.declaration_id,
            result=declaration.result.value,
            period_id=declaration.period_id,
            answered_at=self.clock(),
        )
        self.outcome.filed[operation_id] = declaration
        done = len(self.outcome.filed)
        if self.progress and (done % PROGRESS_STEP == 0 or done == self.total):
            self.progress(done, max(done, self.total))

    # --- 1. settle ------------------------------------------------------------------------

    def settle(self) -> None:
        """Operations whose fate is unknown: adopted from the NSSO's records, or sent again.

        The NSSO is asked a few at a time (`parallel`); what it answers is committed in
        groups. One that cannot be asked now stays unknown for the next run or `sync`.
        """
        lost = [r for r in box.rows(self.db, [box.SENDING]) if not r["declaration_id"]]
        if not lost:
            return
        known = self._known_periods()

        def look(row: sqlite3.Row) -> tuple[sqlite3.Row, dict | Exception | None]:
            try:
                return row, self._held(self.services(row["enterprise_number"]), row, known)
            except (FateUnknown, NotSent) as error:
                return row, error

        parallel = max(1, min(int(self.services(r["enterprise_number"]).parallel) for r in lost))
        with ThreadPoolExecutor(parallel) as pool:
            looked = pool.map(look, lost) if parallel > 1 else map(look, lost)
            group: list[tuple[sqlite3.Row, dict | Exception | None]] = []
            for found in looked:
                group.append(found)
                if len(group) >= self.group:
                    self._settled(group, known)
                    group = []
            self._settled(group, known)

    def _settled(
        self, group: list[tuple[sqlite3.Row, dict | Exception | None]], known: set[str]
    ) -> None:
        with self._write():
            for row, held in group:
                if isinstance(held, Exception):
                    self.outcome.unreachable = str(held) or type(held).__name__
                elif held is None or (new_period(row) and str(held["id"]) in known):
                    box.step(self.db, row["operation_id"], state=box.TO_SEND)
                else:
                    known.add(str(held["id"]))
                    self._adopt(row, held)

    def _held(
        self, service: Service, row: sqlite3.Row, known: set[str] | None = None
    ) -> dict | None:
        """The NSSO's period showing the operation was processed; None if it verifiably was not.

        `known`: the period numbers the ledger has already (an IN's period is a new one).
        """
        body = json.loads(row["payload"])
        start = dt.datetime.fromisoformat(row["start"]).astimezone(BRUSSELS)
        end = dt.datetime.fromisoformat(row["end"]).astimezone(BRUSSELS)
        times = _times(start, end)
        if row["kind"] == Kind.IN.value:
            day = dt.date.fromisoformat(row["work_day"])
            found = service.search(row["enterprise_number"], row["insz"] or None, day, day)
            known = self._known_periods() if known is None else known
            for item in found:
                if str(item["id"]) in known or item.get("status") == "cancelled":
                    continue
                if _same_worker(item.get("worker") or {}, body.get("worker") or {}) and (
                    _item_times(item) == times
                ):
                    return item
            return None
        period_id = row["period_id"]
        item = service.period(period_id) if period_id else None
        if item is None:
            return None
        if row["kind"] == Kind.CANCEL.value:
            return item if item.get("status") == "cancelled" else None
        return item if _item_times(item) == times else None

    def _known_periods(self) -> set[str]:
        return {
            r[0]
            for r in self.db.execute(
                "SELECT period_id FROM periods UNION SELECT period_id FROM outbox"
                " WHERE period_id IS NOT NULL"
            )
        }

    def _adopt(self, row: sqlite3.Row, item: dict) -> None:
        """What the NSSO holds becomes the ledger's: period number, times, status."""
        status = item.get("status", "active")
        result = Result.PENDING if status == "pending" else Result.ACCEPTED
        declaration = box.declaration(
            row,
            f"adopted-{row['operation_id']}",
            result,
            (ADOPTED,),
            str(item["id"]),
            self.clock(),
            payload_of(row, str(item["id"])),
        )
        self._log(row["operation_id"], declaration, box.ADOPTED)

    # --- 2. send --------------------------------------------------------------------------

    def send(self) -> None:
        """Rounds of requests until nothing more can be sent; each round polled to its answers."""
        while True:
            round_ = self._round()
            if not round_:
                break
            sent = self._submit(round_)
            self._poll(sent)
            if self.outcome.unreachable:
                break
        self._poll([r["operation_id"] for r in box.rows(self.db, [box.SENT]) if not r["result"]])

    def _round(self) -> list[tuple[sqlite3.Row, str | None]]:
        """The operations that can be sent now, each with its period number.

        An IN waits while a CANCEL or UPDATE of its worker is unanswered; with one request
        at a time the round stops there, so that the NSSO sees the plan's order.
        """
        parallel = self._parallel()
        busy = {
            (r["enterprise_number"], r["worker_key"])
            for r in box.rows(self.db, [box.SENDING, box.SENT])
            if r["kind"] != Kind.IN.value
        }
        chosen: list[tuple[sqlite3.Row, str | None]] = []
        voided = False
        for row in box.rows(self.db, [box.TO_SEND]):
            worker = (row["enterprise_number"], row["worker_key"])
            if row["kind"] == Kind.IN.value:
                if worker in busy:
                    if parallel == 1:
                        break
                    continue
                chosen.append((row, None))
                continue
            period_id = row["period_id"]
            if period_id is None:
                state, period_id = box.period_of(self.db, row["after_operation"])
                if state == box.REFUSED:
                    self._void(row)
                    voided = True
                    continue
                if period_id is None or state not in (box.ANSWERED, box.ADOPTED):
                    busy.add(worker)
                    if parallel == 1 and chosen:
                        break
                    continue
            busy.add(worker)
            chosen.append((row, period_id))
        if voided and not chosen:
            return self._round()
        return chosen

    def _parallel(self) -> int:
        rows = box.rows(self.db, [box.TO_SEND])
        if not rows:
            return 1
        return max(1, int(self.services(rows[0]["enterprise_number"]).parallel))

    def _void(self, row: sqlite3.Row) -> None:
        """An UPDATE or CANCEL of a period whose IN was refused: nothing to change."""
        reason = f"{VOID_PREFIX}: not sent, the IN of this period was refused"
        declaration = box.declaration(
            row, f"void-{row['operation_id']}", Result.REFUSED, (reason,), None, self.clock()
        )
        with self._write():
            self._log(row["operation_id"], declaration, box.REFUSED)
            box.step(self.db, row["operation_id"], reason=reason)

    def _submit(self, chosen: list[tuple[sqlite3.Row, str | None]]) -> list[int]:
        """Commit the round `sending`, then POST it, a few at a time; the ids committed."""
        bodies = {}
        with self._write():
            for row, period_id in chosen:
                body = payload_of(row, period_id)
                bodies[row["operation_id"]] = (row, body)
                box.step(
                    self.db,
                    row["operation_id"],
                    state=box.SENDING,
                    period_id=period_id if row["kind"] != Kind.IN.value else None,
                    payload=json.dumps(body, sort_keys=True),
                    sent_at=self.clock(),
                    attempt=True,
                )
        _hook("sending")
        sent: list[int] = []
        parallel = self._parallel_of(chosen)
        if parallel == 1:
            for operation_id, (row, body) in bodies.items():
                outcome = _call(self.services(row["enterprise_number"]).submit, body)
                self._submitted([(operation_id, outcome)], sent)
                if self.outcome.unreachable:
                    break
            return sent
        with ThreadPoolExecutor(parallel) as pool:
            futures: dict[Future, int] = {}
            for operation_id, (row, body) in bodies.items():
                service = self.services(row["enterprise_number"])
                futures[pool.submit(_call, service.submit, body)] = operation_id
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                self._submitted([(futures[f], f.result()) for f in done], sent)
        return sent

    def _parallel_of(self, chosen: list[tuple[sqlite3.Row, str | None]]) -> int:
        return max(
            1, min(int(self.services(row["enterprise_number"]).parallel) for row, _ in chosen)
        )

    def _submitted(self, outcomes: list[tuple[int, object]], sent: list[int]) -> None:
        """Record what the POSTs answered: a declaration id, a refusal, or nothing known."""
        with self._write():
            for operation_id, outcome in outcomes:
                if isinstance(outcome, str):
                    _hook("accepted")
                    box.step(self.db, operation_id, state=box.SENT, declaration_id=outcome)
                    sent.append(operation_id)
                elif isinstance(outcome, Rejected):
                    row = box.row(self.db, operation_id)
                    messages = tuple(outcome.messages) or (str(outcome),)
                    declaration = box.declaration(
                        row,
                        f"refused-{operation_id}",
                        Result.REFUSED,
                        messages,
                        row["period_id"],
                        self.clock(),
                    )
                    self._log(operation_id, declaration, box.REFUSED)
                    box.step(self.db, operation_id, reason="; ".join(messages))
                elif isinstance(outcome, NotSent):
                    box.step(self.db, operation_id, state=box.TO_SEND)
                    self.outcome.unreachable = str(outcome) or "the NSSO cannot be reached"
                # FateUnknown: stays `sending`, settled from the NSSO's records

    # --- 3. poll --------------------------------------------------------------------------

    def _poll(self, operation_ids: list[int]) -> None:
        """Ask the status of what was sent until answered, or until patience runs out."""
        waiting = list(operation_ids)
        delay = self.first_poll
        last_news = time.monotonic()
        while waiting:
            if delay:
                time.sleep(delay)
            answered = self._ask(waiting)
            if answered:
                last_news = time.monotonic()
            waiting = [i for i in waiting if i not in answered]
            if waiting and time.monotonic() - last_news > self.patience:
                break
            delay = min(max(delay * 1.5, 0.5), 10.0) if self.first_poll else 0.0
            if not self.first_poll and waiting and not answered:
                break  # in-process: an answer not there at once will not come in this run

    def _ask(self, operation_ids: list[int]) -> set[int]:
        rows = {i: box.row(self.db, i) for i in operation_ids}
        parallel = max(
            1, min(int(self.services(r["enterprise_number"]).parallel) for r in rows.values())
        )
        asked: list[tuple[int, object]] = []
        if parallel == 1:
            for i, r in rows.items():
                asked.append(
                    (i, _call(self.services(r["enterprise_number"]).status, r["declaration_id"]))
                )
        else:
            with ThreadPoolExecutor(parallel) as pool:
                futures = {
                    i: pool.submit(
                        _call, self.services(r["enterprise_number"]).status, r["declaration_id"]
                    )
                    for i, r in rows.items()
                }
                asked = [(i, f.result()) for i, f in futures.items()]
        answered: set[int] = set()
        with self._write():
            for i, status in asked:
                if not isinstance(status, dict):
                    continue
                self._answer(rows[i], status)
                answered.add(i)
        return answered

    def _answer(self, row: sqlite3.Row, status: dict) -> None:
        result, found, period_id = _result(status)
        if result is Result.REFUSED and row["attempts"] > 1:
            # Sent again after its fate was unknown and now refused: perhaps because the
            # first request was still being processed when the NSSO was asked. Look again.
            held = _quietly(self._held, self.services(row["enterprise_number"]), row)
            if held is not None:
                self._adopt(row, held)
                return
        if row["kind"] != Kind.IN.value:
            period_id = row["period_id"]
        declaration = box.declaration(
            row,
            row["declaration_id"],
            result,
            found,
            period_id,
            dt.datetime.fromisoformat(row["sent_at"]).astimezone(BRUSSELS),
        )
        self._log(row["operation_id"], declaration, box.ANSWERED)

    # --- later answers: S resolved ------------------------------------------------------

    def later_answers(self, channel: str | None = None) -> list[Declaration]:
        """The final answers to INs answered S by earlier runs, recorded as later answers."""
        found = []
        for row in box.pending(self.db, channel):
            service = self.services(row["enterprise_number"])
            status = _call(service.status, row["declaration_id"])
            if not isinstance(status, dict):
                continue
            result, texts, _ = _result(status)
            if result is Result.PENDING:
                continue
            logged = box.declaration(
                row,
                row["declaration_id"],
                result,
                texts,
                row["period_id"],
                dt.datetime.fromisoformat(row["sent_at"]).astimezone(BRUSSELS),
                json.loads(row["logged_payload"]),  # as the log keeps it
            )
            answer = replace(logged, answered_at=self.clock())
            self.book.record_answers([answer])
            box.step(self.db, row["operation_id"], result=result.value, answered_at=self.clock())
            found.append(answer)
        self.outcome.answers.extend(found)
        return found


def _call(function: Callable, *args: object) -> object:
    """A service call's answer, or the exception it raised (threads hand both back)."""
    try:
        return function(*args)
    except (FateUnknown, NotSent, Rejected) as error:
        return error


def _quietly(function: Callable, *args: object) -> dict | None:
    """A look-up whose failure only means: not known now."""
    try:
        return function(*args)
    except (FateUnknown, NotSent, Rejected):
        return None


def new_period(row: sqlite3.Row) -> bool:
    """An IN makes a new period: one the ledger knows already is not its answer."""
    return row["kind"] == Kind.IN.value


def _times(start: dt.datetime, end: dt.datetime) -> tuple[str, str, str, str]:
    return (*date_and_hour(start), *date_and_hour(end))


def _item_times(item: dict) -> tuple[str, str, str, str]:
    return (item.get("startDate"), item.get("startHour"), item.get("endDate"), item.get("endHour"))  # type: ignore[return-value]


def _same_worker(held: dict, sent: dict) -> bool:
    """The same worker: the same INSZ, or (none) the same names and birth date."""
    if sent.get("ssin") or held.get("ssin"):
        return held.get("ssin") == sent.get("ssin")
    fields = ("familyName", "givenName", "birthDate")
    return all(held.get(f) == sent.get(f) for f in fields)


def _hook(moment: str) -> None:
    """Tests only: DIMONA_TEST_KILL=<moment>:<n> kills the process at the n-th such moment."""
    wanted = os.environ.get("DIMONA_TEST_KILL")
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != moment:
        return
    _HOOK_SEEN[moment] = _HOOK_SEEN.get(moment, 0) + 1
    if _HOOK_SEEN[moment] >= int(count or 1):
        os.kill(os.getpid(), 9)


_HOOK_SEEN: dict[str, int] = {}


class FilingLock:
    """One run files through a ledger's outbox at a time (a lock file beside the ledger).

    Planning is already one run at a time (the ledger's write lock); sending is not inside
    that transaction, so a second run waits here before it settles what the first is sending.
    """

    def __init__(self, ledger: Path, wait: float, notify: Callable[[str], None] | None = None):
        self.path = Path(f"{ledger}.lock")
        self.wait = wait
        self.notify = notify
        self.fd = -1

    def __enter__(self) -> FilingLock:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if not told and self.notify:
                    self.notify("waiting for the ledger: another run is filing")
                    told = True
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    raise LedgerError(
                        f"the ledger {str(self.path)[:-5]} is held by another run; gave up"
                        f" after waiting {self.wait:g} s (--wait)"
                    ) from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
