"""An in-process stand-in for the NSSO's Dimona service, for tests, demos and training.

`LocalService` is the NSSO simulator's core (`batch.nsso.Nsso`) in-process, with its own
state file beside the ledger (`sandbox_state`): it knows only what was filed with it, so the
NSSO and the ledger can disagree as in life. It answers as the REST v2 service does
(domain.md §5): a declaration number per declaration, a 12-digit period number per accepted
IN, results A/W/B/S (an IN without INSZ is first answered S, its resolution asked by the
next run). Its own anomaly codes start with `SBX-`; everything it answers is marked channel
"sandbox". The filing engine (`filing.py`) drives it on the run's --as-of clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from ..nsso import Invalid, Nsso
from .service import Rejected

NAME = "sandbox"
FIRST_PERIOD = 660_740_832_053
FIRST_DECLARATION = 318_400_000_001

NOT_ELIGIBLE = "90017-510"  # the worker does not meet the flexi conditions (official)
ALREADY_CANCELLED = "00913-355"  # cancelling a cancelled period (official)
LATE_IN = "SBX-LATE-IN"
LATE_CHANGE = "SBX-LATE-CHANGE"
OVERLAP = "SBX-OVERLAP"
UNKNOWN_PERIOD = "SBX-UNKNOWN-PERIOD"
PERIOD_CANCELLED = "SBX-PERIOD-CANCELLED"
BAD_INSZ = "SBX-BAD-INSZ"
UNIDENTIFIED = "SBX-UNIDENTIFIED"
IDENTIFYING = "SBX-IDENTIFYING"
IDENTIFIED = "SBX-IDENTIFIED"


def sandbox_state(ledger_path: Path | str) -> Path:
    """The sandbox NSSO's own state file beside a ledger: `ledger.sqlite` → `ledger.nsso.sqlite`."""
    ledger = Path(ledger_path)
    return ledger.with_name(f"{ledger.stem}.nsso.sqlite")


class LocalService:
    """The `Service` of the sandbox: the simulator's core in-process, on the run's clock.

    Nothing is lost between submit and answer in-process, so `submit` never raises
    `FateUnknown`; a malformed payload is `Rejected` (400) as the server would answer it.
    """

    name = NAME
    parallel = 1

    def __init__(self, nsso: Nsso, clock: Callable[[], dt.datetime]):
        self.nsso = nsso
        self.clock = clock

    def submit(self, payload: dict, text: str = "") -> str:
        try:
            return self.nsso.submit(payload, self.clock(), client=NAME, text=text)
        except Invalid as error:
            raise Rejected(400, error.properties) from None

    def group(self) -> AbstractContextManager[object]:
        return self.nsso.group()

    def status(self, declaration_id: str) -> dict | None:
        return self.nsso.status(declaration_id, self.clock())

    def statuses(self, declaration_ids: list[str]) -> list[dict | None]:
        """The statuses of a group's declarations, in one query of the core."""
        return self.nsso.statuses(declaration_ids, self.clock())

    def period(self, period_id: str) -> dict | None:
        return self.nsso.period(period_id)

    def search(
        self, enterprise_number: str, ssin: str | None, start: dt.date, end: dt.date
    ) -> list[dict]:
        items, page, more = [], 1, True
        while more:
            found, more = self.nsso.search(enterprise_number, ssin, start, end, page)
            items += found
            page += 1
        return items
