"""The filing engine: the outbox's operations sent to a `Service` exactly once.

Three steps, committed to the ledger a group of operations at a time (`GROUP`: a few
hundred per transaction), and no request leaves before its row is committed `sending`. The
in-process NSSO commits its own transaction of a group before the ledger records what it
answered: a run killed in between finds the group `sending` and the next run adopts it.
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
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .. import anomalies as words
from ..ledger import Ledger, LedgerError
from ..ledger import outbox as box
from ..model import BRUSSELS, Declaration, Kind, LoggedPayload, Result
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
def _nl_patterns() -> dict[str, tuple[tuple[re.Pattern[str], words.Anomaly], ...]]:
    """Our anomalies by code, each with the pattern of its Dutch words (in table order)."""
    found: dict[str, list[tuple[re.Pattern[str], words.Anomaly]]] = {}
    for anomaly in words.ANOMALIES:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(anomaly.nl))
        found.setdefault(anomaly.code, []).append((re.compile(pattern), anomaly))
    return {code: tuple(known) for code, known in found.items()}


def anomaly_text(item: dict) -> str:
    """An answer's anomaly as the ledger keeps it: `CODE: English description`.

    The NSSO answers a code with Dutch and French words; a code we know is kept with our
    English words (its placeholders read from the Dutch), another with the NSSO's Dutch.
    """
    code, dutch = item.get("code", ""), item.get("descriptionNl", "")
    for pattern, anomaly in _nl_patterns().get(code, ()):
        match = pattern.fullmatch(dutch)
        if match:
            return anomaly.text("en", **match.groupdict())
    return f"{code}: {dutch or item.get('descriptionFr', '')}".strip()


_RESULTS = {result.value: result for result in Result}
"""A result by its letter, looked up (the enum's own call costs more, per answer)."""


def _result(status: dict) -> tuple[Result, tuple[str, ...], str | None]:
    period = status.get("period") or {}
    period_id = str(period["id"]) if period.get("id") is not None else None
    said = status.get("anomalies")
    found = tuple([anomaly_text(a) for a in said]) if said else ()
    return _RESULTS.get(status["result"]) or Result(status["result"]), found, period_id


def with_period(body: dict, period_id: str | None) -> dict:
    """The body to POST: as planned, with the period number now known (an UPDATE or
    CANCEL); the same dict for an IN."""
    for part in ("dimonaUpdate", "dimonaCancel"):
        if part in body and period_id is not None:
            return {**body, part: {**body[part], "periodId": int(period_id)}}
    return body


PROGRESS_STEP = 100
"""Answers between two calls of a run's progress callback."""

GROUP = 250
"""Operations per ledger transaction (and per transaction of the in-process NSSO)."""

POLL_AT = 5000
"""Over the network: operations sent in a round before their answers are asked."""


@dataclass(slots=True)
class _Sent:
    """An operation as it was committed `sending`: what its answer is logged with."""

    row: sqlite3.Row
    """Its outbox row as it was read (its kind, times, worker and references)."""
    period_id: str | None
    """The period it changes (an UPDATE or CANCEL); None for an IN."""
    body: dict
    text: str
    """The body as JSON (sorted keys), as the outbox and the log keep it."""
    sent_at: dt.datetime
    attempts: int
    """Sends so far, this one included."""
    declaration_id: str | None = None

    @property
    def operation_id(self) -> int:
        return self.row["operation_id"]


def _sent_row(row: sqlite3.Row) -> _Sent:
    """An operation already `sent` by an earlier round or run, as read from the outbox."""
    return _Sent(
        row,
        row["period_id"] if row["kind"] != Kind.IN.value else None,
        json.loads(row["payload"]),
        row["payload"],
        dt.datetime.fromisoformat(row["sent_at"]).astimezone(BRUSSELS),
        row["attempts"],
        row["declaration_id"],
    )


class _Logged(NamedTuple):
    """A declaration to log for an operation, the state it leaves the operation in."""

    operation_id: int
    declaration: Declaration
    state: str
    text: str | None
    """Its payload as JSON (sorted keys) if known already."""
    reason: str = ""


NOT_POSTED = NotSent("not posted: the NSSO could not be reached")
"""The outcome of a request of a group not posted after the NSSO was found unreachable."""


class Filing:
    """Settle, send and poll the outbox of one ledger through a service.

    Work goes in groups of `group` operations: one ledger transaction per step of a group
    (`sending`, then what the NSSO answered), the in-process NSSO's own transaction for the
    group committed before the ledger records its answers.
    """

    def __init__(
        self,
        book: Ledger,
        services: Services,
        clock: Callable[[], dt.datetime],
        batch_id: int,
        first_poll: float = 2.0,
        patience: float = 60.0,
        group: int = GROUP,
    ):
        """`batch_id`: the run's batch, under which what it learns is logged.

        `first_poll` seconds after sending the first status is asked (0 in-process: asked at
        once, in the group), then less and less often; `patience` seconds without any new
        answer ends the polling (what is left stays in flight for the next run or `sync`).
        """
        self.book = book
        self.db = book.connection
        self.services = services
        self.clock = clock
        self.batch_id = batch_id
        self.first_poll = first_poll
        self.patience = patience
        self.group = max(1, group)
        self.outcome = Outcome()
        self.progress: Callable[[int, int], None] | None = None
        self.total = 0

    # --- the whole run ---------------------------------------------------------------------

    def run(self, progress: Callable[[int, int], None] | None = None) -> Outcome:
        """`progress(done, total)` is told every PROGRESS_STEP answers, and at the end."""
        self.progress = progress
        _HOOK_WANTED[0] = os.environ.get("DIMONA_TEST_KILL")
        self.total = box.count(self.db, box.IN_FLIGHT)
        self.settle()
        self.send()
        self.settle()  # what was lost while sending: the NSSO has had time to record it
        self.outcome.in_flight = box.count(self.db, box.IN_FLIGHT)
        return self.outcome

    # --- steps committed ------------------------------------------------------------------

    def _write(self):
        return self.book.steps(self.batch_id)

    def _record(self, logged: list[_Logged]) -> None:
        """Log declarations and their effect on the periods; their operations are done.

        Inside a transaction of `_write`, in filing order.
        """
        if not logged:
            return
        declarations = [entry.declaration for entry in logged]
        texts = [
            entry.text
            if entry.text is not None
            else json.dumps(entry.declaration.payload, sort_keys=True)
            for entry in logged
        ]
        self.book.record(declarations, texts)
        now = self.clock()
        box.steps(
            self.db,
            ("state", "declaration_id", "result", "period_id", "answered_at"),
            [
                (e.state, d.declaration_id, d.result.value, d.period_id, now, e.operation_id)
                for e, d in zip(logged, declarations, strict=True)
            ],
        )
        reasons = [(e.reason, e.operation_id) for e in logged if e.reason]
        if reasons:
            box.steps(self.db, ("reason",), reasons)
        filed = self.outcome.filed
        for entry in logged:
            filed[entry.operation_id] = entry.declaration
            done = len(filed)
            if self.progress and (done % PROGRESS_STEP == 0 or done == self.total):
                self.progress(done, max(done, self.total))

    def _grouped(self, services: list[Service]) -> ExitStack:
        """The services' groups (one transaction each in-process), entered together."""
        stack = ExitStack()
        seen: set[int] = set()
        for service in services:
            if id(service) not in seen:
                seen.add(id(service))
                stack.enter_context(service.group())
        return stack

    # --- 1. settle ------------------------------------------------------------------------

    def settle(self) -> None:
        """Operations whose fate is unknown: adopted from the NSSO's records, or sent again.

        The NSSO is asked a few at a time (`parallel`); what it answers is committed in
        groups. One that cannot be asked now stays unknown for the next run or `sync`.
        """
        group: list[sqlite3.Row] = []
        for row in box.stream(self.db, box.SENDING):
            if row["declaration_id"]:
                continue
            group.append(row)
            if len(group) >= self.group:
                self._settle(group)
                group = []
        if group:
            self._settle(group)

    def _settle(self, group: list[sqlite3.Row]) -> None:
        def look(row: sqlite3.Row) -> tuple[sqlite3.Row, list[dict] | Exception]:
            try:
                return row, self._held(self.services(row["enterprise_number"]), row)
            except (FateUnknown, NotSent) as error:
                return row, error

        parallel = self._parallel_of(group)
        if parallel > 1:
            with ThreadPoolExecutor(parallel) as pool:
                looked = list(pool.map(look, group))
        else:
            looked = [look(row) for row in group]
        known = self._known(
            {str(i["id"]) for _, held in looked if isinstance(held, list) for i in held}
        )
        with self._write():
            again, logged = [], []
            for row, held in looked:
                if isinstance(held, Exception):
                    self.outcome.unreachable = str(held) or type(held).__name__
                    continue
                item = _first_unknown(row, held, known)
                if item is None:
                    again.append((box.TO_SEND, row["operation_id"]))
                else:
                    known.add(str(item["id"]))
                    logged.append(self._adopted(row, item, json.loads(row["payload"])))
            if again:
                box.steps(self.db, ("state",), again)
            self._record(logged)

    def _held(
        self,
        service: Service,
        row: sqlite3.Row,
        period_id: str | None = None,
        body: dict | None = None,
    ) -> list[dict]:
        """The NSSO's periods that may show the operation was processed; none if it verifiably
        was not. An IN's candidates are checked against the ledger after (`_first_unknown`).

        `period_id` and `body`: as it was sent, when the row was read before it was sent.
        """
        body = json.loads(row["payload"]) if body is None else body
        start = dt.datetime.fromisoformat(row["start"]).astimezone(BRUSSELS)
        end = dt.datetime.fromisoformat(row["end"]).astimezone(BRUSSELS)
        times = _times(start, end)
        if row["kind"] == Kind.IN.value:
            day = dt.date.fromisoformat(row["work_day"])
            found = service.search(row["enterprise_number"], row["insz"] or None, day, day)
            worker = body.get("worker") or {}
            return [
                item
                for item in found
                if item.get("status") != "cancelled"
                and _same_worker(item.get("worker") or {}, worker)
                and _item_times(item) == times
            ]
        period_id = period_id or row["period_id"]
        item = service.period(period_id) if period_id else None
        if item is None:
            return []
        if row["kind"] == Kind.CANCEL.value:
            return [item] if item.get("status") == "cancelled" else []
        return [item] if _item_times(item) == times else []

    def _known(self, period_ids: set[str]) -> set[str]:
        """Which of these period numbers the ledger has already (its periods or its outbox):
        looked up by number, however long the ledger's history."""
        found: set[str] = set()
        numbers = sorted(period_ids)
        for start in range(0, len(numbers), 400):
            chunk = numbers[start : start + 400]
            marks = ", ".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT period_id FROM periods WHERE period_id IN ({marks})"
                    f" UNION SELECT period_id FROM outbox WHERE period_id IN ({marks})",
                    (*chunk, *chunk),
                )
            )
        return found

    def _adopted(self, row: sqlite3.Row, item: dict, body: dict) -> _Logged:
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
            with_period(body, str(item["id"])),
        )
        return _Logged(row["operation_id"], declaration, box.ADOPTED, None)

    # --- 2. send --------------------------------------------------------------------------

    def send(self) -> None:
        """Rounds of requests until nothing more can be sent; what is still unanswered after
        them is asked once more."""
        while not self.outcome.unreachable and self._round():
            pass
        waiting = [_sent_row(r) for r in box.stream(self.db, box.SENT) if not r["result"]]
        self._poll(waiting)

    def _round(self) -> int:
        """Send, a group at a time, the operations that can be sent now, each with its period
        number; how many were sent or voided (0: nothing more can go now).

        An IN waits while a CANCEL or UPDATE of its worker is unanswered; with one request
        at a time the round stops there, so that the NSSO sees the plan's order.
        """
        parallel = self._parallel()
        busy = {
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT enterprise_number, worker_key FROM outbox"
                " WHERE state IN (?, ?) AND kind != ?",
                (box.SENDING, box.SENT, Kind.IN.value),
            )
        }
        chosen: list[tuple[sqlite3.Row, str | None]] = []
        waiting: list[_Sent] = []
        moved = 0
        for row in box.stream(self.db, box.TO_SEND):
            worker = (row["enterprise_number"], row["worker_key"])
            if row["kind"] == Kind.IN.value:
                if worker in busy:
                    if parallel == 1:
                        break
                    continue
                chosen.append((row, None))
            else:
                period_id = row["period_id"]
                if period_id is None:
                    state, period_id = box.period_of(self.db, row["after_operation"])
                    if state == box.REFUSED:
                        self._void(row)
                        moved += 1
                        continue
                    if period_id is None or state not in (box.ANSWERED, box.ADOPTED):
                        busy.add(worker)
                        if parallel == 1 and (chosen or moved):
                            break
                        continue
                busy.add(worker)
                chosen.append((row, period_id))
            if len(chosen) >= self.group:
                moved += len(chosen)
                waiting += self._file(chosen)
                chosen = []
                if self.outcome.unreachable:
                    break
                if len(waiting) >= POLL_AT:
                    self._poll(waiting)
                    waiting = []
        if chosen and not self.outcome.unreachable:
            moved += len(chosen)
            waiting += self._file(chosen)
        self._poll(waiting)
        return moved

    def _parallel(self) -> int:
        first = self.db.execute(
            "SELECT enterprise_number FROM outbox WHERE state = ? ORDER BY operation_id LIMIT 1",
            (box.TO_SEND,),
        ).fetchone()
        if first is None:
            return 1
        return max(1, int(self.services(first[0]).parallel))

    def _void(self, row: sqlite3.Row) -> None:
        """An UPDATE or CANCEL of a period whose IN was refused: nothing to change."""
        reason = f"{VOID_PREFIX}: not sent, the IN of this period was refused"
        declaration = box.declaration(
            row, f"void-{row['operation_id']}", Result.REFUSED, (reason,), None, self.clock()
        )
        with self._write():
            self._record(
                [_Logged(row["operation_id"], declaration, box.REFUSED, row["payload"], reason)]
            )

    def _file(self, chosen: list[tuple[sqlite3.Row, str | None]]) -> list[_Sent]:
        """One group: committed `sending`, then POSTed; in-process its answers asked at once.
        What the NSSO answered is committed after its own group is; the operations sent
        and still without an answer are returned."""
        now = self.clock()
        group = []
        for row, period_id in chosen:
            body = with_period(json.loads(row["payload"]), period_id)
            is_in = row["kind"] == Kind.IN.value
            group.append(
                _Sent(
                    row,
                    None if is_in else period_id,
                    body,
                    row["payload"] if is_in else json.dumps(body, sort_keys=True),
                    now.astimezone(BRUSSELS),
                    row["attempts"] + 1,
                )
            )
        with self._write():
            # an IN goes as planned: its payload is the outbox's already
            ins = [s for s in group if s.period_id is None]
            changes = [s for s in group if s.period_id is not None]
            if ins:
                box.steps(
                    self.db,
                    ("state", "sent_at"),
                    [(box.SENDING, now, s.operation_id) for s in ins],
                    attempt=True,
                )
            if changes:
                box.steps(
                    self.db,
                    ("state", "period_id", "payload", "sent_at"),
                    [(box.SENDING, s.period_id, s.text, now, s.operation_id) for s in changes],
                    attempt=True,
                )
        _hook("sending")
        services = [self.services(s.row["enterprise_number"]) for s in group]
        parallel = max(1, min(int(service.parallel) for service in services))
        if parallel > 1:  # requests in threads: each one the NSSO's own
            outcomes = self._post(group, services, parallel)
            statuses = {} if self.first_poll else self._statuses(outcomes, parallel)
        else:
            with self._grouped(services):
                outcomes = self._post(group, services, 1)
                statuses = {} if self.first_poll else self._statuses(outcomes, 1)
        with self._write():
            waiting = self._submitted(outcomes)
        if not statuses:
            return waiting
        # the declaration ids are committed first: killed now, the next run asks them
        with self._write():
            answered = self._answers(waiting, statuses)
        return [s for s in waiting if s.operation_id not in answered]

    def _post(
        self, group: list[_Sent], services: list[Service], parallel: int
    ) -> list[tuple[_Sent, object]]:
        """Each request's outcome: a declaration id, or the exception it raised."""
        if parallel == 1:
            outcomes: list[tuple[_Sent, object]] = []
            unreachable = False
            for s, service in zip(group, services, strict=True):
                if unreachable:
                    outcomes.append((s, NOT_POSTED))
                    continue
                outcome = _call(service.submit, s.body, s.text)
                _hook("posted")
                unreachable = isinstance(outcome, NotSent)
                outcomes.append((s, outcome))
            return outcomes
        with ThreadPoolExecutor(parallel) as pool:
            futures = [
                pool.submit(_call, service.submit, s.body, s.text)
                for s, service in zip(group, services, strict=True)
            ]
            return [(s, f.result()) for s, f in zip(group, futures, strict=True)]

    def _statuses(self, outcomes: list[tuple[_Sent, object]], parallel: int) -> dict[int, object]:
        """In-process: the answers of what was accepted, asked at once."""
        accepted = [(s, outcome) for s, outcome in outcomes if isinstance(outcome, str)]
        return dict(self._asked([(s, str(i)) for s, i in accepted], parallel))

    def _asked(self, items: list[tuple[_Sent, str]], parallel: int) -> list[tuple[int, object]]:
        """The statuses of declarations (or the exceptions asking them raised)."""
        if parallel == 1:
            return self._asked_together(items)
        with ThreadPoolExecutor(parallel) as pool:
            futures = [
                pool.submit(_call, self.services(s.row["enterprise_number"]).status, i)
                for s, i in items
            ]
            return [(s.operation_id, f.result()) for (s, _), f in zip(items, futures, strict=True)]

    def _asked_together(self, items: list[tuple[_Sent, str]]) -> list[tuple[int, object]]:
        """One request at a time: a service that can answer a group's statuses at once
        (`statuses`, the in-process core) is asked once per service, another per id."""
        by_service: dict[int, tuple[Service, list[int]]] = {}
        for index, (s, _) in enumerate(items):
            service = self.services(s.row["enterprise_number"])
            by_service.setdefault(id(service), (service, []))[1].append(index)
        answers: list[object] = [None] * len(items)
        for service, indexes in by_service.values():
            ids = [items[index][1] for index in indexes]
            together = getattr(service, "statuses", None)
            if together is None:
                found: object = [_call(service.status, i) for i in ids]
            else:
                found = _call(together, ids)
            if not isinstance(found, list):  # the one call failed: so did each answer
                found = [found] * len(indexes)
            for index, status in zip(indexes, found, strict=True):
                answers[index] = status
        return [(s.operation_id, answer) for (s, _), answer in zip(items, answers, strict=True)]

    def _parallel_of(self, rows: list[sqlite3.Row]) -> int:
        return max(1, min(int(self.services(row["enterprise_number"]).parallel) for row in rows))

    def _submitted(self, outcomes: list[tuple[_Sent, object]]) -> list[_Sent]:
        """Record what the POSTs answered: a declaration id, a refusal, or nothing known;
        the operations sent, waiting for their answers."""
        sent, again, logged, waiting = [], [], [], []
        for s, outcome in outcomes:
            if isinstance(outcome, str):
                _hook("accepted")
                s.declaration_id = outcome
                sent.append((box.SENT, outcome, s.operation_id))
                waiting.append(s)
            elif isinstance(outcome, Rejected):
                messages = tuple(outcome.messages) or (str(outcome),)
                declaration = box.declaration(
                    s.row,
                    f"refused-{s.operation_id}",
                    Result.REFUSED,
                    messages,
                    s.period_id,
                    self.clock(),
                    LoggedPayload(s.text),
                )
                logged.append(
                    _Logged(s.operation_id, declaration, box.REFUSED, s.text, "; ".join(messages))
                )
            elif isinstance(outcome, NotSent):
                again.append((box.TO_SEND, s.operation_id))
                if outcome is not NOT_POSTED:
                    self.outcome.unreachable = str(outcome) or "the NSSO cannot be reached"
            # FateUnknown: stays `sending`, settled from the NSSO's records
        if sent:
            box.steps(self.db, ("state", "declaration_id"), sent)
        if again:
            box.steps(self.db, ("state",), again)
        self._record(logged)
        return waiting

    # --- 3. poll --------------------------------------------------------------------------

    def _poll(self, waiting: list[_Sent]) -> None:
        """Ask the status of what was sent until answered, or until patience runs out."""
        delay = self.first_poll
        last_news = time.monotonic()
        while waiting:
            if delay:
                time.sleep(delay)
            answered = self._ask(waiting)
            if answered:
                last_news = time.monotonic()
            waiting = [s for s in waiting if s.operation_id not in answered]
            if waiting and time.monotonic() - last_news > self.patience:
                break
            delay = min(max(delay * 1.5, 0.5), 10.0) if self.first_poll else 0.0
            if not self.first_poll and waiting and not answered:
                break  # in-process: an answer not there at once will not come in this run

    def _ask(self, waiting: list[_Sent]) -> set[int]:
        """The answers there now, committed a group at a time; the operations answered."""
        answered: set[int] = set()
        for start in range(0, len(waiting), self.group):
            group = waiting[start : start + self.group]
            services = [self.services(s.row["enterprise_number"]) for s in group]
            parallel = max(1, min(int(service.parallel) for service in services))
            items = [(s, str(s.declaration_id)) for s in group]
            if parallel > 1:
                asked = dict(self._asked(items, parallel))
            else:
                with self._grouped(services):
                    asked = dict(self._asked(items, 1))
            with self._write():
                answered |= self._answers(group, asked)
        return answered

    def _answers(self, group: list[_Sent], statuses: dict[int, object]) -> set[int]:
        """Log the answers there are (inside a transaction); the operations answered."""
        logged = [
            self._answer(s, status)
            for s in group
            if isinstance(status := statuses.get(s.operation_id), dict)
        ]
        self._record(logged)
        return {entry.operation_id for entry in logged}

    def _answer(self, s: _Sent, status: dict) -> _Logged:
        result, found, period_id = _result(status)
        row = s.row
        if result is Result.REFUSED and s.attempts > 1:
            # Sent again after its fate was unknown and now refused: perhaps because the
            # first request was still being processed when the NSSO was asked. Look again.
            service = self.services(row["enterprise_number"])
            held = _quietly(self._held, service, row, s.period_id, s.body)
            if held:
                item = _first_unknown(row, held, self._known({str(i["id"]) for i in held}))
                if item is not None:
                    return self._adopted(row, item, s.body)
        if row["kind"] != Kind.IN.value:
            period_id = s.period_id
        declaration = box.declaration(
            row, str(s.declaration_id), result, found, period_id, s.sent_at, LoggedPayload(s.text)
        )
        return _Logged(s.operation_id, declaration, box.ANSWERED, s.text)

    # --- later answers: S resolved ------------------------------------------------------

    def later_answers(self, channel: str | None = None) -> list[Declaration]:
        """The final answers to INs answered S by earlier runs, recorded as later answers.

        Inside the run's batch: asked (in-process in one group of the NSSO, committed before
        the batch is) and recorded together.
        """
        rows = box.pending(self.db, channel)
        if not rows:
            return []
        services = [self.services(row["enterprise_number"]) for row in rows]
        with self._grouped(services):
            asked = [
                (row, _call(service.status, row["declaration_id"]))
                for row, service in zip(rows, services, strict=True)
            ]
        found, steps = [], []
        now = self.clock()
        for row, status in asked:
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
            found.append(replace(logged, answered_at=now))
            steps.append((result.value, now, row["operation_id"]))
        self.book.record_answers(found)
        box.steps(self.db, ("result", "answered_at"), steps)
        self.outcome.answers.extend(found)
        return found


def _first_unknown(row: sqlite3.Row, held: list[dict], known: set[str]) -> dict | None:
    """The period that shows the operation was processed: an IN makes a new period, so one
    the ledger knows already is not its answer."""
    if row["kind"] != Kind.IN.value:
        return held[0] if held else None
    return next((item for item in held if str(item["id"]) not in known), None)


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
    """Tests only: DIMONA_TEST_KILL=<moment>:<n> kills the process at the n-th such moment
    (read when a run starts: `_HOOK_WANTED`)."""
    wanted = _HOOK_WANTED[0]
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != moment:
        return
    _HOOK_SEEN[moment] = _HOOK_SEEN.get(moment, 0) + 1
    if _HOOK_SEEN[moment] >= int(count or 1):
        os.kill(os.getpid(), 9)


_HOOK_SEEN: dict[str, int] = {}
_HOOK_WANTED: list[str | None] = [None]


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
