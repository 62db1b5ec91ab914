"""The few htmx response helpers the views need (named after django-htmx's)."""

import json

from flask import Response


def trigger(response: Response, **events) -> Response:
    """Fire client-side events after the swap (one JSON HX-Trigger header for all of them)."""
    response.headers["HX-Trigger"] = json.dumps(events)
    return response
