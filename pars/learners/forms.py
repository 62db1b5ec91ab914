"""The form that adds one learner completion to an activity (the "Add Individual Learners" page)."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from pars.activities.step_forms import CreditsField, add_error
from pars.core.fields import LongListSelect, enum_options, options
from pars.learners import rules as learner_rules
from pars.learners.rules import REMS_FIELDS
from pars.vocab import (
    US_STATES,
    DeaRegistration,
    ParsResult,
    RemsPracticeArea,
    RemsProfession,
    TimeInPractice,
)


class BoardPointsForm(Form):
    """Points of one credit type the activity is registered for with the chosen board."""

    credit_type = HiddenField()
    points = CreditsField("Points")


PERMISSION_CHOICES = [("", "Not recorded"), ("yes", "Yes, the learner agreed"), ("no", "No")]
PERMISSION = {"": None, "yes": True, "no": False}
YES_NO = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]
STATE_CHOICES = [("", "Choose a state")] + [(c, f"{c} - {n}") for c, n in US_STATES.items()]


def state_select(label: str, **options_) -> SelectField:
    """A choice of US state (the form checks it with learner_rules.state_error)."""
    return SelectField(
        label, default="", choices=options(STATE_CHOICES), widget=LongListSelect(), **options_
    )


class LearnerForm(FlaskForm):
    first_name = StringField(
        "First name", validators=[DataRequired("Enter the first name."), Length(max=100)]
    )
    last_name = StringField(
        "Last name", validators=[DataRequired("Enter the last name."), Length(max=100)]
    )
    birth_month_day = StringField(
        "Month and day of birth (MM/DD)", validators=[DataRequired("Enter MM/DD of birth.")]
    )
    state = state_select("State of licensure")
    license_number = StringField("License number", validators=[Optional(), Length(max=50)])
    npi = StringField("NPI", validators=[Optional()])
    completion_date = DateField(
        "Completion date", validators=[DataRequired("Enter the completion date.")]
    )
    cme_credits = CreditsField("CME credits claimed")
    board = SelectField("Certifying board (for MOC)", default="", choices=options([("", "None")]))
    board_id = StringField("Board ID", validators=[Optional(), Length(max=50)])
    board_points = FieldList(FormField(BoardPointsForm))
    report_permission = SelectField(
        "Permission to report to PARS",
        default="",
        choices=options(PERMISSION_CHOICES),
        description="ACCME requires the learner's permission; a completion with No is left "
        "out of the learner report.",
    )
    rems_profession = SelectField(
        "Profession", default="", choices=enum_options(RemsProfession, "Choose a profession")
    )
    rems_practice_state = state_select("State of primary practice")
    rems_dea_registration = SelectField(
        "DEA registration", default="", choices=enum_options(DeaRegistration, "Not recorded")
    )
    rems_practice_area = SelectField(
        "Practice area", default="", choices=enum_options(RemsPracticeArea, "Not recorded")
    )
    rems_surgical = SelectField("Performs surgical procedures", default="", choices=options(YES_NO))
    rems_time_in_practice = SelectField(
        "Time in practice", default="", choices=enum_options(TimeInPractice, "Not recorded")
    )

    def for_activity(self, activity) -> "LearnerForm":
        """Offer only the boards the activity is registered with, and their credit types."""
        self.activity = activity
        self.registrations = {row.board: row for row in activity.moc_registrations}
        self.board.choices = options([("", "None")] + [(b, b) for b in self.registrations])
        chosen = self.registrations.get(self.board.data)
        typed = {e.form.credit_type.data: e.form.points for e in self.board_points}
        self.board_points.entries = []
        for credit in chosen.credit_types if chosen else ():
            self.board_points.append_entry({"credit_type": credit.credit_type})
            if credit.credit_type in typed:  # keep what was typed, and its parse error
                self.board_points.entries[-1].form.points = typed[credit.credit_type]
        return self

    def check(self, activity, *, today: date) -> bool:
        """The completion rules of domain.md section 4, after the field rules."""
        valid = self.validate()
        if self.birth_month_day.data:
            add_error(
                self.birth_month_day, learner_rules.birth_month_day_error(self.birth_month_day.data)
            )
        if self.state.data:
            add_error(self.state, learner_rules.state_error(self.state.data))
        if self.npi.data:
            add_error(self.npi, learner_rules.npi_error(self.npi.data))
        if self.completion_date.data:
            add_error(
                self.completion_date,
                learner_rules.completion_date_error(
                    activity, self.completion_date.data, today=today
                ),
            )
        if self.cme_credits.data is not None:
            add_error(
                self.cme_credits, learner_rules.cme_credits_error(activity, self.cme_credits.data)
            )
        self.check_rems(activity)
        chosen = self.registrations.get(self.board.data)
        if chosen is not None:
            if not (self.board_id.data or "").strip():
                add_error(self.board_id, f"Enter the learner's {chosen.board} ID.")
            for entry in self.board_points:
                if entry.form.points.data is not None:
                    add_error(
                        entry.form.points,
                        learner_rules.board_points_error(chosen.points, entry.form.points.data),
                    )
        return (
            valid
            and not any(self.errors.values())
            and not any(e.form.points.errors for e in self.board_points)
        )

    def check_rems(self, activity) -> None:
        """A REMS activity's learner needs a profession; another activity takes none of the
        REMS details (the API could send them: say so rather than drop them)."""
        if activity.rems:
            if not self.rems_profession.data:
                add_error(
                    self.rems_profession,
                    "Choose the learner's profession: PARS asks it of every REMS learner.",
                )
            return
        for name in REMS_FIELDS:
            if self[name].data:
                add_error(self[name], "Only a REMS activity's learners have REMS details.")

    def rems_values(self, activity) -> dict:
        if not activity.rems:
            return dict.fromkeys(REMS_FIELDS)
        found = {name: self[name].data or None for name in REMS_FIELDS}
        found["rems_surgical"] = PERMISSION.get(self.rems_surgical.data or "")
        return found

    def values(self) -> dict:
        board = self.board.data or None
        return {
            "first_name": self.first_name.data.strip(),
            "last_name": self.last_name.data.strip(),
            "birth_month_day": self.birth_month_day.data.strip(),
            "state": self.state.data or None,
            "license_number": (self.license_number.data or "").strip() or None,
            "npi": (self.npi.data or "").strip() or None,
            "completion_date": self.completion_date.data,
            "cme_credits": self.cme_credits.data,
            "board": board,
            "board_id": (self.board_id.data or "").strip() or None if board else None,
            "board_credits": [
                (e.form.credit_type.data, e.form.points.data)
                for e in self.board_points
                if board and e.form.points.data
            ],
            "report_permission": PERMISSION.get(self.report_permission.data or ""),
            **self.rems_values(self.activity),
        }


class ParsResultForm(FlaskForm):
    """PARS's answer about a reported completion, recorded by the provider."""

    pars_result = SelectField(
        "PARS answer",
        default="",
        choices=options([("", "Not reported yet")] + [(r.value, r.value) for r in ParsResult]),
    )
    pars_reason = StringField("Reason given by PARS", validators=[Optional(), Length(max=500)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        rejected = self.pars_result.data == ParsResult.REJECTED
        if rejected and not (self.pars_reason.data or "").strip():
            self.pars_reason.errors = ["Give the reason PARS gave for the rejection."]
            return False
        return valid


class PrevalidationForm(FlaskForm):
    learners = TextAreaField(
        "Learners to check, one per line",
        validators=[DataRequired("Paste at least one learner."), Length(max=1_000_000)],
    )
