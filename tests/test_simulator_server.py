"""`dimona-batch simulator` as a real process: tokens, declarations, periods, faults."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.nsso import FIRST_PERIOD, Nsso
from batch.nsso.faults import Draw, parse_faults
from tests.conftest import AN, JAN
from tests.simulator import (
    ASSERTION_TYPE,
    CONSULT,
    DECLARANT,
    Simulator,
    assertion,
    bearer,
    make_keys,
    start_simulator,
    token,
    token_response,
)

BRASSERIE = "0566988259"
PAGED = "0403170701"  # the employer of the paging test, and of nothing else
DELAY = 0.2
NOT_ELIGIBLE = "90010100123"
UNKNOWN = "88020200254"


def dimona_in(day: str, start: str, end: str, ssin: str = AN, employer: str = BRASSERIE) -> dict:
    return {
        "employer": {"enterpriseNumber": employer},
        "worker": {"ssin": ssin},
        "dimonaIn": {
            "startDate": day,
            "startHour": start,
            "endDate": day,
            "endHour": end,
            "features": {"jointCommissionNumber": "XXX", "workerType": "FLX"},
        },
    }


@pytest.fixture(scope="module")
def nsso(tmp_path_factory) -> Simulator:
    """One simulator for the module: two clients, its clock at 2026-06-28 12:00 Brussels."""
    running = start_simulator(
        tmp_path_factory.mktemp("nsso"),
        other_clients=["office-2"],
        processing_delay=DELAY,
        clock="2026-06-28 12:00",
        not_eligible=[NOT_ELIGIBLE],
        unknown_workers=[UNKNOWN],
    )
    yield running
    assert running.stop() == 0


@pytest.fixture(scope="module")
def access(nsso: Simulator) -> dict[str, str]:
    return bearer(token(nsso))


def post(nsso: Simulator, body: dict, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(nsso.dimona + "/declarations", json=body, headers=headers, timeout=10)


def answer(nsso: Simulator, location: str, headers: dict[str, str]) -> httpx.Response:
    """The declaration's answer, waiting out the processing delay."""
    time.sleep(DELAY + 0.05)
    return httpx.get(location, headers=headers, timeout=10)


# --- the token endpoint ------------------------------------------------------------------


def test_a_signed_assertion_gets_a_bearer_token(nsso: Simulator):
    reply = token_response(nsso)
    assert reply.status_code == 200
    body = reply.json()
    assert sorted(body) == ["access_token", "expires_in", "scope", "token_type"]
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert body["scope"] == f"{CONSULT} {DECLARANT}"
    assert reply.headers["cache-control"] == "no-store"


def test_the_audience_is_the_token_url_as_the_client_saw_it(nsso: Simulator):
    seen = "http://nsso.example:8443/REST/oauth/v5/token"
    signed = assertion(nsso, audience=seen)
    reply = httpx.post(
        nsso.token_url,
        headers={"Host": "nsso.example:8443"},
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": signed,
        },
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["scope"] == f"{CONSULT} {DECLARANT}"  # no scope asked: both


def _refused(reply: httpx.Response, status: int, error: str, words: str) -> None:
    assert (reply.status_code, reply.json()["error"]) == (status, error), reply.text
    assert words in reply.json()["error_description"]


def test_an_assertion_signed_by_another_key_is_refused(nsso: Simulator, tmp_path: Path):
    stranger, _ = make_keys(tmp_path, "stranger")
    reply = token_response(nsso, assertion(nsso, private_key_path=stranger))
    _refused(reply, 401, "invalid_client", "bad signature")


def test_an_assertion_is_used_once(nsso: Simulator):
    signed = assertion(nsso, jti="once-only")
    assert token_response(nsso, signed).status_code == 200
    _refused(token_response(nsso, signed), 401, "invalid_client", "jti already used")
    again = assertion(nsso, jti="once-only")  # a new signature does not make the jti new
    _refused(token_response(nsso, again), 401, "invalid_client", "jti already used")


