"""Writes and reads of learners' claims: the session dates of a series, claim links and their
windows and codes, late passes, the evaluation bank, the claims themselves (each makes its
completion through the learner rules staff use), certificates and their emailed links."""

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only
from sqlmodel import Session, func, select

from pars.activities import operations as activity_operations
from pars.activities import status as activity_status
from pars.claims import pdf, rules
from pars.core.digests import digest
from pars.core.errors import Refused
from pars.learners import completions
from pars.models import (
    Activity,
    ActivitySession,
    CertificateLink,
    Claim,
    ClaimAnswer,
    ClaimLink,
    EvaluationQuestion,
    LatePass,
    LearnerCompletion,
    OutcomeRow,
    Provider,
    ReplacedCertificate,
)
from pars.vocab import (
    CERTIFICATE_LINK_HOURS,
    DEFAULT_QUESTIONS,
    LATE_PASS_DAYS,
    ActivityFormat,
    ClaimState,
)


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Session dates of a Regularly Scheduled Series.


def sessions(session: Session, activity: Activity) -> list[ActivitySession]:
    query = select(ActivitySession).where(ActivitySession.activity_id == activity.id)
    return list(session.exec(query.order_by(ActivitySession.session_date)))


def add_session(
    session: Session, activity: Activity, day: date, topic: str | None
) -> ActivitySession:
    """A session date of the series, within its dates, once; it gets its own claim link."""
    if activity.format != ActivityFormat.RSS:
        raise Refused("Only a Regularly Scheduled Series has session dates.")
    if (
        activity.start_date
        and day < activity.start_date
        or activity.end_date
        and day > activity.end_date
    ):
        raise Refused(
            f"A session must be within the series' dates "
            f"({activity.start_date:%m/%d/%Y} - {activity.end_date:%m/%d/%Y})."
        )
    if any(row.session_date == day for row in sessions(session, activity)):
        raise Refused(f"The series already has a session on {day:%m/%d/%Y}.")
    row = ActivitySession(activity_id=activity.id, session_date=day, topic=topic)
    session.add(row)
    session.flush()
    ensure_link(session, activity, row)
    return row


def remove_session(session: Session, activity: Activity, row: ActivitySession) -> None:
    """A session no one has claimed yet can be taken off (with its claim link)."""
    claimed = session.exec(
        select(func.count()).select_from(Claim).where(Claim.session_id == row.id)
    ).one()
    if claimed:
        raise Refused(
            f"{claimed} learner(s) claimed credit for the session of "
            f"{row.session_date:%m/%d/%Y}: it cannot be removed."
        )
    for link in session.exec(select(ClaimLink).where(ClaimLink.session_id == row.id)):
        for late in session.exec(select(LatePass).where(LatePass.link_id == link.id)):
            session.delete(late)
        session.flush()
        session.delete(link)
    session.flush()
    session.delete(row)
    session.flush()


# Claim links: one for the activity, or one per session of a series.


def claimable_refusal(activity: Activity) -> str | None:
    """What an activity lacks before learners can claim its credit (None: nothing)."""
    missing = [
        name
        for name, value in (
            ("a title", activity.title),
            ("a start date", activity.start_date),
            ("an end date", activity.end_date),
            ("the AMA PRA Category 1 Credits it offers", activity.ama_credits),
        )
        if value is None
    ]
    if missing:
        return "Before learners can claim credit, give the activity " + ", ".join(missing) + "."
    return None


def links(session: Session, activity: Activity) -> list[ClaimLink]:
    """The activity's claim links: the activity's own, or one per session of a series."""
    query = select(ClaimLink).where(ClaimLink.activity_id == activity.id)
    return list(session.exec(query.order_by(ClaimLink.session_id.is_not(None), ClaimLink.id)))


def ensure_link(
    session: Session, activity: Activity, session_row: ActivitySession | None = None
) -> ClaimLink:
    """The claim link of the activity (or of one session), made with the default window and,
    for a live activity, an attendance code when it does not exist yet."""
    query = select(ClaimLink).where(ClaimLink.activity_id == activity.id)
    if session_row is None:
        query = query.where(ClaimLink.session_id.is_(None))
    else:
        query = query.where(ClaimLink.session_id == session_row.id)
    found = session.exec(query).first()
    if found is not None:
        return found
    if session_row is not None:
        opens, closes = rules.default_window(
            activity.format, session_row.session_date, session_row.session_date
        )
    else:
        opens, closes = rules.default_window(
            activity.format, activity.start_date, activity.end_date
        )
    link = ClaimLink(
        activity_id=activity.id,
        session_id=session_row.id if session_row else None,
        slug=rules.new_slug(),
        attendance_code=rules.new_attendance_code() if rules.is_live(activity.format) else None,
        opens_on=opens,
        closes_on=closes,
    )
    session.add(link)
    session.flush()
    return link


