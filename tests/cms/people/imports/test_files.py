"""Reading the office's spreadsheets (cms/people/imports/files.py): XLSX and CSV in the encodings Excel saves,
and every file that is not one refused with a clear message before a cell is read."""

import io
import zipfile

import pytest

from cms.people.imports import files
from cms.people.imports.files import SpreadsheetRefused, read_table
from tests.cms.people.imports.sheets import HEADER, STAFF, csv_bytes, xlsx_bytes


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk"])
def test_a_csv_reads_the_same_in_every_encoding_excel_saves(encoding):
    assert read_table(csv_bytes(STAFF, encoding=encoding)) == [HEADER, *STAFF]


def test_an_xlsx_reads_its_first_sheet_and_keeps_whole_numbers_whole():
    rows = [["张同学", 2026000001, "学生", "学生处", None, None, 13800000000.0]]
    table = read_table(xlsx_bytes(rows))
    assert table[1] == ["张同学", "2026000001", "学生", "学生处", "", "", "13800000000"]


def test_blank_rows_are_skipped():
    assert read_table(csv_bytes([STAFF[0], ["", "", ""], STAFF[1]])) == [HEADER, STAFF[0], STAFF[1]]


def refusal(data):
    with pytest.raises(SpreadsheetRefused) as refused:
        read_table(data)
    return str(refused.value)


def test_files_that_are_not_spreadsheets_are_refused_in_chinese():
    assert "空" in refusal(b"")
    assert ".xls" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)  # an old Excel file
    assert "不是电子表格" in refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "GB18030" in refusal(b"\xe5\xa7\x93\xe5\x90\x8d\n\xff\xfe\xff")
    assert ".xlsx" in refusal(b"PK\x03\x04" + b"garbage" * 20)  # a damaged zip


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert ".xlsx" in refusal(buffer.getvalue())


def test_an_xlsx_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (files.MAX_UNPACKED_BYTES + 1))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024  # small on the wire
    assert "40 MB" in refusal(data)


def test_a_file_over_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 100)
    assert "MB" in refusal(csv_bytes(STAFF))


def test_a_file_over_the_row_cap_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 3)
    assert "3" in refusal(csv_bytes(STAFF))
    assert "3" in refusal(xlsx_bytes(STAFF))


def test_a_formula_cell_reads_as_its_formula_text():
    table = read_table(xlsx_bytes([["=cmd|' /C calc'!A0", "T1", "教职工"]]))
    assert table[1][0] == "=cmd|' /C calc'!A0"  # and the row check refuses it (test_rows.py)
