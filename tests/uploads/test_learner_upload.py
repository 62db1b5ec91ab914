"""Learner template uploads against real .xlsx files: round trip, every error, all-or-nothing."""

import re
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from pars.formats.learner_xlsx import HEADER
from pars.models import LearnerCompletion, MocCreditType, Upload
from pars.uploads import pipeline
from pars.vocab import Role
from tests.factories import TODAY, abim_registration, moc_course_fields

PAST = TODAY - timedelta(days=10)


@pytest.fixture
def activity(make_user, login, make_activity):
    user = make_user(role=Role.EDITOR)
    login()
    return make_activity(user.provider_id, accme_activity_id="202212345", **moc_course_fields(PAST))


def row(**changes) -> list:
    cells = {
        "Record Action": "Add",
        "ACCME Activity ID": "202212345",
        "Completion Date": PAST.strftime("%m/%d/%Y"),
        "First Name": "All",
        "Last Name": "Learner",
        "Date of Birth": "09/10",
        "Licensing State": "Maine",
        "Licensing ID or NPI": "1234567",
        "Number of CME Credits": 3,
        "Certifying Board": "ABIM",
        "Certifying Board ID": "999999",
        "Total Board Credits": 2,
        "Credit Type ": "Medical Knowledge",
        "Credits Awarded for Credit Type": 1,
        "Additional Credit Type": None,
    }
    cells.update({(k if k in cells else k + " "): v for k, v in changes.items()})
    return [cells[name] for name in HEADER]


def filled_template(client, rows: list[list]) -> bytes:
    """The blank template downloaded from the app, filled with openpyxl."""
    response = client.get("/uploads/templates/learners.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    sheet = workbook["Learners"]
    assert [c.value for c in sheet[2]] == list(HEADER)  # header on row 2, "Credit Type "
    for values in rows:
        sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="learners.xlsx"):
    return client.post(
        "/uploads/", data={"file": (BytesIO(data), name)}, content_type="multipart/form-data"
    )


def stored(session) -> list[LearnerCompletion]:
    session.expire_all()
    return session.exec(select(LearnerCompletion)).all()


def test_round_trip_preview_then_commit_then_reupload_changes_nothing(client, activity, session):
    data = filled_template(
        client, [row(), row(**{"First Name": "Ana", "Last Name": "Diaz", "Date of Birth": "02/29"})]
    )
    response = upload(client, data)
    assert response.status_code == 303
    preview = client.get(response.headers["Location"])
    assert b"<strong>2</strong> new completions" in preview.data
    assert stored(session) == []  # nothing before the commit
    upload_id = response.headers["Location"].rsplit("/", 1)[1]
    assert client.post(f"/uploads/{upload_id}/commit").status_code == 303
    rows = stored(session)
    assert {(r.first_name, r.state, r.license_number) for r in rows} == {
        ("All", "ME", "1234567"),
        ("Ana", "ME", "1234567"),
    }
    learner = next(r for r in rows if r.first_name == "All")
    assert [(c.credit_type, c.points) for c in learner.board_credits] == [
        ("Medical Knowledge", 1.0)
    ]
    again = client.get(upload(client, data).headers["Location"])
    assert b"<strong>2</strong> unchanged" in again.data


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"Licensing ID or NPI": "1234567890"}, "Licensing ID or NPI", "check digit"),
        ({"Date of Birth": "13/45"}, "Date of Birth", "not a day of the year"),
        ({"ACCME Activity ID": "999999999"}, "ACCME Activity ID", "None of your activities"),
        ({"Certifying Board": "ABS"}, "Certifying Board", "not registered for MOC with ABS"),
        ({"Number of CME Credits": 4}, "Number of CME Credits", "claim no more than that"),
        ({"Completion Date": "June 1"}, "Completion Date", "MM/DD/YYYY"),
        ({"Record Action": "Update"}, "Record Action", "Add or Delete"),
        ({"Record Action": "Delete"}, "Record Action", "no such completion"),
        (
            {"Credits Awarded for Credit Type": 3},
            "Credits Awarded for Credit Type",
            "registered for 2 points",
        ),
    ],
)
def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_stored(
    client, activity, session, changes, column, message
):
    data = filled_template(client, [row(**{"First Name": "Good"}), row(**changes)])
    preview = client.get(upload(client, data).headers["Location"])
    assert preview.status_code == 422
    html = preview.data.decode()
    pattern = rf"<td>4</td><td>{re.escape(column)}</td><td>[^<]*{message}"
    assert re.search(pattern, html), html[-3000:]
    upload_id = session.exec(select(Upload)).all()[-1].id
    client.post(f"/uploads/{upload_id}/commit")
    assert stored(session) == []


def test_another_providers_activity_and_duplicate_rows(
    client, activity, make_user, make_activity, session
):
    other = make_user("b@example.org", provider="Other")
    theirs = make_activity(other.provider_id, accme_activity_id="777777777")
    data = filled_template(client, [row(), row(), row(**{"ACCME Activity ID": "777777777"})])
    html = client.get(upload(client, data).headers["Location"]).data.decode()
    assert (
        "<td>4</td><td>Credit Type</td><td>Same learner, activity, day and credit type as row 3."
        in html
    )
    assert "<td>5</td><td>ACCME Activity ID</td>" in html and theirs.title not in html


