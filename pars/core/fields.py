"""Form helpers every feature's forms share: select options from pairs and from the vocabulary,
and the hidden version a page was opened at."""

from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice

from pars.models import MAX_ID


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def enum_options(enum, blank: str | None = None) -> list[SelectChoice]:
    """Options for every member of a vocabulary enum, after an optional blank choice."""
    return options(([("", blank)] if blank else []) + [(m.value, m.value) for m in enum])


class VersionField(HiddenField):
    """The version of a record when its page was opened; a save from an older page is refused
    (pars.activities.operations.claim_version)."""

    def read(self) -> int | None:
        """The version as a number; None when it is missing or one no record can have (a
        20-digit number would overflow the database's integer)."""
        text = (self.data or "").strip()
        return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None
