"""Start-up stays light: the CLI imports pandas and the renderers only when a command runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "pandera", "xlsxwriter", "jinja2", "openpyxl", "python_calamine")


def _loaded(statement: str) -> list[str]:
    """Heavy modules a fresh interpreter has loaded after `statement`."""
    script = f"{statement}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_importing_the_cli_pulls_in_no_heavy_library():
    assert _loaded("import batch.cli") == []


def test_the_package_and_settings_import_nothing_heavy():
    assert _loaded("import batch, batch.settings") == []


def test_help_runs_without_loading_pandas():
    script = (
        "import sys\nfrom batch.cli import main\n"
        "try:\n    main(['declare', '--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "assert 'pandas' not in sys.modules and 'pandera' not in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Declare the shifts of ROSTERS" in out.stdout


def test_settings_are_the_ones_the_pipeline_uses():
    from batch import pipeline, settings, timeparse

    assert pipeline.CHANNELS == settings.CHANNELS == ("sandbox", "web", "rest")
    assert pipeline.LEDGER_ENV == "DIMONA_LEDGER"
    assert timeparse.HOURS == settings.HOURS == ("decimal", "clock")


def test_a_declare_off_a_terminal_does_not_import_the_progress_bar(tmp_path):
    """Nothing is shown off a terminal: a small run does not pay for rich.progress."""
    script = (
        "import sys\nfrom batch.cli import main\n"
        "try:\n"
        f"    main(['declare', {str(ROOT / 'samples' / 'roster-week27.xlsx')!r}, '--ledger',"
        f" {str(tmp_path / 'l.sqlite')!r}, '--out', {str(tmp_path / 'out')!r},"
        " '--as-of', '2026-06-28 12:00'])\n"
        "except SystemExit:\n    pass\n"
        "assert 'rich.progress' not in sys.modules, 'rich.progress imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out" / "receipts.xlsx").exists()
