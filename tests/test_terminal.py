"""What the terminal says, in nl, fr and en: the summary, problems, files, batch, channel.

Runs go through the real command line (click's runner: not a terminal, so no progress bar is
drawn) on rosters built here; the lines below the summary table are compared exactly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch import terminal
from batch.cli import main
from batch.pipeline import DeclareResult, ImportResult, ReconcileResult, SyncResult, declare
from tests.conftest import at, shift, write_roster
from tests.workbooks import insz

AS_OF = ("--as-of", "2026-06-28 12:00")
ROWS = [shift("2026-06-29", "10:00", "14:00"), shift("2026-06-30", "10:00", "14:00")]


def run(*args) -> tuple[int, dict[str, str], list[str]]:
    """Exit status, the summary table's rows ({label: value}) and the lines below it."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    table, lines = {}, []
    for line in result.output.splitlines():
        if line.startswith(("│", "┃")):
            name, value = (cell.strip() for cell in line.strip("│┃").split(line[0]))
            table[name] = value
        elif not line.startswith(("┏", "┡", "└")) and line.strip():
            lines.append(line)
    return result.exit_code, table, lines


def declare_args(tmp_path: Path, roster: Path, *extra) -> list:
    ledger = tmp_path / "l.sqlite"
    return ["declare", roster, "--ledger", ledger, "--out", tmp_path / "out", *AS_OF, *extra]


