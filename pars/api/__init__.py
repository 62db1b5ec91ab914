"""The JSON web-service API under /api/v1: bearer tokens, JSON errors with a field path for
each problem, the same rules and operations as the pages."""

from flask import Blueprint, Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException

from pars.accounts import tokens
from pars.accounts.auth import signed_in
from pars.core.db import get_session
from pars.models import Provider
from pars.vocab import Role

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC = {"api.openapi"}
SAFE = {"GET", "HEAD", "OPTIONS"}


class Problem(Exception):
    """An API error: status, message, and (path, message) pairs for each field at fault."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: list[tuple[str, str]] | None = None,
        current: dict | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []
        self.current = current  # the record as it is now, for a version conflict


def json_body():
    """The request's JSON, or None when it is not JSON; a body nested too deeply to read is
    refused, not a 500."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        raise Problem(400, "The JSON is nested too deeply to read.") from None


def problem_response(status: int, message: str, errors=(), current: dict | None = None):
    body = {"error": message, "errors": [{"path": p, "message": m} for p, m in errors]}
    if current is not None:
        body["current"] = current
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="pars"'
    return response


@bp.before_request
def authenticate():
    """Every call but the OpenAPI document needs a live bearer token; viewers only read."""
    if request.endpoint in PUBLIC:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    session = get_session()
    user = (
        tokens.user_of(session, token.strip(), address=request.remote_addr)
        if scheme.lower() == "bearer"
        else None
    )
    if user is None:
        return problem_response(
            401,
            "A valid bearer token is required (Authorization: Bearer "
            "<token>); tokens are made on the Tokens page.",
        )
    session.commit()  # the token's last use
    g.api_user = signed_in(user, session.get(Provider, user.provider_id))
    session.info["user_id"] = user.id  # who the audit history names
    if request.method not in SAFE and g.api_user.role is Role.VIEWER:
        return problem_response(403, "A viewer's token can read but not change data.")
    return None


@bp.errorhandler(Problem)
def on_problem(error: Problem):
    get_session().rollback()
    return problem_response(error.status, error.message, error.errors, error.current)


@bp.errorhandler(HTTPException)
def on_http_error(error: HTTPException):
    return problem_response(error.code or 500, error.description or error.name)


def init_app(app: Flask, csrf) -> None:
    from pars.api import activities, claims, imports, integrity, learners, openapi  # noqa: F401

    csrf.exempt(bp)  # bearer tokens, never cookies: no cross-site request can carry one
    app.register_blueprint(bp)
