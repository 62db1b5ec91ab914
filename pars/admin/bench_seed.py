"""Seeding a provider with many activities fast, for benchmarks (`flask seed-bench`).

Core bulk inserts (no ORM objects): 100,000 activities take seconds, not minutes.
"""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session, func, select, text

from pars.accounts import users
from pars.activities import status as activity_status
from pars.models import Activity, DeliveryMethodRow, OutcomeRow, User
from pars.vocab import DELIVERY_BY_FORMAT, STATUS_ORDER, ActivityFormat, Role

BENCH_PROVIDER = "Benchmark Provider"
BENCH_LOGIN = ("bench@example.org", "bench-password")
WORDS = (
    "Cardiology",
    "Oncology",
    "Update",
    "Grand Rounds",
    "Pediatrics",
    "Sepsis",
    "Diabetes",
    "Stroke",
    "Imaging",
    "Pain",
    "Opioids",
    "Asthma",
    "Kidney",
    "Ethics",
    "Surgery",
    "Tumor Board",
    "Wellness",
    "Geriatrics",
    "Infection",
    "Quality",
)


def seed(session: Session, *, activities: int, today: date, batch: int = 5000) -> int:
    """Add ``activities`` activities (and their delivery and outcome rows) to the bench
    provider, creating it and its user first. Returns the provider id."""
    provider = users.get_or_create_provider(session, name=BENCH_PROVIDER)
    email, password = BENCH_LOGIN
    if session.exec(select(User).where(User.email == email)).first() is None:
        users.create_user(
            session, email=email, password=password, role=Role.ADMIN, provider=provider
        )
    start_id = session.exec(select(func.coalesce(func.max(Activity.id), 0))).one() + 1
    rng = random.Random(7)
    for first in range(0, activities, batch):
        ids = range(start_id + first, start_id + min(first + batch, activities))
        rows = [_with_status(_activity_row(rng, i, provider.id, today)) for i in ids]
        session.execute(insert(Activity), rows)
        session.execute(
            insert(DeliveryMethodRow),
            [
                {
                    "activity_id": r["id"],
                    "method": DELIVERY_BY_FORMAT[ActivityFormat(r["format"])][0],
                }
                for r in rows
                if ActivityFormat(r["format"]) in DELIVERY_BY_FORMAT
            ],
        )
        session.execute(
            insert(OutcomeRow),
            [
                {
                    "activity_id": r["id"],
                    "outcome": "Learner Competence",
                    "objective": True,
                    "subjective": False,
                }
                for r in rows
            ],
        )
    session.flush()
    if session.get_bind().dialect.name == "postgresql":  # ids were given: move the sequence on
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('activity', 'id'), "
                "(SELECT max(id) FROM activity))"
            )
        )
    session.execute(text("ANALYZE"))  # statistics for the planner after a bulk load
    return provider.id


def _with_status(row: dict) -> dict:
    """The status, rank and stored blockers the rules give this row (as a save would)."""
    fmt = ActivityFormat(row["format"])
    transient = Activity(**{k: v for k, v in row.items() if k not in ("id",)})
    transient.outcomes = [OutcomeRow(outcome="Learner Competence", objective=True)]
    if fmt in DELIVERY_BY_FORMAT:
        transient.delivery_methods = [DeliveryMethodRow(method=DELIVERY_BY_FORMAT[fmt][0])]
    stage = activity_status.stored_stage(transient)
    row.update(
        stage=stage.value,
        status_rank=STATUS_ORDER.index(stage),
        next_blockers=activity_status.next_blockers_to_store(transient),
    )
    return row


def _activity_row(rng: random.Random, activity_id: int, provider_id: int, today: date) -> dict:
    fmt = rng.choice(list(ActivityFormat))
    start = today - timedelta(days=rng.randint(-200, 3650))
    end = start + timedelta(days=rng.randint(0, 300))
    closed = end < today and rng.random() < 0.7
    in_person = fmt in DELIVERY_BY_FORMAT and DELIVERY_BY_FORMAT[fmt][0] == "In-Person"
    now = datetime.now(UTC)
    return {
        "id": activity_id,
        "provider_id": provider_id,
        "format": fmt.value,
        "title": " ".join(rng.sample(WORDS, 3)) + f" {activity_id}",
        "start_date": start,
        "end_date": end,
        "internal_id": f"B-{activity_id}",
        "country": "USA" if in_person else None,
        "city": "Chicago" if in_person else None,
        "state": "IL" if in_person else None,
        "postal_code": "60611" if in_person else None,
        "ama_credits": rng.choice((1.0, 2.0, 3.5)),
        "in_cme_passport": False,
        "description": "A benchmark activity.",
        "providership": "Direct",
        "moc": rng.random() < 0.1,
        "mips": False,
        "rems": False,
        "commercial_support": False,
        "physician_learners": rng.randint(0, 300) if end < today else None,
        "other_learners": rng.randint(0, 50) if end < today else None,
        "created_at": now - timedelta(minutes=activity_id),
        "updated_at": now,
        "closed_at": now if closed else None,
        "version": 1,
    }
