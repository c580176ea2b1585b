"""How fast, and in how much memory, rosters become declarations: every figure of `make bench`.

Run from the repository root (`make bench`):

    .venv/bin/python benchmarks/bench.py [--sizes 10k,100k,1M] [--history 1M] [--repeat 2]
                                         [--profile]

Every figure is a whole process (`dimona-batch declare ...`, the command a user runs) timed
from outside: wall seconds around it, user + system CPU seconds and peak resident memory
from its own rusage (os.wait4, so one child's figures are never mixed with another's).
What is compared is measured alternately in one run (run, floor, run, floor, ...), so a
machine that slows down or speeds up weighs on both sides; a ratio is the median of the
pair-by-pair ratios.

- floor: `floor.py` reads the same input with python-calamine and writes the same report
  cells with xlsxwriter and the same HTML bytes (declare at every size, reconcile at 100k).
- 1M (with `--sizes 1M`): wall, CPU, peak RSS and the CPU per shift against 100k.
- start-up: `dimona-batch --help` against `python -c pass`; a 300-shift roster declared
  against `python -c "import pandas, pandera"`.
- re-run: the unchanged 100k roster declared again on the ledger of its first run.
- many files: a folder of 200 rosters of 50 shifts (one client each) against one 10k roster.
- history: the 10k roster declared on a ledger (and sandbox NSSO state) holding `--history`
  earlier periods of the same employers and workers (default 100k, and 1M when `--sizes`
  asks for 1M), against an empty ledger.

The 10k and 100k rosters are always measured (the figures above need them); `--sizes`
adds others. Rosters, actuals and history ledgers are cached in benchmarks/out/ (ignored
by git), keyed by the generator's source and the ledger's schema.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
OUT = HERE / "out"
LOGS = OUT / "logs"
AS_OF = "2026-06-28 12:00"
RECONCILE_AS_OF = "2026-07-06 12:00"  # the Monday after the week: its time-clock export
SMALL, LARGE = 10_000, 100_000
DEFAULT_SIZES = (SMALL, LARGE)
DEFAULT_HISTORY = 100_000
GIB = 1024 * 1024 * 1024


@dataclass
class Run:
    """One finished child: wall and CPU seconds, peak resident bytes, what it printed."""

    wall: float
    cpu: float
    rss: int
    output: str


def _rss_bytes(maxrss: int) -> int:
    """ru_maxrss is in kilobytes on Linux, in bytes on macOS."""
    return maxrss if sys.platform == "darwin" else maxrss * 1024


def timed(command: list[str], log: str) -> Run:
    """Run `command` from the repository root; its output goes to benchmarks/out/logs/."""
    LOGS.mkdir(parents=True, exist_ok=True)
    path = LOGS / f"{log}.log"
    with path.open("w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: done, something needs a person (the sandbox's late INs)
        raise SystemExit(f"{' '.join(command)} failed (exit {code}); see {path}")
    return Run(wall, usage.ru_utime + usage.ru_stime, _rss_bytes(usage.ru_maxrss), path.read_text())


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("dimona-batch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "batch"]


def _remove_ledger(ledger: Path) -> None:
    for path in (ledger, _state(ledger)):
        for suffix in ("", "-journal", "-wal", "-shm", ".checked"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _copy_ledger(source: Path, target: Path) -> None:
    """A ledger and its sandbox NSSO state, copied (the copy is what a run may change)."""
    _remove_ledger(target)
    pairs = [(source, target), (_state(source), _state(target))]
    for suffix in ("", "-wal"):
        for s, t in pairs:
            s = s.with_name(s.name + suffix)
            if s.exists():
                shutil.copyfile(s, t.with_name(t.name + suffix))


def _as_left_by_a_run(ledger: Path) -> None:
    """A copied ledger is checked whole when next opened (it is not as a run left it); an
    office's ledger is as its last run left it, so the copy is opened once, untimed."""
    code = f"from batch.ledger import Ledger; Ledger({str(ledger)!r}).close()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def _state(ledger: Path) -> Path:
    """The sandbox NSSO's state beside a ledger (`batch.channels.sandbox.sandbox_state`)."""
    return ledger.with_name(f"{ledger.stem}.nsso.sqlite")


