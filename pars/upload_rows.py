"""What checking an uploaded file gives, whatever the format: one result per row."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RowResult:
    number: int
    action: str = ""  # what storing the row does: "add", "delete", "update", "unchanged" ...
    activity: Any = None
    values: dict = field(default_factory=dict)
    existing: Any = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)


@dataclass
class UploadCheck:
    rows: list[RowResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if not r.errors and r.action == action)

    @property
    def invalid(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]