def test_an_expired_assertion_is_refused(nsso: Simulator):
    signed = assertion(nsso, issued=time.time() - 120, lifetime=60)
    _refused(token_response(nsso, signed), 401, "invalid_client", "expired")


def test_an_assertion_for_another_audience_is_refused(nsso: Simulator):
    signed = assertion(nsso, audience="https://services.socialsecurity.be/REST/oauth/v5/token")
    _refused(token_response(nsso, signed), 401, "invalid_client", f"aud must be {nsso.token_url}")


def test_an_unknown_client_is_refused(nsso: Simulator):
    signed = assertion(nsso, "office-9", private_key_path=nsso.private_key_path)
    _refused(token_response(nsso, signed), 401, "invalid_client", "unknown client")


def test_a_wrong_grant_assertion_type_or_scope_is_refused(nsso: Simulator):
    reply = token_response(nsso, grant_type="password")
    _refused(reply, 400, "unsupported_grant_type", "client_credentials")
    reply = token_response(nsso, client_assertion_type="urn:other")
    _refused(reply, 400, "invalid_request", "client_assertion_type")
    reply = token_response(nsso, scope=f"{DECLARANT} scope:dimona:admin")
    _refused(reply, 400, "invalid_scope", "scope:dimona:admin")
    reply = token_response(nsso, client_id="office-2")  # says office-2, signed as office-1
    _refused(reply, 401, "invalid_client", "client_id differs")


# --- access to the Dimona endpoints ------------------------------------------------------


def test_no_token_or_an_unknown_one_is_401(nsso: Simulator):
    body = dimona_in("2026-07-01", "1000", "1400")
    reply = post(nsso, body, {})
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert reply.json()["status"] == 401
    assert post(nsso, body, bearer("made-up")).status_code == 401
    assert httpx.get(nsso.dimona + "/periods/660740832053").status_code == 401


def test_a_token_without_the_scope_needed_is_403(nsso: Simulator):
    consult_only = bearer(token(nsso, scope=CONSULT))
    reply = post(nsso, dimona_in("2026-07-02", "1000", "1400"), consult_only)
    assert reply.status_code == 403
    assert DECLARANT in reply.json()["detail"]
    declarant_only = bearer(token(nsso, scope=DECLARANT))
    reply = httpx.get(nsso.dimona + "/periods/660740832053", headers=declarant_only)
    assert reply.status_code == 403
    reply = httpx.post(
        nsso.dimona + "/periods/search",
        json={"employer": {"enterpriseNumber": BRASSERIE}, "startDate": "2026-07-01",
              "endDate": "2026-07-31"},
        headers=declarant_only,
    )  # fmt: skip
    assert reply.status_code == 403
    # polling one's own declaration is part of declaring: declarant alone may do it
    filed = post(nsso, dimona_in("2026-07-02", "1000", "1400"), declarant_only)
    assert filed.status_code == 201
    assert answer(nsso, filed.headers["location"], declarant_only).status_code == 200


def test_an_expired_token_is_401(tmp_path: Path):
    short = start_simulator(tmp_path, faults="token-expiry=1")
    try:
        reply = token_response(short)
        assert reply.json()["expires_in"] == 600  # what it says; it dies after 1 s anyway
        headers = bearer(reply.json()["access_token"])
        unknown = short.dimona + "/periods/660740832053"
        assert httpx.get(unknown, headers=headers).status_code == 404  # accepted, no period
        time.sleep(1.1)
        reply = httpx.get(unknown, headers=headers)
        assert reply.status_code == 401
        assert "expired" in reply.json()["detail"]
        assert httpx.get(unknown, headers=bearer(token(short))).status_code == 404
    finally:
        short.stop()


# --- declarations and periods ------------------------------------------------------------


