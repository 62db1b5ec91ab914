"""The JSON API under /api/v1: bearer tokens, activities, learner counts, close; JSON errors
with a path for each problem; the OpenAPI document."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from pars.accounts import tokens
from pars.models import ApiToken, User
from pars.vocab import Role
from tests.factories import DATA, PASSWORD, TODAY, abim_registration

SOON = (TODAY + timedelta(days=20)).isoformat()
COMPLETE = {
    "title": "API Course",
    "format": "Live Course",
    "delivery_methods": ["In-Person"],
    "start_date": SOON,
    "end_date": SOON,
    "country": "USA",
    "city": "Chicago",
    "state": "IL",
    "postal_code": "60611",
    "ama_credits": 1.5,
    "in_cme_passport": False,
    "description": "Made by a script.",
    "moc": False,
    "mips": False,
    "rems": False,
    "providership": "Direct",
    "internal_id": "API-1",
    "commercial_support": False,
    "commendation": False,
    "outcomes": [{"outcome": "Learner Competence", "objective": True, "subjective": False}],
}


@pytest.fixture
def api(app, make_user, session):
    """A client with an editor's bearer token."""
    user = make_user(role=Role.EDITOR)
    token = tokens.create(session, session.get(User, user.id), "tests")
    session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client.user = user
    return client


def test_create_get_list_update_and_delete(api):
    created = api.post("/api/v1/activities", json=COMPLETE)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "Active" and body["blocking"].get("Closed")
    assert created.headers["Location"] == f"/api/v1/activities/{body['id']}"
    assert api.get(f"/api/v1/activities/{body['id']}").json["title"] == "API Course"
    page = api.get("/api/v1/activities?per_page=10&status=Active&q=api").json
    assert page["total"] == 1 and page["items"][0]["id"] == body["id"]
    changed = api.patch(
        f"/api/v1/activities/{body['id']}", json={"title": "Renamed", "version": body["version"]}
    )
    assert changed.status_code == 200 and changed.json["title"] == "Renamed"
    assert changed.json["outcomes"] == COMPLETE["outcomes"]  # untouched fields kept
    stale = api.patch(
        f"/api/v1/activities/{body['id']}", json={"title": "Lost", "version": body["version"]}
    )
    assert stale.status_code == 409 and stale.json["errors"][0]["path"] == "version"
    assert api.delete(f"/api/v1/activities/{body['id']}").status_code == 204
    assert api.get(f"/api/v1/activities/{body['id']}").status_code == 404


def test_repeat_instances_make_a_repeating_course(api):
    later = (TODAY + timedelta(days=27)).isoformat()
    occurrence = {
        "start_date": later,
        "end_date": later,
        "country": "USA",
        "city": "Boston",
        "state": "MA",
        "postal_code": "02115",
    }
    created = api.post("/api/v1/activities", json=COMPLETE | {"repeat_instances": [occurrence]})
    assert created.status_code == 201, created.json
    assert created.json["repeat_instances"] == [occurrence]
    assert created.json["city"] == "Chicago"  # the first occurrence is the activity's own
    refused = api.post(
        "/api/v1/activities",
        json=COMPLETE
        | {
            "format": "Enduring Material",
            "delivery_methods": ["Online"],
            "country": None,
            "city": None,
            "state": None,
            "postal_code": None,
            "repeat_instances": [occurrence],
        },
    )
    assert refused.status_code == 422
    assert {e["path"] for e in refused.json["errors"]} == {"repeat_instances"}
    bad_day = api.post(
        "/api/v1/activities",
        json=COMPLETE | {"repeat_instances": [occurrence | {"end_date": "soon"}]},
    )
    assert bad_day.json["errors"][0]["path"] == "repeat_instances[0].end_date"


def test_a_partial_activity_is_a_draft_that_says_what_blocks_it(api):
    draft = api.post("/api/v1/activities", json={"title": "Only a title"}).json
    assert draft["status"] == "Draft"
    assert any(b["field"] == "format" for b in draft["blocking"]["Active"])


@pytest.mark.parametrize(
    ("payload", "status", "path"),
    [
        (COMPLETE | {"ama_credits": 0.3}, 422, "ama_credits"),
        (COMPLETE | {"format": "Podcast"}, 422, "format"),
        (COMPLETE | {"start_date": "next week"}, 422, "start_date"),
        (COMPLETE | {"colour": "blue"}, 400, "colour"),
        (COMPLETE | {"title": 42}, 400, "title"),
        (COMPLETE | {"physician_learners": -1}, 422, "physician_learners"),
        ([1, 2, 3], 400, ""),
    ],
)
def test_bad_input_answers_json_with_the_path(api, payload, status, path):
    response = api.post("/api/v1/activities", json=payload)
    assert response.status_code == status and response.is_json
    assert path in [e["path"] for e in response.json["errors"]], response.json
    assert api.get("/api/v1/activities").json["total"] == 0


