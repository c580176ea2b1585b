"""The REST client against `dimona-batch simulator` running as a real process: the token, every
fault the network can throw (seeded, so each test meets exactly the faults it names), what each
failure means for the declaration, paging, per-employer accounts, and no secret ever shown."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from batch.channels.credentials import load
from batch.channels.rest import RestService, services
from batch.channels.service import FateUnknown, NotSent, Rejected
from batch.nsso.faults import Draw, parse_faults
from tests.simulator import Simulator, start_simulator
from tests.workbooks import insz

BRASSERIE = "0566988259"
OTHER = "0403170701"
THIRD = "0200065765"
DAY = "2026-06-29"
MONDAY = dt.date(2026, 6, 29)
FAST = {"backoff": 0.01}


def inn(worker: str, enterprise: str = BRASSERIE, day: str = DAY, start="1000", end="1400"):
    """An IN payload as `payloads.payload` builds it for a worker with an INSZ."""
    return {
        "employer": {"enterpriseNumber": enterprise},
        "worker": {"ssin": worker},
        "dimonaIn": {
            "startDate": day,
            "startHour": start,
            "endDate": day,
            "endHour": end,
            "features": {"jointCommissionNumber": "XXX", "workerType": "FLX"},
        },
    }


def credentials(folder: Path, simulator: Simulator, extra: str = "") -> Path:
    """A dimona.toml (chmod 600) for the simulator's first client, keys by absolute path."""
    path = folder / "dimona.toml"
    path.write_text(
        f'endpoint = "{simulator.url}"\nclient_id = "{simulator.client_id}"\n'
        f'private_key = "{simulator.private_key_path}"\n{extra}',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def service(folder: Path, simulator: Simulator, **options) -> RestService:
    return RestService(load(credentials(folder, simulator)).default, **{**FAST, **options})


def simulate(folder: Path, **options) -> Simulator:
    """The simulator on the Sunday before the week filed, so that nothing is late."""
    return start_simulator(folder, clock="2026-06-28 12:00", **options)


def seed_for(faults: str, wanted: list[str | None]) -> int:
    """A seed whose first draws are exactly `wanted` (the simulator draws one per request)."""
    chosen = parse_faults(faults)
    for seed in range(100_000):
        draw = Draw(chosen, seed)
        drawn = []
        for _ in wanted:
            drawn.append(draw.next())
            if drawn[-1] == "slow":
                draw.pause()  # a slow answer draws its pause next, as the simulator does
        if drawn == wanted:
            return seed
    raise AssertionError(f"no seed gives {wanted}")


# Each test has its own simulator (its own draws, so its faults come in the order it names);
# they start together, since starting one takes seconds.
SIMULATORS: dict[str, dict] = {
    "plain": {"other_clients": ("office-2",)},
    "token-expiry": {"faults": "token-expiry=1"},
    "throttle": {"faults": "throttle=0.5", "wanted": ["throttle", None, "throttle", None, None]},
    "error": {"faults": "error=0.5", "wanted": ["error", "error", None, None]},
    "every attempt": {
        "faults": "error=0.5,throttle=0.5",
        "wanted": ["throttle", "throttle", "error", "error", "error", "error"],
    },
    "drop": {"faults": "drop=0.5", "wanted": ["drop", None, "drop", None]},
    "slow": {"faults": "slow=0.5,slow-seconds=2", "wanted": ["slow", None, "slow", None]},
    "going away": {},
}


def _start(folder: Path, options: dict) -> Simulator:
    options = dict(options)
    if "wanted" in options:
        options["seed"] = seed_for(options["faults"], options.pop("wanted"))
    return simulate(folder, **options)


@pytest.fixture(scope="module")
def simulators(tmp_path_factory):
    with ThreadPoolExecutor(len(SIMULATORS)) as pool:
        started = {
            name: pool.submit(_start, tmp_path_factory.mktemp("simulator"), options)
            for name, options in SIMULATORS.items()
        }
        running = {name: future.result() for name, future in started.items()}
    yield running
    for simulator in running.values():
        simulator.stop()


@pytest.fixture
def plain(simulators):
    return simulators["plain"]


def test_one_token_is_fetched_and_reused_for_every_request(plain, tmp_path):
    with service(tmp_path, plain) as rest:
        ids = [rest.submit(inn(insz("930518", n))) for n in range(1, 4)]
        answers = [rest.status(i) for i in ids]
        assert rest.tokens_fetched == 1
    assert len(set(ids)) == 3 and all(i.isdigit() and len(i) == 12 for i in ids)
    assert [a["result"] for a in answers] == ["A", "A", "A"]
    assert [a["declarationId"] for a in answers] == [int(i) for i in ids]


def test_a_token_that_dies_early_is_renewed_once_on_the_401(simulators, tmp_path):
    with service(tmp_path, simulators["token-expiry"]) as rest:
        declaration = rest.submit(inn(insz("930518", 4)))
        time.sleep(1.2)  # the token's `expires_in` says 600 s, the fault kills it after 1 s
        answer = rest.status(declaration)
        assert rest.tokens_fetched == 2
    assert answer["result"] == "A"


def test_429_is_retried_after_the_seconds_retry_after_says_capped(simulators, tmp_path):
    simulator = simulators["throttle"]  # throttle, -, throttle, -, -
    with service(tmp_path, simulator) as rest, service(tmp_path, simulator) as hasty:
        started = time.monotonic()
        rest.submit(inn(insz("930518", 5)))
        honoured = time.monotonic() - started
        hasty.max_wait = 0.05
        started = time.monotonic()
        hasty.submit(inn(insz("930518", 6)))
        capped = time.monotonic() - started
        periods = rest.search(BRASSERIE, None, MONDAY, MONDAY)
    assert 1.0 <= honoured < 2.5  # Retry-After: 1, not the 0.01 s backoff
    assert capped < 0.5
    assert [p["worker"]["ssin"] for p in periods] == [insz("930518", 5), insz("930518", 6)]


def test_5xx_is_retried_and_the_declaration_is_filed_once(simulators, tmp_path):
    with service(tmp_path, simulators["error"]) as rest:  # 503, 503, -, -
        declaration = rest.submit(inn(insz("930518", 8)))
        periods = rest.search(BRASSERIE, None, MONDAY, MONDAY)
    assert declaration.isdigit()
    assert [p["worker"] for p in periods] == [{"ssin": insz("930518", 8)}]


def test_429_on_every_attempt_is_not_sent_and_5xx_fate_unknown(simulators, tmp_path):
    simulator = simulators["every attempt"]  # 429, 429, 503, 503, 503, 503
    account = dataclasses.replace(load(credentials(tmp_path, simulator)).default, attempts=2)
    with RestService(account, **FAST) as rest:
        with pytest.raises(NotSent, match="HTTP 429 on every attempt"):
            rest.submit(inn(insz("930518", 7)))
        with pytest.raises(FateUnknown, match="HTTP 503 on every attempt"):
            rest.submit(inn(insz("930518", 9)))
        with pytest.raises(FateUnknown):
            rest.status("318400000001")


def test_a_dropped_post_is_fate_unknown_at_once_and_the_nsso_holds_it(simulators, tmp_path):
    worker = insz("930518", 10)
    with service(tmp_path, simulators["drop"]) as rest:  # drop, -, drop, -
        with pytest.raises(FateUnknown, match="dropped"):
            rest.submit(inn(worker))  # one draw: a drop; never sent a second time
        periods = rest.search(BRASSERIE, worker, MONDAY, MONDAY)
        again = rest.period(str(periods[0]["id"]))  # dropped, then retried: a GET may be
    assert len(periods) == 1
    assert periods[0]["worker"] == {"ssin": worker}
    assert (periods[0]["startHour"], periods[0]["status"]) == ("1000", "active")
    assert again == periods[0]


def test_a_post_timed_out_is_fate_unknown_at_once_and_the_nsso_holds_it(simulators, tmp_path):
    simulator = simulators["slow"]  # slow (2 s), -, slow, -
    worker = insz("930518", 17)
    toml = credentials(tmp_path, simulator, "timeout = 0.8\n")
    with RestService(load(toml).default, **FAST) as rest:
        with pytest.raises(FateUnknown, match="read timeout"):
            rest.submit(inn(worker))
        periods = rest.search(BRASSERIE, worker, MONDAY, MONDAY)
        again = rest.period(str(periods[0]["id"]))  # timed out, then asked again
    assert [p["worker"] for p in periods] == [{"ssin": worker}]
    assert again == periods[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_closed_port_is_not_sent(tmp_path, plain):
    account = load(credentials(tmp_path, plain)).default
    closed = dataclasses.replace(account, endpoint=f"http://127.0.0.1:{free_port()}")
    with RestService(closed, **FAST) as rest:
        with pytest.raises(NotSent, match="connection refused"):
            rest.submit(inn(insz("930518", 11)))
        with pytest.raises(NotSent):
            rest.search(BRASSERIE, None, MONDAY, MONDAY)


def test_a_post_after_the_server_went_away_is_not_sent(simulators, tmp_path):
    simulator = simulators["going away"]
    with service(tmp_path, simulator) as rest:
        assert rest.status("318400000001") is None  # a token, and a connection, then gone
        simulator.stop()
        with pytest.raises(NotSent, match="connection refused"):
            rest.submit(inn(insz("930518", 12)))
        assert rest.tokens_fetched == 1


def test_400_is_rejected_with_the_properties_the_nsso_named(plain, tmp_path):
    payload = inn(insz("930518", 13), start="2500")
    payload["dimonaIn"]["features"]["workerType"] = "OTH"
    with service(tmp_path, plain) as rest:
        with pytest.raises(Rejected) as refused:
            rest.submit(payload)
        assert rest.status("999") is None
        assert rest.period("660740000000") is None
    assert refused.value.status == 400
    assert refused.value.messages == [
        "dimonaIn.features.workerType: expected FLX (flexi-jobs only)",
        "dimonaIn.startHour: expected HHMM (0000-2359)",
    ]


def test_a_search_follows_next_until_every_page_is_read(plain, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="httpx")
    many = "0877284628"
    with service(tmp_path, plain) as rest:
        filed = [rest.submit(inn(insz("900101", n), enterprise=many)) for n in range(1, 121)]
        caplog.clear()
        periods = rest.search(many, None, MONDAY, MONDAY)
    assert len(filed) == 120
    assert len(periods) == 120
    assert [p["worker"]["ssin"] for p in periods] == [insz("900101", n) for n in range(1, 121)]
    assert len({p["id"] for p in periods}) == 120
    pages = [r.getMessage() for r in caplog.records if "periods/search" in r.getMessage()]
    assert ["pageSize=50&page=1" in pages[0], "page=2" in pages[1], "page=3" in pages[2]] == [
        True
    ] * 3
    assert len(pages) == 3


def test_each_employer_is_filed_with_its_own_account(plain, tmp_path):
    extra = (
        f'[employers."{OTHER}"]\nclient_id = "office-2"\nprivate_key = "{plain.keys["office-2"]}"\n'
    )
    factory = services(credentials(tmp_path, plain, extra), **FAST)
    with factory:
        other, default = factory(OTHER), factory(BRASSERIE)
        assert other is factory(OTHER) and default is factory(THIRD)
        assert (other.account.client_id, default.account.client_id) == ("office-2", "office-1")
        declaration = other.submit(inn(insz("930518", 14), enterprise=OTHER))
        assert other.status(declaration)["result"] == "A"
        # the simulator shows a declaration to the client that sent it only
        assert default.status(declaration) is None


def test_no_secret_in_any_message_repr_or_log_record(plain, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    tokens: set[str] = set()
    account = load(credentials(tmp_path, plain)).default
    with RestService(account, **FAST) as rest:
        rest.submit(inn(insz("930518", 15)))
        tokens.add(rest._token or "")
        assertion = rest.assertion()
        try:
            rest.submit({"dimonaIn": {}})
        except Rejected as error:
            texts += [str(error), repr(error)]
        texts += [repr(rest), repr(account), str(dataclasses.asdict(account)["key_path"])]
    closed = dataclasses.replace(account, endpoint=f"http://127.0.0.1:{free_port()}")
    with RestService(closed, **FAST) as rest:
        try:
            rest.submit(inn(insz("930518", 16)))
        except NotSent as error:
            texts += [str(error), repr(error)]
    texts += [record.getMessage() for record in caplog.records]
    texts += [str(record.args) for record in caplog.records]
    key_text = account.key_path.read_text()
    body = "".join(key_text.splitlines()[1:-1])[:40]
    everything = "\n".join(texts)
    assert len(texts) > 10 and tokens != {""}
    for secret in [*tokens, assertion, body, assertion.split(".")[2]]:
        assert secret not in everything
    assert "eyJ" not in everything  # no JWT at all


def test_threads_share_one_client_and_one_token(plain, tmp_path):
    workers = [insz("880808", n) for n in range(1, 21)]
    shared = "0417497106"
    with service(tmp_path, plain) as rest, ThreadPoolExecutor(rest.parallel) as pool:
        ids = list(pool.map(lambda w: rest.submit(inn(w, enterprise=shared)), workers))
        answers = list(pool.map(rest.status, ids))
        periods = rest.search(shared, None, MONDAY, MONDAY)
        assert rest.tokens_fetched == 1
    assert rest.parallel == 4 and len(set(ids)) == 20
    assert [a["result"] for a in answers] == ["A"] * 20
    assert sorted(p["worker"]["ssin"] for p in periods) == sorted(workers)


def test_a_next_page_elsewhere_is_never_followed_with_the_token(plain, tmp_path):
    with service(tmp_path, plain) as rest:
        assert rest._ours("/REST/dimona/v2/periods/search?page=2")
        assert rest._ours(plain.url + "/REST/dimona/v2/periods/search?page=2")
        assert not rest._ours("http://attacker.example/REST/dimona/v2/periods/search?page=2")
        assert not rest._ours(plain.url.replace("127.0.0.1", "localhost") + "/x")
