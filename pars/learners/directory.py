"""The provider's learner directory: finding match candidates and filing new people."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import and_, bindparam, or_
from sqlmodel import Session, func, select

from pars.core import bulk
from pars.learners import matching
from pars.models import Learner, LearnerCompletion


@dataclass(frozen=True)
class Proposed:
    """The identity fields of a learner someone is about to report."""

    first_name: str
    last_name: str
    birth_month_day: str
    state: str | None = None
    npi: str | None = None
    board: str | None = None
    board_id: str | None = None


def candidates(session: Session, provider_id: int, proposed: Proposed) -> list[Learner]:
    """People who could be the proposed learner: the same NPI or board ID, or the same MM/DD
    of birth with a name that one of the matching reasons could explain. Every reason keeps
    one name equal (the last name for a nickname or a first-name typo, the first for a
    last-name typo, the other one when swapped), so the database filters on exact keys."""
    first, last = matching.name_key(proposed.first_name), matching.name_key(proposed.last_name)
    params = {
        "provider_id": provider_id,
        "birth": proposed.birth_month_day,
        "last_keys": sorted({last, first}),
        "first_keys": sorted(matching.first_name_variants(first, last)),
        "npi": proposed.npi,
        "board": proposed.board,
        "board_id": proposed.board_id,
    }
    query = candidates_query(bool(proposed.npi), bool(proposed.board_id))
    return list(session.exec(query, params=params))


@lru_cache(maxsize=4)
def candidates_query(by_npi: bool, by_board_id: bool):
    """The candidates' query, built once for each of its four shapes (it took longer to
    build than to run, and every learner added runs it)."""
    same = [
        and_(
            Learner.birth_month_day == bindparam("birth"),
            or_(
                Learner.last_key.in_(bindparam("last_keys", expanding=True)),
                Learner.first_key.in_(bindparam("first_keys", expanding=True)),
            ),
        )
    ]
    if by_npi:
        same.append(Learner.npi == bindparam("npi"))
    if by_board_id:
        same.append(
            and_(Learner.board_id == bindparam("board_id"), Learner.board == bindparam("board"))
        )
    return (
        select(Learner)
        .where(Learner.provider_id == bindparam("provider_id"), or_(*same))
        .limit(5000)
    )


def match(session: Session, provider_id: int, proposed: Proposed) -> matching.MatchResult:
    return matching.match(proposed, candidates(session, provider_id, proposed))


def file_learner(
    session: Session, provider_id: int, proposed: Proposed
) -> tuple[Learner, matching.MatchKind]:
    """The directory entry for this learner, and how it matched: the exact match when there
    is one, otherwise a new person (a probable match is never merged silently)."""
    result = match(session, provider_id, proposed)
    if result.kind is matching.MatchKind.EXACT:
        return result.candidates[0].person, result.kind
    learner = Learner(
        provider_id=provider_id,
        **proposed.__dict__,
        first_key=matching.name_key(proposed.first_name),
        last_key=matching.name_key(proposed.last_name),
    )
    session.add(learner)
    session.flush()
    return learner, result.kind


def search(session: Session, provider_id: int, text: str, *, limit: int = 50) -> list[tuple]:
    """People whose name starts with the words typed, or whose NPI or board ID is the text,
    with how many completions each has."""
    words = matching.name_words(text)
    query = (
        select(Learner, func.count(LearnerCompletion.id))
        .outerjoin(LearnerCompletion, LearnerCompletion.learner_id == Learner.id)
        .where(Learner.provider_id == provider_id)
    )
    if text.strip().isdigit() or (text.strip() and not words):
        query = query.where(or_(Learner.npi == text.strip(), Learner.board_id == text.strip()))
    else:
        for word in words:
            query = query.where(
                or_(Learner.last_key.startswith(word), Learner.first_key.startswith(word))
            )
    query = query.group_by(Learner.id).order_by(Learner.last_key, Learner.first_key)
    return list(session.exec(query.limit(limit)))


class DirectoryIndex:
    """The provider's directory in memory, to file the many learners of an upload at once:
    the same candidates as candidates() above, from dictionaries instead of one query each."""

    def __init__(self, session: Session, provider_id: int):
        self.provider_id = provider_id
        self.new: list[Person] = []
        self.by_name: dict[tuple, list] = defaultdict(list)  # (birthday, "last"|"first", key)
        self.by_npi: dict[str, list] = defaultdict(list)
        self.by_board_id: dict[tuple, list] = defaultdict(list)
        # Plain rows, not ORM objects: a large directory loads in a fraction of the time.
        query = select(Learner.id, *(getattr(Learner, c) for c in PERSON_COLUMNS)).where(
            Learner.provider_id == provider_id
        )
        for row in session.execute(query):
            self.add(Person(*row))

    def add(self, person: "Person") -> None:
        self.by_name[person.birth_month_day, "last", person.last_key].append(person)
        self.by_name[person.birth_month_day, "first", person.first_key].append(person)
        if person.npi:
            self.by_npi[person.npi].append(person)
        if person.board_id:
            self.by_board_id[person.board, person.board_id].append(person)

    def candidates(self, proposed: Proposed) -> list["Person"]:
        first, last = matching.name_key(proposed.first_name), matching.name_key(proposed.last_name)
        given = matching.first_name_variants(first, last)
        birth = proposed.birth_month_day
        found = [p for key in (last, first) for p in self.by_name.get((birth, "last", key), ())]
        found += [p for key in given for p in self.by_name.get((birth, "first", key), ())]
        found += self.by_npi.get(proposed.npi, []) if proposed.npi else []
        if proposed.board_id:
            found += self.by_board_id.get((proposed.board, proposed.board_id), [])
        return list({id(p): p for p in found}.values())

    def file(self, proposed: Proposed) -> tuple["Person", matching.MatchKind]:
        """As file_learner(): the exact match, or a new person (kept until insert_new)."""
        result = matching.match(proposed, self.candidates(proposed))
        if result.kind is matching.MatchKind.EXACT:
            return result.candidates[0].person, result.kind
        person = Person(
            None,
            first_key=matching.name_key(proposed.first_name),
            last_key=matching.name_key(proposed.last_name),
            **proposed.__dict__,
        )
        self.new.append(person)
        self.add(person)
        return person, result.kind

    def insert_new(self, session: Session) -> None:
        """Insert the new people in one statement and give each its id."""
        if not self.new:
            return
        now = datetime.now(UTC)
        rows = [
            {
                "provider_id": self.provider_id,
                "created_at": now,
                **{c: getattr(p, c) for c in PERSON_COLUMNS},
            }
            for p in self.new
        ]
        ids = bulk.insert_rows(session, Learner.__table__, rows)  # no ORM bookkeeping per row
        for person, new_id in zip(self.new, ids, strict=True):
            person.id = new_id
        self.new = []


PERSON_COLUMNS = (
    "first_name",
    "last_name",
    "first_key",
    "last_key",
    "birth_month_day",
    "state",
    "npi",
    "board",
    "board_id",
)


@dataclass(slots=True)
class Person:
    """A directory entry as the in-memory index holds it (the Learner columns matching reads)."""

    id: int | None
    first_name: str
    last_name: str
    first_key: str
    last_key: str
    birth_month_day: str
    state: str | None = None
    npi: str | None = None
    board: str | None = None
    board_id: str | None = None
