"""A non-editable install (a real wheel) finds its templates."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_pip_install_finds_the_templates(tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    assert (target / "batch" / "templates" / "receipts.html").is_file()
    for table in ("countries.csv", "municipalities.csv", "nationalities.csv", "provinces.csv"):
        assert (target / "batch" / "channels" / "codes" / table).is_file()
    script = (
        "import batch.render.html as h, sys;"
        "t = h.environment().get_template('receipts.html');"
        "print(t.filename)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert out.stdout.strip().startswith(str(target))
