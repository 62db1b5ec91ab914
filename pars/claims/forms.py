"""The learner's claim form (identity, attendance, credits, evaluation, permission) and staff's
forms for claim links, session dates, the evaluation bank and the approval setting."""

from datetime import date
from functools import lru_cache

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from pars.activities.step_forms import CreditsField, add_error
from pars.claims import rules
from pars.claims.operations import Submitted
from pars.core.fields import VersionField, enum_options, options
from pars.learners import rules as learner_rules
from pars.learners.forms import state_select
from pars.learners.rules import REMS_FIELDS
from pars.vocab import LIKERT_POINTS, Outcome, QuestionKind, RemsProfession

PERMISSION_CHOICES = [
    ("yes", "Yes, report my participation to ACCME and my certifying board"),
    ("no", "No, do not report it (you still get your certificate)"),
]
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]


def answer_field(question: rules.Question):
    label = question.text
    if question.kind == QuestionKind.TEXT:
        return TextAreaField(label, validators=[Optional()])
    choices = YES_NO_CHOICES if question.kind == QuestionKind.YES_NO else LIKERT_POINTS
    return RadioField(label, choices=options(choices), validate_choice=False)


class ClaimForm(FlaskForm):
    first_name = StringField(
        "First name",
        validators=[DataRequired("Enter your first name."), Length(max=100)],
    )
    last_name = StringField(
        "Last name", validators=[DataRequired("Enter your last name."), Length(max=100)]
    )
    birth_month_day = StringField(
        "Month and day of birth (MM/DD)",
        validators=[DataRequired("Enter the month and day of your birth, such as 09/10.")],
        description="Only the month and day: PARS uses them to tell learners of one name apart.",
    )
    email = StringField(
        "Email (optional)",
        validators=[
            Optional(),
            Length(max=254),
            Email("Enter an email address such as name@example.org.", check_deliverability=False),
        ],
        description="To send you this certificate again later, or all your certificates.",
    )
    state = state_select("State of licensure", validate_choice=False)
    license_number = StringField("License number", validators=[Optional(), Length(max=50)])
    npi = StringField("NPI (10 digits)", validators=[Optional(), Length(max=20)])
    board = SelectField(
        "Certifying board (for MOC)",
        default="",
        choices=options([("", "None")]),
        validate_choice=False,
    )
    board_id = StringField("Board ID", validators=[Optional(), Length(max=50)])
    rems_profession = SelectField(
        "Profession",
        default="",
        choices=enum_options(RemsProfession, "Choose your profession"),
        validate_choice=False,
    )
    attendance_code = StringField("Attendance code", validators=[Optional(), Length(max=40)])
    credits = CreditsField("Credits you claim")
    permission = RadioField(
        "May we report your participation?",
        choices=options(PERMISSION_CHOICES),
        validate_choice=False,
    )
    late = HiddenField()

    def setup(self, activity, link, questions, *, session_date=None, late_pass=None):
        """What this activity asks: its boards, a code in the room, its evaluation."""
        self.activity, self.link, self.questions = activity, link, questions
        self.session_date, self.late_pass = session_date, late_pass
        # A board is offered, and taken, only while the activity is registered for MOC.
        boards = activity.moc_registrations if activity.moc else []
        self.registrations = {row.board: row for row in boards}
        self.board.choices = options(
            [("", "None: I do not claim MOC")] + [(b, b) for b in self.registrations]
        )
        self.asks_code = bool(link.attendance_code) and late_pass is None
        return self

    def blank_key(self) -> tuple | None:
        """What this form's markup is made from while no learner has filled it in (the page
        as a GET shows it), the CSRF token aside: its class (the evaluation's questions), what
        setup chose and the activity's values the page reads. None once it holds anything
        given, an error or a late pass: then it is written out afresh."""
        if self.is_submitted() or self.errors or self.late.data or self.late_pass:
            return None
        return (
            type(self),
            self.asks_code,
            tuple(self.registrations),  # the boards' choices
            bool(self.activity.moc),
            bool(self.activity.rems),
            self.activity.ama_credits,
        )

    def answer_fields(self):
        return [(q, self[f"q{q.id}"]) for q in self.questions]

    def check(self, *, today: date) -> bool:
        """The field rules, then the learner rules staff's form uses, then the claim's own."""
        self.validate()
        add_error(self.birth_month_day, self.birth_month_day_problem())
        if not self.state.data:
            add_error(self.state, "Choose the state where you are licensed.")
        elif learner_rules.state_error(self.state.data):
            add_error(self.state, learner_rules.state_error(self.state.data))
        if self.npi.data:
            add_error(self.npi, learner_rules.npi_error(self.npi.data))
        if not (self.license_number.data or "").strip() and not (self.npi.data or "").strip():
            add_error(self.license_number, "Enter your license number or your NPI.")
        if self.asks_code:
            add_error(self.attendance_code, self.code_problem())
        if not self.credits.errors:
            add_error(
                self.credits, rules.credits_error(self.activity.ama_credits, self.credits.data)
            )
        if self.permission.data not in ("yes", "no"):
            add_error(self.permission, "Answer whether we may report your participation.")
        chosen = self.registrations.get(self.board.data or "")
        if self.board.data and chosen is None:
            add_error(self.board, "Choose one of the boards listed.")
        if chosen is not None and not (self.board_id.data or "").strip():
            add_error(self.board_id, f"Enter your {chosen.board} ID.")
        if self.activity.rems and not self.rems_profession.data:
            add_error(self.rems_profession, "Choose your profession.")
        if self.rems_profession.data and self.rems_profession.data not in {
            p.value for p in RemsProfession
        }:
            add_error(self.rems_profession, "Choose a profession from the list.")
        for question, field in self.answer_fields():
            add_error(field, rules.answer_error(question, field.data))
        day = self.completion_day(today)
        add_error(
            self.credits,
            learner_rules.completion_date_error(self.activity, day, today=today),
        )
        return not any(field.errors for field in self)

    def birth_month_day_problem(self) -> str | None:
        text = (self.birth_month_day.data or "").strip()
        return learner_rules.birth_month_day_error(text) if text else None

    def code_problem(self) -> str | None:
        typed = (self.attendance_code.data or "").strip()
        if not typed:
            return "Enter the attendance code shown in the room."
        if rules.normal_code(typed) != rules.normal_code(self.link.attendance_code):
            return "This is not the attendance code: check it on the slide or ask the staff."
        return None

    def completion_day(self, today: date) -> date:
        return rules.completion_day(
            self.activity.format,
            self.activity.start_date,
            self.activity.end_date,
            self.session_date,
            today=today,
        )

    def submitted(self, *, today: date) -> Submitted:
        board = self.board.data or None
        chosen = self.registrations.get(board or "")
        credits = self.credits.data
        points = credits if chosen is None or chosen.points is None else min(credits, chosen.points)
        values = {
            "first_name": " ".join(self.first_name.data.split()),
            "last_name": " ".join(self.last_name.data.split()),
            "birth_month_day": self.birth_month_day.data.strip(),
            "state": self.state.data,
            "license_number": (self.license_number.data or "").strip() or None,
            "npi": (self.npi.data or "").strip() or None,
            "completion_date": self.completion_day(today),
            "cme_credits": credits,
            "board": board if chosen else None,
            "board_id": (self.board_id.data or "").strip() if chosen else None,
            "board_credits": [(c.credit_type, points) for c in chosen.credit_types]
            if chosen
            else [],
            "report_permission": self.permission.data == "yes",
            **dict.fromkeys(REMS_FIELDS),
        }
        if self.activity.rems:
            values["rems_profession"] = self.rems_profession.data
        return Submitted(
            values=values,
            email=(self.email.data or "").strip() or None,
            answers=[(q, field.data) for q, field in self.answer_fields()],
        )


