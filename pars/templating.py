"""Jinja filters and the globals every page reads (navigation)."""

from datetime import date

from flask import Flask, current_app

# Main navigation in PARS order; a link shows once its page exists in this build.
NAVIGATION = (
    ("Add Activity", "activities.new"),
    ("Learners", "learners.index"),
    ("Uploads", "uploads.index"),
    ("Annual Reporting", "annual.index"),
)


def us_date(value: date | None) -> str:
    """Dates as US users read them (MM/DD/YYYY); a dash when missing."""
    return value.strftime("%m/%d/%Y") if value else "—"


def endpoint_exists(endpoint: str) -> bool:
    """Whether this build has the page, so links to areas still to come are left out."""
    return endpoint in current_app.view_functions


def navigation() -> dict:
    links = [(label, ep) for label, ep in NAVIGATION if endpoint_exists(ep)]
    return {"nav_links": links, "endpoint_exists": endpoint_exists}


def init_app(app: Flask) -> None:
    app.add_template_filter(us_date)
    app.context_processor(navigation)
