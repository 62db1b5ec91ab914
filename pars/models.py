"""Database tables: providers, users, and the activity record with its child rows.

The activity record follows domain.md section 2 field by field. Choice fields store the
vocabulary's display strings (pars.vocab); tri-state questions are ``bool | None`` so that
"not answered yet" stays distinct from "No".
"""

from datetime import UTC, date, datetime
from uuid import uuid4

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint, text
from sqlalchemy import Text as SAText
from sqlmodel import AutoString, Field, Relationship, SQLModel

from pars.activities.status import shown_status
from pars.learners.rules import stored_learner_key
from pars.vocab import TEXT_LIMITS, UploadStatus

MAX_ID = 2**31 - 1  # ids are PostgreSQL INTEGERs; routes and forms refuse larger numbers


def utcnow() -> datetime:
    return datetime.now(UTC)


# Child rows load when first touched; list queries name what they need (pars.activities.queries).
CHILD_ROWS = {"cascade": "all, delete-orphan"}


# An accredited provider: the unit every query is scoped to.
# On SQLite an id of a deleted row is never given again (AUTOINCREMENT, migration 0015): people,
# files and bookmarks hold these ids. PostgreSQL's sequences never go back anyway.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Provider(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    accme_provider_id: str | None = Field(default=None, max_length=7, unique=True)
    # "MM/DD" in the following year when a state accreditor sets its own annual deadline;
    # empty: ACCME's, March 31 (the Monday after on a weekend) (pars.annual.rules.deadline).
    annual_deadline: str | None = Field(default=None, max_length=5)
    # Integrity and independence (pars.integrity): readiness is checked for activities that
    # start on or after integrity_since (None: off); it may be made to block closing; reminder
    # emails go out these many days before the start; a disclosure on file stays valid this
    # many months (migration 0027).
    integrity_since: date | None = None
    integrity_blocks_closing: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    reminder_days: str = Field(
        default="14,7", max_length=40, sa_column_kwargs={"server_default": "14,7"}
    )
    disclosure_valid_months: int = Field(default=12, sa_column_kwargs={"server_default": "12"})
    # Learners' claims (pars.claims): when set, a claim's certificate waits for staff's approval.
    claims_need_approval: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Moved on by every change of the evaluation question bank (migration 0029), so a process
    # may keep the bank it read while this stands (pars.claims.operations.bank_of).
    questions_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)


# A person who signs in; belongs to exactly one provider.
class User(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=10)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    is_active: bool = True
    # Part of the login cookie: raising it (password reset, disable) ends every session.
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)


