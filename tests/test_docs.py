"""docs/commands.md is every command's --help, so the reference cannot drift from the code.

After changing an option or a help text: `make docs` (or `python tests/test_docs.py`) writes
it again; this test fails until it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from batch.cli import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "commands.md"
WIDTH = 100

HEAD = """# Every command and option

This page is the `--help` of each `dimona-batch` command, word for word (a test keeps it
so). Run any of them as `.venv/bin/dimona-batch COMMAND --help` after `make demo` or
`make test` has made the virtual environment.
"""


def _help(*args: str) -> str:
    result = CliRunner().invoke(
        main, [*args, "--help"], prog_name="dimona-batch", terminal_width=WIDTH
    )
    assert result.exit_code == 0, result.output
    return result.output.rstrip() + "\n"


def render() -> str:
    parts = [HEAD, "\n## dimona-batch\n\n```text\n", _help(), "```\n"]
    for name in main.list_commands(None):  # type: ignore[arg-type]
        parts += [f"\n## dimona-batch {name}\n\n```text\n", _help(name), "```\n"]
    return "".join(parts)


def test_commands_md_is_every_commands_help():
    assert DOC.read_text(encoding="utf-8") == render(), "run `make docs` to write it again"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
