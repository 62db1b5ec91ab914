"""The five-step activity form through the Flask test client: steps, sections, rules."""

from datetime import timedelta

import pytest
from sqlmodel import select

from pars.models import Activity
from tests.factories import NOW, TODAY

BASICS = {
    "title": "Grand Rounds",
    "format": "Live Course",
    "delivery_methods": ["In-Person"],
    "repeats": "no",
    "start_date": (TODAY + timedelta(5)).isoformat(),
    "end_date": (TODAY + timedelta(5)).isoformat(),
    "country": "USA",
    "city": "Chicago",
    "state": "IL",
    "postal_code": "60611",
    "action": "continue",
}


def new_activity(client, **changes) -> str:
    response = client.post("/activities/new", data=BASICS | changes)
    assert response.status_code == 303, response.data.decode()[-2000:]
    return response.headers["Location"]


def stored(session, title="Grand Rounds") -> Activity:
    session.expire_all()
    return session.exec(select(Activity).where(Activity.title == title)).one()


def section(client, step, name, **args):
    response = client.get(f"/activities/form/{step}/sections/{name}", query_string=args)
    assert response.status_code == 200
    return response.data.decode()


# Each answer opens exactly what it implies.
@pytest.mark.parametrize(
    ("args", "present", "absent"),
    [
        ({"format": "Live Course"}, ["In-Person", "Live-Streamed", "repeats"], ["Online"]),
        ({"format": "Regularly Scheduled Series"}, ["In-Person"], ["repeats", "Online"]),
        ({"format": "Enduring Material"}, ["Online", "Print/Other"], ["In-Person", "repeats"]),
        ({"format": "Journal CME/CE"}, ["start_date"], ["delivery_methods", "country"]),
        (
            {"format": "Live Course", "delivery_methods": "In-Person"},
            ["country", "postal_code"],
            ["instances-0"],
        ),
        ({"format": "Live Course", "delivery_methods": "Live-Streamed"}, [], ["country"]),
        (
            {"format": "Live Course", "delivery_methods": "In-Person", "repeats": "yes"},
            ["instances-0-start_date", "instances-1-country", "Add Another Occurrence"],
            ['name="start_date"'],
        ),
        (
            {"format": "Live Course", "delivery_methods": "In-Person", "country": "USA"},
            ['<select id="state"', "Illinois"],
            [],
        ),
        (
            {"format": "Live Course", "delivery_methods": "In-Person", "country": "CAN"},
            ['<input id="state"'],
            ["Illinois"],
        ),
    ],
)
def test_step1_sections_open_what_the_answers_imply(client, editor, args, present, absent):
    html = section(client, 1, "occurrence", **args)
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


@pytest.mark.parametrize(
    ("step", "name", "args", "present", "absent"),
    [
        (2, "listing", {"in_cme_passport": "yes"}, ["registration", "fee", "url"], []),
        (2, "listing", {"moc": "yes"}, ["registration"], []),
        (2, "listing", {"in_cme_passport": "no", "moc": "no"}, [], ["registration"]),
        (3, "joint", {"providership": "Joint"}, ["joint_providers-0", "Add Joint Provider"], []),
        (3, "joint", {"providership": "Direct"}, [], ["joint_providers-0"]),
        (
            3,
            "joint",
            {"providership": "Joint", "add": "joint_providers", "joint_providers-0": "A"},
            ["joint_providers-1"],
            [],
        ),
        (
            3,
            "joint",
            {
                "providership": "Joint",
                "remove": "joint_providers-0",
                "joint_providers-0": "A",
                "joint_providers-1": "B",
            },
            ['value="B"'],
            ['value="A"'],
        ),
        (3, "support", {"commercial_support": "yes"}, ["Monetary", "In-kind"], ["monetary-0"]),
        (
            3,
            "support",
            {"commercial_support": "yes", "support_kinds": "Monetary"},
            ["monetary-0-source", "monetary-0-amount"],
            ["in_kind-0"],
        ),
        (
            3,
            "support",
            {"commercial_support": "yes", "support_kinds": "In-kind"},
            ["in_kind-0-source"],
            ["monetary-0"],
        ),
        (
            3,
            "support",
            {"commercial_support": "no", "support_kinds": "Monetary"},
            [],
            ["monetary-0"],
        ),
        (3, "commendation", {"commendation": "yes"}, ["Engages Teams", "Achieves Outcomes"], []),
        (3, "commendation", {"commendation": "no"}, [], ["Engages Teams"]),
    ],
)
def test_later_sections_open_what_the_answers_imply(
    client, editor, step, name, args, present, absent
):
    html = section(client, step, name, **args)
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_unknown_section_is_404(client, editor):
    assert client.get("/activities/form/1/sections/secrets").status_code == 404
    assert client.get("/activities/form/9/sections/listing").status_code == 404


