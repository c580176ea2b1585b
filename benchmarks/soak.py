"""Soak: declare --channel rest killed at random moments, faults on, then sync to the end.

Each trial generates a roster, starts `dimona-batch simulator` with seeded faults, runs
`declare --channel rest` as its own process and kills it with SIGKILL at a random moment,
runs the same declare again (as an office would), then `sync` until nothing is in flight.
It checks that the simulator holds exactly one live period per shift and that the ledger's
periods equal the simulator's, and prints the figures.

    python benchmarks/soak.py [--trials 50] [--shifts 2000] [--faults SPEC] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from batch.ledger import Ledger  # noqa: E402
from batch.nsso import Nsso  # noqa: E402
from benchmarks.generate import generate_roster  # noqa: E402
from tests.simulator import start_simulator  # noqa: E402

AS_OF = "2026-06-28 12:00"
FAULTS = "error=0.05,drop=0.05,slow=0.1,throttle=0.05,token-expiry=30"


def expected(roster: Path) -> Counter:
    """The roster's shifts as the simulator shows periods: employer, INSZ, times."""
    book = openpyxl.load_workbook(roster, read_only=True)
    found: Counter = Counter()
    for row in book.active.iter_rows(min_row=3, values_only=True):
        enterprise, _, _, insz, _, _, day, start, end = row[:9]
        day = day.date() if isinstance(day, dt.datetime) else day
        start_at = dt.datetime.combine(day, _time(start))
        end_at = dt.datetime.combine(day, _time(end))
        if end_at <= start_at:
            end_at += dt.timedelta(days=1)
        found[
            (
                "".join(c for c in str(enterprise) if c.isdigit()),
                str(insz),
                *_wall(start_at),
                *_wall(end_at),
            )
        ] += 1
    return found


def _time(value: object) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    minutes = round(float(value) * 1440)  # type: ignore[arg-type]
    return dt.time(minutes // 60 % 24, minutes % 60)


def _wall(moment: dt.datetime) -> tuple[str, str]:
    if moment.hour == 0 and moment.minute == 0:
        return moment.date().isoformat(), "0000"
    return moment.date().isoformat(), f"{moment:%H%M}"


def simulator_periods(state: Path, employers: set[str]) -> dict[str, tuple]:
    found = {}
    with Nsso(state) as nsso:
        for enterprise in employers:
            page, more = 1, True
            while more:
                items, more = nsso.search(
                    enterprise, None, dt.date(2026, 6, 1), dt.date(2026, 7, 31), page, 500
                )
                page += 1
                for p in items:
                    found[str(p["id"])] = (
                        enterprise,
                        p["worker"].get("ssin", ""),
                        p["startDate"],
                        p["startHour"],
                        p["endDate"],
                        p["endHour"],
                        p["status"],
                    )
    return found


def ledger_periods(path: Path) -> dict[str, tuple]:
    with Ledger(path) as book:
        periods = book.periods(include_cancelled=True)
    return {
        p.period_id: (
            p.employer.enterprise_number,
            p.worker.insz,
            *_wall(p.declared_start.replace(tzinfo=None)),
            *_wall(p.declared_end.replace(tzinfo=None)),
            p.status.value,
        )
        for p in periods
    }


def run(command: list[str], kill_after: float | None = None) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        code = process.wait(kill_after)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        code = process.wait()
    return code, time.monotonic() - started


def trial(number: int, args: argparse.Namespace, folder: Path) -> dict:
    rng = random.Random(args.seed * 1000 + number)
    roster = folder / "roster.xlsx"
    generate_roster(roster, args.shifts, employers=args.employers, seed=number)
    want = expected(roster)
    simulator = start_simulator(
        folder,
        clock=AS_OF,
        faults=args.faults,
        seed=args.seed * 1000 + number,
        processing_delay=args.delay,
    )
    try:
        toml = folder / "dimona.toml"
        toml.write_text(
            f'endpoint = "{simulator.url}"\nclient_id = "{simulator.client_id}"\n'
            f'private_key = "{simulator.private_key_path}"\nparallel = {args.parallel}\n',
            encoding="utf-8",
        )
        toml.chmod(0o600)
        ledger = folder / "ledger.sqlite"
        base = [sys.executable, "-m", "batch"]
        declare = [
            *base,
            "declare",
            str(roster),
            "--channel",
            "rest",
            "--credentials",
            str(toml),
            "--ledger",
            str(ledger),
            "--out",
            str(folder / "out"),
            "--as-of",
            AS_OF,
        ]
        kill_at = rng.uniform(1.0, args.kill_within)
        first, first_time = run(declare, kill_at)
        _, again_time = run(declare)
        rounds, left = 0, -1
        exits: set[int] = set()  # a sync that fails (3: an unexpected error) shows here
        started = time.monotonic()
        while rounds < args.max_syncs:
            with Ledger(ledger) as book:
                left = book.in_flight()
            if not left:
                break
            rounds += 1
            code, _ = run(
                [
                    *base,
                    "sync",
                    "--credentials",
                    str(toml),
                    "--ledger",
                    str(ledger),
                    "--out",
                    str(folder / f"sync-{rounds}"),
                ]
            )
            exits.add(code)
        sync_time = time.monotonic() - started
        employers = {key[0] for key in want}
        held = simulator_periods(simulator.state_path, employers)
        live = Counter(v[:6] for v in held.values() if v[-1] == "active")
        mine = ledger_periods(ledger)
        with Ledger(ledger) as book:
            outcome = Counter(r["state"] for r in book.outbox())
    finally:
        simulator.stop()
    return {
        "trial": number,
        "killed": first == -signal.SIGKILL,
        "kill at": round(kill_at, 1),
        "declare s": round(first_time + again_time, 1),
        "syncs": rounds,
        "sync s": round(sync_time, 1),
        "sync exits": sorted(exits),
        "in flight": left,
        "adopted": outcome.get("adopted", 0),
        "refused": outcome.get("refused", 0),
        "one per shift": live == want,
        "ledger == simulator": mine == held,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--shifts", type=int, default=2000)
    parser.add_argument("--employers", type=int, default=10)
    parser.add_argument("--faults", default=FAULTS)
    parser.add_argument("--delay", type=float, default=0.2, help="simulator processing delay")
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--kill-within", type=float, default=20.0, help="seconds")
    parser.add_argument("--max-syncs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    results = []
    for number in range(1, args.trials + 1):
        folder = Path(tempfile.mkdtemp(prefix="dimona-soak-"))
        result = trial(number, args, folder)
        exact = result["one per shift"] and result["ledger == simulator"]
        if exact and not result["in flight"]:
            shutil.rmtree(folder)
        else:
            result["kept"] = str(folder)  # the ledger, the simulator's state, every report
        results.append(result)
        print("  ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    good = sum(
        r["one per shift"]
        and r["ledger == simulator"]
        and not r["in flight"]
        and 3 not in r["sync exits"]
        for r in results
    )
    killed = sum(r["killed"] for r in results)
    print(
        f"{good}/{len(results)} trials exact ({killed} killed mid-run);"
        f" adopted {sum(r['adopted'] for r in results)} in all;"
        f" syncs per trial at most {max(r['syncs'] for r in results)};"
        f" mean declare {sum(r['declare s'] for r in results) / len(results):.1f} s"
    )
    return 0 if good == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
