"""The home page after sign-in."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Send the user to the activity list (the dashboard comes with annual reporting)."""
    return redirect(url_for("activities.index"))
