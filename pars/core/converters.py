"""URL converters for the routes."""

from werkzeug.routing import IntegerConverter

from pars.models import MAX_ID


class IdConverter(IntegerConverter):
    """<int:...> in routes: at most what a database integer holds, so a huge number in a URL
    is a 404 rather than an overflow in the database driver."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
