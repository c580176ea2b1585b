"""The command line: parse options, call the pipeline, print a summary, set the exit status."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click
from rich.console import Console
from rich.markup import escape

from . import settings, terminal
from .settings import DEFAULT_WAIT, HOURS
from .terminal import label

if TYPE_CHECKING:
    from .pipeline import RunResult

FilingProgress = Callable[[int, int], None]
"""`progress(done, total)`: how many declarations of the run are filed so far."""

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
            help=f"SQLite ledger file [env {settings.LEDGER_ENV}; "
            f"default ./{settings.DEFAULT_LEDGER}]",
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
            help="The moment the batch runs, Europe/Brussels [default: now]; a UTC offset "
            "('2026-10-25 02:30+01:00') names one reading of the autumn hour that repeats.",
        ),
        click.option(
            "--lang",
            type=click.Choice(["nl", "fr", "en"]),
            default="nl",
            show_default=True,
            help="Language of the reports and of what the terminal says.",
        ),
        click.option(
            "--channel",
            type=click.Choice(list(settings.CHANNELS)),
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


_MASK_HELP = (
    "Show every INSZ as 93.05.18-***.** in the receipts, corrections and validation reports"
    " (for reports sent to a client employer). The ledger, the payroll export and the"
    " web-form worksheet (what a clerk types) always keep the full INSZ."
)
_WAIT_HELP = (
    "Seconds to wait for another run that holds the ledger (one declaring, reconciling or"
    " importing run per ledger at a time); then give up with exit status 2."
)


def _mask_option(function: Callable) -> Callable:
    return click.option("--mask-insz", "mask_insz", is_flag=True, help=_MASK_HELP)(function)


def _wait_option(function: Callable) -> Callable:
    return click.option(
        "--wait",
        type=click.FloatRange(0),
        default=int(DEFAULT_WAIT),
        show_default=True,
        metavar="SECONDS",
        help=_WAIT_HELP,
    )(function)


def _notify(text: str) -> None:
    console.print(f"[yellow]{escape(text)}[/]", soft_wrap=True)


class _Guarded(click.Group):
    """Every command: an unexpected error is one line and a log file, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            from .errorlog import one_line, write_error_log

            lang = _lang_of([*getattr(ctx, "_protected_args", []), *ctx.args])
            log = write_error_log(error)
            where = label("details_in", lang, log=log) if log else label("no_log", lang)
            console.print(
                f"[red]{escape(label('unexpected', lang))}[/] {escape(one_line(error))}; "
                f"{escape(where)}",
                soft_wrap=True,
            )
            sys.exit(3)


