"""PARS reporting: a self-hosted system for a CME provider's activities, learners and PARS files."""

import os

from flask import Flask

# Modules are imported inside create_app, as Flask's tutorial does: a process that only reads
# files (pars.formats.prefetch starts one per large upload) then imports what reading needs,
# not the whole web application, and starts in a fraction of the time.


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, database, CSRF, login, blueprints and commands."""
    from flask_wtf.csrf import CSRFProtect

    from pars import api
    from pars.accounts import auth
    from pars.admin import cli
    from pars.core import audit, config, db, errors, public_limits, security, tasks, templating
    from pars.core.converters import IdConverter
    from pars.integrity import reminders
    from pars.uploads import jobs, retention
    from pars.views import (
        activities,
        annual,
        catalog,
        claims,
        exports,
        history,
        home,
        integrity,
        learner_counts,
        learner_directory,
        learners,
        tokens,
        uploads,
        users,
        wizard,
    )
    from pars.views import auth as auth_views

    # Everything the app writes (the SQLite database with its WAL and SHM files, backups, job
    # progress, the secret key) holds password hashes or learners' personal data: readable by
    # this user only, whatever the shell's umask.
    os.umask(0o077)
    app = Flask(__name__, instance_path=os.environ.get("PARS_INSTANCE_PATH"))
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    config.check_secret_key(app.config)
    config.check_today(app.config)
    if app.config.get("TODAY") and not app.config.get("TESTING"):
        app.logger.warning("PARS_TODAY is set: every page takes %s as today.", app.config["TODAY"])
    db.init_app(app)
    tasks.init_app(app)
    jobs.register(app)
    retention.register(app)
    reminders.register(app)
    audit.init()
    csrf = CSRFProtect(app)
    public_limits.init_app(app, auth.RATE_LIMITED)
    auth.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    areas = (
        home,
        auth_views,
        activities,
        learner_counts,
        learners,
        learner_directory,
        uploads,
        wizard,
        annual,
        catalog,
        history,
        users,
        exports,
        tokens,
        integrity,
        claims,
    )
    for area in areas:
        app.register_blueprint(area.bp)
    api.init_app(app, csrf)
    return app
