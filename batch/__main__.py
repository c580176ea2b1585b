"""python -m batch: the same as the dimona-batch command."""

from .cli import run

run()
