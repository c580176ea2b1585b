"""The demo's three steps on the committed samples: every finding shows, in time and late.

`dimona-batch demo` declares roster-week27.xlsx at 28/06 12:00, the corrected roster at
29/06 09:00, then reconciles actuals-week27.xlsx at 01/07 01:00. samples/README.md lists what
each row of the time-clock export must give (finding, action, deadline, deadline status);
the deadlines are those of shared/domain.md §3, worked out by hand, not by the code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from batch.cli import DEMO_ACTUALS_AS_OF, DEMO_AS_OF, DEMO_CHANGES_AS_OF
from batch.identifiers import format_insz
from batch.model import Finding
from batch.pipeline import RunResult, declare, parse_as_of, reconcile

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# the workers of the sample week (samples/make_samples.py), by INSZ
LOTTE = "98031416242"  # Van den Broeck, brasserie
FIEN = "01012708832"  # Vermeulen, brasserie
WOUT = "89110204793"  # De Smet, brasserie
ELISE = "03082121480"  # D'Hondt, brasserie
JENS = "58050933170"  # Claeys, brasserie
ARNE = "95103019597"  # Goossens, brasserie
MILA = "05041206726"  # Jacobs, brasserie, on no roster
NATHALIE = "76040512687"  # Lefèvre, beach bar
KOBE = "04022915968"  # Maes, beach bar
RUBEN = "02061707315"  # Vandamme, beach bar
JOLIEN = "84121130252"  # Mertens, beach bar
HANNE = "87072324469"  # Willems, beach bar
YASMINE = "00010411889"  # El Amrani, caterer
JULIEN = "84031215707"  # Lambert, caterer
CAMILLE = "93091523669"  # Dubois, caterer

# (INSZ, declared start, or the actual start of undeclared work) ->
# (finding, action, deadline, deadline status), as samples/README.md lists them
EXPECTED = {
    # Tuesday 30 June, brasserie
    (LOTTE, "30/06 11:00"): ("match", "none", None, "n/a"),  # rows 3-4, with a break
    (FIEN, "30/06 11:00"): ("later end", "update", "30/06 22:30", "late"),  # 14:30 + 8 h
    (LOTTE, "30/06 18:00"): ("later end", "update", "01/07 08:00", "in time"),  # 22:30: band
    (WOUT, "30/06 18:00"): ("no-show", "cancel", "01/07 00:00", "late"),  # no row at all
    # Wednesday 1 July, brasserie
    (ELISE, "01/07 11:00"): ("match", "none", None, "n/a"),
    (JENS, "01/07 11:00"): ("no-show", "cancel", "02/07 00:00", "in time"),  # "ziek"
    (ELISE, "01/07 18:00"): ("match", "none", None, "n/a"),
    (ARNE, "01/07 18:00"): ("match", "none", None, "n/a"),
    (MILA, "01/07 18:00"): ("undeclared work", "declare", "01/07 18:00", "in time"),
    # beach bar
    (NATHALIE, "29/06 10:00"): ("earlier start", "manual", "29/06 08:00", "late"),
    (KOBE, "29/06 12:00"): ("no-show", "cancel", "30/06 00:00", "late"),  # "niet opgedaagd"
    (RUBEN, "30/06 10:00"): ("later start", "manual", "30/06 10:25", "late"),
    (JOLIEN, "30/06 12:00"): ("earlier end", "update", "01/07 00:00", "late"),
    (HANNE, "01/07 10:00"): ("match", "none", None, "n/a"),  # row 17 rejected, 16 + 18 cover
    (KOBE, "01/07 12:00"): ("later start", "update", "01/07 12:30", "in time"),
    # caterer
    (YASMINE, "30/06 14:00"): ("undeclared work", "declare", "30/06 14:00", "late"),
    (JULIEN, "01/07 16:00"): ("earlier start", "update", "01/07 15:00", "in time"),
    (CAMILLE, "01/07 16:00"): ("earlier end", "update", "02/07 00:00", "in time"),
}


@dataclass
class Demo:
    folder: Path
    first: RunResult
    again: RunResult


def _minute(moment: dt.datetime | None) -> str | None:
    return moment and f"{moment:%d/%m %H:%M}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The three steps of `dimona-batch demo --lang en`, then the reconcile once more."""
    out = tmp_path_factory.mktemp("demo")
    ledger = out / "ledger.sqlite"
    steps = [
        (declare, "roster-week27.xlsx", DEMO_AS_OF, out),
        (declare, "roster-week27-v2.xlsx", DEMO_CHANGES_AS_OF, out / "changes"),
        (reconcile, "actuals-week27.xlsx", DEMO_ACTUALS_AS_OF, out / "reconcile"),
        (reconcile, "actuals-week27.xlsx", DEMO_ACTUALS_AS_OF, out / "reconcile-again"),
    ]
    results = [
        job([SAMPLES / sample], ledger=ledger, out=folder, as_of=parse_as_of(as_of), lang="en")
        for job, sample, as_of, folder in steps
    ]
    return Demo(out, results[2], results[3])


