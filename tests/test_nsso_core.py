"""The NSSO simulator's core: today's sandbox rules at the level of REST v2 JSON.

Every payload is built by `payloads.payload` from real operations, so the core reads what
the channel sends; the state is a real SQLite file in the test's folder.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading

import pytest

from batch.channels.payloads import payload
from batch.channels.sandbox import NAME, LocalService, sandbox_state
from batch.channels.service import Rejected
from batch.model import (
    UTC,
    Employer,
    Identification,
    Kind,
    Operation,
    Period,
    PeriodStatus,
    Shift,
    Worker,
)
from batch.nsso import FIRST_DECLARATION, FIRST_PERIOD, Invalid, Nsso, StateError
from tests.conftest import AN, JAN, at

EN = "0566988259"
OTHER_EN = "0403170701"
EMPLOYER = Employer(EN)
AN_WORKER = Worker(AN, "Peeters", "An")
EARLY = at("2026-06-20 12:00")  # well before every shift below


def shift(start: str, end: str, worker: Worker = AN_WORKER, employer: Employer = EMPLOYER):
    return Shift(employer, worker, at(start), at(end))


def declare(start: str, end: str, worker: Worker = AN_WORKER, employer: Employer = EMPLOYER):
    return payload(Operation(Kind.IN, shift(start, end, worker, employer)))


def period(period_id: int, start: str, end: str, worker: Worker = AN_WORKER) -> Period:
    s, e = at(start), at(end)
    return Period(str(period_id), EMPLOYER, worker, s, e, s, e, PeriodStatus.ACTIVE, NAME)


def update(period_id: int, declared: tuple[str, str], new: tuple[str, str]) -> dict:
    op = Operation(Kind.UPDATE, shift=shift(*new), period=period(period_id, *declared))
    return payload(op, str(period_id))


def cancel(period_id: int, declared: tuple[str, str]) -> dict:
    return payload(Operation(Kind.CANCEL, period=period(period_id, *declared)), str(period_id))


def unknown(gender: str = "F", birth: dt.date = dt.date(1999, 3, 4), post_code: str = "9000"):
    """A worker without INSZ, fully identified."""
    who = Identification(
        birth_date=birth,
        birth_place="Gent",
        gender=gender,
        street="Kerkstraat",
        house_number="12",
        postal_code=post_code,
        municipality="Gent",
    )
    return Worker("", "Dupré", "Élise", who)


@pytest.fixture
def nsso(tmp_path):
    with Nsso(tmp_path / "nsso.sqlite", not_eligible=[JAN], unknown_workers=["88041212335"]) as n:
        yield n


def answer(nsso: Nsso, body: dict, now: dt.datetime = EARLY) -> dict:
    """Submit and look at the answer at once (no processing delay)."""
    status = nsso.status(nsso.submit(body, now), now)
    assert status is not None
    return status


def codes(status: dict) -> list[str]:
    return [a["code"] for a in status["anomalies"]]


# --- INs --------------------------------------------------------------------------------


def test_an_in_is_accepted_and_opens_a_period(nsso):
    declaration_id = nsso.submit(declare("2026-06-25 10:00", "2026-06-25 14:00"), EARLY)
    assert declaration_id == str(FIRST_DECLARATION) == "318400000001"
    assert nsso.status(declaration_id, EARLY) == {
        "declarationId": 318400000001,
        "result": "A",
        "period": {"id": 660740832053},
        "anomalies": [],
    }
    assert nsso.period("660740832053") == {
        "id": FIRST_PERIOD,
        "employer": {"enterpriseNumber": EN},
        "worker": {"ssin": AN},
        "startDate": "2026-06-25",
        "startHour": "1000",
        "endDate": "2026-06-25",
        "endHour": "1400",
        "status": "active",
    }
    assert nsso.period("660740832054") is None
    assert nsso.status("318400000002", EARLY) is None
    assert nsso.status("not a number", EARLY) is None


def test_a_shift_to_midnight_ends_at_0000_of_the_next_day(nsso):
    status = answer(nsso, declare("2026-06-25 20:00", "2026-06-26 00:00"))
    item = nsso.period(str(status["period"]["id"]))
    assert (item["endDate"], item["endHour"]) == ("2026-06-26", "0000")
    # the next day's shift from midnight touches it without overlapping
    assert answer(nsso, declare("2026-06-26 00:00", "2026-06-26 04:00"))["result"] == "A"


def test_an_overlap_with_a_live_period_of_the_same_employer_and_worker_is_refused(nsso):
    first = answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00"))
    clash = answer(nsso, declare("2026-06-25 13:00", "2026-06-25 17:00"))
    assert clash == {
        "declarationId": 318400000002,
        "result": "B",
        "anomalies": [
            {
                "code": "SBX-OVERLAP",
                "descriptionNl": "overlapt met de actieve periode 660740832053",
                "descriptionFr": "chevauche la période active 660740832053",
            }
        ],
    }
    # a split shift, another employer, another worker: no overlap
    assert answer(nsso, declare("2026-06-25 14:00", "2026-06-25 18:00"))["result"] == "A"
    other = Employer(OTHER_EN)
    assert answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00", employer=other))[
        "result"
    ] == ("A")
    jan = Worker(JAN)
    assert answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00", jan))["result"] == "W"
    # once cancelled, the slot is free again
    period_id = first["period"]["id"]
    assert answer(nsso, cancel(period_id, ("2026-06-25 10:00", "2026-06-25 14:00")))["result"]
    again = answer(nsso, declare("2026-06-25 11:00", "2026-06-25 13:00"))
    assert again["result"] == "A" and again["period"]["id"] == FIRST_PERIOD + 4


def test_bad_check_digits_and_an_unknown_worker_are_refused(nsso):
    bad = answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00", Worker("93051822362")))
    assert bad["result"] == "B" and "period" not in bad
    assert bad["anomalies"] == [
        {
            "code": "SBX-BAD-INSZ",
            "descriptionNl": "INSZ 93051822362 is niet geldig",
            "descriptionFr": "le NISS 93051822362 n'est pas valable",
        }
    ]
    ghost = answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00", Worker("88041212335")))
    assert (ghost["result"], codes(ghost)) == ("B", ["SBX-UNKNOWN-WORKER"])
    assert ghost["anomalies"][0]["descriptionNl"] == (
        "INSZ 88041212335 is niet gekend in het Rijksregister"
    )
    assert nsso.search(EN, None, dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == ([], False)


def test_a_worker_who_does_not_meet_the_flexi_conditions_is_warned(nsso):
    jan = Worker(JAN)
    status = answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00", jan))
    assert (status["result"], codes(status)) == ("W", ["90017-510"])
    assert status["anomalies"][0]["descriptionFr"] == (
        "le travailleur ne remplit pas les conditions du flexi-job"
    )
    assert nsso.period(str(status["period"]["id"]))["status"] == "active"


def test_an_in_filed_at_the_start_minute_is_late_one_minute_before_is_not(nsso):
    in_time = answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00"), at("2026-06-25 09:59"))
    assert (in_time["result"], in_time["anomalies"]) == ("A", [])
    late = answer(nsso, declare("2026-06-26 10:00", "2026-06-26 14:00"), at("2026-06-26 10:00"))
    assert (late["result"], codes(late)) == ("W", ["SBX-LATE-IN"])
    assert late["anomalies"][0]["descriptionNl"] == (
        "ingediend na het begin van de prestatie (laattijdige aangifte)"
    )
    both = answer(
        nsso, declare("2026-06-27 10:00", "2026-06-27 14:00", Worker(JAN)), at("2026-06-27 11:00")
    )
    assert codes(both) == ["SBX-LATE-IN", "90017-510"]


def test_a_worker_without_insz_and_without_full_identification_is_refused(nsso):
    nobody = Worker("", "Dupré", "Élise")
    status = answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00", nobody))
    assert (status["result"], codes(status)) == ("B", ["SBX-UNIDENTIFIED"])
    assert "period" not in status


# --- S, then what SIGeDIS found -----------------------------------------------------------


def test_a_worker_without_insz_is_pending_then_accepted(nsso):
    declaration_id = nsso.submit(declare("2026-06-25 10:00", "2026-06-25 14:00", unknown()), EARLY)
    first = nsso.status(declaration_id, EARLY)
    assert first == {
        "declarationId": int(declaration_id),
        "result": "S",
        "period": {"id": FIRST_PERIOD},
        "anomalies": [
            {
                "code": "SBX-IDENTIFYING",
                "descriptionNl": "werknemer wordt geïdentificeerd (SIGeDIS)",
                "descriptionFr": "travailleur en cours d'identification (SIGeDIS)",
            }
        ],
    }
    assert nsso.period(str(FIRST_PERIOD))["status"] == "pending"
    later = nsso.status(declaration_id, EARLY + dt.timedelta(minutes=1))
    assert (later["result"], codes(later), later["period"]) == (
        "A",
        ["SBX-IDENTIFIED"],
        {"id": FIRST_PERIOD},
    )
    assert nsso.period(str(FIRST_PERIOD))["status"] == "active"
    assert nsso.status(declaration_id, EARLY)["result"] == "A"  # every later look


def test_a_late_in_without_insz_is_pending_then_warned(nsso):
    now = at("2026-06-25 10:30")
    declaration_id = nsso.submit(declare("2026-06-25 10:00", "2026-06-25 14:00", unknown()), now)
    assert codes(nsso.status(declaration_id, now)) == ["SBX-IDENTIFYING", "SBX-LATE-IN"]
    later = nsso.status(declaration_id, now)
    assert (later["result"], codes(later)) == ("W", ["SBX-IDENTIFIED", "SBX-LATE-IN"])


def test_an_identity_that_contradicts_an_earlier_one_is_pending_then_refused(nsso):
    assert answer(nsso, declare("2026-06-25 10:00", "2026-06-25 14:00", unknown("F")))["result"]
    other_gender = declare("2026-06-26 10:00", "2026-06-26 14:00", unknown("M"))
    declaration_id = nsso.submit(other_gender, EARLY)
    pending = nsso.status(declaration_id, EARLY)
    assert pending["result"] == "S"
    period_id = pending["period"]["id"]
    refused = nsso.status(declaration_id, EARLY)
    assert refused == {
        "declarationId": int(declaration_id),
        "result": "B",
        "period": {"id": period_id},
        "anomalies": [
            {
                "code": "SBX-IDENTITY",
                "descriptionNl": "de identificatie is onvolledig of tegenstrijdig: gender",
                "descriptionFr": "l'identification est incomplète ou contradictoire : gender",
            }
        ],
    }
    assert nsso.period(str(period_id))["status"] == "cancelled"


def test_a_birth_date_after_the_shift_and_a_belgian_post_code_of_three_digits_contradict(nsso):
    impossible = unknown(birth=dt.date(2026, 7, 1), post_code="900")
    declaration_id = nsso.submit(declare("2026-06-25 10:00", "2026-06-25 14:00", impossible), EARLY)
    assert nsso.status(declaration_id, EARLY)["result"] == "S"
    refused = nsso.status(declaration_id, EARLY)
    assert refused["anomalies"][0]["descriptionNl"] == (
        "de identificatie is onvolledig of tegenstrijdig: birthDate, address.postCode"
    )


# --- UPDATE and CANCEL: unknown or cancelled periods, deadlines --------------------------

DECLARED = ("2026-06-25 10:00", "2026-06-25 14:00")


def test_an_update_or_cancel_of_an_unknown_period_is_refused(nsso):
    status = answer(nsso, update(660740832999, DECLARED, ("2026-06-25 10:00", "2026-06-25 16:00")))
    assert status == {
        "declarationId": FIRST_DECLARATION,
        "result": "B",
        "period": {"id": 660740832999},
        "anomalies": [
            {
                "code": "SBX-UNKNOWN-PERIOD",
                "descriptionNl": "geen periode 660740832999",
                "descriptionFr": "pas de période 660740832999",
            }
        ],
    }
    assert codes(answer(nsso, cancel(660740832999, DECLARED))) == ["SBX-UNKNOWN-PERIOD"]


def test_a_cancelled_period_cannot_be_updated_or_cancelled_again(nsso):
    period_id = answer(nsso, declare(*DECLARED))["period"]["id"]
    assert answer(nsso, cancel(period_id, DECLARED))["result"] == "A"
    assert nsso.period(str(period_id))["status"] == "cancelled"
    updated = answer(nsso, update(period_id, DECLARED, ("2026-06-25 10:00", "2026-06-25 16:00")))
    assert (updated["result"], codes(updated)) == ("B", ["SBX-PERIOD-CANCELLED"])
    again = answer(nsso, cancel(period_id, DECLARED))
    assert again["anomalies"] == [
        {
            "code": "00913-355",
            "descriptionNl": "de periode is al geannuleerd",
            "descriptionFr": "la période est déjà annulée",
        }
    ]
    assert nsso.period(str(period_id))["endHour"] == "1400"  # the refused update changed nothing


def test_an_update_changes_the_period_and_may_not_overlap_another(nsso):
    first = answer(nsso, declare(*DECLARED))["period"]["id"]
    answer(nsso, declare("2026-06-25 18:00", "2026-06-25 22:00"))
    longer = answer(nsso, update(first, DECLARED, ("2026-06-25 10:00", "2026-06-25 16:00")))
    assert (longer["result"], longer["anomalies"]) == ("A", [])
    assert nsso.period(str(first))["endHour"] == "1600"
    clash = answer(
        nsso,
        update(
            first,
            ("2026-06-25 10:00", "2026-06-25 16:00"),
            ("2026-06-25 10:00", "2026-06-25 19:00"),
        ),
    )
    assert (clash["result"], codes(clash)) == ("B", ["SBX-OVERLAP"])
    assert clash["anomalies"][0]["descriptionNl"].endswith(str(first + 1))


@pytest.mark.parametrize(
    ("new", "deadline"),
    [
        (("2026-06-25 10:00", "2026-06-25 16:00"), "2026-06-25 22:00"),  # later end: + 8 h
        (("2026-06-25 10:00", "2026-06-25 12:30"), "2026-06-26 00:00"),  # earlier end
        (("2026-06-25 10:30", "2026-06-25 14:00"), "2026-06-25 10:30"),  # later start
        (("2026-06-25 09:30", "2026-06-25 14:00"), "2026-06-25 09:30"),  # earlier start
    ],
)
def test_a_change_is_late_from_its_deadline_minute_by_the_rule_table(tmp_path, new, deadline):
    for filed, result in ((at(deadline) - dt.timedelta(minutes=1), "A"), (at(deadline), "W")):
        with Nsso(tmp_path / f"{result}.sqlite") as nsso:
            period_id = answer(nsso, declare(*DECLARED))["period"]["id"]
            status = answer(nsso, update(period_id, DECLARED, new), filed)
            assert status["result"] == result
            if result == "W":
                assert status["anomalies"] == [
                    {
                        "code": "SBX-LATE-CHANGE",
                        "descriptionNl": "wijziging ingediend na de termijn",
                        "descriptionFr": "modification introduite après le délai",
                    }
                ]
                assert nsso.period(str(period_id))["startHour"] == new[0][-5:].replace(":", "")


def test_an_evening_end_made_later_is_due_by_eight_the_next_morning(nsso):
    declared = ("2026-06-25 18:00", "2026-06-25 22:00")
    period_id = answer(nsso, declare(*declared))["period"]["id"]
    later = ("2026-06-25 18:00", "2026-06-25 23:30")
    assert answer(nsso, update(period_id, declared, later), at("2026-06-26 07:59"))["result"] == "A"
    again = ("2026-06-25 18:00", "2026-06-26 00:00")
    assert answer(nsso, update(period_id, later, again), at("2026-06-26 08:00"))["result"] == "W"


def test_a_cancel_is_late_from_midnight_ending_the_start_day(tmp_path):
    for filed, result in ((at("2026-06-25 23:59"), "A"), (at("2026-06-26 00:00"), "W")):
        with Nsso(tmp_path / f"{result}.sqlite") as nsso:
            period_id = answer(nsso, declare("2026-06-25 22:00", "2026-06-26 02:00"))["period"][
                "id"
            ]
            status = answer(
                nsso, cancel(period_id, ("2026-06-25 22:00", "2026-06-26 02:00")), filed
            )
            assert status["result"] == result
            assert nsso.period(str(period_id))["status"] == "cancelled"
    assert status["anomalies"] == [
        {
            "code": "SBX-LATE-CHANGE",
            "descriptionNl": "annulatie ingediend na de termijn",
            "descriptionFr": "annulation introduite après le délai",
        }
    ]


# --- the processing delay -----------------------------------------------------------------


def test_an_answer_is_visible_only_after_the_processing_delay(tmp_path):
    with Nsso(tmp_path / "nsso.sqlite", delay=0.5) as nsso:
        declaration_id = nsso.submit(declare(*DECLARED), EARLY)
        assert nsso.status(declaration_id, EARLY) is None
        assert nsso.status(declaration_id, EARLY + dt.timedelta(seconds=0.499)) is None
        status = nsso.status(declaration_id, EARLY + dt.timedelta(seconds=0.5))
        assert status["result"] == "A"
        # the period exists from the moment of processing: the consult side sees it at once
        assert nsso.period(str(status["period"]["id"]))["status"] == "active"


def test_a_pending_answer_waits_for_the_delay_too(tmp_path):
    with Nsso(tmp_path / "nsso.sqlite", delay=2) as nsso:
        declaration_id = nsso.submit(declare(*DECLARED, unknown()), EARLY)
        assert nsso.status(declaration_id, EARLY + dt.timedelta(seconds=1)) is None
        assert nsso.status(declaration_id, EARLY + dt.timedelta(seconds=2))["result"] == "S"
        assert nsso.status(declaration_id, EARLY + dt.timedelta(seconds=3))["result"] == "A"


# --- the consult side ---------------------------------------------------------------------

WORKERS = [Worker(AN), Worker(JAN), Worker("90010100123"), Worker("01020300170")]


def test_search_pages_by_fifty_in_id_order_and_filters_by_worker_and_dates(nsso):
    first_day = dt.date(2026, 7, 1)
    for n in range(30):
        day = (first_day + dt.timedelta(days=n)).isoformat()
        for worker in WORKERS:
            assert answer(nsso, declare(f"{day} 10:00", f"{day} 14:00", worker))["result"] in "AW"
    answer(nsso, declare("2026-07-01 10:00", "2026-07-01 14:00", employer=Employer(OTHER_EN)))
    pages = [nsso.search(EN, None, dt.date(2026, 7, 1), dt.date(2026, 7, 30), p) for p in (1, 2, 3)]
    assert [(len(items), more) for items, more in pages] == [(50, True), (50, True), (20, False)]
    ids = [item["id"] for items, _ in pages for item in items]
    assert ids == list(range(FIRST_PERIOD, FIRST_PERIOD + 120))
    assert nsso.search(EN, None, dt.date(2026, 7, 1), dt.date(2026, 7, 30), 4) == ([], False)
    an, more = nsso.search(EN, AN, dt.date(2026, 7, 1), dt.date(2026, 7, 30))
    assert (len(an), more) == (30, False)
    assert {item["worker"]["ssin"] for item in an} == {AN}
    week, _ = nsso.search(EN, None, dt.date(2026, 7, 6), dt.date(2026, 7, 12))
    assert len(week) == 28
    assert {item["startDate"] for item in week} == {f"2026-07-{d:02d}" for d in range(6, 13)}
    small = [
        nsso.search(EN, JAN, dt.date(2026, 7, 1), dt.date(2026, 7, 10), p, 4) for p in (1, 2, 3)
    ]
    assert [(len(items), more) for items, more in small] == [(4, True), (4, True), (2, False)]


def test_search_holds_cancelled_periods_and_a_period_crossing_midnight_by_its_start_day(nsso):
    night = answer(nsso, declare("2026-06-30 22:00", "2026-07-01 02:00"))["period"]["id"]
    answer(nsso, cancel(night, ("2026-06-30 22:00", "2026-07-01 02:00")))
    items, _ = nsso.search(EN, None, dt.date(2026, 6, 30), dt.date(2026, 6, 30))
    assert [(i["id"], i["status"]) for i in items] == [(night, "cancelled")]
    assert nsso.search(EN, None, dt.date(2026, 7, 1), dt.date(2026, 7, 1)) == ([], False)


# --- seed and the state file ---------------------------------------------------------------


def test_seed_takes_over_a_ledgers_periods_and_numbering_goes_on(nsso):
    old = {
        "id": 660740832100,
        "employer": {"enterpriseNumber": EN},
        "worker": {"ssin": AN},
        "startDate": "2026-06-25",
        "startHour": "1000",
        "endDate": "2026-06-25",
        "endHour": "1400",
        "status": "active",
    }
    gone = old | {"id": 660740832101, "startHour": "1800", "endHour": "2200", "status": "cancelled"}
    text_gender = {"familyName": "Dupré", "givenName": "Élise", "birthDate": "1999-03-04"}
    pending = old | {
        "id": 660740832102,
        "worker": text_gender | {"gender": "F"},
        "status": "pending",
    }
    nsso.seed([old, gone, pending], next_period=660740832103, next_declaration=318400000050)
    nsso.seed([old], next_period=660740832000, next_declaration=318400000001)  # again: no change
    assert nsso.period("660740832100") == old
    assert nsso.period("660740832102") == pending
    assert codes(answer(nsso, declare("2026-06-25 12:00", "2026-06-25 16:00"))) == ["SBX-OVERLAP"]
    assert codes(answer(nsso, cancel(660740832101, ("2026-06-25 18:00", "2026-06-25 22:00")))) == [
        "00913-355"
    ]
    moved = answer(nsso, update(660740832100, DECLARED, ("2026-06-25 10:00", "2026-06-25 15:00")))
    assert moved["result"] == "A" and moved["declarationId"] == 318400000052
    fresh = answer(nsso, declare("2026-06-26 10:00", "2026-06-26 14:00"))
    assert fresh["period"] == {"id": 660740832103}
    # the seeded worker without INSZ wrote her gender as text: the same "F" is no contradiction
    again = nsso.submit(declare("2026-06-27 10:00", "2026-06-27 14:00", unknown("F")), EARLY)
    assert nsso.status(again, EARLY)["result"] == "S"
    assert nsso.status(again, EARLY)["result"] == "A"
    other = nsso.submit(declare("2026-06-28 10:00", "2026-06-28 14:00", unknown("M")), EARLY)
    assert nsso.status(other, EARLY)["result"] == "S"
    assert codes(nsso.status(other, EARLY)) == ["SBX-IDENTITY"]
    # a seeded period of two days counts in the overlap look-up's window
    long = old | {"id": 660740832200, "startDate": "2026-07-01", "endDate": "2026-07-03"}
    nsso.seed([long], next_period=660740832201, next_declaration=318400000060)
    assert codes(answer(nsso, declare("2026-07-03 09:00", "2026-07-03 11:00"))) == ["SBX-OVERLAP"]


def test_the_state_survives_a_reopen_and_is_private(tmp_path):
    state = tmp_path / "state" / "nsso.sqlite"
    with Nsso(state) as nsso:
        pending = nsso.submit(declare(*DECLARED, unknown()), EARLY)
        assert nsso.status(pending, EARLY)["result"] == "S"
        accepted = nsso.submit(declare("2026-06-26 10:00", "2026-06-26 14:00"), EARLY)
    assert os.stat(state).st_mode & 0o777 == 0o600
    with Nsso(state) as nsso:
        assert nsso.status(pending, EARLY)["result"] == "A"
        assert nsso.status(accepted, EARLY)["period"] == {"id": FIRST_PERIOD + 1}
        assert nsso.submit(declare("2026-06-27 10:00", "2026-06-27 14:00"), EARLY) == str(
            FIRST_DECLARATION + 2
        )
        assert codes(answer(nsso, declare(*DECLARED, unknown()))) == ["SBX-OVERLAP"]
    db = sqlite3.connect(state)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA user_version").fetchone() == (3,)
    db.close()


def test_a_state_of_version_1_is_brought_to_version_3_and_keeps_its_periods(tmp_path):
    """A state written before the look-ups were indexed by start day: opened, it is brought
    forward once; what it held is still there, overlaps are still found (the longest period
    it held, 52 hours, is worked out from its periods) and its numbering goes on."""
    state = tmp_path / "nsso.sqlite"
    with Nsso(state) as nsso:
        first = nsso.submit(declare(*DECLARED), EARLY)
        long = nsso.submit(declare("2026-06-26 08:00", "2026-06-28 12:00"), EARLY)
        held = nsso.search("0566988259", AN, dt.date(2026, 6, 25), dt.date(2026, 6, 26))
    db = sqlite3.connect(state)
    db.executescript(
        "DROP INDEX periods_by_start; DROP INDEX periods_unidentified;"
        " DELETE FROM counters WHERE name = 'longest_period';"
        " CREATE INDEX periods_by_worker ON periods (employer_key, worker_key, end_utc);"
        " PRAGMA user_version = 1;"
    )
    db.close()
    with Nsso(state) as nsso:
        assert nsso.search("0566988259", AN, dt.date(2026, 6, 25), dt.date(2026, 6, 26)) == held
        assert nsso.status(first, EARLY)["result"] == "A"
        assert nsso.status(long, EARLY)["result"] == "A"
        clash = answer(nsso, declare("2026-06-28 11:00", "2026-06-28 15:00"))
        assert codes(clash) == ["SBX-OVERLAP"]
        assert clash["declarationId"] == FIRST_DECLARATION + 2
        assert answer(nsso, declare("2026-06-28 12:00", "2026-06-28 15:00"))["result"] == "A"
    db = sqlite3.connect(state)
    assert db.execute("PRAGMA user_version").fetchone() == (3,)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"periods_by_day", "periods_by_start", "periods_unidentified"} <= indexes
    assert not indexes & {"periods_by_worker", "periods_by_worker_day"}
    longest = db.execute("SELECT value FROM counters WHERE name = 'longest_period'").fetchone()
    assert longest == (52 * 3600,)
    db.close()


def test_an_overlap_is_found_by_its_start_day_and_never_missed_by_a_long_period(nsso):
    """Overlaps are looked for on the start days a clashing period can have: from the new
    start less the longest period held. A period of three days, one made longer by an
    update, one that ends across the autumn's repeated hour: each is still found."""
    plan = nsso._db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM periods WHERE start_date IN (?, ?)"
        " AND employer_key = ? AND worker_key = ? AND end_utc > ? AND start_utc < ?"
        " AND status != 'cancelled' AND id != ? ORDER BY id LIMIT 1",
        ("2026-06-24", "2026-06-25", "EN", AN, "a", "b", 0),
    ).fetchall()
    assert (
        "USING INDEX periods_by_start (start_date=? AND employer_key=? AND worker_key=?)"
        in (plan[0][3])
    )
    long = answer(nsso, declare("2026-07-01 08:00", "2026-07-04 08:00"))
    assert long["result"] == "A"
    inside = answer(nsso, declare("2026-07-04 07:59", "2026-07-04 09:00"))
    assert codes(inside) == ["SBX-OVERLAP"]
    assert inside["anomalies"][0]["descriptionNl"].endswith(str(long["period"]["id"]))
    assert answer(nsso, declare("2026-07-04 08:00", "2026-07-04 09:00"))["result"] == "A"
    # a short period made five days long by an update
    short = answer(nsso, declare("2026-07-10 10:00", "2026-07-10 14:00"))["period"]["id"]
    longer = update(
        short, ("2026-07-10 10:00", "2026-07-10 14:00"), ("2026-07-10 10:00", "2026-07-15 10:00")
    )
    assert answer(nsso, longer)["result"] == "A"
    assert codes(answer(nsso, declare("2026-07-15 09:00", "2026-07-15 11:00"))) == ["SBX-OVERLAP"]
    # another worker, the same days: no overlap
    assert (
        answer(nsso, declare("2026-07-15 09:00", "2026-07-15 11:00", Worker(JAN)))["result"] == "W"
    )
    # a night across midnight, to the autumn's repeated hour
    night = answer(nsso, declare("2026-10-24 23:00", "2026-10-25 02:30"))
    assert night["result"] == "A"
    assert codes(answer(nsso, declare("2026-10-25 02:00", "2026-10-25 04:00"))) == ["SBX-OVERLAP"]