SUMMARY = {
    "nl": {
        "aangegeven": "2",
        "ongewijzigd": "0",
        "gewijzigd": "0",
        "geannuleerd": "0",
        "afgewezen": "0",
        "te laat": "0",
        "tegengehouden": "0",
        "met waarschuwing": "0",
        "in behandeling": "0",
        "geïdentificeerd": "0",
    },
    "fr": {
        "déclarées": "2",
        "inchangées": "0",
        "modifiées": "0",
        "annulées": "0",
        "rejetées": "0",
        "en retard": "0",
        "retenues": "0",
        "avec avertissement": "0",
        "en attente": "0",
        "identifiées": "0",
    },
    "en": {
        "declared": "2",
        "unchanged": "0",
        "updated": "0",
        "cancelled": "0",
        "rejected": "0",
        "late": "0",
        "held": "0",
        "warned": "0",
        "pending": "0",
        "identified": "0",
    },
}
WROTE = {"nl": "geschreven: {}", "fr": "écrit : {}", "en": "wrote {}"}
SANDBOX = {
    "nl": "SANDBOX: niets bereikte de RSZ (2 aangifte(n) ingediend in de sandbox)",
    "fr": "SANDBOX : rien n'est parvenu à l'ONSS (2 déclaration(s) déposée(s) dans le bac à sable)",
    "en": "SANDBOX: nothing reached the NSSO (2 filed in the sandbox)",
}
RECORDED = {
    "nl": "batch 1 vastgelegd in het grootboek",
    "fr": "lot 1 enregistré dans le registre",
    "en": "batch 1 recorded in the ledger",
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_sandbox_run_says_so_in_each_language(tmp_path, lang):
    roster = write_roster(tmp_path / "r.xlsx", ROWS)
    status, table, lines = run(*declare_args(tmp_path, roster, "--lang", lang))
    assert status == 0, lines
    assert table == {terminal.TITLES["declare"][lang]: "", **SUMMARY[lang]}
    out = tmp_path / "out"
    files = ("receipts.xlsx", "receipts.html", "validation.xlsx", "validation.html")
    assert lines == [
        *(WROTE[lang].format(out / name) for name in files),
        SANDBOX[lang],
        RECORDED[lang],
    ]


def test_dutch_is_the_default(tmp_path):
    roster = write_roster(tmp_path / "r.xlsx", ROWS)
    _, table, lines = run(*declare_args(tmp_path, roster))
    assert table == {"diensten": "", **SUMMARY["nl"]}
    assert lines[-2:] == [SANDBOX["nl"], RECORDED["nl"]]


WEB = {
    "nl": ("2 op het werkblad gezet, niets ingediend", "1 op het werkblad gezet, niets ingediend",
           "3 in totaal nog in te typen in het webformulier"),
    "fr": ("2 mise(s) sur la feuille de travail, rien n'est déposé",
           "1 mise(s) sur la feuille de travail, rien n'est déposé",
           "3 au total encore à encoder dans le formulaire web"),
    "en": ("2 queued on the worksheet, nothing filed", "1 queued on the worksheet, nothing filed",
           "3 in all still to type in the web form"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_web_channel_says_nothing_was_filed(tmp_path, lang):
    roster = write_roster(tmp_path / "r.xlsx", ROWS)
    first = run(*declare_args(tmp_path, roster, "--lang", lang, "--channel", "web"))
    assert first[2][-2:] == [WEB[lang][0], RECORDED[lang].replace("1", "1")]
    more = write_roster(tmp_path / "r2.xlsx", [*ROWS, shift("2026-07-01", "10:00", "14:00")])
    second = run(*declare_args(tmp_path, more, "--lang", lang, "--channel", "web"))
    assert second[2][-3:-1] == [WEB[lang][1], WEB[lang][2]]
    assert not any("SANDBOX" in line for line in first[2] + second[2])


ERRORS = {
    "nl": "fout    r.xlsx [Week 27] D5 (INSZ): controlecijfers van het INSZ kloppen niet",
    "fr": "erreur  r.xlsx [Week 27] D5 (INSZ): les chiffres de contrôle du NISS ne "
    "correspondent pas",
    "en": "error   r.xlsx [Week 27] D5 (INSZ): INSZ check digits do not match",
}
NOTHING = {
    "nl": "niets ingediend: geen ontvangstbewijzen geschreven; om eerdere ontvangstbewijzen "
    "opnieuw te schrijven: dimona-batch receipts --batch 1 --out DIR --ledger {}",
    "fr": "rien n'est déposé : aucun accusé de réception écrit ; pour réécrire des accusés de "
    "réception antérieurs : dimona-batch receipts --batch 1 --out DIR --ledger {}",
    "en": "nothing filed: no receipts written; to write earlier receipts again: "
    "dimona-batch receipts --batch 1 --out DIR --ledger {}",
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_errors_and_a_run_that_files_nothing_in_each_language(tmp_path, lang):
    rows = [*ROWS[:1], shift("2026-06-30", "10:00", "14:00", insz="93051822362")]
    roster = write_roster(tmp_path / "r.xlsx", rows)
    status, _, lines = run(*declare_args(tmp_path, roster, "--lang", lang))
    assert status == 1
    assert lines[0] == ERRORS[lang]
    status, _, lines = run(*declare_args(tmp_path, roster, "--lang", lang))
    assert lines[-1] == NOTHING[lang].format(tmp_path / "l.sqlite")


@pytest.mark.parametrize(
    ("lang", "title", "error"),
    [
        ("nl", "proefdraaien: niets ingediend", "fout: not found: "),
        ("fr", "essai : rien n'est déposé", "erreur : not found: "),
        ("en", "dry run: nothing filed", "error: not found: "),
    ],
)
def test_a_dry_run_and_a_usage_error_in_each_language(tmp_path, lang, title, error):
    roster = write_roster(tmp_path / "r.xlsx", ROWS)
    args = declare_args(tmp_path, roster, "--lang", lang, "--dry-run")
    output = CliRunner().invoke(main, [str(a) for a in args]).output
    assert " ".join(output.partition("┏")[0].split()) == title  # the table's title, wrapped
    missing = tmp_path / "none.xlsx"
    status, _, lines = run("declare", missing, "--lang", lang)
    assert (status, lines) == (2, [f"{error}{missing}"])


def test_every_count_of_every_command_has_a_label_in_three_languages():
    for kind in (DeclareResult, ReconcileResult, ImportResult, SyncResult):
        for name in kind().counts:
            assert set(terminal.COUNTS[name]) == {"nl", "fr", "en"}, name
        assert set(terminal.TITLES[kind.command]) == {"nl", "fr", "en"}
    for texts in (*terminal.LINES.values(), *terminal.STAGES.values()):
        assert set(texts) == {"nl", "fr", "en"}


def test_channel_lines_take_counts():
    counts = terminal.ChannelCounts(filed=0, queued=15, open=15)
    assert terminal.channel_lines("web", counts, "en") == [
        ("15 queued on the worksheet, nothing filed", "bold")
    ]
    assert terminal.channel_lines("sandbox", terminal.ChannelCounts(filed=0), "en") == []


def test_filing_is_counted_for_the_progress_bar_a_step_at_a_time(tmp_path):
    day = dt.date(2026, 6, 29)
    rows = [
        shift(
            (day + dt.timedelta(days=n % 7)).isoformat(),
            "10:00",
            "14:00",
            insz(f"9305{10 + n // 500}", n % 500 + 1),
        )
        for n in range(1001)
    ]
    roster = write_roster(tmp_path / "r.xlsx", rows)
    stages, counted = [], []
    result = declare(
        [roster],
        ledger=tmp_path / "l.sqlite",
        out=tmp_path / "out",
        as_of=at("2026-06-28 12:00"),
        stage=stages.append,
        progress=lambda done, total: counted.append((done, total)),
    )
    assert result.counts["declared"] == 1001
    assert stages == ["read", "validate", "plan", "file", "render"]
    # told every PROGRESS_STEP (100) answers, and at the end
    assert counted == [(n, 1001) for n in range(100, 1001, 100)] + [(1001, 1001)]


def test_an_unexpected_error_speaks_the_language_its_command_line_names():
    from batch.cli import _lang_of

    assert _lang_of(["declare", "r.xlsx", "--lang", "fr"]) == "fr"
    assert _lang_of(["declare", "--lang=en", "r.xlsx"]) == "en"
    assert _lang_of(["declare", "r.xlsx"]) == "nl"
    assert _lang_of(["declare", "--lang", "de"]) == "nl"
    assert terminal.label("unexpected", "fr") == "erreur inattendue :"
