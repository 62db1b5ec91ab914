"""One activity record judged without a form (pars.activities.record), as the importers and the
API judge it; bulk storing of new activities (pars.activities.store)."""

from copy import deepcopy
from datetime import timedelta

import pytest
from sqlmodel import select

from pars.activities import record as activity_record
from pars.activities import status, store
from pars.activities.steps import NOT_ASKED
from pars.models import Activity, AuditEntry
from pars.uploads import pipeline
from tests.factories import TODAY, full_activity

START = TODAY + timedelta(days=20)
COURSE = {
    "title": "Cardiology Update",
    "format": "Live Course",
    "delivery_methods": ["In-Person"],
    "repeats": None,
    "start_date": START,
    "end_date": START,
    "country": "USA",
    "city": "Chicago",
    "state": "IL",
    "postal_code": "60611",
    "repeat_instances": [],
    "ama_credits": "1.5",
    "in_cme_passport": False,
    "description": "About the heart.",
    "registration": None,
    "fee": None,
    "url": None,
    "moc": False,
    "mips": False,
    "rems": False,
    "internal_id": "C-1",
    "providership": "Joint",
    "joint_providers": ["Lakeshore Society"],
    "outcomes": [("Learner Competence", True, False)],
    "commercial_support": True,
    "support_sources": [
        {"kind": "Monetary", "source": "Acme", "amount": 500},
        {"kind": "In-kind", "source": "Beta", "amount": None},
    ],
    "commendation": False,
    "commendation_tags": [],
    "moc_registrations": [],
    "moc_attested": None,
    "mips_attested": None,
    "rems_type": None,
}


def course(**changes) -> dict:
    return deepcopy(COURSE) | changes


def problems_of(values: dict) -> list[tuple[str, str]]:
    return activity_record.check(values)[1]


def test_a_complete_course_passes_and_stores_what_the_form_would():
    steps, problems = activity_record.check(course())
    assert problems == []
    stored = store.merged(steps, {})
    assert stored["ama_credits"] == 1.5 and stored["delivery_methods"] == ["In-Person"]
    assert stored["support_sources"][0] == {"kind": "Monetary", "source": "Acme", "amount": 500}
    assert stored["outcomes"] == [("Learner Competence", True, False)]


BOARD = {
    "board": "ABIM",
    "points": "1",
    "claim_date": None,
    "credit_types": [],
    "practice_areas": [],
}


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"title": " "}, "title", "Enter the activity title."),
        ({"title": "x" * 501}, "title", "Keep it to 500 characters."),
        ({"format": "Podcast"}, "format", "Podcast is not a valid choice."),
        ({"delivery_methods": ["Print/Other"]}, "delivery_methods", "does not take place"),
        ({"format": "Journal CME/CE"}, "delivery_methods", NOT_ASKED),
        ({"format": "Journal CME/CE", "delivery_methods": []}, "city", NOT_ASKED),
        ({"postal_code": "ABC"}, "postal_code", "Enter a US ZIP code"),
        ({"state": "Ontario"}, "state", "Choose a US state from the list."),
        ({"end_date": START - timedelta(days=1)}, "end_date", "same as or after the start"),
        ({"ama_credits": "0.3"}, "ama_credits", "quarter steps"),
        ({"ama_credits": "many"}, "ama_credits", "Enter the credits as a number"),
        ({"registration": "Open to all"}, "registration", NOT_ASKED),
        ({"in_cme_passport": True, "url": "cme.example.org"}, "url", "full web address"),
        ({"outcomes": [("Learner Competence", False, False)]}, "measures", "Choose Objective"),
        ({"outcomes": [("Wisdom", True, False)]}, "outcomes", "Wisdom is not a valid choice."),
        (
            {"support_sources": [{"kind": "Monetary", "source": "", "amount": 5}]},
            "monetary-0-source",
            "Name the source of this amount.",
        ),
        (
            {"support_sources": [{"kind": "Monetary", "source": "Acme", "amount": 0}]},
            "monetary-0-amount",
            "greater than 0",
        ),
        ({"commercial_support": False}, "support_kinds", NOT_ASKED),
        ({"providership": "Direct"}, "joint_providers", NOT_ASKED),
        ({"joint_providers": ["x" * 201]}, "joint_providers-0", "Keep it to 200 characters."),
        ({"joint_providers": ["A"] * 51}, "joint_providers", "At most 50 rows."),
        ({"commendation_tags": ["Engages Patients/Public"]}, "commendation_tags", NOT_ASKED),
        ({"moc_registrations": [BOARD]}, "moc_registrations", NOT_ASKED),
        (
            {"moc": True, "moc_registrations": [BOARD, BOARD]},
            "moc_registrations",
            "List each board once.",
        ),
        (
            {"moc": True, "moc_registrations": [BOARD | {"credit_types": ["Self-Assessment"]}]},
            "moc_registrations-0-credit_types",
            "ABIM does not award Self-Assessment.",
        ),
        (
            {"moc": True, "moc_registrations": [BOARD | {"claim_date": "soon"}]},
            "moc_registrations-0-claim_date",
            "soon is not a date",
        ),
        ({"repeats": True}, "instances", "at least two"),
        (
            {
                "format": "Enduring Material",
                "delivery_methods": ["Online"],
                "end_date": START + timedelta(days=4 * 365),
            },
            "end_date",
            "at most 3 years",
        ),
    ],
)
def test_each_rule_names_the_field_at_fault(changes, path, message):
    found = problems_of(course(**changes))
    assert any(p == path and message in m for p, m in found), found