def test_a_group_is_committed_once_at_its_end_and_undone_whole_by_an_error(tmp_path):
    """Requests inside `group()` are one transaction: another connection sees none of them
    until the group ends; an error inside leaves the state as it was before the group."""
    state = tmp_path / "nsso.sqlite"

    def periods() -> int:
        db = sqlite3.connect(state)
        try:
            return db.execute("SELECT COUNT(*) FROM periods").fetchone()[0]
        finally:
            db.close()

    with Nsso(state) as nsso:
        with nsso.group():
            first = nsso.submit(declare(*DECLARED), EARLY)
            nsso.submit(declare("2026-06-26 10:00", "2026-06-26 14:00"), EARLY)
            assert nsso.status(first, EARLY)["result"] == "A"
            assert periods() == 0
        assert periods() == 2
        with pytest.raises(RuntimeError), nsso.group():
            nsso.submit(declare("2026-06-27 10:00", "2026-06-27 14:00"), EARLY)
            raise RuntimeError("the client died")
        assert periods() == 2
        # the numbers taken by the undone group are free again
        third = nsso.submit(declare("2026-06-27 10:00", "2026-06-27 14:00"), EARLY)
        assert third == str(FIRST_DECLARATION + 2)


def test_a_file_that_is_not_a_state_is_refused_with_one_line(tmp_path):
    (tmp_path / "notes.sqlite").write_text("not a database at all")
    with pytest.raises(StateError, match=r"notes.sqlite is not an NSSO state file"):
        Nsso(tmp_path / "notes.sqlite")
    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 7")
    db.close()
    with pytest.raises(StateError, match=r"newer dimona-batch \(state 7\)"):
        Nsso(newer)
    with pytest.raises(StateError, match="is a folder"):
        Nsso(tmp_path)


