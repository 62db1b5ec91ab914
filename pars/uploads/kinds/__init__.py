"""The kinds of upload, one module each, and the contract every kind meets, written down once.

A kind says how its file is read (a function from bytes to numbered rows, run in a second
process for a large file, so it must be a module-level function), how a row is checked against
what is stored, and how checked rows are stored. The pipeline (pars.uploads.pipeline) holds the
registry and never knows which kind it has.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlmodel import Session

from pars.uploads.rows import RowResult


class RowChecker(Protocol):
    """Judges one row of a file against the rules and the stored data; stores nothing."""

    def __init__(self, session: Session, provider_id: int, *, today: date) -> None: ...

    def check(self, number: int, cells: Any) -> RowResult: ...


class RowStorer(Protocol):
    """Stores checked rows, a chunk at a time, in the caller's transaction."""

    def __init__(
        self, session: Session, *, provider_id: int, today: date, user_id: int
    ) -> None: ...

    def add(self, rows: list[RowResult]) -> None: ...

    def finish(self) -> None: ...


@dataclass(frozen=True)
class UploadKind:
    """One kind of file: its name in the database, its label, how it is read, checked, stored."""

    name: str
    label: str
    header: tuple[str, ...]  # the template's header row; () for a file known by its content
    read: Callable[[bytes], Iterator[tuple[int, Any]]]
    checker: type[RowChecker]
    storer: type[RowStorer]
    actions: Mapping[str, str]  # what storing a row can do -> how the summary says it
    variants: tuple[tuple[str, ...], ...] = ()  # earlier headers of the template, still read
