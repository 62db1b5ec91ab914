"""The public catalog: exactly the listed, current activities of one provider; nothing private."""

import re
from datetime import timedelta

import pytest

from pars.models import DeliveryMethodRow, SupportSource
from pars.vocab import ActivityFormat, DeliveryMethod
from tests.factories import TODAY

SOON = TODAY + timedelta(days=20)
LISTING = dict(
    in_cme_passport=True,
    registration="Open to all",
    fee="Yes",
    url="https://cme.example.org/course",
)


@pytest.fixture
def provider(make_user, make_activity):
    user = make_user()
    ours = user.provider_id
    make_activity(
        ours,
        title="Listed Course",
        internal_id="SECRET-ID-1",
        physician_learners=77,
        commercial_support=True,
        support_sources=[SupportSource(kind="Monetary", source="Acme", amount=123456)],
        **LISTING,
    )
    make_activity(
        ours,
        title="Listed Online",
        format=ActivityFormat.ENDURING.value,
        start_date=SOON + timedelta(days=5),
        end_date=SOON + timedelta(days=300),
        country=None,
        city=None,
        state=None,
        postal_code=None,
        delivery_methods=[DeliveryMethodRow(method=DeliveryMethod.ONLINE.value)],
        ama_credits=3.0,
        **LISTING,
    )
    make_activity(ours, title="Not Listed", in_cme_passport=False)
    make_activity(ours, title="Draft Listed", description=None, **LISTING)
    past = TODAY - timedelta(days=10)
    make_activity(ours, title="Past Listed", start_date=past, end_date=past, **LISTING)
    other = make_user("b@example.org", provider="Other Provider")
    make_activity(other.provider_id, title="Their Listed", **LISTING)
    return ours


def titles(client, query: str) -> list[str]:
    response = client.get(f"/catalog.json?{query}")
    assert response.status_code == 200, response.data
    return [record["title"] for record in response.json["activities"]]


def test_the_catalog_lists_exactly_the_current_passport_activities(client, provider):
    page = client.get(f"/catalog?provider={provider}")
    # Without the random CSRF token, which may hold any digits ("77" once did).
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", page.data.decode())
    assert page.status_code == 200 and "CME activities of Lakeside CME" in html
    assert "Listed Course" in html and "Listed Online" in html
    for hidden in ("Not Listed", "Draft Listed", "Past Listed", "Their Listed"):
        assert hidden not in html
    for private in ("SECRET-ID-1", "123456", "123,456", "77", "Acme"):
        assert private not in html
    assert "2 activities" in html and 'href="https://cme.example.org/course"' in html


def test_the_json_carries_only_public_fields(client, provider):
    response = client.get(f"/catalog.json?provider={provider}")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    record = response.json["activities"][0]
    assert set(record) == {
        "title",
        "description",
        "disclosure",
        "delivery_methods",
        "moc",
        "provider",
        "start_date",
        "end_date",
        "format",
        "location",
        "ama_credits",
        "fee",
        "registration",
        "url",
    }
    assert record["title"] == "Listed Course" and record["location"] == "Chicago, IL, USA"
    assert record["start_date"] == (TODAY + timedelta(days=10)).isoformat()
    assert "SECRET-ID-1" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"format={ActivityFormat.ENDURING.value}", ["Listed Online"]),
        ("state=IL", ["Listed Course"]),
        ("min_credits=2", ["Listed Online"]),
        (f"starts_from={(SOON + timedelta(days=1)).isoformat()}", ["Listed Online"]),
        ("q=online", ["Listed Online"]),
        ("q=%25", []),  # a literal percent sign matches no title
        ("q=' OR 1=1 --", []),
    ],
)
def test_filters_narrow_the_list(client, provider, query, expected):
    assert titles(client, f"provider={provider}&{query}") == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("min_credits=lots", "min_credits"),
        ("starts_from=yesterday", "starts_from"),
        ("format=<script>", "format"),
        ("page=0", "page"),
        ("provider=abc", "provider"),
    ],
)
def test_bad_query_strings_are_refused_with_the_field(client, provider, query, field):
    response = client.get(
        f"/catalog.json?provider={provider}&{query}"
        if "provider=" not in query
        else f"/catalog.json?{query}"
    )
    assert response.status_code == 400 and field in response.json["errors"]
    page = client.get(f"/catalog?provider={provider}&{query}")
    assert page.status_code in (200, 400) and b"<script>" not in page.data


def test_script_in_the_search_is_shown_escaped(client, provider):
    html = client.get(f"/catalog?provider={provider}&q=<script>alert(1)</script>").data.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_provider_must_be_named_when_several_exist(client, provider):
    assert client.get("/catalog.json").status_code == 400
    choose = client.get("/catalog").data.decode()
    assert "Lakeside CME" in choose and "Other Provider" in choose
    assert client.get("/catalog?provider=9999").status_code == 404


def test_the_public_pages_are_limited_per_address(app, client, provider, session):
    app.config["PUBLIC_REQUESTS_PER_MINUTE"] = 3
    for _ in range(3):
        assert client.get(f"/catalog?provider={provider}").status_code == 200
    refused = client.get(f"/catalog.json?provider={provider}")
    assert refused.status_code == 429
    assert "at most 3 a minute" in refused.get_data(as_text=True)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert other.get(f"/catalog?provider={provider}").status_code == 200  # its own count
