"""Sign in and sign out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user

from pars import accounts
from pars.auth import load_user
from pars.db import get_session
from pars.forms import LoginForm

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email and password do not match an account. Please try again."


def safe_next(target: str | None) -> str:
    """Only a path on this site, so a crafted link cannot send users elsewhere after login."""
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(
            get_session(), email=form.email.data, password=form.password.data
        )
        if user is not None:
            session.clear()  # a fresh session on every sign-in (no fixation)
            session.permanent = True
            login_user(load_user(str(user.id)))
            return redirect(safe_next(request.args.get("next")), code=303)
        form.password.errors.append(LOGIN_FAILED)
    status = 401 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign the user out."""
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"), code=303)
