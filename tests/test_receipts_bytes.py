"""A small run's receipts, byte for byte: the HTML and every cell of the workbook as kept.

The golden files in tests/data/receipts/ were written by the renderer before it streamed
its views; any change to what a small run's receipts.html or receipts.xlsx shows fails
here. After an intended change: `python tests/test_receipts_bytes.py` writes them again.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from batch.model import (
    BRUSSELS,
    Declaration,
    Employer,
    Identification,
    Kind,
    References,
    Result,
    Worker,
)
from batch.render import write_receipts

GOLDEN = Path(__file__).resolve().parent / "data" / "receipts"
CAFE = Employer("0566988259", "000935467", "Café De Kroon")
BAKERY = Employer("0123456749", "", "Bakkerij <Noord> & Zn")
NO_NUMBER = Employer("", "000935467", "Zonder KBO")


def _at(month: int, day: int, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS, fold=fold)


def _d(number: int, period: str | None, **kw) -> Declaration:
    fields = {
        "declaration_id": f"90000{number}",
        "kind": Kind.IN,
        "result": Result.ACCEPTED,
        "period_id": period,
        "sent_at": _at(6, 24, 18, 5),
        "start": _at(6, 25, 10),
        "end": _at(6, 25, 14),
        "employer": CAFE,
        "worker": Worker("93051822361", "Peeters", "Jan"),
        "references": References("EMP-1", "WRK-7", "DECL-3"),
        "payload": {},
        "channel": "sandbox",
        "source": "week26.xlsx [Rooster] row 4",
    }
    fields.update(kw)
    return Declaration(**fields)


def run() -> list[Declaration]:
    """Every kind of receipt a run shows: each answer, late, a later answer, no INSZ, the
    autumn's repeated hour, a web item, markup and formulas in names, an INSZ in a text."""
    nameless = Worker(
        "",
        "Janssens",
        "An",
        Identification(
            date(1993, 5, 18), "Gent", "F", "Kerkstraat", "12", "3", "9000", "Gent", "BE"
        ),
    )
    return [
        _d(1, "660740832053"),
        _d(
            2,
            "660740832054",
            result=Result.WARNING,
            anomalies=("90017-510", "late declaration"),
            worker=Worker("85073003328", "=1+2", "<b>x</b>"),
            sent_at=datetime(2026, 6, 24, 16, 30, tzinfo=UTC),
            late=True,
        ),
        _d(3, None, result=Result.REFUSED, employer=BAKERY, anomalies=("00913-355",)),
        _d(
            4,
            "660740832055",
            kind=Kind.UPDATE,
            result=Result.PENDING,
            employer=BAKERY,
            start=_at(6, 25, 22),
            end=_at(6, 26, 2),
            channel="web",
        ),
        _d(5, "660740832056", kind=Kind.CANCEL, worker=nameless, employer=NO_NUMBER),
        _d(
            6,
            "660740832057",
            start=_at(10, 24, 22),
            end=_at(10, 25, 2, 30, fold=1),
            sent_at=_at(10, 25, 2, 15),
            answered_at=_at(10, 25, 2, 40, fold=1),
            anomalies=("INSZ 93051822361 is not valid",),
            source="week43.xlsx [Rooster] row 9",
        ),
        _d(7, "660740832058", employer=Employer("0566988259", "000935467", "Cafe De Kroon")),
    ]


CASES = {
    "nl": {"lang": "nl", "title_note": "28/06/2026 12:00"},
    "fr": {"lang": "fr"},
    "en": {"lang": "en"},
    "en-masked": {"lang": "en", "mask": True},
}


def cells(path: Path) -> dict:
    """Every sheet's cells as openpyxl reads them: value, number format and fill."""
    book = openpyxl.load_workbook(path)
    shown = {}
    for sheet in book.worksheets:
        shown[sheet.title] = [
            [
                [
                    c.value.isoformat() if isinstance(c.value, datetime) else c.value,
                    c.number_format,
                    c.fill.fgColor.rgb if c.fill.fill_type else None,
                ]
                for c in row
            ]
            for row in sheet.iter_rows()
        ]
    return shown


def _write(case: str, out: Path) -> None:
    kwargs = dict(CASES.get(case, {"lang": "en"}))
    declarations = [] if case == "empty" else run()
    write_receipts(declarations, out, kwargs.pop("lang"), **kwargs)


@pytest.mark.parametrize("case", [*CASES, "empty"])
def test_small_run_receipts_are_byte_for_byte_as_kept(tmp_path, case):
    _write(case, tmp_path)
    expected = (GOLDEN / f"{case}.html").read_bytes()
    assert (tmp_path / "receipts.html").read_bytes() == expected
    kept = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    assert cells(tmp_path / "receipts.xlsx") == kept


if __name__ == "__main__":
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in [*CASES, "empty"]:
        with tempfile.TemporaryDirectory() as folder:
            _write(name, Path(folder))
            (GOLDEN / f"{name}.html").write_bytes((Path(folder) / "receipts.html").read_bytes())
            shown = cells(Path(folder) / "receipts.xlsx")
            text = json.dumps(shown, ensure_ascii=False, indent=0)
            (GOLDEN / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {GOLDEN}\n")
