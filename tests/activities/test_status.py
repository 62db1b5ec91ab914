"""The status engine, rule by rule (domain.md section 3). Pure: no app, no database."""

from datetime import UTC, datetime, timedelta

import pytest

from pars.activities import status as activity_status
from pars.models import (
    Activity,
    DeliveryMethodRow,
    JointProvider,
    MocCreditType,
    MocRegistration,
    SupportSource,
)
from pars.vocab import Status
from tests.factories import TODAY, course

YESTERDAY = TODAY - timedelta(days=1)


def fields_blocking(a: Activity, status: Status) -> list[str]:
    return [b.field for b in activity_status.blocking(a, today=TODAY)[status]]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, Status.ACTIVE),  # ends today: not in the past yet
        ({"end_date": YESTERDAY, "start_date": YESTERDAY}, Status.READY_TO_CLOSE),
        ({"closed_at": datetime(2026, 1, 1, tzinfo=UTC)}, Status.CLOSED),
        ({"title": None}, Status.DRAFT),
        ({"title": ""}, Status.DRAFT),
        ({"format": "Webinar"}, Status.DRAFT),  # not a PARS format
        ({"start_date": None}, Status.DRAFT),
        ({"end_date": TODAY - timedelta(days=2), "start_date": YESTERDAY}, Status.DRAFT),
        ({"delivery_methods": []}, Status.DRAFT),
        ({"city": None}, Status.DRAFT),
        ({"postal_code": None}, Status.ACTIVE),  # PARS asks city, state and country only
        ({"state": None, "country": "CAN"}, Status.ACTIVE),  # state only asked in the US
        ({"state": None}, Status.DRAFT),
        ({"ama_credits": None}, Status.DRAFT),
        ({"in_cme_passport": None}, Status.DRAFT),
        ({"in_cme_passport": True}, Status.DRAFT),  # listed: registration, fee, URL needed
        (
            {
                "in_cme_passport": True,
                "registration": "Open to all",
                "fee": "Variable",
                "url": "https://x.org",
            },
            Status.ACTIVE,
        ),
        ({"moc": True}, Status.DRAFT),
        ({"description": None}, Status.DRAFT),
        ({"providership": None}, Status.DRAFT),
        # Steps beyond 3 and learners do not hold back Active.
        ({"outcomes": [], "commercial_support": None, "physician_learners": None}, Status.ACTIVE),
        # Formats without a location question need no location.
        ({"format": "Journal CME/CE", "delivery_methods": [], "city": None}, Status.ACTIVE),
        (
            {
                "format": "Enduring Material",
                "delivery_methods": [DeliveryMethodRow(method="Online")],
                "city": None,
                "country": None,
            },
            Status.ACTIVE,
        ),
        (
            {"delivery_methods": [DeliveryMethodRow(method="Live-Streamed")], "city": None},
            Status.ACTIVE,
        ),
    ],
)
def test_derive_status(overrides, expected):
    assert activity_status.derive_status(course(**overrides), today=TODAY) is expected


