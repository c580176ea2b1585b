"""The batch against the oracle (tests/oracle.py) on a generated grid of boundary cases.

One run has one as-of, so the grid is built around a few as-of moments: midnight and 08:00
(the fixed deadlines) at the minute before, at and after, the spring night, and both
readings of the repeated autumn hour. For each, one roster declares every case's period in
time, one actuals workbook holds every case's clocking, and the command line reconciles
them: each row of corrections.xlsx is held to the oracle's finding, action, deadline,
deadline status and the sandbox's answer. Late INs are checked the same way through
declare's receipts. Every case has its own worker, so rows are found by INSZ.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch.cli import main
from tests import oracle
from tests.conftest import CORRECTION_HEADERS_EN, HEADER, RECEIPT_HEADERS_EN, write_roster
from tests.oracle import BRUSSELS, Expected, brussels, moment, shown, utc

ENTERPRISE = "0566988259"
EMPLOYER = ["0566.988.259", "000935467", "Brasserie Het Pand"]
ACTUALS_HEADER = [
    "Ondernemingsnummer",
    "INSZ",
    "Naam",
    "Datum",
    "Ingeklokt",
    "Uitgeklokt",
    "Status",
]
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
RESULTS = {"Accepted": "A", "Accepted with warning": "W", None: None}


@dataclass(frozen=True)
class Run:
    name: str
    as_of: str
    """As given to --as-of."""
    also: tuple[str, ...] = ()
    """Other moments to aim deadlines at (the other reading of the repeated hour)."""

    @property
    def moment(self) -> dt.datetime:
        return moment(self.as_of)


RUNS = (
    Run("midnight-1", "2026-06-29 23:59"),
    Run("midnight", "2026-06-30 00:00"),
    Run("midnight+1", "2026-06-30 00:01"),
    Run("morning-1", "2026-07-01 07:59"),
    Run("morning", "2026-07-01 08:00"),
    Run("morning+1", "2026-07-01 08:01"),
    Run("spring", "2026-03-29 03:00"),  # the first minute after the skipped hour
    Run("spring-morning", "2026-03-29 08:00"),
    Run("autumn-first", "2026-10-25 02:30+02:00", also=("2026-10-25 02:30+01:00",)),
    Run("autumn-second", "2026-10-25 02:30+01:00", also=("2026-10-25 02:30+02:00",)),
    Run("autumn-plain", "2026-10-25 02:30", also=("2026-10-25 02:30+01:00",)),  # the first
    Run("autumn-morning", "2026-10-25 08:00"),
)


# --- the grid ----------------------------------------------------------------------------


def insz(number: int) -> str:
    """A distinct valid INSZ (domain.md §2, born before 2000: no prefix of 2)."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=number)
    base = int(f"{birth:%y%m%d}{1 + number % 997:03d}")
    return f"{base:09d}{97 - base % 97:02d}"


@dataclass
class Case:
    label: str
    declared: tuple[dt.datetime, dt.datetime] | None
    """None: undeclared work."""
    actual: tuple[dt.datetime, dt.datetime] | None
    """None: the worker did not come."""
    absent_row: bool = True
    """A no-show has a row with an absence status (else no row at all)."""
    unreadable: bool = False
    """The worker's only actual row is rejected (a clock time nobody can read)."""
    target: dt.datetime | None = None
    """The deadline the case was built to hit (checked against the oracle)."""
    insz: str = ""
    expected: Expected | None = None


def writable(value: dt.datetime) -> bool:
    """A moment a workbook can hold: its wall time, read as the first reading, is itself."""
    wall = value.astimezone(BRUSSELS)
    try:
        again = brussels(wall.date(), wall.hour, wall.minute)
    except ValueError:
        return False
    return utc(again) == utc(value)


