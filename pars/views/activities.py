"""The provider's activities: the summary list and the read-only activity page."""

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from pars import queries, rules
from pars.db import get_session

bp = Blueprint("activities", __name__, url_prefix="/activities")


def get_activity_or_404(activity_id: int):
    activity = queries.get_activity(
        get_session(), provider_id=current_user.provider_id, activity_id=activity_id
    )
    if activity is None:
        abort(404)
    return activity


@bp.get("/")
def index():
    """List the provider's activities, newest first, one page at a time."""
    per_page = request.args.get("per_page", 25, type=int)
    if per_page not in queries.PAGE_SIZES:
        per_page = 25
    session = get_session()
    total = queries.count_activities(session, provider_id=current_user.provider_id)
    last_page = max(1, -(-total // per_page))
    page = min(max(1, request.args.get("page", 1, type=int)), last_page)
    activities = queries.page_of_activities(
        session, provider_id=current_user.provider_id, page=page, per_page=per_page
    )
    return render_template(
        "activities/index.html", activities=activities, total=total, page=page,
        last_page=last_page, per_page=per_page, page_sizes=queries.PAGE_SIZES,
    )  # fmt: skip


@bp.get("/<int:activity_id>")
def view(activity_id: int):
    """Show one activity read-only, with what blocks its next status."""
    activity = get_activity_or_404(activity_id)
    blocking = rules.blocking(activity, today=date.today())
    return render_template("activities/view.html", activity=activity, blocking=blocking)
