"""What every spreadsheet we write shares: text that Excel must never run as a formula."""

from io import BytesIO

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from pars.vocab import CONTROL_CHARACTERS, REPLACEMENT

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
