"""An uploaded spreadsheet as rows of text cells: XLSX (the first sheet) or CSV in UTF-8 (with or without BOM) or
GB18030 (what Excel on Chinese Windows saves), within caps on size, rows and columns.

Nothing here trusts the file: a zip that would unpack past `MAX_UNPACKED_BYTES` (an XLSX bomb), an old .xls, any
binary or undecodable file is refused with `SpreadsheetRefused` before a cell is read.
"""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024  # a college's thousands of students fit in well under 1 MB
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # what the XLSX's parts may unpack to, together
MAX_PARTS = 500  # entries of the XLSX's zip
MAX_ROWS = 10_000  # rows of people, header excluded
MAX_COLUMNS = 30  # columns read; any further ones are ignored
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc)


class SpreadsheetRefused(Exception):
    """The file is not a spreadsheet this import reads; the message says why, in the reader's language."""


def read_table(data):
    """The non-blank rows of the spreadsheet in `data` (bytes), each a list of text cells, header first."""
    if not data:
        raise SpreadsheetRefused(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetRefused(
            _("The file is larger than %(limit)s MB: split it, or remove unused sheets and pictures.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(data)
    elif data.startswith(OLE_MAGIC):
        raise SpreadsheetRefused(_("This is an old Excel file (.xls): save it as .xlsx or as CSV, then upload it."))
    else:
        rows = _csv_rows(_decode(data))
    return _capped(row for row in rows if any(cell.strip() for cell in row))


def _capped(rows):
    table = []
    for row in rows:
        table.append(row[:MAX_COLUMNS])
        if len(table) > MAX_ROWS + 1:  # the header, then the people
            raise SpreadsheetRefused(
                _("The file has more than %(limit)s rows of people: split it into several files.") % {"limit": MAX_ROWS}
            )
    return table


def _decode(data):
    if b"\x00" in data[:4096]:
        raise SpreadsheetRefused(_("This is not a spreadsheet: upload an .xlsx file or a CSV file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetRefused(_("The CSV file is neither UTF-8 nor GB18030 (GBK): save it from Excel as CSV again."))


def _csv_rows(text):
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise SpreadsheetRefused(_("This is not a readable CSV file: save it from Excel as CSV again.")) from None


def _xlsx_rows(data):
    unreadable = SpreadsheetRefused(_("This .xlsx file cannot be read: open it in Excel and save it again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    # Declared sizes bound what zipfile will unpack (it stops at them), so checking them stops a bomb.
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise SpreadsheetRefused(
            _("The .xlsx file unpacks to more than %(limit)s MB: it is not an ordinary list of people.")
            % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        return [_trimmed([_text(value) for value in row]) for row in _sheet_values(data)]
    except SpreadsheetRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises anything from KeyError to XML errors on a damaged file
        raise unreadable from None


def _sheet_values(data):
    # openpyxl costs 80–140 ms at every process start (python -X importtime) for a rare import (issue 14).
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        count = 0
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield row
            if any(value not in (None, "") for value in row):
                count += 1
                if count > MAX_ROWS + 1:
                    break  # one row past the cap is enough for _capped to refuse the file
    finally:
        workbook.close()


def _trimmed(cells):
    """A row without its trailing empty cells (a read-only sheet pads each row to the columns asked for)."""
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _text(value):
    """A cell as the text a person sees; a whole number stays whole (Excel keeps numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)