def test_an_in_is_201_then_404_until_processed_then_accepted(nsso: Simulator, access):
    reply = post(nsso, dimona_in("2026-07-03", "1000", "1400"), access)
    assert reply.status_code == 201
    location = reply.headers["location"]
    prefix = nsso.dimona + "/declarations/"
    assert location.startswith(prefix)
    declaration_id = location.removeprefix(prefix)
    assert declaration_id.isdigit()
    early = httpx.get(location, headers=access)
    assert early.status_code == 404
    status = answer(nsso, location, access)
    assert status.status_code == 200
    body = status.json()["declarationStatus"]
    assert body["declarationId"] == int(declaration_id)
    assert body["result"] == "A"
    assert body["anomalies"] == []
    period_id = body["period"]["id"]
    assert isinstance(period_id, int) and period_id >= FIRST_PERIOD
    period = httpx.get(f"{nsso.dimona}/periods/{period_id}", headers=access).json()
    assert period == {
        "id": period_id,
        "employer": {"enterpriseNumber": BRASSERIE},
        "worker": {"ssin": AN},
        "startDate": "2026-07-03",
        "startHour": "1000",
        "endDate": "2026-07-03",
        "endHour": "1400",
        "status": "active",
    }


def test_lateness_is_judged_by_the_simulators_clock(nsso: Simulator, access):
    # the clock started at 2026-06-28 12:00 Brussels: a shift at 11:00 that day is late
    reply = post(nsso, dimona_in("2026-06-28", "1100", "1500", ssin=JAN), access)
    body = answer(nsso, reply.headers["location"], access).json()["declarationStatus"]
    assert body["result"] == "W"
    assert [a["code"] for a in body["anomalies"]] == ["SBX-LATE-IN"]


def test_the_workers_of_the_insz_files_are_warned_and_refused(nsso: Simulator, access):
    warned = post(nsso, dimona_in("2026-07-07", "1000", "1400", ssin=NOT_ELIGIBLE), access)
    refused = post(nsso, dimona_in("2026-07-07", "1000", "1400", ssin=UNKNOWN), access)
    time.sleep(DELAY + 0.05)
    warned = httpx.get(warned.headers["location"], headers=access).json()["declarationStatus"]
    refused = httpx.get(refused.headers["location"], headers=access).json()["declarationStatus"]
    assert (warned["result"], [a["code"] for a in warned["anomalies"]]) == ("W", ["90017-510"])
    assert "period" in warned
    assert refused["result"] == "B"
    assert [a["code"] for a in refused["anomalies"]] == ["SBX-UNKNOWN-WORKER"]
    assert "period" not in refused


def test_a_malformed_body_is_400_naming_the_properties(nsso: Simulator, access):
    body = dimona_in("2026-07-04", "2500", "1400")
    body["dimonaIn"]["features"]["workerType"] = "OTH"
    reply = post(nsso, body, access)
    assert reply.status_code == 400
    problem = reply.json()
    assert problem["status"] == 400
    names = [issue["name"] for issue in problem["issues"]]
    assert names == ["dimonaIn.features.workerType", "dimonaIn.startHour"]
    assert "dimonaIn.startHour" in problem["detail"]
    not_json = httpx.post(
        nsso.dimona + "/declarations", content=b"{not json", headers=access, timeout=10
    )
    assert (not_json.status_code, not_json.json()["issues"][0]["name"]) == (400, "body")


def test_a_client_sees_only_its_own_declarations(nsso: Simulator, access):
    other = bearer(token(nsso, "office-2"))
    mine = post(nsso, dimona_in("2026-07-05", "1000", "1400"), access).headers["location"]
    theirs = post(nsso, dimona_in("2026-07-06", "1000", "1400"), other).headers["location"]
    assert answer(nsso, mine, other).status_code == 404
    assert httpx.get(theirs, headers=access).status_code == 404
    assert httpx.get(mine, headers=access).json()["declarationStatus"]["result"] == "A"
    assert httpx.get(theirs, headers=other).json()["declarationStatus"]["result"] == "A"
    assert httpx.get(nsso.dimona + "/declarations/31840000", headers=access).status_code == 404