def later(value: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """`delta` of elapsed time after `value`."""
    return (utc(value) + delta).astimezone(BRUSSELS)


def aimed(target: dt.datetime) -> Iterator[tuple[str, Case]]:
    """Cases whose deadline is `target`: start changes, +8 h end changes, undeclared work.

    The 10 h shifts also change the end, so a row holds two findings with two deadlines.
    """
    for hours in (4, 10):
        long = dt.timedelta(hours=hours)
        end_moves = dt.timedelta(0) if hours == 4 else 45 * MINUTE
        start = later(target, -30 * MINUTE)
        end = later(start, long)
        yield (
            f"later start{'' if hours == 4 else ', earlier end'}, {hours} h",
            Case("", (start, end), (target, later(end, -end_moves))),
        )
        start = later(target, 30 * MINUTE)
        end = later(start, long)
        yield (
            f"earlier start{'' if hours == 4 else ', later end'}, {hours} h",
            Case("", (start, end), (target, later(end, end_moves))),
        )
        end = later(target, -8 * HOUR)
        start = later(end, -long)
        evening = end.time() >= dt.time(20, 0) or end.time() == dt.time(0, 0)
        if not evening:  # an evening end runs until 08:00: the fixed cases hold those
            case = Case("", (start, end), (start, later(end, 90 * MINUTE)))
            yield f"later end +8 h, {hours} h", case
    yield "undeclared work", Case("", None, (target, later(target, 3 * HOUR)))


UNREADABLE_SHAPES = ("10:00-14:00", "22:00-02:00")


def fixed(day: dt.date, unreadable: bool = False) -> Iterator[tuple[str, Case]]:
    """Cases whose deadline is a fixed hour of the day after `day`: midnight or 08:00.

    With `unreadable`, also periods whose only actual row is rejected (two shapes suffice).
    """
    nxt = day + dt.timedelta(days=1)
    shapes = {
        "10:00-14:00": ((day, 10, 0), (day, 14, 0)),
        "16:00-20:00": ((day, 16, 0), (day, 20, 0)),
        "20:00-00:00": ((day, 20, 0), (nxt, 0, 0)),
        "22:00-02:00": ((day, 22, 0), (nxt, 2, 0)),
        "23:00-04:00": ((day, 23, 0), (nxt, 4, 0)),
        "00:30-04:00": ((day, 0, 30), (day, 4, 0)),  # over the night the clocks change
        "02:30-06:00": ((day, 2, 30), (day, 6, 0)),  # from the repeated (or skipped) hour
    }
    for name, (a, b) in shapes.items():
        try:
            start, end = brussels(*a), brussels(*b)
        except ValueError:
            continue  # an hour the clock skips
        yield f"no-show, absent, {name}", Case("", (start, end), None)
        yield f"no-show, no row, {name}", Case("", (start, end), None, absent_row=False)
        yield f"earlier end, {name}", Case("", (start, end), (start, later(end, -60 * MINUTE)))
        yield f"match, {name}", Case("", (start, end), (start, end))
        if unreadable and name in UNREADABLE_SHAPES:
            yield f"unreadable, {name}", Case("", (start, end), None, unreadable=True)
    for hh, mm, plus in ((19, 59, 0), (20, 0, 0), (22, 0, 0), (23, 59, 0), (0, 0, 1), (0, 1, 1)):
        try:
            end = brussels(day + dt.timedelta(days=plus), hh, mm)
        except ValueError:
            continue
        start = later(end, -4 * HOUR)
        yield f"later end at {hh:02d}:{mm:02d}", Case("", (start, end), (start, later(end, HOUR)))


def grid(run: Run) -> list[Case]:
    """Every case of one run, each with its worker and the oracle's expectation."""
    as_of = run.moment
    cases: list[Case] = []
    targets = [(f"{k:+d} min", later(as_of, k * MINUTE)) for k in (-1, 0, 1)]
    for other in run.also:
        targets += [(f"{other} {k:+d} min", later(moment(other), k * MINUTE)) for k in (-1, 0, 1)]
    for name, target in targets:
        for label, case in aimed(target):
            case.label, case.target = f"{label}, deadline {name}", target
            cases.append(case)
    day = as_of.date()
    for offset in (-2, -1, 0):
        for label, case in fixed(day + dt.timedelta(days=offset), unreadable=offset == -1):
            case.label = f"{label} on {day + dt.timedelta(days=offset):%d/%m}"
            cases.append(case)
    kept = []
    for case in cases:
        moments = [*(case.declared or ()), *(case.actual or ())]
        if not all(writable(m) for m in moments):
            continue  # a second reading of the repeated hour: no workbook can say it
        case.insz = insz(len(kept))
        case.label = f"{run.name}: {case.label} [{case.insz}]"
        if case.unreadable:
            case.expected = oracle.expect_unreadable()
        elif case.declared is None:
            assert case.actual is not None
            case.expected = oracle.expect_undeclared(case.actual[0], as_of)
        else:
            case.expected = oracle.expect(*case.declared, *(case.actual or (None, None)), as_of)
        kept.append(case)
    return kept


def late_in_grid(run: Run) -> list[tuple[str, str, dt.datetime]]:
    """Shifts starting the minute before, at and after the run (and the other reading)."""
    moments = [run.as_of, *run.also]
    shifts = []
    for text in moments:
        for k in (-1, 0, 1, 60, -60):
            start = later(moment(text), k * MINUTE)
            if writable(start):
                shifts.append((f"{run.name}: IN starting {text} {k:+d} min", start))
    return [(label, insz(500 + i), start) for i, (label, start) in enumerate(shifts)]


# --- the workbooks and the command line --------------------------------------------------


def roster_row(number: str, name: str, start: dt.datetime, end: dt.datetime) -> list[object]:
    start, end = start.astimezone(BRUSSELS), end.astimezone(BRUSSELS)
    return [*EMPLOYER, number, name, "W", start.date(), start.time(), end.time()]


def actual_row(case: Case, name: str) -> list[object] | None:
    if case.unreadable:
        start, end = (m.astimezone(BRUSSELS) for m in case.declared)  # type: ignore[union-attr]
        return [ENTERPRISE, case.insz, name, start.date(), "1x:00", end.time(), None]
    if case.actual is None:
        if not case.absent_row:
            return None
        day = case.declared[0].astimezone(BRUSSELS).date()  # type: ignore[index]
        return [ENTERPRISE, case.insz, name, day, None, None, "Niet opgedaagd"]
    start, end = (m.astimezone(BRUSSELS) for m in case.actual)
    return [ENTERPRISE, case.insz, name, start.date(), start.time(), end.time(), None]


def invoke(*args: object) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output


def sheet_rows(path: Path, sheet: str, headers: list[str]) -> list[dict[str, object]]:
    values = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    assert list(values[0][: len(headers)]) == headers
    rows = [dict(zip(headers, row, strict=False)) for row in values[1:]]
    for row in rows:  # the reports show 93.05.18-223.61; the cases know the digits
        row["INSZ"] = re.sub(r"\D", "", str(row["INSZ"] or ""))
    return rows


@dataclass
class Outcome:
    cases: list[Case]
    rows: dict[str, dict[str, object]]
    late_ins: list[tuple[str, str, dt.datetime]]
    receipts: dict[str, dict[str, object]]
    missing: list[str] = field(default_factory=list)


def execute(run: Run, folder: Path) -> Outcome:
    """Declare the grid's periods well before, then reconcile the actuals at the run."""
    cases = grid(run)
    first = min(utc(m) for c in cases for m in (*(c.declared or ()), *(c.actual or ())))
    declare_at = (first - dt.timedelta(days=1)).astimezone(BRUSSELS)
    names = {c.insz: f"Case{i}" for i, c in enumerate(cases)}
    roster = write_roster(
        folder / "roster.xlsx",
        [roster_row(c.insz, names[c.insz], *c.declared) for c in cases if c.declared],
        header=HEADER,
    )
    rows = [actual_row(c, names[c.insz]) for c in cases]
    actuals = write_roster(
        folder / "actuals.xlsx",
        [r for r in rows if r is not None],
        header=ACTUALS_HEADER,
        title_rows=(),
        sheet="Prikklok",
    )
    ledger = folder / "ledger.sqlite"
    invoke("declare", roster, "--ledger", ledger, "--out", folder / "d", "--as-of",
           f"{declare_at:%Y-%m-%d %H:%M}", "--lang", "en")  # fmt: skip
    declared = sheet_rows(folder / "d" / "receipts.xlsx", "Receipts", RECEIPT_HEADERS_EN)
    assert {r["Status"] for r in declared} == {"Accepted"}
    assert len(declared) == sum(c.declared is not None for c in cases)
    invoke("reconcile", actuals, "--ledger", ledger, "--out", folder / "r", "--as-of", run.as_of,
           "--lang", "en")  # fmt: skip
    report = sheet_rows(folder / "r" / "corrections.xlsx", "Corrections", CORRECTION_HEADERS_EN)
    by_insz = {str(r["INSZ"]): r for r in report}
    assert len(by_insz) == len(report), "one row per case"

    late_ins = late_in_grid(run)
    late_roster = write_roster(
        folder / "late.xlsx",
        [roster_row(n, "Late", s, later(s, 4 * HOUR)) for _, n, s in late_ins],
        header=HEADER,
    )
    invoke("declare", late_roster, "--ledger", folder / "late.sqlite", "--out", folder / "l",
           "--as-of", run.as_of, "--lang", "en")  # fmt: skip
    receipts = sheet_rows(folder / "l" / "receipts.xlsx", "Receipts", RECEIPT_HEADERS_EN)
    outcome = Outcome(cases, by_insz, late_ins, {str(r["INSZ"]): r for r in receipts})
    outcome.missing = sorted(set(by_insz) - {c.insz for c in cases})
    return outcome


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Run], Outcome]:
    """Each run's command lines once, shared by the tests that read its reports."""
    done: dict[str, Outcome] = {}

    def get(run: Run) -> Outcome:
        if run.name not in done:
            done[run.name] = execute(run, tmp_path_factory.mktemp(f"oracle-{run.name}"))
        return done[run.name]

    return get


