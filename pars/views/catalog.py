"""The public catalog: a provider's CME Passport activities, without login, as a page and JSON."""

from flask import Blueprint, abort, jsonify, render_template, request
from sqlmodel import func, select

from pars.activities import catalog
from pars.activities.forms import CatalogFilterForm
from pars.core import clock
from pars.core.db import get_session
from pars.integrity import operations as integrity
from pars.models import Provider

bp = Blueprint("catalog", __name__)


def read_filters() -> CatalogFilterForm:
    form = CatalogFilterForm(formdata=request.args)
    form.validate()
    return form


def chosen_provider(form: CatalogFilterForm) -> Provider | None:
    """The provider in ?provider=, or the only one on this server; None when there are
    several and none was named. An unknown provider is a 404."""
    session = get_session()
    if form.provider.data is not None:
        return session.get(Provider, form.provider.data) or abort(404)
    if session.exec(select(func.count()).select_from(Provider)).one() == 1:
        return session.exec(select(Provider)).one()
    return None


@bp.get("/catalog")
def index():
    """The listed activities of one provider, filtered; or the providers to choose from."""
    form = read_filters()
    provider = None if form.provider.errors else chosen_provider(form)
    if provider is None:
        providers = get_session().exec(select(Provider).order_by(Provider.name)).all()
        return render_template("catalog/providers.html", providers=providers)
    if form.errors:
        return render_template(
            "catalog/index.html", form=form, provider=provider, records=[], total=0
        ), 400
    page = form.page.data or 1
    total, rows = catalog.page(
        get_session(), provider.id, form.catalog_filter(), today=clock.today(), number=page
    )
    records = [record_of(activity, provider) for activity in rows]
    return render_template(
        "catalog/index.html",
        form=form,
        provider=provider,
        records=records,
        total=total,
        page=page,
        per_page=catalog.PER_PAGE,
    )


@bp.get("/catalog.json")
def as_json():
    """The same list as JSON, for a provider's own website (any origin may read it)."""
    form = read_filters()
    provider = None if form.provider.errors else chosen_provider(form)
    if provider is None and not form.errors:
        form.provider.errors = ["Name the provider: ?provider=<its number>."]
    if form.errors or provider is None:
        response = jsonify(errors={name: " ".join(errs) for name, errs in form.errors.items()})
        return cross_origin(response), 400
    page = form.page.data or 1
    total, rows = catalog.page(
        get_session(), provider.id, form.catalog_filter(), today=clock.today(), number=page
    )
    response = jsonify(
        provider=provider.name,
        total=total,
        page=page,
        per_page=catalog.PER_PAGE,
        activities=[record_of(a, provider) for a in rows],
    )
    return cross_origin(response)


def record_of(activity, provider) -> dict:
    """What CME Passport shows, and the disclosure learners are told before the activity."""
    disclosure = integrity.public_disclosure(get_session(), activity)
    return catalog.public_record(activity, provider) | {"disclosure": disclosure}


def cross_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, no cookies read
    return response
