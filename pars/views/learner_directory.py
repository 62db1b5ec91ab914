"""The provider's learner directory: search by name, NPI or board ID, and one person's record."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlmodel import select

from pars.core.db import get_session
from pars.learners import directory, prevalidation
from pars.learners.forms import PrevalidationForm
from pars.models import Activity, Learner, LearnerCompletion

bp = Blueprint("learner_directory", __name__, url_prefix="/learners")


@bp.get("/")
def index():
    """Search the people who completed the provider's activities."""
    text = request.args.get("q", "")[:200]
    people = directory.search(get_session(), current_user.provider_id, text) if text.strip() else []
    return render_template("learner_directory/index.html", q=text, people=people)


@bp.get("/<int:learner_id>")
def person(learner_id: int):
    """Show one learner with every completion reported for them."""
    session = get_session()
    learner = session.get(Learner, learner_id)
    if learner is None or learner.provider_id != current_user.provider_id:
        abort(404)
    rows = session.exec(
        select(LearnerCompletion, Activity)
        .join(Activity)
        .where(LearnerCompletion.learner_id == learner.id)
        .order_by(LearnerCompletion.completion_date.desc())
    ).all()
    return render_template("learner_directory/person.html", learner=learner, rows=rows)


@bp.route("/check", methods=["GET", "POST"])
def check():
    """Check a pasted list of learners: field problems and directory matches, per row."""
    form = PrevalidationForm()
    checks = None
    if form.validate_on_submit():
        try:
            checks = prevalidation.check_list(
                get_session(), current_user.provider_id, form.learners.data
            )
        except ValueError as error:
            form.learners.errors = [str(error)]
    status = 422 if form.errors else 200
    return render_template(
        "learner_directory/check.html", form=form, checks=checks, columns=prevalidation.COLUMNS
    ), status
