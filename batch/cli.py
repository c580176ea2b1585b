"""The command line: parse options, call the pipeline, print a summary, set the exit status."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

import click

from . import settings
from .options import (
    DATES,
    LANGUAGES,
    PERIOD_STATUSES,
    lang_option,
    ledger_option,
    listing_options,
)
from .settings import DEFAULT_WAIT, HOURS

if TYPE_CHECKING:
    from rich.console import Console

    from .pipeline import RunResult

FilingProgress = Callable[[int, int], None]
"""`progress(done, total)`: how many declarations of the run are filed so far."""

STAGES = ("read", "validate", "plan", "file", "record", "render")
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DEMO_AS_OF = "2026-06-28 12:00"
DEMO_CHANGES_AS_OF = "2026-06-29 09:00"
DEMO_ACTUALS_AS_OF = "2026-07-01 01:00"


@cache
def _console() -> Console:
    """The terminal's console, made on first use: rich is not imported for `--help`."""
    from rich.console import Console

    return Console(stderr=False, highlight=False)


def escape(text: str) -> str:
    """rich's markup escape, imported when something is printed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def label(key: str, lang: str, **values) -> str:
    """`terminal.label`, imported when something is printed (it loads the messages)."""
    from .terminal import label as terminal_label

    return terminal_label(key, lang, **values)


def _options(function: Callable) -> Callable:
    options = [
        ledger_option,
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


_CREDENTIALS_HELP = (
    "The web-service account for --channel rest: a dimona.toml with endpoint, client_id"
    " and private_key (readable by you only)."
)


def _channel_credentials(function: Callable) -> Callable:
    return click.option(
        "--credentials",
        type=click.Path(dir_okay=False, path_type=Path),
        help=_CREDENTIALS_HELP,
    )(function)


def _notify(text: str) -> None:
    _console().print(f"[yellow]{escape(text)}[/]", soft_wrap=True)


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
            _console().print(
                f"[red]{escape(label('unexpected', lang))}[/] {escape(one_line(error))}; "
                f"{escape(where)}",
                soft_wrap=True,
            )
            sys.exit(3)


def _lang_of(args: list[str]) -> str:
    """The --lang a command line names (Dutch if none), for what is printed outside it."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in LANGUAGES else "nl"
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in LANGUAGES else "nl"
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


