"""Historical activities: legacy records brought across the way ACCME moved them into the new
PARS in November 2021, then judged by the legacy model (domain.md section 3). The golden file
tests/data/legacy-2015-third-party.txt is laid out as a third-party exporter writes Template D:
five 2015 activities of five legacy types, whole dollars as 324705.0, "USA", CRLF."""

import re
from datetime import date

from sqlmodel import select

from pars.activities import historical, status
from pars.formats import legacy_tab, mems_read
from pars.models import Activity
from pars.vocab import Status
from tests.factories import DATA, TODAY, preview_of

FILE = DATA / "legacy-2015-third-party.txt"


def stored(session) -> dict[str, Activity]:
    session.expire_all()
    return {a.internal_id: a for a in session.exec(select(Activity))}


def outcomes(activity: Activity) -> list[tuple]:
    return sorted((o.outcome, o.objective, o.subjective) for o in activity.outcomes)


def test_a_third_party_2015_file_imports_as_historical_activities_ready_to_close(
    client, editor, session
):
    location, preview = preview_of(client, FILE.read_bytes(), "legacy-2015.txt")
    html = preview.data.decode()
    assert "<strong>5</strong> new activities" in html, html[-3000:]
    for said in (
        "became the start date",  # one Activity Date
        "took its title",  # the title into an empty description
        "became the outcome Learner Competence",
        "CME Passport: a legacy record with no CME Finder answer that has ended was answered No",
        "maps to no outcome",  # designed to change, not evaluated
        "22-28 sub-categories, 32-47 competencies",
    ):
        assert said in html, said
    assert client.post(location + "/commit").status_code == 303
    found = stored(session)
    assert len(found) == 5
    for activity in found.values():
        assert activity.legacy_record and status.is_historical(activity)
        assert activity.status_on(TODAY) == Status.READY_TO_CLOSE, (
            activity.internal_id,
            status.blocking(activity, today=TODAY),
        )
        assert activity.reporting_year == 2015 and activity.in_cme_passport is False
    course = found["HX-2015-01"]
    assert (course.format, course.hours_of_instruction) == ("Live Course", 6.5)
    assert course.description == "Heart Failure Update 2015"  # the title, as ACCME did
    assert outcomes(course) == [("Learner Competence", False, False)]  # performance designed only
    assert (course.designed_performance, course.evaluated_performance) == (True, False)
    assert sorted((s.kind, s.source, s.amount) for s in course.support_sources) == [
        ("In-kind", "Beta Devices", None),
        ("Monetary", "Acme Pharma", 324705),
    ]
    assert [j.name for j in course.joint_providers] == ["Lakeshore Heart Society"]
    assert outcomes(found["HX-2015-02"]) == [
        ("Learner Competence", False, False),
        ("Learner Performance", False, False),
    ]
    assert found["HX-2015-02"].description == "Weekly case conference."  # its own kept
    assert [o[0] for o in outcomes(found["HX-2015-04"])] == [
        "Learner Competence",
        "Learner Performance",
        "Patient Health",
    ]
    assert outcomes(found["HX-2015-05"]) == []
    assert {
        a.internal_id: (a.format, [d.method for d in a.delivery_methods]) for a in found.values()
    } == {
        "HX-2015-01": ("Live Course", ["In-Person"]),  # C
        "HX-2015-02": ("Regularly Scheduled Series", ["In-Person"]),  # RSS with a place
        "HX-2015-03": ("Live Course", ["Live-Streamed"]),  # IL
        "HX-2015-04": ("Enduring Material", ["Online"]),  # IEM
        "HX-2015-05": ("Journal CME/CE", []),  # JN
    }
    assert found["HX-2015-02"].end_date == date(2015, 12, 31)  # a series: the year's end

    page = client.get(f"/activities/{course.id}").data.decode()
    assert "Historical" in page and "judged as PARS judged it then" in page
    assert page.count("Answer whether to include the activity in CME Passport") == 0

    again = preview_of(client, FILE.read_bytes(), "legacy-2015.txt")[1].data.decode()
    assert "<strong>5</strong> unchanged" in again, again[-3000:]

    closed = client.post("/annual/2015/close-all", follow_redirects=True).data.decode()
    assert "Closed 5 of 5 activities." in closed, re.findall(r"flash[^>]*>[^<]*", closed)
    assert all(a.closed_at is not None for a in stored(session).values())


