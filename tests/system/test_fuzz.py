"""Hostile input, generated: hypothesis posts arbitrary text, numbers, dates and choice values
to every form of every route (and arbitrary query strings to every page), as an admin, and
checks that nothing answers 5xx and that nothing invalid was stored.

`make soak` runs the same with many more examples (HYPOTHESIS_PROFILE=soak).
"""

import os
from datetime import date, timedelta
from itertools import chain
from urllib.parse import parse_qsl

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select
from wtforms import Form
from wtforms.fields.core import UnboundField

import pars.activities.step_forms.accreditation
import pars.activities.step_forms.basics
import pars.activities.step_forms.collaborations
import pars.activities.step_forms.learners
import pars.annual.forms
import pars.core.fields
import pars.learners.forms  # noqa: F401 (imported for their form classes)
from pars import vocab
from pars.activities import status
from pars.core import validation
from pars.learners import rules as learner_rules
from pars.models import Activity, AnnualReport, Contact, LearnerCompletion, Upload, User
from pars.vocab import MAX_LEARNERS, Role
from tests.factories import TODAY, routes, url_for_test

settings.register_profile(
    "default",
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "soak",
    parent=settings.get_profile("default"),
    derandomize=False,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 20_000)),
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
# Routes that end the fuzzer's own session rather than test input handling.
SKIPPED = {"auth.logout"}


def form_classes(base=(FlaskForm, Form)) -> set[type]:
    found, todo = set(), list(base)
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("pars.") and sub not in found:
                found.add(sub)
            todo.append(sub)
    return found


FIELD_NAMES = sorted(
    {
        name
        for cls in form_classes()
        for name in dir(cls)
        if isinstance(getattr(cls, name, None), UnboundField)
    }
)
PREFIXES = [
    "",
    "new-",
    "contact-1-",
    "user-2-",
    "instances-0-",
    "monetary-0-",
    "in_kind-0-",
    "joint_providers-0-",
    "moc_registrations-0-",
    "board_points-0-",
]
CHOICES = sorted(
    {
        str(member.value)
        for enum in vars(vocab).values()
        if isinstance(enum, type) and issubclass(enum, vocab.StrEnum)
        for member in enum
    }
)

values = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(CHOICES),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(lambda d: f"{d:%m/%d/%Y}"),
    st.sampled_from(
        [
            "",
            " ",
            "y",
            "yes",
            "on",
            "0",
            "-1",
            "02/29",
            "13/45",
            "1234567893",
            "<script>alert(1)</script>",
            "'; DROP TABLE activity; --",
            "x" * 5000,
            "=cmd|' /C calc'!A0",
            "\x00",
            "NaN",
            "1e309",
            "0.25",
            "99999999999",
        ]
    ),
)
names = st.builds(lambda p, n: p + n, st.sampled_from(PREFIXES), st.sampled_from(FIELD_NAMES))
forms = st.dictionaries(st.one_of(names, st.text(max_size=10)), values, max_size=12)


@pytest.fixture
def world(app, client, make_user, login, make_activity, session):
    """An admin signed in, with one of each object a route can name."""
    admin = make_user("admin@example.org", role=Role.ADMIN)
    other = make_user("ed@example.org", role=Role.EDITOR)
    past = TODAY - timedelta(days=20)
    activity = make_activity(
        admin.provider_id,
        start_date=past,
        end_date=past + timedelta(5),
        moc=True,
        accme_activity_id="202400123",
    )
    contact = Contact(
        provider_id=admin.provider_id, role="CEO", name="Dana", email="dana@example.org"
    )
    upload = Upload(
        provider_id=admin.provider_id,
        user_id=admin.id,
        kind="learners",
        filename="x.xlsx",
        data=b"not a workbook",
    )
    session.add_all([contact, upload])
    session.commit()
    login("admin@example.org")
    ids = dict(
        activity_id=activity.id,
        learner_id=1,
        upload_id=upload.id,
        contact_id=contact.id,
        user_id=other.id,
    )
    return [
        (endpoint, method, url_for_test(app, endpoint, **ids))
        for endpoint, method in routes(app)
        if endpoint not in SKIPPED
    ]


@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_no_input_makes_a_5xx_or_stores_an_invalid_value(client, session, world, data):
    endpoint, method, url = data.draw(st.sampled_from(world), label="route")
    form = data.draw(forms, label="form")
    headers = data.draw(st.sampled_from([{}, {"HX-Request": "true"}]), label="headers")
    if method == "GET":
        path, _, query = url.partition("?")
        fixed = dict(parse_qsl(query))  # the route's own object stays; the rest is fuzz
        response = client.get(path, query_string=form | fixed, headers=headers)
    else:
        response = client.open(url, method=method, data=form, headers=headers)
    assert response.status_code < 500, (endpoint, method, form, response.status_code)
    assert_stored_values_valid(session)


def assert_stored_values_valid(session) -> None:
    """What the rules allow, checked on every stored row the forms can reach."""
    session.expire_all()
    for activity in session.exec(select(Activity)):
        credits = activity.ama_credits
        assert credits is None or validation.parse_credits(str(credits))[1] is None, credits
        assert activity.title is None or len(activity.title) <= 500
        if activity.start_date and activity.end_date and activity.stage != "Draft":
            assert activity.start_date <= activity.end_date
        for count in (activity.physician_learners, activity.other_learners):
            assert count is None or 0 <= count <= MAX_LEARNERS
        assert activity.stage == status.stored_stage(activity).value
    for completion in session.exec(select(LearnerCompletion)):
        assert learner_rules.birth_month_day_error(completion.birth_month_day) is None
        assert completion.npi is None or learner_rules.npi_error(completion.npi) is None
        assert completion.first_name.strip() and completion.last_name.strip()
    for report in session.exec(select(AnnualReport)):
        amounts = (
            report.advertising_income,
            report.registration_fees,
            report.government_grants,
            report.private_donations,
        )
        assert all(a is None or a >= 0 for a in amounts)
        assert report.year <= TODAY.year
    for person in chain(session.exec(select(Contact)), session.exec(select(User))):
        assert "@" in person.email and person.email.strip() == person.email
    assert {u.role for u in session.exec(select(User))} <= {r.value for r in Role}