def test_search_pages_follow_next_to_the_end(nsso: Simulator, access):
    hours = [("0800", "0900"), ("1000", "1100"), ("1200", "1300"), ("1400", "1500")]
    sent = set()
    with httpx.Client(headers=access, timeout=10) as client:
        for day in range(1, 31):
            for start, end in hours:
                date = f"2026-07-{day:02d}"
                body = dimona_in(date, start, end, employer=PAGED)
                assert client.post(nsso.dimona + "/declarations", json=body).status_code == 201
                sent.add((date, start))
        time.sleep(DELAY + 0.05)
        url = nsso.dimona + "/periods/search?pageSize=50&page=1"
        query = {"employer": {"enterpriseNumber": PAGED}, "startDate": "2026-07-01",
                 "endDate": "2026-07-31"}  # fmt: skip
        pages, nexts = [], []
        while url:
            reply = client.post(url, json=query)
            assert reply.status_code == 200
            pages.append(reply.json()["items"])
            url = reply.json().get("next")
            nexts.append(url)
        # a worker filter and a narrower range
        one_day = client.post(
            nsso.dimona + "/periods/search",
            json={**query, "worker": {"ssin": AN}, "startDate": "2026-07-02",
                  "endDate": "2026-07-02"},
        ).json()  # fmt: skip
        nobody = client.post(
            nsso.dimona + "/periods/search", json={**query, "worker": {"ssin": JAN}}
        ).json()
    assert [len(p) for p in pages] == [50, 50, 20]
    base = nsso.dimona + "/periods/search"
    assert nexts == [f"{base}?pageSize=50&page=2", f"{base}?pageSize=50&page=3", None]
    items = [item for page in pages for item in page]
    ids = [item["id"] for item in items]
    assert ids == sorted(ids) and len(set(ids)) == 120
    assert {(item["startDate"], item["startHour"]) for item in items} == sent
    assert {item["status"] for item in items} == {"active"}
    assert [(i["startDate"], i["startHour"]) for i in one_day["items"]] == [
        ("2026-07-02", start) for start, _ in hours
    ]
    assert "next" not in one_day
    assert nobody == {"items": []}


def test_a_malformed_search_is_400(nsso: Simulator, access):
    reply = httpx.post(
        nsso.dimona + "/periods/search?pageSize=0",
        json={"employer": {}, "startDate": "2026-13-01", "endDate": "2026-07-31"},
        headers=access,
    )
    assert reply.status_code == 400
    names = [issue["name"] for issue in reply.json()["issues"]]
    assert names == ["pageSize", "employer.enterpriseNumber", "startDate"]


def test_the_terminal_shows_the_url_and_clients_never_a_key(nsso: Simulator):
    shown = nsso.output()
    assert shown.splitlines()[:2] == [
        f"NSSO simulator listening on {nsso.url} (Ctrl-C stops it)",
        "clients: office-1, office-2",
    ]
    assert "clock 2026-06-28 12:00 Brussels, running on" in shown
    assert "KEY" not in shown and "eyJ" not in shown  # no PEM, no JWT


# --- faults ------------------------------------------------------------------------------

SEED = 7
EVERY_FAULT = "error=0.25,drop=0.25,slow=0.25,throttle=0.25,slow-seconds=0.3,retry-after=2"


