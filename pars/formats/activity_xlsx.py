"""The activity download: one row per activity with every field of the record (.xlsx).

Reads with Core selects (rows, not ORM objects) and writes with openpyxl's write-only mode, so
10,000 activities cost little more than openpyxl writing the same cells by itself.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import Select
from sqlmodel import Session, select

from pars.formats.spreadsheet import safe_value, workbook_bytes
from pars.models import (
    Activity,
    CommendationTag,
    DeliveryMethodRow,
    JointProvider,
    MocCreditType,
    MocRegistration,
    OutcomeRow,
    SupportSource,
)
from pars.vocab import SupportKind

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


def _outcome_text(outcome: str, objective: bool, subjective: bool) -> str:
    kinds = [k for k, on in (("objective", objective), ("subjective", subjective)) if on]
    return f"{outcome} ({', '.join(kinds)})" if kinds else outcome


def load_children(session: Session, ids: Select) -> Children:
    """Every child row of the selected activities, as display text grouped by activity id."""
    children: Children = defaultdict(lambda: defaultdict(list))

    def collect(kind: str, query: Select, text: Callable) -> None:
        for row in session.execute(query):
            children[kind][row[0]].append(text(*row[1:]))

    collect(
        "delivery",
        select(DeliveryMethodRow.activity_id, DeliveryMethodRow.method).where(
            DeliveryMethodRow.activity_id.in_(ids)
        ),
        str,
    )
    collect(
        "joint",
        select(JointProvider.activity_id, JointProvider.name)
        .where(JointProvider.activity_id.in_(ids))
        .order_by(JointProvider.position),
        str,
    )
    collect(
        "outcomes",
        select(
            OutcomeRow.activity_id, OutcomeRow.outcome, OutcomeRow.objective, OutcomeRow.subjective
        ).where(OutcomeRow.activity_id.in_(ids)),
        _outcome_text,
    )
    support = select(
        SupportSource.activity_id, SupportSource.kind, SupportSource.source, SupportSource.amount
    ).where(SupportSource.activity_id.in_(ids))
    support = support.order_by(SupportSource.position)
    for activity_id, kind, source, amount in session.execute(support):
        if kind == SupportKind.MONETARY:
            children["monetary"][activity_id].append(f"{source}: ${amount or 0:,}")
        else:
            children["in_kind"][activity_id].append(source)
    collect(
        "commendation",
        select(CommendationTag.activity_id, CommendationTag.tag).where(
            CommendationTag.activity_id.in_(ids)
        ),
        str,
    )
    moc = (
        select(
            MocRegistration.activity_id,
            MocRegistration.board,
            MocRegistration.points,
            MocRegistration.claim_date,
            MocCreditType.credit_type,
        )
        .outerjoin(MocCreditType)
        .where(MocRegistration.activity_id.in_(ids))
    )
    collect(
        "moc",
        moc,
        lambda board, points, claim, credit: (
            f"{board} {points or 0:g} points {credit or ''} claim by {claim or '—'}".strip()
        ),
    )
    return children


def write(session: Session, activities: Select) -> bytes:
    """The workbook for a select of activities (from pars.activities.queries.filtered), as bytes."""
    ids = activities.with_only_columns(Activity.id).order_by(None)
    children = load_children(session, ids)
    rows = session.execute(activities.with_only_columns(*Activity.__table__.c))
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
