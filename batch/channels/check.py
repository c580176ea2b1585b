"""The ledger held against the NSSO's own periods: what the office sees when the two drift apart.

A period changed or cancelled by hand in the web form, a declaration whose answer was lost,
a period filed by someone else: `differences` lists each one, matching periods by their
NSSO number. It is a pure function; `gather` does the asking (the ledger's periods and the
NSSO's `search` per employer) and looks up, on the other side, a period that seems to be on
one side only, in case its day moved out of the range.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..model import Period, PeriodStatus, identity_key
from .payloads import times_part
from .service import Service

_TIMES = ("startDate", "startHour", "endDate", "endHour")


class Gap(StrEnum):
    ONLY_LEDGER = "only in the ledger"
    ONLY_NSSO = "only at the NSSO"
    TIMES = "other start or end"
    STATUS = "other status"
    WORKER = "other worker"


@dataclass(frozen=True, slots=True)
class Side:
    """A period as one side holds it."""

    when: str
    """`29/06/2026 10:00 - 14:00` (Brussels wall time)."""
    status: str
    """active, pending or cancelled."""
    worker: str
    """The INSZ, or name and birth date for a worker without one."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One way the ledger and the NSSO disagree about one period."""

    gap: Gap
    enterprise_number: str
    period_id: str
    ledger: Side | None
    """What the ledger holds; None: nothing."""
    nsso: Side | None
    """What the NSSO holds; None: nothing."""

    @property
    def worker(self) -> str:
        return (self.ledger or self.nsso).worker  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Both sides for a date range: the ledger's periods and the NSSO's period items."""

    ledger: list[Period]
    nsso: list[dict]


def _when(times: dict) -> str:
    """`29/06/2026 10:00 - 14:00`; an end on another day (not midnight) shows its date."""
    start = dt.date.fromisoformat(times["startDate"])
    end = dt.date.fromisoformat(times["endDate"])
    start_hour, end_hour = times["startHour"], times["endHour"]
    text = f"{start:%d/%m/%Y} {start_hour[:2]}:{start_hour[2:]} - "
    midnight = end == start + dt.timedelta(days=1) and end_hour == "0000"
    if end != start and not midnight:
        text += f"{end:%d/%m/%Y} "
    return text + ("24:00" if midnight else f"{end_hour[:2]}:{end_hour[2:]}")


def _ledger_times(period: Period) -> dict:
    return times_part(period.declared_start, period.declared_end)


def _nsso_times(item: dict) -> dict:
    return {name: str(item.get(name, "")) for name in _TIMES}


def _ledger_worker(period: Period) -> str:
    worker = period.worker
    if worker.insz or worker.identification is None:
        return worker.insz
    return f"{worker.last_name} {worker.first_name} {worker.identification.birth_date:%d/%m/%Y}"


def _nsso_worker(item: dict) -> str:
    worker = item.get("worker") or {}
    if worker.get("ssin"):
        return str(worker["ssin"])
    birth = worker.get("birthDate", "")
    with contextlib.suppress(TypeError, ValueError):
        birth = f"{dt.date.fromisoformat(birth):%d/%m/%Y}"
    return " ".join(str(worker.get(k, "")) for k in ("familyName", "givenName")) + f" {birth}"


def _same_worker(period: Period, item: dict) -> bool:
    """Equal INSZ; or, both without one, equal name and birth date. Not comparable: same."""
    worker = item.get("worker") or {}
    if period.worker.insz and worker.get("ssin"):
        return period.worker.insz == str(worker["ssin"])
    if period.worker.insz or worker.get("ssin") or period.worker.identification is None:
        return True
    try:
        birth = dt.date.fromisoformat(worker.get("birthDate", ""))
    except (TypeError, ValueError):
        return False
    theirs = identity_key(worker.get("familyName", ""), worker.get("givenName", ""), birth)
    return period.worker.key == theirs


def _enterprise(item: dict) -> str:
    return str((item.get("employer") or {}).get("enterpriseNumber", ""))


def differences(ledger: Iterable[Period], nsso: Iterable[dict]) -> list[Difference]:
    """Every difference between the ledger's periods and the NSSO's, by period number.

    Periods still to be typed in the web form carry no NSSO number and are left out.
    """
    ours = {p.period_id: p for p in ledger if p.status is not PeriodStatus.TO_TYPE}
    theirs = {str(item["id"]): item for item in nsso}
    found: list[tuple[tuple, Difference]] = []
    for period_id in ours.keys() | theirs.keys():
        period, item = ours.get(period_id), theirs.get(period_id)
        mine = _ledger_side(period) if period is not None else None
        yours = _nsso_side(item) if item is not None else None
        if period is not None:
            number, times = period.employer.enterprise_number, _ledger_times(period)
        else:
            item = theirs[period_id]
            number, times = _enterprise(item), _nsso_times(item)
        start = (number, times["startDate"], times["startHour"], period_id)
        for gap in _gaps(period, item):
            difference = Difference(gap, number, period_id, mine, yours)
            found.append(((*start, list(Gap).index(gap)), difference))
    return [difference for _, difference in sorted(found, key=lambda pair: pair[0])]


def _gaps(period: Period | None, item: dict | None) -> list[Gap]:
    """How one period differs between the two sides."""
    if period is None:
        return [Gap.ONLY_NSSO]
    if item is None:
        return [Gap.ONLY_LEDGER]
    gaps = []
    if _ledger_times(period) != _nsso_times(item):
        gaps.append(Gap.TIMES)
    if period.status.value != item.get("status"):
        gaps.append(Gap.STATUS)
    if not _same_worker(period, item):
        gaps.append(Gap.WORKER)
    return gaps


def _ledger_side(period: Period) -> Side:
    return Side(_when(_ledger_times(period)), period.status.value, _ledger_worker(period))


def _nsso_side(item: dict) -> Side:
    return Side(_when(_nsso_times(item)), str(item.get("status", "")), _nsso_worker(item))


def employers_in(periods: Iterable[Period]) -> list[str]:
    """The enterprise numbers of the ledger's periods (those the NSSO can be asked about)."""
    return sorted({p.employer.enterprise_number for p in periods} - {""})


