"""REST v2 payloads of Dimona declarations (domain.md §5), built in one place.

No official v2 document was readable; field names follow working clients (Odoo 19 payroll,
hyperlab-be/laravel-dimona). Keeping them here means one module changes if the NSSO's differ.
The codes a worker without INSZ is sent with come from the tables of `codes`.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

from ..model import BRUSSELS, JOINT_COMMITTEE, WORKER_TYPE, Employer, Kind, Operation, Worker
from . import codes


def date_and_hour(moment: dt.datetime) -> tuple[str, str]:
    """`2026-06-25`, `1000`: Brussels wall time; midnight is 0000 of the next day.

    A batch has few distinct moments: each is worked out once. The cache's key carries the
    UTC offset (the two readings of the autumn's repeated hour are equal to Python)."""
    return _date_and_hour(moment, moment.utcoffset())


@lru_cache(maxsize=8192)
def _date_and_hour(moment: dt.datetime, offset: dt.timedelta | None) -> tuple[str, str]:
    local = moment.astimezone(BRUSSELS)
    return local.date().isoformat(), f"{local:%H%M}"


def employer_part(employer: Employer) -> dict:
    if employer.enterprise_number:
        return {"enterpriseNumber": employer.enterprise_number}
    return {"employerId": int(employer.nsso_number)}


def worker_part(worker: Worker) -> dict:
    """The INSZ, or for a worker without one the identification fields (domain.md §1, §5).

    As the references send them (Odoo 19's client, Dimona_20231.xsd): gender as its code,
    nationality and countries as NSSO country codes, the municipality with its NIS code. A
    country or gender that cannot be coded is left out rather than sent as text.
    """
    who = worker.identification
    if worker.insz or who is None:
        return {"ssin": worker.insz}
    country = codes.country_code(who.country) if who.country else codes.BELGIUM
    if country == codes.BELGIUM:
        nis = codes.municipality_code(who.municipality, who.postal_code)
    else:
        nis = codes.UNKNOWN_MUNICIPALITY
    address: dict = {"street": who.street, "houseNumber": who.house_number}
    if who.box:
        address["boxNumber"] = who.box
    address |= {
        "postCode": who.postal_code,
        "municipality": {"name": who.municipality, "code": nis},
    }
    if country is not None:
        address["country"] = country
    part: dict = {
        "familyName": worker.last_name,
        "givenName": worker.first_name,
        "birthDate": who.birth_date.isoformat(),
        "placeOfBirth": who.birth_place,
    }
    if who.gender in codes.GENDERS:
        part["gender"] = codes.GENDERS[who.gender]
    part["address"] = address
    if who.middle_initial:
        part["middleInitial"] = who.middle_initial
    for name, written in (("nationality", who.nationality), ("birthCountry", who.birth_country)):
        code = codes.country_code(written) if written else None
        if code is not None:
            part[name] = code
    return part


def times_part(start: dt.datetime, end: dt.datetime) -> dict:
    start_date, start_hour = date_and_hour(start)
    end_date, end_hour = date_and_hour(end)
    return {
        "startDate": start_date,
        "startHour": start_hour,
        "endDate": end_date,
        "endHour": end_hour,
    }


def payload(operation: Operation, period_id: str | None = None) -> dict:
    """The JSON body POSTed to /declarations for one operation."""
    if operation.kind is Kind.IN:
        return {
            "employer": employer_part(operation.employer),
            "worker": worker_part(operation.worker),
            "dimonaIn": _in_part(times_part(operation.start, operation.end)),
        }
    assert period_id is not None
    if operation.kind is Kind.UPDATE:
        return {
            "dimonaUpdate": {
                "periodId": int(period_id),
                **times_part(operation.start, operation.end),
            }
        }
    return {"dimonaCancel": {"periodId": int(period_id)}}


def payload_json(operation: Operation, period_id: str | None = None) -> str:
    """`payload` as JSON with sorted keys, as the outbox keeps it and the NSSO is sent it.

    The same text as `json.dumps(payload(...), sort_keys=True)`: a dict's JSON is its keys'
    and values' JSON joined, so an IN's body is put together from the JSON of its times,
    employer and worker, each dumped once per distinct value (a run repeats them).
    """
    if operation.kind is not Kind.IN:
        return json.dumps(payload(operation, period_id), sort_keys=True)
    times = (*date_and_hour(operation.start), *date_and_hour(operation.end))
    return (
        f'{{"dimonaIn": {_in_json(*times)}, "employer": {_employer_json(operation.employer)},'
        f' "worker": {_worker_json(operation.worker)}}}'
    )


def _in_part(times: dict) -> dict:
    """The `dimonaIn` part: the times and the flexi features (worker type, joint committee)."""
    return {
        **times,
        "features": {"jointCommissionNumber": JOINT_COMMITTEE, "workerType": WORKER_TYPE},
    }


@lru_cache(maxsize=8192)
def _in_json(start_date: str, start_hour: str, end_date: str, end_hour: str) -> str:
    times = {"startDate": start_date, "startHour": start_hour}
    times |= {"endDate": end_date, "endHour": end_hour}
    return json.dumps(_in_part(times), sort_keys=True)


@lru_cache(maxsize=4096)
def _employer_json(employer: Employer) -> str:
    return json.dumps(employer_part(employer), sort_keys=True)


@lru_cache(maxsize=65536)
def _worker_json(worker: Worker) -> str:
    return json.dumps(worker_part(worker), sort_keys=True)
