"""Issue 19: learners claiming their own credit.

Workloads and targets:
1. Claim round trip, in process (Flask test client, SQLite file, CSRF off): open the claim
   page, send the claim (identity, code, credits, a 9-question evaluation, permission), open
   the page after it and download the certificate; 200 learners one after another. Server
   time is the app's own, from the WSGI call to the last byte of each answer (the client's
   time is printed beside it). Target: p50 <= 30 ms server time for the round trip. Floor
   in the same run: a bare Flask app serving the same four requests (a template of the
   page's size, one sqlite3 INSERT for the claim, the PDF from step 2's floor).
2. Certificate PDF: the certificate of one claim, 200 times. Target <= 100 ms. Floor: bare
   fpdf2 writing the same words on one page in the same core font.
3. 200 learners claiming in the same few minutes: gunicorn (2 sync workers, SQLite), 16 client
   threads, each learner opening the page, claiming with its CSRF token and downloading the
   certificate; 40 of them send their claim a second time. Target: no error, 200 claims and 200
   completions stored, every repeat answered 409 (no lost, no doubled completion).
4. A burst of 1,000 claims from one address within a minute on another link (16 threads).
   Target: refused (429) past CLAIMS_PER_ADDRESS (300 in 5 minutes), never more stored.
Run: `python -m bench claims` (part of `make bench`).
"""

import re
import sqlite3
import statistics
import threading
import time
from collections import Counter
from datetime import date

from flask import Flask, render_template_string
from fpdf import FPDF
from sqlmodel import Session, func, select

from bench.common import OUT, bench_app, empty_database, summary
from bench.load import Client, start_gunicorn
from pars.accounts import users
from pars.activities import operations as activity_operations
from pars.claims import operations, pdf
from pars.core.db import make_engine
from pars.learners import rules as learner_rules
from pars.models import Activity, Claim, LearnerCompletion, OutcomeRow
from pars.vocab import Outcome, Role

LEARNERS, REPEATS, CLIENTS, BURST = 200, 40, 16, 1_000


def npi(n: int) -> str:
    """Learner n's own valid NPI: a room of physicians does not share one, and a shared NPI
    would make every earlier learner a match candidate of the next."""
    body = f"1{n:08d}"
    return next(body + d for d in "0123456789" if learner_rules.npi_error(body + d) is None)


def course(session: Session, provider_id: int, title: str) -> Activity:
    today = date.today()
    activity = Activity(
        provider_id=provider_id,
        title=title,
        format="Live Course",
        start_date=today,
        end_date=today,
        ama_credits=2.0,
        outcomes=[OutcomeRow(outcome=o.value, objective=True) for o in Outcome],
    )
    activity_operations.save_activity(session, activity)
    return activity


def prepared(name: str) -> tuple:
    """A fresh database with one provider and three live courses with claims open."""
    path = empty_database(name)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        provider = users.get_or_create_provider(session, name="Bench CME")
        users.create_user(
            session,
            email="claims@example.org",
            password="bench-password-123",
            role=Role.ADMIN,
            provider=provider,
        )
        links = []
        for title in ("Heart Failure Update", "Sepsis Bundle", "Burst Course"):
            activity = course(session, provider.id, title)
            [link] = operations.open_links(session, activity)
            operations.questions_for(session, activity)
            links.append((activity.id, link.slug, link.attendance_code))
        session.commit()
    engine.dispose()
    return path, links


def claim_form(n: int, code: str, questions: dict[str, str]) -> dict:
    answers = {name: "yes" if yes_no else "4" for name, yes_no in questions.items()}
    return {
        "first_name": f"Learner{n}",
        "last_name": "Bench",
        "birth_month_day": f"{1 + n % 12:02d}/{1 + n % 28:02d}",
        "email": f"learner{n}@example.org",
        "state": "IL",
        "npi": npi(n),
        "attendance_code": code,
        "credits": "1.5",
        "permission": "yes",
        **answers,
    }


def questions_of(html: str) -> dict[str, bool]:
    """The evaluation's fields, and whether each is answered yes/no."""
    return {
        name: value == "yes"
        for name, value in re.findall(r'name="(q\d+)"[^>]*value="([^"]*)"', html)
        if value in ("yes", "5")
    }


