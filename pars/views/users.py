"""User management for administrators (invite, role, reset, disable), and each user's own
password."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import select

from pars.accounts import tokens
from pars.accounts import users as accounts
from pars.accounts.auth import owned_or_404
from pars.accounts.forms import InviteUserForm, PasswordChangeForm, ProviderIdForm, RoleForm
from pars.core.db import get_session
from pars.models import Provider, User
from pars.vocab import Role

bp = Blueprint("users", __name__)


def admin_only() -> None:
    if not current_user.is_admin:
        abort(403, "Only an administrator can manage users.")


def get_user_or_404(user_id: int) -> User:
    admin_only()
    return owned_or_404(User, user_id)


def render_users(
    *,
    status: int = 200,
    invite: InviteUserForm | None = None,
    provider_form: ProviderIdForm | None = None,
    issued: tuple[str, str] | None = None,
    error: str | None = None,
):
    """The users page; ``issued`` is (email, temporary password), shown this once only."""
    users = (
        get_session()
        .exec(select(User).where(User.provider_id == current_user.provider_id).order_by(User.email))
        .all()
    )
    role_forms = {u.id: RoleForm(formdata=None, role=u.role, prefix=f"user-{u.id}") for u in users}
    provider = get_session().get(Provider, current_user.provider_id)
    return render_template(
        "users/index.html",
        users=users,
        provider_form=provider_form
        or ProviderIdForm(formdata=None, accme_provider_id=provider.accme_provider_id),
        role_forms=role_forms,
        issued=issued,
        invite=invite or InviteUserForm(formdata=None),
        error=error,
    ), status


@bp.get("/users/")
def index():
    """The provider's users, with their roles and access (administrators only)."""
    admin_only()
    return render_users()


@bp.post("/users/provider")
def set_provider_id():
    """The organization's ACCME Provider ID, written into every file for PARS."""
    admin_only()
    form, session = ProviderIdForm(), get_session()
    if not form.validate_on_submit():
        return render_users(status=422, provider_form=form)
    wanted = form.accme_provider_id.data or None
    taken = (
        wanted
        and session.exec(
            select(Provider.id).where(
                Provider.accme_provider_id == wanted, Provider.id != current_user.provider_id
            )
        ).first()
    )
    if taken:  # one installation may hold several providers; whose ID it is stays unsaid
        form.accme_provider_id.errors = ["This ACCME Provider ID cannot be used here."]
        return render_users(status=409, provider_form=form)
    session.get(Provider, current_user.provider_id).accme_provider_id = wanted
    session.commit()
    flash("ACCME Provider ID saved.", "success")
    return redirect(url_for("users.index"), code=303)


INVITED_ALREADY = "This person is one of your users already (see the list below)."
CANNOT_INVITE = "This address cannot be invited. Ask the person for another address."


@bp.post("/users/")
def invite():
    """Create a user with a temporary password, shown once to pass on."""
    admin_only()
    form, session = InviteUserForm(), get_session()
    if not form.validate_on_submit():
        return render_users(status=422, invite=form)
    if found := accounts.find_user(session, form.email.data):
        # One account per address in the whole installation; whose account it is stays unsaid.
        ours = found.provider_id == current_user.provider_id
        form.email.errors = [INVITED_ALREADY if ours else CANNOT_INVITE]
        return render_users(status=422, invite=form)
    password = accounts.temporary_password()
    provider = session.get(Provider, current_user.provider_id)
    user = accounts.create_user(
        session,
        email=form.email.data,
        password=password,
        role=Role(form.role.data),
        provider=provider,
    )
    session.commit()
    return render_users(status=201, issued=(user.email, password))


def change_access(user: User, *, role: Role, active: bool, done: str):
    """Apply a role or access change unless it would leave no active administrator."""
    session = get_session()
    if refusal := accounts.last_admin_refusal(session, user, role=role, active=active):
        return render_users(status=409, error=refusal)
    if active != user.is_active:
        user.session_version += 1  # a disabled user's sessions end now, not at expiry
    if not active:
        tokens.revoke_all(session, user.id)
    user.role, user.is_active = role.value, active
    session.commit()
    flash(done, "success")
    return redirect(url_for("users.index"), code=303)


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int):
    """Change a user's role (admin, editor, viewer)."""
    user = get_user_or_404(user_id)
    form = RoleForm(prefix=f"user-{user.id}")
    if not form.validate_on_submit():
        return render_users(status=422, error="Choose admin, editor or viewer.")
    return change_access(
        user,
        role=Role(form.role.data),
        active=user.is_active,
        done=f"{user.email} is now {form.role.data}.",
    )


@bp.post("/users/<int:user_id>/disable")
def disable(user_id: int):
    """Stop a user from signing in; their sessions end at once."""
    user = get_user_or_404(user_id)
    return change_access(
        user, role=Role(user.role), active=False, done=f"{user.email} can no longer sign in."
    )


@bp.post("/users/<int:user_id>/enable")
def enable(user_id: int):
    """Let a disabled user sign in again."""
    user = get_user_or_404(user_id)
    return change_access(
        user, role=Role(user.role), active=True, done=f"{user.email} can sign in again."
    )


@bp.post("/users/<int:user_id>/reset-password")
def reset_password(user_id: int):
    """Give a user a new temporary password (shown once); their sessions end."""
    user = get_user_or_404(user_id)
    password = accounts.temporary_password()
    accounts.set_password(user, password)
    tokens.revoke_all(get_session(), user.id)  # whoever knew the old password may hold one
    get_session().commit()
    return render_users(issued=(user.email, password))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password (viewers too); other sessions of the user end."""
    form, session = PasswordChangeForm(), get_session()
    user = session.get(User, current_user.id)
    if form.validate_on_submit():
        if not accounts.authenticate(session, email=user.email, password=form.current.data):
            form.current.errors = ["That is not your current password."]
        elif error := accounts.password_error(form.new.data, user.email):
            form.new.errors = [error]
        else:
            accounts.set_password(user, form.new.data)
            session.commit()
            flash("Your password is changed. Please sign in with it.", "success")
            return redirect(url_for("auth.login"), code=303)
    return render_template("users/password.html", form=form), 422 if form.errors else 200
