"""How long the receipts take to write, apart from the rest of a run.

    .venv/bin/python benchmarks/receipts.py [--shifts 20000] [--runs 3]

Declares a synthetic roster once (sandbox, a fresh ledger in benchmarks/out/), then times
render.write_receipts_xlsx and render.write_receipts_html on its declarations, CPU seconds,
the best of --runs. Not a test: timings never go into the unit tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
AS_OF = datetime(2026, 6, 28, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shifts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from batch import render
    from batch.pipeline import declare
    from benchmarks.generate import generate_roster

    OUT.mkdir(parents=True, exist_ok=True)
    roster = OUT / f"roster-{args.shifts}.xlsx"
    if not roster.exists():
        generate_roster(roster, args.shifts)
    ledger = OUT / f"receipts-ledger-{args.shifts}.sqlite"
    ledger.unlink(missing_ok=True)
    out = OUT / f"receipts-{args.shifts}"
    declarations = declare([roster], ledger=ledger, out=out, as_of=AS_OF, lang="en").declarations
    for name, write in (
        ("receipts.xlsx", render.write_receipts_xlsx),
        ("receipts.html", render.write_receipts_html),
    ):
        best = float("inf")
        for _ in range(args.runs):
            started = time.process_time()
            write(declarations, out / name, "en")
            best = min(best, time.process_time() - started)
        print(f"{len(declarations):>9,} receipts  {name:<14} {best:6.2f} CPU s")


if __name__ == "__main__":
    main()
