"""No traceback reaches the user: an unexpected error is one line, a log file, exit status 3.

Provoked for real: an installation whose report template is broken (a copy of the package
with one template damaged, run as `python -m batch`), not a mock of our code.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import shift, write_roster

ROOT = Path(__file__).resolve().parents[1]


def broken_install(tmp_path: Path) -> Path:
    """The package and its templates, copied, with validation.html no longer a template."""
    install = tmp_path / "install"
    shutil.copytree(ROOT / "batch", install / "batch", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", install / "templates")
    (install / "templates" / "validation.html").write_text("{% for problem in %}\n")
    return install


def run(install: Path, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    roster = write_roster(tmp_path / "r.xlsx", [shift("2026-06-29", "10:00", "14:00")])
    return subprocess.run(
        [sys.executable, "-m", "batch", "declare", str(roster), "--dry-run", "--out", "out"],
        cwd=install,
        env={**os.environ, "PYTHONPATH": str(install), "COLUMNS": "200", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_unexpected_error_is_one_line_a_log_and_exit_3(tmp_path):
    install = broken_install(tmp_path)
    state = tmp_path / "state"
    done = run(install, tmp_path, {"XDG_STATE_HOME": str(state)})
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    (log,) = (state / "dimona-batch" / "logs").iterdir()
    assert done.stdout.splitlines()[-1] == (
        "onverwachte fout: TemplateSyntaxError: Expected an expression, got 'end of"
        f" statement block'; details in {log}"
    )
    text = log.read_text()
    assert "Traceback (most recent call last):" in text
    assert "validation.html" in text and "command: " in text
    assert log.stat().st_mode & 0o777 == 0o600
    assert (state / "dimona-batch" / "logs").stat().st_mode & 0o777 == 0o700


def test_the_log_goes_to_the_temporary_folder_when_the_state_folder_cannot_be_made(tmp_path):
    install = broken_install(tmp_path)
    (tmp_path / "state").write_text("a file where the state folder should be")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = run(
        install, tmp_path, {"XDG_STATE_HOME": str(tmp_path / "state"), "TMPDIR": str(temporary)}
    )
    assert done.returncode == 3
    (log,) = temporary.glob("dimona-batch-error-*.log")
    assert done.stdout.splitlines()[-1].endswith(f"; details in {log}")
    assert "TemplateSyntaxError" in log.read_text()
