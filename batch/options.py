"""The options every listing command shares (--ledger --lang --format --output), kept light.

The command line builds them at import time, so this module imports click and the settings
only; the writer itself (batch.render.listing) is imported when a command runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from . import settings

LANGUAGES = ("nl", "fr", "en")
FORMATS = ("table", "csv", "xlsx")
PERIOD_STATUSES = ("active", "cancelled", "pending", "to-type", "refused")
DATES = ("%Y-%m-%d", "%d/%m/%Y")


def ledger_option(function: Callable) -> Callable:
    return click.option(
        "--ledger",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"SQLite ledger file [env {settings.LEDGER_ENV}; default ./{settings.DEFAULT_LEDGER}]",
    )(function)


def lang_option(function: Callable) -> Callable:
    return click.option(
        "--lang",
        type=click.Choice(list(LANGUAGES)),
        default="nl",
        show_default=True,
        help="Language of the headers and words.",
    )(function)


def format_option(function: Callable) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(FORMATS)),
        help="table on the terminal, or a csv (';', UTF-8) or xlsx file"
        " [default: table, or what the --output file's extension names].",
    )(function)


def output_option(function: Callable) -> Callable:
    return click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Write the listing to FILE (.csv or .xlsx; readable by its owner only).",
    )(function)


def listing_options(function: Callable) -> Callable:
    """--ledger, --lang, --format and --output, in that order in --help."""
    for option in (output_option, format_option, lang_option, ledger_option):
        function = option(function)
    return function
