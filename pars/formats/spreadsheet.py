"""Reading and writing workbooks. Reading is here alone, so no format knows which library
reads: the first sheet's rows as the text a person typed in each cell. Writing shares what
every spreadsheet we write needs: text that Excel must never run as a formula.

Workbooks are read with python-calamine (Rust; about 15 times openpyxl's read-only parse),
after pars.formats.package has checked them. calamine reads an error cell (#N/A, #DIV/0!) as
blank, which would drop what the file says without a word; a sheet holding one is read with
openpyxl, which gives the error's text for the row checks to name. openpyxl writes.
"""

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from io import BytesIO

import python_calamine
from openpyxl import load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from pars.formats.package import FormatError, count_tags, first_sheet
from pars.vocab import CONTROL_CHARACTERS, REPLACEMENT

NOT_READABLE = "This is not an Excel workbook (.xlsx) that can be read."
# An error cell's type, as Excel, LibreOffice and openpyxl write it (and with the other quote).
ERROR_CELL = (b' t="e"', b" t='e'")

# A cell starting with one of these is a formula to Excel (or to a CSV-minded importer).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def workbook_bytes(workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def inert_text(sheet: Worksheet | WriteOnlyWorksheet, value: str) -> Cell:
    """A text cell that Excel shows as typed and never evaluates (stored as a string, with the
    quote prefix Excel itself adds when a user types a leading apostrophe). For a write-only
    sheet and an ordinary one alike: both take the cell in ``append``."""
    cell = WriteOnlyCell(sheet, value)  # openpyxl marks a leading "=" as a formula here...
    cell.data_type = "s"  # ...so store it as plain text instead
    cell.quotePrefix = True
    return cell


def safe_value(sheet: Worksheet | WriteOnlyWorksheet, value):
    """The value as given, except text that would be a formula: every writer passes every
    value of a row through this. A character no workbook may hold (pars.vocab
    CONTROL_CHARACTERS, which openpyxl refuses) is written as U+FFFD: an export never fails
    for one stored value."""
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub(REPLACEMENT, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return inert_text(sheet, value)
    return value


# Reading.


def cell_text(value) -> str:
    """A cell as the text a person typed: dates as MM/DD/YYYY, 2.0 as 2, no outer spaces."""
    if value is None:
        return ""
    if type(value) is str:
        return value.strip()
    if isinstance(value, datetime | date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text_rows(data: bytes, reader: str | None = None) -> Iterator[list[str]]:
    """The first sheet's rows from row 1, each the texts of its cells from column A (an empty
    cell is ""; rows are as wide as the sheet's used range). ``reader`` ("calamine" or
    "openpyxl") is for comparing the two; by default calamine, unless the sheet holds an
    error cell or calamine cannot read it: openpyxl then reads it as far as it can, so a sheet
    damaged part way is refused naming the row after which it fails. Raises FormatError."""
    number = 0
    try:
        for number, row in enumerate(opened(data, reader), start=1):  # noqa: B007
            yield [cell_text(value) for value in row]
    except (FormatError, GeneratorExit):
        raise
    except Exception as error:  # each library raises many types for a damaged part
        if number == 0:
            raise FormatError(NOT_READABLE) from error
        raise FormatError(
            f"The workbook is damaged: it cannot be read after row {number}."
        ) from error


def opened(data: bytes, reader: str | None) -> Iterator:
    if reader is not None:
        return READERS[reader](data)
    if holds_error_cells(data):
        return openpyxl_rows(data)
    try:
        return calamine_rows(data)
    except Exception:  # calamine parses the whole sheet first and says only that it failed
        return openpyxl_rows(data)


def holds_error_cells(data: bytes) -> bool:
    """Whether the first sheet's XML has a cell of type "e" (a scan, no parsing: a tenth of
    calamine's read)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        sheet = first_sheet(archive)
        return sheet is not None and any(count_tags(archive, sheet, ERROR_CELL, 0))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False  # the reader says what is wrong with the file


def calamine_rows(data: bytes) -> Iterator[list]:
    """The sheet, parsed whole by calamine before this returns (so its errors come here, not
    from the rows). calamine gives the used range: rows from row 1 but columns from the first
    used one, so each row is padded back to start at column A."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
    try:
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception:
        workbook.close()
        raise
    padding = [""] * (sheet.start[1] if sheet.start else 0)
    return (padding + row for row in rows) if padding else rows


def openpyxl_rows(data: bytes) -> Iterator[tuple]:
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read every row: a writer's <dimension> may say fewer
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


READERS = {"calamine": calamine_rows, "openpyxl": openpyxl_rows}
