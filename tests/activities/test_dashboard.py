"""The dashboard: figures, charts and their numbers, the next deadline, what needs attention."""

import re
from datetime import timedelta

from pars.core import charts
from pars.models import SupportSource
from tests.factories import TODAY


def test_bar_chart_scales_to_the_largest_value_and_survives_all_zeros():
    chart = charts.bar_chart("c", "Things", [("A", 10), ("B", 5), ("C", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == chart.bar_space and widths[1] == chart.bar_space // 2 and widths[2] == 0
    assert chart.description == "A: 10; B: 5; C: 0"
    empty = charts.bar_chart("e", "Nothing", [("A", 0)])
    assert empty.bars[0].width == 0
    assert charts.bar_chart("m", "Money", [("2026", 5000)], money=True).bars[0].text == "$5,000"


def section(html: str, heading: str) -> str:
    start = html.index(heading)
    return html[start : html.index("</section>", start)]


def test_signing_in_lands_on_the_dashboard_with_readable_charts(client, editor):
    response = client.get("/")
    html = response.data.decode()
    assert response.status_code == 200 and "<h1>Dashboard</h1>" in html
    assert html.count('role="img"') == 4 and '<title id="by-status-title">' in html
    assert ">Draft: 0; Active: 0; Ready to Close: 0; Closed: 0</desc>" in html
    assert "Next deadline:" in html and "annual reporting, due" in html


def test_figures_count_this_providers_activities_only(client, editor, make_user, make_activity):
    ended = TODAY - timedelta(days=1)  # yesterday: this month or, on the 1st, the last
    make_activity(
        editor.provider_id,
        title="Past Course",
        start_date=ended,
        end_date=ended,
        physician_learners=10,
        other_learners=5,
    )
    make_activity(editor.provider_id, title="Coming Course")
    make_activity(
        editor.provider_id,
        title="Supported",
        start_date=ended,
        end_date=ended,
        commercial_support=True,
        support_sources=[SupportSource(kind="Monetary", source="Acme", amount=7000)],
    )
    other = make_user("b@example.org", provider="Other")
    make_activity(
        other.provider_id,
        title="Their Course",
        start_date=ended,
        end_date=ended,
        physician_learners=999,
    )
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", client.get("/").data.decode())  # random digits
    assert "Their Course" not in html and "999" not in html
    assert ">Draft: 0; Active: 1; Ready to Close: 2; Closed: 0</desc>" in html
    assert f"{ended:%b %Y}: 15" in html
    assert f"{ended.year}: $7,000" in html


def test_activities_that_need_attention_are_named(client, editor, make_activity):
    past = TODAY - timedelta(days=30)
    make_activity(editor.provider_id, title="Ended Open", start_date=past, end_date=past)
    make_activity(
        editor.provider_id,
        title="Started Empty",
        start_date=past,
        end_date=TODAY + timedelta(days=30),
    )
    make_activity(
        editor.provider_id,
        title="Nowhere Course",
        city=None,
        country=None,
        state=None,
        postal_code=None,
    )
    html = section(client.get("/").data.decode(), "Needs attention")
    assert re.search(r"Ended but not closed: 1</h3>\s*<ul>\s*<li><a [^>]*>Ended Open", html)
    assert re.search(r"with no learners recorded: 1</h3>\s*<ul>\s*<li><a [^>]*>Started Empty", html)
    assert re.search(r"missing a location: 1</h3>\s*<ul>\s*<li><a [^>]*>Nowhere Course", html)


def test_the_dashboard_names_the_steps_left_for_the_next_deadline(client, editor):
    html = section(client.get("/").data.decode(), "Next deadline")
    assert "Accept the annual agreement: Not accepted yet." in html
    assert "Open Annual Reporting" in html


def test_the_first_five_that_need_attention_are_the_earliest_ending(client, editor, make_activity):
    past = TODAY - timedelta(days=30)
    for days in (60, 10, 50, 20, 40, 30):
        make_activity(
            editor.provider_id,
            title=f"Empty {days}",
            start_date=past,
            end_date=TODAY + timedelta(days=days),
        )
    html = section(client.get("/").data.decode(), "Needs attention")
    listed = html[html.index("with no learners recorded: 6</h3>") :].split("</ul>")[0]
    shown = re.findall(r">(Empty \d+)</a>", listed)
    assert shown == ["Empty 10", "Empty 20", "Empty 30", "Empty 40", "Empty 50"]