@pytest.mark.parametrize(
    ("overrides", "blocked_field"),
    [
        ({"providership": "Joint"}, "joint_providers"),
        ({"providership": "Joint", "joint_providers": [JointProvider(name="")]}, "joint_providers"),
        ({"outcomes": []}, "outcomes"),
        ({"commercial_support": None}, "commercial_support"),
        ({"commercial_support": True}, "commercial_support"),
        (
            {
                "commercial_support": True,
                "support_sources": [
                    SupportSource(kind="Monetary", source="Pfizer Inc.", amount=None)
                ],
            },
            "commercial_support",
        ),
        ({"physician_learners": None}, "physician_learners"),
        ({"other_learners": None}, "other_learners"),
        (
            {"moc": True, "registration": "Open to all", "fee": "Yes", "url": "https://x.org"},
            "moc_registrations",
        ),
    ],
)
def test_closed_is_blocked_by(overrides, blocked_field):
    ended = course(start_date=YESTERDAY, end_date=YESTERDAY, **overrides)
    assert activity_status.derive_status(ended, today=TODAY) is Status.READY_TO_CLOSE
    assert blocked_field in fields_blocking(ended, Status.CLOSED)
    assert not activity_status.can_close(ended, today=TODAY)


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # zero learners are allowed
        {"providership": "Joint", "joint_providers": [JointProvider(name="Metro Nurses")]},
        {
            "commercial_support": True,
            "support_sources": [
                SupportSource(kind="Monetary", source="Pfizer Inc.", amount=5000),
                SupportSource(kind="In-kind", source="GE HealthCare"),
            ],
        },
        {
            "moc": True,
            "registration": "Open to all",
            "fee": "Yes",
            "url": "https://x.org",
            "moc_attested": True,
            "moc_registrations": [
                MocRegistration(
                    board="ABIM",
                    points=1.0,
                    claim_date=TODAY,
                    credit_types=[MocCreditType(credit_type="Medical Knowledge")],
                )
            ],
        },
    ],
)
def test_can_close_when_complete_and_ended(overrides):
    ended = course(start_date=YESTERDAY, end_date=YESTERDAY, **overrides)
    assert activity_status.blocking(ended, today=TODAY)[Status.CLOSED] == []
    assert activity_status.can_close(ended, today=TODAY)


def test_active_activity_waits_for_its_end_date():
    a = course()
    blocking = activity_status.blocking(a, today=TODAY)
    assert list(blocking) == [Status.READY_TO_CLOSE, Status.CLOSED]
    assert [b.message for b in blocking[Status.READY_TO_CLOSE]] == [
        f"Wait until the end date ({TODAY:%m/%d/%Y}) has passed"
    ]
    assert not activity_status.can_close(a, today=TODAY)


def test_draft_lists_what_blocks_each_later_status_in_form_order():
    draft = course(description=None, ama_credits=None, outcomes=[])
    blocking = activity_status.blocking(draft, today=TODAY)
    assert [b.field for b in blocking[Status.ACTIVE]] == ["ama_credits", "description"]
    assert fields_blocking(draft, Status.CLOSED) == [
        "ama_credits",
        "description",
        "outcomes",
        "end_date",
    ]
    assert blocking[Status.ACTIVE][0].message == "Enter the AMA PRA Category 1 Credits™"


def test_ended_draft_skips_active():
    ended_draft = course(start_date=YESTERDAY, end_date=YESTERDAY, description=None)
    assert list(activity_status.blocking(ended_draft, today=TODAY)) == [
        Status.READY_TO_CLOSE,
        Status.CLOSED,
    ]


def test_missing_end_date_is_reported_once():
    draft = course(end_date=None)
    messages = [b.message for b in activity_status.blocking(draft, today=TODAY)[Status.ACTIVE]]
    assert messages == ["Enter the end date"]


def test_closed_activity_has_nothing_left_to_reach():
    closed = course(closed_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert activity_status.blocking(closed, today=TODAY) == {}


@pytest.mark.parametrize("legacy", [False, True])
@pytest.mark.parametrize("field", ["physician_learners", "other_learners"])
def test_every_requirement_reads_a_learner_total_only_as_entered_or_not(field, legacy):
    """A learner's claim raises a total without working the status out again; that holds
    only while no requirement tells one entered total from another."""
    extra = {"legacy_record": True} if legacy else {}
    totals = [0, 1, 7, 250, 100_000]
    for requirement in activity_status.REQUIREMENTS_BY_NAME.values():
        answers = {
            (
                requirement.applies(course(**extra, **{field: n})),
                requirement.met(course(**extra, **{field: n})),
            )
            for n in totals
        }
        assert len(answers) == 1, requirement.name
    assert not activity_status.status_moves_with_total(3, 250)
    assert activity_status.status_moves_with_total(None, 1)
    assert activity_status.status_moves_with_total(4, None)
