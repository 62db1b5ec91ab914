"""PARS reporting: a self-hosted system for a CME provider's activities, learners and PARS files."""

import os

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from pars import api, audit, auth, cli, config, db, errors, security, templating
from pars.models import MAX_ID
from pars.views import (
    activities,
    exports,
    history,
    home,
    learner_counts,
    learner_directory,
    learners,
    uploads,
    users,
    wizard,
)
from pars.views import annual as annual_views  # pars.annual holds the rules
from pars.views import auth as auth_views
from pars.views import catalog as catalog_views
from pars.views import tokens as token_views  # pars.tokens holds the token logic

csrf = CSRFProtect()


class IdConverter(IntegerConverter):
    """<int:...> in routes: at most what a database integer holds, so a huge number in a URL
    is a 404 rather than an overflow in the database driver."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)




def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, database, CSRF, login, blueprints and commands."""
    app = Flask(__name__, instance_path=os.environ.get("PARS_INSTANCE_PATH"))
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    config.check_secret_key(app.config)
    db.init_app(app)
    audit.init()
    csrf.init_app(app)
    auth.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    areas = (home, auth_views, activities, learner_counts, learners, learner_directory, uploads,
             wizard, annual_views, catalog_views, history, users, exports, token_views)  # fmt: skip
    for area in areas:
        app.register_blueprint(area.bp)
    api.init_app(app, csrf)
    return app
