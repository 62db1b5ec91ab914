"""WSGI entry point: `flask --app app ...`, waitress or gunicorn load `app` from here."""

import sys

from pars import create_app
from pars.core.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:  # a setting problem is one clear line, never a traceback
    sys.exit(f"error: {exc}")