def run() -> None:
    """The dimona-batch command (and `python -m batch`): `main`, in a process of its own.

    As the process ends, Python's cycle collector walks once more every object still alive,
    the half million the imports of pandas and pandera made among them: a third of a second,
    a quarter of a 300-shift run. Frozen, they are left to the end of the process, which
    gives all its memory back at once. Nothing waits on them: every output file is closed
    and every transaction committed before `main` returns, however it ends.
    """
    try:
        main()
    finally:
        gc.freeze()


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
@_channel_credentials
def declare(
    rosters,
    ledger,
    out,
    as_of,
    lang,
    channel,
    dry_run,
    add_only,
    year,
    hours,
    wait,
    mask_insz,
    credentials,
) -> None:
    """Declare the shifts of ROSTERS (.xlsx, .xlsm or .csv files, or folders of them).

    Example: dimona-batch declare roster.xlsx --as-of "2026-06-28 12:00"
    """
    pipeline = _pipeline()

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
            credentials=credentials,
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
@_channel_credentials
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
    credentials,
) -> None:
    """Hold ACTUALS (actual hours: .xlsx, .csv) against the declared; file corrections.

    Example: dimona-batch reconcile actuals.xlsx --as-of "2026-06-30 01:00"
    """
    pipeline = _pipeline()
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
            credentials=credentials,
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

    Given a corrections.xlsx instead, record each filled-in cell of its last column
    (Behandeld / Traité / Handled) as a note that the row's period was handled.

    Example: dimona-batch import reports/worksheet.xlsx --as-of "2026-06-28 13:10"
    """
    from .office import corrections_sheet

    if worksheet.is_file() and corrections_sheet(worksheet) is not None:
        _import_handled(worksheet, ledger, as_of)
    pipeline = _pipeline()

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
@ledger_option
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
@click.option("--employer", metavar="EN", help="Only this enterprise number (0566.988.259).")
@click.option(
    "--from",
    "day_from",
    type=click.DateTime(list(DATES)),
    metavar="DATE",
    help="First work day (2026-06-29).",
)
@click.option(
    "--to", "day_to", type=click.DateTime(list(DATES)), metavar="DATE", help="Last work day."
)
@click.option(
    "--per-employer",
    is_flag=True,
    help="One pair of files per employer and ISO week: receipts-0123456749-2026-W27.xlsx/.html.",
)
@_mask_option
@_wait_option
def receipts(
    batch_id, ledger, out, lang, employer, day_from, day_to, per_employer, mask_insz, wait
) -> None:
    """Write receipts again, rebuilt from the ledger: a batch's, or an employer's work days.

    A batch is written as receipts-batch-N.xlsx and receipts-batch-N.html in --out, the same
    as the run that filed them wrote them (a run's own receipts.xlsx is never replaced).
    --employer, --from and --to choose receipts by employer and work day: within --batch,
    else across every batch (receipts-0123456749-from-2026-06-29.xlsx, ...). --per-employer
    writes a pair per employer and ISO week, ready to send to that client (a selection over
    several weeks gives a pair per week). Over 2,000 receipts, an .html file is an index of
    the employers' pages in the folder of the same name.

    Example: dimona-batch receipts --employer 0566.988.259 --from 2026-06-29 --to 2026-07-05
    --per-employer --mask-insz --out reports/clients
    """
    pipeline = _pipeline()
    from .pipeline import InputError, LedgerError

    try:
        batch_id, paths = pipeline.write_receipts(
            batch_id,
            ledger,
            out,
            lang,
            mask_insz,
            wait,
            _notify,
            employer=employer,
            day_from=day_from.date() if day_from else None,
            day_to=day_to.date() if day_to else None,
            per_employer=per_employer,
        )
    except (InputError, LedgerError) as error:
        _usage_error(error, lang)
    for path in paths:
        if batch_id is None:
            _console().print(escape(label("wrote", lang, path=path)), soft_wrap=True)
        else:
            _console().print(
                escape(label("wrote_batch", lang, path=path, n=batch_id)), soft_wrap=True
            )


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
    pipeline = _pipeline()
    from .render.atomic import private_folder

    if out.exists():
        import shutil

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
        _console().rule(escape(label("demo_step", lang, title=title, sample=sample, as_of=as_of)))
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
    _console().print(label("demo_open", lang, out=escape(str(out))))
    _demo_office(ledger, lang)
    _demo_payroll(ledger, lang)


def _demo_office(ledger: Path, lang: str) -> None:
    """The demo ends with what the office looks at next: the periods, and what is due."""
    from . import office

    _console().rule(escape(label("demo_periods", lang)))
    _show(office.period_listing(office.periods(ledger), lang), lang, None, None)
    as_of = _as_of(DEMO_ACTUALS_AS_OF)
    _console().rule(escape(label("demo_due", lang, as_of=DEMO_ACTUALS_AS_OF)))
    _show(office.due_listing(office.due(ledger, as_of), lang), lang, None, None)


# --- filing for real: sync and check (the rest channel) ---


def _day_option(name: str, help: str) -> Callable:
    return click.option(
        name,
        f"day_{name.strip('-')}",
        required=True,
        type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
        metavar="YYYY-MM-DD",
        help=help,
    )


@main.command()
@click.option(
    "--credentials",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The web-service account file (dimona.toml, chmod 600).",
)
@_day_option("--from", "First work day to compare.")
@_day_option("--to", "Last work day to compare.")
@ledger_option
@click.option(
    "--employer",
    "employers",
    multiple=True,
    metavar="EN",
    help="Only this employer (enterprise number; may be repeated)"
    " [default: every employer with periods in the ledger in the range].",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "fr", "en"]),
    default="nl",
    show_default=True,
    help="Language of the table.",
)
def check(credentials, day_from, day_to, ledger, employers, lang) -> None:
    """Compare the ledger's periods with the NSSO's for a range of work days.

    Lists every period found on one side only, with other start or end times, another
    status or another worker (a period changed by hand in the web form, a lost answer).
    Exit status 0: no difference; 1: some; 2: unusable options, credentials or ledger, or an
    NSSO that cannot be reached.

    Example: dimona-batch check --credentials dimona.toml --from 2026-06-29 --to 2026-07-05
    """
    from rich.table import Table

    from .channels import check as comparison
    from .channels import rest
    from .channels.credentials import CredentialsError
    from .channels.service import FateUnknown, NotSent, Rejected
    from .identifiers import digits, enterprise_problem, normalize_enterprise
    from .ledger import Ledger, LedgerError
    from .pipeline import ledger_path

    def refuse(text: str) -> None:
        _console().print(f"[red]error:[/] {escape(text)}", soft_wrap=True)
        sys.exit(2)

    first, last = day_from.date(), day_to.date()
    if first > last:
        refuse(f"--from {first} is after --to {last}")
    numbers = []
    for given in employers:
        number = normalize_enterprise(digits(given.upper().removeprefix("BE")))
        if problem := enterprise_problem(number):
            refuse(f"--employer {given}: {problem}")
        numbers.append(number)
    path = ledger_path(ledger)
    if not path.is_file():
        refuse(f"no ledger at {path}")
    try:
        service_for = rest.services(credentials)
    except CredentialsError as error:
        refuse(str(error))
    try:
        with Ledger(path) as book, service_for:
            found = comparison.gather(
                lambda these: book.periods(these, first, last, include_cancelled=True),
                book.period,
                service_for,
                first,
                last,
                numbers or None,
            )
    except LedgerError as error:
        refuse(str(error))
    except (NotSent, FateUnknown, Rejected) as error:
        refuse(f"the NSSO could not be consulted: {error}")
    differences = comparison.differences(found.ledger, found.nsso)
    headers, rows = comparison.table(differences, lang)
    if rows:
        grid = Table(*headers)
        for row in rows:
            grid.add_row(*map(escape, row))
        _console().print(grid)
    employers_seen = len(numbers) or len(comparison.employers_in(found.ledger))
    _console().print(
        f"{len(differences)} difference(s) between the ledger ({len(found.ledger)} periods)"
        f" and the NSSO ({len(found.nsso)} periods) for {employers_seen} employer(s),"
        f" {first:%d/%m/%Y} to {last:%d/%m/%Y}",
        soft_wrap=True,
    )
    if found.unasked:
        _console().print(
            f"{found.unasked} period(s) of employers known only by their NSSO number were not"
            " compared (the NSSO's search needs an enterprise number)",
            soft_wrap=True,
        )
    sys.exit(1 if differences else 0)


@main.command()
@ledger_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for the receipts of what this sync learns (receipts.xlsx, receipts.html).",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "fr", "en"]),
    default="nl",
    show_default=True,
    help="Language of the receipts and of what the terminal says.",
)
@click.option(
    "--channel",
    type=click.Choice([settings.REST, settings.SANDBOX]),
    default=settings.REST,
    show_default=True,
    help="The channel whose declarations to resume.",
)
@_channel_credentials
@_wait_option
@_mask_option
def sync(ledger, out, lang, channel, credentials, wait, mask_insz) -> None:
    """Resume what is in flight and collect later answers (S resolved), with receipts.

    Example: dimona-batch sync --credentials dimona.toml
    """
    pipeline = _pipeline()

    result = _run(
        lambda stage, _progress: pipeline.sync(
            ledger=ledger,
            out=out,
            lang=lang,
            channel=channel,
            credentials=credentials,
            wait=wait,
            notify=_notify,
            mask_insz=mask_insz,
            stage=stage,
        ),
        lang,
    )
    _report(result, lang, channel)
    sys.exit(result.exit_status)


# --- the NSSO simulator ---


@main.command()
@click.option(
    "--client",
    "clients",
    multiple=True,
    metavar="ID:PUBLIC_KEY.pem",
    help="A client id and its RSA public key (PEM); repeat for several accounts.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port (0: any free port; the URL printed says which).",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("nsso.sqlite"),
    show_default=True,
    help="The simulator's own SQLite state (never a ledger).",
)
@click.option(
    "--clock",
    metavar="'YYYY-MM-DD HH:MM'",
    help="Start the simulator's clock at this Brussels moment; it runs on [default: now].",
)
@click.option(
    "--processing-delay",
    "delay",
    type=click.FloatRange(0),
    default=0.5,
    show_default=True,
    metavar="SECONDS",
    help="How long a declaration's answer takes (404 until then).",
)
@click.option(
    "--faults",
    metavar="SPEC",
    help="Shares of Dimona requests that fail: error=0.05,drop=0.05,slow=0.1,throttle=0.05"
    " and token-expiry=SECONDS, slow-seconds=1-3, retry-after=1.",
)
@click.option("--seed", type=int, help="Seed of the faults, to replay a run.")
@click.option(
    "--not-eligible",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Text file, one INSZ a line: workers answered W 90017-510.",
)
@click.option(
    "--unknown-workers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Text file, one INSZ a line: workers the NSSO does not know (refused B).",
)
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file overriding rows of the deadline rule table.",
)
def simulator(
    clients,
    host,
    port,
    state,
    clock,
    delay,
    faults,
    seed,
    not_eligible,
    unknown_workers,
    rules_file,
) -> None:
    """Play the NSSO's Dimona REST v2 service over HTTP, with its own state, for tests and
    training. Nothing is filed with the NSSO.

    Example: dimona-batch simulator --client office-1:keys/office-1.pub.pem --port 8765
    """
    from .nsso import simulator as run

    try:
        run.start(
            clients=clients,
            host=host,
            port=port,
            state=state,
            clock=clock,
            delay=delay,
            faults=faults,
            seed=seed,
            not_eligible=not_eligible,
            unknown_workers=unknown_workers,
            rules_file=rules_file,
            say=click.echo,
        )
    except run.Unusable as error:
        _console().print(f"[red]error:[/] {escape(str(error))}", soft_wrap=True)
        sys.exit(2)


# --- the ledger for the office: periods, history, due, handled ---

_DATE = click.DateTime(list(DATES))


def _office_failed(error: Exception) -> NoReturn:
    """A question the ledger cannot answer, a bad option or an unwritable file: exit 2."""
    _console().print(f"[red]error:[/] {escape(str(error))}", soft_wrap=True)
    sys.exit(2)


def _as_of(text: str | None):
    _pipeline()
    from .pipeline import InputError, parse_as_of

    try:
        return parse_as_of(text)
    except InputError as error:
        _office_failed(error)


def _checked_format(fmt: str | None, output: Path | None) -> str:
    from .render.listing import output_format

    try:
        return output_format(fmt, output)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _show(listing, lang: str, fmt: str | None, output: Path | None) -> None:
    from .render.listing import emit

    try:
        written = emit(listing, lang, fmt, output, _console())
    except OSError as error:
        _office_failed(error)
    if written is not None:
        _console().print(escape(label("wrote", lang, path=written)), soft_wrap=True)


@main.command()
@click.option("--employer", metavar="EN", help="Only this enterprise number (0566.988.259).")
@click.option(
    "--worker",
    metavar="INSZ_OR_NAME",
    help="Only this worker: an INSZ (dots and dashes allowed) or words of the name.",
)
@click.option("--from", "day_from", type=_DATE, metavar="DATE", help="First work day (2026-06-29).")
@click.option("--to", "day_to", type=_DATE, metavar="DATE", help="Last work day.")
@click.option("--week", metavar="2026-W27", help="Only the work days of this ISO week.")
@click.option("--status", type=click.Choice(list(PERIOD_STATUSES)), help="Only this status.")
@listing_options
def periods(employer, worker, day_from, day_to, week, status, ledger, lang, fmt, output) -> None:
    """List the periods of the ledger, one row each, by start.

    A refused IN (no period number) is a row with an empty number and status refused; an IN
    still to type in the web form shows its worksheet key (W000001).

    Example: dimona-batch periods --week 2026-W27 --output week27.xlsx
    """
    from . import office

    _checked_format(fmt, output)
    try:
        lines = office.periods(
            ledger,
            employer=employer,
            worker=worker,
            day_from=day_from.date() if day_from else None,
            day_to=day_to.date() if day_to else None,
            week=week,
            status=status,
        )
    except (office.OfficeError, office.LedgerError) as error:
        _office_failed(error)
    _show(office.period_listing(lines, lang), lang, fmt, output)


@main.command()
@click.argument("period")
@listing_options
def history(period, ledger, lang, fmt, output) -> None:
    """Show every declaration of PERIOD in order, its actual hours and the notes on it.

    Example: dimona-batch history 660740832061
    """
    from . import office
    from .render.values import format_datetime

    chosen = _checked_format(fmt, output)
    try:
        found = office.history(ledger, period)
    except (office.OfficeError, office.LedgerError) as error:
        _office_failed(error)
    if chosen == "table":
        p = found.period
        _console().print(
            escape(
                f"{p.period_number} · {p.employer} ({p.enterprise_number}) · {p.last_name}"
                f" {p.first_name} ({p.insz}) · {format_datetime(p.declared_start)}"
                f" – {format_datetime(p.declared_end)} · {office.status_word(p.status, lang)}"
            ),
            soft_wrap=True,
        )
    _show(office.history_listing(found, lang), lang, fmt, output)


@main.command()
@click.option(
    "--as-of",
    "as_of",
    metavar="'YYYY-MM-DD HH:MM'",
    help="The moment to judge deadlines at, Europe/Brussels [default: now].",
)
@click.option(
    "--within",
    type=click.FloatRange(0),
    metavar="HOURS",
    help="Only what is due within HOURS (overdue items included; those without a deadline"
    " left out).",
)
@listing_options
def due(as_of, within, ledger, lang, fmt, output) -> None:
    """List what needs a person, earliest deadline first; exit status 1 if something is overdue.

    Web-form items still to type, declarations pending an answer, periods answered 90017-510
    to cancel before they start, and reconciliation's manual corrections, until `handled`.

    Example: dimona-batch due --within 24
    """
    from . import office
    from .render.listing import word

    chosen = _checked_format(fmt, output)
    moment = _as_of(as_of)
    try:
        found = office.due(ledger, moment, within)
    except (office.OfficeError, office.LedgerError) as error:
        _office_failed(error)
    _show(office.due_listing(found, lang), lang, fmt, output)
    if chosen == "table":
        if found.overdue:
            _console().print(f"[red]{len(found.overdue)} {escape(word('overdue_count', lang))}[/]")
        _console().print(escape(word("due_held_note", lang)), soft_wrap=True)
    sys.exit(1 if found.overdue else 0)


@main.command()
@click.argument("period")
@click.option("--note", default="", metavar="TEXT", help="Who did what: 'AP: cancelled by phone'.")
@click.option(
    "--as-of",
    "as_of",
    metavar="'YYYY-MM-DD HH:MM'",
    help="When it was handled, Europe/Brussels [default: now].",
)
@ledger_option
@lang_option
def handled(period, note, as_of, ledger, lang) -> None:
    """Note that a person dealt with what `due` lists for PERIOD; `due` then leaves it out.

    Example: dimona-batch handled 660740832061 --note "AP: start corrected by phone"
    """
    from . import office
    from .render.listing import word

    moment = _as_of(as_of)
    try:
        noted = office.handled(ledger, period, note, moment)
    except (office.OfficeError, office.LedgerError) as error:
        _office_failed(error)
    _console().print(
        escape(f"{noted.period_number}: {word('handled', lang)} {noted.note}".rstrip()),
        soft_wrap=True,
    )


def _import_handled(workbook: Path, ledger: Path | None, as_of: str | None) -> NoReturn:
    """`import corrections.xlsx`: the Handled column's notes into the ledger."""
    from . import office

    moment = _as_of(as_of)
    try:
        found = office.import_handled(workbook, ledger, moment)
    except (office.OfficeError, office.LedgerError) as error:
        _office_failed(error)
    for p in found.problems:
        _console().print(f"[yellow]warning[/] {escape(str(p))}", soft_wrap=True)
    line = f"{found.file}: {len(found.notes)} handled note(s) recorded"
    if found.already:
        line += f", {found.already} already in the ledger"
    _console().print(escape(line), soft_wrap=True)
    sys.exit(1 if found.problems else 0)


# --- the ledger for payroll: export ---


def _demo_payroll(ledger: Path, lang: str) -> None:
    """The demo's last step: the payroll input of the sample week (no wages in the samples)."""
    import datetime as dt

    from .payroll import export as payroll_export
    from .render.export import write_export

    _console().rule(escape(label("demo_payroll", lang)))
    week = dt.date(2026, 6, 29), dt.date(2026, 7, 5)
    write_export(payroll_export(ledger, *week), lang, None, None, _console())


def _export_employer(ctx: click.Context, param: click.Parameter, text: str | None) -> str | None:
    from .identifiers import digits, normalize_enterprise

    if text is None:
        return None
    number = normalize_enterprise(digits(text))
    if len(number) != 10:
        raise click.BadParameter(f"{text!r}: an enterprise number has 10 digits")
    return number


@main.command()
@click.option(
    "--from",
    "day_from",
    required=True,
    metavar="DATE",
    type=click.DateTime(list(DATES)),
    help="First work day of the export (29/06/2026 or 2026-06-29).",
)
@click.option(
    "--to",
    "day_to",
    required=True,
    metavar="DATE",
    type=click.DateTime(list(DATES)),
    help="Last work day of the export.",
)
@click.option(
    "--employer",
    metavar="EN",
    callback=_export_employer,
    help="Only this employer's periods (enterprise number); the summary still "
    "counts the workers' periods at every employer.",
)
@listing_options
def export(day_from, day_to, employer, ledger, lang, fmt, output) -> None:
    """The payroll input for the social secretariat, from the ledger.

    One row per period (cancelled ones left out) whose work day lies from --from to --to:
    INSZ, names, work day, declared and actual start and end, declared and actual hours,
    period number, status. Where the roster gave an hourly wage (column Uurloon / Salaire
    horaire / Hourly wage): gross wage (actual hours where reconciled, else the declared
    ones, times the wage), flexi holiday pay 7.67 %, employer contribution 28 % of both,
    and a warning when the wage is under the minimum flexi wage of that day. Then each
    worker's hours and flexi earnings per quarter and per calendar year of the range, at
    every employer in the ledger, with a cap alert where a year passes the tax-free cap.
    Hours are the time that passes from start to end. A csv --output FILE.csv also writes
    FILE-summary.csv (--format csv without --output: the lines, an empty line, the
    summary); an xlsx has two sheets. Exit status 1 when a wage is under the minimum or a
    cap alert is shown.
    """
    from .ledger import LedgerError
    from .payroll import export as payroll_export
    from .pipeline import ledger_path
    from .render.export import export_word, write_export

    path = ledger_path(ledger)
    if not path.exists():
        _console().print(f"[red]error:[/] ledger {escape(str(path))} not found", soft_wrap=True)
        sys.exit(2)
    try:
        result = payroll_export(path, day_from.date(), day_to.date(), employer)
        written = write_export(result, lang, fmt, output, _console())
    except (ValueError, LedgerError, OSError) as error:
        _console().print(f"[red]error:[/] {escape(str(error))}", soft_wrap=True)
        sys.exit(2)
    counts = export_word(
        "export_counts",
        lang,
        lines=len(result.lines),
        warnings=len(result.wage_warnings),
        alerts=len(result.cap_alerts),
    )
    for file in written:
        click.echo(f"wrote {file}", err=output is None)
    click.echo(counts, err=output is None and fmt == "csv")
    sys.exit(result.exit_status)


def _run(job: Callable[[Callable[[str], None], FilingProgress], RunResult], lang: str) -> RunResult:
    """Run a pipeline job under a progress bar (a terminal only); usage errors exit with 2.

    The job gets `stage(name)`, called as each stage starts, and `progress(done, total)`,
    called while declarations are filed. Off a terminal nothing is shown, so rich's progress
    bar is not even imported (a small run would pay more for it than for its work).
    """
    from .pipeline import InputError, LedgerError

    try:
        return _job_shown(job, lang)
    except (InputError, LedgerError) as error:
        _usage_error(error, lang)


def _pipeline() -> ModuleType:
    """The pipeline, imported only when a command runs (pandas, pandera, the renderers).

    Those imports make half a million objects that live as long as the process; Python's
    cycle collector walked them all again some 250 times while they were being made, about
    0.08 s of a 300-shift run. It rests until they are in place, and they are set aside
    (frozen) before it works again, so that it never walks them (the few hundred objects of
    garbage the imports leave stay with them)."""
    if "batch.pipeline" not in sys.modules:
        enabled = gc.isenabled()
        gc.disable()
        try:
            from . import pipeline
        finally:
            gc.freeze()
            if enabled:
                gc.enable()
    from . import pipeline

    return pipeline


def _job_shown(
    job: Callable[[Callable[[str], None], FilingProgress], RunResult], lang: str
) -> RunResult:
    """The job, under rich's progress bar on a terminal."""
    if not _console().is_terminal:
        return job(_unshown_stage, _unshown_progress)
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from . import terminal

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=_console(),
        transient=True,
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


def _unshown_stage(name: str) -> None:
    """A stage starting, off a terminal: nothing to show."""


def _unshown_progress(done: int, total: int) -> None:
    """Declarations filed so far, off a terminal: nothing to show."""


def _usage_error(error: Exception, lang: str) -> NoReturn:
    _console().print(
        f"[red]{escape(label('usage_error', lang))}[/] {escape(str(error))}", soft_wrap=True
    )
    sys.exit(2)


def _report(result: RunResult, lang: str, channel: str | None) -> None:
    """The summary table, then what went wrong, what was written and what the channel did."""
    from . import terminal

    _console().print(terminal.summary_table(result.counts, result.command, lang, result.dry_run))
    for text, style in terminal.report_lines(result, channel, lang):
        _console().print(text, style=style or None, markup=False, soft_wrap=True)
