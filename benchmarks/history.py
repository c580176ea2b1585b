"""A ledger (and its sandbox NSSO state) holding many earlier weeks, built without declaring.

The history is the benchmark's 10k roster replayed in the weeks before it: the same
employers and workers, one batch per earlier week, as many weeks as it takes to hold
`periods` periods (100 weeks for 1M). It is written through the ledger module
(`Ledger.batch` and `Ledger.record`, the calls a declaring run makes after filing) and
through the NSSO core's own `seed`, so the files are what runs would have left, in a
fraction of the time. Built once per size and schema, cached under benchmarks/out/.

    python benchmarks/history.py 100000
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generate import roster_rows  # noqa: E402

from batch.channels.payloads import payload, times_part  # noqa: E402
from batch.channels.sandbox import FIRST_DECLARATION, FIRST_PERIOD, sandbox_state  # noqa: E402
from batch.ledger import SCHEMA_VERSION, Ledger  # noqa: E402
from batch.model import (  # noqa: E402
    Declaration,
    Employer,
    Kind,
    Operation,
    References,
    Result,
    Shift,
    Worker,
)
from batch.nsso import core  # noqa: E402

BRUSSELS = ZoneInfo("Europe/Brussels")
WEEK_START = dt.date(2026, 6, 29)
OUT = ROOT / "benchmarks" / "out"
ROSTER_SHIFTS = 10_000


def history_path(periods: int) -> Path:
    """The cached ledger of a history size (its NSSO state beside it, `sandbox_state`)."""
    return OUT / f"history-{periods}-v{SCHEMA_VERSION}-s{core.SCHEMA_VERSION}.sqlite"


def _moment(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), BRUSSELS)


def _exists(moment: dt.datetime) -> bool:
    """A Brussels wall time that the clock shows (not one skipped in spring's gap)."""
    return moment.astimezone(dt.UTC).astimezone(BRUSSELS).replace(tzinfo=None) == moment.replace(
        tzinfo=None
    )


def _week(
    bosses: list[tuple[str, str, str]], rows: list, week: int, next_period: int, next_decl: int
) -> list[Declaration]:
    """The declarations of the roster `week` weeks before WEEK_START, all accepted (a shift
    that starts or ends in the hour skipped on a spring night is left out, as a run would
    refuse it)."""
    monday = WEEK_START - dt.timedelta(weeks=week)
    sent_at = _moment(monday - dt.timedelta(days=2), 720)
    employers = [Employer(w.replace(".", ""), nsso, name) for w, nsso, name in bosses]
    source = f"history-week-{week}.xlsx"
    found = []
    for row, (employer, day, start, end, insz, last, first) in enumerate(rows, start=3):
        work_day = monday + dt.timedelta(days=day)
        begins = _moment(work_day, start)
        ends = _moment(work_day + dt.timedelta(days=1) if end <= start else work_day, end)
        if not (_exists(begins) and _exists(ends)):
            continue
        i = len(found)
        worker = Worker(insz, last, first)
        shift = Shift(employers[employer], worker, begins, ends)
        period_id = str(next_period + i)
        found.append(
            Declaration(
                declaration_id=str(next_decl + i),
                kind=Kind.IN,
                result=Result.ACCEPTED,
                period_id=period_id,
                sent_at=sent_at,
                start=begins,
                end=ends,
                employer=employers[employer],
                worker=worker,
                references=References(),
                payload=payload(Operation(Kind.IN, shift=shift), period_id),
                channel="sandbox",
                source=f"{source} [Rooster] row {row}",
            )
        )
    return found


def _items(declarations: list[Declaration]) -> list[dict]:
    """The periods as the NSSO's /periods answers them, for `Nsso.seed`."""
    return [
        {
            "id": int(d.period_id or 0),
            "employer": d.payload["employer"],
            "worker": d.payload["worker"],
            **times_part(d.start, d.end),
            "status": "active",
        }
        for d in declarations
    ]


def build(periods: int, say=print) -> Path:
    """The history ledger of `periods` periods (and its NSSO state), built if not cached."""
    path = history_path(periods)
    done = path.with_suffix(".done")
    state = sandbox_state(path)
    if done.exists() and path.exists() and state.exists():
        return path
    for stale in (path, state):
        for suffix in ("", "-journal", "-wal", "-shm"):
            stale.with_name(stale.name + suffix).unlink(missing_ok=True)
    bosses, rows = roster_rows(ROSTER_SHIFTS)
    weeks = -(-periods // len(rows))
    next_period, next_decl = FIRST_PERIOD, FIRST_DECLARATION
    left = periods
    with Ledger(path) as book, core.Nsso(state) as nsso:
        for week in range(1, weeks + 1):
            chunk = rows[:left]
            declarations = _week(bosses, chunk, week, next_period, next_decl)
            as_of = declarations[0].sent_at
            inputs = [f"history-week-{week}.xlsx"]
            with book.batch("declare", as_of, inputs, "sandbox") as batch_id:
                book.record(declarations)
            book.mark_receipts_written([batch_id])
            next_period += len(declarations)
            next_decl += len(declarations)
            nsso.seed(_items(declarations), next_period, next_decl)
            left -= len(chunk)
            if week % 10 == 0 or week == weeks:
                say(f"history: {periods - left:,} of {periods:,} periods written")
    done.write_text(f"{periods}\n")
    return path


if __name__ == "__main__":
    print(build(int(sys.argv[1].replace("_", ""))))