# --- comparing -------------------------------------------------------------------------


def minute(value: object) -> object:
    """An Excel date-time read back, to the minute (Excel stores days as a float)."""
    if isinstance(value, dt.datetime):
        return (value + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)
    return value


def difference(case: Case) -> int | None:
    """Minutes worked minus minutes declared, in elapsed time (a DST night is 23 or 25 h)."""
    if case.actual is None:
        return None  # a no-show: what the report shows there is its own convention
    worked = oracle.elapsed_minutes(*case.actual)
    return worked - oracle.elapsed_minutes(*case.declared) if case.declared else worked


def disagreements(case: Case, row: dict[str, object] | None) -> list[str]:
    """Each field where the batch's row differs from the oracle: `field: oracle != batch`."""
    expected = case.expected
    assert expected is not None
    if row is None:
        return [f"no row in corrections.xlsx (oracle: {expected.findings})"]
    deadline = expected.deadline and shown(expected.deadline)
    pairs = {
        "Finding": (expected.findings, row["Finding"]),
        "Action": (expected.action, row["Action"]),
        "Deadline": (deadline, minute(row["Deadline"])),
        "Deadline status": (expected.status, row["Deadline status"]),
        "Result": (expected.result, RESULTS.get(row["Result"], row["Result"])),  # type: ignore[arg-type]
    }
    if case.unreadable:  # §3 names no deadline for it: the batch's own convention
        del pairs["Deadline"], pairs["Deadline status"]
    if case.actual is not None:
        pairs["Difference (minutes)"] = (difference(case), row["Difference (minutes)"])
    return [f"{name}: oracle {want!r} != batch {got!r}" for name, (want, got) in pairs.items()
            if want != got]  # fmt: skip