class Bench:
    """The runs of one `make bench`, by label."""

    def __init__(self) -> None:
        self.runs: dict[str, list[Run]] = {}
        self.cli = _cli()

    def add(self, label: str, run: Run) -> Run:
        self.runs.setdefault(label, []).append(run)
        print(
            f"  {label:<28} wall {run.wall:7.2f} s  cpu {run.cpu:7.2f} s  "
            f"peak {run.rss / 2**20:7.0f} MB",
            flush=True,
        )
        return run

    def declare(self, label: str, roster: Path, ledger: Path, out: Path, fresh: bool) -> Run:
        if fresh:
            _remove_ledger(ledger)
        shutil.rmtree(out, ignore_errors=True)
        command = [*self.cli, "declare", str(roster), "--ledger", str(ledger), "--out", str(out)]
        command += ["--as-of", AS_OF, "--lang", "en"]
        return self.add(label, timed(command, _slug(label)))

    def reconcile(self, label: str, actuals: Path, ledger: Path, out: Path) -> Run:
        shutil.rmtree(out, ignore_errors=True)
        command = [*self.cli, "reconcile", str(actuals), "--ledger", str(ledger)]
        command += ["--out", str(out), "--as-of", RECONCILE_AS_OF, "--lang", "en"]
        return self.add(label, timed(command, _slug(label)))

    def floor(self, label: str, spec: Path, inputs: list[Path]) -> Run:
        """The floor's process, less the loading of what it writes (not the floor's work)."""
        out = OUT / f"{_slug(label)}-out"
        shutil.rmtree(out, ignore_errors=True)
        command = [sys.executable, str(HERE / "floor.py"), "run", str(spec), str(out)]
        run = timed([*command, *map(str, inputs)], _slug(label))
        load = json.loads(run.output.strip().splitlines()[-1])
        return self.add(
            label, Run(run.wall - load["load_wall"], run.cpu - load["load_cpu"], run.rss, "")
        )

    def python(self, label: str, code: str) -> Run:
        return self.add(label, timed([sys.executable, "-c", code], _slug(label)))

    # --- figures ------------------------------------------------------------------------

    def median(self, label: str, what: str = "cpu") -> float:
        return statistics.median(getattr(r, what) for r in self.runs[label])

    def peak(self, label: str) -> int:
        return max(r.rss for r in self.runs[label])

    def ratio(self, a: str, b: str, what: str = "cpu") -> float:
        """The median of the pair-by-pair ratios a/b (runs alternated, so drift cancels)."""
        pairs = zip(self.runs[a], self.runs[b], strict=False)
        return statistics.median(getattr(x, what) / getattr(y, what) for x, y in pairs)


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()


