"""The provider's learner directory: finding match candidates and filing new people."""

from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlmodel import Session, func, select

from pars import matching
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
    given = {first, matching.given_name(first), last} | {
        nick for nick, name in matching.NICKNAMES.items() if name == matching.given_name(first)
    }
    same = [and_(Learner.birth_month_day == proposed.birth_month_day,
                 or_(Learner.last_key.in_({last, first}), Learner.first_key.in_(given)))]
    if proposed.npi:
        same.append(Learner.npi == proposed.npi)
    if proposed.board_id:
        same.append(and_(Learner.board_id == proposed.board_id, Learner.board == proposed.board))
    query = select(Learner).where(Learner.provider_id == provider_id, or_(*same)).limit(5000)
    return list(session.exec(query))


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
        provider_id=provider_id, **proposed.__dict__,
        first_key=matching.name_key(proposed.first_name),
        last_key=matching.name_key(proposed.last_name),
    )  # fmt: skip
    session.add(learner)
    session.flush()
    return learner, result.kind


def search(session: Session, provider_id: int, text: str, *, limit: int = 50) -> list[tuple]:
    """People whose name starts with the words typed, or whose NPI or board ID is the text,
    with how many completions each has."""
    words = matching.name_words(text)
    query = select(Learner, func.count(LearnerCompletion.id)).outerjoin(
        LearnerCompletion, LearnerCompletion.learner_id == Learner.id
    ).where(Learner.provider_id == provider_id)
    if text.strip().isdigit() or (text.strip() and not words):
        query = query.where(or_(Learner.npi == text.strip(), Learner.board_id == text.strip()))
    else:
        for word in words:
            query = query.where(or_(Learner.last_key.startswith(word),
                                    Learner.first_key.startswith(word)))  # fmt: skip
    query = query.group_by(Learner.id).order_by(Learner.last_key, Learner.first_key)
    return list(session.exec(query.limit(limit)))
