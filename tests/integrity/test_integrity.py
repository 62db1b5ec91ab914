"""Integrity and independence: people in control of content disclose through a link without an
account; staff judge relevance and mitigate; learners are told. The public disclosure page
refuses what a disclosure cannot say, and a used, expired or revoked link answers 410."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import event
from sqlmodel import select

from pars.integrity import operations, rules
from pars.models import AuditEntry, Disclosure, DisclosureLink, FinancialRelationship
from tests.factories import TODAY


def add(client, activity, name, email, *roles):
    response = client.post(
        f"/activities/{activity.id}/integrity/people",
        data={"name": name, "email": email, "roles": list(roles)},
    )
    assert response.status_code == 200, response.data[-1500:]
    return re.search(r'value="(http://[^"]+/disclose/[^"]+)"', response.data.decode()).group(1)


def path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def disclose(app, url, **fields):
    anonymous = app.test_client()
    data = {"attest": "y"} | fields
    return anonymous, anonymous.post(path(url), data=data)


def test_disclosure_relevance_mitigation_and_what_learners_are_told(
    app, client, editor, make_activity, session
):
    activity = make_activity(editor.provider_id, title="Opioid Safety")
    ana = add(client, activity, "Dr Ana Diaz", "ana@example.org", "Faculty/Speaker")
    ben = add(client, activity, "Dr Ben Ode", "ben@example.org", "Faculty/Speaker")
    cara = add(client, activity, "Cara Lee", "cara@example.org", "Planner")
    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Disclosure from 3 people" in page

    anonymous = app.test_client()
    form = anonymous.get(path(ana))
    assert form.status_code == 200 and b"Opioid Safety" in form.data
    assert b"ana@example.org" not in form.data  # nothing beyond the title and dates
    _, given = disclose(
        app,
        ana,
        **{
            "relationships-0-company": "Acme Pharma",
            "relationships-0-nature": "Consulting fee",
            "relationships-0-last_date": (TODAY - timedelta(days=90)).isoformat(),
            "relationships-0-ended": "no",
        },
    )
    assert given.status_code == 200 and b"Thank you" in given.data
    assert disclose(app, ben, has_none="y")[1].status_code == 200
    assert disclose(app, cara, has_none="y")[1].status_code == 200
    assert disclose(app, ana, has_none="y")[1].status_code == 410  # used once

    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Relevance decision for 1 relationship" in page
    relationship = session.exec(select(FinancialRelationship)).one()
    url = f"/activities/{activity.id}/integrity/relationships/{relationship.id}"
    assert client.post(url + "/relevance", data={"relevant": "yes"}).status_code == 303
    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Mitigation for 1 relationship" in page
    assert "All relevant financial relationships listed have been mitigated." not in page
    other = client.post(
        url + "/mitigation", data={"role": "Faculty/Speaker", "kind": "Other (with a note)"}
    )
    assert other.status_code == 422  # "other" needs its note
    done = client.post(
        url + "/mitigation", data={"role": "Faculty/Speaker", "kind": "Peer review of content"}
    )
    assert done.status_code == 303
    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Complete: every disclosure is in" in page
    assert "Dr Ana Diaz</strong> (Faculty/Speaker):\n        Acme Pharma (Consulting fee)" in page
    assert page.count(rules.NONE_RELEVANT) == 2  # Ben and Cara
    assert rules.MITIGATED in page
    text = client.get(f"/activities/{activity.id}/integrity/disclosure.txt").data.decode()
    assert "Dr Ana Diaz, Faculty/Speaker: Acme Pharma (Consulting fee)" in text
    assert text.strip().endswith(rules.MITIGATED)
    said = [
        e.field
        for e in session.exec(select(AuditEntry).where(AuditEntry.activity_id == activity.id))
    ]
    assert "relevance of Acme Pharma" in said and "mitigation of Acme Pharma" in said
    assert "disclosure of Dr Ana Diaz" in said


def test_a_disclosure_that_cannot_be_used_is_refused_under_its_field(
    app, client, editor, make_activity, session
):
    activity = make_activity(editor.provider_id)
    url = add(client, activity, "Dr Ana Diaz", "ana@example.org", "Author")
    for fields, error in (
        ({}, "has_none-error"),  # neither none nor a relationship
        ({"has_none": "y", "attest": ""}, "attest-error"),
        (
            {
                "relationships-0-nature": "Consulting fee",
                "relationships-0-last_date": TODAY.isoformat(),
            },
            "relationships-0-company-error",
        ),
        (
            {
                "relationships-0-company": "Acme",
                "relationships-0-nature": "Bribes",
                "relationships-0-last_date": TODAY.isoformat(),
            },
            "relationships-0-nature-error",
        ),
        (
            {
                "relationships-0-company": "Acme",
                "relationships-0-nature": "Consulting fee",
                "relationships-0-last_date": (TODAY - timedelta(days=800)).isoformat(),
            },
            "relationships-0-last_date-error",
        ),
        (
            {
                "relationships-0-company": "Acme",
                "relationships-0-nature": "Consulting fee",
                "relationships-0-last_date": (TODAY + timedelta(days=3)).isoformat(),
            },
            "relationships-0-last_date-error",
        ),
    ):
        _, refused = disclose(app, url, **fields)
        assert refused.status_code == 422, fields
        assert f'id="{error}"'.encode() in refused.data, (fields, refused.data[-2000:])
    assert session.exec(select(Disclosure)).all() == []


def test_expired_revoked_and_unknown_links_answer_410(app, client, editor, make_activity, session):
    activity = make_activity(editor.provider_id)
    first = add(client, activity, "Dr Ana Diaz", "ana@example.org", "Author")
    person_id = session.exec(select(DisclosureLink)).one().person_id
    response = client.post(f"/activities/{activity.id}/integrity/people/{person_id}/link")
    second = re.search(r'value="(http://[^"]+)"', response.data.decode()).group(1)
    anonymous = app.test_client()
    assert anonymous.get(path(first)).status_code == 410  # replaced by the new one
    assert b"withdrawn or replaced by a newer one" in anonymous.get(path(first)).data
    assert anonymous.get("/disclose/not-a-token").status_code == 410
    link = session.exec(select(DisclosureLink).where(DisclosureLink.revoked_at.is_(None))).one()
    link.expires_at = datetime(2000, 1, 1, tzinfo=UTC)  # long past
    session.commit()
    assert b"has expired" in anonymous.get(path(second)).data
    assert session.exec(select(DisclosureLink.token_hash)).all()[0] not in first  # hashed
    response = client.post(f"/activities/{activity.id}/integrity/people/{person_id}/link")
    third = re.search(r'value="(http://[^"]+)"', response.data.decode()).group(1)
    assert anonymous.get(path(third)).status_code == 200
    assert (
        client.post(f"/activities/{activity.id}/integrity/people/{person_id}/revoke").status_code
        == 303
    )
    assert anonymous.get(path(third)).status_code == 410  # withdrawn


def test_only_the_providers_own_activity_and_people(
    client, editor, make_activity, make_user, session
):
    theirs = make_activity(make_user("b@example.org", provider="Other Provider").provider_id)
    assert client.get(f"/activities/{theirs.id}/integrity").status_code == 404
    response = client.post(
        f"/activities/{theirs.id}/integrity/people",
        data={"name": "X", "email": "x@example.org", "roles": ["Author"]},
    )
    assert response.status_code == 404


def test_the_request_is_emailed_through_a_real_smtp_server(
    app, client, editor, make_activity, smtp_server
):
    activity = make_activity(editor.provider_id, title="Sepsis Update")
    response = client.post(
        f"/activities/{activity.id}/integrity/people",
        data={"name": "Dr Ana Diaz", "email": "ana@example.org", "roles": ["Faculty/Speaker"]},
    )
    assert b"was emailed to Dr Ana Diaz (ana@example.org)" in response.data
    assert b'data-testid="disclosure-link"' not in response.data  # sent, not shown
    [message] = smtp_server
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "Your financial relationship disclosure for Sepsis Update"
    link = re.search(r"http://\S+/disclose/\S+", message.get_payload(decode=True).decode()).group(0)
    anonymous = app.test_client()
    assert anonymous.get(path(link)).status_code == 200
    _, given = disclose(app, link, has_none="y")
    assert b"Thank you, Dr Ana Diaz" in given.data


def test_without_a_mail_server_the_link_is_shown_and_a_failure_says_so(
    app, client, editor, make_activity
):
    activity = make_activity(editor.provider_id)
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    try:
        response = client.post(
            f"/activities/{activity.id}/integrity/people",
            data={"name": "Dr Ana Diaz", "email": "ana@example.org", "roles": ["Author"]},
        )
    finally:
        app.config["SMTP_URL"] = ""
    assert b"could not be sent" in response.data
    assert b'data-testid="disclosure-link"' in response.data


def test_the_pdf_reads_back_as_the_disclosure(app, client, editor, make_activity, session):
    import io

    from pypdf import PdfReader

    activity = make_activity(editor.provider_id, title="Opioid Safety")
    url = add(client, activity, "Dr Ana Diaz", "ana@example.org", "Faculty/Speaker")
    disclose(app, url, has_none="y")
    response = client.get(f"/activities/{activity.id}/integrity/disclosure.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Opioid Safety" in text
    assert f"Dr Ana Diaz, Faculty/Speaker: {rules.NONE_RELEVANT}" in text
    assert rules.MITIGATED in text


def test_the_api_adds_people_reads_readiness_and_records_decisions(
    app, client, editor, make_activity, session
):
    from pars.accounts import tokens
    from pars.models import User

    activity = make_activity(editor.provider_id, title="API Course")
    token = tokens.create(session, session.get(User, editor.id), "tests")
    session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    base = f"/api/v1/activities/{activity.id}"
    bad = api.post(
        f"{base}/people", json={"name": "A", "email": "not-an-email", "roles": ["Author"]}
    )
    assert bad.status_code == 422 and "email" in str(bad.json)
    unknown = api.post(
        f"{base}/people", json={"name": "A", "email": "a@example.org", "roles": ["Boss"]}
    )
    assert unknown.status_code == 400
    added = api.post(
        f"{base}/people",
        json={"name": "Dr Ana Diaz", "email": "ana@example.org", "roles": ["Faculty/Speaker"]},
    )
    assert added.status_code == 201 and "/disclose/" in added.json["disclosure_link"]
    disclose(
        app,
        added.json["disclosure_link"],
        **{
            "relationships-0-company": "Acme Pharma",
            "relationships-0-nature": "Honoraria",
            "relationships-0-last_date": TODAY.isoformat(),
        },
    )
    [person] = api.get(f"{base}/people").json["items"]
    [relationship] = person["relationships"]
    assert relationship["company"] == "Acme Pharma" and relationship["relevant"] is None
    rid = relationship["id"]
    early = api.post(
        f"{base}/relationships/{rid}/mitigations",
        json={"role": "Faculty/Speaker", "kind": "Peer review of content"},
    )
    assert early.status_code == 409  # not judged relevant yet
    assert (
        api.put(f"{base}/relationships/{rid}/relevance", json={"relevant": True}).status_code == 200
    )
    wrong_role = api.post(
        f"{base}/relationships/{rid}/mitigations",
        json={"role": "Planner", "kind": "Peer review of content"},
    )
    assert wrong_role.status_code == 409 and "no role Planner" in wrong_role.json["error"]
    done = api.post(
        f"{base}/relationships/{rid}/mitigations",
        json={"role": "Faculty/Speaker", "kind": "Peer review of content"},
    )
    assert done.status_code == 201
    ready = api.get(f"{base}/independence").json
    assert ready["blocking"] == [] and ready["disclosure"]["statement"] == rules.MITIGATED
    assert "Dr Ana Diaz, Faculty/Speaker: Acme Pharma (Honoraria)" in ready["text"]
    assert [p["name"] for p in api.get("/api/v1/people").json["items"]] == ["Dr Ana Diaz"]
    assert api.get(f"{base}/relationships/999/relevance").status_code == 405
    assert (
        api.put(f"{base}/relationships/999/relevance", json={"relevant": True}).status_code == 404
    )


def test_a_disclosure_on_file_starts_the_next_activitys_form(app, client, editor, make_activity):
    first = make_activity(editor.provider_id, title="First Course")
    second = make_activity(editor.provider_id, title="Second Course")
    url = add(client, first, "Dr Ana Diaz", "ana@example.org", "Author")
    disclose(
        app,
        url,
        **{
            "relationships-0-company": "Acme Pharma",
            "relationships-0-nature": "Honoraria",
            "relationships-0-last_date": TODAY.isoformat(),
        },
    )
    again = add(client, second, "Dr Ana Diaz", "ana@example.org", "Author")
    page = app.test_client().get(path(again)).data.decode()
    assert "is filled in below: check that it is still complete" in page
    assert 'value="Acme Pharma"' in page
    # Still asked for this activity: a post without the rows is refused, with them it is taken.
    assert disclose(app, again)[1].status_code == 422
    given = disclose(
        app,
        again,
        **{
            "relationships-0-company": "Acme Pharma",
            "relationships-0-nature": "Honoraria",
            "relationships-0-last_date": TODAY.isoformat(),
        },
    )[1]
    assert b"Thank you" in given.data


def test_everyone_involved_is_read_in_five_queries_whatever_their_number(
    app, client, editor, make_activity, session
):
    """The integrity page, the claim page's disclosure and readiness read the people of an
    activity with their latest disclosure, link, relationships and mitigations in five
    queries, not a round of queries a person."""
    activity = make_activity(editor.provider_id, title="Opioid Safety")
    for n in range(4):
        url = add(client, activity, f"Dr {n}", f"p{n}@example.org", "Faculty/Speaker")
        company = {
            "relationships-0-company": f"Acme {n}",
            "relationships-0-nature": "Consulting fee",
            "relationships-0-last_date": (TODAY - timedelta(days=90)).isoformat(),
            "relationships-0-ended": "no",
        }
        assert disclose(app, url, **(company if n % 2 else {"has_none": "y"}))[1].status_code == 200
    session.commit()
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listen)
    try:
        people = operations.involved(session, activity)
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)
    assert [p.person.name for p in people] == ["Dr 0", "Dr 1", "Dr 2", "Dr 3"]
    assert [len(p.relationships) for p in people] == [0, 1, 0, 1]
    assert all(p.disclosure is not None and p.link is not None for p in people)
    assert len(statements) == 5
