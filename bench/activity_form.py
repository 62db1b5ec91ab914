"""Issue 3 benchmark: the activity form's section fragments and step saves.

Workload: the 100,000-activity SQLite database of the list benchmark; one editor of that
provider. Each conditional section is requested as htmx does (GET with the form's answers),
and each step is saved with valid answers through the Flask test client. Targets from the
issue: each partial's server time p50 <= 10 ms; saving a step p50 <= 20 ms.
"""

from datetime import date, timedelta

from bench.common import bench_app, seeded_database, signed_in_client, summary, timed

ACTIVITIES = 100_000
HTMX = {"HX-Request": "true"}
SOON = (date.today() + timedelta(days=30)).isoformat()
SECTIONS = [
    (1, "occurrence", {"format": "Live Course", "delivery_methods": "In-Person", "country": "USA"}),
    (
        1,
        "occurrence",
        {
            "format": "Live Course",
            "delivery_methods": "In-Person",
            "repeats": "yes",
            "add": "instances",
        },
    ),
    (2, "listing", {"in_cme_passport": "yes"}),
    (3, "joint", {"providership": "Joint", "add": "joint_providers"}),
    (3, "support", {"commercial_support": "yes", "support_kinds": ["Monetary", "In-kind"]}),
    (3, "commendation", {"commendation": "yes"}),
]
STEPS = {
    1: {
        "title": "Bench course",
        "format": "Live Course",
        "delivery_methods": "In-Person",
        "repeats": "no",
        "start_date": SOON,
        "end_date": SOON,
        "country": "USA",
        "city": "Chicago",
        "state": "IL",
        "postal_code": "60611",
    },
    2: {
        "ama_credits": "2.5",
        "in_cme_passport": "yes",
        "registration": "Open to all",
        "fee": "Yes",
        "url": "https://cme.example.org/x",
        "description": "About it.",
        "moc": "no",
        "mips": "no",
        "rems": "no",
    },
    3: {
        "providership": "Joint",
        "joint_providers-0": "Metro Nurses",
        "outcomes": "Learner Competence",
        "measures": "Learner Competence|Objective",
        "commercial_support": "yes",
        "support_kinds": "Monetary",
        "monetary-0-source": "Pfizer Inc.",
        "monetary-0-amount": "5000",
        "commendation": "no",
    },
    4: {},
}


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    app = bench_app(seeded_database(ACTIVITIES))
    client = signed_in_client(app)
    created = client.post("/activities/new", data=STEPS[1] | {"action": "continue"})
    activity_id = created.headers["Location"].split("/")[2]
    for step, name, args in SECTIONS:
        url = f"/activities/form/{step}/sections/{name}"
        query = args | {"activity_id": activity_id}
        samples = [
            timed(
                lambda u=url, q=query: client.get(u, query_string=q, headers=HTMX),
                check=lambda r: r.status_code == 200,
            )
            for _ in range(30)
        ]
        print(summary(f"section {step}/{name} ({', '.join(args)})", samples, 10))
    for step, data in STEPS.items():
        url = f"/activities/{activity_id}/steps/{step}"
        samples = [
            timed(
                lambda u=url, d=data: client.post(u, data=d | {"action": "back"}),
                check=lambda r: r.status_code == 303,
            )
            for _ in range(30)
        ]
        print(summary(f"save step {step}", samples, 20))