def test_the_legacy_model_asks_the_legacy_fields_and_not_the_new_ones(
    client, editor, session, make_activity
):
    activity = make_activity(
        editor.provider_id,
        title="Old Course",
        format="Journal CME/CE",
        start_date=date(2016, 4, 1),
        end_date=date(2016, 4, 1),
        legacy_record=True,
        reporting_year=2016,
        providership="Direct",
        commercial_support=False,
        in_cme_passport=None,
        description=None,
        ama_credits=None,
        physician_learners=3,
        other_learners=0,
    )
    assert status.is_historical(activity)
    blockers = status.blocking(activity, today=TODAY)
    assert list(blockers) == [Status.CLOSED]  # Open (Active) needs nothing more: Ready to Close
    messages = [b.message for b in blockers[Status.CLOSED]]
    assert messages == [
        "Enter the hours of instruction (legacy record)",
        "Answer the designed-to-change and changes-evaluated questions (legacy record)",
    ]
    page = client.get(f"/activities/{activity.id}").data.decode()
    assert 'id="legacy-details"' in page
    form = {
        "csrf_token": "",
        "version": str(activity.version),
        "reporting_year": "2016",
        "hours_of_instruction": "1.5",
        **{name: "no" for name in legacy_tab.FLAG_ORDER},
    }
    saved = client.post(f"/activities/{activity.id}/legacy-details", data=form)
    assert saved.status_code == 303
    session.expire_all()
    assert status.can_close(activity, today=TODAY)
    stale = client.post(f"/activities/{activity.id}/legacy-details", data=form)
    assert stale.status_code == 409  # saved from a page read before the last save
    bad = client.post(
        f"/activities/{activity.id}/legacy-details",
        data=form | {"version": str(activity.version), "hours_of_instruction": "lots"},
    )
    assert bad.status_code == 422 and b'id="hours_of_instruction-error"' in bad.data


def test_a_legacy_record_that_ended_after_the_new_pars_keeps_the_new_rules(client, editor):
    data = FILE.read_bytes().replace(b"\t2015\t", b"\t2022\t").replace(b"/2015\t", b"/2022\t")
    html = preview_of(client, data, "legacy-2022.txt")[1].data.decode()
    assert "<strong>5</strong> new activities" in html
    assert "is judged by the new rules, so its evaluated changes did not become outcomes" in html


def test_flags_hours_and_years_that_cannot_be_read_are_refused_by_field(client, editor, session):
    line = FILE.read_text().splitlines()[0].split("\t")
    for number, value, name in (
        (12, "six", "12 Hours of Instruction"),
        (16, "Maybe", "16 Designed to change Competence?"),
        (21, "1", "21 Changes in Patient Outcomes evaluated?"),
        (4, "15", "4 Reporting Year"),
    ):
        bad = list(line)
        bad[number - 1] = value
        html = preview_of(client, "\t".join(bad).encode(), "bad.txt")[1].data.decode()
        assert re.search(rf"<td>{re.escape(name)}</td>", html), (name, html[-2000:])
    assert stored(session) == {}


def test_one_blocker_once_on_the_activity_page(client, editor, make_activity):
    activity = make_activity(
        editor.provider_id,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 1, 5),
        in_cme_passport=None,
    )
    page = client.get(f"/activities/{activity.id}").data.decode()
    needed = page[page.index('id="activity-blocking"') :]
    assert needed.count("Answer whether to include the activity in CME Passport") == 1
    for blockers in status.blocking(activity, today=TODAY).values():
        messages = [b.message for b in blockers]
        assert len(messages) == len(set(messages))