def test_a_repeating_course_keeps_its_other_occurrences():
    later = {
        "start_date": START + timedelta(days=7),
        "end_date": START + timedelta(days=7),
        "country": "USA",
        "city": "Boston",
        "state": "MA",
        "postal_code": "02115",
    }
    steps, problems = activity_record.check(course(repeats=True, repeat_instances=[later]))
    assert problems == []
    stored = store.merged(steps, {})
    assert stored["city"] == "Chicago" and stored["repeat_instances"] == [later]


def test_a_stored_activity_read_back_passes_unchanged(editor, make_activity):
    activity = full_activity(make_activity, editor.provider_id)
    values = store.values_of(activity)
    steps, problems = activity_record.check(values)
    assert problems == []
    stored = store.merged(steps, {})
    assert {k: values[k] for k in stored} == stored


def test_bulk_inserted_activities_have_status_rows_and_history(editor, session):
    records = [
        {
            "values": store.merged(
                activity_record.check(course())[0],
                {"physician_learners": 10, "other_learners": 0, "accme_activity_id": None},
            ),
            "close": False,
        }
    ]
    [new_id] = store.insert_new(session, editor.provider_id, records, user_id=editor.id)
    session.commit()
    stored = session.get(Activity, new_id)
    # The stand-in the rules read gave what the stored activity itself gives.
    assert stored.stage == status.stored_stage(stored) == "Active"
    assert stored.next_blockers == status.next_blockers_to_store(stored)
    assert [r.method for r in stored.delivery_methods] == ["In-Person"]
    assert sorted(s.source for s in stored.support_sources) == ["Acme", "Beta"]
    assert stored.ama_credits == 1.5 and stored.version == 1
    history = session.exec(select(AuditEntry).where(AuditEntry.activity_id == new_id)).all()
    assert [(h.action, h.new_value) for h in history] == [("created", "Cardiology Update")]


def test_an_own_id_held_by_another_activity_is_refused_on_an_update(editor, make_activity, session):
    make_activity(editor.provider_id, internal_id="A-1", accme_activity_id="123456789")
    make_activity(editor.provider_id, internal_id="B-1")
    checker = pipeline.KINDS["activities_xml"].checker(session, editor.provider_id, today=TODAY)
    values = course(
        internal_id="B-1",
        accme_activity_id="123456789",
        physician_learners=None,
        other_learners=None,
        close=False,
    )
    row = checker.check(1, {"values": values})
    # Named by the file's element: this is the MEMS checker.
    problem = (
        "lom/general/identifier (Provider Activity ID)",
        "Activity 2 already has this internal ID.",
    )
    assert problem in row.errors


def test_a_new_record_marked_closed_is_stored_closed_by_the_importer(editor, session):
    past = TODAY - timedelta(days=30)
    values = course(
        start_date=past,
        end_date=past,
        physician_learners=12,
        other_learners=0,
        accme_activity_id=None,
        close=True,
    )
    checker = pipeline.KINDS["activities_xml"].checker(session, editor.provider_id, today=TODAY)
    row = checker.check(1, {"values": values})
    assert row.errors == [] and row.action == "add"
    storer = pipeline.KINDS["activities_xml"].storer(
        session, provider_id=editor.provider_id, today=TODAY, user_id=editor.id
    )
    storer.add([row])
    session.commit()
    stored = session.exec(select(Activity)).one()
    assert stored.stage == "Closed" and stored.closed_by_id == editor.id
    history = session.exec(select(AuditEntry.field).where(AuditEntry.activity_id == stored.id))
    assert sorted(history) == ["closed_at", "title"]