def test_step_one_saves_a_draft_and_goes_to_step_two(client, editor, session):
    location = new_activity(client, end_date=None, start_date=None)
    activity = stored(session)
    assert location.endswith(f"/activities/{activity.id}/steps/2?new=1")
    assert activity.stage == "Draft" and activity.city == "Chicago"
    assert [r.method for r in activity.delivery_methods] == ["In-Person"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the activity title."),
        (
            {"end_date": (TODAY - timedelta(1)).isoformat(), "start_date": TODAY.isoformat()},
            "end_date",
            "same as or after the start date",
        ),
        (
            {
                "format": "Enduring Material",
                "delivery_methods": ["Online"],
                "repeats": "",
                "country": "",
                "city": "",
                "state": "",
                "postal_code": "",
                "start_date": "2026-01-01",
                "end_date": "2029-01-02",
            },
            "end_date",
            "at most 3 years",
        ),
        (
            {
                "format": "Regularly Scheduled Series",
                "repeats": "",
                "start_date": "2026-01-01",
                "end_date": "2027-01-02",
            },
            "end_date",
            "at most 12 months",
        ),
        ({"postal_code": "6061"}, "postal_code", "Enter a US ZIP code"),
        ({"state": "Illinois"}, "state", "Choose a US state"),
        ({"start_date": "2026-02-30"}, "start_date", "Not a valid date"),
        ({"format": "Webinar"}, "format", "Not a valid choice"),
        ({"delivery_methods": ["Online"]}, "delivery_methods", "does not take place Online"),
        ({"format": "Journal CME/CE"}, "country", "not saved: Where does the activity take place"),
    ],
)
def test_step_one_refuses_bad_values_under_the_field(
    client, editor, session, changes, field, message
):
    response = client.post("/activities/new", data=BASICS | changes)
    assert response.status_code == 422
    html = response.data.decode()
    assert message in html
    assert f'id="{field}-error"' in html or "questions that do not apply" in html
    assert session.exec(select(Activity)).all() == []


def test_repeat_needs_two_occurrences(client, editor):
    data = BASICS | {
        "repeats": "yes",
        "instances-0-start_date": BASICS["start_date"],
        "instances-0-end_date": BASICS["end_date"],
    }
    response = client.post("/activities/new", data=data)
    assert response.status_code == 422 and b"at least two" in response.data


def step2(client, location, **changes):
    data = {
        "ama_credits": "1.5",
        "in_cme_passport": "no",
        "description": "About it.",
        "moc": "no",
        "mips": "no",
        "rems": "no",
        "action": "continue",
    } | changes
    return client.post(location, data=data)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ama_credits": "0"}, "ama_credits", "greater than 0"),
        ({"ama_credits": "1.3"}, "ama_credits", "quarter steps"),
        ({"ama_credits": "-2"}, "ama_credits", "greater than 0"),
        ({"ama_credits": "lots"}, "ama_credits", "as a number"),
        ({"description": "x" * 2501}, "description", "2,500 characters"),
        ({"in_cme_passport": "yes", "url": "ftp://x.org"}, "url", "http://"),
        ({"in_cme_passport": "no", "url": "https://x.org"}, "url", "not saved: Enter the activity"),
        ({"fee": "Maybe", "in_cme_passport": "yes"}, "fee", "Not a valid choice"),
    ],
)
def test_step_two_rules(client, editor, session, changes, field, message):
    location = new_activity(client)
    response = step2(client, location, **changes)
    html = response.data.decode()
    assert response.status_code == 422 and message in html
    assert f'id="{field}-error"' in html or "questions that do not apply" in html
    assert stored(session).ama_credits is None


