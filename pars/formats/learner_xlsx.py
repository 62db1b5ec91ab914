"""PARS's Excel learner template: read uploaded rows, and write the blank template.

Layout of the real file: a guidance row, then the header on row 2 (15 columns, including the
trailing space of "Credit Type "), then one completion per row; Record Action is Add or Delete.
"""

from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from pars.formats.package import FormatError
from pars.formats.spreadsheet import safe_value, text_rows, workbook_bytes
from pars.vocab import MOC_CREDIT_TYPES, US_STATES, MocBoard

HEADER = (
    "Record Action",
    "ACCME Activity ID",
    "Completion Date",
    "First Name",
    "Last Name",
    "Date of Birth",
    "Licensing State",
    "Licensing ID or NPI",
    "Number of CME Credits",
    "Certifying Board",
    "Certifying Board ID",
    "Total Board Credits",
    "Credit Type ",
    "Credits Awarded for Credit Type",
    "Additional Credit Type",
)
GUIDANCE = (
    "Learner completions for PARS. Keep this row and the header row. Dates as "
    "MM/DD/YYYY; Date of Birth as MM/DD; Record Action Add or Delete."
)
EXPORT_NOTE = (
    "Where PARS has not yet given an ACCME Activity ID, that column holds this system's "
    "activity ID: replace it before sending the file to PARS."
)
HEADER_ROW = 2
STATE_BY_NAME = {name.lower(): code for code, name in US_STATES.items()}


def read(
    data: bytes, header: tuple[str, ...] = HEADER, variants: tuple[tuple[str, ...], ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(Excel row number, {column: text}) for each non-empty row after the header; the
    learner counts workbook shares this layout with its own ``header``. Row 2 may also hold
    one of the ``variants`` of the header (the activity template's CME+MOC columns)."""
    rows = text_rows(data)
    header = check_header(rows, header, variants)
    width = len(header)
    for number, cells in enumerate(rows, start=HEADER_ROW + 1):
        cells = cells[:width]
        if any(cells):
            yield number, dict(zip(header, cells + [""] * (width - len(cells)), strict=True))


def header_of(data: bytes) -> tuple[str, ...]:
    """The names in row 2 of the first sheet (to tell which template a file is)."""
    rows = text_rows(data)
    try:
        next(rows, None)
        return tuple(name for name in next(rows, ()) if name)
    finally:
        rows.close()


def check_header(
    rows, header: tuple[str, ...] = HEADER, variants: tuple[tuple[str, ...], ...] = ()
) -> tuple[str, ...]:
    """The header row 2 holds (``header`` or one of its ``variants``), or a FormatError
    naming what is missing, extra or out of order against ``header``."""
    for _ in range(HEADER_ROW - 1):
        next(rows, None)
    found = tuple(name for name in next(rows, ()) or () if name)
    for candidate in variants:
        if found == tuple(name.strip() for name in candidate):
            return candidate
    expected = tuple(name.strip() for name in header)
    if found != expected:
        missing = [n for n in expected if n not in {f.strip() for f in found}]
        extra = [n for n in found if n.strip() not in expected]
        raise FormatError(
            "Row 2 must hold the template's header, in its order. "
            + (f"Missing: {', '.join(missing)}. " if missing else "")
            + (f"Not in the template: {', '.join(extra)}. " if extra else "")
            + ("The columns are in another order." if not missing and not extra else "")
        )
    return header


def state_code(text: str) -> str:
    """A state of licensure as a 2-letter code: "IL" or "Illinois" (the sample uses names)."""
    return text.upper() if text.upper() in US_STATES else STATE_BY_NAME.get(text.lower(), text)


def template_sheet(title: str, guidance: str, header: tuple[str, ...]):
    """A new workbook laid out as PARS's templates: guidance on row 1, header on row 2 (frozen);
    returns the workbook and its sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([guidance])
    sheet.append(list(header))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return workbook, sheet


# Columns Excel must keep as typed: a Date of Birth of 09/10 would become a date, an ID or NPI
# would lose its leading zeros.
TEXT_COLUMNS = ("ACCME Activity ID", "Date of Birth", "Licensing ID or NPI", "Certifying Board ID")


def completion_rows(activity, completions) -> Iterator[dict]:
    """An activity's completions as rows of the template, one per board credit type (an
    upload reads further rows of a learner as more credit types of one completion). The
    ACCME Activity ID column holds this system's activity ID until PARS has given one, so
    the file uploads back here; the guidance row says to replace it before sending to PARS."""
    for completion in completions:
        base = {
            "Record Action": "Add",
            "ACCME Activity ID": activity.accme_activity_id or str(activity.id),
            "Completion Date": completion.completion_date,
            "First Name": completion.first_name,
            "Last Name": completion.last_name,
            "Date of Birth": completion.birth_month_day,
            "Licensing State": US_STATES.get(completion.state or "", completion.state),
            "Licensing ID or NPI": completion.npi or completion.license_number,
            "Number of CME Credits": completion.cme_credits,
            "Certifying Board": completion.board,
            "Certifying Board ID": completion.board_id,
            "Total Board Credits": completion.board_points_total,
        }
        credits = completion.board_credits or [None]
        for credit in credits:
            yield base | (
                {
                    "Credit Type": credit.credit_type,
                    "Credits Awarded for Credit Type": credit.points,
                }
                if credit
                else {}
            )


def blank(rows: Iterable[dict] = ()) -> bytes:
    """The template: guidance row, header, dropdowns for the constrained columns, the
    columns Excel would retype formatted as Text; filled with ``rows`` ({column: value},
    the export of an activity's completions) when given."""
    rows = list(rows)
    guidance = GUIDANCE + (" " + EXPORT_NOTE if rows else "")
    workbook, sheet = template_sheet("Learners", guidance, HEADER)
    for name in TEXT_COLUMNS:
        letter = sheet.cell(row=HEADER_ROW, column=HEADER.index(name) + 1).column_letter
        sheet.column_dimensions[letter].number_format = "@"
    for values in rows:
        sheet.append([safe_value(sheet, values.get(name.strip())) for name in HEADER])
        for name in TEXT_COLUMNS:
            sheet.cell(row=sheet.max_row, column=HEADER.index(name) + 1).number_format = "@"
    lists = sheet.parent.create_sheet("Lists")
    columns = {
        "Record Action": ["Add", "Delete"],
        # The confirmed sample writes the state's name ("Maine"); codes are read too.
        "Licensing State": list(US_STATES.values()),
        "Certifying Board": [b.value for b in MocBoard],
        "Credit Type ": sorted({t for ts in MOC_CREDIT_TYPES.values() for t in ts}),
    }
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = lists.cell(row=1, column=index).column_letter
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=index, value=value)
        validation = DataValidation(
            type="list", formula1=f"=Lists!${letter}$1:${letter}${len(values)}", allow_blank=True
        )
        validation.error = f"Choose a value from the list for {name.strip()}."
        target = sheet.cell(row=3, column=HEADER.index(name) + 1).column_letter
        validation.add(f"{target}3:{target}100000")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"
    return workbook_bytes(workbook)
