"""The filing engine over the REST channel against `dimona-batch simulator` as a real process:
answers that come later, UPDATEs that wait for their IN's number, a refused IN that voids
its UPDATE, faults on, and `sync` until nothing is in flight with the ledger equal to the
simulator's own state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from batch.cli import main
from batch.ledger import Ledger
from batch.model import Kind, Result
from batch.pipeline import declare, sync
from tests.conftest import AN, JAN, at, shift, write_roster
from tests.simulator import Simulator, start_simulator
from tests.test_identification import NL_HEADER, unknown
from tests.test_outbox import EN, ledger_periods, nsso_periods, states, unreachable

SUNDAY = "2026-06-28 12:00"


def credentials(folder: Path, simulator: Simulator, extra: str = "") -> Path:
    path = folder / "dimona.toml"
    path.write_text(
        f'endpoint = "{simulator.url}"\nclient_id = "{simulator.client_id}"\n'
        f'private_key = "{simulator.private_key_path}"\n{extra}',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def rest(tmp_path: Path, roster: Path, toml: Path, out: str = "out", **options):
    return declare(
        [roster],
        ledger=tmp_path / "ledger.sqlite",
        out=tmp_path / out,
        as_of=at(SUNDAY),
        lang="en",
        channel="rest",
        credentials=toml,
        **options,
    )


def test_an_in_answered_s_is_answered_a_by_sync_with_its_receipt(tmp_path):
    simulator = start_simulator(tmp_path, clock=SUNDAY)
    try:
        toml = credentials(tmp_path, simulator)
        roster = write_roster(
            tmp_path / "r.xlsx", [unknown("2026-06-29", "10:00", "14:00")], header=NL_HEADER
        )
        first = rest(tmp_path, roster, toml)
        (filed,) = first.declarations
        assert (filed.kind, filed.result) == (Kind.IN, Result.PENDING)
        assert first.in_flight == 0 and first.exit_status == 0
        later = sync(
            ledger=tmp_path / "ledger.sqlite",
            out=tmp_path / "sync",
            lang="en",
            credentials=toml,
        )
        (answer,) = later.declarations
        assert (answer.declaration_id, answer.result) == (filed.declaration_id, Result.ACCEPTED)
        assert answer.anomalies == ("SBX-IDENTIFIED: worker identified by SIGeDIS",)
        rows = list(openpyxl.load_workbook(tmp_path / "sync" / "receipts.xlsx").active.values)
        assert len(rows) == 2 and rows[1][:2] == (filed.period_id, filed.declaration_id)
        held = nsso_periods(simulator.state_path)
        assert ledger_periods(tmp_path / "ledger.sqlite") == held
        assert [v[-1] for v in held.values()] == ["active"]
    finally:
        simulator.stop()


def test_an_update_waits_for_its_in_then_goes_with_its_number(tmp_path):
    """During an outage an IN and then its UPDATE are planned; once the NSSO answers, sync
    sends the IN, learns the period number, and sends the UPDATE with it."""
    down = unreachable(tmp_path)
    rest(
        tmp_path,
        write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")]),
        down,
        "o1",
    )
    changed = write_roster(tmp_path / "r2.xlsx", [shift("2026-06-29", "11:00", "15:00")])
    planned = rest(tmp_path, changed, down, "o2")
    assert [op.kind for op in planned.plan.operations] == [Kind.UPDATE]
    simulator = start_simulator(tmp_path, clock=SUNDAY)
    try:
        toml = credentials(tmp_path, simulator)
        done = sync(ledger=tmp_path / "ledger.sqlite", out=tmp_path / "s", credentials=toml)
        assert done.in_flight == 0 and done.exit_status == 0
        ledger = tmp_path / "ledger.sqlite"
        assert states(ledger) == [("IN", "answered"), ("UPDATE", "answered")]
        with Ledger(ledger) as book:
            in_row, update_row = book.outbox()
        assert update_row["period_id"] == in_row["period_id"]
        assert update_row["after_operation"] == in_row["operation_id"]
        held = nsso_periods(simulator.state_path)
        assert held == {in_row["period_id"]: ("2026-06-29", "1100", "2026-06-29", "1500", "active")}
        assert ledger_periods(ledger) == held
    finally:
        simulator.stop()


def test_a_refused_in_voids_the_update_planned_on_it(tmp_path):
    down = unreachable(tmp_path)
    rest(
        tmp_path,
        write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")]),
        down,
        "o1",
    )
    rest(
        tmp_path,
        write_roster(tmp_path / "r2.xlsx", [shift("2026-06-29", "11:00", "15:00")]),
        down,
        "o2",
    )
    simulator = start_simulator(tmp_path, clock=SUNDAY, unknown_workers=[AN])
    try:
        toml = credentials(tmp_path, simulator)
        done = sync(
            ledger=tmp_path / "ledger.sqlite", out=tmp_path / "s", lang="en", credentials=toml
        )
        refused_in, void = done.declarations
        assert (refused_in.kind, refused_in.result) == (Kind.IN, Result.REFUSED)
        assert refused_in.anomalies == (
            f"SBX-UNKNOWN-WORKER: INSZ {AN} is not known in the National Register",
        )
        assert (void.kind, void.result, void.period_id) == (Kind.UPDATE, Result.REFUSED, None)
        assert void.anomalies == ("VOID: not sent, the IN of this period was refused",)
        assert done.exit_status == 1
        with Ledger(tmp_path / "ledger.sqlite") as book:
            rows = book.outbox()
        # the IN was tried by each run (twice in vain during the outage), the UPDATE never
        assert [(r["state"], r["result"], r["attempts"]) for r in rows] == [
            ("answered", "B", 3),
            ("refused", "B", 0),
        ]
        assert (
            nsso_periods(simulator.state_path) == {} == ledger_periods(tmp_path / "ledger.sqlite")
        )
    finally:
        simulator.stop()


def test_declare_rest_with_faults_then_sync_until_nothing_in_flight(tmp_path):
    """Errors, dropped answers, throttling and slow answers, seeded: every shift ends with
    exactly one live period at the simulator, and the ledger equals it."""
    days = [dt.date(2026, 6, 29) + dt.timedelta(days=i) for i in range(5)]
    rows = [
        shift(f"{day}", start, end, insz=who)
        for day in days
        for who in (AN, JAN)
        for start, end in (("08:00", "11:00"), ("13:00", "17:00"))
    ]
    simulator = start_simulator(
        tmp_path,
        clock=SUNDAY,
        faults="error=0.1,drop=0.15,throttle=0.05,slow=0.05",
        seed=7,
        processing_delay=0.2,
    )
    try:
        toml = credentials(tmp_path, simulator, "parallel = 4\n")
        roster = write_roster(tmp_path / "r.xlsx", rows)
        result = CliRunner().invoke(
            main,
            [
                "declare",
                str(roster),
                "--channel",
                "rest",
                "--credentials",
                str(toml),
                "--ledger",
                str(tmp_path / "ledger.sqlite"),
                "--out",
                str(tmp_path / "o"),
                "--as-of",
                SUNDAY,
            ],
        )
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
        rounds = 0
        while True:
            with Ledger(tmp_path / "ledger.sqlite") as book:
                if not book.in_flight():
                    break
            rounds += 1
            assert rounds <= 6, states(tmp_path / "ledger.sqlite")
            result = CliRunner().invoke(
                main,
                [
                    "sync",
                    "--credentials",
                    str(toml),
                    "--ledger",
                    str(tmp_path / "ledger.sqlite"),
                    "--out",
                    str(tmp_path / f"s{rounds}"),
                ],
            )
            assert "Traceback" not in result.output
        held = nsso_periods(simulator.state_path, EN)
        live = [v for v in held.values() if v[-1] == "active"]
        assert len(live) == len(held) == len(rows)  # one live period per shift, nothing twice
        assert sorted(v[:4] for v in live) == sorted(
            (f"{r[6]}", f"{r[7]:%H%M}", f"{r[6]}", f"{r[8]:%H%M}") for r in rows
        )
        assert ledger_periods(tmp_path / "ledger.sqlite") == held
        with Ledger(tmp_path / "ledger.sqlite") as book:
            assert {r["state"] for r in book.outbox()} <= {"answered", "adopted"}
            assert all(r["attempts"] == 1 for r in book.outbox() if r["state"] == "adopted")
    finally:
        simulator.stop()
