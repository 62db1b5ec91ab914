"""Step 2, Information for Learners: credits, CME Passport, description, listing, programs."""

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from pars.activities.step_forms import YES_NO, CreditsField, StepForm, within
from pars.activities.steps import PROGRAMS, as_yes_no
from pars.core import validation
from pars.core.fields import enum_options
from pars.vocab import Fee, Registration


class LearnerInformationForm(StepForm):
    step = 2
    ama_credits = CreditsField(
        "AMA PRA Category 1 Credits™", description="In quarter steps: 0.25, 0.5, 0.75, 1 ..."
    )
    in_cme_passport = RadioField(
        "Would you like to include your activity on CME Passport?",
        choices=YES_NO,
        validators=[Optional()],
    )
    description = TextAreaField(
        "Provide a description of the activity for learners.",
        description=f"An abstract, outline or objectives; at most "
        f"{validation.DESCRIPTION_MAX:,} characters.",
        validators=[Optional()],
    )
    registration = RadioField(
        "Who can register for this activity?",
        choices=enum_options(Registration),
        validators=[Optional()],
    )
    fee = RadioField(
        "Is there a fee to register for this activity?",
        choices=enum_options(Fee),
        validators=[Optional()],
    )
    url = StringField(
        "Enter the activity URL to view activity details.",
        validators=[Optional(), within("url")],
    )
    moc = RadioField("MOC (Maintenance of Certification)", choices=YES_NO, validators=[Optional()])
    mips = RadioField(
        "MIPS (Merit-based Incentive Payment System)", choices=YES_NO, validators=[Optional()]
    )
    rems = RadioField(
        "REMS (Risk Evaluation and Mitigation Strategy)", choices=YES_NO, validators=[Optional()]
    )

    def load(self, activity) -> None:
        self.ama_credits.data = activity.ama_credits
        self.description.data = activity.description
        self.registration.data, self.fee.data = activity.registration, activity.fee
        self.url.data = activity.url
        self.in_cme_passport.data = as_yes_no(activity.in_cme_passport)
        for name in PROGRAMS:
            self[name].data = as_yes_no(getattr(activity, name))