def test_store_the_valid_rows_only_is_explicit(client, activity, session):
    data = filled_template(client, [row(), row(**{"Date of Birth": "13/45"})])
    location = upload(client, data).headers["Location"]
    upload_id = location.rsplit("/", 1)[1]
    refused = client.post(f"/uploads/{upload_id}/commit", follow_redirects=True)
    assert b"nothing was stored" in refused.data and stored(session) == []
    done = client.post(
        f"/uploads/{upload_id}/commit", data={"valid_only": "y"}, follow_redirects=True
    )
    assert b"1 new completions" in done.data and b"1 invalid rows not stored" in done.data
    assert len(stored(session)) == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7 not a workbook", "learners.xlsx", b"not an Excel workbook"),
        (b"a,b,c", "learners.csv", b"a MEMS .xml file or a tab-delimited"),
    ],
)
def test_files_that_are_not_the_template_are_refused(client, activity, data, name, message):
    response = upload(client, data, name)
    assert response.status_code == 422 and message in response.data


def test_a_workbook_with_other_columns_names_them(client, activity):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["guidance"])
    workbook.active.append(["Record Action", "First Name", "Favourite Colour"])
    buffer = BytesIO()
    workbook.save(buffer)
    response = upload(client, buffer.getvalue())
    assert response.status_code == 422
    assert b"Missing: ACCME Activity ID" in response.data and b"Favourite Colour" in response.data


def test_upload_files_each_person_once_in_the_directory(client, activity, session):
    from pars.models import Learner

    client.post(
        f"/activities/{activity.id}/learners",
        data={
            "first_name": "All",
            "last_name": "Learner",
            "birth_month_day": "09/10",
            "state": "ME",
            "completion_date": PAST.isoformat(),
        },
    )
    later = (PAST + timedelta(days=1)).strftime("%m/%d/%Y")
    data = filled_template(
        client,
        [
            row(**{"Completion Date": later}),
            row(**{"First Name": "Bob", "Last Name": "Lee"}),
            row(**{"First Name": "Bob", "Last Name": "Lee", "Completion Date": later}),
        ],
    )
    location = upload(client, data).headers["Location"]
    client.post(location.replace("/uploads/", "/uploads/") + "/commit")
    people = session.exec(select(Learner)).all()
    assert sorted(p.first_name for p in people) == ["All", "Bob"]
    results = {(c.first_name, c.match_result) for c in stored(session)}
    assert ("All", "Exact match") in results and ("Bob", "No match") in results
    assert ("Bob", "Exact match") in results  # his second day matches his first


def damaged(data: bytes) -> bytes:
    """The same workbook with its sheet cut off part way (as a broken download leaves it)."""
    import zipfile

    source, buffer = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: body.index(b'<row r="4"') + 40]
            target.writestr(item, body)
    return buffer.getvalue()


def test_a_workbook_damaged_part_way_is_refused_whole(client, activity, session):
    data = damaged(filled_template(client, [row(), row(**{"First Name": "Ana"}), row()]))
    location = upload(client, data).headers["Location"]
    preview = client.get(location)
    assert preview.status_code == 422 and b"damaged" in preview.data
    assert b">Commit</button>" not in preview.data
    refused = client.post(location + "/commit", data={"valid_only": "y"}, follow_redirects=True)
    assert b"Nothing was stored" in refused.data and stored(session) == []


def test_an_invalid_row_after_stored_chunks_leaves_nothing_stored(
    client, activity, session, monkeypatch
):

    monkeypatch.setattr(pipeline, "CHUNK", 1)  # store each valid row before reading the next
    data = filled_template(
        client, [row(), row(**{"First Name": "Ana"}), row(**{"Date of Birth": "13/45"})]
    )
    location = upload(client, data).headers["Location"]
    refused = client.post(location + "/commit", follow_redirects=True)
    assert b"Row 5 is invalid; nothing was stored" in refused.data
    assert stored(session) == []


def test_a_large_file_is_read_by_a_second_process_with_the_same_rows(client, activity):
    from pars.formats import learner_xlsx, prefetch

    data = filled_template(client, [row(**{"First Name": f"N{n}"}) for n in range(5)])
    assert list(prefetch.rows(learner_xlsx.read, data, large=0)) == list(learner_xlsx.read(data))
    with pytest.raises(learner_xlsx.FormatError, match="damaged"):
        list(prefetch.rows(learner_xlsx.read, damaged(data), large=0))
    with pytest.raises(learner_xlsx.FormatError, match="not an Excel workbook"):
        list(prefetch.rows(learner_xlsx.read, b"%PDF-1.7", large=0))