def _size_text(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def _sizes(text: str) -> tuple[int, ...]:
    """`10k,100k,1M` or `10000,100000`."""
    found = []
    for part in text.replace("_", "").split(","):
        part = part.strip().lower()
        if not part:
            continue
        scale = {"k": 1000, "m": 1_000_000}.get(part[-1], 1)
        found.append(int(float(part.rstrip("km")) * scale))
    return tuple(found)


# --- inputs: generated once, cached ----------------------------------------------------


def _generator_key() -> str:
    return hashlib.sha1((HERE / "generate.py").read_bytes()).hexdigest()[:8]


def _in_child(code: str) -> None:
    """Generate in a child: the parent stays small. (A child's peak RSS as the kernel counts
    it starts from its parent's at the fork, so a parent holding pandas would show in every
    child's figure.)"""
    subprocess.run([sys.executable, "-c", code], cwd=HERE, check=True)


def _cached(path: Path, call: str) -> Path:
    """`call` (a generate.py function call with TARGET for the path) made once per key."""
    if not path.exists():
        started = time.perf_counter()
        temporary = path.with_name(f".{path.name}.part")
        shutil.rmtree(temporary, ignore_errors=True)
        temporary.unlink(missing_ok=True)
        _in_child(f"import generate; generate.{call.replace('TARGET', repr(str(temporary)))}")
        temporary.rename(path)
        print(f"  generated {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def roster(shifts: int) -> Path:
    path = OUT / f"roster-{shifts}-{_generator_key()}.xlsx"
    return _cached(path, f"generate_roster(TARGET, {shifts})")


def actuals(shifts: int) -> Path:
    path = OUT / f"actuals-{shifts}-{_generator_key()}.xlsx"
    return _cached(path, f"generate_actuals(TARGET, {shifts})")


def folder(files: int, shifts: int) -> Path:
    path = OUT / f"folder-{files}x{shifts}-{_generator_key()}"
    return _cached(path, f"generate_folder(TARGET, {files}, {shifts})")


def history(periods: int) -> Path:
    """The cached history ledger (benchmarks/history.py), built in a child."""
    command = [sys.executable, str(HERE / "history.py"), str(periods)]
    done = subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    for line in done.stdout.splitlines()[:-1]:
        print(f"  {line}", flush=True)
    return Path(done.stdout.splitlines()[-1])


# --- the blocks: what is compared runs alternately ---------------------------------------


def declare_block(bench: Bench, shifts: int, repeats: int, history_size: int) -> None:
    """declare, floor (and at 100k re-run, reconcile, its floor; at 10k many files, history)."""
    size = _size_text(shifts)
    print(f"{size} shifts ({repeats} round{'s' * (repeats > 1)}):", flush=True)
    source = roster(shifts)
    ledger, out = OUT / f"ledger-{size}.sqlite", OUT / f"reports-{size}"
    spec = OUT / f"floor-{size}.spec"
    extra: dict[str, Path] = {}
    if shifts == LARGE:
        extra["actuals"] = actuals(shifts)
    if shifts == SMALL:
        extra["folder"] = folder(200, 50)
        extra["history"] = history(history_size)
    for i in range(repeats):
        bench.declare(f"declare {size}", source, ledger, out, fresh=True)
        if i == 0:
            _prepare(out, spec)
        bench.floor(f"floor {size}", spec, [source])
        if shifts == LARGE:
            bench.declare("re-run 100k", source, ledger, OUT / "reports-rerun", fresh=False)
            rout, rspec = OUT / "reports-reconcile", OUT / "floor-reconcile.spec"
            bench.reconcile("reconcile 100k", extra["actuals"], ledger, rout)
            if i == 0:
                _prepare(rout, rspec)
            bench.floor("reconcile floor 100k", rspec, [extra["actuals"]])
        if shifts == SMALL:
            files = extra["folder"]
            bench.declare(
                "200 files x 50", files, OUT / "ledger-folder.sqlite", OUT / "reports-folder", True
            )
            run_ledger = OUT / "ledger-history.sqlite"
            _copy_ledger(extra["history"], run_ledger)
            _as_left_by_a_run(run_ledger)
            label = f"10k on {_size_text(history_size)} history"
            bench.declare(label, source, run_ledger, OUT / "reports-history", fresh=False)


def _prepare(run_out: Path, spec: Path) -> None:
    command = [sys.executable, str(HERE / "floor.py"), "prepare", str(run_out), str(spec)]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def startup(bench: Bench, runs: int = 5) -> None:
    """`--help` against `python -c pass`; 300 shifts against the libraries the batch needs."""
    print(f"start-up ({runs} rounds):", flush=True)
    small = roster(300)
    for _ in range(runs):
        bench.python("python -c pass", "pass")
        bench.add("dimona-batch --help", timed([*bench.cli, "--help"], "help"))
    for _ in range(runs):
        bench.python("import pandas, pandera", "import pandas, pandera")
        bench.declare(
            "declare 300", small, OUT / "ledger-300.sqlite", OUT / "reports-300", fresh=True
        )


def profile(bench: Bench, shifts: int = LARGE, top: int = 25) -> str:
    """cProfile of one declare: the batch's own functions, by cumulative time."""
    import pstats

    source, ledger = roster(shifts), OUT / "ledger-profile.sqlite"
    out, stats_file = OUT / "reports-profile", OUT / f"profile-{_size_text(shifts)}.prof"
    _remove_ledger(ledger)
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "batch"]
    command += ["declare", str(source), "--ledger", str(ledger), "--out", str(out)]
    command += ["--as-of", AS_OF, "--lang", "en"]
    run = timed(command, "profile")
    text = _profile_text(pstats, stats_file, top)
    return f"profile of declare {_size_text(shifts)} (under cProfile: {run.cpu:.1f} CPU s)\n{text}"


def _profile_text(pstats, stats_file: Path, top: int) -> str:
    stats = pstats.Stats(str(stats_file))
    total = max((v[3] for v in stats.stats.values()), default=1e-9)  # type: ignore[attr-defined]
    own = str(ROOT / "batch") + os.sep
    rows = []
    for (file, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if file.startswith(own):
            where = f"{Path(file).relative_to(ROOT)}:{line}({name})"
            rows.append((cumtime, tottime, calls, where))
    rows.sort(reverse=True)
    lines = [f"{'cum s':>8} {'cum %':>6} {'own s':>8} {'calls':>10}  function"]
    for cumtime, tottime, calls, where in rows[:top]:
        lines.append(
            f"{cumtime:8.2f} {100 * cumtime / total:5.1f}% {tottime:8.2f} {calls:>10,}  {where}"
        )
    return "\n".join(lines)


# --- the table ---------------------------------------------------------------------------


def table(bench: Bench, sizes: tuple[int, ...], history_size: int) -> str:
    rows: list[tuple[str, str, str, str]] = []

    def ratio(figure: str, a: str, b: str, target: float) -> None:
        if a not in bench.runs or b not in bench.runs:
            return
        cpu, wall = bench.ratio(a, b), bench.ratio(a, b, "wall")
        measured = f"{cpu:.2f}x cpu ({wall:.2f}x wall)"
        rows.append((figure, measured, f"<= {target:g}x", "ok" if cpu <= target else "over"))

    for shifts in sizes:
        size = _size_text(shifts)
        target = 2.0 if shifts <= SMALL else 1.5
        ratio(f"declare {size} / its I/O floor", f"declare {size}", f"floor {size}", target)
    ratio("reconcile 100k / its I/O floor", "reconcile 100k", "reconcile floor 100k", 1.5)
    big = [s for s in sizes if s >= 1_000_000]
    for shifts in big:
        size, label = _size_text(shifts), f"declare {_size_text(shifts)}"
        peak = bench.peak(label)
        rows.append(
            (f"{size}: peak RSS", f"{peak / GIB:.2f} GiB", "<= 1.5 GiB", _ok(peak <= 1.5 * GIB))
        )
        cpu = bench.median(label)
        rows.append(
            (
                f"{size}: CPU (wall)",
                f"{cpu:.0f} s ({bench.median(label, 'wall'):.0f} s)",
                "<= 240 s",
                _ok(cpu <= 240),
            )
        )
        per = (cpu / shifts) / (bench.median("declare 100k") / LARGE)
        rows.append((f"{size}: CPU per shift vs 100k", f"{per:.2f}x", "<= 1.1x", _ok(per <= 1.1)))
    ratio("dimona-batch --help / python -c pass", "dimona-batch --help", "python -c pass", 10)
    ratio("300 shifts / import pandas, pandera", "declare 300", "import pandas, pandera", 1.3)
    ratio("re-run 100k / first run", "re-run 100k", "declare 100k", 0.15)
    ratio("200 files x 50 / one 10k file", "200 files x 50", "declare 10k", 1.3)
    history = f"10k on {_size_text(history_size)} history"
    ratio(f"{history} / empty ledger", history, "declare 10k", 1.2)

    width = max(len(r[0]) for r in rows)
    mwidth = max(len(r[1]) for r in rows)
    lines = [f"{'figure':<{width}}  {'measured':<{mwidth}}  {'target':<10}  verdict"]
    lines.append("-" * len(lines[0]))
    lines += [f"{f:<{width}}  {m:<{mwidth}}  {t:<10}  {v}" for f, m, t, v in rows]
    return "\n".join(lines)


def _ok(good: bool) -> str:
    return "ok" if good else "over"


def runs_table(bench: Bench) -> str:
    header = f"{'run':<28} {'n':>2} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}"
    lines = [header, "-" * len(header)]
    for label, runs in bench.runs.items():
        lines.append(
            f"{label:<28} {len(runs):>2} {bench.median(label, 'wall'):8.2f} "
            f"{bench.median(label):8.2f} {bench.peak(label) / 2**20:8.0f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Every figure of issue 11, side by side.")
    parser.add_argument(
        "--sizes", type=_sizes, default=DEFAULT_SIZES, help="declare sizes (default 10k,100k)"
    )
    parser.add_argument(
        "--history",
        type=lambda text: _sizes(text)[0],
        default=None,
        help="earlier periods in the history ledger (default 100k; 1M with --sizes 1M)",
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="rounds at 100k and up (default 2; 10k: 5)"
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile a declare of 100k")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    sizes = tuple(sorted({SMALL, LARGE, *args.sizes}))
    if args.history is None:  # the history figure is on 1M periods: with the 1M run
        args.history = 1_000_000 if max(sizes) >= 1_000_000 else DEFAULT_HISTORY
    started = time.perf_counter()
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} at the start "
        f"(a loaded machine stretches wall time more than CPU time)",
        flush=True,
    )
    # The batch as installed: pip compiles its modules at install time; a checkout (or a
    # shell with PYTHONDONTWRITEBYTECODE) would compile them again in every timed run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "batch")], check=True)
    bench = Bench()
    startup(bench)
    for shifts in sizes:
        repeats = max(5, args.repeat) if shifts <= SMALL else args.repeat  # its runs are short
        if shifts >= 1_000_000:
            repeats = 1
        declare_block(bench, shifts, repeats, args.history)
    print()
    print(runs_table(bench))
    print()
    print(table(bench, sizes, args.history))
    load = os.getloadavg()
    print(f"\n{time.perf_counter() - started:.0f} s in all; load average {load[0]:.1f} at the end")
    if args.profile:
        print()
        print(profile(bench))


if __name__ == "__main__":
    main()
