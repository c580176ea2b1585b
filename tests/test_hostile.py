"""Hostile and broken files: one problem line naming the file, bounded memory and CPU, no traceback.

Each reproducer is built here (zip and hand-written XML for the malicious ones, openpyxl for
the normal ones) and run through the real command line in a child process limited to 1 GiB of
address space (RLIMIT_AS: pandas, numpy and calamine import under it) and 10 s of CPU
(RLIMIT_CPU: a child over it is killed, so the exit status shows it); the wall-clock timeout is
only a guard against a hang.
"""

from __future__ import annotations

import os
import re
import resource
import sqlite3
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from batch.pipeline import declare as declare_in_process
from batch.pipeline import parse_as_of
from batch.read import expand_paths
from batch.read.limits import MAX_CELLS
from batch.read.xlsx import Refused, hidden_flags, inspect
from tests.conftest import shift, write_roster

GIB = 1 << 30
CPU_SECONDS = 10
AS_OF = "2026-06-28 12:00"
GOOD = [shift("2026-06-30", "10:00", "14:00")]
SHEET = "xl/worksheets/sheet1.xml"


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def declare(tmp_path: Path, target: Path) -> tuple[int, str]:
    """The CLI run for real under the limits: its exit status and what it printed."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "COLUMNS": "200"}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "batch", "declare", str(target), "--lang", "en"),
            *("--ledger", str(tmp_path / "ledger.sqlite"), "--out", str(tmp_path / "out")),
            *("--as-of", AS_OF),
        ],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_limits,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "panicked" not in output, output
    return done.returncode, output


def one_line(output: str, name: str) -> str:
    (line,) = [line for line in output.splitlines() if name in line]
    return line


def problems(tmp_path: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(tmp_path / "out" / "validation.xlsx").active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def periods(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "ledger.sqlite") as db:
        return db.execute("SELECT count(*) FROM periods").fetchone()[0]


def assert_refused(tmp_path: Path, target: Path, message: str, cell: str = "") -> None:
    """Exit 2, one line naming the file, the same problem in validation.xlsx, no ledger."""
    status, output = declare(tmp_path, target)
    assert status == 2, output
    line = one_line(output, target.name)
    assert line.startswith(f"error   {target.name}") and message in line
    ((file, _, _, _, at, _, text, severity),) = problems(tmp_path)
    assert (file, at or "", severity) == (target.name, cell, "error")
    assert message in text
    assert not (tmp_path / "ledger.sqlite").exists()


# --- building workbooks by hand ---------------------------------------------------------------


def rewrite(
    path: Path, part: str, change, added: dict[str, str] | None = None, encoding: str = "utf-8"
) -> Path:
    """The workbook with one part's XML changed (text in, text out, written in `encoding`),
    and parts added."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files[part] = change(files[part].decode()).encode(encoding)
    files.update({name: text.encode() for name, text in (added or {}).items()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def roster(path: Path, rows=GOOD) -> Path:
    return write_roster(path, rows)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Week" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def sheet_xml(rows: str, dimension: str = "A1") -> str:
    return f'{_SHEET_START}<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'


def workbook(path: Path, sheet: str) -> Path:
    """A one-sheet workbook from hand-written sheet XML (inline strings, no styles)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr(SHEET, sheet)
    return path


def raw_zip(path: Path, parts: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written field by field: (name, deflated bytes, uncompressed size, CRC) per part."""
    local, central = b"", b""
    for name, data, size, crc in parts:
        header = struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, len(data), size, len(name), 0
        )
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, crc, len(data), size,
            len(name), 0, 0, 0, 0, 0, len(local),
        ) + name.encode()  # fmt: skip
        local += header + name.encode() + data
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central),
                      len(local), 0)  # fmt: skip
    path.write_bytes(local + central + end)
    return path


def deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), len(data), zlib.crc32(data)


def zip_bomb(path: Path, size: int = 3 * GIB) -> Path:
    """A workbook whose sheet inflates to `size` bytes from a few MB: one flushed deflate block
    repeated (each decodes alone), so building it costs nothing. Its CRC is not computed: the
    guard must refuse the part from the zip directory before anything inflates it."""
    block = b"<row><c><v>1</v></c></row>" * 40_000
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    stream = repeated * count + b"\x03\x00"  # an empty final block
    parts = [
        ("[Content_Types].xml", *deflated(_CONTENT_TYPES.encode())),
        ("_rels/.rels", *deflated(_RELS.encode())),
        ("xl/workbook.xml", *deflated(_WORKBOOK.encode())),
        ("xl/_rels/workbook.xml.rels", *deflated(_WORKBOOK_RELS.encode())),
        (SHEET, stream, count * len(block), 0),
    ]
    return raw_zip(path, parts)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)).replace(
        "&lol1;", "&lol;"
    )
    + "]>"
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_doctype(doctype: str, entity: str):
    """XML text with a DOCTYPE after its declaration and a reference to the entity."""

    def change(xml: str) -> str:
        declaration = re.match(r"<\?xml[^>]*\?>", xml)
        end = declaration.end() if declaration else 0
        xml = xml[:end] + doctype + xml[end:]
        return xml.replace("Peeters", entity).replace('name="Week 27"', f'name="{entity}"')

    return change