class ServerTime:
    """WSGI middleware: the time the app takes for each request, from the call to the last
    byte of its body (what a server's own timing reports; the test client's building of the
    request and reading of the answer are left out)."""

    def __init__(self, app):
        self.app, self.spent = app, 0.0

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        body = self.app(environ, start_response)
        try:
            chunks = list(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self.spent += time.perf_counter() - started
        return chunks


def timed_trips(app, trip) -> tuple[list[float], list[float]]:
    """``trip(client, n)`` for each learner: (server ms, ms seen by the client) a round trip."""
    timer = ServerTime(app.wsgi_app)
    app.wsgi_app = timer
    client = app.test_client()
    server, seen = [], []
    for n in range(LEARNERS):
        timer.spent, started = 0.0, time.perf_counter()
        trip(client, n)
        seen.append((time.perf_counter() - started) * 1000)
        server.append(timer.spent * 1000)
    return server, seen


def round_trips() -> tuple[list[float], list[float], int]:
    path, links = prepared("claims-inproc.db")
    app = bench_app(path)
    _, slug, code = links[0]
    first = app.test_client().get(f"/c/{slug}").data
    questions = questions_of(first.decode())

    def trip(client, n):
        page = client.get(f"/c/{slug}")
        sent = client.post(f"/c/{slug}", data=claim_form(n, code, questions))
        done = client.get(sent.location)
        href = re.search(r'href="([^"]+/certificate/[^"]+)"', done.data.decode()).group(1)
        certificate = client.get(href)
        assert page.status_code == 200 and sent.status_code == 303, sent.data[:300]
        assert certificate.mimetype == "application/pdf"

    server, seen = timed_trips(app, trip)
    app.extensions["pars_engine"].dispose()
    return server, seen, len(first)


def bare_round_trips(page_bytes: int) -> tuple[list[float], list[float]]:
    """The floor: Flask serving a page of the claim page's size, one sqlite3 INSERT, a page
    after it and the floor PDF."""
    bare = Flask("bare")
    database = sqlite3.connect(OUT / "claims-bare.db", check_same_thread=False)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("DROP TABLE IF EXISTS claim")
    database.execute("CREATE TABLE claim (id INTEGER PRIMARY KEY, name TEXT, credits REAL)")
    filler = "x" * page_bytes

    @bare.get("/c")
    def page():
        return render_template_string("<p>{{ filler }}</p>", filler=filler)

    @bare.post("/c")
    def send():
        database.execute("INSERT INTO claim (name, credits) VALUES (?, 1.5)", ("Learner",))
        database.commit()
        return "", 303, {"Location": "/c/done"}

    @bare.get("/c/done")
    def done():
        return render_template_string("<p>{{ filler[:2000] }}</p>", filler=filler)

    @bare.get("/c/pdf")
    def certificate():
        return bare_pdf(), 200, {"Content-Type": "application/pdf"}

    def trip(client, n):
        client.get("/c")
        client.post("/c", data={"first_name": "Learner"})
        client.get("/c/done")
        client.get("/c/pdf")

    times = timed_trips(bare, trip)
    database.close()
    return times


CERTIFICATE = pdf.Certificate(
    learner="Ana Diaz",
    activity="Heart Failure Update: Guideline-Directed Therapy in 2026",
    dates="12/01/2026",
    completed=date(2026, 12, 1),
    credits=1.5,
    statement="Bench CME designates this live activity for a maximum of 2 AMA PRA Category 1 "
    "Credit(s)\u2122. Physicians should claim only the credit commensurate with the extent of "
    "their participation in the activity.",
    provider="Bench CME",
    code="ABCD-EFGH-JKMN",
    verify_url="http://127.0.0.1:5000/certificates/verify",
)


def bare_pdf() -> bytes:
    """fpdf2 at its fastest: one cell a line, the statement's lines broken once beforehand."""
    document = FPDF(format="Letter")
    document.core_fonts_encoding = "windows-1252"
    document.add_page()
    document.set_font("Helvetica", size=12)
    for line in BARE_LINES:
        document.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def bare_lines() -> list[str]:
    document = FPDF(format="Letter")
    document.core_fonts_encoding = "windows-1252"
    document.add_page()
    document.set_font("Helvetica", size=12)
    lines = []
    for text in (
        CERTIFICATE.provider,
        "Certificate of Credit",
        CERTIFICATE.learner,
        CERTIFICATE.activity,
        CERTIFICATE.dates,
        CERTIFICATE.statement,
        CERTIFICATE.code,
    ):
        broken = document.multi_cell(0, 7, text, dry_run=True, output="LINES")
        # back from fpdf2's own encoding of the core font to the text's characters
        lines += [line.encode("latin-1").decode("windows-1252") for line in broken]
    return lines


BARE_LINES = bare_lines()


def pdf_times() -> tuple[list[float], list[float]]:
    ours, floor = [], []
    for _ in range(LEARNERS):
        started = time.perf_counter()
        pdf.certificate_pdf(CERTIFICATE)
        ours.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        bare_pdf()
        floor.append((time.perf_counter() - started) * 1000)
    return ours, floor


def learner_claims(base: str, slug: str, code: str, numbers: list[int], log: list, repeat: set):
    for n in numbers:
        client = Client(base, log)  # each learner's own phone: its own cookie and CSRF token
        status, page = client.request(f"/c/{slug}", name="page")
        if status != 200:
            continue
        form = claim_form(n, code, questions_of(page))
        status, _ = client.request(f"/c/{slug}", form, name="claim")
        if status == 303:
            client.request(f"/c/{slug}", name="page")
        if n in repeat:
            client.request(f"/c/{slug}", form, name="repeat")


def concurrent_claims(base: str, slug: str, code: str) -> tuple[list, float]:
    log: list = []
    numbers = list(range(LEARNERS))
    repeat = set(numbers[::5][:REPEATS])
    seconds = on_clients(
        lambda i: learner_claims(base, slug, code, numbers[i::CLIENTS], log, repeat)
    )
    return log, seconds


def on_clients(work) -> float:
    """Run ``work(i)`` on CLIENTS threads at once; the seconds until the last ends."""
    threads = [threading.Thread(target=work, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def burst(base: str, slug: str, code: str) -> tuple[Counter, float]:
    log: list = []
    first = Client(base, log)
    _, page = first.request(f"/c/{slug}", name="page")
    questions = questions_of(page)

    def send(numbers):
        client = Client(base, log)
        client.request(f"/c/{slug}", name="page")
        for n in numbers:
            client.request(f"/c/{slug}", claim_form(10_000 + n, code, questions), name="claim")

    seconds = on_clients(lambda i: send(list(range(BURST))[i::CLIENTS]))
    return Counter(s for name, s, _ in log if name == "claim"), seconds


def stored(path, activity_id: int) -> tuple[int, int, int]:
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        claims = session.exec(
            select(func.count()).select_from(Claim).where(Claim.activity_id == activity_id)
        ).one()
        completions = session.exec(
            select(func.count())
            .select_from(LearnerCompletion)
            .where(LearnerCompletion.activity_id == activity_id)
        ).one()
        activity = session.get(Activity, activity_id)
        total = activity.physician_learners or 0
    engine.dispose()
    return claims, completions, total


def run() -> None:
    print("Claims (issue 19)")
    ours, floor = pdf_times()
    print(summary("certificate PDF (ours)", ours, 100))
    print(summary("certificate PDF (bare fpdf2 floor)", floor))
    print(f"  ratio p50: {statistics.median(ours) / statistics.median(floor):.2f}x the floor")

    trips, seen, size = round_trips()
    bare, bare_seen = bare_round_trips(size)
    print(summary("claim round trip, server time: page, claim, done, PDF", trips, 30))
    print(summary("same four requests, bare Flask + sqlite3", bare))
    print(f"  ratio p50: {statistics.median(trips) / statistics.median(bare):.2f}x the floor")
    print(
        f"  (as the in-process client sees them, its own work included: ours p50 "
        f"{statistics.median(seen):.1f} ms, bare {statistics.median(bare_seen):.1f} ms)"
    )

    path, links = prepared("claims-load.db")
    server, base = start_gunicorn(path)
    try:
        (activity_id, slug, code), _, (burst_id, burst_slug, burst_code) = links
        log, seconds = concurrent_claims(base, slug, code)
        expected = {"page": {200}, "claim": {303}, "repeat": {409}}
        errors = [(n, s) for n, s, _ in log if s not in expected[n]]
        claims, completions, total = stored(path, activity_id)
        times = sorted(ms for name, _, ms in log if name == "claim")
        p95 = times[int(len(times) * 0.95)]
        print(
            f"  {LEARNERS} learners, {CLIENTS} clients, gunicorn 2 workers: {seconds:.1f} s; "
            f"claim p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
        )
        print(
            f"  stored: {claims} claims, {completions} completions, physician total {total} "
            f"(target {LEARNERS} each); repeats answered 409: "
            f"{sum(1 for n, s, _ in log if n == 'repeat' and s == 409)}/{REPEATS}; "
            f"errors: {len(errors)}" + (f" {Counter(errors).most_common(3)}" if errors else "")
        )
        counts, seconds = burst(base, burst_slug, burst_code)
        claims, completions, _ = stored(path, burst_id)
        print(
            f"  burst of {BURST} claims from one address in {seconds:.1f} s: "
            + ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
            + f"; stored {claims} claims, {completions} completions (at most 300)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    run()