def test_step_two_saves_and_the_activity_becomes_active_after_step_three(client, editor, session):
    location = new_activity(client)
    assert step2(client, location, ama_credits="1.25").status_code == 303
    step3 = location.replace("/steps/2", "/steps/3")
    response = client.post(
        step3,
        data={
            "providership": "Direct",
            "outcomes": "Patient Health",
            "measures": "Patient Health|Subjective",
            "commercial_support": "no",
            "commendation": "no",
            "action": "continue",
        },
    )
    assert response.status_code == 303
    activity = stored(session)
    assert activity.ama_credits == 1.25 and activity.stage == "Active"
    assert [(o.outcome, o.objective, o.subjective) for o in activity.outcomes] == [
        ("Patient Health", False, True)
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "commercial_support": "yes",
                "support_kinds": "Monetary",
                "monetary-0-source": "Pfizer",
                "monetary-0-amount": "-5",
            },
            "whole-dollar amount greater than 0",
        ),
        (
            {
                "commercial_support": "yes",
                "support_kinds": "Monetary",
                "monetary-0-source": "Pfizer",
                "monetary-0-amount": "12.50",
            },
            "without cents",
        ),
        (
            {
                "commercial_support": "no",
                "support_kinds": "Monetary",
                "monetary-0-source": "Pfizer",
                "monetary-0-amount": "100",
            },
            "questions that do not apply",
        ),
        ({"outcomes": "Patient Health"}, "Choose Objective and/or Subjective"),
        ({"measures": "Patient Health|Objective"}, "is not selected"),
        ({"providership": "Direct", "joint_providers-0": "Someone"}, "not saved: Joint Providers"),
        (
            {"commendation": "no", "commendation_tags": "Engages Teams"},
            "not saved: Commendation criteria",
        ),
        ({"commendation": "yes", "commendation_tags": "Free Lunch"}, "not a valid choice"),
    ],
)
def test_step_three_rules(client, editor, session, data, message):
    location = new_activity(client).replace("/steps/2", "/steps/3")
    response = client.post(location, data=data | {"action": "continue"})
    assert response.status_code == 422 and message in response.data.decode()
    assert stored(session).providership is None


def test_internal_id_is_unique_per_provider(client, editor, make_activity, session):
    make_activity(editor.provider_id, title="Other", internal_id="INT-1")
    location = new_activity(client).replace("/steps/2", "/steps/3")
    response = client.post(location, data={"internal_id": "INT-1", "action": "continue"})
    assert response.status_code == 422 and b"already uses this internal ID" in response.data


def test_step_four_says_nothing_to_add_without_programs(client, editor):
    location = new_activity(client).replace("/steps/2", "/steps/4")
    assert b"nothing to add" in client.get(location).data


def test_moc_board_rows_and_credit_types_of_that_board(client, editor, session):
    location = new_activity(client)
    step2(
        client,
        location,
        moc="yes",
        in_cme_passport="no",
        registration="Open to all",
        fee="Yes",
        url="https://cme.example.org",
    )
    step4 = location.replace("/steps/2", "/steps/4")
    assert b"moc_registrations-0-board" in client.get(step4).data
    bad = client.post(
        step4,
        data={
            "moc_registrations-0-board": "ABS",
            "moc_registrations-0-credit_types": "Medical Knowledge",
            "action": "continue",
        },
    )
    assert bad.status_code == 422 and b"ABS does not award Medical Knowledge" in bad.data
    good = client.post(
        step4,
        data={
            "moc_registrations-0-board": "ABIM",
            "moc_registrations-0-points": "1.5",
            "moc_registrations-0-credit_types": "Medical Knowledge",
            "moc_registrations-0-claim_date": (TODAY + timedelta(60)).isoformat(),
            "moc_attested": "y",
            "action": "continue",
        },
    )
    assert good.status_code == 303 and "/steps/5" in good.headers["Location"]
    registration = stored(session).moc_registrations[0]
    assert registration.board == "ABIM" and registration.points == 1.5
    assert [c.credit_type for c in registration.credit_types] == ["Medical Knowledge"]