def _lines(result: RunResult) -> dict[tuple[str, str | None], tuple[str, str, str | None, str]]:
    lines = {}
    for c in result.corrections:
        key = (c.worker.insz, _minute(c.declared_start or c.actual_start))
        assert key not in lines, f"two lines for {key}"
        lines[key] = (
            "; ".join(f.value for f in c.findings),
            c.action.value,
            _minute(c.deadline),
            c.deadline_status.value,
        )
    return lines


def test_the_demo_moments_are_those_the_samples_are_written_for() -> None:
    assert (DEMO_AS_OF, DEMO_CHANGES_AS_OF, DEMO_ACTUALS_AS_OF) == (
        "2026-06-28 12:00",
        "2026-06-29 09:00",
        "2026-07-01 01:00",
    )


def test_each_engineered_row_gives_its_finding_action_and_deadline(demo: Demo) -> None:
    lines = _lines(demo.first)
    for key, expected in EXPECTED.items():
        assert lines.get(key) == expected, key
    assert lines.keys() == EXPECTED.keys()  # nothing else looked at


def test_every_finding_at_least_once(demo: Demo) -> None:
    found = {f for c in demo.first.corrections for f in c.findings}
    # unreadable hours are not in the demo (its rejected row 17 sits between rows that
    # cover the shift): tests/test_findings.py shows them
    assert found == set(Finding) - {Finding.UNREADABLE}


@pytest.mark.parametrize(
    "finding",
    ["later end", "earlier end", "later start", "earlier start", "no-show", "undeclared work"],
)
def test_each_change_both_in_time_and_late(demo: Demo, finding: str) -> None:
    statuses = sorted(
        c.deadline_status.value
        for c in demo.first.corrections
        if [f.value for f in c.findings] == [finding]
    )
    assert set(statuses) == {"in time", "late"}, statuses


def test_what_the_reconcile_files(demo: Demo) -> None:
    result = demo.first
    filed = sorted((d.kind.value, d.result.value, d.late) for d in result.declarations)
    assert filed == sorted(
        [
            ("CANCEL", "W", True),  # Kobe 29/06
            ("CANCEL", "W", True),  # Wout 30/06
            ("CANCEL", "A", False),  # Jens 01/07
            ("UPDATE", "W", True),  # Fien: end 15:30
            ("UPDATE", "W", True),  # Jolien: end 19:00
            ("UPDATE", "A", False),  # Lotte: end 23:40
            ("UPDATE", "A", False),  # Kobe: start 12:30
            ("UPDATE", "A", False),  # Julien: start 15:00
            ("UPDATE", "A", False),  # Camille: end 22:00
            ("IN", "W", True),  # Yasmine 30/06, a late declaration
            ("IN", "A", False),  # Mila 01/07
        ]
    )
    manual = [c for c in result.corrections if c.action.value == "manual"]
    assert all(c.filed_at is None and c.note == "start_manual" for c in manual)
    assert result.counts["late"] == 7
    assert result.exit_status == 1


def test_the_bad_row_is_reported_at_its_cell(demo: Demo) -> None:
    assert [(p.cell, p.code, p.value, p.severity.value) for p in demo.first.problems] == [
        ("G17", "bad_time", "1x:30", "error")
    ]
    sheet = openpyxl.load_workbook(demo.folder / "reconcile" / "validation.xlsx")["Problems"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "File",
        "Sheet",
        "Row",
        "Column",
        "Cell",
        "Value",
        "Problem",
        "Severity",
    )
    assert [r[:6] for r in rows[1:]] == [
        ("actuals-week27.xlsx", "Prikklok", 17, "Uitgeklokt", "G17", "1x:30")
    ]
    assert (demo.folder / "reconcile" / "validation.html").exists()


def test_reconciling_the_same_file_again_files_nothing(demo: Demo) -> None:
    again = demo.again
    assert again.declarations == []
    lines = _lines(again)
    assert {key: line[:2] for key, line in lines.items() if line[0] != "match"} == {
        (NATHALIE, "29/06 10:00"): ("earlier start", "manual"),
        (RUBEN, "30/06 10:00"): ("later start", "manual"),
    }
    # the cancelled periods are no longer looked at; the filed changes now match
    assert (KOBE, "29/06 12:00") not in lines and (JENS, "01/07 11:00") not in lines
    assert lines[(FIEN, "30/06 11:00")][0] == "match"
    assert lines[(KOBE, "01/07 12:30")][0] == "match"
    assert lines[(YASMINE, "30/06 14:00")][0] == "match"


def test_corrections_xlsx_holds_the_late_deadline(demo: Demo) -> None:
    sheet = openpyxl.load_workbook(demo.folder / "reconcile" / "corrections.xlsx")["Corrections"]
    header, *rows = sheet.iter_rows(values_only=True)
    column = {name: i for i, name in enumerate(header)}
    fien = [
        r
        for r in rows
        if r[column["INSZ"]] == format_insz(FIEN)
        and r[column["Declared start"]] == dt.datetime(2026, 6, 30, 11, 0)
    ]
    assert len(fien) == 1
    row = fien[0]
    assert row[column["Actual end"]] == dt.datetime(2026, 6, 30, 15, 30)
    assert row[column["Finding"]] == "later end"
    assert row[column["Action"]] == "update"
    assert row[column["Deadline"]] == dt.datetime(2026, 6, 30, 22, 30)
    assert row[column["Deadline status"]] == "late"
    assert len(rows) >= len(EXPECTED)
