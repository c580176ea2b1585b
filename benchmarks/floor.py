"""The I/O floor of a run: read its input, write its output, and do nothing in between.

A `declare` (or `reconcile`) run reads workbooks and writes reports. Its floor is what no
implementation can avoid: reading the same input files with python-calamine (every sheet,
as the batch reads them) and writing the same report cells with xlsxwriter (constant
memory, as the batch writes them) and the same HTML bytes. `bench.py` runs the batch and
this floor alternately and divides one by the other.

    python benchmarks/floor.py prepare RUN_OUT SPEC      # once, not timed
    python benchmarks/floor.py run SPEC FLOOR_OUT INPUT...   # timed as a whole process

`prepare` reads back every report the run wrote into RUN_OUT: each workbook's cells (an
Excel date-time as the number it is stored as, with its date-time format) and each other
file's path. `run` loads that description chunk by chunk (and reads those files' bytes),
which is not the floor's work: it times that loading itself and prints it as JSON, and
`bench.py` subtracts it from the process's figures. The floor's own reading only walks the
input's rows: it keeps none of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import marshal
import sys
import time
from pathlib import Path

_EPOCH = dt.datetime(1899, 12, 30)
_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_CHUNK = 5000  # rows per record of the description


def _serial(value: object) -> object:
    """A calamine value as marshal can keep it; a date or time as (Excel serial,)."""
    if isinstance(value, dt.datetime):
        return ((value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400,)
    if isinstance(value, dt.date):
        return (float((value - _EPOCH.date()).days),)
    if isinstance(value, dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return (seconds / 86400,)
    if isinstance(value, dt.timedelta):
        return (value.total_seconds() / 86400,)
    return value


def reports(folder: Path) -> list[Path]:
    """The report files of a run's --out folder, temporaries left out, in a stable order."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def prepare(run_out: Path, spec: Path) -> dict:
    """Describe what the run wrote, as a stream of marshal records the floor reads in turn:
    a workbook's sheets in chunks of rows (so the floor never holds all of them), another
    file by its path."""
    from python_calamine import load_workbook

    files = cells = 0
    spec.parent.mkdir(parents=True, exist_ok=True)
    with spec.open("wb") as stream:
        for path in reports(run_out):
            files += 1
            name = str(path.relative_to(run_out))
            if path.suffix != ".xlsx":
                marshal.dump(("bytes", name, str(path.resolve())), stream)
                continue
            marshal.dump(("xlsx", name), stream)
            workbook = load_workbook(str(path))
            for sheet_name in workbook.sheet_names:
                marshal.dump(("sheet", sheet_name), stream)
                chunk: list[list] = []
                for row in workbook.get_sheet_by_name(sheet_name).iter_rows():
                    chunk.append([_serial(v) for v in row])
                    cells += sum(1 for v in row if v != "")
                    if len(chunk) == _CHUNK:
                        marshal.dump(("rows", chunk), stream)
                        chunk = []
                if chunk:
                    marshal.dump(("rows", chunk), stream)
            marshal.dump(("close",), stream)
        marshal.dump(("end",), stream)
    return {"files": files, "cells": cells}


class _Stopwatch:
    """CPU and wall seconds spent inside `with` blocks, summed."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0

    def __enter__(self) -> None:
        self._cpu, self._wall = time.process_time(), time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.cpu += time.process_time() - self._cpu
        self.wall += time.perf_counter() - self._wall


def _workbook(path: Path):
    import xlsxwriter

    return xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )


def _write_rows(sheet, moment, first: int, rows: list) -> None:
    write_string, write_number = sheet.write_string, sheet.write_number
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(r, c, value)
            elif kind is tuple:
                write_number(r, c, value[0], moment)
            elif kind is bool:
                sheet.write_boolean(r, c, value)
            elif value is not None:
                write_number(r, c, value)


def _copy(source: str, target: Path, loading: _Stopwatch) -> None:
    """The bytes of `source` into `target`; only the writing is the floor's."""
    with open(source, "rb") as read, target.open("wb") as write:
        while True:
            with loading:
                block = read.read(1 << 20)
            if not block:
                break
            write.write(block)


def run(spec: Path, out: Path, inputs: list[Path]) -> dict:
    """Read the inputs, write the described reports into `out`; the loading timed apart."""
    from python_calamine import load_workbook

    read = 0
    for path in inputs:
        workbook = load_workbook(str(path))
        for sheet_name in workbook.sheet_names:
            for _ in workbook.get_sheet_by_name(sheet_name).iter_rows():
                read += 1

    loading = _Stopwatch()
    out.mkdir(parents=True, exist_ok=True)
    workbook = sheet = moment = None
    row = 0
    with spec.open("rb") as stream:
        while True:
            with loading:
                record = marshal.load(stream)
            kind = record[0]
            if kind == "end":
                break
            if kind == "bytes":
                target = out / record[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                _copy(record[2], target, loading)
            elif kind == "xlsx":
                target = out / record[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                workbook = _workbook(target)
                moment = workbook.add_format({"num_format": _DATETIME_FORMAT})
            elif kind == "sheet":
                sheet, row = workbook.add_worksheet(record[1]), 0
            elif kind == "rows":
                _write_rows(sheet, moment, row, record[1])
                row += len(record[1])
            else:
                workbook.close()
    return {"load_cpu": loading.cpu, "load_wall": loading.wall, "rows_read": read}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The I/O floor of a declare or reconcile run.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare", help="describe the reports a run wrote (not timed)")
    p.add_argument("run_out", type=Path)
    p.add_argument("spec", type=Path)
    r = commands.add_parser("run", help="read the inputs and write those reports (timed)")
    r.add_argument("spec", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("inputs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        result = prepare(args.run_out, args.spec)
    else:
        result = run(args.spec, args.out, args.inputs)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
