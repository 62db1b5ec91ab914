"""Large uploads checked and stored in the background (pars.uploads.jobs): the page answers at
once with a progress bar, the job's result is kept with the upload, and a job whose server
stopped is taken up again."""

import json
import time
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from pars.formats.activity_template import CME
from pars.models import Activity, Upload
from pars.uploads import jobs, pipeline
from pars.uploads.rows import UploadCheck
from tests.factories import activity_template_row as row
from tests.factories import filled_activity_template as filled
from tests.factories import upload


def template(client, count: int) -> bytes:
    return filled(
        client,
        "/uploads/templates/activities.xlsx",
        CME,
        [
            row(CME, **{"Provider Activity ID": f"T-{n}", "Title": f"Course {n}"})
            for n in range(count)
        ],
    )


@pytest.fixture
def background(app):
    app.config["UPLOAD_BACKGROUND_BYTES"] = 0  # every file goes to a background job


def stored_upload(session) -> Upload:
    session.expire_all()
    return session.exec(select(Upload)).one()


def test_a_large_file_is_checked_and_stored_in_the_background(client, editor, session, background):
    response = upload(client, template(client, 30), "activities.xlsx")
    assert response.status_code == 303
    upload_id = stored_upload(session).id
    jobs.wait(client.application, upload_id)
    finished = client.get(f"/uploads/{upload_id}/progress")
    assert finished.status_code == 204  # the job ended: htmx is sent to the whole preview
    assert finished.headers["HX-Redirect"] == f"/uploads/{upload_id}"
    preview = client.get(f"/uploads/{upload_id}").data.decode()
    assert "<strong>30</strong> new activities" in preview
    assert client.post(f"/uploads/{upload_id}/commit").status_code == 303
    again = client.post(f"/uploads/{upload_id}/commit")
    assert again.status_code == 409  # being stored (or stored): never twice
    jobs.wait(client.application, upload_id)
    kept = stored_upload(session)
    assert kept.status == "stored" and kept.result.startswith("30 new activities")
    assert len(session.exec(select(Activity)).all()) == 30
    assert "What storing this file did" in client.get(f"/uploads/{upload_id}").data.decode()


def kept(client, editor, session, *, rows: int, status: str, **fields) -> Upload:
    """An upload as a job left it (stored straight in the database)."""
    stored = Upload(
        provider_id=editor.provider_id,
        user_id=editor.id,
        kind="activities",
        filename="big.xlsx",
        data=template(client, rows),
        status=status,
        **fields,
    )
    session.add(stored)
    session.commit()
    return stored


