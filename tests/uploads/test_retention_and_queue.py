"""The background queue (huey) and the keeping of uploaded files: a real worker runs a queued
job; a file waiting its turn says so; a cancelled file goes at once and an old one after
UPLOAD_RETENTION_DAYS; and a commit racing a cancel, or the same file committed twice at once,
each ends in exactly one outcome that the page tells truthfully."""

from datetime import timedelta

import pytest
from sqlmodel import func, select

from pars.core import tasks
from pars.models import Activity, Upload
from pars.uploads import jobs, retention
from tests.conftest import make_test_app
from tests.factories import PASSWORD, race, upload
from tests.uploads.test_upload_jobs import kept, progress_file, stored_upload, template


def signed_in(app):
    client = app.test_client()
    client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    return client


def test_a_real_worker_runs_a_queued_check(database_url, tmp_path, make_user):
    app = make_test_app(
        database_url,
        UPLOAD_PROGRESS_DIR=str(tmp_path / "jobs"),
        UPLOAD_BACKGROUND_BYTES=0,
        TASKS_IMMEDIATE=False,
        TASK_QUEUE_URL=f"sqlite:///{tmp_path / 'tasks.db'}",
    )
    make_user()
    worker = tasks.consumer(app, workers=1)
    worker._set_signal_handlers = lambda: None
    client = signed_in(app)
    assert client.get("/uploads/").status_code == 200
    assert upload(client, template(client, 5), "activities.xlsx").status_code == 303
    assert tasks.queue(app).pending_count() == 1  # queued, not run by the web process
    worker.start()
    try:
        assert jobs.wait(app, 1, timeout=60) == "pending"
        assert "<strong>5</strong> new activities" in client.get("/uploads/1").data.decode()
    finally:
        worker.stop(graceful=True)
        app.extensions["pars_engine"].dispose()


def test_the_daily_retention_task_is_registered(app):
    periodic = tasks.queue(app)._registry.periodic_tasks
    assert "uploads.retention" in {task.name for task in periodic}


def test_a_file_waiting_for_a_worker_says_so(client, editor, session):
    stored = kept(client, editor, session, rows=3, status="checking")
    jobs.write_progress(progress_file(client, stored.id), 0, 3, queued=True)
    page = client.get(f"/uploads/{stored.id}").data.decode()
    assert "Waiting its turn" in page and "2 large files at a time" in page
    assert stored_upload(session).status == "checking"  # a queued job is not taken for dead


def test_a_cancelled_file_is_removed_at_once(client, editor, session):
    upload(client, template(client, 2), "activities.xlsx")
    upload_id = stored_upload(session).id
    assert client.post(f"/uploads/{upload_id}/cancel").status_code == 303
    gone = stored_upload(session)
    assert (gone.status, gone.data, gone.file_removed_at is not None) == ("cancelled", b"", True)
    assert "Its file was removed on" in client.get(f"/uploads/{upload_id}").data.decode()


def test_old_files_are_removed_and_what_they_did_is_kept(client, editor, session, now):
    old = now - timedelta(days=31)
    report = '{"actions": {"add": 1}, "problem": "", "notices": [], "invalid": []}'
    stored = kept(client, editor, session, rows=1, status="stored", result="1 new", report=report)
    waiting = kept(client, editor, session, rows=1, status="pending")
    running = kept(client, editor, session, rows=1, status="storing")
    recent = kept(client, editor, session, rows=1, status="stored")
    for item in (stored, waiting, running):
        item.created_at = old
    session.commit()
    assert retention.remove_old_files(session, now=now, keep_days=30) == 2
    session.commit()
    session.expire_all()
    assert session.get(Upload, stored.id).data == b""
    assert session.get(Upload, waiting.id).status == "cancelled"
    assert "Not committed within 30 days" in session.get(Upload, waiting.id).note
    assert session.get(Upload, running.id).data != b""  # a job at work is never touched
    assert session.get(Upload, recent.id).file_removed_at is None
    page = client.get(f"/uploads/{stored.id}").data.decode()
    assert "<strong>1</strong> new activities" in page and "Its file was removed on" in page


def two_at_once(app, session, first_action: str, second_action: str) -> list[int]:
    """Two people post ``first_action`` and ``second_action`` on one checked upload of 40
    activities at the same moment; their status codes."""
    first, second = signed_in(app), signed_in(app)
    upload(first, template(first, 40), "activities.xlsx")
    upload_id = stored_upload(session).id
    return race(
        lambda: first.post(f"/uploads/{upload_id}/{first_action}").status_code,
        lambda: second.post(f"/uploads/{upload_id}/{second_action}").status_code,
    )


@pytest.mark.parametrize("attempt", range(5))
def test_commit_racing_cancel_ends_one_way_and_says_which(app, editor, session, attempt):
    codes = two_at_once(app, session, "commit", "cancel")
    assert codes.count(303) == 1 and codes.count(409) == 1, codes
    final = stored_upload(session)
    activities = session.exec(select(func.count()).select_from(Activity)).one()
    assert (final.status, activities) in {("stored", 40), ("cancelled", 0)}


def test_the_same_file_committed_twice_at_once_is_stored_once(app, editor, session):
    assert two_at_once(app, session, "commit", "commit") == [303, 409]
    assert session.exec(select(func.count()).select_from(Activity)).one() == 40