def gather(
    periods: Callable[[Sequence[str] | None], list[Period]],
    period: Callable[[str], Period | None],
    service_for: Callable[[str], Service],
    day_from: dt.date,
    day_to: dt.date,
    employers: Sequence[str] | None = None,
) -> Comparison:
    """Both sides for the employers (default: those of the ledger's periods in the range).

    `periods(employers)` gives the ledger's periods in the range, cancelled ones included,
    `period(id)` one of them by number (`Ledger.periods` and `Ledger.period`). A period
    found on one side only is looked up by number on the other, so that a period whose day
    moved out of the range shows as changed, not as missing on one side.
    """
    ours = periods(employers)
    numbers = list(employers) if employers else employers_in(ours)
    ours = [p for p in ours if p.employer.enterprise_number in numbers]
    theirs: list[dict] = []
    for number in numbers:
        theirs.extend(service_for(number).search(number, None, day_from, day_to))
    mine = {p.period_id for p in ours}
    yours = {str(item["id"]) for item in theirs}
    for p in [p for p in ours if p.period_id not in yours and p.status is not PeriodStatus.TO_TYPE]:
        item = service_for(p.employer.enterprise_number).period(p.period_id)
        if item is not None and _enterprise(item) in ("", p.employer.enterprise_number):
            theirs.append(item)
    for item in [item for item in theirs if str(item["id"]) not in mine]:
        found = period(str(item["id"]))
        if found is not None:
            ours.append(found)
    return Comparison(ours, theirs)


_GAP_LABELS = {
    Gap.ONLY_LEDGER: "check_only_ledger",
    Gap.ONLY_NSSO: "check_only_nsso",
    Gap.TIMES: "check_times",
    Gap.STATUS: "check_status",
    Gap.WORKER: "check_other_worker",
}
HEADERS = (
    "check_difference",
    "enterprise_number",
    "period_number",
    "check_worker",
    "check_ledger",
    "check_nsso",
)


def table(found: Sequence[Difference], lang: str) -> tuple[list[str], list[list[str]]]:
    """The differences as a table to print: headers and rows in the chosen language."""
    from ..render.labels import LABELS, label

    def side(this: Side | None, gap: Gap) -> str:
        if this is None:
            return ""
        key = f"check_{this.status}"
        text = f"{this.when} {label(key, lang) if key in LABELS else this.status}"
        return f"{text} ({this.worker})" if gap is Gap.WORKER else text

    rows = [
        [
            label(_GAP_LABELS[d.gap], lang),
            d.enterprise_number,
            d.period_id,
            d.worker,
            side(d.ledger, d.gap),
            side(d.nsso, d.gap),
        ]
        for d in found
    ]
    return [label(key, lang) for key in HEADERS], rows
