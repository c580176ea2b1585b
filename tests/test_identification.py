"""Workers without INSZ: declared with their identification, pending (S) until identified (A)."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from batch.channels.payloads import worker_part
from batch.ledger import Ledger
from batch.messages import problem_text
from batch.model import Identification, PeriodStatus, Result, Worker, plain_name
from batch.pipeline import declare, reconcile
from batch.read import read_rosters
from batch.validate import name_key_column, to_shifts, validate
from tests.conftest import AN, HEADER, at, shift, write_roster

SUNDAY_NOON = at("2026-06-28 12:00")

IDENTIFICATION_NL = [
    "Geboortedatum",
    "Geboorteplaats",
    "Geslacht",
    "Straat",
    "Huisnummer",
    "Bus",
    "Postcode",
    "Gemeente",
]
NL_HEADER = [*HEADER, *IDENTIFICATION_NL]  # J .. Q after the roster's A .. I

ELISE = [dt.date(1999, 3, 4), "Gent", "V", "Kerkstraat", 12, None, 9000, "Gent"]


def unknown(day, start, end, who=ELISE, last="Dupré", first="Élise", insz=None):
    """A roster row for a worker without INSZ, with identification columns J .. Q."""
    return [*shift(day, start, end, insz=insz, last=last, first=first), *who]


def run(tmp_path, roster, as_of=SUNDAY_NOON, lang="en"):
    return declare(
        [roster], ledger=tmp_path / "ledger.sqlite", out=tmp_path / "out", as_of=as_of, lang=lang
    )


def check(tmp_path, rows, header=NL_HEADER):
    return validate(read_rosters([write_roster(tmp_path / "roster.xlsx", rows, header=header)]))


def found(result):
    return [(p.cell, p.severity.value, p.code) for p in result.problems]


# --- declaring: S, then A on the next run ------------------------------------------------


def test_worker_without_insz_is_pending_then_identified_on_the_next_run(tmp_path):
    roster = write_roster(
        tmp_path / "roster.xlsx", [unknown("2026-06-29", "10:00", "14:00")], header=NL_HEADER
    )
    first = run(tmp_path, roster)
    (filed,) = first.declarations
    assert (filed.kind.value, filed.result) == ("IN", Result.PENDING)
    assert filed.anomalies == ("SBX-IDENTIFYING: worker being identified (SIGeDIS)",)
    assert filed.payload["worker"] == {
        "familyName": "Dupré",
        "givenName": "Élise",
        "birthDate": "1999-03-04",
        "placeOfBirth": "Gent",
        "gender": 2,
        "address": {
            "street": "Kerkstraat",
            "houseNumber": "12",
            "postCode": "9000",
            "municipality": {"name": "Gent", "code": 44021},
            "country": 150,
        },
    }
    assert first.problems == []
    assert first.counts["pending"] == 1 and first.counts["declared"] == 1
    assert first.exit_status == 0  # pending needs no attention
    with Ledger(tmp_path / "ledger.sqlite") as book:
        (period,) = book.periods()
        assert period.status is PeriodStatus.PENDING
        assert period.worker.insz == ""
        assert period.worker.identification.birth_place == "Gent"
        row = book.connection.execute("SELECT insz, worker_key FROM periods").fetchone()
        assert tuple(row) == ("", "~dupre|elise|1999-03-04")

    second = run(tmp_path, roster, as_of=at("2026-06-28 13:00"))
    (answer,) = second.declarations
    assert second.answers == [answer] and second.plan.operations == []
    assert (answer.declaration_id, answer.period_id) == (filed.declaration_id, filed.period_id)
    assert answer.result is Result.ACCEPTED
    assert answer.anomalies == ("SBX-IDENTIFIED: worker identified by SIGeDIS",)
    assert answer.sent_at == filed.sent_at
    assert answer.answered_at == at("2026-06-28 13:00")
    assert second.counts["identified"] == 1 and second.counts["declared"] == 0
    assert second.counts["unchanged"] == 1 and second.exit_status == 0
    with Ledger(tmp_path / "ledger.sqlite") as book:
        (period,) = book.periods()
        assert period.status is PeriodStatus.ACTIVE
        assert book.count("declarations") == 1
        assert book.count("answers") == 1
        (logged,) = book.answers()
        assert (logged["declaration_id"], logged["result"]) == (filed.declaration_id, "A")
        assert book.declarations()[0]["result"] == "S"  # the log keeps the first answer

    third = run(tmp_path, roster, as_of=at("2026-06-28 14:00"))
    assert third.declarations == [] and third.answers == []
    with Ledger(tmp_path / "ledger.sqlite") as book:
        assert (book.count("declarations"), book.count("answers")) == (1, 1)


def test_beside_unchanged_workers_with_an_insz_a_worker_without_one_is_still_planned(tmp_path):
    """The days of workers with an INSZ are found unchanged on the table's columns and the
    ledger's; what is left to plan is the worker without one: left out of the roster, the
    period is cancelled, and while on it, nothing is filed."""
    known = [*shift("2026-06-29", "10:00", "14:00"), *[None] * len(IDENTIFICATION_NL)]
    also = [*shift("2026-06-30", "18:00", "22:00"), *[None] * len(IDENTIFICATION_NL)]
    rows = [known, also, unknown("2026-07-01", "10:00", "14:00")]
    both = write_roster(tmp_path / "both.xlsx", rows, header=NL_HEADER)
    first = run(tmp_path, both)
    (pending,) = [d for d in first.declarations if not d.worker.insz]
    assert first.counts["declared"] == 3 and pending.result is Result.PENDING

    same = run(tmp_path, both, as_of=at("2026-06-28 13:00"))
    assert same.plan.operations == [] and same.counts["unchanged"] == 3

    left = write_roster(tmp_path / "left.xlsx", rows[:2], header=NL_HEADER)
    later = run(tmp_path, left, as_of=at("2026-06-28 14:00"))
    assert later.counts["unchanged"] == 2
    assert [(op.kind.value, op.period.period_id) for op in later.plan.operations] == [
        ("CANCEL", pending.period_id)
    ]
    with Ledger(tmp_path / "ledger.sqlite") as book:
        statuses = {p.period_id: p.status for p in book.periods(include_cancelled=True)}
    assert statuses[pending.period_id] is PeriodStatus.CANCELLED
    assert sorted(s.value for s in statuses.values()) == ["active", "active", "cancelled"]


def test_the_receipt_of_the_answer_shows_the_period_accepted(tmp_path):
    roster = write_roster(
        tmp_path / "roster.xlsx", [unknown("2026-06-29", "10:00", "14:00")], header=NL_HEADER
    )
    first = run(tmp_path, roster)
    pending = list(openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx").active.values)
    run(tmp_path, roster, as_of=at("2026-06-28 13:00"))
    sheet = openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx").active
    header, row = list(sheet.values)
    receipt = dict(zip(header, row, strict=True))
    assert receipt["Period number"] == first.declarations[0].period_id
    assert receipt["Status"] == "Accepted"
    assert receipt["Anomalies"] == "SBX-IDENTIFIED: worker identified by SIGeDIS"
    assert receipt["INSZ"] is None
    assert (receipt["Last name"], receipt["First name"]) == ("Dupré", "Élise")
    assert receipt["Sent at"] == dt.datetime(2026, 6, 28, 12, 0)
    assert dict(zip(pending[0], pending[1], strict=True))["Status"] == "Pending"
    html = (tmp_path / "out" / "receipts.html").read_text(encoding="utf-8")
    assert "Identified by (no INSZ)" in html
    assert "Dupré Élise, ° 04/03/1999 Gent, F; Kerkstraat 12, 9000 Gent BE" in html
    assert "Answered at" in html and "28/06/2026 13:00" in html


def test_a_late_in_without_insz_is_answered_w_once_identified(tmp_path):
    roster = write_roster(
        tmp_path / "roster.xlsx", [unknown("2026-06-28", "10:00", "14:00")], header=NL_HEADER
    )
    first = run(tmp_path, roster)
    assert first.declarations[0].result is Result.PENDING
    assert first.declarations[0].anomalies[1].startswith("SBX-LATE-IN")
    second = run(tmp_path, roster, as_of=at("2026-06-28 13:00"))
    (answer,) = second.declarations
    assert answer.result is Result.WARNING  # the warning is not lost in the resolution
    assert answer.anomalies[0].startswith("SBX-IDENTIFIED")
    assert answer.anomalies[1].startswith("SBX-LATE-IN")


def test_reconcile_resolves_pending_ins_and_finds_the_worker_by_name_and_birth_date(tmp_path):
    roster = write_roster(
        tmp_path / "roster.xlsx", [unknown("2026-06-29", "10:00", "14:00")], header=NL_HEADER
    )
    run(tmp_path, roster)
    actuals = write_roster(
        tmp_path / "actuals.xlsx",
        [["0566.988.259", "Dupre", "Elise", "04/03/1999", "29/06/2026", "10:00", "16:00"]],
        header=["Ondernemingsnummer", "Naam", "Voornaam", "Geboortedatum", "Datum", "Van", "Tot"],
        title_rows=(),
    )
    result = reconcile(
        [actuals],
        ledger=tmp_path / "ledger.sqlite",
        out=tmp_path / "rec",
        as_of=at("2026-06-29 15:00"),
        lang="en",
    )
    assert result.problems == []
    assert [d.result for d in result.answers] == [Result.ACCEPTED]
    (line,) = result.corrections
    assert [f.value for f in line.findings] == ["later end"]
    assert line.action.value == "update"
    assert [(d.kind.value, d.result.value) for d in result.filed] == [("UPDATE", "A")]


# --- validation ------------------------------------------------------------------------


def test_missing_identification_is_one_error_at_the_insz_cell_listing_the_fields(tmp_path):
    partial = [dt.date(1999, 3, 4), None, "V", "Kerkstraat", None, None, 9000, None]
    rows = [
        unknown("2026-06-29", "10:00", "14:00", who=partial),  # row 4
        unknown("2026-06-29", "10:00", "14:00", who=[None] * 8, last=None, first="Jan"),  # 5
    ]
    result = check(tmp_path, rows)
    assert found(result) == [
        ("D4", "error", "identification_missing"),
        ("D5", "error", "identification_missing"),
    ]
    first, second = result.problems
    assert dict(first.params) == {"fields": "birth_place,house_number,municipality"}
    assert first.message == (
        "no INSZ: fill in the INSZ, or for a worker without INSZ: "
        "birth place, house number, municipality"
    )
    assert problem_text(first, "nl") == (
        "geen INSZ: vul het INSZ in, of voor een werknemer zonder INSZ: "
        "geboorteplaats, huisnummer, gemeente"
    )
    assert problem_text(first, "fr").endswith("lieu de naissance, numéro, commune")
    assert dict(second.params)["fields"] == (
        "last_name,gender,birth_date,birth_place,street,house_number,postal_code,municipality"
    )
    assert (first.column, first.row) == ("INSZ", 4)
    assert result.shifts.empty


def test_a_row_with_neither_insz_nor_identification_columns_lists_them_all(tmp_path):
    result = check(tmp_path, [shift("2026-06-29", "10:00", "14:00", insz=None)], header=HEADER)
    (only,) = result.problems
    assert (only.cell, only.code) == ("D4", "identification_missing")
    assert dict(only.params)["fields"] == (
        "gender,birth_date,birth_place,street,house_number,postal_code,municipality"
    )


def test_unreadable_birth_date_and_gender_are_reported_at_their_cells(tmp_path):
    bad_date = ["31/02/1999", *ELISE[1:]]
    bad_gender = [ELISE[0], "Gent", "X", *ELISE[3:]]
    future = [dt.date(2027, 1, 1), *ELISE[1:]]
    rows = [
        unknown("2026-06-29", "10:00", "14:00", who=bad_date),  # row 4
        unknown("2026-06-30", "10:00", "14:00", who=bad_gender),  # row 5
        unknown("2026-07-01", "10:00", "14:00", who=future),  # row 6
    ]
    result = check(tmp_path, rows)
    assert found(result) == [
        ("J4", "error", "no_such_date"),
        ("L5", "error", "bad_gender"),
        ("J6", "error", "birth_date_late"),
    ]
    assert result.problems[0].value == "31/02/1999"
    assert result.shifts.empty


def test_identification_columns_of_a_row_with_insz_are_not_read(tmp_path):
    row = unknown("2026-06-29", "10:00", "14:00", who=["gisteren", None, "?"] + [None] * 5)
    row[3] = AN
    result = check(tmp_path, [row])
    assert result.problems == []
    (s,) = to_shifts(result.shifts)
    assert s.worker == Worker(AN, "Dupré", "Élise")
    assert worker_part(s.worker) == {"ssin": AN}


@pytest.mark.parametrize(
    ("written", "gender"),
    [
        *[("M", "M"), ("man", "M"), ("Homme", "M"), ("H", "M"), ("male", "M")],
        *[("V", "F"), ("vrouw", "F"), ("F", "F"), ("femme", "F"), ("Female", "F"), ("v.", "F")],
    ],
)
def test_gender_words(tmp_path, written, gender):
    row = unknown("2026-06-29", "10:00", "14:00", who=[ELISE[0], "Gent", written, *ELISE[3:]])
    (s,) = to_shifts(check(tmp_path, [row]).shifts)
    assert s.worker.identification.gender == gender


def test_two_digit_birth_years_and_an_insz_cell_without_digits(tmp_path):
    rows = [
        unknown("2026-06-29", "10:00", "14:00", who=["18/05/93", *ELISE[1:]], insz="geen"),
        unknown("2026-06-29", "10:00", "14:00", who=["18/05/08", *ELISE[1:]], first="Anna"),
    ]
    result = check(tmp_path, rows)
    assert result.problems == []
    born = [s.worker.identification.birth_date for s in to_shifts(result.shifts)]
    assert born == [dt.date(1993, 5, 18), dt.date(2008, 5, 18)]


def test_same_name_other_birth_date_is_another_worker(tmp_path):
    other = [dt.date(2001, 7, 8), *ELISE[1:]]
    rows = [
        unknown("2026-06-29", "10:00", "14:00"),
        unknown("2026-06-29", "12:00", "16:00", who=other),
    ]
    result = check(tmp_path, rows)
    assert result.problems == []
    keys = [s.worker.key for s in to_shifts(result.shifts)]
    assert keys == ["~dupre|elise|1999-03-04", "~dupre|elise|2001-07-08"]


def test_the_same_worker_without_insz_twice_overlapping_is_two_errors(tmp_path):
    rows = [
        unknown("2026-06-29", "10:00", "14:00"),
        unknown("2026-06-29", "12:00", "16:00", last="DUPRE", first="elise"),  # same person
        unknown("2026-06-29", "10:00", "14:00", first="Marie"),  # another worker
    ]
    result = check(tmp_path, rows)
    assert found(result) == [("H4", "error", "overlap"), ("H5", "error", "overlap")]
    assert [s.worker.first_name for s in to_shifts(result.shifts)] == ["Marie"]


def test_french_headers(tmp_path):
    header = [
        "N° d'entreprise",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Lieu de naissance",
        "Sexe",
        "Rue",
        "Numéro",
        "Boîte",
        "Code postal",
        "Commune",
        "Pays",
        "Nationalité",
        "Date",
        "Début",
        "Fin",
    ]
    row = ["0566.988.259", "Lambert", "Zoé", "07/11/1988", "Liège", "femme", "Rue Haute"]
    row += ["5", "b", "1000", "Bruxelles", "Belgique", "française", "29/06/2026", "18h", "22h"]
    roster = write_roster(tmp_path / "planning.xlsx", [row], header=header, title_rows=())
    result = run(tmp_path, roster, lang="fr")
    assert result.problems == []
    (filed,) = result.declarations
    assert filed.result is Result.PENDING
    assert filed.payload["worker"] == {
        "familyName": "Lambert",
        "givenName": "Zoé",
        "birthDate": "1988-11-07",
        "placeOfBirth": "Liège",
        "gender": 2,
        "address": {
            "street": "Rue Haute",
            "houseNumber": "5",
            "boxNumber": "b",
            "postCode": "1000",
            "municipality": {"name": "Bruxelles", "code": 21004},
            "country": 150,
        },
        "nationality": 111,
    }
    receipts = list(openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx").active.values)
    assert receipts[1][3] == "En attente"


def test_a_roster_without_an_insz_column_is_read(tmp_path):
    header = ["Ondernemingsnummer", "Naam", "Voornaam", *IDENTIFICATION_NL]
    header += ["Werkdag", "Van", "Tot"]
    row = ["0566.988.259", "Dupré", "Élise", *ELISE, dt.date(2026, 6, 29), "10:00", "14:00"]
    missing = ["0566.988.259", "Peeters", "Jan", *[None] * 8, dt.date(2026, 6, 29), "10", "14"]
    result = check(tmp_path, [row, missing], header=header)
    assert found(result) == [("B5", "error", "identification_missing")]
    assert len(to_shifts(result.shifts)) == 1


# --- the key of a worker without INSZ ----------------------------------------------------


def test_the_name_key_of_a_column_is_the_name_key_of_each_name():
    names = ["Van den Broeck-Dupré", "  ÉLISE ", "D'Hondt", "Øster gaard", "Müller_Lüdenscheidt"]
    names += ["Σωκράτης", "O'Neil Jr.", "de la Cruz"]
    column = name_key_column(pd.Series(names, dtype="object"))
    assert list(column) == [plain_name(n) for n in names]
    assert plain_name("Van den Broeck-Dupré") == "vandenbroeckdupre"


def test_worker_key_and_declarable():
    who = Identification(dt.date(1999, 3, 4), "Gent", "F", "Kerkstraat", "12", "", "9000", "Gent")
    worker = Worker("", "Dupré", "Élise", who)
    assert worker.key == "~dupre|elise|1999-03-04" and worker.declarable
    assert Worker(AN, "Peeters", "An", who).key == AN
    assert not Worker("", "Dupré", "Élise", Identification(dt.date(1999, 3, 4))).declarable
    assert not Worker("", "Dupré", "Élise").declarable


def test_sync_on_the_command_line_collects_the_later_answer_with_its_receipt(tmp_path):
    """`dimona-batch sync --channel sandbox`: the S of the declare run becomes A."""
    from click.testing import CliRunner

    from batch.cli import main

    roster = write_roster(
        tmp_path / "roster.xlsx", [unknown("2026-06-29", "10:00", "14:00")], header=NL_HEADER
    )
    run(tmp_path, roster)
    out = tmp_path / "synced"
    ledger = tmp_path / "ledger.sqlite"
    args = ["sync", "--channel", "sandbox", "--ledger", ledger, "--out", out, "--lang", "en"]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    counts = {
        cells[1].strip(): cells[2].strip()
        for cells in (line.split("│") for line in result.output.splitlines())
        if len(cells) == 4
    }
    assert counts == {
        "answered": "0",
        "accepted": "0",
        "warned": "0",
        "refused": "0",
        "pending": "0",
        "identified": "1",
        "in flight": "0",
    }
    sheet = openpyxl.load_workbook(out / "receipts.xlsx")["Receipts"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("IN", "Accepted", "SBX-IDENTIFIED: worker identified by SIGeDIS")
    ]
