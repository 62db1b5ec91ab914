"""Certificates again by email through a real SMTP server (one-time links that expire), the
transcript as one PDF, the limits of the public pages, and the claims API."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlmodel import select

from pars.models import CertificateLink, Claim, LearnerCompletion
from tests.claims.test_claims import claim_data, open_claims, stored
from tests.factories import TODAY


@pytest.fixture
def two_courses(editor, make_activity):
    return [
        make_activity(
            editor.provider_id, title=title, ama_credits=2.0, start_date=TODAY, end_date=TODAY
        )
        for title in ("Heart Failure Update", "Sepsis Bundle")
    ]


def mailed_link(message) -> str:
    body = message.get_payload(decode=True).decode()
    return re.search(r"http://\S+/certificates/link/\S+", body).group(0)


def claim_both(client, session, courses) -> list:
    links = [open_claims(client, session, course) for course in courses]
    client.post("/logout")
    for course, link in zip(courses, links, strict=True):
        response = client.post(f"/c/{link.slug}", data=claim_data(session, course, link))
        assert response.status_code == 303
    return links


def test_the_certificate_again_by_email_works_once(
    client, session, editor, two_courses, smtp_server
):
    links = claim_both(client, session, two_courses)
    said = client.post(f"/c/{links[0].slug}/email", data={"email": "ANA@example.org"})
    assert "a link to it is on its way" in client.get(said.location).data.decode()
    [message] = smtp_server
    assert message["To"] == "ANA@example.org"
    url = mailed_link(message)
    page = client.get(url)
    assert page.status_code == 200 and b"1 certificate" in page.data
    pdf = client.post(url)
    assert pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Heart Failure Update" in text and "Sepsis" not in text
    assert client.post(url).status_code == 410  # once
    # The same answer for an address with no certificate, and nothing is sent.
    other = client.post(f"/c/{links[0].slug}/email", data={"email": "nobody@example.org"})
    assert "a link to it is on its way" in client.get(other.location).data.decode()
    assert len(smtp_server) == 1


def test_a_transcript_is_every_certificate_in_one_pdf(
    client, session, editor, two_courses, smtp_server
):
    claim_both(client, session, two_courses)
    url = f"/certificates/{editor.provider_id}/transcript"
    assert client.post(url, data={"email": "ana@example.org"}).status_code == 303
    [message] = smtp_server
    pdf = client.post(mailed_link(message))
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 3  # the list, then each certificate
    listing = reader.pages[0].extract_text()
    assert "Heart Failure Update" in listing and "Sepsis Bundle" in listing
    assert "In all: 2 AMA PRA Category 1 Credits" in listing  # 1 + 1 claimed
    bad = client.post(url, data={"email": "not an address"})
    assert bad.status_code == 422 and b"name@example.org" in bad.data


def test_an_emailed_link_expires_after_a_day(client, session, editor, two_courses, smtp_server):
    links = claim_both(client, session, two_courses)
    client.post(f"/c/{links[0].slug}/email", data={"email": "ana@example.org"})
    row = session.exec(select(CertificateLink)).one()
    row.expires_at = datetime(2026, 1, 1, tzinfo=UTC)  # long past, whatever the day
    session.add(row)
    session.commit()
    assert client.get(mailed_link(smtp_server[0])).status_code == 410


def test_a_room_behind_one_address_is_limited_and_the_rest_refused(
    app, client, session, editor, two_courses
):
    app.config["CLAIMS_PER_ADDRESS"] = 20
    link = open_claims(client, session, two_courses[0])
    client.post("/logout")
    answers = [
        client.post(
            f"/c/{link.slug}",
            data=claim_data(session, two_courses[0], link, first_name=f"Learner{n}"),
        )
        for n in range(60)
    ]
    codes = [a.status_code for a in answers]
    assert codes[:20] == [303] * 20 and set(codes[20:]) == {429}
    assert answers[-1].headers["Retry-After"] == "60"
    assert stored(session, Claim) == 20 and stored(session, LearnerCompletion) == 20


def test_one_learner_cannot_try_codes_without_end(app, client, session, editor, two_courses):
    link = open_claims(client, session, two_courses[0])
    client.post("/logout")
    wrong = claim_data(session, two_courses[0], link, attendance_code="NOPE99")
    codes = [client.post(f"/c/{link.slug}", data=wrong).status_code for _ in range(12)]
    assert codes[:10] == [422] * 10 and codes[10:] == [429, 429]
    # Another learner in the same room is not held up.
    other = claim_data(session, two_courses[0], link, first_name="Ben")
    assert client.post(f"/c/{link.slug}", data=other).status_code == 303


def test_the_api_gives_links_claims_and_the_evaluation(client, session, editor, two_courses):
    from pars.accounts import tokens

    token = tokens.create(session, editor, "Claims")
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    course = two_courses[0]
    assert client.get(f"/api/v1/activities/{course.id}/claim-links", headers=headers).json == {
        "items": []
    }
    opened = client.post(f"/api/v1/activities/{course.id}/claim-links", headers=headers)
    assert opened.status_code == 201
    [link] = opened.json["items"]
    assert link["attendance_code"] and link["url"].startswith("http://localhost/c/")
    slug = link["url"].rsplit("/", 1)[1]
    client.post("/logout")
    from pars.claims import operations

    row, _, _, _ = operations.link_by_slug(session, slug)
    assert client.post(f"/c/{slug}", data=claim_data(session, course, row)).status_code == 303
    claims = client.get(f"/api/v1/activities/{course.id}/claims", headers=headers).json["items"]
    assert [(c["first_name"], c["match_result"], c["evaluation_done"]) for c in claims] == [
        ("Ana", "No match", True)
    ]
    summary = client.get(f"/api/v1/activities/{course.id}/evaluation", headers=headers).json
    assert any(item["mean"] == 4.0 for item in summary["items"])
