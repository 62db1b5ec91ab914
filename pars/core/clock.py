"""Today's date as the application sees it: the one place that reads the calendar.

Rules never read the clock; they take ``today``. Views, the API, commands and background jobs
ask ``clock.today()``, which a test (or a demonstration of a given day) fixes through the app's
``TODAY`` setting, or the ``PARS_TODAY`` environment variable for a server in a process of its
own. Instants (``created_at``, session ages) still come from the real clock.
"""

from datetime import date

from flask import current_app, has_app_context


def today() -> date:
    """The fixed ``TODAY`` of the current app, when one is set; otherwise the real date."""
    fixed = current_app.config.get("TODAY") if has_app_context() else None
    if fixed is None or fixed == "":
        return date.today()
    return fixed if isinstance(fixed, date) else date.fromisoformat(fixed)
