"""Form helpers every feature's forms share: select options from pairs and from the vocabulary."""

from wtforms.fields.choices import SelectChoice


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def enum_options(enum, blank: str | None = None) -> list[SelectChoice]:
    """Options for every member of a vocabulary enum, after an optional blank choice."""
    return options(([("", blank)] if blank else []) + [(m.value, m.value) for m in enum])
