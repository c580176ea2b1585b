"""Unexpected errors: one line for the user, the traceback in a log file for whoever fixes it.

Logs go to $XDG_STATE_HOME/dimona-batch/logs (default ~/.local/state/dimona-batch/logs),
else to the temporary folder; each is readable by its owner only, since a message may quote
an INSZ.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from importlib import metadata
from pathlib import Path

STATE_ENV = "XDG_STATE_HOME"


def log_folders() -> list[Path]:
    """Where a log may go, best first."""
    state = os.environ.get(STATE_ENV) or str(Path.home() / ".local" / "state")
    return [Path(state) / "dimona-batch" / "logs", Path(tempfile.gettempdir())]


def _version() -> str:
    try:
        return metadata.version("dimona-batch")
    except metadata.PackageNotFoundError:
        return "unknown"


def write_error_log(error: BaseException) -> Path | None:
    """The traceback of `error` in a new private log file; None if no folder would take it."""
    now = dt.datetime.now(dt.UTC)
    name = f"dimona-batch-error-{now:%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    text = (
        f"dimona-batch {_version()} at {now.isoformat(timespec='seconds')}\n"
        f"command: {' '.join(sys.argv)}\n"
        f"working folder: {Path.cwd()}\n\n" + "".join(traceback.format_exception(error))
    )
    for folder in log_folders():
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            return path
        except OSError:
            continue
    return None


def one_line(error: BaseException) -> str:
    """`KeyError: 'x'`: the error's type and the first line of its message."""
    message = str(error).strip().splitlines()
    kind = type(error).__name__
    return f"{kind}: {message[0]}" if message else kind
