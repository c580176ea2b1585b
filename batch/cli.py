"""The command line: parse options, call the pipeline, print a summary, set the exit status."""

from __future__ import annotations

import shutil
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import pipeline
from .model import Severity
from .pipeline import InputError, RunResult
from .rules import load_rules
from .timeparse import HOURS

_ATTENTION = {"rejected", "late", "held", "warned", "manual"}
STAGES = ("read", "validate", "plan", "file", "record", "render")
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DEMO_AS_OF = "2026-06-28 12:00"
DEMO_CHANGES_AS_OF = "2026-06-29 09:00"
DEMO_ACTUALS_AS_OF = "2026-07-01 01:00"

console = Console(stderr=False, highlight=False)


def _options(function: Callable) -> Callable:
    options = [
        click.option(
            "--ledger",
            type=click.Path(dir_okay=False, path_type=Path),
            help=f"SQLite ledger file [env {pipeline.LEDGER_ENV}; "
            f"default ./{pipeline.DEFAULT_LEDGER}]",
        ),
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("reports"),
            show_default=True,
            help="Folder for the reports.",
        ),
        click.option(
            "--as-of",
            "as_of",
            metavar="'YYYY-MM-DD HH:MM'",
            help="The moment the batch runs, Europe/Brussels [default: now].",
        ),
        click.option(
            "--lang",
            type=click.Choice(["nl", "fr", "en"]),
            default="nl",
            show_default=True,
            help="Language of the reports.",
        ),
        click.option(
            "--channel",
            type=click.Choice(list(pipeline.CHANNELS)),
            default="sandbox",
            show_default=True,
            help="How declarations are filed.",
        ),
        click.option(
            "--dry-run",
            is_flag=True,
            help="Validate and plan, write the validation report; file nothing.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


_hours_option = click.option(
    "--hours",
    type=click.Choice(list(HOURS)),
    help="How this client writes 9.5: decimal (09:30) or clock (09:50) "
    "[default: such a cell is an error naming both].",
)


def _rules_hours(path: Path) -> str | None:
    """The `hours = "decimal"` line of a --rules file, checked like the option."""
    value = tomllib.loads(path.read_text(encoding="utf-8")).get("hours")
    if value is not None and value not in HOURS:
        raise click.BadParameter(f"hours = {value!r}; expected one of {', '.join(HOURS)}")
    return value


@click.group()
@click.version_option(package_name="dimona-batch")
def main() -> None:
    """Weekly flexi-job rosters to daily Dimona declarations, receipts and corrections."""


@main.command()
@click.argument("rosters", nargs=-1, required=True, type=click.Path(path_type=Path))
@_options
@click.option(
    "--add-only", is_flag=True, help="Only add new shifts; never update or cancel what is declared."
)
@click.option(
    "--year",
    type=click.IntRange(2000, 2099),
    help="Year of dates written without one (ma 29/06) on sheets that show no year.",
)
@_hours_option
def declare(rosters, ledger, out, as_of, lang, channel, dry_run, add_only, year, hours) -> None:
    """Declare the shifts of ROSTERS (.xlsx files or folders of them).

    Example: dimona-batch declare roster.xlsx --as-of "2026-06-28 12:00"
    """
    result = _run(
        lambda stage: pipeline.declare(
            rosters,
            ledger=ledger,
            out=out,
            as_of=pipeline.parse_as_of(as_of),
            lang=lang,
            channel=channel,
            dry_run=dry_run,
            add_only=add_only,
            stage=stage,
            year=year,
            hours=hours,
        )
    )
    _report(result)
    sys.exit(result.exit_status)


@main.command()
@click.argument("actuals", nargs=-1, required=True, type=click.Path(path_type=Path))
@_options
@click.option(
    "--tolerance",
    type=click.IntRange(0, 240),
    default=0,
    show_default=True,
    metavar="MINUTES",
    help="Differences this small count as a match.",
)
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file overriding rows of the deadline rule table.",
)
@_hours_option
def reconcile(
    actuals, ledger, out, as_of, lang, channel, dry_run, tolerance, rules_file, hours
) -> None:
    """Hold ACTUALS (actual hours, .xlsx) against what was declared; file corrections.

    Example: dimona-batch reconcile actuals.xlsx --as-of "2026-06-30 01:00"
    """
    rules = load_rules(rules_file) if rules_file else None
    hours = hours or (_rules_hours(rules_file) if rules_file else None)
    result = _run(
        lambda stage: pipeline.reconcile(
            actuals,
            ledger=ledger,
            out=out,
            as_of=pipeline.parse_as_of(as_of),
            lang=lang,
            channel=channel,
            dry_run=dry_run,
            tolerance=tolerance,
            rules=rules,
            stage=stage,
            hours=hours,
        )
    )
    _report(result)
    sys.exit(result.exit_status)


