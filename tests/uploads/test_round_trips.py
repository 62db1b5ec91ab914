"""Every export of the app, uploaded back into the same provider, previews as all unchanged:
nothing added, nothing refused. The set holds what used to break a round trip: a Closed
activity, a course still waiting for its repeat occurrences, a course split from one, MOC with
practice areas, REMS, and activities with neither an ACCME ID nor the provider's own ID."""

import re
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from pars.models import (
    Activity,
    CommendationTag,
    DeliveryMethodRow,
    MocCreditType,
    MocPracticeArea,
    MocRegistration,
    OutcomeRow,
    RepeatInstance,
)
from tests.factories import NOW, PAST, TODAY, full_activity, preview_of


def the_set(make_activity, session, provider_id: int) -> int:
    """The activities every format must carry back unchanged; how many there are."""
    closed = full_activity(
        make_activity,
        provider_id,
        start_date=PAST,
        end_date=PAST,
        moc_registrations=[
            MocRegistration(
                board="ABIM",
                points=6.5,
                claim_date=PAST,
                credit_types=[MocCreditType(credit_type="Medical Knowledge")],
                practice_areas=[MocPracticeArea(practice_area="Internal Medicine")],
            )
        ],
    )
    closed.closed_at = NOW
    closed.stage, closed.status_rank = "Closed", 3
    session.add(closed)
    later = TODAY + timedelta(days=30)
    make_activity(
        provider_id,
        title="Suturing Workshop",
        repeats=True,
        repeat_instances=[
            RepeatInstance(
                position=1,
                start_date=later,
                end_date=later,
                country="USA",
                city="Boston",
                state="MA",
                postal_code="02114",
            ),
            RepeatInstance(
                position=2,
                start_date=later + timedelta(days=7),
                end_date=later + timedelta(days=7),
                country="CAN",
                city="Toronto",
                state="ON",
            ),
        ],
    )
    make_activity(provider_id, title="Suturing Workshop (second run)", repeats=False)
    make_activity(provider_id, title="No IDs at all: a draft", ama_credits=None)
    make_activity(
        provider_id,
        title="No IDs, listed, free, limited, community health",
        in_cme_passport=True,
        registration="Limited to certain participants",
        fee="No, it's free",
        url="https://cme.example.org/free",
        outcomes=[OutcomeRow(outcome="Community/Population Health", subjective=True)],
        commendation=True,
        commendation_tags=[CommendationTag(tag="Engages Teams")],
    )
    make_activity(
        provider_id,
        title="Opioid prescribing (REMS)",
        internal_id="REMS-1",
        rems=True,
        rems_type="Opioid Analgesic",
        in_cme_passport=False,
        registration="Open to all",
        fee="Variable",
        url="https://cme.example.org/rems",
        format="Enduring Material",
        start_date=date(2026, 1, 5),
        end_date=date(2027, 1, 5),
        delivery_methods=[DeliveryMethodRow(method="Online")],
        country=None,
        city=None,
        state=None,
        postal_code=None,
    )
    session.commit()
    return session.exec(select(func.count()).select_from(Activity)).one()


def count_in(html: str, action: str) -> int:
    found = re.search(rf"<strong>(\d+)</strong> {re.escape(action)}", html)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize(
    ("export", "name"),
    [("/exports/activities.xml", "activities.xml"), ("/exports/activities.xlsx", "a.xlsx")],
)
def test_every_export_uploaded_back_changes_nothing(
    client, editor, make_activity, session, export, name
):
    total = the_set(make_activity, session, editor.provider_id)
    body = client.get(export).data
    location, preview = preview_of(client, body, name)
    html = preview.data.decode()
    assert preview.status_code == 200, html[-3000:]
    assert count_in(html, "unchanged") == total, html[-3000:]
    assert count_in(html, "new activities") == 0 and count_in(html, "updated activities") == 0
    assert "could not be read" not in html and "<td>MEMS schema" not in html
    assert session.exec(select(func.count()).select_from(Activity)).one() == total


def test_a_closed_activity_that_a_file_changes_is_refused_naming_why(
    client, editor, make_activity, session
):
    the_set(make_activity, session, editor.provider_id)
    body = client.get("/exports/activities.xml").data
    changed = body.replace(b"Heart Failure Update 2026", b"Heart Failure Update 2026, revised")
    html = preview_of(client, changed)[1].data.decode()
    assert re.search(r"is closed and this record changes it; an administrator can reopen", html)


def test_records_without_ids_come_back_by_their_key_after_being_deleted(
    client, editor, make_activity, session
):
    make_activity(editor.provider_id, title="Keyed only")
    body = client.get("/exports/activities.xml").data
    key = session.exec(select(Activity.record_key)).one()
    assert key.encode() in body
    activity = session.exec(select(Activity)).one()
    assert client.post(f"/activities/{activity.id}/delete").status_code == 303
    location, _ = preview_of(client, body)
    client.post(location + "/commit")
    session.expire_all()
    assert session.exec(select(Activity.record_key)).one() == key
    html = preview_of(client, body)[1].data.decode()  # and then it matches, not doubles
    assert count_in(html, "unchanged") == 1 and count_in(html, "new activities") == 0
