"""The outbox: every operation committed before it leaves, each step after it committed, so
that a run killed at any moment is settled by the next one without a declaration twice.

Real SQLite ledgers, the real simulator core in-process (the sandbox channel), real
processes killed with SIGKILL at a chosen moment.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from batch.channels.sandbox import sandbox_state
from batch.ledger import SCHEMA_VERSION, Ledger
from batch.model import Kind, Result
from batch.nsso import Nsso
from batch.pipeline import declare
from tests.conftest import JAN, at, shift, write_roster
from tests.workbooks import insz

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
EN = "0566988259"
SUNDAY = "2026-06-28 12:00"
WEEK = [
    shift("2026-06-29", "10:00", "14:00"),
    shift("2026-06-30", "10:00", "14:00"),
    shift("2026-06-30", "22:00", "02:00", insz=JAN, last="Janssens", first="Jan"),
    shift("2026-07-01", "11:00", "15:00", insz=JAN, last="Janssens", first="Jan"),
]


def nsso_periods(state: Path, enterprise: str = EN) -> dict[str, tuple]:
    """What the simulator's core holds: period number -> times and status."""
    with Nsso(state) as nsso:
        found, page, more = [], 1, True
        while more:
            items, more = nsso.search(
                enterprise, None, dt.date(2020, 1, 1), dt.date(2030, 12, 31), page
            )
            found += items
            page += 1
    return {
        str(p["id"]): (p["startDate"], p["startHour"], p["endDate"], p["endHour"], p["status"])
        for p in found
    }


def ledger_periods(path: Path, enterprise: str = EN) -> dict[str, tuple]:
    """What the ledger holds, in the same shape."""
    with Ledger(path) as book:
        periods = book.periods([enterprise], include_cancelled=True)
    return {
        p.period_id: (
            f"{p.declared_start:%Y-%m-%d}",
            f"{p.declared_start:%H%M}",
            f"{p.declared_end:%Y-%m-%d}",
            f"{p.declared_end:%H%M}",
            p.status.value,
        )
        for p in periods
    }


