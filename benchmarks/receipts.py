"""How long the receipts take to write, apart from the rest of a run.

    .venv/bin/python benchmarks/receipts.py [--shifts 20000] [--runs 3]

Declares a synthetic roster once (sandbox, a fresh ledger in benchmarks/out/) and keeps its
declarations there (pickled; --fresh declares again), then times render.write_receipts_xlsx
and render.write_receipts_html on them, the validation writers on one warning per
declaration and the corrections writers on one correction each, CPU seconds, the best of
--runs. Not a test: timings never go into the unit tests.
"""

from __future__ import annotations

import argparse
import functools
import pickle
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
    parser.add_argument("--fresh", action="store_true", help="declare again, not the kept run")
    parser.add_argument("--only", action="append", help="one writer (receipts.xlsx, ...)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from batch import render
    from batch.pipeline import declare
    from benchmarks.generate import generate_roster

    OUT.mkdir(parents=True, exist_ok=True)
    roster = OUT / f"roster-{args.shifts}.xlsx"
    if not roster.exists():
        generate_roster(roster, args.shifts)
    out = OUT / f"receipts-{args.shifts}"
    kept = OUT / f"receipts-declarations-{args.shifts}.pickle"
    if args.fresh or not kept.exists():
        ledger = OUT / f"receipts-ledger-{args.shifts}.sqlite"
        ledger.unlink(missing_ok=True)
        Path(f"{ledger.with_suffix('')}.nsso.sqlite").unlink(missing_ok=True)
        run = declare([roster], ledger=ledger, out=out, as_of=AS_OF, lang="en")
        kept.write_bytes(pickle.dumps(list(run.declarations)))
    declarations = pickle.loads(kept.read_bytes())
    out.mkdir(parents=True, exist_ok=True)
    writers = {
        "receipts.xlsx": render.write_receipts_xlsx,
        "receipts.html": render.write_receipts_html,
        "validation.xlsx": render.write_validation_xlsx,
        "validation.html": render.write_validation_html,
        "corrections.xlsx": render.write_corrections_xlsx,
        "corrections.html": render.write_corrections_html,
    }
    for name in args.only or list(writers):
        write = writers[name]
        if name.startswith("validation"):
            write = functools.partial(_problems_of, write)
        elif name.startswith("corrections"):
            write = functools.partial(_corrections_of, write)
        best = float("inf")
        for _ in range(args.runs):
            started = time.process_time()
            write(declarations, out / name, "en")
            best = min(best, time.process_time() - started)
        print(f"{len(declarations):>9,} receipts  {name:<14} {best:6.2f} CPU s")


def _problems_of(write, declarations, path, lang):
    """The validation report of one warning per declaration (a run with many findings)."""
    from batch.model import Problem, Severity

    problems = [
        Problem(
            file="roster.xlsx",
            sheet="Rooster",
            row=n + 2,
            column="Start",
            cell=f"D{n + 2}",
            value=d.worker.last_name,
            message="refused",
            code="refused",
            params=(("anomalies", "; ".join(d.anomalies) or "late declaration"),),
            severity=Severity.WARNING,
        )
        for n, d in enumerate(declarations)
    ]
    return write(problems, path, lang)


def _corrections_of(write, declarations, path, lang):
    """A correction report of one line per declaration: most match, some started or ended
    later, a few no-shows (to handle by hand, some of them past their deadline)."""
    from datetime import timedelta

    from batch.model import Action, Correction, DeadlineStatus, Finding

    def correction(n, d):
        later = timedelta(minutes=15 * (n % 5))
        findings = (Finding.MATCH,)
        action = Action.NONE
        if n % 5 == 1:
            findings, action = (Finding.LATER_START, Finding.LATER_END), Action.UPDATE
        elif n % 23 == 2:
            findings, action, later = (Finding.NO_SHOW,), Action.MANUAL, timedelta(0)
        return Correction(
            employer=d.employer,
            worker=d.worker,
            findings=findings,
            action=action,
            deadline_status=DeadlineStatus.LATE if n % 46 == 2 else DeadlineStatus.IN_TIME,
            period_id=d.period_id,
            planned_start=d.start,
            planned_end=d.end,
            declared_start=d.start,
            declared_end=d.end,
            actual_start=None if action is Action.MANUAL else d.start + later,
            actual_end=None if action is Action.MANUAL else d.end + later,
            difference_minutes=int(later.total_seconds() // 60),
            deadline=d.start,
            filed_at=d.sent_at if action is Action.UPDATE else None,
            result=d.result if action is Action.UPDATE else None,
            note="end_late" if n % 7 == 0 else "",
            channel=d.channel,
        )

    return write([correction(n, d) for n, d in enumerate(declarations)], path, lang)


if __name__ == "__main__":
    main()
