"""Sign in and sign out."""

import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user

from pars.accounts import login_limits, sign_ins
from pars.accounts import users as accounts
from pars.accounts.auth import signed_in
from pars.accounts.forms import LoginForm
from pars.core.db import get_session
from pars.models import Provider

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email and password do not match an account. Please try again."


def safe_next(target: str | None) -> str:
    """Only a path on this site, so a crafted link cannot send users elsewhere after login:
    one leading slash (browsers read ``//host`` and ``////host`` as another site), no
    backslash, no control character or white space (a CR/LF would split the header)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(c.isspace() or not c.isprintable() for c in target)
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in (at most 5 failures a minute)."""
    form = LoginForm()
    if not form.validate_on_submit():
        status = 401 if form.is_submitted() else 200
        return render_template("auth/login.html", form=form), status
    db, email = get_session(), accounts.normalize_email(form.email.data)
    address = request.remote_addr or "unknown"
    attempt = login_limits.begin(db, email=email, address=address)
    db.commit()  # counted before the password is checked: see pars.accounts.login_limits
    known = sign_ins.known_address(db, email=email, address=address)
    refusal = login_limits.refusal(db, email=email, address=address, known_address=known)
    if refusal:
        login_limits.withdraw(db, attempt)
        db.commit()
        form.password.errors.append(refusal)
        return render_template("auth/login.html", form=form), 429
    user = accounts.authenticate(db, email=email, password=form.password.data)
    if user is None:  # the attempt's row stays: it is the failure
        form.password.errors.append(LOGIN_FAILED)
        return render_template("auth/login.html", form=form), 401
    login_limits.forget(db, email=email)
    key = sign_ins.start(db, user, address=address)
    db.commit()
    session.clear()  # a fresh session on every sign-in (no fixation)
    session[sign_ins.KEY] = key
    session.permanent = True
    session["signed_in_at"] = time.time()  # for the absolute limit (pars.accounts.auth)
    login_user(signed_in(user, db.get(Provider, user.provider_id)))
    return redirect(safe_next(request.args.get("next")), code=303)


@bp.post("/logout")
def logout():
    """Sign the user out: this browser's sign-in ends on the server too."""
    sign_ins.end(get_session(), session.get(sign_ins.KEY))
    get_session().commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"), code=303)
