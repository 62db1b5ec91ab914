"""HTTP hardening every response gets: no inline script, no framing, no sniffing; cookies
marked Secure whenever the request came over HTTPS."""

from flask import Flask, Response, abort, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from pars.core import validation
from pars.vocab import MULTILINE_FIELDS

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, or when this request is HTTPS
    (directly, or as a trusted proxy in front says: TRUSTED_PROXIES)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def refuse_unstorable_text():
    """No form field may carry a control character (or a line break outside a text area):
    one such character in a title would break every export of the provider. Refused with the
    field named, before any view runs and so before anything is stored."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.form:
        return None
    for name, value in request.form.items(multi=True):
        multiline = (name or "").rpartition("-")[2] in MULTILINE_FIELDS
        if message := validation.control_character_error(value, multiline=multiline):
            abort(400, f"Nothing was saved: the field {name} holds text that cannot be. {message}")
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_unstorable_text)
    app.after_request(add_security_headers)
    app.session_interface = SessionInterface()
    if proxies := app.config.get("TRUSTED_PROXIES", 0):
        # Behind nginx or similar: believe its X-Forwarded-For/-Proto, and only its.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
