"""Stable export addresses that scripts and other systems rely on; each takes the activity
list's filters as query parameters (year, status, format, q, moc, or ids)."""

from flask import Blueprint, Response
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlmodel import select

from pars.core import clock
from pars.core.db import get_session
from pars.formats import activity_template, learner_reports_xml, mems_xml
from pars.models import Activity, LearnerCompletion, MocRegistration, Provider
from pars.views.activities import XLSX_MIMETYPE, chosen_activities

bp = Blueprint("exports", __name__, url_prefix="/exports")
XML = "application/xml"
CHILDREN = (
    "delivery_methods",
    "repeat_instances",
    "joint_providers",
    "outcomes",
    "support_sources",
    "commendation_tags",
)


def attachment(body: bytes, mimetype: str, stem: str, suffix: str) -> Response:
    name = f"{stem}-{clock.today():%Y-%m-%d}.{suffix}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def with_children():
    """The chosen activities with every child row loaded in a few queries."""
    loads = [selectinload(getattr(Activity, name)) for name in CHILDREN]
    loads += [
        selectinload(Activity.moc_registrations).selectinload(MocRegistration.credit_types),
        selectinload(Activity.moc_registrations).selectinload(MocRegistration.practice_areas),
    ]
    return get_session().exec(chosen_activities().options(*loads))


@bp.get("/activities.xlsx")
def activities_xlsx():
    """The chosen activities (default: all) in the activity template's layout (CME+MOC), so
    the file can be edited and uploaded back."""
    return attachment(
        activity_template.filled(with_children()), XLSX_MIMETYPE, "activities", "xlsx"
    )


@bp.get("/activities.xml")
def activities_xml():
    """The chosen activities (default: all) as MEMS XML, one MedicalEducationMetrics each."""
    provider = get_session().get(Provider, current_user.provider_id)
    body = mems_xml.document(with_children(), provider.accme_provider_id)
    return attachment(body, XML, "activities", "xml")


@bp.get("/learners.xml")
def learners_xml():
    """The learner completions of the chosen activities (default: all) as ACCMELearnerReports."""
    chosen = chosen_activities().with_only_columns(Activity.id).order_by(None)
    rows = (
        get_session()
        .exec(
            select(LearnerCompletion, Activity)
            .join(Activity)
            .where(LearnerCompletion.activity_id.in_(chosen))
            .options(selectinload(LearnerCompletion.board_credits))
            .order_by(LearnerCompletion.activity_id, LearnerCompletion.id)
        )
        .all()
    )
    provider = get_session().get(Provider, current_user.provider_id)
    body = learner_reports_xml.document(rows, provider)
    return attachment(body, XML, "learners", "xml")
