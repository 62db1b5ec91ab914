"""Form helpers every feature's forms share: select options from pairs and from the vocabulary,
a select that renders a long fixed list quickly, and the hidden version a page was opened at."""

from functools import lru_cache

from wtforms import HiddenField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.widgets import Select

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


class LongListSelect(Select):
    """A select of a long, fixed list (the states): each option's HTML is made once per
    process and kept, where WTForms builds every attribute of every option on every page (most
    of a public claim page's time went to its 60 states)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        return _plain_option(choice.value, choice.label, bool(choice.selected))


@lru_cache(maxsize=4096)
def _plain_option(value, label, selected: bool):
    return Select.render_option(Choice(value, label, selected, None))
