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
file's path. `run` loads that description, which is not the floor's work: it measures the
load itself and prints it as JSON, and `bench.py` subtracts it from the process's figures.
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
    """Describe what the run wrote: workbooks as cells, other files by path."""
    from python_calamine import load_workbook

    items: list[tuple] = []
    cells = 0
    for path in reports(run_out):
        name = str(path.relative_to(run_out))
        if path.suffix == ".xlsx":
            workbook = load_workbook(str(path))
            sheets = []
            for sheet_name in workbook.sheet_names:
                rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
                kept = [[_serial(v) for v in row] for row in rows]
                cells += sum(1 for row in rows for v in row if v != "")
                sheets.append((sheet_name, kept))
            items.append(("xlsx", name, sheets))
        else:
            items.append(("bytes", name, str(path.resolve())))
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_bytes(marshal.dumps(items))
    return {"files": len(items), "cells": cells}


def _write_workbook(path: Path, sheets: list) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    try:
        moment = workbook.add_format({"num_format": _DATETIME_FORMAT})
        for sheet_name, rows in sheets:
            sheet = workbook.add_worksheet(sheet_name)
            write_string, write_number = sheet.write_string, sheet.write_number
            for r, row in enumerate(rows):
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
    finally:
        workbook.close()


def run(spec: Path, out: Path, inputs: list[Path]) -> dict:
    """Read the inputs, write the described reports into `out`; the load time apart."""
    cpu, wall = time.process_time(), time.perf_counter()
    items = marshal.loads(spec.read_bytes())
    blobs = {name: Path(source).read_bytes() for kind, name, source in items if kind == "bytes"}
    load = {"load_cpu": time.process_time() - cpu, "load_wall": time.perf_counter() - wall}

    from python_calamine import load_workbook

    read = 0
    for path in inputs:
        workbook = load_workbook(str(path))
        for sheet_name in workbook.sheet_names:
            read += len(workbook.get_sheet_by_name(sheet_name).to_python())

    out.mkdir(parents=True, exist_ok=True)
    for kind, name, content in items:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "xlsx":
            _write_workbook(target, content)
        else:
            target.write_bytes(blobs[name])
    return {**load, "rows_read": read}


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
