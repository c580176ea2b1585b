"""Write an output file so that it is either complete or absent, never half written.

Reports hold INSZ numbers: they are created readable by their owner only (0600), and the
folders the batch creates for them 0700. A run that dies while writing leaves a temporary
(`.receipts.xlsx.tmp-PID-XXXX`, a file or the Excel writer's scratch folder); the next run
writing into that folder removes it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_TEMPORARY = re.compile(r"^\..+\.tmp-(?:(\d+)-)?[A-Za-z0-9_]+$")


def private_folder(path: str | os.PathLike[str]) -> Path:
    """`path` and its missing parents, each folder created here readable by the owner only."""
    folder = Path(path)
    missing = []
    for level in (folder, *folder.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):
            level.mkdir(mode=FOLDER_MODE)
            os.chmod(level, FOLDER_MODE)
    return folder


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds.

    The temporary file lives in the same folder (`.receipts.xlsx.tmp-PID-XXXX`), so the final
    os.replace is a rename within one file system: readers see the old file or the new one.
    The process id in its name tells a later run whether its writer is still alive.
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.tmp-{os.getpid()}-")
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def scratch_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A private folder beside `path` for a writer's own temporaries, removed afterwards.

    The Excel writer spills rows to disk: kept here, not in the system's temporary folder,
    so a run killed while writing leaves them where the next run removes them.
    """
    target = Path(path)
    folder = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a private temporary folder beside `path`; put it in its place if the block succeeds.

    For a report written as several files (receipts.html's employer files in `receipts/`):
    an earlier run's folder is moved aside and removed, so a reader finds its files or the
    new ones. A folder at `path` holding anything but such pages is left alone (OSError).
    """
    target = Path(path)
    if target.is_symlink() or (target.exists() and not _pages_only(target)):
        raise FileExistsError(errno.EEXIST, "a folder of other files is in the way", str(target))
    prefix = f".{target.name}.tmp-{os.getpid()}-"
    scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix))
    try:
        yield scratch
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix))
            os.replace(target, old)  # onto the empty folder just made
            os.replace(scratch, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def _pages_only(folder: Path) -> bool:
    """Whether `folder` holds only .html files: the pages a report wrote there."""
    if not folder.is_dir():
        return False
    return all(e.is_file() and not e.is_symlink() and e.suffix == ".html" for e in folder.iterdir())


def remove_split(path: str | os.PathLike[str]) -> None:
    """Remove the folder of pages an earlier run wrote at `path` (only pages: see atomic_folder)."""
    folder = Path(path)
    if not folder.is_symlink() and _pages_only(folder):
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries that interrupted runs left in `folder`; returns them.

    A temporary whose writer is still running is left alone, so two runs may share a folder.
    """
    removed = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in Path(folder).iterdir():
            match = _TEMPORARY.match(entry.name)
            if not match or entry.is_symlink():
                continue
            pid = match.group(1)
            if pid is not None and _alive(int(pid)):
                continue
            with contextlib.suppress(FileNotFoundError):
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed.append(entry)
    return removed


def writable_folder(path: str | os.PathLike[str]) -> Path:
    """Check, before a run files anything, that the reports folder can be written.

    An existing folder is probed with a temporary file and cleaned of old temporaries; a
    missing one is not created yet (a run that stops early leaves nothing behind), but its
    nearest existing parent must be a writable folder. Raises OSError with the reason.
    """
    folder = Path(path)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "a file is in the way", str(existing))
    if existing != folder:
        if not os.access(existing, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "cannot create a folder in", str(existing))
        return folder
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".probe.tmp-{os.getpid()}-")
    os.close(fd)
    os.unlink(name)
    remove_temporaries(folder)
    return folder