@lru_cache(maxsize=256)
def form_class(questions: tuple[rules.Question, ...]) -> type[ClaimForm]:
    """The claim form with these evaluation questions (made once per questionnaire)."""

    class ActivityClaimForm(ClaimForm):
        pass

    for question in questions:
        setattr(ActivityClaimForm, f"q{question.id}", answer_field(question))
    return ActivityClaimForm


def claim_form(activity, link, questions, *, session_date=None, late_pass=None, **kwargs):
    """The claim form of this activity: the fixed questions and its evaluation's."""
    form = form_class(tuple(questions))(**kwargs)
    return form.setup(activity, link, questions, session_date=session_date, late_pass=late_pass)


class EmailForm(FlaskForm):
    """A learner asks for a certificate, or every certificate, by email."""

    email = StringField(
        "Your email address",
        validators=[
            DataRequired("Enter the email address you gave when you claimed."),
            Length(max=254),
            Email("Enter an email address such as name@example.org.", check_deliverability=False),
        ],
    )


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET: reading only

    code = StringField(
        "Verification code", validators=[DataRequired("Enter the code printed on the certificate.")]
    )


class LinkForm(FlaskForm):
    """Staff's settings of one claim link: the window and the attendance code."""

    version = VersionField()
    opens_on = DateField("Claims open on", validators=[DataRequired("Enter the opening date.")])
    closes_on = DateField(
        "Claims close after", validators=[DataRequired("Enter the closing date.")]
    )
    attendance_code = StringField(
        "Attendance code", validators=[Optional(), Length(max=12)], filters=[lambda v: v or ""]
    )

    def check(self, *, live: bool) -> bool:
        valid = self.validate()
        add_error(self.closes_on, rules.window_error(self.opens_on.data, self.closes_on.data))
        code = (self.attendance_code.data or "").strip()
        if code:
            add_error(self.attendance_code, rules.attendance_code_error(code))
        elif live:
            add_error(
                self.attendance_code,
                "A live activity needs an attendance code: learners confirm they were there.",
            )
        return valid and not any(f.errors for f in self)


class SessionForm(FlaskForm):
    session_date = DateField("Session date", validators=[DataRequired("Enter the session date.")])
    topic = StringField("Topic (optional)", validators=[Optional(), Length(max=200)])


class LatePassForm(FlaskForm):
    learner = StringField(
        "Learner's name",
        validators=[DataRequired("Name the learner you let in."), Length(max=200)],
    )


class DecisionForm(FlaskForm):
    version = VersionField()
    decision = HiddenField()


class SettingsForm(FlaskForm):
    claims_need_approval = BooleanField("Staff approve each claim before its certificate is issued")


OUTCOME_CHOICES = [("", "Every activity")] + [(o.value, f"Measuring {o.value}") for o in Outcome]


class QuestionForm(FlaskForm):
    text = StringField(
        "Question", validators=[DataRequired("Write the question."), Length(max=300)]
    )
    kind = SelectField("Answered as", choices=enum_options(QuestionKind))
    outcome = SelectField("Asked of", default="", choices=options(OUTCOME_CHOICES))
    moc_only = BooleanField("Only for MOC activities")
