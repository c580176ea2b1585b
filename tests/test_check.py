"""`check`: a ledger made by a real declare run, held against an NSSO that holds the same periods
and then drifts (a period cancelled, one changed, one filed elsewhere): the comparison over the
simulator's core in-process, and the command against the simulator as a real process."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from batch.channels.check import Gap, Side, _when, differences, gather, table
from batch.channels.credentials import load
from batch.channels.rest import RestService
from batch.channels.sandbox import LocalService
from batch.cli import main
from batch.ledger import Ledger
from batch.nsso import Nsso
from batch.pipeline import declare
from tests.conftest import AN, JAN, OTHER_EMPLOYER, at, shift, write_roster
from tests.simulator import make_keys, start_simulator

AS_OF = at("2026-06-28 12:00")
BRASSERIE_EN = "0566988259"
OTHER_EN = "0403170701"
LISA = "90020203365"  # 1990-02-02, a worker only the NSSO knows about
WEEK = (dt.date(2026, 6, 29), dt.date(2026, 7, 5))

ROWS = [
    shift("2026-06-29", "10:00", "14:00"),
    shift("2026-06-30", "22:00", "02:00", insz=JAN, last="Janssens", first="Jan"),
    shift("2026-07-01", "11:00", "15:00", insz=JAN, last="Janssens", first="Jan"),
    shift("2026-07-02", "18:00", "23:00", enterprise=OTHER_EMPLOYER),
]


def declared(tmp_path) -> Ledger:
    """A ledger made for real: the roster declared through the sandbox."""
    roster = write_roster(tmp_path / "roster.xlsx", ROWS)
    result = declare([roster], ledger=tmp_path / "ledger.sqlite", out=tmp_path / "out", as_of=AS_OF)
    assert [d.result.value for d in result.declarations] == ["A"] * 4
    return Ledger(tmp_path / "ledger.sqlite")


def filed_again(book: Ledger, nsso: Nsso) -> None:
    """The ledger's INs submitted to another NSSO in period order: the same numbers."""
    logged = sorted(book.declarations(), key=lambda row: row["period_id"])
    for row in logged:
        declaration = nsso.submit(json.loads(row["payload"]), AS_OF)
        assert nsso.status(declaration, AS_OF)["period"]["id"] == int(row["period_id"])


def cancel(nsso: Nsso, period_id: str) -> None:
    answer = nsso.status(nsso.submit({"dimonaCancel": {"periodId": int(period_id)}}, AS_OF), AS_OF)
    assert answer["result"] == "A"


def update(nsso: Nsso, period_id: str, day: str, start: str, end: str) -> None:
    times = {"startDate": day, "startHour": start, "endDate": day, "endHour": end}
    payload = {"dimonaUpdate": {"periodId": int(period_id), **times}}
    assert nsso.status(nsso.submit(payload, AS_OF), AS_OF)["result"] == "A"


def file_only_there(nsso: Nsso) -> str:
    nsso.seed([], next_period=660_740_833_000, next_declaration=318_400_001_000)
    payload = {
        "employer": {"enterpriseNumber": BRASSERIE_EN},
        "worker": {"ssin": LISA},
        "dimonaIn": {
            "startDate": "2026-07-03",
            "startHour": "0900",
            "endDate": "2026-07-03",
            "endHour": "1300",
            "features": {"jointCommissionNumber": "XXX", "workerType": "FLX"},
        },
    }
    answer = nsso.status(nsso.submit(payload, AS_OF), AS_OF)
    assert answer["result"] == "A"
    return str(answer["period"]["id"])


@pytest.fixture
def drifted(tmp_path):
    """Ledger and NSSO equal, then at the NSSO: one cancelled, one changed, one filed."""
    book = declared(tmp_path)
    nsso = Nsso(tmp_path / "nsso.sqlite")
    filed_again(book, nsso)
    yield book, nsso
    nsso.close()
    book.close()


def in_order(book: Ledger) -> list[str]:
    """The brasserie's period numbers by start: An's, Jan's night, Jan's day."""
    periods = sorted(book.periods([BRASSERIE_EN]), key=lambda p: p.declared_start)
    return [p.period_id for p in periods]


def compare(book: Ledger, nsso: Nsso, employers=None, days=WEEK):
    service = LocalService(nsso, lambda: AS_OF)
    found = gather(
        lambda these: book.periods(these, *days, include_cancelled=True),
        book.period,
        lambda _number: service,
        *days,
        employers,
    )
    return found, differences(found.ledger, found.nsso)


