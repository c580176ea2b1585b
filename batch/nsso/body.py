"""Reading a Dimona REST v2 body as the NSSO does: every malformed property named at once.

Pure functions: a JSON dict in, a `Request` (or `Invalid`) out. Times in a body are Brussels
wall time (`startHour` "1000"); they are turned into absolute moments here, so the rules
compare UTC moments only. A wall time of the repeated autumn hour (02:00-03:00 on the last
Sunday of October) is read as its first occurrence (summer time): the body cannot say which
one was meant. A wall time that does not exist (02:00-03:00 on the last Sunday of March) is
a malformed body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import BRUSSELS, JOINT_COMMITTEE, UTC, WORKER_TYPE, identity_key

KINDS = {"dimonaIn": "IN", "dimonaUpdate": "UPDATE", "dimonaCancel": "CANCEL"}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HOUR = re.compile(r"([01]\d|2[0-3])[0-5]\d")
_ENTERPRISE = re.compile(r"[01]\d{9}")
_SSIN = re.compile(r"\d{11}")

# What the web form asks of a worker without INSZ (domain.md §1), as body properties; the
# country, nationality, birth country, box and middle initial are optional there.
REQUIRED_IDENTITY = (
    "familyName",
    "givenName",
    "birthDate",
    "placeOfBirth",
    "gender",
    "address.street",
    "address.houseNumber",
    "address.postCode",
    "address.municipality",
)


class Invalid(Exception):
    """A malformed body (HTTP 400): `properties` names each bad property and why."""

    def __init__(self, properties: list[str]):
        super().__init__("; ".join(properties))
        self.properties = list(properties)


@dataclass(frozen=True)
class Request:
    """A declaration as the rules look at it."""

    kind: str
    """IN, UPDATE or CANCEL."""
    employer: dict | None = None
    worker: dict | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    times: dict | None = None
    """startDate, startHour, endDate, endHour as sent."""
    period_id: int | None = None

    @property
    def ssin(self) -> str:
        return (self.worker or {}).get("ssin") or ""

    @property
    def missing(self) -> list[str]:
        """The identification properties a worker without INSZ lacks (empty: complete)."""
        if self.ssin:
            return []
        return [name for name in REQUIRED_IDENTITY if not _value(self.worker or {}, name)]


def employer_key(employer: dict) -> str:
    """What tells employers apart: the enterprise number, else the NSSO number."""
    if employer.get("enterpriseNumber"):
        return f"EN{employer['enterpriseNumber']}"
    return f"ID{employer.get('employerId', '')}"


def worker_key(worker: dict) -> str:
    """The INSZ, or family name, given name and birth date (`model.identity_key`)."""
    if worker.get("ssin"):
        return str(worker["ssin"])
    try:
        born = dt.date.fromisoformat(str(worker.get("birthDate", "")))
    except ValueError:
        return ""
    return identity_key(str(worker.get("familyName", "")), str(worker.get("givenName", "")), born)


def moment(day: object, hour: object) -> dt.datetime:
    """A date and an HHMM hour of Brussels wall time as a UTC moment.

    ValueError(which, why) names the part that is wrong: "date", "hour" or both. A batch
    has few distinct dates and hours: each pair is worked out once (`_moment`).
    """
    if isinstance(day, str) and isinstance(hour, str):
        return _moment(day, hour)
    return _parsed(day, hour)


@lru_cache(maxsize=8192)
def _moment(day: str, hour: str) -> dt.datetime:
    return _parsed(day, hour)


def _parsed(day: object, hour: object) -> dt.datetime:
    problems = []
    date = None
    if not isinstance(day, str) or not _DATE.fullmatch(day):
        problems.append(("Date", "expected YYYY-MM-DD"))
    else:
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            problems.append(("Date", "not a date"))
    if not isinstance(hour, str) or not _HOUR.fullmatch(hour):
        problems.append(("Hour", "expected HHMM (0000-2359)"))
    if problems:
        raise ValueError(*problems)
    assert date is not None and isinstance(hour, str)
    wall = dt.datetime(date.year, date.month, date.day, int(hour[:2]), int(hour[2:]))
    instant = wall.replace(tzinfo=BRUSSELS).astimezone(UTC)
    if instant.astimezone(BRUSSELS).replace(tzinfo=None) != wall:
        gap = f"{hour} does not exist on {day} in Brussels (clocks go forward)"
        raise ValueError(("Hour", gap))
    return instant


def read(body: object) -> Request:
    """The request a body asks for; `Invalid` naming every malformed property."""
    if not isinstance(body, dict):
        raise Invalid(["body: expected a JSON object"])
    kinds = [name for name in KINDS if name in body]
    if len(kinds) != 1:
        raise Invalid(["declaration: expected exactly one of dimonaIn, dimonaUpdate, dimonaCancel"])
    (name,) = kinds
    part = body[name]
    problems: list[str] = []
    if not isinstance(part, dict):
        raise Invalid([f"{name}: expected an object"])
    if name == "dimonaIn":
        employer = _employer(body.get("employer"), problems)
        worker = _worker(body.get("worker"), problems)
        _features(part.get("features"), problems)
        start, end, times = _times(name, part, problems)
        if problems:
            raise Invalid(problems)
        return Request("IN", employer, worker, start, end, times)
    period_id = _period_id(name, part.get("periodId"), problems)
    if name == "dimonaCancel":
        if problems:
            raise Invalid(problems)
        return Request("CANCEL", period_id=period_id)
    start, end, times = _times(name, part, problems)
    if problems:
        raise Invalid(problems)
    return Request("UPDATE", start=start, end=end, times=times, period_id=period_id)


# --- the parts of a body ----------------------------------------------------------------


def _value(part: dict, dotted: str) -> object:
    for name in dotted.split("."):
        if not isinstance(part, dict):
            return None
        part = part.get(name)  # type: ignore[assignment]
    if isinstance(part, dict):  # a municipality: its name counts
        return part.get("name")
    return part


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _period_id(where: str, value: object, problems: list[str]) -> int | None:
    if value is None:
        problems.append(f"{where}.periodId: missing")
    elif not _is_int(value) or not 0 < value < 10**12:  # type: ignore[operator]
        problems.append(f"{where}.periodId: expected a number of at most 12 digits")
    else:
        return value  # type: ignore[return-value]
    return None


def _employer(value: object, problems: list[str]) -> dict | None:
    if value is None:
        problems.append("employer: missing")
        return None
    if not isinstance(value, dict):
        problems.append("employer: expected an object")
        return None
    number, nsso = value.get("enterpriseNumber"), value.get("employerId")
    if number is None and nsso is None:
        problems.append("employer: expected enterpriseNumber or employerId")
        return None
    if number is not None:
        if not isinstance(number, str) or not _ENTERPRISE.fullmatch(number):
            problems.append("employer.enterpriseNumber: expected 10 digits starting with 0 or 1")
            return None
        if 97 - int(number[:8]) % 97 != int(number[8:]):
            problems.append("employer.enterpriseNumber: check digits do not match")
            return None
        return {"enterpriseNumber": number}
    if not _is_int(nsso) or not 0 < nsso < 10**10:  # type: ignore[operator]
        problems.append("employer.employerId: expected a number")
        return None
    return {"employerId": nsso}


def _worker(value: object, problems: list[str]) -> dict | None:
    if value is None:
        problems.append("worker: missing")
        return None
    if not isinstance(value, dict):
        problems.append("worker: expected an object")
        return None
    ssin = value.get("ssin")
    if ssin:
        if not isinstance(ssin, str) or not _SSIN.fullmatch(ssin):
            problems.append("worker.ssin: expected 11 digits")
        return value
    for name in ("familyName", "givenName", "placeOfBirth", "middleInitial"):
        if name in value and not isinstance(value[name], str):
            problems.append(f"worker.{name}: expected text")
    born = value.get("birthDate")
    if born is not None:
        try:
            if not isinstance(born, str) or not _DATE.fullmatch(born):
                raise ValueError
            dt.date.fromisoformat(born)
        except ValueError:
            problems.append("worker.birthDate: expected YYYY-MM-DD")
    gender = value.get("gender")
    if gender is not None and not (_is_int(gender) and gender in (1, 2)):
        problems.append("worker.gender: expected 1 (male) or 2 (female)")
    for name in ("nationality", "birthCountry"):
        if name in value and not _is_int(value[name]):
            problems.append(f"worker.{name}: expected an NSSO country code (a number)")
    address = value.get("address")
    if address is not None:
        _address(address, problems)
    return value


def _address(address: object, problems: list[str]) -> None:
    if not isinstance(address, dict):
        problems.append("worker.address: expected an object")
        return
    for name in ("street", "houseNumber", "boxNumber", "postCode"):
        if name in address and not isinstance(address[name], str):
            problems.append(f"worker.address.{name}: expected text")
    municipality = address.get("municipality")
    if municipality is not None and not (
        isinstance(municipality, dict)
        and isinstance(municipality.get("name"), str)
        and _is_int(municipality.get("code"))
    ):
        problems.append("worker.address.municipality: expected {name, code} with a NIS code")
    if "country" in address and not _is_int(address["country"]):
        problems.append("worker.address.country: expected an NSSO country code (a number)")


def _features(value: object, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append("dimonaIn.features: missing")
        return
    if value.get("jointCommissionNumber") != JOINT_COMMITTEE:
        problems.append(f"dimonaIn.features.jointCommissionNumber: expected {JOINT_COMMITTEE}")
    if value.get("workerType") != WORKER_TYPE:
        problems.append(f"dimonaIn.features.workerType: expected {WORKER_TYPE} (flexi-jobs only)")


def _times(
    where: str, part: dict, problems: list[str]
) -> tuple[dt.datetime | None, dt.datetime | None, dict]:
    found = {}
    for side in ("start", "end"):
        day, hour = part.get(f"{side}Date"), part.get(f"{side}Hour")
        if day is None or hour is None:
            missing = [f"{side}Date"] * (day is None) + [f"{side}Hour"] * (hour is None)
            problems.extend(f"{where}.{name}: missing" for name in missing)
            continue
        try:
            found[side] = moment(day, hour)
        except ValueError as error:
            problems.extend(f"{where}.{side}{which}: {why}" for which, why in error.args)
    start, end = found.get("start"), found.get("end")
    if start is not None and end is not None and end <= start:
        problems.append(f"{where}.endHour: the end is not after the start")
    times = {name: part.get(name) for name in ("startDate", "startHour", "endDate", "endHour")}
    return start, end, times
