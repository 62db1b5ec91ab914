"""The Excel activity template: blank CME and CME+MOC workbooks with dropdowns and
instructions, filled with openpyxl, uploaded, checked with the entry form's rules, stored."""

import re
from datetime import date, timedelta
from io import BytesIO

from openpyxl import load_workbook
from sqlmodel import select

from pars.formats.activity_template import CME, MOC
from pars.models import Activity
from tests.test_mems_import import preview_of

SOON = date.today() + timedelta(days=30)


def row(columns, **cells) -> list:
    base = {
        "Provider Activity ID": "T-1",
        "Title": "Template Course",
        "Format": "Live Course",
        "Delivery Methods": "In-Person",
        "Start Date": f"{SOON:%m/%d/%Y}",
        "End Date": f"{SOON:%m/%d/%Y}",
        "Country": "USA",
        "City": "Chicago",
        "State/Province": "IL",
        "ZIP/Postal Code": "60611",
        "AMA PRA Category 1 Credits": "2.5",
        "Description": "About the course.",
        "Include in CME Passport": "No",
        "MIPS": "No",
        "REMS": "No",
        "Providership": "Joint",
        "Joint Provider 1": "Lakeshore Society",
        "Learner Competence Measured": "Both",
        "Commercial Support Received": "Yes",
        "Monetary Source 1": "Acme Pharma",
        "Monetary Amount 1": "5,000",
        "In-kind Source 1": "Beta Devices",
        "Commendation": "No",
    } | cells
    return [base.get(name) for name in columns]


def filled(client, url: str, columns, rows) -> bytes:
    workbook = load_workbook(BytesIO(client.get(url).data))
    sheet = workbook["Activities"]
    assert [c.value for c in sheet[2]] == list(columns)
    assert sheet.data_validations.dataValidation  # dropdowns for the constrained columns
    assert "Instructions" in workbook.sheetnames
    for values in rows:
        sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_cme_template_round_trip(client, editor, session):
    data = filled(client, "/uploads/templates/activities.xlsx", CME, [row(CME)])
    location, preview = preview_of(client, data)
    assert b"<strong>1</strong> new activities" in preview.data, preview.data[-2000:]
    client.post(location + "/commit")
    activity = session.exec(select(Activity)).one()
    assert (activity.title, activity.ama_credits, activity.status) == (
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
    data = filled(
        client,
        "/uploads/templates/activities-moc.xlsx",
        MOC,
        [
            row(
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
    data = filled(
        client,
        "/uploads/templates/activities.xlsx",
        CME,
        [
            row(CME, **{"Start Date": "next week"}),
            row(CME, **{"Provider Activity ID": "T-2", "Format": "Podcast"}),
            row(CME, **{"Provider Activity ID": "T-3", "AMA PRA Category 1 Credits": "0.3"}),
        ],
    )
    html = preview_of(client, data)[1].data.decode()
    assert re.search(r"<td>3</td><td>Start Date</td><td>Write the date as MM/DD/YYYY", html)
    assert re.search(r"<td>4</td><td>step 1: [^<]*</td><td>Podcast is not a valid choice", html)
    assert re.search(r"<td>5</td><td>step 2: [^<]*</td><td>[^<]*quarter steps", html)
