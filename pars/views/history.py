"""Audit history: an activity's History tab, and the provider-wide log for administrators."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from pars.core import audit
from pars.core.db import get_session
from pars.views.activities import get_activity_or_404

bp = Blueprint("history", __name__)


def page_number() -> int:
    page = request.args.get("page", 1, type=int)
    if page < 1 or page > 1_000_000:
        abort(400, "Choose a page number from 1.")
    return page


@bp.get("/activities/<int:activity_id>/history")
def activity(activity_id: int):
    """Every recorded change to one activity, its learner totals, status and learners."""
    found, page = get_activity_or_404(activity_id), page_number()
    total, entries = audit.history(
        get_session(), current_user.provider_id, activity_id=found.id, page=page
    )
    return render_template(
        "history/activity.html",
        activity=found,
        entries=entries,
        total=total,
        page=page,
        per_page=audit.PER_PAGE,
    )


@bp.get("/audit/")
def log():
    """The provider-wide log of changes (administrators only)."""
    if not current_user.is_admin:
        abort(403, "Only an administrator can read the provider-wide change log.")
    entity, page = request.args.get("entity", ""), page_number()
    if entity and entity not in audit.ENTITIES.values():
        abort(400, "Choose one of the kinds of record listed.")
    total, entries = audit.history(
        get_session(), current_user.provider_id, entity=entity, page=page
    )
    return render_template(
        "history/log.html",
        entries=entries,
        total=total,
        page=page,
        per_page=audit.PER_PAGE,
        entity=entity,
        entities=sorted(audit.ENTITIES.values()),
    )