@pytest.fixture
def two_types(make_user, login, make_activity):
    """An activity registered with ABIM for 2 points of Medical Knowledge or Practice
    Assessment: a learner may be awarded both."""
    user = make_user(role=Role.EDITOR)
    login()
    registration = abim_registration(
        credit_types=[
            MocCreditType(credit_type="Medical Knowledge"),
            MocCreditType(credit_type="Practice Assessment"),
        ]
    )
    return make_activity(
        user.provider_id,
        accme_activity_id="202212345",
        **(moc_course_fields(PAST) | {"moc_registrations": [registration]}),
    )


def credits_of(session) -> list[tuple[str, float]]:
    [completion] = stored(session)
    return sorted((c.credit_type, c.points) for c in completion.board_credits)


def test_a_second_credit_type_on_its_own_row_joins_the_same_completion(client, two_types, session):
    second = row(**{"Credit Type": "Practice Assessment", "Credits Awarded for Credit Type": 1})
    data = filled_template(client, [row(), second])
    location = upload(client, data).headers["Location"]
    html = client.get(location).data.decode()
    assert "<strong>1</strong> new completions" in html
    assert "<strong>1</strong> further credit types" in html
    client.post(location + "/commit")
    assert credits_of(session) == [("Medical Knowledge", 1.0), ("Practice Assessment", 1.0)]
    again = client.get(upload(client, data).headers["Location"]).data.decode()
    assert "<strong>2</strong> unchanged" in again


def test_a_further_row_of_a_learner_named_beyond_ascii_joins_the_completion(
    client, two_types, session
):
    """One rule says who a completion belongs to: Python's case folding, which SQL's lower()
    does not match beyond ASCII (the second row was looked up in SQL and not found)."""
    name = {"First Name": "ÉLODIE", "Last Name": "Öztürk"}
    second = {"Credit Type": "Practice Assessment", "Credits Awarded for Credit Type": 1}
    data = filled_template(client, [row(**name), row(**name, **second)])
    location = upload(client, data).headers["Location"]
    assert client.post(location + "/commit").status_code == 303
    assert credits_of(session) == [("Medical Knowledge", 1.0), ("Practice Assessment", 1.0)]
    [completion] = stored(session)
    assert completion.learner_key == "élodie\x1föztürk\x1f09/10"


def test_an_additional_credit_type_takes_the_total_less_the_first_types_points(
    client, two_types, session
):
    data = filled_template(client, [row(**{"Additional Credit Type": "Practice Assessment"})])
    location = upload(client, data).headers["Location"]
    client.post(location + "/commit")
    assert credits_of(session) == [("Medical Knowledge", 1.0), ("Practice Assessment", 1.0)]
    assert stored(session)[0].board_points_total == 2.0


def test_an_additional_credit_type_without_points_left_is_refused_naming_the_columns(
    client, two_types, session
):
    bad = row(**{"Additional Credit Type": "Practice Assessment", "Total Board Credits": 1})
    html = client.get(upload(client, filled_template(client, [bad])).headers["Location"])
    text = html.data.decode()
    assert re.search(r"<td>3</td><td>Total Board Credits</td><td>[^<]*Credits Awarded", text)


def test_further_rows_that_disagree_on_the_learner_are_refused(client, two_types, session):
    other = row(**{"Credit Type": "Practice Assessment", "Licensing ID or NPI": "7654321"})
    html = client.get(upload(client, filled_template(client, [row(), other])).headers["Location"])
    assert re.search(r"<td>4</td><td>Licensing ID or NPI</td><td>Row 3 has", html.data.decode())


def test_a_birth_date_excel_made_a_date_and_a_serial_completion_date_are_read(
    client, activity, session
):
    serial = (PAST - date(1899, 12, 30)).days
    data = filled_template(
        client,
        [row(**{"Date of Birth": datetime(2026, 9, 10), "Completion Date": serial})],
    )
    location = upload(client, data).headers["Location"]
    html = client.get(location).data.decode()
    assert "month and day were kept" in html and "<strong>1</strong> new completions" in html
    client.post(location + "/commit")
    [completion] = stored(session)
    assert (completion.birth_month_day, completion.completion_date) == ("09/10", PAST)


def test_the_template_keeps_typed_text_and_offers_state_names(client, activity):
    workbook = load_workbook(BytesIO(client.get("/uploads/templates/learners.xlsx").data))
    sheet = workbook["Learners"]
    for name in ("Date of Birth", "Licensing ID or NPI", "ACCME Activity ID"):
        letter = sheet.cell(row=2, column=HEADER.index(name) + 1).column_letter
        assert sheet.column_dimensions[letter].number_format == "@"
    assert "Maine" in [c.value for c in workbook["Lists"]["B"]]


def test_the_learner_export_uploads_back_unchanged(client, two_types, session):
    second = row(**{"Credit Type": "Practice Assessment", "Credits Awarded for Credit Type": 1})
    data = filled_template(client, [row(), second, row(**{"First Name": "Other"})])
    client.post(upload(client, data).headers["Location"] + "/commit")
    exported = client.get(f"/activities/{two_types.id}/learners.xlsx")
    assert exported.status_code == 200
    html = client.get(upload(client, exported.data).headers["Location"]).data.decode()
    assert "<strong>3</strong> unchanged" in html, html[-2000:]
    assert "new completions" not in html or "<strong>0</strong> new" in html