def progress_file(client, upload_id: int):
    with client.application.app_context():
        path = jobs.progress_path(upload_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_the_page_shows_progress_while_the_job_runs(client, editor, session):
    stored = kept(client, editor, session, rows=3, status="checking")
    jobs.write_progress(progress_file(client, stored.id), 1500, 6000)
    page = client.get(f"/uploads/{stored.id}").data.decode()
    assert '<progress id="job-bar" max="6000" value="1500">' in page
    assert "1,500 of about 6,000 rows done." in page
    assert f'hx-get="/uploads/{stored.id}/progress"' in page
    fragment = client.get(f"/uploads/{stored.id}/progress").data.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')  # the fragment alone


def test_a_store_whose_server_stopped_goes_back_to_pending(client, editor, session):
    report = json.dumps({"actions": {"add": 2}, "problem": "", "notices": [], "invalid": []})
    # No progress file and no thread: its server is gone.
    stored = kept(client, editor, session, rows=2, status="storing", report=report)
    page = client.get(f"/uploads/{stored.id}").data.decode()
    assert jobs.INTERRUPTED in page
    assert stored_upload(session).status == "pending"
    assert session.exec(select(Activity)).all() == []


def test_a_check_whose_server_stopped_starts_again(client, editor, session, background):
    stored = kept(client, editor, session, rows=4, status="checking")
    progress_file(client, stored.id).write_text(
        json.dumps({"done": 2, "total": 4, "at": time.time() - jobs.STALE_SECONDS - 1})
    )
    client.get(f"/uploads/{stored.id}")
    jobs.wait(client.application, stored.id)
    assert stored_upload(session).status == "pending"
    assert "<strong>4</strong> new activities" in client.get(f"/uploads/{stored.id}").data.decode()


def test_a_job_that_fails_says_so_and_stores_nothing(
    client, editor, session, background, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "check", broken)  # a fault no file can cause
    upload(client, template(client, 2), "activities.xlsx")
    upload_id = stored_upload(session).id
    jobs.wait(client.application, upload_id)
    assert stored_upload(session).status == "failed"
    page = client.get(f"/uploads/{upload_id}")
    assert page.status_code == 200 and b"could not be checked" in page.data
    assert session.exec(select(Activity)).all() == []
    # Cancelled after failing, it has no preview to show: the page says so (it was a 500).
    assert client.post(f"/uploads/{upload_id}/cancel").status_code == 303
    page = client.get(f"/uploads/{upload_id}")
    assert page.status_code == 200 and b"cancelled before it was checked" in page.data


def test_a_refused_background_store_keeps_the_reason_on_the_page(
    client, editor, session, background
):
    data = filled(
        client,
        "/uploads/templates/activities.xlsx",
        CME,
        [row(CME), row(CME, **{"Provider Activity ID": "T-2", "Format": "Podcast"})],
    )
    upload(client, data, "activities.xlsx")
    upload_id = stored_upload(session).id
    jobs.wait(client.application, upload_id)
    client.post(f"/uploads/{upload_id}/commit")
    jobs.wait(client.application, upload_id)
    page = client.get(f"/uploads/{upload_id}").data.decode()
    assert "Row 4 is invalid; nothing was stored." in page
    assert stored_upload(session).status == "pending"
    assert session.exec(select(Activity)).all() == []


def test_the_rows_a_file_holds_are_estimated_for_the_bar(client, editor):
    assert pipeline.estimated_rows("activities", template(client, 7)) == 7
    xml = client.get("/exports/activities.xml").data
    assert pipeline.estimated_rows("activities_xml", xml) == 0
    assert (
        pipeline.estimated_rows(
            "activities_xml", b"<a><m:MedicalEducationMetrics></m:MedicalEducationMetrics></a>"
        )
        == 1
    )
    assert pipeline.estimated_rows("activities_tab", b"a\tb\nc\td") == 2


def test_the_list_of_uploads_shows_each_running_job_and_its_end(client, editor, session):
    stored = kept(client, editor, session, rows=2, status="checking")
    jobs.write_progress(progress_file(client, stored.id), 700, 2000)
    listing = client.get("/uploads/").data.decode()
    line = f'hx-get="/uploads/{stored.id}/progress?place=list"'
    assert line in listing and 'aria-label="Checking big.xlsx" max="2000" value="700"' in listing
    stored.status, stored.report = "pending", UploadCheck().as_report()
    session.commit()
    finished = client.get(f"/uploads/{stored.id}/progress?place=list").data.decode()
    assert finished.strip().startswith(f'<li id="upload-{stored.id}"')
    assert "pending" in finished and "hx-get" not in finished  # the line stops polling


def test_a_large_workbook_is_told_apart_in_the_background(client, editor, session, background):
    data = template(client, 3)
    assert upload(client, data, "activities.xlsx").status_code == 303  # answered at once
    first = stored_upload(session)
    assert first.kind in ("", "activities")  # "" until the job has read the header
    jobs.wait(client.application, first.id)
    assert stored_upload(session).kind == "activities"
    workbook = load_workbook(BytesIO(data))
    workbook["Activities"]["B2"] = "Name"  # not a template's header after all
    buffer = BytesIO()
    workbook.save(buffer)
    upload(client, buffer.getvalue(), "renamed.xlsx")
    second = session.exec(select(Upload).where(Upload.filename == "renamed.xlsx")).one()
    jobs.wait(client.application, second.id)
    page = client.get(f"/uploads/{second.id}").data.decode()
    assert "could not be checked" in page and "Row 2 must hold the template" in page
    assert "Not in the template: Name" in page