def late_in_disagreements(outcome: Outcome, run: Run) -> dict[str, str]:
    found = {}
    for label, number, start in outcome.late_ins:
        want = "W" if oracle.late_in(start, run.moment) else "A"
        receipt = outcome.receipts.get(number, {})
        got = RESULTS.get(receipt.get("Status"), receipt.get("Status"))  # type: ignore[arg-type]
        if want != got:
            found[label] = f"{label}: Status: oracle {want!r} != batch {got!r}"
    return found


def case_disagreements(outcome: Outcome) -> dict[str, str]:
    found = {}
    for case in outcome.cases:
        texts = disagreements(case, outcome.rows.get(case.insz))
        if texts:
            found[case.label.rsplit(" [", 1)[0]] = f"{case.label}: {'; '.join(texts)}"
    return found


def test_the_grid_hits_every_deadline_it_aims_at():
    """The generator's own check: hundreds of cases, every kind, deadlines where aimed."""
    total = 0
    for run in RUNS:
        cases = grid(run)
        total += len(cases)
        kinds = {c.expected.parts[0].finding for c in cases if c.expected}
        assert kinds >= {
            "actual hours unreadable",
            "match", "later start", "earlier start", "earlier end", "later end", "no-show",
            "undeclared work",
        }, run.name  # fmt: skip
        for case in cases:
            if case.target is not None:
                assert case.expected is not None
                deadlines = [utc(p.deadline) for p in case.expected.parts if p.deadline]
                assert utc(case.target) in deadlines, case.label
        near = [c for c in cases if c.target and abs(utc(c.target) - utc(run.moment)) <= MINUTE]
        assert len(near) >= 6, run.name  # the second reading: only +8 h ends reach it
        assert len({c.insz for c in cases}) == len(cases)
        assert len({c.label.rsplit(" [", 1)[0] for c in cases}) == len(cases)
    assert total >= 600


