"""Step 2, Information for Learners: credits, CME Passport, description, listing, programs."""

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from pars import validation
from pars.activity_forms import YES_NO, CreditsField, StepForm, add_error, as_yes_no, yes_no
from pars.forms import enum_options
from pars.sections import Answers, Sections
from pars.vocab import Fee, Registration

PROGRAMS = ("moc", "mips", "rems")


class LearnerInformationForm(StepForm):
    ama_credits = CreditsField(
        "AMA PRA Category 1 Credits™", description="In quarter steps: 0.25, 0.5, 0.75, 1 ..."
    )
    in_cme_passport = RadioField(
        "Would you like to include your activity on CME Passport?", choices=YES_NO,
        validators=[Optional()],
    )  # fmt: skip
    description = TextAreaField(
        "Provide a description of the activity for learners.",
        description=f"An abstract, outline or objectives; at most "
        f"{validation.DESCRIPTION_MAX:,} characters.",
        validators=[Optional()],
    )
    registration = RadioField(
        "Who can register for this activity?", choices=enum_options(Registration),
        validators=[Optional()],
    )  # fmt: skip
    fee = RadioField(
        "Is there a fee to register for this activity?", choices=enum_options(Fee),
        validators=[Optional()],
    )  # fmt: skip
    url = StringField(
        "Enter the activity URL to view activity details.",
        validators=[Optional(), Length(max=2000)],
    )
    moc = RadioField("MOC (Maintenance of Certification)", choices=YES_NO,
                     validators=[Optional()])  # fmt: skip
    mips = RadioField("MIPS (Merit-based Incentive Payment System)", choices=YES_NO,
                      validators=[Optional()])  # fmt: skip
    rems = RadioField("REMS (Risk Evaluation and Mitigation Strategy)", choices=YES_NO,
                      validators=[Optional()])  # fmt: skip

    def answers(self, base: Answers) -> Answers:
        return Answers(**{
            **base.__dict__, "in_cme_passport": yes_no(self.in_cme_passport),
            **{name: yes_no(self[name]) for name in PROGRAMS},
        })  # fmt: skip

    def check_applicable(self, sections: Sections) -> None:
        self.refuse_unless(sections.listing, self.registration, self.fee, self.url)
        if self.description.data:
            add_error(self.description, validation.description_error(self.description.data))
        if self.url.data and sections.listing:
            add_error(self.url, validation.url_error(self.url.data))

    def values(self, sections: Sections) -> dict:
        listing = sections.listing
        return {
            "ama_credits": self.ama_credits.data,
            "in_cme_passport": yes_no(self.in_cme_passport),
            "description": (self.description.data or "").strip() or None,
            "registration": (self.registration.data or None) if listing else None,
            "fee": (self.fee.data or None) if listing else None,
            "url": (self.url.data or "").strip() or None if listing else None,
            **{name: yes_no(self[name]) for name in PROGRAMS},
        }

    def load(self, activity) -> None:
        self.ama_credits.data = activity.ama_credits
        self.description.data = activity.description
        self.registration.data, self.fee.data = activity.registration, activity.fee
        self.url.data = activity.url
        self.in_cme_passport.data = as_yes_no(activity.in_cme_passport)
        for name in PROGRAMS:
            self[name].data = as_yes_no(getattr(activity, name))
