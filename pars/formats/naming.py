"""Naming a problem the entry form's rules find by the file's own column or element.

The rules (pars.activities.record) report a path such as "monetary-0-amount"; each format maps
its fields and its numbered groups to what a person sees in the file, so a preview says
"Monetary Amount 1" for a workbook and "CommercialSupportAmount 1" for MEMS XML.
"""

from collections.abc import Callable


def namer(
    fields: dict[str, str], groups: dict[str, dict[str, str]], *, numbered: bool = True
) -> Callable[[str], str | None]:
    """A function from a rule's path to the file's name for it, or None where the file has
    none (the caller then falls back to the entry form's label). ``groups`` maps a row group
    to {row field: name}; "" is the row itself; rows are numbered from 1 unless ``numbered``
    is False (a format whose rows share one column)."""

    def name_of(path: str) -> str | None:
        group, _, rest = path.partition("-")
        if not rest:
            return fields.get(group)
        index, _, part = rest.partition("-")
        found = groups.get(group, {}).get(part)
        if found is None or not index.isdigit():
            return fields.get(group)
        return f"{found} {int(index) + 1}" if numbered else f"{found} (entry {int(index) + 1})"

    return name_of
