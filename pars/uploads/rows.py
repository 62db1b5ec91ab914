"""What checking an uploaded file gives, whatever the format: one result per row."""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)  # one per row of a file: 100,000 of them pass through an upload
class RowResult:
    number: int
    action: str = ""  # what storing the row does: "add", "delete", "update", "unchanged" ...
    activity: Any = None
    values: dict = field(default_factory=dict)
    existing: Any = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    notices: list[str] = field(default_factory=list)  # what the reader assumed, for the preview


@dataclass
class UploadCheck:
    """The tally of a checked file: how many valid rows do what, and every invalid row (only
    these are kept, so a large file's check holds little in memory)."""

    actions: Counter = field(default_factory=Counter)
    invalid: list[RowResult] = field(default_factory=list)
    problem: str = ""  # what makes the whole file unreadable past some row, if anything
    notices: list[str] = field(default_factory=list)

    def note(self, row: RowResult) -> None:
        self.notices += [n for n in row.notices if n not in self.notices]
        if row.errors:
            row.values = {}  # the preview shows the errors, not what the row held
            self.invalid.append(row)
        else:
            self.actions[row.action] += 1

    def count(self, action: str) -> int:
        return self.actions[action]

    def as_report(self) -> str:
        """The check as JSON, to keep with the upload (the preview is shown from it)."""
        return json.dumps(
            {
                "actions": self.actions,
                "problem": self.problem,
                "notices": self.notices,
                "invalid": [[row.number, row.errors] for row in self.invalid],
            }
        )

    @classmethod
    def from_report(cls, report: str) -> "UploadCheck":
        kept = json.loads(report)
        return cls(
            actions=Counter(kept["actions"]),
            problem=kept["problem"],
            notices=kept["notices"],
            invalid=[
                RowResult(number, errors=[tuple(e) for e in errors])
                for number, errors in kept["invalid"]
            ],
        )
