"""API tokens on the user's own page: make one (shown once), see them, revoke them."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import select

from pars.accounts import tokens
from pars.accounts.forms import TokenForm
from pars.core.db import get_session
from pars.models import ApiToken, User

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


def render_tokens(*, form: TokenForm | None = None, issued: str | None = None, status=200):
    mine = (
        get_session()
        .exec(
            select(ApiToken)
            .where(ApiToken.user_id == current_user.id)
            .order_by(ApiToken.created_at.desc())
        )
        .all()
    )
    return render_template(
        "tokens/index.html", tokens=mine, issued=issued, form=form or TokenForm(formdata=None)
    ), status


@bp.get("/")
def index():
    """Your API tokens, and the form to make one."""
    return render_tokens()


@bp.post("/")
def create():
    """Make a token for the API; it is shown this once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return render_tokens(form=form, status=422)
    session = get_session()
    token = tokens.create(session, session.get(User, current_user.id), form.name.data)
    session.commit()
    return render_tokens(issued=token, status=201)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    """Stop a token from working, at once."""
    token = get_session().get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    tokens.revoke(token)
    get_session().commit()
    flash(f"The token “{token.name}” no longer works.", "success")
    return redirect(url_for("tokens.index"), code=303)
