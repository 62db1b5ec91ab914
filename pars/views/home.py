"""The home page after sign-in: the dashboard."""

from flask import Blueprint, render_template
from flask_login import current_user

from pars.activities import dashboard
from pars.core import charts, clock
from pars.core.db import get_session
from pars.models import Provider

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Activities by status and format, learners by month, support by year, the next
    deadline and the activities that need attention."""
    session, today = get_session(), clock.today()
    own = session.get(Provider, current_user.provider_id).annual_deadline
    board = dashboard.build(session, current_user.provider_id, today=today, own_deadline=own)
    months = [(f"{month:%b %Y}", n) for month, n in board.learners_by_month]
    years = [(str(year), amount) for year, amount in board.support_by_year]
    figures = [
        charts.bar_chart("by-status", "Activities by status", list(board.by_status.items())),
        charts.bar_chart("by-format", "Activities by format", list(board.by_format.items())),
        charts.bar_chart("learners", "Learners of activities ended, by month", months),
        charts.bar_chart("support", "Monetary commercial support, by year", years, money=True),
    ]
    return render_template(
        "home/index.html",
        board=board,
        figures=figures,
        today=today,
        days_left=(board.deadline - today).days,
    )
