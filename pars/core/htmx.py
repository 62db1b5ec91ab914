"""The few htmx response helpers the views need (named after django-htmx's)."""

import json

from flask import Response


def trigger(response: Response, **events) -> Response:
    """Fire client-side events after the swap (one JSON HX-Trigger header for all of them)."""
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


def wants_fragment(request) -> bool:
    """True for a plain htmx request that swaps part of a page; False for page loads, boosted
    links and history restores, which must get the full page (htmx #600, #3278)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: Response) -> Response:
    """Caches must keep the fragment and the full page of one URL apart."""
    response.vary.add("HX-Request")
    return response
