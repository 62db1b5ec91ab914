"""The year-end learner counts workbook: download filled, update with openpyxl, upload."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from pars.formats.learner_counts_xlsx import HEADER
from pars.models import Activity
from pars.vocab import Role
from tests.factories import TODAY

PAST = TODAY - timedelta(days=10)


@pytest.fixture
def ended(make_user, login, make_activity):
    user = make_user(role=Role.EDITOR)
    login()

    def make(title, **kw):
        return make_activity(
            user.provider_id,
            title=title,
            start_date=PAST,
            end_date=PAST,
            commercial_support=False,
            **kw,
        )

    return make("Ready One"), make("Joint Without Names", providership="Joint")


def workbook_rows(client) -> tuple:
    response = client.get("/uploads/templates/learner-counts.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    return workbook, workbook["Learner Counts"]


def upload(client, workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    response = client.post(
        "/uploads/",
        data={"file": (BytesIO(buffer.getvalue()), "c.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.data[-800:]
    return response.headers["Location"]


def test_counts_round_trip_updates_totals_and_closes(client, ended, session):
    ready, joint = ended
    workbook, sheet = workbook_rows(client)
    assert [c.value for c in sheet[2]] == list(HEADER)
    rows = {r[2].value: r for r in sheet.iter_rows(min_row=3)}
    assert set(rows) == {"Ready One", "Joint Without Names"}
    ready_row = rows["Ready One"]
    ready_row[3].value, ready_row[4].value, ready_row[5].value = 40, 3, "Yes"
    rows["Joint Without Names"][3].value, rows["Joint Without Names"][4].value = 12, 0
    location = upload(client, workbook)
    preview = client.get(location).data.decode()
    assert "<strong>1</strong> activities with new totals" in preview
    assert "<strong>1</strong> activities to close" in preview
    client.post(location + "/commit")
    session.expire_all()
    ready, joint = session.get(Activity, ready.id), session.get(Activity, joint.id)
    assert (ready.physician_learners, ready.stage) == (40, "Closed")
    assert (joint.physician_learners, joint.other_learners, joint.status_on(TODAY)) == (
        12,
        0,
        "Ready to Close",
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (3, -4, "whole number"),
        (4, "many", "whole number"),
        (5, "Maybe", "is not a yes or no"),
        (0, 99999, "None of your activities"),
    ],
)
def test_bad_counts_rows_are_named_and_nothing_changes(
    client, ended, session, column, value, message
):
    workbook, sheet = workbook_rows(client)
    for row in sheet.iter_rows(min_row=3):
        row[3].value, row[4].value = 1, 1
    sheet.cell(row=3, column=column + 1, value=value)
    location = upload(client, workbook)
    preview = client.get(location)
    assert preview.status_code == 422 and message in preview.data.decode()
    assert f"<td>3</td><td>{HEADER[column]}</td>" in preview.data.decode()
    client.post(location + "/commit")
    session.expire_all()
    assert all(a.physician_learners is None for a in session.exec(select(Activity)).all())


def test_the_workbook_uploaded_as_downloaded_changes_nothing(client, ended, session):
    """Rows awaiting totals come blank: a blank total means no change, not an error."""
    workbook, sheet = workbook_rows(client)
    assert all(row[3].value is None for row in sheet.iter_rows(min_row=3))
    location = upload(client, workbook)
    preview = client.get(location)
    assert preview.status_code == 200, preview.data[-2000:]
    assert "<strong>2</strong> unchanged" in preview.data.decode()


def test_closing_what_cannot_close_says_why(client, ended, session):
    workbook, sheet = workbook_rows(client)
    for row in sheet.iter_rows(min_row=3):
        row[3].value, row[4].value, row[5].value = 5, 5, "Yes"
    html = client.get(upload(client, workbook)).data.decode()
    assert "Cannot close: Add the joint provider name(s)" in html


def test_a_title_that_looks_like_a_formula_stays_text_in_the_counts_workbook(
    client, editor, make_activity
):
    evil = '=HYPERLINK("http://evil.example/x","Click")'
    make_activity(editor.provider_id, title=evil, start_date=PAST, end_date=PAST)
    _, sheet = workbook_rows(client)
    cell = next(c for row in sheet.iter_rows(min_row=3) for c in row if c.value == evil)
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_cme_and_moc_workbook_uploads_back_and_reads_the_totals(client, ended, session):
    response = client.get("/uploads/templates/learner-counts-moc.xlsx")
    workbook = load_workbook(BytesIO(response.data))
    sheet = workbook["Learner Counts"]
    assert [c.value for c in sheet[2]][-2:] == ["MOC Boards", "MOC Learners Reported"]
    location = upload(client, workbook)
    assert "<strong>2</strong> unchanged" in client.get(location).data.decode()
    rows = list(sheet.iter_rows(min_row=3))
    rows[0][3].value, rows[0][4].value, rows[0][7].value = 9, 1, 42
    html = client.get(upload(client, workbook)).data.decode()
    assert "<strong>1</strong> activities with new totals" in html
    assert "MOC Learners Reported are there for reference" in html
