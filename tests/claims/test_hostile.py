"""Hostile input to the public claim pages: never a 5xx, never a stored row."""

import pytest
from sqlmodel import select

from pars.models import Claim, LearnerCompletion
from tests.claims.test_claims import claim_data, open_claims, stored
from tests.factories import TODAY


@pytest.fixture
def link(client, session, editor, make_activity):
    course = make_activity(
        editor.provider_id, title="Sepsis", ama_credits=1.0, start_date=TODAY, end_date=TODAY
    )
    made = open_claims(client, session, course)
    client.post("/logout")
    return course, made


@pytest.mark.parametrize(
    "changes",
    [
        {"credits": "abc"},
        {"credits": "1e308"},
        {"first_name": "A" * 10_000},
        {"birth_month_day": "99/99"},
        {"permission": "maybe"},
        {"board": "XYZ", "board_id": "1"},
        {"state": "ZZ"},
        {"rems_profession": "Wizard"},
        {"npi": "١٢٣٤٥٦٧٨٩٣"},  # Arabic-Indic digits
        {"email": "not-an-address"},
        {"attendance_code": "\x00\x01"},
    ],
)
def test_bad_claims_answer_4xx_and_store_nothing(client, session, link, changes):
    course, made = link
    response = client.post(f"/c/{made.slug}", data=claim_data(session, course, made, **changes))
    assert 400 <= response.status_code < 500, (changes, response.status_code)
    assert stored(session, Claim) == 0 and stored(session, LearnerCompletion) == 0


def test_a_forged_or_stale_receipt_and_odd_urls_answer_4xx(client, session, link):
    _, made = link
    for url in (
        f"/c/{made.slug}/done/forged",
        f"/c/{made.slug}/certificate/forged",
        "/c/" + "x" * 5000,
        f"/c/{made.slug}/check?field=npi&npi=" + "9" * 5000,
        "/certificates/verify?code=" + "Z" * 5000,
        "/certificates/link/" + "x" * 3000,
        "/certificates/999999/transcript",
    ):
        assert 200 <= client.get(url).status_code < 500, url
    assert client.get(f"/c/{made.slug}/done/forged").status_code == 410


def test_a_claim_in_another_providers_link_never_shows_their_learners(client, session, link):
    course, made = link
    client.post(f"/c/{made.slug}", data=claim_data(session, course, made))
    page = client.get(f"/c/{made.slug}")
    assert b"Diaz" not in page.data and b"ana@example.org" not in page.data
    assert session.exec(select(Claim)).one().first_name == "Ana"


def test_a_receipt_opens_its_claim_only_through_the_link_it_was_made_by(
    client, session, editor, make_activity, login, link
):
    """A genuine receipt under another activity's link shows nothing of the claim."""
    course, made = link
    other_course = make_activity(editor.provider_id, title="Stroke", start_date=TODAY)
    login()
    other = open_claims(client, session, other_course)
    client.post("/logout")
    sent = client.post(f"/c/{made.slug}", data=claim_data(session, course, made))
    assert sent.status_code == 303, sent.data.decode()[:2000]
    receipt = sent.location.rsplit("/", 1)[1]
    assert client.get(sent.location).status_code == 200
    for page in ("done", "certificate"):
        answer = client.get(f"/c/{other.slug}/{page}/{receipt}")
        assert answer.status_code == 404 and b"Diaz" not in answer.data, page