def open_links(session: Session, activity: Activity) -> list[ClaimLink]:
    """Make the activity's claim links (a series: one per session listed so far)."""
    if refusal := claimable_refusal(activity):
        raise Refused(refusal)
    if activity.format == ActivityFormat.RSS:
        return [ensure_link(session, activity, row) for row in sessions(session, activity)]
    return [ensure_link(session, activity)]


def change_link(session: Session, link: ClaimLink, *, version: int, **values) -> None:
    """Save the window, the stop and the attendance code if no one saved the link since
    ``version`` was read (checked inside the UPDATE)."""
    claimed = session.execute(
        update(ClaimLink)
        .where(ClaimLink.id == link.id, ClaimLink.version == version)
        .values(version=version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Refused("Someone changed this claim link since you opened the page: look again.")
    session.refresh(link)


LINK_BY_SLUG = (
    select(ClaimLink, Activity, ActivitySession, Provider)
    .join(Activity, Activity.id == ClaimLink.activity_id)
    .join(Provider, Provider.id == Activity.provider_id)
    .outerjoin(ActivitySession, ActivitySession.id == ClaimLink.session_id)
    .where(ClaimLink.slug == bindparam("slug"))
)  # built once: every public claim request reads it


def link_by_slug(
    session: Session, slug: str
) -> tuple[ClaimLink, Activity, ActivitySession | None, Provider] | None:
    """The claim link a public URL names, with its activity, session and provider, in one
    query."""
    return session.exec(LINK_BY_SLUG, params={"slug": slug.strip().lower()[:16]}).first()


RECEIPT_CLAIM = (
    select(Claim, ClaimLink, Activity, ActivitySession, Provider)
    .join(ClaimLink, ClaimLink.id == Claim.link_id)
    .join(Activity, Activity.id == ClaimLink.activity_id)
    .join(Provider, Provider.id == Activity.provider_id)
    .outerjoin(ActivitySession, ActivitySession.id == ClaimLink.session_id)
    .where(Claim.id == bindparam("claim_id"), ClaimLink.slug == bindparam("slug"))
    # Of the activity's seventy columns, what the two pages show (any other is read when
    # asked for).
    .options(
        load_only(
            Activity.title,
            Activity.format,
            Activity.start_date,
            Activity.end_date,
            Activity.ama_credits,
            Activity.provider_id,
        )
    )
)  # built once: the page after a claim and its certificate read it


def claim_by_receipt(session: Session, slug: str, claim_id: int):
    """The claim a receipt names, if it was made through the link of ``slug``, with the link,
    activity, session and provider, in one query: (claim, link, activity, session, provider)."""
    params = {"slug": slug.strip().lower()[:16], "claim_id": claim_id}
    return session.exec(RECEIPT_CLAIM, params=params).first()


def make_late_pass(session: Session, link: ClaimLink, learner: str, *, now: datetime) -> str:
    """A one-time link that lets one learner claim after the window closed (the raw token)."""
    token = secrets.token_urlsafe(24)
    session.add(
        LatePass(
            link_id=link.id,
            token_hash=digest(token),
            learner=learner,
            expires_at=now + timedelta(days=LATE_PASS_DAYS),
        )
    )
    session.flush()
    return token


def open_late_pass(session: Session, link: ClaimLink, token: str, *, now: datetime):
    found = session.exec(
        select(LatePass).where(LatePass.link_id == link.id, LatePass.token_hash == digest(token))
    ).first()
    if found is None or found.used_at is not None or as_utc(found.expires_at) <= now:
        return None
    return found


# The evaluation bank.


def question_bank(session: Session, provider_id: int) -> list[EvaluationQuestion]:
    """The provider's questions, started from the default bank the first time."""
    query = select(EvaluationQuestion).where(EvaluationQuestion.provider_id == provider_id)
    found = list(session.exec(query.order_by(EvaluationQuestion.position, EvaluationQuestion.id)))
    if found:
        return found
    for position, (text, kind, outcome, moc_only) in enumerate(DEFAULT_QUESTIONS):
        session.add(
            EvaluationQuestion(
                provider_id=provider_id,
                position=position,
                text=text,
                kind=kind.value,
                outcome=outcome.value if outcome else None,
                moc_only=moc_only,
            )
        )
    session.flush()
    bank_changed(session, provider_id)
    return list(session.exec(query.order_by(EvaluationQuestion.position, EvaluationQuestion.id)))


def bank_changed(session: Session, provider_id: int) -> None:
    """Move the bank's version on (in the UPDATE: two changes at once move it twice)."""
    session.execute(
        update(Provider)
        .where(Provider.id == provider_id)
        .values(questions_version=Provider.questions_version + 1)
    )


@dataclass(frozen=True)
class BankEntry:
    """A question of the bank as a process keeps it (what the questionnaire reads)."""

    id: int
    text: str
    kind: str
    outcome: str | None
    moc_only: bool
    retired: bool


# Per database (its engine): one process may open several, as the tests do.
_BANKS: WeakKeyDictionary[Engine, dict[tuple[int, int], tuple[BankEntry, ...]]]
_BANKS = WeakKeyDictionary()
BANKS_KEPT = 256


def bank_of(session: Session, provider: Provider) -> tuple[BankEntry, ...]:
    """The provider's bank, read once per version of it in this process: every claim page
    and claim asks for it, and it changes only when staff change a question."""
    bind = session.get_bind()
    kept = _BANKS.setdefault(getattr(bind, "engine", bind), {})
    key = (provider.id, provider.questions_version)
    if key not in kept:
        rows = question_bank(session, provider.id)
        bank = tuple(
            BankEntry(q.id, q.text, q.kind, q.outcome, q.moc_only, q.retired) for q in rows
        )
        if len(kept) >= BANKS_KEPT:
            kept.clear()
        # Kept under the version this request read, which came with the bank it read; a
        # bank made just now (the default, the first time: the version moved) is kept from
        # the next request on.
        if provider.questions_version == key[1]:
            kept[key] = bank
        return bank
    return kept[key]


def add_question(
    session: Session, provider_id: int, text: str, kind: str, outcome: str | None, moc_only: bool
) -> EvaluationQuestion:
    bank = question_bank(session, provider_id)
    row = EvaluationQuestion(
        provider_id=provider_id,
        position=max((q.position for q in bank), default=-1) + 1,
        text=text,
        kind=kind,
        outcome=outcome,
        moc_only=moc_only,
    )
    session.add(row)
    session.flush()
    bank_changed(session, provider_id)
    return row


def retire_question(session: Session, row: EvaluationQuestion, *, retired: bool) -> None:
    """Stop asking a question (answers already given keep its text), or ask it again."""
    row.retired = retired
    session.add(row)
    session.flush()
    bank_changed(session, row.provider_id)


MEASURED = select(OutcomeRow.outcome).where(OutcomeRow.activity_id == bindparam("activity_id"))
# built once, as the statements below: a claim page and a claim read them


def questions_for(session: Session, activity: Activity) -> list[rules.Question]:
    """The activity's evaluation: the bank's questions for its outcomes and MOC. Only the
    outcomes' names are read (not the rows, which a claim never changes)."""
    outcomes = set(session.exec(MEASURED, params={"activity_id": activity.id}))
    provider = session.get(Provider, activity.provider_id)
    return rules.questionnaire(bank_of(session, provider), outcomes, moc=bool(activity.moc))


# Claims.


class AlreadyClaimed(Exception):
    def __init__(self, claim: Claim):
        super().__init__("You already claimed credit for this activity.")
        self.claim = claim


EXISTING_CLAIM = select(Claim).where(
    Claim.link_id == bindparam("link_id"), Claim.identity_key == bindparam("key")
)


def existing_claim(session: Session, link: ClaimLink, key: str) -> Claim | None:
    return session.exec(EXISTING_CLAIM, params={"link_id": link.id, "key": key}).first()


def lock_activity(session: Session, activity: Activity, *, adds_completion: bool = False):
    """Take the activity for this transaction (the row on PostgreSQL, the database on SQLite)
    and read it again, so claims of one activity are stored one after the other: each sees
    the claims and the learner total of the one before it. A claim that adds a completion
    changes the activity (its learner total), so the same UPDATE claims its next version."""
    if adds_completion:
        activity_operations.take_next_version(session, activity)
        return
    session.execute(
        update(Activity)
        .where(Activity.id == activity.id)
        .values(version=Activity.version)
        .execution_options(synchronize_session=False)
    )
    session.refresh(activity)


@dataclass
class Submitted:
    """What the learner gave: the completion's values (the learner form's shape) and the
    claim's own (email, permission, evaluation answers)."""

    values: dict
    email: str | None
    answers: list[tuple[rules.Question, str | None]]


def submit(
    session: Session,
    link: ClaimLink,
    activity: Activity,
    given: Submitted,
    *,
    needs_approval: bool,
    now: datetime,
    today: date,
    late_pass: LatePass | None = None,
) -> Claim:
    """Store one claim and, unless it waits for approval, its completion, in one transaction.
    Raises AlreadyClaimed when this learner claimed through this link before (checked after
    taking the activity, and by the unique key), Refused when the learner rules refuse it."""
    values = given.values
    key = rules.identity_key(values["first_name"], values["last_name"], values["birth_month_day"])
    lock_activity(session, activity, adds_completion=not needs_approval)
    if refusal := activity_status.change_refusal(activity, to="take claims"):
        raise Refused(refusal)
    if found := existing_claim(session, link, key):
        raise AlreadyClaimed(found)
    if late_pass is not None:
        used = session.execute(
            update(LatePass)
            .where(LatePass.id == late_pass.id, LatePass.used_at.is_(None))
            .values(used_at=now)
        )
        if used.rowcount != 1:
            raise Refused("This late claim link was used already.")
    claim = Claim(
        provider_id=activity.provider_id,
        activity_id=activity.id,
        link_id=link.id,
        session_id=link.session_id,
        identity_key=key,
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=given.email,
        identifier=rules.identifier_of(values.get("license_number"), values.get("npi")),
        completion_date=values["completion_date"],
        credits=values["cme_credits"],
        reportable=bool(values["report_permission"]),
        state=(ClaimState.PENDING if needs_approval else ClaimState.ISSUED).value,
        certificate_code=rules.new_certificate_code(),
        late_pass_id=late_pass.id if late_pass else None,
        claimed_at=now,
    )
    if needs_approval:
        if completions.duplicate_of(session, activity, values):
            raise Refused("A completion of this activity on that day is on file for you already.")
        claim.details = json.dumps(storable(values))
    else:
        completion, _ = completions.add_completion(session, activity, dict(values), today=today)
        claim.completion_id = completion.id
    session.add(claim)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        found = existing_claim(session, link, key)
        if found is None:
            raise
        raise AlreadyClaimed(found) from None
    answers = [
        {
            "claim_id": claim.id,
            "question_id": question.id,
            "question": question.text,
            "kind": question.kind,
            "value": (value or "").strip() or None,
        }
        for question, value in given.answers
    ]
    if answers:  # one statement for all of them
        session.execute(insert(ClaimAnswer.__table__), answers)
    return claim


def storable(values: dict) -> dict:
    """The completion's values as JSON keeps them while the claim waits for approval."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in values.items()
    }


def restored(details: str) -> dict:
    values = json.loads(details)
    values["completion_date"] = date.fromisoformat(values["completion_date"])
    values["board_credits"] = [tuple(pair) for pair in values["board_credits"]]
    return values


def decide(
    session: Session,
    claim: Claim,
    activity: Activity,
    *,
    approve: bool,
    version: int,
    user_id: int,
    now: datetime,
    today: date,
) -> None:
    """Approve a waiting claim (its completion is added, the certificate issued) or reject it
    (nothing is added); the claim's version is checked inside the UPDATE."""
    if claim.state != ClaimState.PENDING:
        raise Refused("This claim was decided already.")
    lock_activity(session, activity)
    state = ClaimState.ISSUED if approve else ClaimState.REJECTED
    moved = session.execute(
        update(Claim)
        .where(Claim.id == claim.id, Claim.version == version, Claim.state == ClaimState.PENDING)
        .values(version=version + 1, state=state.value, decided_at=now, decided_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise Refused("Someone decided this claim since you opened the page: look again.")
    session.refresh(claim)
    if approve:
        if refusal := activity_status.change_refusal(activity, to="add learners"):
            raise Refused(refusal)
        completion, _ = completions.add_completion(
            session, activity, restored(claim.details), today=today
        )
        claim.completion_id, claim.details = completion.id, None
        session.add(claim)
        session.flush()


def reissue(session: Session, claim: Claim, *, now: datetime) -> str:
    """A new verification code for the certificate; the old one says it was replaced."""
    if claim.state != ClaimState.ISSUED:
        raise Refused("Only an issued certificate can be reissued.")
    session.add(
        ReplacedCertificate(claim_id=claim.id, code=claim.certificate_code, replaced_at=now)
    )
    claim.certificate_code = rules.new_certificate_code()
    session.add(claim)
    session.flush()
    return claim.certificate_code


def claims_of(session: Session, activity: Activity) -> list[tuple[Claim, LearnerCompletion | None]]:
    query = (
        select(Claim, LearnerCompletion)
        .outerjoin(LearnerCompletion, LearnerCompletion.id == Claim.completion_id)
        .where(Claim.activity_id == activity.id)
        .order_by(Claim.claimed_at.desc(), Claim.id.desc())
    )
    return list(session.exec(query))


def answered(session: Session, claim_ids: list[int]) -> set[int]:
    if not claim_ids:
        return set()
    query = select(ClaimAnswer.claim_id).where(ClaimAnswer.claim_id.in_(claim_ids)).distinct()
    return set(session.exec(query))


def evaluation_summary(session: Session, activity: Activity) -> list[rules.QuestionSummary]:
    query = (
        select(ClaimAnswer.question, ClaimAnswer.kind, ClaimAnswer.value)
        .join(Claim, Claim.id == ClaimAnswer.claim_id)
        .where(Claim.activity_id == activity.id, Claim.state != ClaimState.REJECTED)
        .order_by(ClaimAnswer.question_id, ClaimAnswer.id)
    )
    return rules.summarize(list(session.exec(query)))


# Certificates.


@dataclass
class Verified:
    genuine: bool
    replaced: bool = False
    claim: Claim | None = None
    activity: Activity | None = None
    provider: Provider | None = None


def verify(session: Session, code: str) -> Verified:
    """Whether a certificate code is genuine: issued and not replaced by a reissue."""
    cleaned = "-".join(
        rules.normal_code(code)[i : i + 4] for i in range(0, len(rules.normal_code(code)), 4)
    )[:20]
    claim = session.exec(select(Claim).where(Claim.certificate_code == cleaned)).first()
    if claim is None:
        if session.exec(
            select(ReplacedCertificate).where(ReplacedCertificate.code == cleaned)
        ).first():
            return Verified(False, replaced=True)
        return Verified(False)
    if claim.state != ClaimState.ISSUED:
        return Verified(False)
    activity = session.get(Activity, claim.activity_id)
    return Verified(
        True, claim=claim, activity=activity, provider=session.get(Provider, claim.provider_id)
    )


def issue_certificate_link(
    session: Session, provider_id: int, email: str, claim: Claim | None, *, now: datetime
) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        CertificateLink(
            provider_id=provider_id,
            claim_id=claim.id if claim else None,
            email=email,
            token_hash=digest(token),
            expires_at=now + timedelta(hours=CERTIFICATE_LINK_HOURS),
        )
    )
    session.flush()
    return token


def issued_claims_of(session: Session, provider_id: int, email: str) -> list[Claim]:
    query = select(Claim).where(
        Claim.provider_id == provider_id,
        func.lower(Claim.email) == email.strip().lower(),
        Claim.state == ClaimState.ISSUED,
    )
    return list(session.exec(query.order_by(Claim.completion_date, Claim.id)))


def open_certificate_link(session: Session, token: str, *, now: datetime):
    found = session.exec(
        select(CertificateLink).where(CertificateLink.token_hash == digest(token))
    ).first()
    if found is None or found.used_at is not None or as_utc(found.expires_at) <= now:
        return None
    return found


def use_certificate_link(session: Session, link: CertificateLink, *, now: datetime) -> bool:
    """Spend the link once, inside the UPDATE (two downloads at once: one wins)."""
    used = session.execute(
        update(CertificateLink)
        .where(CertificateLink.id == link.id, CertificateLink.used_at.is_(None))
        .values(used_at=now)
    )
    return used.rowcount == 1


def claims_by_link(session: Session, link: CertificateLink) -> list[Claim]:
    if link.claim_id is not None:
        claim = session.get(Claim, link.claim_id)
        return [claim] if claim and claim.state == ClaimState.ISSUED else []
    return issued_claims_of(session, link.provider_id, link.email)


def certificate_of(session: Session, claim: Claim, verify_url: str) -> pdf.Certificate:
    """What the claim's certificate says."""
    activity = session.get(Activity, claim.activity_id)
    provider = session.get(Provider, claim.provider_id)
    return pdf.Certificate(
        learner=f"{claim.first_name} {claim.last_name}",
        activity=activity.title or "",
        dates=rules.dates_text(activity.start_date, activity.end_date, session_day(session, claim)),
        completed=claim.completion_date,
        credits=claim.credits,
        statement=rules.designation(provider.name, activity.format, activity.ama_credits),
        provider=provider.name,
        code=claim.certificate_code,
        verify_url=verify_url,
    )


def session_day(session: Session, claim: Claim) -> date | None:
    if claim.session_id is None:
        return None
    return session.get(ActivitySession, claim.session_id).session_date