def test_a_ledger_equal_to_the_nsso_has_no_difference(drifted):
    book, nsso = drifted
    found, found_differences = compare(book, nsso)
    assert found_differences == []
    assert len(found.ledger) == len(found.nsso) == 4


def test_every_change_made_at_the_nsso_is_listed_and_nothing_else(drifted):
    book, nsso = drifted
    an, jan_night, jan_day = in_order(book)
    cancel(nsso, an)
    update(nsso, jan_day, "2026-07-01", "1200", "1600")
    elsewhere = file_only_there(nsso)
    _, found = compare(book, nsso)
    assert [(d.gap, d.enterprise_number, d.period_id) for d in found] == [
        (Gap.STATUS, BRASSERIE_EN, an),
        (Gap.TIMES, BRASSERIE_EN, jan_day),
        (Gap.ONLY_NSSO, BRASSERIE_EN, elsewhere),
    ]
    status, times, only = found
    assert status.ledger == Side("29/06/2026 10:00 - 14:00", "active", AN)
    assert status.nsso == Side("29/06/2026 10:00 - 14:00", "cancelled", AN)
    assert times.ledger == Side("01/07/2026 11:00 - 15:00", "active", JAN)
    assert times.nsso == Side("01/07/2026 12:00 - 16:00", "active", JAN)
    assert only.ledger is None
    assert only.nsso == Side("03/07/2026 09:00 - 13:00", "active", LISA)
    headers, rows = table(found, "en")
    assert headers == [
        "Difference",
        "Enterprise number",
        "Period number",
        "Worker",
        "Ledger",
        "NSSO",
    ]
    assert rows[0] == [
        "other status",
        BRASSERIE_EN,
        an,
        AN,
        "29/06/2026 10:00 - 14:00 active",
        "29/06/2026 10:00 - 14:00 cancelled",
    ]
    assert rows[2] == [
        "only at the NSSO",
        BRASSERIE_EN,
        elsewhere,
        LISA,
        "",
        "03/07/2026 09:00 - 13:00 active",
    ]
    assert table(found, "nl")[1][0][0] == "andere status"
    assert jan_night not in [d.period_id for d in found]


def test_a_period_moved_out_of_the_range_shows_as_changed_not_missing(drifted):
    book, nsso = drifted
    jan_day = in_order(book)[2]
    update(nsso, jan_day, "2026-07-08", "1100", "1500")
    _, found = compare(book, nsso)
    assert [(d.gap, d.period_id, d.nsso.when) for d in found] == [
        (Gap.TIMES, jan_day, "08/07/2026 11:00 - 15:00")
    ]


def test_a_period_the_nsso_does_not_have_is_only_in_the_ledger(tmp_path):
    book = declared(tmp_path)
    with Nsso(tmp_path / "nsso.sqlite") as nsso:
        _, found = compare(book, nsso, employers=[OTHER_EN])
    book.close()
    assert [(d.gap, d.enterprise_number, d.ledger.when, d.nsso) for d in found] == [
        (Gap.ONLY_LEDGER, OTHER_EN, "02/07/2026 18:00 - 23:00", None)
    ]


def test_an_overnight_period_and_midnight_read_as_the_clock_shows_them():
    night = {"startDate": "2026-06-30", "startHour": "2200", "endDate": "2026-07-01"}
    assert _when({**night, "endHour": "0200"}) == "30/06/2026 22:00 - 01/07/2026 02:00"
    assert _when({**night, "startHour": "1800", "endHour": "0000"}) == "30/06/2026 18:00 - 24:00"


