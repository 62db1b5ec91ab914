"""Audit history: who changed what, from what to what; shown per activity and provider-wide."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from pars.models import AuditEntry
from pars.vocab import Role
from tests.factories import TODAY


def entries(session, **where) -> list[AuditEntry]:
    session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEntry, name) == value)
    return session.exec(query).all()


def changed(session, activity_id: int) -> dict[str, tuple]:
    return {
        e.field: (e.old_value, e.new_value, e.user_id)
        for e in entries(session, activity_id=activity_id, action="changed")
    }


def test_learner_totals_status_and_closing_are_recorded_with_who(
    client, editor, session, make_activity
):
    past = TODAY - timedelta(days=3)
    activity = make_activity(
        editor.provider_id, start_date=past, end_date=past, commercial_support=False
    )
    assert entries(session, activity_id=activity.id)[0].action == "created"
    form = client.get(f"/activities/{activity.id}/learner-counts").data.decode()
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    client.post(
        f"/activities/{activity.id}/learner-counts",
        data={"physician_learners": 12, "other_learners": 3, "version": version},
    )
    client.post(f"/activities/{activity.id}/close")
    found = changed(session, activity.id)
    assert found["physician_learners"] == (None, "12", editor.id)
    assert found["other_learners"] == (None, "3", editor.id)
    assert found["status"][:2] == ("Ready to Close", "Closed")
    assert found["closed_at"][0] is None and found["closed_at"][1].endswith("UTC")


def test_a_wizard_save_records_each_changed_field_and_child_rows(
    client, editor, session, make_activity
):
    from pars.activities import operations
    from pars.models import Activity, SupportSource

    activity = make_activity(editor.provider_id, title="Old Title")
    saved = session.get(Activity, activity.id)
    saved.title = "New Title"
    saved.commercial_support = True
    saved.support_sources = [SupportSource(kind="Monetary", source="Acme", amount=500)]
    operations.save_activity(session, saved)
    session.commit()
    found = changed(session, activity.id)
    assert found["title"][:2] == ("Old Title", "New Title")
    assert found["support_sources"][:2] == (None, "Monetary Acme 500")
    assert "updated_at" not in found and "version" not in found


def test_learners_added_and_deleted_are_recorded(client, editor, session, make_activity):
    past = TODAY - timedelta(days=3)
    activity = make_activity(editor.provider_id, start_date=past, end_date=past)
    client.post(
        f"/activities/{activity.id}/learners",
        data={
            "first_name": "Ana",
            "last_name": "Diaz",
            "birth_month_day": "02/29",
            "state": "IL",
            "completion_date": past.isoformat(),
        },
    )
    added = entries(session, entity="learner", action="created")
    assert added and added[0].new_value.startswith("Ana Diaz, 02/29")
    client.post(f"/activities/{activity.id}/learners/{added[0].entity_id}/delete")
    assert entries(session, entity="learner", action="deleted")[0].old_value.startswith("Ana")


def test_the_history_tab_and_the_admin_log(
    client, editor, session, make_activity, make_user, login
):
    activity = make_activity(editor.provider_id, title="Watched <b>Course</b>")
    page = client.get(f"/activities/{activity.id}/history")
    assert page.status_code == 200 and b"Created: title" in page.data
    assert b"Watched &lt;b&gt;Course&lt;/b&gt;" in page.data
    assert client.get("/audit/").status_code == 403  # editors do not read the whole log
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    log = client.get("/audit/?entity=activity")
    assert log.status_code == 200 and b"Watched &lt;b&gt;Course" in log.data
    assert client.get("/audit/?entity=nonsense").status_code == 400


def test_another_providers_history_stays_hidden(client, editor, session, make_user, make_activity):
    other = make_user("b@example.org", provider="Other", role=Role.ADMIN)
    theirs = make_activity(other.provider_id, title="Their Secret")
    assert client.get(f"/activities/{theirs.id}/history").status_code == 404


def test_audit_rows_are_never_edited_or_deleted(app, session, make_user):
    make_user()
    row = entries(session)[0]
    for statement in (
        "UPDATE audit_entry SET new_value = 'forged' WHERE id = :id",
        "DELETE FROM audit_entry WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="never edited"):
            session.execute(text(statement), {"id": row.id})
        session.rollback()
    assert entries(session)[0].new_value == row.new_value
