"""A date-time cell written as its cached Excel number is the cell write_datetime writes."""

from __future__ import annotations

import zipfile
from datetime import datetime

import xlsxwriter

from batch.render.excel import excel_serial

MOMENTS = [
    datetime(1900, 1, 1, 6, 30),
    datetime(1900, 2, 28, 23, 59),
    datetime(1900, 3, 1),
    datetime(2026, 6, 28, 12, 0),
    datetime(2026, 10, 25, 2, 30),
    datetime(2026, 12, 31, 23, 59, 59, 999_999),
    datetime(2027, 3, 28, 1, 59, 30, 123_456),
    datetime(9999, 12, 31, 23, 59),
]


def _sheet_xml(path, write) -> bytes:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for row, value in enumerate(MOMENTS):
        write(sheet, row, value, moment)
    workbook.close()
    with zipfile.ZipFile(path) as package:
        return package.read("xl/worksheets/sheet1.xml")


def test_the_serial_is_the_number_write_datetime_stores(tmp_path):
    by_datetime = _sheet_xml(tmp_path / "a.xlsx", lambda s, r, v, f: s.write_datetime(r, 0, v, f))
    by_number = _sheet_xml(
        tmp_path / "b.xlsx", lambda s, r, v, f: s.write_number(r, 0, excel_serial(v), f)
    )
    assert by_number == by_datetime
