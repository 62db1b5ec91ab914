"""Who is signed in: Flask-Login wiring, and the two rules every request passes through.

Every endpoint needs a login unless it is listed in PUBLIC_ENDPOINTS, and a viewer may not
send anything but safe methods. Doing this once here means a new route is protected from the
moment it exists, rather than when someone remembers a decorator.
"""

import time
from dataclasses import dataclass

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, logout_user
from sqlmodel import select

from pars.accounts import sign_ins
from pars.core.db import get_session
from pars.core.digests import digest
from pars.models import Provider, SignIn, User
from pars.vocab import Role

PUBLIC_ENDPOINTS = {
    "auth.login",
    "static",
    "catalog.index",
    "catalog.as_json",
    "integrity.disclose",  # a person's disclosure, through the link they were sent
    # A learner's own claim of credit, their certificate, and its verification (pars.claims)
    "claims.claim",
    "claims.check",
    "claims.done",
    "claims.certificate",
    "claims.email_certificate",
    "claims.transcript_request",
    "claims.certificate_link",
    "claims.verify",
}
# A claim link's pages count by their own limits, per link (pars.views.claims): a room of
# learners behind one address would soon pass the limit of the public pages at large.
CLAIM_LINK_PAGES = {
    "claims.claim",
    "claims.check",
    "claims.done",
    "claims.certificate",
    "claims.email_certificate",
}
# The public pages whose requests are limited per address (pars.core.public_limits); sign-in
# has its own, stricter limit (pars.accounts.login_limits).
RATE_LIMITED = PUBLIC_ENDPOINTS - {"auth.login", "static"} - CLAIM_LINK_PAGES
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Signing out, one's own password and API tokens touch none of the provider's data (a
# viewer's token can only read).
VIEWER_MAY_POST = {"auth.logout", "users.change_password", "tokens.create", "tokens.revoke"}


class SignInLoginManager(LoginManager):
    """Strong session protection for the sessions that hold a sign-in. Flask-Login takes a
    session without its identifier of the browser as stolen, and so a visitor's who never
    signed in (a learner's on the claim pages, holding only a CSRF token): it cleared that
    session and wrote its cookie again on every request, with nothing to protect. A session
    with a user, or a request with a remember cookie, is checked as before (a signed-in
    session is permanent here, and Flask-Login then only marks it no longer fresh)."""

    def _session_protection_failed(self) -> bool:
        cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        if "_user_id" not in session and cookie not in request.cookies:
            return False
        return super()._session_protection_failed()


login_manager = SignInLoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.session_protection = "strong"


@dataclass
class SignedInUser(UserMixin):
    """What a request needs to know about its user; loaded once per request."""

    id: int
    email: str
    role: Role
    provider_id: int
    provider_name: str
    session_version: int = 0

    def get_id(self) -> str:
        # The version travels in the cookie: a password reset or a disable raises it in the
        # database, and every session still carrying the old one stops loading (load_user).
        return f"{self.id}.{self.session_version}"

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.ADMIN, Role.EDITOR)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    number, _, version = user_id.partition(".")
    if not (number.isdigit() and version.isdigit()):
        return None
    key = session.get(sign_ins.KEY)
    if not isinstance(key, str):
        return None
    row = (
        get_session()
        .exec(
            select(User, Provider)
            .join(Provider)
            .join(SignIn, SignIn.user_id == User.id)
            .where(
                User.id == int(number),
                SignIn.key_hash == digest(key),
                SignIn.ended_at.is_(None),
            )
        )
        .first()
    )
    if row is None or not row[0].is_active or row[0].session_version != int(version):
        return None
    return signed_in(*row)


def signed_in(user: User, provider: Provider) -> SignedInUser:
    return SignedInUser(
        user.id, user.email, Role(user.role), provider.id, provider.name, user.session_version
    )


def owned_or_404(model, object_id: int):
    """The provider's own row of ``model`` (which has a provider_id), else a 404: another
    provider's rows are answered exactly as rows that do not exist."""
    found = get_session().get(model, object_id)
    if found is None or found.provider_id != current_user.provider_id:
        abort(404)
    return found


def session_too_old() -> bool:
    """Signed in longer ago than SESSION_MAX_SECONDS, however active since."""
    started = session.get("signed_in_at", 0)
    return time.time() - started > current_app.config["SESSION_MAX_SECONDS"]


def require_login_and_role():
    """Send anonymous visitors to the login page; refuse changes from viewers."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if request.blueprint == "api":
        return None  # bearer tokens, checked by the API itself (pars.api)
    if current_user.is_authenticated and session_too_old():
        logout_user()
        session.clear()
        flash("Your session has ended; please sign in again.", "info")
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    get_session().info["user_id"] = current_user.id  # who the audit history names
    if (
        request.method not in SAFE_METHODS
        and not current_user.can_edit
        and request.endpoint not in VIEWER_MAY_POST
    ):
        abort(403, "Your role (viewer) can look but not change data.")
    if not current_user.can_edit and request.endpoint in EDIT_PAGES:
        return read_only_page()
    return None


# Pages that are forms for changing data, and the read-only page a viewer sees instead: a
# viewer never types into a form only to be refused on saving.
EDIT_PAGES = {
    "wizard.new": "activities.index",
    "wizard.edit": "activities.view",
    "activities.confirm_delete": "activities.view",
    "learner_counts.edit": "activities.view",
}


def read_only_page():
    if request.headers.get("HX-Request"):  # a dialog or section: nothing to show a viewer
        abort(403, "Your role (viewer) can look but not change data.")
    flash("Your role (viewer) can look but not change data: this is the read-only page.", "info")
    target = EDIT_PAGES[request.endpoint]
    args = {"activity_id": request.view_args["activity_id"]} if target == "activities.view" else {}
    return redirect(url_for(target, **args), code=303)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(require_login_and_role)
