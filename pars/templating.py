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


def navigation() -> dict:
    views = current_app.view_functions
    return {"nav_links": [(label, ep) for label, ep in NAVIGATION if ep in views]}


def init_app(app: Flask) -> None:
    app.add_template_filter(us_date)
    app.context_processor(navigation)