def _lang_of(args: list[str]) -> str:
    """The --lang a command line names (Dutch if none), for what is printed outside it."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in terminal.LANGS else "nl"
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in terminal.LANGS else "nl"
    return "nl"


_hours_option = click.option(
    "--hours",
    type=click.Choice(list(HOURS)),
    help="How this client writes 9.5: decimal (09:30) or clock (09:50) "
    "[default: such a cell is an error naming both].",
)


def _rules_hours(path: Path) -> str | None:
    """The `hours = "decimal"` line of a --rules file, checked like the option."""
    import tomllib

    value = tomllib.loads(path.read_text(encoding="utf-8")).get("hours")
    if value is not None and value not in HOURS:
        raise click.BadParameter(f"hours = {value!r}; expected one of {', '.join(HOURS)}")
    return value


@click.group(cls=_Guarded)
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
@_wait_option
@_mask_option
def declare(
    rosters, ledger, out, as_of, lang, channel, dry_run, add_only, year, hours, wait, mask_insz
) -> None:
    """Declare the shifts of ROSTERS (.xlsx, .xlsm or .csv files, or folders of them).

    Example: dimona-batch declare roster.xlsx --as-of "2026-06-28 12:00"
    """
    from . import pipeline  # heavy (pandas, pandera, renderers): only when a command runs

    result = _run(
        lambda stage, progress: pipeline.declare(
            rosters,
            ledger=ledger,
            out=out,
            as_of=pipeline.parse_as_of(as_of),
            lang=lang,
            channel=channel,
            dry_run=dry_run,
            add_only=add_only,
            stage=stage,
            progress=progress,
            year=year,
            wait=wait,
            notify=_notify,
            mask_insz=mask_insz,
            hours=hours,
        ),
        lang,
    )
    _report(result, lang, channel)
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
@_wait_option
@_mask_option
def reconcile(
    actuals,
    ledger,
    out,
    as_of,
    lang,
    channel,
    dry_run,
    tolerance,
    rules_file,
    hours,
    wait,
    mask_insz,
) -> None:
    """Hold ACTUALS (actual hours, .xlsx or .csv) against what was declared; file corrections.

    Example: dimona-batch reconcile actuals.xlsx --as-of "2026-06-30 01:00"
    """
    from . import pipeline  # heavy (pandas, pandera, renderers): only when a command runs
    from .rules import load_rules

    rules = load_rules(rules_file) if rules_file else None
    hours = hours or (_rules_hours(rules_file) if rules_file else None)
    result = _run(
        lambda stage, progress: pipeline.reconcile(
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
            progress=progress,
            wait=wait,
            notify=_notify,
            mask_insz=mask_insz,
            hours=hours,
        ),
        lang,
    )
    _report(result, lang, channel)
    sys.exit(result.exit_status)


@main.command(name="import")
@click.argument("worksheet", type=click.Path(path_type=Path))
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"SQLite ledger file [env {settings.LEDGER_ENV}]",
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
    help="The moment of the import, Europe/Brussels [default: now]; a UTC offset "
    "('2026-10-25 02:30+01:00') names one reading of the autumn hour that repeats.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "fr", "en"]),
    default="nl",
    show_default=True,
    help="Language of the reports and of what the terminal says.",
)
@_wait_option
@_mask_option
def import_(worksheet, ledger, out, as_of, lang, wait, mask_insz) -> None:
    """Record the period numbers and statuses typed on a web-form WORKSHEET.

    Example: dimona-batch import reports/worksheet.xlsx --as-of "2026-06-28 13:10"
    """
    from . import pipeline  # heavy (pandas, pandera, renderers): only when a command runs

    result = _run(
        lambda stage, _progress: pipeline.import_worksheet(
            worksheet,
            ledger=ledger,
            out=out,
            as_of=pipeline.parse_as_of(as_of),
            lang=lang,
            stage=stage,
            wait=wait,
            notify=_notify,
            mask_insz=mask_insz,
        ),
        lang,
    )
    _report(result, lang, None)
    sys.exit(result.exit_status)


@main.command()
@click.option(
    "--batch",
    "batch_id",
    type=click.IntRange(1),
    metavar="N",
    help="The batch whose receipts to write (each run names its batch on the terminal)"
    " [default: the latest batch that filed something].",
)
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"SQLite ledger file [env {settings.LEDGER_ENV}; default ./{settings.DEFAULT_LEDGER}]",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for the receipts.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "fr", "en"]),
    default="nl",
    show_default=True,
    help="Language of the receipts and of what the terminal says.",
)
@_mask_option
@_wait_option
def receipts(batch_id, ledger, out, lang, mask_insz, wait) -> None:
    """Write the receipts of a batch again, rebuilt from the ledger.

    They are written as receipts-batch-N.xlsx and receipts-batch-N.html in --out, the same
    as the run that filed them wrote them (a run's own receipts.xlsx is never replaced).

    Example: dimona-batch receipts --batch 3 --out reports/week27
    """
    from . import pipeline
    from .pipeline import InputError, LedgerError

    try:
        batch_id, paths = pipeline.write_receipts(
            batch_id, ledger, out, lang, mask_insz, wait, _notify
        )
    except (InputError, LedgerError) as error:
        _usage_error(error, lang)
    for path in paths:
        console.print(escape(label("wrote_batch", lang, path=path, n=batch_id)), soft_wrap=True)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/demo"),
    show_default=True,
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "fr", "en"]),
    default="nl",
    show_default=True,
    help="Language of the reports and of what the terminal says.",
)
@_mask_option
def demo(out: Path, lang: str, mask_insz: bool) -> None:
    """Run the sample week: declare it, declare the corrected roster, reconcile actual hours."""
    from . import pipeline
    from .render.atomic import private_folder

    if out.exists():
        shutil.rmtree(out)
    private_folder(out)
    ledger = out / "ledger.sqlite"
    steps = [
        (label("demo_roster", lang), pipeline.declare, "roster-week27.xlsx", DEMO_AS_OF, out),
        (
            label("demo_changes", lang),
            pipeline.declare,
            "roster-week27-v2.xlsx",
            DEMO_CHANGES_AS_OF,
            out / "changes",
        ),
        (
            label("demo_actuals", lang),
            pipeline.reconcile,
            "actuals-week27.xlsx",
            DEMO_ACTUALS_AS_OF,
            out / "reconcile",
        ),
    ]
    for title, job, sample, as_of, folder in steps:
        console.rule(escape(label("demo_step", lang, title=title, sample=sample, as_of=as_of)))
        result = _run(
            lambda stage, progress, job=job, sample=sample, as_of=as_of, folder=folder: job(
                [SAMPLES / sample],
                ledger=ledger,
                out=folder,
                as_of=pipeline.parse_as_of(as_of),
                lang=lang,
                stage=stage,
                progress=progress,
                mask_insz=mask_insz,
            ),
            lang,
        )
        _report(result, lang, "sandbox")
    console.print(label("demo_open", lang, out=escape(str(out))))


# --- filing for real: sync and check (the rest channel) ---


# --- the NSSO simulator ---


# --- the ledger for the office: periods, history, due, handled ---


# --- the ledger for payroll: export ---


def _run(job: Callable[[Callable[[str], None], FilingProgress], RunResult], lang: str) -> RunResult:
    """Run a pipeline job under a progress bar (a terminal only); usage errors exit with 2.

    The job gets `stage(name)`, called as each stage starts, and `progress(done, total)`,
    called while declarations are filed.
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .pipeline import InputError, LedgerError

    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task(label("starting", lang), total=len(STAGES))

            def stage(name: str) -> None:
                step = STAGES.index(name) if name in STAGES else 0
                bar.update(task, description=terminal.stage_name(name, lang), completed=step)

            def progress(done: int, total: int) -> None:
                name = terminal.stage_name("file", lang)
                bar.update(
                    task,
                    description=f"{name} {done:,}/{total:,}",
                    completed=STAGES.index("file") + done / max(total, 1),
                )

            return job(stage, progress)
    except (InputError, LedgerError) as error:
        _usage_error(error, lang)


def _usage_error(error: Exception, lang: str) -> NoReturn:
    console.print(
        f"[red]{escape(label('usage_error', lang))}[/] {escape(str(error))}", soft_wrap=True
    )
    sys.exit(2)


def _report(result: RunResult, lang: str, channel: str | None) -> None:
    """The summary table, then what went wrong, what was written and what the channel did."""
    console.print(terminal.summary_table(result.counts, result.command, lang, result.dry_run))
    for text, style in terminal.report_lines(result, channel, lang):
        console.print(text, style=style or None, markup=False, soft_wrap=True)