# --- a bad cell rejects its row, the others are declared (exit 1) ------------------------------


def bad_cell_roster(tmp_path: Path, column: int, value: object, number_format: str = "") -> Path:
    path = roster(tmp_path / "roster.xlsx", [shift("2026-06-29", "10:00", "14:00"), *GOOD])
    book = openpyxl.load_workbook(path)
    cell = book.active.cell(row=4, column=column)
    cell.value = value
    if number_format:
        cell.number_format = number_format
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("column", "value", "number_format", "cell", "message"),
    [
        (8, -1e308, "hh:mm", "H4", "time cannot be read"),
        (8, -1e308, "", "H4", "time cannot be read"),
        (7, -1e308, "dd/mm/yyyy", "G4", "date cannot be read"),
        (8, 123_456_789_012, "hh:mm", "H4", "time cannot be read"),
        (7, "01/01/1600", "", "G4", "date 01/01/1600 is outside the years 1900 to 2099"),
    ],
    ids=[
        "time-cell-minus-1e308",
        "number-minus-1e308",
        "date-cell-minus-1e308",
        "time-cell-12-digits",
        "text-1600",
    ],
)
def test_a_cell_no_calendar_holds_rejects_only_its_row(
    tmp_path, column, value, number_format, cell, message
):
    status, output = declare(tmp_path, bad_cell_roster(tmp_path, column, value, number_format))
    assert status == 1, output
    line = one_line(output, "roster.xlsx")
    assert line.startswith(f"error   roster.xlsx [Week 27] {cell}") and message in line
    assert [(p[0], p[4], p[7]) for p in problems(tmp_path)] == [("roster.xlsx", cell, "error")]
    assert periods(tmp_path) == 1


def test_a_date_cell_of_the_year_9999_rejects_only_its_row(tmp_path):
    import datetime as dt

    path = bad_cell_roster(tmp_path, 7, dt.datetime(9999, 12, 31))
    status, output = declare(tmp_path, path)
    assert status == 1, output
    assert "G4 (Werkdag): date 31/12/9999 is outside the years 1900 to 2099" in one_line(
        output, "roster.xlsx"
    )
    assert periods(tmp_path) == 1


# --- refused before calamine opens them (exit 2, no ledger) ---------------------------------


def test_billion_laughs_in_a_sheet_is_refused(tmp_path):
    path = rewrite(roster(tmp_path / "laughs.xlsx"), SHEET, with_doctype(LAUGHS, "&lol9;"))
    assert_refused(tmp_path, path, f"refused: {SHEET} declares XML entities")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_entities_in_a_sheet_written_in_utf16_are_refused(tmp_path, encoding):
    """A part in UTF-16 spells `<!` with zero bytes: it is looked for in that spelling too."""
    entities = with_doctype(LAUGHS, "&lol9;")

    def wide(xml: str) -> str:  # with its byte order mark and its encoding declared
        return "\ufeff" + re.sub(r'encoding="[^"]*"', 'encoding="UTF-16"', entities(xml), count=1)

    path = rewrite(roster(tmp_path / "wide.xlsx"), SHEET, wide, encoding=encoding)
    assert_refused(tmp_path, path, f"refused: {SHEET} declares XML entities")


def test_an_external_entity_in_the_workbook_part_is_refused(tmp_path):
    path = rewrite(
        roster(tmp_path / "xxe.xlsx"), "xl/workbook.xml", with_doctype(EXTERNAL, "&xxe;")
    )
    assert_refused(tmp_path, path, "refused: xl/workbook.xml declares XML entities")


def test_an_entity_in_the_shared_strings_is_refused(tmp_path):
    part = "xl/sharedStrings.xml"
    path = roster(tmp_path / "strings.xlsx")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    strings = f'<?xml version="1.0"?>{LAUGHS}<sst {ns}><si><t>&lol9;</t></si></sst>'
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    relation = f'<Relationship Id="rIdS" Type="{kind}" Target="sharedStrings.xml"/>'
    rewrite(path, SHEET, lambda xml: re.sub(r'<c r="E4" t="inlineStr"><is><t>[^<]*</t></is>',
                                            '<c r="E4" t="s"><v>0</v>', xml))  # fmt: skip
    rewrite(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace("</Relationships>", relation + "</Relationships>"),
        {part: strings},
    )
    assert_refused(tmp_path, path, f"refused: {part} declares XML entities")