def test_malformed_json_and_bad_query_parameters(api):
    broken = api.post("/api/v1/activities", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and "JSON" in broken.json["error"]
    for query in ("per_page=1000", "page=0", "year=abc", "status=Sleeping"):
        assert api.get(f"/api/v1/activities?{query}").status_code == 400


def test_learner_counts_and_close(api):
    past = (TODAY - timedelta(days=3)).isoformat()
    body = api.post(
        "/api/v1/activities", json=COMPLETE | {"start_date": past, "end_date": past}
    ).json
    url = f"/api/v1/activities/{body['id']}"
    assert api.post(url + "/close").status_code == 409  # totals missing
    bad = api.put(
        url + "/learner-counts",
        json={"physician_learners": "many", "other_learners": 0, "version": body["version"]},
    )
    assert bad.status_code == 422
    counts = api.put(
        url + "/learner-counts",
        json={"physician_learners": 30, "other_learners": 2, "version": body["version"]},
    )
    assert counts.status_code == 200 and counts.json["status"] == "Ready to Close"
    stale = api.put(
        url + "/learner-counts",
        json={"physician_learners": 1, "other_learners": 1, "version": body["version"]},
    )
    assert stale.status_code == 409
    closed = api.post(url + "/close")
    assert closed.status_code == 200 and closed.json["status"] == "Closed"
    assert api.delete(url).status_code == 409  # closed activities stay


def test_tokens_are_made_on_the_page_shown_once_and_revocable(app, client, make_user, login):
    make_user(role=Role.VIEWER)
    login()
    refused = client.post("/account/tokens/", data={"name": "Nightly sync", "password": "guess"})
    assert refused.status_code == 422 and b"That is not your password" in refused.data
    page = client.post(
        "/account/tokens/", data={"name": "Nightly sync", "password": PASSWORD, "days": "30"}
    )
    token = re.search(rb'data-testid="new-token">([^<]+)<', page.data).group(1).decode()
    assert page.status_code == 201 and token.startswith("pars_")
    assert token.encode() not in client.get("/account/tokens/").data  # shown once only
    caller = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert caller.get("/api/v1/activities", headers=headers).status_code == 200
    denied = caller.post("/api/v1/activities", json=COMPLETE, headers=headers)
    assert denied.status_code == 403  # a viewer's token reads only
    token_id = re.search(rb"/account/tokens/(\d+)/revoke", client.get("/account/tokens/").data)
    client.post(f"/account/tokens/{token_id.group(1).decode()}/revoke")
    assert caller.get("/api/v1/activities", headers=headers).status_code == 401


def test_tokens_expire(app, session, make_user, now):
    user = make_user()
    token = tokens.create(session, session.get(User, user.id), "short", days=30)
    session.commit()
    caller, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    assert caller.get("/api/v1/activities", headers=headers).status_code == 200
    stored = session.exec(select(ApiToken)).one()
    assert stored.last_used_from == "127.0.0.1"
    stored.expires_at = now - timedelta(minutes=1)  # expiry is an instant of the real clock
    session.commit()
    assert caller.get("/api/v1/activities", headers=headers).status_code == 401


def test_a_reset_or_a_disable_revokes_the_users_tokens(app, client, session, make_user, login):
    admin = make_user("admin@example.org", role=Role.ADMIN)
    for action in ("reset-password", "disable"):
        user = make_user(f"{action}@example.org")
        token = tokens.create(session, session.get(User, user.id), action)
        session.commit()
        login("admin@example.org")
        assert client.post(f"/users/{user.id}/{action}").status_code in (200, 303)
        caller = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        assert caller.get("/api/v1/activities", headers=headers).status_code == 401, action
    assert admin.id


def test_admins_see_and_revoke_every_token_of_their_provider(client, session, make_user, login):
    editor = make_user("ed@example.org")
    outsider = make_user("out@example.org", provider="Other CME")
    tokens.create(session, session.get(User, editor.id), "Editor sync")
    tokens.create(session, session.get(User, outsider.id), "Their sync")
    session.commit()
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    page = client.get("/account/tokens/").data
    assert b"Editor sync" in page and b"ed@example.org" in page and b"Their sync" not in page
    ids = dict(
        (name, token_id)
        for token_id, name in session.exec(select(ApiToken.id, ApiToken.name)).all()
    )
    assert client.post(f"/account/tokens/{ids['Their sync']}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{ids['Editor sync']}/revoke").status_code == 303
    session.expire_all()
    assert session.get(ApiToken, ids["Editor sync"]).revoked_at is not None
    assert session.get(ApiToken, ids["Their sync"]).revoked_at is None


def test_the_cli_makes_a_token(app, make_user):
    make_user()
    result = app.test_cli_runner().invoke(args=["create-token", "staff@example.org"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("pars_")
    response = app.test_client().get(
        "/api/v1/activities", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


def test_wrong_or_missing_tokens_answer_401_json(app):
    client = app.test_client()
    for header in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/activities", headers=header)
        assert response.status_code == 401 and response.json["error"]


def test_the_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    described = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    served = {
        (re.sub(r"<int:(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert described == served


def test_learners_add_list_delete_and_match(api, make_activity):

    past = TODAY - timedelta(days=4)
    activity = make_activity(
        api.user.provider_id,
        start_date=past,
        end_date=past,
        ama_credits=3.0,
        moc=True,
        moc_attested=True,
        moc_registrations=[abim_registration()],
    )
    url = f"/api/v1/activities/{activity.id}/learners"
    learner = {
        "first_name": "Robert",
        "last_name": "Smith",
        "birth_month_day": "02/29",
        "state": "IL",
        "npi": "1234567893",
        "completion_date": past.isoformat(),
        "cme_credits": 2,
        "board": "ABIM",
        "board_id": "77",
        "board_credits": {"Medical Knowledge": 2},
    }
    added = api.post(url, json=learner)
    assert added.status_code == 201, added.json
    assert added.json["board_credits"] == {"Medical Knowledge": 2.0}
    assert added.json["activity_physician_learners"] == 1
    twice = api.post(url, json=learner)
    assert twice.status_code == 409
    bad = api.post(url, json=learner | {"npi": "1234567890", "birth_month_day": "13/45"})
    assert bad.status_code == 422
    assert {e["path"] for e in bad.json["errors"]} >= {"npi", "birth_month_day"}
    assert [r["first_name"] for r in api.get(url).json["items"]] == ["Robert"]
    match = api.post(
        "/api/v1/learners/match",
        json={"first_name": "Bob", "last_name": "Smith", "birth_month_day": "02/29", "state": "IL"},
    )
    assert match.json["result"] == "Probable match"
    assert any("nickname" in r for r in match.json["candidates"][0]["reasons"])
    assert api.post("/api/v1/learners/match", json={"first_name": "x"}).status_code == 422
    assert api.delete(f"{url}/{added.json['id']}").status_code == 204
    assert api.get(url).json["items"] == []


def test_imports_preview_then_commit_all_or_nothing(api):
    from io import BytesIO

    data = (DATA / "legacy-template-d.txt").read_bytes()

    def send(body, **flags):
        return api.post(
            "/api/v1/imports",
            data={
                "file": (BytesIO(body), "activities.txt"),
                **flags,
            },
            content_type="multipart/form-data",
        )

    preview = send(data, commit="false")
    assert preview.status_code == 200, preview.json
    assert preview.json["counts"]["add"] == 3 and preview.json["stored"] is False
    assert preview.json["notices"] and api.get("/api/v1/activities").json["total"] == 0
    stored = send(data, commit="true")
    assert stored.json["stored"] is True and api.get("/api/v1/activities").json["total"] == 3
    assert send(data, commit="false").json["counts"]["unchanged"] == 3
    bad = (DATA / "legacy-bad-lines.txt").read_bytes()
    refused = send(bad, commit="true")
    assert refused.status_code == 422 and api.get("/api/v1/activities").json["total"] == 3
    looked = send(bad, commit="false").json
    assert any(e["row"] == 1 and e["field"] == "11 Activity Type" for e in looked["errors"])
    assert send(b"%PDF-1.7", commit="false").status_code == 422
    assert api.post("/api/v1/imports", data={}).status_code == 400


def test_huge_ids_in_urls_are_404_not_overflows(api, client, make_user, login):
    assert api.get("/api/v1/activities/2147483648").status_code == 404
    assert api.get("/api/v1/nowhere").is_json  # the API answers JSON even with no route
    login()
    assert client.get("/activities/2147483648").status_code == 404


def test_huge_numbers_in_query_strings_are_refused_not_overflowed(client, editor):
    assert client.get("/activities/download?ids=99999999999").status_code == 400
    assert client.get("/exports/activities.xml?ids=abc").status_code == 400
    assert client.get("/catalog?provider=99999999999").status_code in (200, 400)
    assert client.get("/activities/?page=99999999999").status_code < 500


def test_every_array_of_the_openapi_document_says_what_its_items_are(client):
    """The schemas come from the pydantic models that validate the bodies: no `items: {}`."""
    document = client.get("/api/v1/openapi.json").json
    arrays = []

    def walk(node, path):
        if isinstance(node, dict):
            if node.get("type") == "array" or "array" in (node.get("type") or []):
                arrays.append((path, node.get("items")))
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(document, "")
    assert len(arrays) >= 10
    assert all(items for _, items in arrays), [path for path, items in arrays if not items]
    activity = document["components"]["schemas"]["ActivityInput"]["properties"]
    assert activity["outcomes"]["anyOf"][0]["items"] == {"$ref": "#/components/schemas/OutcomeItem"}
    assert set(document["components"]["schemas"]["OutcomeItem"]["properties"]) == {
        "outcome",
        "objective",
        "subjective",
    }