# One CME activity as entered in the five steps; the stored status is derived by
# pars.activities.status.
class Activity(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("provider_id", "internal_id", name="uq_activity_internal_id"),
        # A second submit of the same Add Activity page finds this activity (migration 0017).
        Index("uq_activity_entry_key", "provider_id", "entry_key", unique=True),
        # A record's own key in this system's files (migration 0022): how a record with
        # neither an ACCME ID nor the provider's own ID is matched when it comes back.
        Index("uq_activity_record_key", "provider_id", "record_key", unique=True),
        # PARS gives each activity its own ACCME Activity ID; unique within the provider, so
        # whether another provider holds one can never be learnt here (migration 0019).
        Index("uq_activity_accme_id", "provider_id", "accme_activity_id", unique=True),
        # Rank then created serves the status filter and sort; the columns after them let a
        # count with any other filter added read this index alone, never the rows.
        Index(
            "ix_activity_provider_status_rank",
            "provider_id",
            "status_rank",
            "created_at",
            "format",
            "moc",
            "end_date",
            "start_date",
        ),
        # end then start: the year filter's count is answered from this index alone; with the
        # rank and the learner totals, so are year end's "ended in a year and not closed" and
        # the dashboard's learners by month.
        Index(
            "ix_activity_provider_end_start",
            "provider_id",
            "end_date",
            "start_date",
            "status_rank",
            "physician_learners",
            "other_learners",
        ),
        Index("ix_activity_provider_format", "provider_id", "format"),
        # The dashboard's counts by status and format, read in index order (no sort), and
        # with the end date, its count of the Active not yet ended (migration 0030).
        Index(
            "ix_activity_provider_rank_format", "provider_id", "status_rank", "format", "end_date"
        ),
        Index("ix_activity_provider_moc", "provider_id", "moc"),
        Index("ix_activity_provider_start", "provider_id", "start_date"),
        Index("ix_activity_provider_created", "provider_id", "created_at"),
        Index("ix_activity_provider_title", "provider_id", "title"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id")
    # Step 1: Basics
    title: str | None = Field(default=None, max_length=TEXT_LIMITS["title"])
    format: str | None = Field(default=None, max_length=40)
    start_date: date | None = None
    end_date: date | None = None
    repeats: bool | None = None
    country: str | None = Field(default=None, max_length=3)
    city: str | None = Field(default=None, max_length=TEXT_LIMITS["city"])
    state: str | None = Field(default=None, max_length=TEXT_LIMITS["state"])
    postal_code: str | None = Field(default=None, max_length=TEXT_LIMITS["postal_code"])
    # Step 2: Information for Learners
    ama_credits: float | None = None
    in_cme_passport: bool | None = None
    description: str | None = Field(default=None, sa_column=Column(SAText))
    registration: str | None = Field(default=None, max_length=40)
    fee: str | None = Field(default=None, max_length=20)
    url: str | None = Field(default=None, max_length=TEXT_LIMITS["url"])
    moc: bool | None = None
    mips: bool | None = None
    rems: bool | None = None
    # Step 3: Accreditation Details
    internal_id: str | None = Field(default=None, max_length=TEXT_LIMITS["internal_id"])
    accme_activity_id: str | None = Field(default=None, max_length=9)
    record_key: str | None = Field(default_factory=lambda: str(uuid4()), max_length=36)
    providership: str | None = Field(default=None, max_length=10)
    commercial_support: bool | None = None
    commendation: bool | None = None
    # Step 4: Collaborations
    moc_attested: bool | None = None
    mips_attested: bool | None = None
    rems_type: str | None = Field(default=None, max_length=40)
    # Learners and lifecycle
    physician_learners: int | None = None
    other_learners: int | None = None
    learners_updated_on: date | None = None  # when the totals last changed (year-end step 3)
    # A legacy record (tab-delimited Template C/D, or MEMS with the legacy elements) and what it
    # held beyond the new model (migration 0024): judged by the legacy rules when it ended
    # before the new PARS (pars.activities.status.is_historical).
    legacy_record: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    reporting_year: int | None = None
    hours_of_instruction: float | None = None
    designed_competence: bool | None = None
    designed_performance: bool | None = None
    designed_patient_outcomes: bool | None = None
    evaluated_competence: bool | None = None
    evaluated_performance: bool | None = None
    evaluated_patient_outcomes: bool | None = None
    # The date-independent part of the status (Draft, Active or Closed; column "status"):
    # pars.activities.status.shown_status turns Active into Ready to Close once the end date has
    # passed, and status_on() gives what a page shows.
    stage: str = Field(default="Draft", sa_column=Column("status", AutoString(20), nullable=False))
    # The stage's place in the workflow (Draft 0, Active 1, Closed 3), so the list sorts by it
    # on an index.
    status_rank: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Names of the requirements blocking the next status
    # (pars.activities.status.next_blockers_to_store).
    next_blockers: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    # The one-time key of the Add Activity page that created it (None for other ways in).
    entry_key: str | None = Field(default=None, max_length=32)
    closed_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1

    delivery_methods: list["DeliveryMethodRow"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)
    repeat_instances: list["RepeatInstance"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)
    joint_providers: list["JointProvider"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)
    outcomes: list["OutcomeRow"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)
    support_sources: list["SupportSource"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)
    commendation_tags: list["CommendationTag"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)
    moc_registrations: list["MocRegistration"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)

    def status_on(self, today: date) -> str:
        """The status shown on ``today`` (the stored stage, Ready to Close once ended)."""
        return shown_status(self.stage, self.end_date, today=today).value


# How a Live Course, RSS or Enduring Material reaches learners (one row per method).
class DeliveryMethodRow(SQLModel, table=True):
    __tablename__ = "activity_delivery_method"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    method: str = Field(max_length=20)


# One more occurrence of a repeating live course; becomes its own activity on completion.
class RepeatInstance(SQLModel, table=True):
    __tablename__ = "activity_repeat_instance"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    position: int = 0
    start_date: date | None = None
    end_date: date | None = None
    country: str | None = Field(default=None, max_length=3)
    city: str | None = Field(default=None, max_length=TEXT_LIMITS["city"])
    state: str | None = Field(default=None, max_length=TEXT_LIMITS["state"])
    postal_code: str | None = Field(default=None, max_length=TEXT_LIMITS["postal_code"])


# A joint provider (an organization that is not accredited) of a jointly provided activity.
class JointProvider(SQLModel, table=True):
    __tablename__ = "activity_joint_provider"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    position: int = 0
    name: str = Field(max_length=TEXT_LIMITS["joint_providers"])


# An outcome the activity measures, and whether objectively and/or subjectively.
class OutcomeRow(SQLModel, table=True):
    __tablename__ = "activity_outcome"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    outcome: str = Field(max_length=40)
    objective: bool = False
    subjective: bool = False


# A commercial support source: monetary (with a whole-dollar amount) or in-kind.
class SupportSource(SQLModel, table=True):
    __tablename__ = "activity_support_source"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    position: int = 0
    kind: str = Field(max_length=10)
    source: str = Field(max_length=TEXT_LIMITS["source"])
    amount: int | None = None


# A commendation criterion the activity is marked for reference to.
class CommendationTag(SQLModel, table=True):
    __tablename__ = "activity_commendation_tag"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    tag: str = Field(max_length=60)


# Registration of the activity with one certifying board for MOC.
class MocRegistration(SQLModel, table=True):
    __tablename__ = "activity_moc_registration"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    board: str = Field(max_length=10)
    points: float | None = None
    claim_date: date | None = None

    credit_types: list["MocCreditType"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)
    practice_areas: list["MocPracticeArea"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)


# A credit type a board awards for the activity (e.g. ABIM Medical Knowledge).
class MocCreditType(SQLModel, table=True):
    __tablename__ = "moc_credit_type"
    id: int | None = Field(default=None, primary_key=True)
    moc_registration_id: int | None = Field(
        default=None, foreign_key="activity_moc_registration.id", index=True
    )
    credit_type: str = Field(max_length=80)


# A practice area the MOC registration is relevant to.
class MocPracticeArea(SQLModel, table=True):
    __tablename__ = "moc_practice_area"
    id: int | None = Field(default=None, primary_key=True)
    moc_registration_id: int | None = Field(
        default=None, foreign_key="activity_moc_registration.id", index=True
    )
    practice_area: str = Field(max_length=80)


def learner_key_of_row(context) -> str:
    row = context.get_current_parameters()
    return stored_learner_key(row["first_name"], row["last_name"], row["birth_month_day"])


# One learner's completion of one activity, as PARS records it (domain.md section 4); never
# edited: deleted and added again.
class LearnerCompletion(SQLModel, table=True):
    __tablename__ = "learner_completion"
    __table_args__ = (
        UniqueConstraint(
            "activity_id",
            "first_name",
            "last_name",
            "birth_month_day",
            "completion_date",
            name="uq_learner_completion_per_day",
        ),
        # An activity's distinct learners counted, and a learner's completion of a day found,
        # from the index alone.
        Index("ix_learner_completion_learner", "activity_id", "learner_key", "completion_date"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    learner_id: int | None = Field(default=None, foreign_key="learner.id", index=True)
    # What matching said when the completion was added (pars.learners.matching.MatchKind).
    match_result: str | None = Field(default=None, max_length=20)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    birth_month_day: str = Field(max_length=5)
    # Who the completion belongs to (rules.stored_learner_key of the three above), filled in
    # on every insert, ORM or Core, that does not give it (migration 0031).
    learner_key: str = Field(
        default=None, max_length=220, sa_column_kwargs={"default": learner_key_of_row}
    )
    state: str | None = Field(default=None, max_length=2)
    license_number: str | None = Field(default=None, max_length=50)
    npi: str | None = Field(default=None, max_length=10)
    completion_date: date
    cme_credits: float | None = None
    board: str | None = Field(default=None, max_length=10)
    board_id: str | None = Field(default=None, max_length=50)
    # The learner template's Total Board Credits, kept as the file gives it (migration 0022).
    board_points_total: float | None = None
    # The learner's permission to report the completion to PARS, which ACCME requires
    # (None: not recorded; a completion with No is left out of the learner report).
    report_permission: bool | None = None
    # Once reported: PARS's answer (pars.vocab.ParsResult) and, for a rejection, its reason.
    pars_result: str | None = Field(default=None, max_length=10)
    pars_reason: str | None = Field(default=None, max_length=500)
    # For a REMS activity, what PARS asks of each participant (pars.vocab.RemsProfession and
    # its neighbours; the state as its 2-letter code). Profession is the one the XSD requires.
    rems_profession: str | None = Field(default=None, max_length=40)
    rems_practice_state: str | None = Field(default=None, max_length=2)
    rems_dea_registration: str | None = Field(default=None, max_length=20)
    rems_practice_area: str | None = Field(default=None, max_length=40)
    rems_surgical: bool | None = None
    rems_time_in_practice: str | None = Field(default=None, max_length=30)
    created_at: datetime = Field(default_factory=utcnow)

    board_credits: list["LearnerBoardCredit"] = Relationship(sa_relationship_kwargs=CHILD_ROWS)


# Points of one credit type a board awarded the learner for the completion.
class LearnerBoardCredit(SQLModel, table=True):
    __tablename__ = "learner_board_credit"
    id: int | None = Field(default=None, primary_key=True)
    completion_id: int | None = Field(default=None, foreign_key="learner_completion.id", index=True)
    credit_type: str = Field(max_length=80)
    points: float


# A person in the provider's learner directory: everyone who completed one of its activities,
# once. Name keys (pars.learners.matching.name_key) make lookups by name cheap.
class Learner(SQLModel, table=True):
    __table_args__ = (
        # Birthday then name keys: the match query filters ~600 people per birthday (in a
        # directory of 200,000) on the index alone.
        Index(
            "ix_learner_provider_birth", "provider_id", "birth_month_day", "last_key", "first_key"
        ),
        Index("ix_learner_provider_npi", "provider_id", "npi"),
        Index("ix_learner_provider_board_id", "provider_id", "board_id"),
        Index("ix_learner_provider_last", "provider_id", "last_key", "first_key"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id")
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    first_key: str = Field(max_length=100)
    last_key: str = Field(max_length=100)
    birth_month_day: str = Field(max_length=5)
    state: str | None = Field(default=None, max_length=2)
    npi: str | None = Field(default=None, max_length=10)
    board: str | None = Field(default=None, max_length=10)
    board_id: str | None = Field(default=None, max_length=50)
    created_at: datetime = Field(default_factory=utcnow)


# An uploaded file waiting for the user to look at its preview and commit or cancel it.
class Upload(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=30)
    filename: str = Field(max_length=255)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # checking -> pending (checked: commit or cancel) -> storing -> stored; or cancelled
    status: str = Field(default=UploadStatus.PENDING, max_length=20)  # a vocab.UploadStatus
    result: str | None = Field(default=None, max_length=500)
    # The preview, kept once the file is checked (pars.uploads.rows.UploadCheck.as_report)
    report: str | None = Field(default=None, sa_column=Column(SAText))
    note: str | None = Field(default=None, max_length=1000)  # why the last attempt to store failed
    created_at: datetime = Field(default_factory=utcnow)
    # When the file itself was removed (pars.uploads.retention); its preview and result stay.
    file_removed_at: datetime | None = None


# One provider's annual reporting for one calendar year (domain.md section 6): the agreement,
# the Program Summary amounts, and the contacts review; the other steps are computed from data.
class AnnualReport(SQLModel, table=True):
    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("provider_id", "year", name="uq_annual_report_year"),)
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id")
    year: int
    agreement_accepted_at: datetime | None = None
    agreement_accepted_by_id: int | None = Field(default=None, foreign_key="user.id")
    advertising_income: int | None = None  # whole dollars
    registration_fees: int | None = None
    government_grants: int | None = None
    private_donations: int | None = None
    summary_submitted_at: datetime | None = None
    summary_submitted_by_id: int | None = Field(default=None, foreign_key="user.id")
    contacts_reviewed_at: datetime | None = None
    contacts_reviewed_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


# A person ACCME should know at the provider: primary, billing, CEO or other staff.
class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    role: str = Field(max_length=20)
    name: str = Field(max_length=200)
    title: str | None = Field(default=None, max_length=200)
    email: str = Field(max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utcnow)


# One signed-in browser (pars.accounts.sign_ins): its session cookie holds a random key whose
# hash is kept here. Signing out ends this row, so a copy of the cookie saved before stops
# working at once, not when the cookie would have expired.
class SignIn(SQLModel, table=True):
    __tablename__ = "sign_in"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    key_hash: str = Field(max_length=64, unique=True)  # sha256 of the cookie's key
    address: str | None = Field(default=None, max_length=64)  # the client's IP at sign-in
    started_at: datetime = Field(default_factory=utcnow, index=True)
    ended_at: datetime | None = None


# A failed sign-in, kept a few minutes to slow down password guessing (pars.accounts.login_limits).
class LoginFailure(SQLModel, table=True):
    __tablename__ = "login_failure"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


# Someone in control of an activity's content (planner, faculty, author, reviewer): one of the
# provider's people, reused across activities, distinct from learners and users.
class Person(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("provider_id", "email", name="uq_person_email"),)
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    biography: str | None = Field(default=None, max_length=500)  # a line for the disclosure
    created_at: datetime = Field(default_factory=utcnow)


# A person's role in one activity (pars.vocab.ContentRole); for an owner or employee of an
# ineligible company, the exception of the standard that lets them take it.
class ContentRoleRow(SQLModel, table=True):
    __tablename__ = "content_role"
    __table_args__ = (UniqueConstraint("activity_id", "person_id", "role", name="uq_content_role"),)
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=40)
    exclusion_exception: str | None = Field(default=None, max_length=80)


# What a person disclosed for an activity: their financial relationships with ineligible
# companies of the last 24 months, or none, and the attestation.
class Disclosure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    has_none: bool = False
    attested: bool = False
    # The ineligible company the person owns or works for, if they said so (excluded from
    # controlling content unless an exception applies to each role).
    employee_of: str | None = Field(default=None, max_length=200)
    submitted_at: datetime = Field(default_factory=utcnow)


class FinancialRelationship(SQLModel, table=True):
    __tablename__ = "financial_relationship"
    id: int | None = Field(default=None, primary_key=True)
    disclosure_id: int = Field(foreign_key="disclosure.id", index=True)
    company: str = Field(max_length=200)
    nature: str = Field(max_length=60)  # pars.vocab.RelationshipNature
    last_date: date  # the relationship's most recent date, within the 24 months
    ended: bool = False
    # Staff's decision: relevant to this activity's content (None: not decided yet).
    relevant: bool | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None


# How a relevant relationship was mitigated for one of the person's roles, before the role.
class Mitigation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    relationship_id: int = Field(foreign_key="financial_relationship.id", index=True)
    role: str = Field(max_length=40)
    kind: str = Field(max_length=60)  # pars.vocab.MitigationKind
    note: str | None = Field(default=None, max_length=500)
    by_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)


# A company in the provider's registry, with ACCME's self-assessment answers and the
# determination they lead to (ineligible: its primary business is healthcare products used by
# or on patients).
class Company(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("provider_id", "name", name="uq_company_name"),)
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    name: str = Field(max_length=200)
    makes_products: bool | None = None  # produces, markets, sells or distributes such products
    advocates: bool | None = None  # advocates for or is owned by such a company
    family_makes: bool | None = None  # a parent or sister company does
    ineligible: bool | None = None
    determined_by_id: int | None = Field(default=None, foreign_key="user.id")
    determined_at: datetime | None = None


# The written agreement for one commercial supporter of an activity, signed by the provider and
# the supporter (and a joint provider receiving funds) before the activity, with what was
# received and spent. Keyed by the source's name: support rows are rewritten on every save.
class SupportAgreement(SQLModel, table=True):
    __tablename__ = "support_agreement"
    __table_args__ = (UniqueConstraint("activity_id", "source", name="uq_support_agreement"),)
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    source: str = Field(max_length=TEXT_LIMITS["source"])
    filename: str | None = Field(default=None, max_length=200)
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    provider_signed_on: date | None = None
    supporter_signed_on: date | None = None
    joint_provider_signed_on: date | None = None
    amount_received: int | None = None
    amount_spent: int | None = None
    updated_at: datetime = Field(default_factory=utcnow)


# A reminder email sent to a person for an activity, so each goes out once.
class DisclosureReminder(SQLModel, table=True):
    __tablename__ = "disclosure_reminder"
    __table_args__ = (
        UniqueConstraint("activity_id", "person_id", "days_before", name="uq_disclosure_reminder"),
    )
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    days_before: int
    sent_at: datetime = Field(default_factory=utcnow)


# A link that lets a person disclose without an account: only its SHA-256 is stored; it works
# until it expires, is used or is revoked (a new link revokes the older ones).
class DisclosureLink(SQLModel, table=True):
    __tablename__ = "disclosure_link"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


# A session date of a Regularly Scheduled Series: learners claim credit per session attended,
# each session with its own claim link (pars.claims).
class ActivitySession(SQLModel, table=True):
    __tablename__ = "activity_session"
    __table_args__ = (UniqueConstraint("activity_id", "session_date", name="uq_activity_session"),)
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    session_date: date
    topic: str | None = Field(default=None, max_length=200)


# Where learners claim credit: one link per activity, or per session of a series. The short
# ``slug`` is the public URL; a live activity's attendance code is shown in the room. The window
# runs from ``opens_on`` to ``closes_on``; ``stopped`` closes it early.
class ClaimLink(SQLModel, table=True):
    __tablename__ = "claim_link"
    __table_args__ = (
        UniqueConstraint("activity_id", "session_id", name="uq_claim_link_scope"),
        # NULLs are distinct in a unique constraint: this keeps one activity-wide link.
        Index(
            "uq_claim_link_activity",
            "activity_id",
            unique=True,
            sqlite_where=text("session_id IS NULL"),
            postgresql_where=text("session_id IS NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="activity_session.id")
    slug: str = Field(max_length=16, unique=True)
    attendance_code: str | None = Field(default=None, max_length=12)
    opens_on: date
    closes_on: date
    stopped: bool = False
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


# A one-time pass that lets one learner claim after the window closed: only its SHA-256 is kept.
class LatePass(SQLModel, table=True):
    __tablename__ = "claim_late_pass"
    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="claim_link.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    learner: str = Field(max_length=200)
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


# A learner's claim of credit through a claim link: one per learner per link (so one per
# activity, or per session of a series), whatever the day; the completion it made, the
# certificate's verification code and what staff decided.
class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    __table_args__ = (
        UniqueConstraint("link_id", "identity_key", name="uq_claim_per_learner"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    link_id: int = Field(foreign_key="claim_link.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="activity_session.id")
    completion_id: int | None = Field(default=None, foreign_key="learner_completion.id")
    # The learner's name and MM/DD, trimmed and lowercased (pars.claims.rules.identity_key).
    identity_key: str = Field(max_length=220)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str | None = Field(default=None, max_length=254, index=True)
    # The licence number or NPI the learner gave: a repeated claim shows the certificate
    # again only to someone who gives it too.
    identifier: str = Field(max_length=50)
    completion_date: date
    credits: float
    reportable: bool
    state: str = Field(max_length=30)
    certificate_code: str = Field(max_length=20, unique=True)
    late_pass_id: int | None = Field(default=None, foreign_key="claim_late_pass.id")
    # While the claim waits for approval: the completion's values, as JSON, to add on approval.
    details: str | None = Field(default=None, sa_column=Column(SAText))
    claimed_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


# A certificate code that a reissue replaced: the verification page says so.
class ReplacedCertificate(SQLModel, table=True):
    __tablename__ = "claim_replaced_certificate"
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    code: str = Field(max_length=20, unique=True)
    replaced_at: datetime = Field(default_factory=utcnow)


# A question of the provider's evaluation bank: asked of every activity, of those that measure
# ``outcome``, or (moc_only) of MOC activities; a retired question is asked no more.
class EvaluationQuestion(SQLModel, table=True):
    __tablename__ = "evaluation_question"
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    position: int = 0
    text: str = Field(max_length=300)
    kind: str = Field(max_length=30)
    outcome: str | None = Field(default=None, max_length=40)
    moc_only: bool = False
    retired: bool = False


# One answer of a claim's evaluation; the question's text is kept as it was asked.
class ClaimAnswer(SQLModel, table=True):
    __tablename__ = "claim_answer"
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    question_id: int | None = Field(default=None, foreign_key="evaluation_question.id")
    question: str = Field(max_length=300)
    kind: str = Field(max_length=30)
    value: str | None = Field(default=None, sa_column=Column(SAText))


# An emailed link to one certificate (claim_id) or to every certificate of an address (a
# transcript): only its SHA-256 is kept; it works once, within CERTIFICATE_LINK_HOURS.
class CertificateLink(SQLModel, table=True):
    __tablename__ = "certificate_link"
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id")
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


# A request to a public page, kept a minute to limit how fast one address asks
# (pars.core.public_limits).
class PublicRequest(SQLModel, table=True):
    __tablename__ = "public_request"
    __table_args__ = (Index("ix_public_request_bucket_address_at", "bucket", "address", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    # What is counted: "" for the public pages at large, or a claim link's own counts
    # ("claim-page:7", "claim:7", "learner:7:<identity hash>"; migration 0028).
    bucket: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    address: str = Field(max_length=64)
    at: datetime = Field(default_factory=utcnow, index=True)


# One recorded change (pars.core.audit): who changed which field of what, from what to what.
# Rows are only ever inserted; database triggers refuse UPDATE and DELETE (migration 0012).
class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_provider_at", "provider_id", "at"),
        Index("ix_audit_entry_activity_at", "activity_id", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    entity: str = Field(max_length=30)  # activity, learner, annual report, user, contact
    entity_id: int | None = None
    activity_id: int | None = None  # the activity the change belongs to, for its History tab
    action: str = Field(max_length=20)  # created, changed, deleted, uploaded
    field: str | None = Field(default=None, max_length=60)
    old_value: str | None = Field(default=None, sa_column=Column(SAText))
    new_value: str | None = Field(default=None, sa_column=Column(SAText))


# A bearer token for the JSON API (/api/v1), acting as its user; only a hash is stored.
class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)  # sha256: tokens are long and random
    hint: str = Field(max_length=12)  # the token's first characters, to tell tokens apart
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    last_used_from: str | None = Field(default=None, max_length=64)  # the address of that call
    expires_at: datetime | None = None  # chosen at creation; None only before migration 0016
    revoked_at: datetime | None = None
