"""Errors: ``Refused`` (a change the rules do not allow), and a short page in the site layout for
every 4xx, with no traceback for anything."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class Refused(Exception):
    """The rules do not allow this change; ``str(error)`` says why, in the user's words.
    Raised by operations before anything is changed; views answer it with a 4xx."""


MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to do that.",
    404: "There is no such page, or it belongs to another provider.",
    405: "That action is not allowed here.",
    413: "What was sent is larger than this site accepts (a form field over 500 KB, or a "
    "file over the upload limit).",
}


def render_http_error(error: HTTPException):
    # Our own aborts carry a message for the user; werkzeug's stock descriptions do not help.
    custom = error.description != type(error).description
    message = error.description if custom else MESSAGES.get(error.code, error.description)
    if request.path.startswith("/api/"):  # no route matched: the API still answers in JSON
        response = jsonify(error=message, errors=[])
        response.status_code = error.code
        return response
    body = render_template("errors/error.html", code=error.code, name=error.name, message=message)
    # A client told to slow down is told when to come back (the limits count a minute or more).
    headers = {"Retry-After": "60"} if error.code == 429 else {}
    return body, error.code, headers


def render_csrf_error(error: CSRFError):
    message = "Your form expired or was sent from another site. Reload the page and try again."
    return render_template("errors/error.html", code=400, name="Bad Request", message=message), 400


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(HTTPException, render_http_error)