def credentials(folder, simulator) -> str:
    path = folder / "dimona.toml"
    path.write_text(
        f'endpoint = "{simulator.url}"\nclient_id = "{simulator.client_id}"\n'
        f'private_key = "{simulator.private_key_path}"\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return str(path)


def check_command(tmp_path, toml: str, *options: str) -> subprocess.CompletedProcess:
    """`dimona-batch check` as a user runs it, on a wide terminal so rows stay whole."""
    command = [sys.executable, "-m", "batch", "check", "--credentials", toml]
    command += ["--from", "2026-06-29", "--to", "2026-07-05"]
    command += ["--ledger", str(tmp_path / "ledger.sqlite"), "--lang", "en", *options]
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


def test_the_command_lists_exactly_what_was_changed_at_the_simulator(tmp_path):
    declared(tmp_path).close()
    simulator = start_simulator(tmp_path, clock="2026-06-28 12:00")
    try:
        toml = credentials(tmp_path, simulator)
        with Ledger(tmp_path / "ledger.sqlite") as book:
            logged = sorted(book.declarations(), key=lambda row: row["period_id"])
            an, _, jan_day = in_order(book)
        with RestService(load(toml).default) as rest:
            for row in logged:  # the ledger's INs filed at the simulator: the same numbers
                answer = rest.status(rest.submit(json.loads(row["payload"])))
                assert answer["period"]["id"] == int(row["period_id"])
            same = check_command(tmp_path, toml)
            cancelling = {"dimonaCancel": {"periodId": int(an)}}
            assert rest.status(rest.submit(cancelling))["result"] == "A"
            moved = {"startDate": "2026-07-01", "startHour": "1200", "endDate": "2026-07-01"}
            payload = {"dimonaUpdate": {"periodId": int(jan_day), **moved, "endHour": "1600"}}
            assert rest.status(rest.submit(payload))["result"] == "A"
            elsewhere = {
                "employer": {"enterpriseNumber": BRASSERIE_EN},
                "worker": {"ssin": LISA},
                "dimonaIn": {
                    **moved,
                    "startDate": "2026-07-03",
                    "endDate": "2026-07-03",
                    "startHour": "0900",
                    "endHour": "1300",
                    "features": {"jointCommissionNumber": "XXX", "workerType": "FLX"},
                },
            }
            only_there = str(rest.status(rest.submit(elsewhere))["period"]["id"])
        drifted = check_command(tmp_path, toml)
        one_employer = check_command(tmp_path, toml, "--employer", "BE 0403.170.701")
    finally:
        simulator.stop()
    assert same.returncode == 0, same.stdout + same.stderr
    assert same.stdout.splitlines()[-1] == (
        "0 difference(s) between the ledger (4 periods) and the NSSO (4 periods)"
        " for 2 employer(s), 29/06/2026 to 05/07/2026"
    )
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in drifted.stdout.splitlines()
        if line.startswith("│") and "Difference" not in line
    ]
    assert rows == [
        [
            "other status",
            BRASSERIE_EN,
            an,
            AN,
            "29/06/2026 10:00 - 14:00 active",
            "29/06/2026 10:00 - 14:00 cancelled",
        ],
        [
            "other start or end",
            BRASSERIE_EN,
            jan_day,
            JAN,
            "01/07/2026 11:00 - 15:00 active",
            "01/07/2026 12:00 - 16:00 active",
        ],
        ["only at the NSSO", BRASSERIE_EN, only_there, LISA, "", "03/07/2026 09:00 - 13:00 active"],
    ]
    assert drifted.stdout.splitlines()[-1].startswith(
        "3 difference(s) between the ledger (4 periods) and the NSSO (5 periods)"
    )
    assert one_employer.returncode == 0, one_employer.stdout
    assert "for 1 employer(s)" in one_employer.stdout


def invoke(*args: object):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_unusable_options_credentials_or_ledger_exit_2_with_one_line(tmp_path):
    toml = tmp_path / "dimona.toml"
    toml.write_text('endpoint = "http://127.0.0.1:9"\n', encoding="utf-8")
    toml.chmod(0o644)
    ledger = tmp_path / "ledger.sqlite"
    days = ["--from", "2026-06-29", "--to", "2026-07-05"]
    result = invoke("--credentials", toml, *days, "--ledger", ledger)
    assert (result.exit_code, result.output) == (2, f"error: no ledger at {ledger}\n")
    declared(tmp_path).close()
    result = invoke("--credentials", toml, *days, "--ledger", ledger)
    assert result.exit_code == 2
    assert result.output == (f"error: {toml} is readable by others (mode 0644): chmod 600 {toml}\n")
    toml.chmod(0o600)
    result = invoke("--credentials", toml, "--from", "2026-07-05", "--to", "2026-06-29")
    assert (result.exit_code, result.output) == (
        2,
        "error: --from 2026-07-05 is after --to 2026-06-29\n",
    )
    result = invoke("--credentials", toml, *days, "--employer", "0123")
    assert result.exit_code == 2 and result.output.startswith("error: --employer 0123: ")
    key, _ = make_keys(tmp_path, "office-1")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    toml.write_text(
        f'endpoint = "{closed}"\nclient_id = "office-1"\nprivate_key = "{key.name}"\n'
        "attempts = 1\n",
        encoding="utf-8",
    )
    result = invoke("--credentials", toml, *days, "--ledger", ledger)
    assert (result.exit_code, result.output) == (
        2,
        f"error: the NSSO could not be consulted: token: connection refused ({closed})\n",
    )