def cli(tmp_path: Path, roster: Path, out: str, kill: str | None = None, *extra: str):
    """`dimona-batch declare` as its own process, killed by the test hook if asked."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DIMONA_TEST_KILL", None)
    if kill:
        env["DIMONA_TEST_KILL"] = kill
    command = [sys.executable, "-m", "batch", "declare", str(roster)]
    command += ["--ledger", str(tmp_path / "ledger.sqlite"), "--out", str(tmp_path / out)]
    command += ["--as-of", SUNDAY, "--lang", "en", *extra]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def states(path: Path) -> list[tuple[str, str]]:
    with Ledger(path) as book:
        return [(r["kind"], r["state"]) for r in book.outbox()]


# --- the schema -------------------------------------------------------------------------


def test_a_new_ledger_has_the_outbox_and_each_operation_is_a_row(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", WEEK[:2])
    result = declare([roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "o", as_of=at(SUNDAY))
    with Ledger(tmp_path / "l.sqlite") as book:
        assert book.version() == SCHEMA_VERSION
        rows = book.outbox(result.batch_id)
    assert [(r["kind"], r["state"], r["result"], r["attempts"]) for r in rows] == [
        ("IN", "answered", "A", 1),
        ("IN", "answered", "A", 1),
    ]
    assert [r["declaration_id"] for r in rows] == [d.declaration_id for d in result.declarations]
    assert [r["period_id"] for r in rows] == [d.period_id for d in result.declarations]
    assert rows[0]["start"] == "2026-06-29T10:00:00+02:00"
    assert rows[0]["source"] == "r.xlsx [Week 27] row 4"
    assert rows[0]["planned_at"] == rows[0]["sent_at"] == "2026-06-28T12:00:00+02:00"


def test_the_plan_is_committed_before_anything_is_sent(tmp_path):
    """Killed right after the plan's commit: every operation `to send`, the NSSO told
    nothing; the next run sends each one once."""
    roster = write_roster(tmp_path / "r.xlsx", WEEK)
    killed = cli(tmp_path, roster, "o1", "sending:1")
    assert killed.returncode == -signal.SIGKILL
    ledger = tmp_path / "ledger.sqlite"
    # the first round was committed `sending` just before the kill, nothing posted
    assert states(ledger) == [("IN", "sending")] * 4
    assert nsso_periods(sandbox_state(ledger)) == {}
    again = cli(tmp_path, roster, "o2")
    assert again.returncode == 0, again.stdout + again.stderr
    assert states(ledger) == [("IN", "answered")] * 4
    assert len(nsso_periods(sandbox_state(ledger))) == 4
    assert ledger_periods(ledger) == nsso_periods(sandbox_state(ledger))


def test_killed_after_the_nsso_accepted_an_in_the_next_run_adopts_it(tmp_path):
    """The core committed the group of four INs but the ledger never learnt their ids (killed
    while recording the second answer: the ledger's transaction of the group is undone):
    the next run finds them in the NSSO's periods and adopts them; no IN reaches the core
    twice."""
    roster = write_roster(tmp_path / "r.xlsx", WEEK)
    killed = cli(tmp_path, roster, "o1", "accepted:2")
    assert killed.returncode == -signal.SIGKILL
    ledger = tmp_path / "ledger.sqlite"
    assert states(ledger) == [("IN", "sending")] * 4
    held = nsso_periods(sandbox_state(ledger))
    assert len(held) == 4  # the core committed its group before the ledger records it
    again = cli(tmp_path, roster, "o2")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing filed" not in again.stdout
    assert states(ledger) == [("IN", "adopted")] * 4
    final = nsso_periods(sandbox_state(ledger))
    assert final == held
    assert ledger_periods(ledger) == final
    with Ledger(ledger) as book:
        adopted = book.outbox()
        assert {r["period_id"] for r in adopted} == set(held)
        assert [r["attempts"] for r in adopted] == [1] * 4  # sent once, never again
        receipts = book.receipts(2)
    assert [d.kind for d in receipts] == [Kind.IN] * 4
    assert [d.declaration_id for d in receipts] == [f"adopted-{r['operation_id']}" for r in adopted]
    assert {d.anomalies for d in receipts} == {
        ("ADOPTED: adopted from the NSSO's records (its answer was lost)",)
    }
    rows = list(openpyxl.load_workbook(tmp_path / "o2" / "receipts.xlsx").active.values)
    assert len(rows) == 5
    # a third run of the same roster: nothing to file
    third = declare([roster], ledger=ledger, out=tmp_path / "o3", as_of=at(SUNDAY))
    assert third.plan.operations == [] and third.declarations == []
    assert ledger_periods(ledger) == nsso_periods(sandbox_state(ledger))


def test_killed_after_an_update_was_accepted_the_next_run_adopts_its_times(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    declare(
        [write_roster(tmp_path / "r.xlsx", WEEK[:1])],
        ledger=ledger,
        out=tmp_path / "o",
        as_of=at(SUNDAY),
    )
    changed = write_roster(tmp_path / "r2.xlsx", [shift("2026-06-29", "11:00", "15:00")])
    killed = cli(tmp_path, changed, "o1", "accepted:1")
    assert killed.returncode == -signal.SIGKILL
    assert states(ledger)[-1] == ("UPDATE", "sending")
    (held,) = nsso_periods(sandbox_state(ledger)).values()
    assert held == ("2026-06-29", "1100", "2026-06-29", "1500", "active")
    again = cli(tmp_path, changed, "o2")
    assert again.returncode == 0, again.stdout + again.stderr
    assert states(ledger) == [("IN", "answered"), ("UPDATE", "adopted")]
    assert ledger_periods(ledger) == nsso_periods(sandbox_state(ledger))


# --- killed inside a group of a few hundred operations ------------------------------------

GROUPS = 600  # more than two groups of the engine (GROUP operations each)


def many_shifts(count: int) -> list[list[object]]:
    """`count` shifts of distinct workers over the week after SUNDAY."""
    day = dt.date(2026, 6, 29)
    return [
        shift(
            (day + dt.timedelta(days=n % 7)).isoformat(),
            "10:00",
            "14:00",
            insz=insz(f"9305{10 + n // 500}", n % 500 + 1),
        )
        for n in range(count)
    ]


def exactly_once(tmp_path: Path, count: int) -> list[sqlite3.Row]:
    """Every shift declared once: as many periods in the NSSO as shifts, the ledger holding
    the same, every operation done; the outbox's rows."""
    ledger = tmp_path / "ledger.sqlite"
    held = nsso_periods(sandbox_state(ledger))
    assert len(held) == count
    assert ledger_periods(ledger) == held
    with Ledger(ledger) as book:
        rows = book.outbox()
        assert book.count("periods") == count
        assert book.count("declarations") == count
    assert len(rows) == count
    assert {r["state"] for r in rows} <= {"answered", "adopted"}
    assert len({r["period_id"] for r in rows}) == count
    return rows


def test_killed_inside_the_nsso_group_the_rerun_sends_that_group_again_once(tmp_path):
    """Killed after the core took the 300th request, before it committed its group: the
    first group is answered in the ledger, the second is `sending` in the ledger and absent
    from the NSSO (its transaction died with the process), the rest still to send. The
    re-run finds none of the second group in the NSSO, sends it again, and files the rest:
    each shift once."""
    from batch.channels.filing import GROUP

    assert 2 * GROUP < GROUPS
    roster = write_roster(tmp_path / "r.xlsx", many_shifts(GROUPS))
    killed = cli(tmp_path, roster, "o1", f"posted:{GROUP + 50}")
    assert killed.returncode == -signal.SIGKILL
    ledger = tmp_path / "ledger.sqlite"
    assert states(ledger) == (
        [("IN", "answered")] * GROUP
        + [("IN", "sending")] * GROUP
        + [("IN", "to send")] * (GROUPS - 2 * GROUP)
    )
    assert len(nsso_periods(sandbox_state(ledger))) == GROUP
    again = cli(tmp_path, roster, "o2")
    assert again.returncode == 0, again.stdout + again.stderr
    rows = exactly_once(tmp_path, GROUPS)
    assert [r["state"] for r in rows] == ["answered"] * GROUPS
    assert [r["attempts"] for r in rows] == [1] * GROUP + [2] * GROUP + [1] * (GROUPS - 2 * GROUP)


def test_killed_between_the_nsso_commit_and_the_ledger_commit_sync_adopts_the_group(tmp_path):
    """Killed while the ledger records the answers of the second group, which the core has
    committed: `sync` adopts that whole group from the NSSO's records and files the rest;
    a re-run of the roster then has nothing to do."""
    from batch.channels.filing import GROUP
    from batch.pipeline import sync

    roster = write_roster(tmp_path / "r.xlsx", many_shifts(GROUPS))
    killed = cli(tmp_path, roster, "o1", f"accepted:{GROUP + 50}")
    assert killed.returncode == -signal.SIGKILL
    ledger = tmp_path / "ledger.sqlite"
    assert [state for _, state in states(ledger)] == (
        ["answered"] * GROUP + ["sending"] * GROUP + ["to send"] * (GROUPS - 2 * GROUP)
    )
    assert len(nsso_periods(sandbox_state(ledger))) == 2 * GROUP
    synced = sync(ledger, out=tmp_path / "s", lang="en", channel="sandbox", as_of=at(SUNDAY))
    assert synced.in_flight == 0
    rows = exactly_once(tmp_path, GROUPS)
    assert [r["state"] for r in rows] == (
        ["answered"] * GROUP + ["adopted"] * GROUP + ["answered"] * (GROUPS - 2 * GROUP)
    )
    assert [r["attempts"] for r in rows] == [1] * GROUPS
    again = declare([roster], ledger=ledger, out=tmp_path / "o3", as_of=at(SUNDAY))
    assert again.plan.operations == []
    exactly_once(tmp_path, GROUPS)


# --- in flight counts as declared -------------------------------------------------------


def unreachable(tmp_path: Path) -> Path:
    """Credentials of an NSSO that does not answer (a port nobody listens on)."""
    import socket

    from tests.simulator import make_keys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    private, _ = make_keys(folder, "office")
    path = tmp_path / "dimona.toml"
    path.write_text(
        f'endpoint = "http://127.0.0.1:{port}"\nclient_id = "office"\n'
        f'private_key = "{private}"\nattempts = 1\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def test_during_an_outage_the_same_roster_declares_nothing_twice(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    toml = unreachable(tmp_path)
    roster = write_roster(tmp_path / "r.xlsx", WEEK[:2])
    first = declare(
        [roster],
        ledger=ledger,
        out=tmp_path / "o1",
        as_of=at(SUNDAY),
        channel="rest",
        credentials=toml,
    )
    assert first.in_flight == 2 and first.unreachable
    assert first.exit_status == 1
    assert states(ledger) == [("IN", "to send")] * 2
    second = declare(
        [roster],
        ledger=ledger,
        out=tmp_path / "o2",
        as_of=at(SUNDAY),
        channel="rest",
        credentials=toml,
    )
    assert second.plan.operations == []
    assert len(second.plan.unchanged) == 2
    assert states(ledger) == [("IN", "to send")] * 2
    # the roster changed during the outage: an UPDATE of an IN still in flight
    changed = write_roster(tmp_path / "r2.xlsx", [WEEK[0], shift("2026-06-30", "12:00", "16:00")])
    third = declare(
        [changed],
        ledger=ledger,
        out=tmp_path / "o3",
        as_of=at(SUNDAY),
        channel="rest",
        credentials=toml,
    )
    (update,) = third.plan.operations
    assert update.kind is Kind.UPDATE and update.period.period_id == "outbox:2"
    fourth = declare(
        [changed],
        ledger=ledger,
        out=tmp_path / "o4",
        as_of=at(SUNDAY),
        channel="rest",
        credentials=toml,
    )
    assert fourth.plan.operations == []  # the update in flight has its new times
    with Ledger(ledger) as book:
        rows = book.outbox()
        assert book.count("declarations") == 0 and book.count("periods") == 0
    assert [(r["kind"], r["state"], r["after_operation"]) for r in rows] == [
        ("IN", "to send", None),
        ("IN", "to send", None),
        ("UPDATE", "to send", 2),
    ]


# --- an old ledger: its sandbox state seeded once ------------------------------------------


def test_a_ledger_of_0_1_0_seeds_its_sandbox_once_and_its_periods_can_be_changed(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript((DATA / "ledger-v0.sql").read_text(encoding="utf-8"))
    db.close()
    with Ledger(path) as book:
        periods = book.periods(include_cancelled=True)
        live = book.periods()
        _, largest_declaration = book.largest_ids("sandbox")
    target = live[0]
    assert not sandbox_state(path).exists()
    db = sqlite3.connect(path)  # brought forward: the filing engine's look-ups indexed
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    db.close()
    assert {"outbox_by_period", "outbox_answered_pending"} <= indexes
    # cancel one period of the old ledger: the roster of its employer-week without it
    rows = [
        shift(
            f"{p.declared_start:%Y-%m-%d}",
            f"{p.declared_start:%H:%M}",
            f"{p.declared_end:%H:%M}",
            insz=p.worker.insz,
            enterprise=p.employer.enterprise_number,
            last=p.worker.last_name,
            first=p.worker.first_name,
            nsso=p.employer.nsso_number,
            employer=p.employer.name,
        )
        for p in live
        if p.employer == target.employer
        and p != target
        and f"{p.declared_start:%G-%V}" == f"{target.declared_start:%G-%V}"
    ]
    as_of = target.declared_start - dt.timedelta(days=3)
    roster = write_roster(tmp_path / "r.xlsx", rows)
    result = declare([roster], ledger=path, out=tmp_path / "o", as_of=as_of)
    (cancel,) = result.declarations
    assert (cancel.kind, cancel.period_id, cancel.result) == (
        Kind.CANCEL,
        target.period_id,
        Result.ACCEPTED,
    )
    # numbering goes on after the ledger's largest declaration number
    assert cancel.declaration_id == str(largest_declaration + 1)
    held = nsso_periods(sandbox_state(path), target.employer.enterprise_number)
    assert len(held) == len([p for p in periods if p.employer == target.employer])
    assert held[target.period_id][-1] == "cancelled"
    assert ledger_periods(path, target.employer.enterprise_number) == held
    # seeded once: a second run finds the state as the first left it
    again = declare([roster], ledger=path, out=tmp_path / "o2", as_of=as_of)
    assert again.declarations == []
    assert nsso_periods(sandbox_state(path), target.employer.enterprise_number) == held


@pytest.fixture(autouse=True)
def _no_kill_hook(monkeypatch):
    monkeypatch.delenv("DIMONA_TEST_KILL", raising=False)
