"""The activity download read from the database: the rows of an activity select and every
child row as text, grouped by kind and activity id, for pars.formats.activity_xlsx to write."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from sqlalchemy import Select
from sqlmodel import Session, select

from pars.activities import queries
from pars.formats import activity_xlsx
from pars.formats.activity_xlsx import Children
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


def workbook(session: Session, activities: Select, *, today: date) -> bytes:
    """The workbook for a select of activities (from pars.activities.queries.filtered), with
    each status as shown on ``today``."""
    ids = activities.with_only_columns(Activity.id).order_by(None)
    children = load_children(session, ids)
    columns = [c for c in Activity.__table__.c if c.name != "status"]
    shown = queries.shown_status(today).label("status")
    rows = session.execute(activities.with_only_columns(*columns, shown))
    return activity_xlsx.write(rows, children)


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
        activity_xlsx.outcome_text,
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
