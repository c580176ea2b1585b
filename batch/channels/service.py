"""The NSSO's Dimona REST v2 service as a filing channel sees it (domain.md §5).

Two implementations: the simulator core in-process (`sandbox`) and the REST client
(`rest`), which talks to the NSSO or to `dimona-batch simulator`. The outbox engine drives
either one the same way: submit a payload, poll its status, and after a lost answer look at
the NSSO's own periods. Nothing here knows the ledger: what the NSSO holds is asked of it.

Every dict is the JSON of the REST v2 service: a payload as `payloads.payload` builds it, a
`declarationStatus` object, a period item of `/periods` (`id`, `employer`, `worker`,
`startDate`, `startHour`, `endDate`, `endHour`, `status`).
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Protocol


class FateUnknown(Exception):
    """The request may have reached the NSSO: its answer was lost (a dropped connection, a
    timeout, a 5xx after every retry). Settle it by consulting the NSSO's periods; never by
    sending again blindly."""


class NotSent(Exception):
    """The request verifiably never reached the NSSO (no connection could be made, no
    token): it may be sent again later as it is."""


class Rejected(Exception):
    """The NSSO refused the request without recording anything (HTTP 400 or 403).

    `messages` are the NSSO's own words (the invalid properties): they become the anomalies
    of a refused declaration.
    """

    def __init__(self, status: int, messages: list[str]):
        super().__init__(f"HTTP {status}: {'; '.join(messages)}")
        self.status = status
        self.messages = messages


class Service(Protocol):
    name: str
    """The channel's name on receipts and in the ledger: "sandbox" or "rest"."""
    parallel: int
    """How many requests may be in flight at once (1 in-process)."""

    def submit(self, payload: dict, text: str = "") -> str:
        """POST /declarations: the declaration id of the Location header.

        `text`: the payload as JSON already, if the caller has it (kept as it is, not dumped
        again). Raises `Rejected` (400/403), `FateUnknown`, or `NotSent`.
        """
        ...

    def group(self) -> AbstractContextManager[object]:
        """Requests the service may commit together (the in-process core: one transaction of
        its state, committed when the group ends, before the caller records the answers);
        nothing for a service over the network, where each request is the NSSO's own."""
        ...

    def status(self, declaration_id: str) -> dict | None:
        """GET /declarations/{id}: the `declarationStatus` object, None until processed (404).

        A worker without INSZ is first answered S; a later call answers A, W or B.
        """
        ...

    # Optional, `statuses(declaration_ids) -> list[dict | None]`: the statuses of a group
    # asked at once (the in-process core, one query); without it each `status` is asked.

    def period(self, period_id: str) -> dict | None:
        """GET /periods/{id}: the period item, None if the NSSO has no such period."""
        ...

    def search(
        self, enterprise_number: str, ssin: str | None, start: dt.date, end: dt.date
    ) -> list[dict]:
        """POST /periods/search, every page followed: the employer's periods (of one worker
        when `ssin` is given) whose work day lies in [start, end]."""
        ...
