"""Step 4, Collaborations: the details of the MOC, MIPS and REMS registrations of step 2."""

from wtforms import BooleanField, DateField, FieldList, Form, FormField, RadioField, SelectField
from wtforms.validators import Optional

from pars.activities.record import ALL_CREDIT_TYPES
from pars.activities.step_forms import MAX_ROWS, CreditsField, MultiCheckboxField, StepForm
from pars.core.fields import enum_options, options
from pars.vocab import MOC_BOARD_NAMES, PRACTICE_AREAS, MocBoard, RemsType


class MocBoardForm(Form):
    """One board the activity is registered with for MOC."""

    board = SelectField(
        "Board",
        default="",
        choices=options(
            [("", "Choose a board")]
            + [(b.value, f"{b.value}: {MOC_BOARD_NAMES[b]}") for b in MocBoard]
        ),
    )
    points = CreditsField("MOC points")
    credit_types = MultiCheckboxField(
        "Credit types", choices=options((t, t) for t in ALL_CREDIT_TYPES)
    )
    practice_areas = MultiCheckboxField(
        "Practice areas", choices=options((a, a) for a in PRACTICE_AREAS)
    )
    claim_date = DateField("Date by which learners must claim credit", validators=[Optional()])


class CollaborationsForm(StepForm):
    step = 4
    moc_registrations = FieldList(FormField(MocBoardForm), max_entries=MAX_ROWS)
    moc_attested = BooleanField(
        "I attest that this activity meets the MOC requirements of each board above."
    )
    mips_attested = BooleanField(
        "I confirm that this activity meets the MIPS improvement-activity criteria."
    )
    rems_type = RadioField(
        "Which REMS is this activity for?", choices=enum_options(RemsType), validators=[Optional()]
    )

    def load(self, activity) -> None:
        for row in activity.moc_registrations:
            self.moc_registrations.append_entry(
                {
                    "board": row.board,
                    "points": row.points,
                    "claim_date": row.claim_date,
                    "credit_types": [c.credit_type for c in row.credit_types],
                    "practice_areas": [p.practice_area for p in row.practice_areas],
                }
            )
        self.moc_attested.data = bool(activity.moc_attested)
        self.mips_attested.data = bool(activity.mips_attested)
        self.rems_type.data = activity.rems_type