def test_the_migration_steps_one_by_one():
    values = {
        "title": "Old",
        "description": None,
        "outcomes": [],
        "in_cme_passport": None,
        "legacy_record": True,
        "end_date": date(2015, 3, 1),
        "evaluated_patient_outcomes": True,
        "designed_competence": True,
    }
    notices = historical.migrate(values, today=TODAY)
    assert values["description"] == "Old" and values["in_cme_passport"] is False
    assert values["outcomes"] == [("Patient Health", False, False)]
    assert len(notices) == 4  # description, outcome, designed-only, CME Passport
    listed = dict(values, in_cme_passport=True, description="Given")
    assert historical.migrate(listed, today=TODAY) == []  # what a record gives is kept
    assert (listed["in_cme_passport"], listed["description"]) == (True, "Given")


def test_a_mems_record_with_the_legacy_elements_is_a_legacy_record_and_round_trips(
    client, editor, session
):
    location, _ = preview_of(client, FILE.read_bytes(), "legacy-2015.txt")
    client.post(location + "/commit")
    exported = client.get("/exports/activities.xml").data
    assert exported.count(b"<ChangesInCompetenceMeasured>true</ChangesInCompetenceMeasured>") == 3
    assert b"<accme:ReportingYear>2015</accme:ReportingYear>" in exported
    [(_, first), *_] = list(mems_read.read(exported))
    values = first["values"]
    assert values["legacy_record"] is True and values["reporting_year"] == 2015
    assert values["hours_of_instruction"] is not None
    again = preview_of(client, exported, "activities.xml")[1].data.decode()
    assert "<strong>5</strong> unchanged" in again, again[-3000:]

    for activity in session.exec(select(Activity)).all():
        session.delete(activity)
    session.commit()
    location, fresh = preview_of(client, exported, "activities.xml")
    assert "<strong>5</strong> new activities" in fresh.data.decode()
    client.post(location + "/commit")
    found = stored(session)
    assert all(status.is_historical(a) for a in found.values())
    assert found["HX-2015-01"].hours_of_instruction == 6.5
    assert outcomes(found["HX-2015-01"]) == [("Learner Competence", False, False)]


def test_a_mems_record_from_another_system_with_legacy_flags(client, editor, session):
    location, _ = preview_of(client, FILE.read_bytes(), "legacy-2015.txt")
    client.post(location + "/commit")
    exported = client.get("/exports/activities.xml").data.decode()
    for activity in session.exec(select(Activity)).all():
        session.delete(activity)
    session.commit()
    # Another system's file: no private element, the legacy flags only, and an income amount.
    other = re.sub(
        r"<accme:ReportingSystemDetails>.*?</accme:ReportingSystemDetails>",
        "",
        exported,
        flags=re.S,
    )
    other = other.replace(
        "<DesignedToChangeCompetence>",
        '<Expenses currency="USD">100</Expenses><DesignedToChangeCompetence>',
        1,
    )
    html = preview_of(client, other.encode(), "other.xml")[1].data.decode()
    assert "<strong>5</strong> new activities" in html, html[-3000:]
    assert "Expenses: PARS removed these from activities in 2021; not stored." in html
    location = preview_of(client, other.encode(), "other.xml")[0]
    client.post(location + "/commit")
    found = stored(session)
    # The flags alone make a legacy record; it has no year or hours, so it waits for them.
    course = found["HX-2015-01"]
    assert course.legacy_record and course.reporting_year is None
    assert course.status_on(TODAY) == "Draft"
    blockers = [b.message for b in status.blocking(course, today=TODAY)[Status.READY_TO_CLOSE]]
    assert blockers == ["Enter the reporting year (legacy record)"]


def test_the_api_says_an_activity_is_historical(app, client, editor, session):
    from pars.accounts import tokens
    from pars.models import User

    location, _ = preview_of(client, FILE.read_bytes(), "legacy-2015.txt")
    client.post(location + "/commit")
    course = stored(session)["HX-2015-01"]
    token = tokens.create(session, session.get(User, editor.id), "tests")
    session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    body = api.get(f"/api/v1/activities/{course.id}").json
    assert body["historical"] is True and body["status"] == "Ready to Close"
    assert body["legacy"]["reporting_year"] == 2015
    assert body["legacy"]["evaluated_competence"] is True
    assert list(body["blocking"]) == ["Closed"] and body["blocking"]["Closed"] == []