def test_one_cell_at_xfd1048576_is_refused_from_the_sheet_scan(tmp_path):
    cell = '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
    path = workbook(tmp_path / "far.xlsx", sheet_xml(f'<row r="1048576">{cell}</row>', "A1"))
    assert path.stat().st_size < 6_000
    assert_refused(tmp_path, path, "more than 33,554,432 cells", cell="XFD1048576")


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 16 << 20
    assert_refused(tmp_path, path, f"refused: {SHEET} is compressed")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "text.xlsx"
    path.write_text("INSZ;Naam\n93051822361;Peeters\n")
    assert_refused(tmp_path, path, "not an Excel workbook (.xlsx): the file is not a zip")


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def test_a_password_protected_workbook_is_refused(tmp_path):
    path = tmp_path / "secret.xlsx"  # an OLE2 file holding the EncryptedPackage stream
    path.write_bytes(OLE2 + "EncryptedInfo".encode("utf-16-le") + bytes(64)
                     + "EncryptedPackage".encode("utf-16-le") + bytes(4096))  # fmt: skip
    assert_refused(tmp_path, path, "password-protected workbook")


def test_an_xls_saved_as_xlsx_is_refused(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(OLE2 + "Workbook".encode("utf-16-le") + bytes(4096))
    assert_refused(tmp_path, path, "an old Excel file (.xls) under another name")


def test_an_ods_saved_as_xlsx_is_refused(tmp_path):
    path = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert_refused(tmp_path, path, "an OpenDocument spreadsheet (.ods) named .xlsx")


# --- read normally --------------------------------------------------------------------------


def test_a_col_span_of_two_billion_columns_does_not_expand(tmp_path):
    cols = '<cols><col min="1" max="2000000000" width="9" hidden="1" customWidth="1"/></cols>'
    path = rewrite(
        roster(tmp_path / "cols.xlsx"),
        SHEET,
        lambda xml: xml.replace("<sheetData", cols + "<sheetData", 1),
    )
    status, output = declare(tmp_path, path)
    assert status == 0, output
    assert periods(tmp_path) == 1


def test_an_xlsm_in_a_folder_is_read_and_its_macros_never_run(tmp_path):
    folder = tmp_path / "rosters"
    folder.mkdir()
    path = roster(folder / "macros.xlsm")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    assert expand_paths([folder]) == [path]
    status, output = declare(tmp_path, folder)
    assert status == 0, output
    assert periods(tmp_path) == 1


def test_in_a_folder_a_refused_file_is_reported_and_the_others_are_declared(tmp_path):
    folder = tmp_path / "rosters"
    folder.mkdir()
    roster(folder / "good.xlsx", [shift("2026-06-29", "10:00", "14:00"), *GOOD])
    zip_bomb(folder / "bomb.xlsx")
    (folder / "notes.xlsx").write_text("not a workbook")
    status, output = declare(tmp_path, folder)
    assert status == 1, output
    assert "is compressed" in one_line(output, "bomb.xlsx")
    assert "not a zip" in one_line(output, "notes.xlsx")
    assert [(p[0], p[7]) for p in problems(tmp_path)] == [
        ("bomb.xlsx", "error"),
        ("notes.xlsx", "error"),
    ]
    assert periods(tmp_path) == 2


# --- the limits, checked in the process (no calamine) ---------------------------------------


def test_the_limits_admit_a_full_height_roster_of_ordinary_width(tmp_path):
    def far(cell: str, row: int) -> Path:
        first = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        last = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>'
        return workbook(tmp_path / f"{cell}.xlsx", sheet_xml(first + last))

    scan = inspect(far("AF1048576", 1_048_576))["Week"]  # 32 columns: at the limit
    assert (scan.last_row, scan.last_column) == (1_048_576, 32)
    assert scan.last_row * scan.last_column == MAX_CELLS
    with pytest.raises(Refused) as refused:
        inspect(far("AG1048576", 1_048_576))
    assert (refused.value.problem.code, refused.value.problem.cell) == (
        "sheet_too_large",
        "AG1048576",
    )


def test_a_col_span_beyond_excel_stops_at_its_last_column(tmp_path):
    cols = '<cols><col min="3" max="2000000000" hidden="1"/></cols>'
    path = rewrite(
        roster(tmp_path / "cols.xlsx"),
        SHEET,
        lambda xml: xml.replace("<sheetData", cols + "<sheetData", 1),
    )
    assert hidden_flags(path) == {"Week 27": (frozenset(), frozenset(range(2, 16_384)))}


def test_a_refused_file_leaves_an_existing_ledger_untouched(tmp_path):
    declare_in_process([roster(tmp_path / "good.xlsx")], tmp_path / "ledger.sqlite",
                       tmp_path / "first", parse_as_of(AS_OF))  # fmt: skip
    before = (tmp_path / "ledger.sqlite").read_bytes()
    status, output = declare(tmp_path, zip_bomb(tmp_path / "bomb.xlsx"))
    assert status == 2, output
    assert "is compressed" in one_line(output, "bomb.xlsx")
    assert (tmp_path / "ledger.sqlite").read_bytes() == before
    assert periods(tmp_path) == 1


def test_a_damaged_sheet_part_is_refused_with_one_line(tmp_path):
    """Bytes of the compressed sheet overwritten (a broken download): one line, exit 2."""
    path = roster(tmp_path / "damaged.xlsx")
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    assert_refused(tmp_path, path, "file cannot be read as Excel (.xlsx)")