def test_each_fault_as_the_seed_draws_it(tmp_path: Path):
    faulty = start_simulator(tmp_path, faults=EVERY_FAULT, seed=SEED)
    try:
        access = bearer(token(faulty))  # the token endpoint is never faulted
        seen = []
        for day in range(1, 13):
            began = time.monotonic()
            try:
                reply = post(faulty, dimona_in(f"2026-08-{day:02d}", "1000", "1400"), access)
            except httpx.TransportError:
                seen.append(("drop", None, time.monotonic() - began))
                continue
            seen.append((reply.status_code, reply, time.monotonic() - began))
    finally:
        assert faulty.stop() == 0
    kinds = {503: "error", 429: "throttle", 201: "slow", "drop": "drop"}
    observed = [kinds[status] for status, _, _ in seen]
    draw = Draw(parse_faults(EVERY_FAULT), SEED)
    expected = []
    for _ in seen:
        expected.append(draw.next())
        if expected[-1] == "slow":
            draw.pause()
    assert observed == expected  # replayable: the same seed, the same faults
    assert set(observed) == {"error", "drop", "slow", "throttle"}
    for status, reply, took in seen:
        if status == 503:
            assert reply.json()["type"] == "urn:problem-type:belgif:serviceUnavailable"
        if status == 429:
            assert reply.headers["retry-after"] == "2"
            assert reply.json()["title"] == "Too Many Requests"
        if status == 201:
            assert took >= 0.3
    with Nsso(faulty.state_path) as state:
        held, more = state.search(BRASSERIE, AN, *_august())
    recorded = sorted(item["startDate"] for item in held)
    processed = [f"2026-08-{d:02d}" for d, k in enumerate(observed, 1) if k in ("drop", "slow")]
    assert not more
    assert recorded == processed  # dropped ones were processed, errors and 429s were not
    assert faulty.output().splitlines()[3:] == []  # nothing logged beyond the three lines


def _august():
    import datetime as dt

    return dt.date(2026, 8, 1), dt.date(2026, 8, 31)


# --- the command line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ("error=lots", "--faults error='lots': expected a number"),
        ("drop", "--faults 'drop': expected NAME=VALUE"),
        ("error=0.7,drop=0.5", "--faults: the shares add up to 1.2, more than 1"),
        ("sudden=0.1", "--faults: unknown fault 'sudden'"),
    ],
)
def test_bad_faults_are_one_line_and_exit_2(tmp_path: Path, faults: str, message: str):
    _, public = make_keys(tmp_path, "office-1")
    result = CliRunner().invoke(
        main, ["simulator", "--client", f"office-1:{public}", "--faults", faults]
    )
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith(f"error: {message}")


def test_an_unreadable_client_key_is_one_line_and_exit_2(tmp_path: Path):
    private, _ = make_keys(tmp_path, "office-1")
    runner = CliRunner()
    missing = runner.invoke(main, ["simulator", "--client", f"office-1:{tmp_path}/none.pem"])
    assert missing.exit_code == 2
    assert missing.output.startswith("error: --client office-1: cannot read")
    not_public = runner.invoke(main, ["simulator", "--client", f"office-1:{private}"])
    assert not_public.exit_code == 2
    assert "is not a PEM public key" in not_public.output
    assert "PRIVATE" not in not_public.output
    none = runner.invoke(main, ["simulator"])
    assert (none.exit_code, none.output.strip()) == (
        2,
        "error: at least one --client ID:PUBLIC_KEY.pem is needed",
    )


def test_a_bad_clock_rules_or_insz_file_is_one_line_and_exit_2(tmp_path: Path):
    _, public = make_keys(tmp_path, "office-1")
    client = ["simulator", "--client", f"office-1:{public}"]
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nfinding = "sudden end"\n', encoding="utf-8")
    listed = tmp_path / "not-eligible.txt"
    listed.write_text("# flexi conditions not met\n93051822361\n9305182236X\n", encoding="utf-8")
    runner = CliRunner()
    for options, expected in [
        (["--clock", "2026-03-29 02:30"], "error: --clock '2026-03-29 02:30': 29/03/2026 02:30"),
        (["--rules", str(rules)], f"error: {rules}: unknown finding 'sudden end'"),
        (["--not-eligible", str(listed)], f"error: {listed} line 3: not an INSZ (11 digits)"),
    ]:
        result = runner.invoke(main, [*client, *options])
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1
        assert result.output.startswith(expected), result.output
