"""API tokens on the user's own page: make one (shown once, after the password again), see
them, revoke them; administrators also see and revoke every token of their provider."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from pars.accounts import tokens
from pars.accounts import users as accounts
from pars.accounts.forms import TokenForm
from pars.core.db import get_session
from pars.models import ApiToken, User

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


def render_tokens(*, form: TokenForm | None = None, issued: str | None = None, status=200):
    everyone = tokens.of_provider(get_session(), current_user.provider_id)
    mine = [token for token, _ in everyone if token.user_id == current_user.id]
    others = [row for row in everyone if row[0].user_id != current_user.id]
    return render_template(
        "tokens/index.html",
        tokens=mine,
        others=others if current_user.is_admin else [],
        issued=issued,
        form=form or TokenForm(formdata=None),
    ), status


@bp.get("/")
def index():
    """Your API tokens, and the form to make one."""
    return render_tokens()


@bp.post("/")
def create():
    """Make a token for the API after the password again; it is shown this once."""
    form, session = TokenForm(), get_session()
    if not form.validate_on_submit():
        return render_tokens(form=form, status=422)
    user = session.get(User, current_user.id)
    if not accounts.authenticate(session, email=user.email, password=form.password.data):
        form.password.errors = ["That is not your password."]
        return render_tokens(form=form, status=422)
    token = tokens.create(session, user, form.name.data, days=int(form.days.data))
    session.commit()
    return render_tokens(issued=token, status=201)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    """Stop a token from working, at once (your own, or any of your provider's as admin)."""
    session = get_session()
    token = session.get(ApiToken, token_id)
    owner = session.get(User, token.user_id) if token is not None else None
    mine = token is not None and token.user_id == current_user.id
    ours = owner is not None and owner.provider_id == current_user.provider_id
    if not (mine or (ours and current_user.is_admin)):
        abort(404)
    tokens.revoke(token)
    session.commit()
    flash(f"The token “{token.name}” no longer works.", "success")
    return redirect(url_for("tokens.index"), code=303)
