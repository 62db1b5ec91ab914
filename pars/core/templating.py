"""Jinja filters and the globals every page reads (navigation)."""

import json
import threading
from collections import OrderedDict
from datetime import date

from flask import Flask, current_app, url_for
from flask_login import current_user
from markupsafe import Markup

from pars import vocab
from pars.core import clock
from pars.vocab import UPLOAD_RUNNING, UploadStatus

# Main navigation in PARS order; a link shows once its page exists in this build.
NAVIGATION = (
    ("Add Activity", "wizard.new"),  # editors only (EDITOR_LINKS)
    ("Learners", "learner_directory.index"),
    ("Uploads", "uploads.index"),
    ("Annual Reporting", "annual.index"),
    ("Integrity", "integrity.settings"),
    ("Claims", "claims.settings"),
)


EDITOR_LINKS = {"wizard.new"}  # pages only for those who may change data


# Vocabulary the activity form's templates lay out themselves (state list, chips, boards).
FORM_VOCABULARY = {
    "us_states": vocab.US_STATES,
    "format_descriptions": {f.value: text for f, text in vocab.FORMAT_DESCRIPTIONS.items()},
    "commendation_groups": vocab.COMMENDATION_GROUPS,
    "moc_credit_types": vocab.MOC_CREDIT_TYPES,
    "companies": vocab.COMPANIES,
    "delivery_by_format": vocab.DELIVERY_BY_FORMAT,
}


def status(activity) -> str:
    """An activity's status as shown today (``{{ activity|status }}``): the stored stage, Ready
    to Close once its end date has passed."""
    return activity.status_on(clock.today())


def us_date(value: date | None) -> str:
    """Dates as US users read them (MM/DD/YYYY); a dash when missing."""
    return value.strftime("%m/%d/%Y") if value else "—"


def iso_us_date(value: str | None) -> str:
    """An ISO date string (as the public records hold them) as MM/DD/YYYY."""
    return us_date(date.fromisoformat(value) if value else None)


def section_attrs(step: int, name: str, activity_id: int | None, **extra: str) -> dict:
    """htmx attributes that re-render section ``name`` of ``step`` from the form's answers
    (on the element that sends the request, so nothing depends on inherited attributes)."""
    values = {"activity_id": str(activity_id or ""), **extra}
    return {
        "data-hx-get": url_for("wizard.form_section", step=step, name=name),
        "data-hx-include": "closest form",
        "data-hx-params": "not csrf_token",
        "data-hx-target": f"#section-{name}",
        "data-hx-swap": "outerHTML",
        "data-hx-vals": json.dumps(values),
        "data-hx-sync": "closest form:replace",
    }


class RowUrls:
    """``url(endpoint, id, **values)``: url_for for the rows of one page, each endpoint's URL
    built once with a placeholder id that each row's id then replaces. Building a URL costs
    werkzeug more than writing out the rest of a row, and a list page has five a row."""

    PLACEHOLDER = "918273645"

    def __init__(self, key: str):
        self.key, self.parts = key, {}

    def __call__(self, endpoint: str, row_id: int, **values) -> str:
        found = self.parts.get((endpoint, *values.items()))
        if found is None:
            url = url_for(endpoint, **{self.key: int(self.PLACEHOLDER)}, **values)
            if url.count(self.PLACEHOLDER) != 1:  # the id is not where the placeholder went
                return url_for(endpoint, **{self.key: row_id}, **values)
            found = self.parts[(endpoint, *values.items())] = url.split(self.PLACEHOLDER)
        return f"{found[0]}{int(row_id)}{found[1]}"


def row_urls(key: str = "activity_id") -> RowUrls:
    """The URLs of one page's rows (``{% set url = row_urls() %}``): per page, as url_for
    reads the request (its script root)."""
    return RowUrls(key)


class Remembered:
    """Markup kept per process by what it is made from (``{% call remembered(key) %}``): the
    block is written out the first time a key is seen and taken from here after that. The key
    must hold everything the block reads; None writes the block out every time. The newest
    KEEP blocks are kept."""

    KEEP = 256

    def __init__(self):
        self.blocks: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, *key, caller):
        if any(part is None for part in key):
            return caller()
        with self.lock:
            found = self.blocks.get(key)
            if found is not None:
                self.blocks.move_to_end(key)
                return found
        written = Markup(caller())
        with self.lock:
            self.blocks[key] = written
            while len(self.blocks) > self.KEEP:
                self.blocks.popitem(last=False)
        return written


remembered = Remembered()


def endpoint_exists(endpoint: str) -> bool:
    """Whether this build has the page, so links to areas still to come are left out."""
    return endpoint in current_app.view_functions


def navigation() -> dict:
    editor = current_user.is_authenticated and current_user.can_edit
    links = [
        (label, ep)
        for label, ep in NAVIGATION
        if endpoint_exists(ep) and (editor or ep not in EDITOR_LINKS)
    ]
    return {"nav_links": links}


def init_app(app: Flask) -> None:
    app.add_template_filter(us_date)
    app.add_template_filter(status)
    app.add_template_filter(iso_us_date)
    app.context_processor(navigation)
    # Globals, not context: macros imported from other templates see them too.
    app.jinja_env.globals.update(
        endpoint_exists=endpoint_exists,
        remembered=remembered,
        row_urls=row_urls,
        section_attrs=section_attrs,
        UploadStatus=UploadStatus,
        UPLOAD_RUNNING=UPLOAD_RUNNING,
        ActivityFormat=vocab.ActivityFormat,
        ClaimState=vocab.ClaimState,
        QuestionKind=vocab.QuestionKind,
        ANSWER_LABELS=vocab.ANSWER_LABELS,
        **FORM_VOCABULARY,
    )
