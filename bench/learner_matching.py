"""Issue 5 benchmark: matching one learner against the provider's learner directory.

Workload: a directory of 200,000 people (random names from a list of common names, random
MM/DD of birth, state, NPI) in a SQLite file under bench/out/; 300 proposed learners, a third
exact, a third near misses (nickname, typo, swapped), a third new. Target from the issue:
p50 <= 5 ms per match (the candidate query plus the comparison).
"""

import random
import time
from datetime import date

from sqlalchemy import insert
from sqlmodel import select

from bench.common import OUT, bench_app, summary
from pars.core.db import get_session, make_engine, upgrade
from pars.learners.directory import Proposed, match
from pars.learners.matching import name_key
from pars.models import Learner, Provider

PEOPLE = 200_000
FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Maria Ana Wei Priya "
    "Mohammed Fatima Jose Juan Olga Ivan Kenji Aiko Chen Li Omar Leila"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Nguyen Patel Kim Chen Singh Cohen Murphy Rossi"
).split()
STATES = ("IL", "WI", "MA", "CA", "TX", "NY", "CO", "FL")


def directory_db():
    path = OUT / f"learners-{PEOPLE}.db"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    rng = random.Random(5)
    with engine.begin() as connection:
        connection.execute(insert(Provider), [{"id": 1, "name": "Bench", "created_at": now()}])
        rows = []
        for number in range(PEOPLE):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            rows.append(
                {
                    "provider_id": 1,
                    "first_name": first,
                    "last_name": last,
                    "first_key": name_key(first),
                    "last_key": name_key(last),
                    "birth_month_day": f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}",
                    "state": rng.choice(STATES),
                    "npi": f"{1000000000 + number}",
                    "created_at": now(),
                }
            )
        connection.execute(insert(Learner), rows)
    engine.dispose()
    return path


def now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def proposals(session, rng: random.Random) -> list[Proposed]:
    chosen = rng.sample(range(1, PEOPLE), 200)
    people = list(session.exec(select(Learner).where(Learner.id.in_(chosen))))
    made = [
        Proposed(p.first_name, p.last_name, p.birth_month_day, state=p.state) for p in people[:100]
    ]
    for p in people[100:]:
        made.append(Proposed(p.last_name, p.first_name, p.birth_month_day, state=p.state))
    made += [
        Proposed(
            "Zebulon", "Quux", f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}", state="IL"
        )
        for _ in range(100)
    ]
    return made


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    app = bench_app(directory_db())
    with app.app_context():
        session = get_session()
        asked = proposals(session, random.Random(9))
        kinds, samples = {}, []
        for proposed in asked:
            started = time.perf_counter()
            result = match(session, 1, proposed)
            samples.append((time.perf_counter() - started) * 1000)
            kinds[result.kind.value] = kinds.get(result.kind.value, 0) + 1
    print(summary(f"match against {PEOPLE:,} people ({len(asked)} learners)", samples, 5))
    print(f"  results: {kinds} (on {date.today()})")