@main.command(name="import")
@click.argument("worksheet", type=click.Path(path_type=Path))
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"SQLite ledger file [env {pipeline.LEDGER_ENV}]",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for the reports.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="'YYYY-MM-DD HH:MM'",
    help="The moment of the import, Europe/Brussels [default: now].",
)
@click.option("--lang", type=click.Choice(["nl", "fr", "en"]), default="nl", show_default=True)
def import_(worksheet, ledger, out, as_of, lang) -> None:
    """Record the period numbers and statuses typed on a web-form WORKSHEET.

    Example: dimona-batch import reports/worksheet.xlsx --as-of "2026-06-28 13:10"
    """
    result = _run(
        lambda stage: pipeline.import_worksheet(
            worksheet,
            ledger=ledger,
            out=out,
            as_of=pipeline.parse_as_of(as_of),
            lang=lang,
            stage=stage,
        )
    )
    _report(result)
    sys.exit(result.exit_status)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/demo"),
    show_default=True,
)
@click.option("--lang", type=click.Choice(["nl", "fr", "en"]), default="nl", show_default=True)
def demo(out: Path, lang: str) -> None:
    """Run the sample week: declare it, declare the corrected roster, reconcile actual hours."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ledger = out / "ledger.sqlite"
    steps = [
        ("1. Roster week 27", pipeline.declare, "roster-week27.xlsx", DEMO_AS_OF, out),
        (
            "2. Corrected roster",
            pipeline.declare,
            "roster-week27-v2.xlsx",
            DEMO_CHANGES_AS_OF,
            out / "changes",
        ),
        (
            "3. Actual hours",
            pipeline.reconcile,
            "actuals-week27.xlsx",
            DEMO_ACTUALS_AS_OF,
            out / "reconcile",
        ),
    ]
    for title, job, sample, as_of, folder in steps:
        console.rule(f"{title} ({sample}), as of {as_of}")
        result = _run(
            lambda stage, job=job, sample=sample, as_of=as_of, folder=folder: job(
                [SAMPLES / sample],
                ledger=ledger,
                out=folder,
                as_of=pipeline.parse_as_of(as_of),
                lang=lang,
                stage=stage,
            )
        )
        _report(result)
    console.print(
        f"\nOpen [bold]{out}/receipts.html[/] and [bold]{out}/validation.html[/]; "
        f"the corrected roster's reports are in [bold]{out}/changes/[/], the correction "
        f"report in [bold]{out}/reconcile/corrections.html[/]."
    )


def _run(job: Callable[[Callable[[str], None]], RunResult]) -> RunResult:
    """Run a pipeline job with a progress line per stage; usage errors exit with 2."""
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task("starting", total=len(STAGES))

            def stage(name: str) -> None:
                bar.update(task, description=name, completed=STAGES.index(name))

            return job(stage)
    except InputError as error:
        console.print(f"[red]error:[/] {escape(str(error))}")
        sys.exit(2)


def _report(result: RunResult) -> None:
    counts = result.counts
    table = Table(title="dry run: nothing filed" if result.dry_run else None)
    table.add_column("actual shifts" if result.command == "reconcile" else "shifts")
    table.add_column("", justify="right")
    for name, value in counts.items():
        table.add_row(name, str(value), style="bold yellow" if value and name in _ATTENTION else "")
    console.print(table)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    warnings = [p for p in result.problems if p.severity is Severity.WARNING]
    for p in errors[:10]:
        console.print(f"[red]error[/]   {escape(str(p))}", soft_wrap=True)
    if len(errors) > 10:
        console.print(f"… and {len(errors) - 10} more errors")
    if warnings:
        console.print(f"{len(warnings)} warning(s): see the validation report")
    for path in result.outputs:
        console.print(f"wrote {path}")
    if result.unusable:
        console.print("[red]no roster could be read: nothing was declared[/]")