def test_submissions_from_several_threads_get_distinct_numbers(nsso):
    ids: list[str] = []

    def file(worker_index: int) -> None:
        worker = WORKERS[worker_index]
        for n in range(25):
            day = (dt.date(2026, 7, 1) + dt.timedelta(days=n)).isoformat()
            ids.append(nsso.submit(declare(f"{day} 10:00", f"{day} 14:00", worker), EARLY))

    threads = [threading.Thread(target=file, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(int, ids)) == list(range(FIRST_DECLARATION, FIRST_DECLARATION + 100))
    items, _ = nsso.search(EN, None, dt.date(2026, 7, 1), dt.date(2026, 7, 31), 1, 200)
    assert len(items) == 100


# --- malformed bodies ---------------------------------------------------------------------


def test_a_malformed_body_names_every_bad_property(nsso):
    body = declare(*DECLARED)
    del body["employer"]
    body["dimonaIn"] |= {"startHour": "10:00", "endDate": "2026-06-24"}
    body["dimonaIn"]["features"]["workerType"] = "OTH"
    with pytest.raises(Invalid) as caught:
        nsso.submit(body, EARLY)
    assert caught.value.properties == [
        "employer: missing",
        "dimonaIn.features.workerType: expected FLX (flexi-jobs only)",
        "dimonaIn.startHour: expected HHMM (0000-2359)",
    ]
    backwards = declare(*DECLARED)
    backwards["dimonaIn"]["endHour"] = "0900"
    backwards["worker"] = {"ssin": "9305182236"}
    with pytest.raises(Invalid) as caught:
        nsso.submit(backwards, EARLY)
    assert caught.value.properties == [
        "worker.ssin: expected 11 digits",
        "dimonaIn.endHour: the end is not after the start",
    ]
    with pytest.raises(Invalid) as caught:
        nsso.submit({"dimonaCancel": {"periodId": "660740832053"}}, EARLY)
    assert caught.value.properties == [
        "dimonaCancel.periodId: expected a number of at most 12 digits"
    ]
    with pytest.raises(Invalid) as caught:
        nsso.submit({"dimonaOut": {}}, EARLY)
    assert caught.value.properties == [
        "declaration: expected exactly one of dimonaIn, dimonaUpdate, dimonaCancel"
    ]
    with pytest.raises(Invalid) as caught:
        nsso.submit({"dimonaUpdate": {"startDate": "2026-13-01", "startHour": "2400"}}, EARLY)
    assert caught.value.properties == [
        "dimonaUpdate.periodId: missing",
        "dimonaUpdate.startDate: not a date",
        "dimonaUpdate.startHour: expected HHMM (0000-2359)",
        "dimonaUpdate.endDate: missing",
        "dimonaUpdate.endHour: missing",
    ]
    unknown_body = declare(*DECLARED, unknown())
    unknown_body["worker"]["gender"] = "F"
    unknown_body["worker"]["address"]["municipality"] = "Gent"
    unknown_body["employer"] = {"enterpriseNumber": "0566988258"}
    with pytest.raises(Invalid) as caught:
        nsso.submit(unknown_body, EARLY)
    assert caught.value.properties == [
        "employer.enterpriseNumber: check digits do not match",
        "worker.gender: expected 1 (male) or 2 (female)",
        "worker.address.municipality: expected {name, code} with a NIS code",
    ]
    # nothing malformed was recorded: the numbering did not move
    assert nsso.submit(declare(*DECLARED), EARLY) == str(FIRST_DECLARATION)


# --- the nights the clocks change ----------------------------------------------------------


def test_spring_night_an_hour_that_does_not_exist_is_malformed(nsso):
    # 29/03/2026: 02:00 becomes 03:00. A real shift 01:00-04:00 lasts two hours.
    night = answer(nsso, declare("2026-03-29 01:00", "2026-03-29 04:00"), at("2026-03-28 12:00"))
    item = nsso.period(str(night["period"]["id"]))
    assert (item["startHour"], item["endHour"]) == ("0100", "0400")
    assert codes(
        answer(nsso, declare("2026-03-29 03:30", "2026-03-29 05:00"), at("2026-03-28 12:00"))
    ) == ["SBX-OVERLAP"]
    body = declare("2026-03-30 10:00", "2026-03-30 14:00")
    body["dimonaIn"] |= {"startDate": "2026-03-29", "startHour": "0230", "endDate": "2026-03-29"}
    with pytest.raises(Invalid) as caught:
        nsso.submit(body, at("2026-03-28 12:00"))
    assert caught.value.properties == [
        "dimonaIn.startHour: 0230 does not exist on 2026-03-29 in Brussels (clocks go forward)"
    ]


def test_autumn_night_the_repeated_hour_is_read_as_its_first_occurrence(nsso):
    # 25/10/2026: 03:00 summer time becomes 02:00 winter time; 02:00-03:00 happens twice.
    # A shift from the second 02:00 (00:00 + 3 h of real time) to 03:00 is sent 0200-0300:
    # HHMM cannot tell the two 02:00 apart, so the core reads the first (summer time) and the
    # period lasts two hours for it (00:00-02:00 UTC), not one.
    second_two = dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 02:00 winter time
    three = dt.datetime(2026, 10, 25, 2, 0, tzinfo=UTC)  # 03:00 winter time
    body = payload(Operation(Kind.IN, Shift(EMPLOYER, AN_WORKER, second_two, three)))
    assert (body["dimonaIn"]["startHour"], body["dimonaIn"]["endHour"]) == ("0200", "0300")
    before = at("2026-10-24 12:00")
    status = answer(nsso, body, before)
    assert status["result"] == "A"
    # so a shift that ends at the first 02:30 (00:30 UTC) overlaps it
    first_half = Shift(
        EMPLOYER,
        AN_WORKER,
        dt.datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    )
    clash = answer(nsso, payload(Operation(Kind.IN, first_half)), before)
    assert codes(clash) == ["SBX-OVERLAP"]
    # and lateness is judged from the first 02:00: filed at 00:30 UTC (02:30 summer time) is late
    other = Shift(EMPLOYER, Worker(JAN), second_two, three)
    late = answer(
        nsso, payload(Operation(Kind.IN, other)), dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    )
    assert codes(late) == ["SBX-LATE-IN", "90017-510"]


# --- the sandbox's Service --------------------------------------------------------------


def test_local_service_files_on_the_runs_clock(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    assert sandbox_state(ledger) == tmp_path / "ledger.nsso.sqlite"
    clock = [at("2026-06-25 09:00")]
    with Nsso(sandbox_state(ledger)) as nsso:
        service = LocalService(nsso, lambda: clock[0])
        assert (service.name, service.parallel) == ("sandbox", 1)
        declaration_id = service.submit(declare(*DECLARED))
        assert service.status(declaration_id)["result"] == "A"
        clock[0] = at("2026-06-26 11:00")
        late = service.submit(declare("2026-06-26 10:00", "2026-06-26 14:00"))
        assert codes(service.status(late)) == ["SBX-LATE-IN"]
        for n in range(60):
            day = (dt.date(2026, 7, 1) + dt.timedelta(days=n)).isoformat()
            service.submit(declare(f"{day} 10:00", f"{day} 14:00"))
        found = service.search(EN, AN, dt.date(2026, 6, 1), dt.date(2026, 8, 31))
        assert len(found) == 62 and found[0] == service.period(str(FIRST_PERIOD))
        with pytest.raises(Rejected) as caught:
            service.submit({"dimonaCancel": {}})
        assert (caught.value.status, caught.value.messages) == (
            400,
            ["dimonaCancel.periodId: missing"],
        )
    assert os.stat(sandbox_state(ledger)).st_mode & 0o777 == 0o600
    db = sqlite3.connect(sandbox_state(ledger))
    assert db.execute("SELECT DISTINCT client FROM declarations").fetchall() == [("sandbox",)]
    db.close()


def test_a_municipality_code_of_another_province_and_an_unknown_country_contradict(nsso):
    body = declare(*DECLARED, unknown())
    assert body["worker"]["address"]["municipality"] == {"name": "Gent", "code": 44021}
    body["worker"]["address"]["municipality"]["code"] = 62063  # Liège, with postal code 9000
    body["worker"]["nationality"] = 999
    declaration_id = nsso.submit(body, EARLY)
    assert nsso.status(declaration_id, EARLY)["result"] == "S"
    refused = nsso.status(declaration_id, EARLY)
    assert refused["result"] == "B"
    assert refused["anomalies"][0]["descriptionFr"] == (
        "l'identification est incomplète ou contradictoire : nationality, address.municipality.code"
    )
    # the unknown municipality 99999 is no contradiction: SIGeDIS looks the name up
    body = declare("2026-06-26 10:00", "2026-06-26 14:00", unknown())
    body["worker"]["address"]["municipality"]["code"] = 99999
    declaration_id = nsso.submit(body, EARLY)
    nsso.status(declaration_id, EARLY)
    assert nsso.status(declaration_id, EARLY)["result"] == "A"


def test_inside_a_group_an_overlap_with_a_period_not_yet_written_is_refused(nsso):
    """A group's periods are written when it is asked back or commits; an overlap with one
    received earlier in the same group is found all the same, and a cancel sees it."""
    with nsso.group():
        first = nsso.submit(declare("2026-06-25 10:00", "2026-06-25 14:00"), EARLY)
        clash = nsso.submit(declare("2026-06-25 13:00", "2026-06-25 17:00"), EARLY)
        touching = nsso.submit(declare("2026-06-25 14:00", "2026-06-25 18:00"), EARLY)
        period = nsso.status(first, EARLY)["period"]["id"]
        again = nsso.submit(declare("2026-06-25 11:00", "2026-06-25 12:00"), EARLY)
    assert nsso.status(clash, EARLY)["anomalies"][0]["descriptionFr"] == (
        f"chevauche la période active {period}"
    )
    assert nsso.status(touching, EARLY)["result"] == "A"
    assert nsso.status(again, EARLY)["result"] == "B"
