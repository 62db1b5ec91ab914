"""The activity download: one row per activity with every field of the record (.xlsx).

Written with openpyxl's write-only mode from plain rows (pars.activities.downloads reads them with
Core selects, not ORM objects), so 10,000 activities cost little more than openpyxl writing the
same cells by itself.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from pars.formats.spreadsheet import safe_value, workbook_bytes

Children = dict[str, dict[int, list]]
Column = tuple[str, Callable[[Any, Children], Any]]


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _joined(kind: str) -> Callable[[Any, Children], str | None]:
    return lambda row, children: "; ".join(children[kind].get(row.id, ())) or None


def _plain(name: str) -> Callable[[Any, Children], Any]:
    return lambda row, children: getattr(row, name)


def _flag(name: str) -> Callable[[Any, Children], str | None]:
    return lambda row, children: _yes_no(getattr(row, name))


COLUMNS: list[Column] = [
    ("Activity ID", _plain("id")),
    ("ACCME Activity ID", _plain("accme_activity_id")),
    ("Internal ID", _plain("internal_id")),
    ("Title", _plain("title")),
    ("Status", _plain("status")),
    ("Format", _plain("format")),
    ("Start Date", _plain("start_date")),
    ("End Date", _plain("end_date")),
    ("Delivery Methods", _joined("delivery")),
    ("Country", _plain("country")),
    ("City", _plain("city")),
    ("State/Province", _plain("state")),
    ("ZIP/Postal Code", _plain("postal_code")),
    ("AMA PRA Category 1 Credits", _plain("ama_credits")),
    ("Include in CME Passport", _flag("in_cme_passport")),
    ("Description", _plain("description")),
    ("Who Can Register", _plain("registration")),
    ("Fee", _plain("fee")),
    ("URL", _plain("url")),
    ("MOC", _flag("moc")),
    ("MIPS", _flag("mips")),
    ("REMS", _flag("rems")),
    ("REMS Type", _plain("rems_type")),
    ("Providership", _plain("providership")),
    ("Joint Providers", _joined("joint")),
    ("Outcomes Measured", _joined("outcomes")),
    ("Commercial Support Received", _flag("commercial_support")),
    ("Monetary Support", _joined("monetary")),
    ("In-kind Support", _joined("in_kind")),
    ("Commendation", _flag("commendation")),
    ("Commendation Criteria", _joined("commendation")),
    ("MOC Registrations", _joined("moc")),
    ("Physician Learners", _plain("physician_learners")),
    ("Other Learners", _plain("other_learners")),
    ("Created (UTC)", _plain("created_at")),
    ("Last Updated (UTC)", _plain("updated_at")),
    ("Closed (UTC)", _plain("closed_at")),
]
HEADERS = [header for header, _ in COLUMNS]


def outcome_text(outcome: str, objective: bool, subjective: bool) -> str:
    kinds = [k for k, on in (("objective", objective), ("subjective", subjective)) if on]
    return f"{outcome} ({', '.join(kinds)})" if kinds else outcome


def write(rows: Iterable[Any], children: Children) -> bytes:
    """The workbook of activity rows (anything with the record's attributes) and their child
    rows as text, grouped by kind and activity id, as bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Activities")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, header, bold) for header in HEADERS])
    getters = [getter for _, getter in COLUMNS]
    for row in rows:
        sheet.append([_cell(sheet, getter(row, children)) for getter in getters])
    return workbook_bytes(workbook)


def _header_cell(sheet, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.font = font
    return cell


def _cell(sheet, value):
    if isinstance(value, datetime):
        # Excel has no time zones: write the UTC time without its offset, marked as such.
        cell = WriteOnlyCell(sheet, value.replace(tzinfo=None))
        cell.number_format = "mm/dd/yyyy hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "mm/dd/yyyy"
        return cell
    return safe_value(sheet, value)