def test_back_saves_and_returns_to_the_previous_step(client, editor, session):
    location = new_activity(client)
    response = step2(client, location, action="back")
    assert response.headers["Location"].endswith("/steps/1?new=1")
    assert stored(session).ama_credits == 1.5
    assert b'value="Grand Rounds"' in client.get(response.headers["Location"]).data


def test_complete_shows_status_and_what_blocks_it(client, editor):
    location = new_activity(client).replace("/steps/2", "/steps/5")
    html = client.get(location).data.decode()
    assert "Step 5: Complete" in html and "Add Another Activity" in html
    assert "Enter the AMA PRA Category 1 Credits" in html


def test_edit_of_closed_activity_is_refused(client, editor, make_activity):

    activity = make_activity(editor.provider_id, closed_at=NOW)
    response = client.get(f"/activities/{activity.id}/steps/1")
    assert response.status_code == 409 and b"read-only" in response.data


def test_another_providers_activity_cannot_be_edited(
    client, editor, make_user, make_activity, session
):
    other = make_user("b@example.org", provider="Other")
    theirs = make_activity(other.provider_id, title="Theirs")
    assert client.get(f"/activities/{theirs.id}/steps/1").status_code == 404
    response = client.post(f"/activities/{theirs.id}/steps/1", data=BASICS)
    assert response.status_code == 404
    assert (
        client.get(f"/activities/form/3/sections/joint?activity_id={theirs.id}").status_code == 404
    )
    session.expire_all()
    assert session.get(Activity, theirs.id).title == "Theirs"


def test_script_in_text_is_stored_as_typed_and_shown_escaped(client, editor, session):
    location = new_activity(client, title='<script>alert("x")</script>')
    html = client.get(location.replace("/steps/2", "/steps/1")).data.decode()
    assert "&lt;script&gt;" in html and '<script>alert("x")' not in html
    assert stored(session, '<script>alert("x")</script>') is not None


def test_huge_description_is_refused_with_4xx(client, editor, session):
    location = new_activity(client)
    response = step2(client, location, description="x" * 10_000_000)
    assert response.status_code == 422
    assert b"Keep the description to 2,500 characters (it has 10,000,000)" in response.data
    assert stored(session).description is None


def test_copy_starts_a_new_draft_without_ids_or_learners(client, editor, make_activity, session):
    source = make_activity(
        editor.provider_id, title="Source", internal_id="S-1", physician_learners=40
    )
    response = client.post(f"/activities/{source.id}/copy")
    assert response.status_code == 303
    copy = stored(session, "Copy of Source")
    assert copy.internal_id is None and copy.physician_learners is None
    assert copy.city == "Chicago" and [o.outcome for o in copy.outcomes] == ["Learner Competence"]


def test_cancel_without_saving_discards_the_new_activity(client, editor, session):
    new_activity(client)
    activity_id = stored(session).id
    page = client.get(f"/activities/{activity_id}/steps/2?new=1").data.decode()
    assert f'action="/activities/{activity_id}/delete" class="discard"' in page
    assert client.post(f"/activities/{activity_id}/delete").status_code == 303
    session.expire_all()
    assert session.get(Activity, activity_id) is None


def test_without_javascript_add_and_refresh_rerender_without_saving(client, editor, session):
    location = new_activity(client).replace("/steps/2", "/steps/3")
    added = client.post(
        location, data={"providership": "Joint", "joint_providers-0": "A", "add": "joint_providers"}
    )
    assert added.status_code == 200 and b'name="joint_providers-1"' in added.data
    refreshed = client.post(
        "/activities/new", data=BASICS | {"action": "refresh", "format": "Enduring Material"}
    )
    assert refreshed.status_code == 200 and b"Print/Other" in refreshed.data
    assert stored(session).providership is None
    assert len(session.exec(select(Activity)).all()) == 1
