"""A large run's receipts.html: an index page, a file per employer, per work day if too large."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from batch.model import BRUSSELS, Declaration, Employer, Kind, References, Result, Worker
from batch.render import write_receipts
from batch.render.html import MAX_FILE_BYTES, SPLIT_OVER, write_receipts_html

CAFE = Employer("0566988259", "000935467", "Café De Kroon")
BAKERY = Employer("0123456749", "", "Bakkerij <Noord> & Zn")
BAR = Employer("0202239951", "", "Strandbar Zeezicht")
MONDAY = datetime(2026, 6, 29, 10, 0, tzinfo=BRUSSELS)


def _run(counts: dict[Employer, tuple[int, int]]) -> list[Declaration]:
    """`counts[employer] = (receipts, work days)`: receipts spread over the first days of
    the week, the employers interleaved as a roster of several clients would be."""
    plan = [(e, i, days) for e, (n, days) in counts.items() for i in range(n)]
    plan.sort(key=lambda p: (p[1], p[0].enterprise_number))
    run = []
    for number, (employer, i, days) in enumerate(plan, start=1):
        start = MONDAY + timedelta(days=i % days)
        run.append(
            Declaration(
                declaration_id=f"{900000 + number}",
                kind=Kind.IN,
                result=Result.WARNING if number % 97 == 0 else Result.ACCEPTED,
                period_id=f"{660740800000 + number}",
                sent_at=datetime(2026, 6, 28, 12, 0, tzinfo=BRUSSELS),
                start=start,
                end=start + timedelta(hours=4),
                employer=employer,
                worker=Worker(f"930518{number % 1000:03d}61", f"Naam{number}", "Voornaam"),
                references=References(),
                payload={},
                channel="sandbox",
            )
        )
    return run


def _pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _links(html: str) -> list[str]:
    return re.findall(r'<a (?:class="num" )?href="([^"#][^"]*)"', html)


def _receipt_ids(html: str) -> list[str]:
    return re.findall(r'<article class="receipt [^"]*" id="r-(\d+)">', html)


@pytest.fixture(scope="module")
def large() -> list[Declaration]:
    run = _run({CAFE: (1500, 3), BAKERY: (400, 2), BAR: (101, 1)})
    assert len(run) == SPLIT_OVER + 1
    return run


def test_a_run_over_2000_receipts_is_an_index_and_a_file_per_employer(tmp_path, large):
    paths = write_receipts(large, tmp_path, "en")
    assert paths == [tmp_path / "receipts.xlsx", tmp_path / "receipts.html", tmp_path / "receipts"]
    index = (tmp_path / "receipts.html").read_text(encoding="utf-8")
    # the run's summary stays on top of the index, with every receipt counted
    assert "<tr><th>Total</th><th>Accepted</th>" in index
    assert '<td class="num">2001</td>' in index
    assert "<h2>Summary</h2>" in index and "Strandbar Zeezicht" in index
    assert _receipt_ids(index) == []  # no receipt on the index itself
    assert _links(index) == [  # in order of appearance
        "receipts/0123456749.html",
        "receipts/0202239951.html",
        "receipts/0566988259.html",
    ]
    assert "Bakkerij &lt;Noord&gt; &amp; Zn</a>" in index
    pages = _pages(tmp_path / "receipts")
    assert sorted(pages) == ["0123456749.html", "0202239951.html", "0566988259.html"]
    for page in pages.values():
        assert _links(page) == ["../receipts.html"]
        assert (tmp_path / "receipts" / _links(page)[0]).resolve() == tmp_path / "receipts.html"
    assert len(_receipt_ids(pages["0566988259.html"])) == 1500
    assert len(_receipt_ids(pages["0123456749.html"])) == 400
    assert len(_receipt_ids(pages["0202239951.html"])) == 101
    # every receipt exactly once, each on its employer's page
    every = [n for page in pages.values() for n in _receipt_ids(page)]
    assert sorted(map(int, every)) == list(range(1, 2002))
    for d_number in (1, 2, 3, 2001):
        d = large[d_number - 1]
        page = pages[f"{d.employer.enterprise_number}.html"]
        assert f'id="r-{d_number}"' in page
        assert f'<td class="num">{d.period_id}</td>' in page
    for path in (tmp_path / "receipts").iterdir():
        assert path.stat().st_size <= MAX_FILE_BYTES
        assert path.stat().st_mode & 0o777 == 0o600


def test_an_employer_file_past_the_limit_is_split_by_work_day(tmp_path, large):
    limit = 1_000_000  # the café's 1,500 receipts pass it; 500 a day do not
    index = write_receipts_html(large, tmp_path / "receipts.html", "en", max_bytes=limit)
    html = index.read_text(encoding="utf-8")
    assert _links(html) == [
        "receipts/0123456749.html",
        "receipts/0202239951.html",
        "receipts/0566988259-2026-06-29.html",
        "receipts/0566988259-2026-06-30.html",
        "receipts/0566988259-2026-07-01.html",
    ]
    assert '<li><a class="num" href="receipts/0566988259-2026-06-30.html">30/06/2026</a>' in html
    pages = _pages(tmp_path / "receipts")
    assert len(pages) == 5
    for name, page in pages.items():
        assert len(page.encode("utf-8")) <= limit, name
    monday = pages["0566988259-2026-06-29.html"]
    assert '<p class="note">Work day 29/06/2026</p>' in monday
    assert {large[int(n) - 1].start.date().isoformat() for n in _receipt_ids(monday)} == {
        "2026-06-29"
    }
    every = [n for page in pages.values() for n in _receipt_ids(page)]
    assert sorted(map(int, every)) == list(range(1, 2002))


def test_a_work_day_past_the_limit_is_split_into_parts(tmp_path, large):
    limit = 300_000  # about 190 receipts a page
    index = write_receipts_html(large, tmp_path / "receipts.html", "en", max_bytes=limit)
    pages = _pages(tmp_path / "receipts")
    links = _links(index.read_text(encoding="utf-8"))
    assert sorted(link.removeprefix("receipts/") for link in links) == sorted(pages)
    assert "0566988259-2026-06-29-1.html" in pages
    assert all(len(p.encode("utf-8")) <= limit for p in pages.values())
    every = [n for page in pages.values() for n in _receipt_ids(page)]
    assert sorted(map(int, every)) == list(range(1, 2002))


def test_a_run_of_2000_is_one_page_and_replaces_an_earlier_split(tmp_path, large):
    write_receipts(large, tmp_path, "en")
    assert (tmp_path / "receipts").is_dir()
    small = large[:SPLIT_OVER]
    paths = write_receipts(small, tmp_path, "en")
    assert paths == [tmp_path / "receipts.xlsx", tmp_path / "receipts.html"]
    assert not (tmp_path / "receipts").exists()  # no stale employer files left behind
    html = (tmp_path / "receipts.html").read_text(encoding="utf-8")
    assert len(_receipt_ids(html)) == SPLIT_OVER


def test_a_split_rewritten_leaves_only_the_new_files(tmp_path, large):
    write_receipts_html(large, tmp_path / "receipts.html", "en", max_bytes=1_000_000)
    assert len(list((tmp_path / "receipts").iterdir())) == 5
    write_receipts_html(large, tmp_path / "receipts.html", "en")
    assert sorted(p.name for p in (tmp_path / "receipts").iterdir()) == [
        "0123456749.html",
        "0202239951.html",
        "0566988259.html",
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_of_other_files_in_the_way_is_left_alone(tmp_path, large):
    (tmp_path / "receipts").mkdir()
    (tmp_path / "receipts" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_receipts_html(large, tmp_path / "receipts.html", "en")
    assert (tmp_path / "receipts" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "receipts.html").exists()


# --- dimona-batch receipts: chosen by employer and work days, one pair per client ------


def _invoke(*args):
    from click.testing import CliRunner

    from batch.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def _column(path: Path, header: str) -> list:
    import openpyxl

    rows = list(openpyxl.load_workbook(path).worksheets[0].values)
    col = rows[0].index(header)
    return [row[col] for row in rows[1:]]


@pytest.fixture
def declared(tmp_path):
    """Two clients over two ISO weeks, declared in one run."""
    from tests.conftest import AN, JAN, OTHER_EMPLOYER, shift, write_roster

    roster = write_roster(
        tmp_path / "r.xlsx",
        [
            shift("2026-06-29", "10:00", "14:00"),
            shift("2026-06-30", "12:00", "18:00", JAN, last="Janssens", first="Jan"),
            shift("2026-07-06", "10:00", "14:00"),
            shift("2026-07-01", "09:00", "13:00", AN, OTHER_EMPLOYER, employer="Bistro Oost"),
        ],
    )
    ledger = tmp_path / "l.sqlite"
    result = _invoke(
        "declare", roster, "--ledger", ledger, "--out", tmp_path / "run",
        "--as-of", "2026-06-28 12:00", "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return ledger


def _periods(ledger: Path, enterprise: str, first: str, last: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(ledger) as db:
        rows = db.execute(
            "SELECT period_id FROM periods WHERE enterprise_number = ?"
            " AND work_day BETWEEN ? AND ? ORDER BY declared_start",
            (enterprise, first, last),
        )
        return [r[0] for r in rows]


def test_receipts_per_employer_and_iso_week(tmp_path, declared):
    out = tmp_path / "clients"
    result = _invoke(
        "receipts", "--ledger", declared, "--out", out, "--lang", "en", "--per-employer",
        "--from", "2026-06-29", "--to", "2026-07-12", "--mask-insz",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "receipts-0403170701-2026-W27.html",
        "receipts-0403170701-2026-W27.xlsx",
        "receipts-0566988259-2026-W27.html",
        "receipts-0566988259-2026-W27.xlsx",
        "receipts-0566988259-2026-W28.html",
        "receipts-0566988259-2026-W28.xlsx",
    ]
    assert f"wrote {out}/receipts-0566988259-2026-W28.xlsx\n" in result.output
    w27 = out / "receipts-0566988259-2026-W27.xlsx"
    assert _column(w27, "Period number") == _periods(
        declared, "0566988259", "2026-06-29", "2026-07-05"
    )
    assert len(_column(w27, "Period number")) == 2
    w28 = out / "receipts-0566988259-2026-W28.xlsx"
    assert _column(w28, "Period number") == _periods(
        declared, "0566988259", "2026-07-06", "2026-07-12"
    )
    other = out / "receipts-0403170701-2026-W27.xlsx"
    assert _column(other, "Period number") == _periods(
        declared, "0403170701", "2026-06-29", "2026-07-05"
    )
    assert _column(other, "Employer") == ["Bistro Oost"]
    assert _column(w27, "INSZ") == ["93.05.18-***.**", "85.07.30-***.**"]
    page = (out / "receipts-0566988259-2026-W27.html").read_text(encoding="utf-8")
    assert '<p class="note">0566.988.259 · 2026-W27</p>' in page
    assert "Bistro Oost" not in page and "93.05.18-223.61" not in page


def test_receipts_of_an_employer_across_batches_and_within_one(tmp_path, declared):
    out = tmp_path / "out"
    result = _invoke(
        "receipts", "--ledger", declared, "--out", out, "--employer", "BE 0403.170.701"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "receipts-0403170701.html",
        "receipts-0403170701.xlsx",
    ]
    assert _column(out / "receipts-0403170701.xlsx", "Periodenummer") == _periods(
        declared, "0403170701", "2026-01-01", "2026-12-31"
    )
    result = _invoke(
        "receipts", "--ledger", declared, "--out", out, "--batch", "1",
        "--employer", "0566988259", "--to", "2026-07-05",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    chosen = out / "receipts-batch-1-0566988259-to-2026-07-05.xlsx"
    assert f"geschreven: {chosen} (batch 1)" in result.output  # the terminal speaks --lang
    assert _column(chosen, "Periodenummer") == _periods(
        declared, "0566988259", "2026-06-29", "2026-07-05"
    )


def test_receipts_chosen_that_match_nothing_or_a_bad_number_are_refused(tmp_path, declared):
    out = tmp_path / "out"
    result = _invoke(
        "receipts", "--ledger", declared, "--out", out,
        "--employer", "0403.170.701", "--from", "2026-07-06",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no receipts in the ledger for employer 0403.170.701 from 2026-07-06" in result.output
    result = _invoke("receipts", "--ledger", declared, "--out", out, "--employer", "12AB")
    assert result.exit_code == 2
    assert "--employer '12AB': an enterprise number has 10 digits" in result.output
    assert not out.exists()
