"""The Excel activity template: blank CME and CME+MOC workbooks with dropdowns and
instructions, filled with openpyxl, uploaded, checked with the entry form's rules, stored."""

import re
from datetime import timedelta

from sqlmodel import select

from pars.formats.activity_template import CME, MOC
from pars.models import Activity
from tests.factories import TODAY, activity_template_row, filled_activity_template, preview_of

SOON = TODAY + timedelta(days=30)


def test_cme_template_round_trip(client, editor, session):
    data = filled_activity_template(
        client, "/uploads/templates/activities.xlsx", CME, [activity_template_row(CME)]
    )
    location, preview = preview_of(client, data)
    assert b"<strong>1</strong> new activities" in preview.data, preview.data[-2000:]
    client.post(location + "/commit")
    activity = session.exec(select(Activity)).one()
    assert (activity.title, activity.ama_credits, activity.stage) == (
        "Template Course",
        2.5,
        "Active",
    )
    assert sorted((s.kind, s.amount) for s in activity.support_sources) == [
        ("In-kind", None),
        ("Monetary", 5000),
    ]
    again = preview_of(client, data)[1]
    assert b"<strong>1</strong> unchanged" in again.data


def test_moc_template_carries_boards(client, editor, session):
    data = filled_activity_template(
        client,
        "/uploads/templates/activities-moc.xlsx",
        MOC,
        [
            activity_template_row(
                MOC,
                MOC="Yes",
                **{
                    "MOC Attested": "Yes",
                    "MOC Board 1": "ABIM",
                    "MOC Points 1": "2",
                    "MOC Claim Date 1": f"{SOON:%m/%d/%Y}",
                    "MOC Credit Types 1": "Medical Knowledge",
                    "Who Can Register": "Open to all",
                    "Fee": "Yes",
                    "URL": "https://x.org",
                },
            )
        ],
    )
    location, preview = preview_of(client, data)
    assert b"<strong>1</strong> new activities" in preview.data, preview.data[-3000:]
    client.post(location + "/commit")
    board = session.exec(select(Activity)).one().moc_registrations[0]
    assert (board.board, board.points, [c.credit_type for c in board.credit_types]) == (
        "ABIM",
        2.0,
        ["Medical Knowledge"],
    )


def test_bad_cells_are_named_by_row_and_column(client, editor, session):
    data = filled_activity_template(
        client,
        "/uploads/templates/activities.xlsx",
        CME,
        [
            activity_template_row(CME, **{"Start Date": "next week"}),
            activity_template_row(CME, **{"Provider Activity ID": "T-2", "Format": "Podcast"}),
            activity_template_row(
                CME, **{"Provider Activity ID": "T-3", "AMA PRA Category 1 Credits": "0.3"}
            ),
        ],
    )
    html = preview_of(client, data)[1].data.decode()
    # Every problem is named by the file's column and says how to write the value.
    assert re.search(r"<td>3</td><td>Start Date</td><td>[^<]*next week[^<]*MM/DD/YYYY", html)
    assert re.search(r"<td>4</td><td>Format</td><td>[^<]*Podcast[^<]* is not one of", html)
    assert re.search(r"<td>5</td><td>AMA PRA Category 1 Credits</td><td>[^<]*quarter steps", html)
