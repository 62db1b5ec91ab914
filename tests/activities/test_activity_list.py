"""The Provider Activity Summary: count, paging, sort, search, filters and their bad values."""

import re
from datetime import date, timedelta

import pytest

from pars.vocab import Role
from tests.factories import TODAY


@pytest.fixture
def provider_id(make_user, login):
    user = make_user(role=Role.ADMIN)
    login()
    return user.provider_id


def titles(response) -> list[str]:
    return [
        t
        for t in re.findall(r'<a href="/activities/\d+">([^<]+)</a>', response.data.decode())
        if t != "View"
    ]


def test_count_and_paging(client, provider_id, make_activity):
    for n in range(12):
        make_activity(provider_id, title=f"Activity {n:02d}")
    first = client.get("/activities/?per_page=10")
    assert b"12 Activities" in first.data and len(titles(first)) == 10
    assert b"Page 1 of 2" in first.data
    second = client.get("/activities/?per_page=10&page=2")
    assert len(titles(second)) == 2
    assert b'rel="prev"' in second.data


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("recent", ["Charlie", "Bravo", "Alpha"]),
        ("title", ["Alpha", "Bravo", "Charlie"]),
        ("start", ["Bravo", "Alpha", "Charlie"]),
        ("end", ["Bravo", "Alpha", "Charlie"]),
        ("status", ["Charlie", "Alpha", "Bravo"]),  # Draft, then Active (oldest first)
    ],
)
def test_sorts(client, provider_id, make_activity, sort, expected):
    today = TODAY
    make_activity(
        provider_id, title="Alpha", start_date=today + timedelta(5), end_date=today + timedelta(5)
    )
    make_activity(
        provider_id, title="Bravo", start_date=today + timedelta(9), end_date=today + timedelta(9)
    )
    make_activity(
        provider_id,
        title="Charlie",
        description=None,
        start_date=today + timedelta(1),
        end_date=today + timedelta(1),
    )  # a draft
    assert titles(client.get(f"/activities/?sort={sort}")) == expected


@pytest.mark.parametrize("status", ["Active", "Ready+to+Close"])
def test_the_status_sort_of_one_status_is_oldest_first(client, provider_id, make_activity, status):
    """Filtered to Active or Ready to Close, the workflow order is the age (the list seeks it
    on the index instead of sorting by the status expression)."""
    ended, coming = TODAY - timedelta(3), TODAY + timedelta(3)
    day = ended if status == "Ready+to+Close" else coming
    for title in ("First", "Second", "Third"):
        make_activity(provider_id, title=title, start_date=day, end_date=day)
    other = coming if day == ended else ended  # the other status: left out
    make_activity(provider_id, title="Other", start_date=other, end_date=other)
    everything = titles(client.get("/activities/?sort=status"))
    one_status = titles(client.get(f"/activities/?sort=status&status={status}"))
    assert one_status == ["First", "Second", "Third"]
    assert [t for t in everything if t in one_status] == one_status


def test_search_matches_title_words_internal_and_activity_id(client, provider_id, make_activity):
    heart = make_activity(provider_id, title="Heart Failure Update", internal_id="HF-2026")
    make_activity(provider_id, title="Sepsis Bootcamp", internal_id="SB-X")
    assert titles(client.get("/activities/?q=heart+fail")) == ["Heart Failure Update"]
    assert titles(client.get("/activities/?q=hf-20")) == ["Heart Failure Update"]
    assert titles(client.get(f"/activities/?q={heart.id}")) == ["Heart Failure Update"]
    assert titles(client.get("/activities/?q=boot")) == ["Sepsis Bootcamp"]
    assert titles(client.get("/activities/?q=nothing+like+it")) == []


def test_search_text_with_quotes_and_operators_is_just_text(client, provider_id, make_activity):
    make_activity(provider_id, title='Opioids "AND" OR NEAR')
    for q in ['"', "AND OR", "NEAR(", "*", "o'brien", "<script>"]:
        response = client.get("/activities/", query_string={"q": q})
        assert response.status_code == 200
    assert b"&lt;script&gt;" in client.get("/activities/?q=<script>").data


def test_filters(client, provider_id, make_activity):
    today = TODAY
    make_activity(provider_id, title="Journal Club", format="Journal CME/CE", delivery_methods=[])
    make_activity(
        provider_id,
        title="MOC Course",
        moc=True,
        in_cme_passport=False,
        registration="Open to all",
        fee="Yes",
        url="https://x.org",
    )
    make_activity(
        provider_id,
        title="Old Draft",
        start_date=date(2019, 3, 1),
        end_date=date(2019, 3, 2),
        description=None,
    )
    assert titles(client.get("/activities/?format=Journal+CME/CE")) == ["Journal Club"]
    assert titles(client.get("/activities/?moc=yes")) == ["MOC Course"]
    assert titles(client.get("/activities/?year=2019")) == ["Old Draft"]
    assert titles(client.get("/activities/?status=Draft")) == ["Old Draft"]
    coming = today + timedelta(days=10)  # when make_activity's activities start
    assert len(titles(client.get(f"/activities/?year={coming.year}&status=not-closed"))) >= 1


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("sort=sideways", 400, b"Sort by (sort)"),
        ("page=-1", 400, b"Page (page)"),
        ("page=abc", 400, b"Page (page)"),
        ("per_page=7", 400, b"Show (per_page)"),
        ("status=Lost", 400, b"Status (status)"),
        ("year=12", 400, b"Choose a year"),
        ("page=99", 404, b"There is no page 99"),
    ],
)
def test_bad_list_addresses_get_a_clear_4xx(
    client, provider_id, make_activity, query, status, message
):
    make_activity(provider_id)
    response = client.get(f"/activities/?{query}")
    assert response.status_code == status
    assert message in response.data


def test_viewer_sees_no_change_buttons(client, make_user, make_activity, login):
    viewer = make_user("v@example.org", role=Role.VIEWER)
    make_activity(viewer.provider_id)
    login("v@example.org")
    page = client.get("/activities/").data
    assert b"Update Learners" not in page and b"Close selected" not in page


def test_htmx_search_gets_only_the_table_and_page_loads_the_whole_page(
    client, provider_id, make_activity
):
    make_activity(provider_id, title="Heart Failure Update")
    fragment = client.get("/activities/?q=heart", headers={"HX-Request": "true"})
    assert fragment.data.lstrip().startswith(b'<div id="activity-table">')
    assert "HX-Request" in fragment.headers["Vary"]
    for headers in (
        {},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
        {"HX-Request": "true", "HX-Boosted": "true"},
    ):
        assert b"<!doctype html>" in client.get("/activities/?q=heart", headers=headers).data
