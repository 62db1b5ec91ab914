"""Demo data: a provider with a realistic year of activities, and a second provider beside it.

Deterministic (a seeded generator) so screenshots and tests see the same records every time.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from pars.accounts import users as accounts
from pars.activities import operations
from pars.claims import operations as claims
from pars.claims import rules as claim_rules
from pars.models import (
    Activity,
    CommendationTag,
    Contact,
    DeliveryMethodRow,
    JointProvider,
    MocCreditType,
    MocRegistration,
    OutcomeRow,
    Provider,
    SupportSource,
)
from pars.vocab import (
    COMMENDATION_TAGS,
    DELIVERY_BY_FORMAT,
    MOC_CREDIT_TYPES,
    ActivityFormat,
    ContactRole,
    DeliveryMethod,
    Fee,
    MocBoard,
    Outcome,
    Providership,
    Registration,
    Role,
    SupportKind,
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    provider: str
    role: Role


DEMO_LOGINS = (
    DemoLogin("demo@example.org", "demo-password", "Lakeside Medical Education", Role.ADMIN),
    DemoLogin("viewer@example.org", "viewer-password", "Lakeside Medical Education", Role.VIEWER),
    DemoLogin("other@example.org", "other-password", "Riverbend Health CME", Role.ADMIN),
)

TOPICS = (
    "Advances in Heart Failure Management",
    "Opioid Prescribing and Pain Management",
    "Diabetes Technology in Primary Care",
    "Sepsis Recognition in the Emergency Department",
    "Pediatric Asthma Update",
    "Stroke Systems of Care",
    "Antimicrobial Stewardship",
    "Breast Cancer Screening and Risk",
    "Hypertension Guidelines in Practice",
    "Depression Screening in Primary Care",
    "Perioperative Anticoagulation",
    "Chronic Kidney Disease Essentials",
    "Lung Cancer Screening with Low-Dose CT",
    "Hospital Medicine Grand Rounds",
    "Tumor Board",
    "Obesity Medicine Update",
    "Geriatric Falls Prevention",
    "Point-of-Care Ultrasound Skills",
    "Migraine Therapeutics",
    "Atrial Fibrillation and Stroke Prevention",
)
CITIES = (
    ("Chicago", "IL", "60611"),
    ("Madison", "WI", "53703"),
    ("Boston", "MA", "02115"),
    ("Denver", "CO", "80202"),
    ("Austin", "TX", "78701"),
)
COMPANIES = (
    "Pfizer Inc.",
    "Medtronic plc",
    "Abbott Laboratories",
    "Johnson & Johnson",
    "AstraZeneca",
    "GE HealthCare",
    "Boston Scientific",
)
JOINT_PARTNERS = (
    "State Academy of Family Physicians",
    "Metro Nurses Association",
    "Northside Community Hospital",
)
FORMAT_MIX = (
    [ActivityFormat.LIVE_COURSE] * 5
    + [ActivityFormat.RSS] * 3
    + [ActivityFormat.ENDURING] * 3
    + list(ActivityFormat)
)


def load_demo(session: Session, *, today: date) -> list[DemoLogin]:
    """Create the demo providers, users and activities once; later calls change nothing."""
    if session.exec(select(Provider).where(Provider.name == DEMO_LOGINS[0].provider)).first():
        return []
    providers = {}
    for login in DEMO_LOGINS:
        provider = providers.get(login.provider) or accounts.get_or_create_provider(
            session, name=login.provider, accme_provider_id=f"{len(providers) + 1:07d}"
        )
        providers[login.provider] = provider
        accounts.create_user(
            session,
            email=login.email,
            password=login.password,
            role=login.role,
            provider=provider,
        )
    first = next(iter(providers.values()))
    session.add(
        Contact(
            provider_id=first.id,
            role=ContactRole.PRIMARY.value,
            name="Jordan Lee",
            title="CME Coordinator",
            email="cme@lakeside.example.org",
            phone="312-555-0100",
        )
    )
    rng = random.Random(2026)
    for provider, count in zip(providers.values(), (60, 12), strict=True):
        for number in range(count):
            session.add(demo_activity(rng, provider.id, number, today=today))
    for activity in session.exec(select(Activity)):
        operations.refresh_status(activity)
    open_demo_claims(session, first.id, today=today)
    return list(DEMO_LOGINS)


def open_demo_claims(session: Session, provider_id: int, *, today: date) -> None:
    """Claims open on the first provider's three most recent live courses still open, so the
    Claims tab and a claim page have something to show; a window that has passed is opened
    again for 30 days, as staff would with "Open claims again"."""
    session.flush()
    courses = session.exec(
        select(Activity)
        .where(
            Activity.provider_id == provider_id,
            Activity.format == ActivityFormat.LIVE_COURSE.value,
            Activity.start_date <= today,
            Activity.closed_at.is_(None),
            Activity.ama_credits.is_not(None),
        )
        .order_by(Activity.end_date.desc())
        .limit(3)
    ).all()
    for course in courses:
        if claims.claimable_refusal(course):
            continue
        for link in claims.open_links(session, course):
            link.opens_on, link.closes_on = claim_rules.reopened_window(
                link.opens_on, link.closes_on, today=today
            )
            session.add(link)


def demo_activity(rng: random.Random, provider_id: int, number: int, *, today: date) -> Activity:
    """One activity; the stage (0-3) decides how complete it is and whether it has ended."""
    fmt = FORMAT_MIX[number % len(FORMAT_MIX)]
    stage = number % 4  # 0 draft, 1 active, 2 ready to close, 3 closed
    offset = rng.randint(5, 200) if stage in (0, 1) else -rng.randint(30, 330)
    start = today + timedelta(days=offset)
    length = {ActivityFormat.ENDURING: 700, ActivityFormat.RSS: 300}.get(fmt, rng.randint(0, 2))
    if stage >= 2:
        length = min(length, (today - start).days - 1)
    activity = Activity(
        provider_id=provider_id,
        # The year in the title is the year it starts: the demo reads true on any day.
        title=f"{TOPICS[number % len(TOPICS)]} {start.year}",
        format=fmt.value,
        start_date=start,
        end_date=start + timedelta(days=length),
        internal_id=f"LME-{1000 + number}",
        created_at=datetime.now(UTC) - timedelta(hours=number),
    )
    if stage == 0 and number % 8 == 0:
        return activity  # a bare draft: only the basics
    add_details(rng, activity, fmt, number)
    if stage == 0:  # a draft part-way through: steps 1 and 3 done, step 2 not yet
        activity.description = None
        activity.ama_credits = None if number % 3 else activity.ama_credits
    elif stage == 3:
        activity.physician_learners = rng.randint(5, 400)
        activity.other_learners = rng.randint(0, 120)
        activity.closed_at = datetime.now(UTC)
    elif stage == 2 and number % 3:
        activity.physician_learners = rng.randint(0, 150)
        activity.other_learners = rng.randint(0, 40)
    return activity


def add_details(rng: random.Random, activity: Activity, fmt: ActivityFormat, number: int) -> None:
    """Fill steps 1-3 (and MOC for some), enough for Active and, with learners, Closed."""
    methods = DELIVERY_BY_FORMAT.get(fmt, ())
    if methods:
        activity.delivery_methods = [DeliveryMethodRow(method=methods[number % len(methods)])]
    if any(row.method == DeliveryMethod.IN_PERSON for row in activity.delivery_methods):
        city, state, zip_code = CITIES[number % len(CITIES)]
        activity.country, activity.city, activity.state, activity.postal_code = (
            "USA",
            city,
            state,
            zip_code,
        )
    activity.ama_credits = rng.choice((1.0, 1.5, 2.0, 3.25, 6.0, 12.0))
    activity.in_cme_passport = number % 3 == 0
    activity.description = (
        f"This activity reviews current evidence on {activity.title.lower()} and its "
        "application to everyday practice. Learners will be able to apply updated guidance."
    )
    activity.moc, activity.mips, activity.rems = number % 5 == 0, False, False
    if activity.in_cme_passport or activity.moc:
        activity.registration, activity.fee = Registration.OPEN, (Fee.YES, Fee.FREE)[number % 2]
        activity.url = f"https://cme.example.org/activities/{number}"
    joint = number % 6 == 1
    activity.providership = (Providership.DIRECT, Providership.JOINT)[joint]
    if joint:
        activity.joint_providers = [JointProvider(name=JOINT_PARTNERS[number % 3])]
    activity.outcomes = [OutcomeRow(outcome=Outcome.LEARNER_COMPETENCE, objective=True)]
    activity.commercial_support = number % 7 == 2
    if activity.commercial_support:
        activity.support_sources = [
            SupportSource(
                kind=SupportKind.MONETARY,
                source=rng.choice(COMPANIES),
                amount=rng.randrange(1000, 50000, 500),
            ),
            SupportSource(kind=SupportKind.IN_KIND, source=rng.choice(COMPANIES), position=1),
        ]
    activity.commendation = number % 9 == 0
    if activity.commendation:
        activity.commendation_tags = [CommendationTag(tag=t) for t in COMMENDATION_TAGS[:2]]
    if activity.moc:
        credit_types = [MocCreditType(credit_type=MOC_CREDIT_TYPES[MocBoard.ABIM][0])]
        claim = activity.end_date + timedelta(days=30)
        activity.moc_registrations = [
            MocRegistration(
                board=MocBoard.ABIM,
                points=activity.ama_credits,
                claim_date=claim,
                credit_types=credit_types,
            )
        ]
        activity.moc_attested = True