@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_corrections_agree_with_the_oracle(run, outcomes):
    outcome = outcomes(run)
    assert list(case_disagreements(outcome).values()) == []
    assert outcome.missing == [], "rows for workers outside the grid"


@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_late_ins_agree_with_the_oracle(run, outcomes):
    outcome = outcomes(run)
    assert list(late_in_disagreements(outcome, run).values()) == []


def test_an_as_of_in_the_spring_gap_is_an_error(tmp_path):
    """29/03/2026 02:30 never happened in Brussels: no run may pretend it did."""
    with pytest.raises(ValueError):
        moment("2026-03-29 02:30")  # the oracle's reading
    shift = roster_row(insz(1), "Gap", moment("2026-03-30 10:00"), moment("2026-03-30 14:00"))
    roster = write_roster(tmp_path / "r.xlsx", [shift])
    args = ["declare", roster, "--ledger", tmp_path / "l", "--out", tmp_path / "o"]
    result = CliRunner().invoke(main, [str(a) for a in args] + ["--as-of", "2026-03-29 02:30"])
    assert result.exit_code == 2, result.output
    assert "2026-03-29 02:30" in result.output or "29/03/2026 02:30" in result.output
    assert not (tmp_path / "l").exists()


@pytest.mark.parametrize(
    "other_day", [False, True], ids=["file-covers-only-the-evening", "file-covers-both-days"]
)
def test_arrival_before_midnight_for_a_shift_after_midnight(tmp_path, other_day):
    """Clocked in 25/06 23:50 for 26/06 00:30-04:00: an earlier start, whatever days the file
    covers (the grid's files cover every day, so this case gets files of its own)."""
    as_of = moment("2026-06-26 08:00")
    declared = (moment("2026-06-26 00:30"), moment("2026-06-26 04:00"))
    case = Case("early", declared, (moment("2026-06-25 23:50"), declared[1]), insz=insz(7))
    case.expected = oracle.expect(*declared, *case.actual, as_of)  # type: ignore[misc]
    assert (case.expected.findings, case.expected.status) == ("earlier start", "late")
    rows = [actual_row(case, "Early")]
    if other_day:  # another worker clocked on 26/06, so the file speaks for that day too
        rows.append([ENTERPRISE, insz(8), "Other", dt.date(2026, 6, 26), dt.time(10), dt.time(14)])
    roster = write_roster(tmp_path / "r.xlsx", [roster_row(case.insz, "Early", *declared)])
    actuals = write_roster(tmp_path / "a.xlsx", rows, header=ACTUALS_HEADER, title_rows=())
    ledger, at = tmp_path / "l.sqlite", "--as-of"
    invoke("declare", roster, "--ledger", ledger, "--out", tmp_path / "d", at, "2026-06-20 12:00")
    invoke("reconcile", actuals, "--ledger", ledger, "--out", tmp_path / "o", at, f"{as_of:%F %R}",
           "--lang", "en")  # fmt: skip
    report = sheet_rows(tmp_path / "o" / "corrections.xlsx", "Corrections", CORRECTION_HEADERS_EN)
    early = [r for r in report if r["INSZ"] == case.insz]
    assert len(early) == 1, early
    assert disagreements(case, early[0]) == []
