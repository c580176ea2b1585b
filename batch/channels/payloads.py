"""REST v2 payloads of Dimona declarations (domain.md §5), built in one place.

No official v2 document was readable; field names follow working clients (Odoo 19 payroll,
hyperlab-be/laravel-dimona). Keeping them here means one module changes if the NSSO's differ.
"""

from __future__ import annotations

import datetime as dt

from ..model import BRUSSELS, JOINT_COMMITTEE, WORKER_TYPE, Employer, Kind, Operation, Worker


def date_and_hour(moment: dt.datetime) -> tuple[str, str]:
    """`2026-06-25`, `1000`: Brussels wall time; midnight is 0000 of the next day."""
    local = moment.astimezone(BRUSSELS)
    return local.date().isoformat(), f"{local:%H%M}"


def employer_part(employer: Employer) -> dict:
    if employer.enterprise_number:
        return {"enterpriseNumber": employer.enterprise_number}
    return {"employerId": int(employer.nsso_number)}


def worker_part(worker: Worker) -> dict:
    """The INSZ, or for a worker without one the identification fields (domain.md §1, §5)."""
    who = worker.identification
    if worker.insz or who is None:
        return {"ssin": worker.insz}
    address = {"street": who.street, "houseNumber": who.house_number}
    if who.box:
        address["boxNumber"] = who.box
    address |= {"postCode": who.postal_code, "municipality": who.municipality}
    address["country"] = who.country
    part = {
        "familyName": worker.last_name,
        "givenName": worker.first_name,
        "birthDate": who.birth_date.isoformat(),
        "placeOfBirth": who.birth_place,
        "gender": who.gender,
        "address": address,
    }
    if who.middle_initial:
        part["middleInitial"] = who.middle_initial
    if who.nationality:
        part["nationality"] = who.nationality
    if who.birth_country:
        part["birthCountry"] = who.birth_country
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
            "dimonaIn": {
                **times_part(operation.start, operation.end),
                "features": {"jointCommissionNumber": JOINT_COMMITTEE, "workerType": WORKER_TYPE},
            },
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
