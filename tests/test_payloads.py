"""The payload of a worker without INSZ: gender, countries and municipality as NSSO codes.

Both directions: `payloads.payload` builds the JSON, the simulator's core reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from batch.channels import codes
from batch.channels.payloads import payload, payload_json, worker_part
from batch.ledger import Ledger
from batch.model import (
    BRUSSELS,
    Employer,
    Identification,
    Kind,
    Operation,
    Period,
    PeriodStatus,
    Shift,
    Worker,
)
from batch.nsso import Nsso
from batch.pipeline import declare
from tests.conftest import HEADER, at, shift, write_roster

EMPLOYER = Employer("0566988259")

BELGIAN = Worker(
    "",
    "Dupré",
    "Élise",
    Identification(
        birth_date=dt.date(1999, 3, 4),
        birth_place="Gent",
        gender="F",
        street="Kerkstraat",
        house_number="12",
        box="3",
        postal_code="9000",
        municipality="Gent",
        country="BE",
        nationality="Belg",
        birth_country="België",
    ),
)
FRENCH = Worker(
    "",
    "Lefèvre",
    "Hugo",
    Identification(
        birth_date=dt.date(2001, 12, 24),
        birth_place="Lille",
        gender="M",
        street="Rue Nationale",
        house_number="40",
        postal_code="59000",
        municipality="Lille",
        country="Frankrijk",
        nationality="française",
        birth_country="FR",
        middle_initial="J",
    ),
)


def test_a_belgian_worker_without_insz_is_sent_with_codes():
    body = payload(
        Operation(Kind.IN, Shift(EMPLOYER, BELGIAN, at("2026-06-29 10:00"), at("2026-06-29 14:00")))
    )
    assert json.dumps(body, ensure_ascii=False, sort_keys=True) == json.dumps(
        {
            "employer": {"enterpriseNumber": "0566988259"},
            "worker": {
                "familyName": "Dupré",
                "givenName": "Élise",
                "birthDate": "1999-03-04",
                "placeOfBirth": "Gent",
                "gender": 2,
                "address": {
                    "street": "Kerkstraat",
                    "houseNumber": "12",
                    "boxNumber": "3",
                    "postCode": "9000",
                    "municipality": {"name": "Gent", "code": 44021},
                    "country": 150,
                },
                "nationality": 150,
                "birthCountry": 150,
            },
            "dimonaIn": {
                "startDate": "2026-06-29",
                "startHour": "1000",
                "endDate": "2026-06-29",
                "endHour": "1400",
                "features": {"jointCommissionNumber": "XXX", "workerType": "FLX"},
            },
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def test_a_french_worker_without_insz_is_sent_with_codes():
    assert worker_part(FRENCH) == {
        "familyName": "Lefèvre",
        "givenName": "Hugo",
        "birthDate": "2001-12-24",
        "placeOfBirth": "Lille",
        "gender": 1,
        "address": {
            "street": "Rue Nationale",
            "houseNumber": "40",
            "postCode": "59000",
            "municipality": {"name": "Lille", "code": 99999},  # not a Belgian municipality
            "country": 111,
        },
        "middleInitial": "J",
        "nationality": 111,
        "birthCountry": 111,
    }


def test_an_unknown_municipality_gets_99999_and_an_unreadable_country_is_left_out():
    who = BELGIAN.identification
    laeken = Worker(
        "",
        "Dupré",
        "Élise",
        Identification(
            **{
                **vars_of(who),
                "municipality": "Laeken",
                "postal_code": "1020",
                "nationality": "Atlantis",
            }
        ),
    )
    part = worker_part(laeken)
    assert part["address"]["municipality"] == {"name": "Laeken", "code": 99999}
    assert "nationality" not in part and part["birthCountry"] == 150
    # a municipality in another province than its postal code is not guessed
    assert codes.municipality_code("Gent", "4000") == 99999
    assert codes.municipality_code("Saint-Nicolas", "4420") == 62093  # near Liège
    assert codes.municipality_code("Sint-Niklaas", "9100") == 46021
    assert codes.municipality_code("Saint-Nicolas", "9100") == 46021
    assert codes.municipality_code("Luik", "4000") == codes.municipality_code("Liège", "4000")
    assert (
        codes.municipality_code("Bruxelles", "1000")
        == codes.municipality_code("Brussel", "1000")
        == 21004
    )
    assert codes.municipality_code("Kelmis", "4720") == 63040
    assert (
        codes.country_code("Pays-Bas"),
        codes.country_code("nl"),
        codes.country_code("Dutch"),
    ) == (
        129,
        129,
        129,
    )


def vars_of(who: Identification) -> dict:
    return {name: getattr(who, name) for name in who.__dataclass_fields__}


def test_the_core_reads_what_the_payload_builder_sends(tmp_path):
    with Nsso(tmp_path / "nsso.sqlite") as nsso:
        for worker in (BELGIAN, FRENCH):
            body = payload(
                Operation(
                    Kind.IN, Shift(EMPLOYER, worker, at("2026-06-29 10:00"), at("2026-06-29 14:00"))
                )
            )
            declaration_id = nsso.submit(body, at("2026-06-28 12:00"))
            pending = nsso.status(declaration_id, at("2026-06-28 12:00"))
            assert pending["result"] == "S"
            item = nsso.period(str(pending["period"]["id"]))
            assert item["worker"] == body["worker"]
            assert nsso.status(declaration_id, at("2026-06-28 12:00"))["result"] == "A"


def test_every_municipality_has_one_code_and_every_country_a_three_digit_code():
    rows = codes._rows("municipalities.csv")
    assert len(rows) == 565 and len({r["nis"] for r in rows}) == 565
    assert all(len(r["nis"]) == 5 and r["nis"].isdigit() for r in rows)
    countries = codes._rows("countries.csv")
    assert len({r["iso"] for r in countries}) == len(countries) == 224
    assert all(100 <= int(r["nsso"]) <= 999 for r in countries)
    assert len({r["nsso"] for r in countries}) == 224


def test_old_logged_payloads_with_text_gender_are_still_read(tmp_path):
    """A ledger that logged the worker as text (gender "F", municipality as a name) before."""
    header = [*HEADER, "Geboortedatum", "Geboorteplaats", "Geslacht", "Straat", "Huisnummer"]
    header += ["Bus", "Postcode", "Gemeente"]
    row = [*shift("2026-06-29", "10:00", "14:00", insz=None, last="Dupré", first="Élise")]
    row += [dt.date(1999, 3, 4), "Gent", "V", "Kerkstraat", 12, None, 9000, "Gent"]
    roster = write_roster(tmp_path / "roster.xlsx", [row], header=header)
    ledger = tmp_path / "ledger.sqlite"
    first = declare([roster], ledger=ledger, out=tmp_path / "out", as_of=at("2026-06-28 12:00"))
    assert first.declarations[0].payload["worker"]["gender"] == 2
    # what an earlier version logged: the log is append-only, so it is rewritten around its guard
    db = sqlite3.connect(ledger)
    (old_text,) = db.execute("SELECT payload FROM declarations").fetchone()
    old = json.loads(old_text)
    old["worker"]["gender"] = "F"
    old["worker"]["address"] |= {"municipality": "Gent", "country": "BE"}
    guards = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'declarations'"
    ).fetchall()
    with db:
        for name, _ in guards:
            db.execute(f"DROP TRIGGER {name}")
        db.execute("UPDATE declarations SET payload = ?", (json.dumps(old),))
        for _, sql in guards:
            db.execute(sql)
    db.close()
    second = declare([roster], ledger=ledger, out=tmp_path / "out2", as_of=at("2026-06-28 13:00"))
    (answer,) = second.answers
    assert answer.result.value == "A"
    assert answer.payload["worker"]["gender"] == "F"
    with Ledger(ledger) as book:
        (receipt,) = book.receipts(1)
        assert receipt.payload["worker"]["address"]["municipality"] == "Gent"
        assert receipt.worker.identification.gender == "F"


def test_the_outbox_keeps_each_body_as_json_dumps_writes_it():
    """`payload_json` puts an IN's JSON together from the JSON of its parts, each dumped once
    per value: its text is the body's `json.dumps(..., sort_keys=True)`, byte for byte, for
    workers with and without INSZ (accents escaped as json escapes them), an employer known
    by its NSSO number, shifts across midnight and in both readings of the autumn's 02:30,
    and for UPDATEs and CANCELs."""
    by_nsso_number = Employer("", "000935467", "Zonder KBO")
    with_insz = Worker("93051822361", "Peeters", "Jan")
    shifts = [
        Shift(EMPLOYER, BELGIAN, at("2026-06-29 10:00"), at("2026-06-29 14:00")),
        Shift(EMPLOYER, FRENCH, at("2026-06-29 22:00"), at("2026-06-30 06:00")),
        Shift(by_nsso_number, with_insz, at("2026-06-30 18:00"), at("2026-07-01 00:00")),
        Shift(
            EMPLOYER,
            with_insz,
            dt.datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS),
            dt.datetime(2026, 10, 25, 2, 45, tzinfo=BRUSSELS, fold=1),
        ),
        Shift(
            EMPLOYER,
            with_insz,
            dt.datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS, fold=1),
            dt.datetime(2026, 10, 25, 6, 0, tzinfo=BRUSSELS),
        ),
    ]
    operations = [Operation(Kind.IN, s) for s in shifts * 2]  # the second time from the caches
    period = Period(
        "660740832053",
        EMPLOYER,
        with_insz,
        *(at("2026-06-29 10:00"), at("2026-06-29 14:00")) * 2,
        PeriodStatus.ACTIVE,
        "sandbox",
    )
    moved = Shift(EMPLOYER, with_insz, at("2026-06-29 11:00"), at("2026-06-29 15:00"))
    operations += [Operation(Kind.UPDATE, moved, period), Operation(Kind.CANCEL, period=period)]
    for op in operations:
        number = None if op.kind is Kind.IN else period.period_id
        assert payload_json(op, number) == json.dumps(payload(op, number), sort_keys=True)
    texts = [payload_json(op) for op in operations[:5]]
    assert '"familyName": "Dupr\\u00e9"' in texts[0]
    assert json.loads(texts[3])["dimonaIn"]["endHour"] == "0245"
    assert json.loads(texts[2])["employer"] == {"employerId": 935467}
