"""How fast, and in how much memory, a weekly roster becomes declarations.

Run from the repository root (`make bench`):

    .venv/bin/python benchmarks/bench.py [--sizes 10000,100000]

For each size the parent generates a synthetic roster into benchmarks/out/ and then runs
`batch.pipeline.declare` on it in a child process (`bench.py --one N`) with a fresh ledger.
A child per size keeps the measurements apart: its peak resident memory is its own (read
with os.wait4, not mixed with the generator's or an earlier size's), and every size starts
with a cold import, as a real run does.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
AS_OF = datetime(2026, 6, 28, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))
DEFAULT_SIZES = (10_000, 100_000)


def _paths(shifts: int) -> tuple[Path, Path, Path]:
    """Roster, ledger and report folder of one size."""
    return (
        OUT / f"roster-{shifts}.xlsx",
        OUT / f"ledger-{shifts}.sqlite",
        OUT / f"reports-{shifts}",
    )


def _maxrss_mb(maxrss: int) -> float:
    """ru_maxrss is in kilobytes on Linux, in bytes on macOS."""
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_one(shifts: int) -> dict:
    """In the child: time one declare() on the roster the parent generated."""
    sys.path.insert(0, str(ROOT))  # the working copy, as `make bench` runs from the root
    import resource

    from batch.pipeline import declare

    roster, ledger, out = _paths(shifts)
    for suffix in ("", "-journal", "-wal", "-shm"):  # a fresh ledger for every size
        ledger.with_name(ledger.name + suffix).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    result = declare([roster], ledger=ledger, out=out, as_of=AS_OF, lang="en")
    seconds = time.perf_counter() - started

    counts = getattr(result, "counts", None)
    return {
        "shifts": shifts,
        "seconds": seconds,
        "counts": dict(counts) if counts is not None else None,
        "self_peak_mb": _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def measure(shifts: int) -> dict:
    """In the parent: run `--one shifts` as a child and add its own peak RSS."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", str(shifts)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    child.stdout.close()
    # wait4 reports this child's rusage alone; RUSAGE_CHILDREN would be the maximum
    # over every child so far.
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"benchmark of {shifts} shifts failed (exit {child.returncode})")
    report = json.loads(output.strip().splitlines()[-1])
    report["peak_mb"] = _maxrss_mb(usage.ru_maxrss)
    return report


def _table(reports: list[dict]) -> str:
    header = f"{'shifts':>9}  {'generate s':>10}  {'declare s':>9}  {'shifts/s':>9}  "
    header += f"{'peak MB':>8}  counts"
    lines = [header, "-" * len(header)]
    for r in reports:
        rate = r["shifts"] / r["seconds"] if r["seconds"] else float("inf")
        counts = ", ".join(f"{k}={v}" for k, v in (r["counts"] or {}).items()) or "-"
        lines.append(
            f"{r['shifts']:>9,}  {r['generate_seconds']:>10.1f}  {r['seconds']:>9.2f}  "
            f"{rate:>9,.0f}  {r['peak_mb']:>8.0f}  {counts}"
        )
    return "\n".join(lines)


def _cpu_seconds(command: list[str]) -> float:
    """User + system CPU seconds of one child process, read with os.wait4."""
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return usage.ru_utime + usage.ru_stime


def startup(runs: int = 5) -> str:
    """`python -m batch --help` against a bare `python -c pass`, run alternately (median)."""
    bare, helps = [], []
    for _ in range(runs):
        bare.append(_cpu_seconds([sys.executable, "-c", "pass"]))
        helps.append(_cpu_seconds([sys.executable, "-m", "batch", "--help"]))
    bare_s, help_s = statistics.median(bare), statistics.median(helps)
    ratio = help_s / bare_s if bare_s else float("inf")
    return (
        f"start-up: --help {help_s:.3f} CPU s, python -c pass {bare_s:.3f} CPU s, "
        f"ratio {ratio:.1f}x (median of {runs}; target <= 10x)"
    )


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time declare() on synthetic rosters.")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=DEFAULT_SIZES,
        help="comma-separated shift counts (default 10000,100000)",
    )
    parser.add_argument("--one", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one is not None:
        print(json.dumps(run_one(args.one), default=str))
        return

    from generate import generate_roster  # benchmarks/ is on sys.path as the script's folder

    reports = []
    for shifts in args.sizes:
        roster, _, _ = _paths(shifts)
        started = time.perf_counter()
        generate_roster(roster, shifts)
        generated = time.perf_counter() - started
        print(f"{shifts:,} shifts: roster generated in {generated:.1f} s, declaring…", flush=True)
        report = measure(shifts)
        report["generate_seconds"] = generated
        reports.append(report)
    print()
    print(_table(reports))
    print(startup())


if __name__ == "__main__":
    main()
