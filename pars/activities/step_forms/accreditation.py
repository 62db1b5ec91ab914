"""Step 3, Accreditation Details: internal ID, providership, outcomes, support, commendation."""

from wtforms import FieldList, Form, FormField, RadioField, StringField
from wtforms.validators import Optional

from pars.activities.record import MEASURES
from pars.activities.step_forms import (
    MAX_ROWS,
    YES_NO,
    AmountField,
    MultiCheckboxField,
    StepForm,
    within,
)
from pars.activities.steps import as_yes_no
from pars.core.fields import enum_options, options
from pars.vocab import COMMENDATION_TAGS, Outcome, Providership, SupportKind


class MonetaryForm(Form):
    source = StringField("Support source", validators=[Optional(), within("source")])
    amount = AmountField("Amount (US dollars)")


class InKindForm(Form):
    source = StringField("Support source", validators=[Optional(), within("source")])


class AccreditationForm(StepForm):
    step = 3
    internal_id = StringField(
        "What is the internal ID for this activity?", validators=[Optional(), within("internal_id")]
    )
    accme_activity_id = StringField(
        "ACCME Activity ID",
        validators=[Optional()],
        description="PARS assigns it once the activity is submitted: record it here (9 "
        "digits) so later files and uploads match this activity.",
    )
    providership = RadioField(
        "Is this activity directly or jointly provided?",
        choices=enum_options(Providership),
        validators=[Optional()],
    )
    joint_providers = FieldList(
        StringField("Joint provider name", validators=[Optional(), within("source")]),
        max_entries=MAX_ROWS,
    )
    outcomes = MultiCheckboxField(
        "Which of the following outcomes will be measured? Select at least one.",
        choices=enum_options(Outcome),
    )
    measures = MultiCheckboxField("How is it measured?", choices=options((m, m) for m in MEASURES))
    commercial_support = RadioField(
        "Did this activity receive commercial support?", choices=YES_NO, validators=[Optional()]
    )
    support_kinds = MultiCheckboxField(
        "Choose the commercial support sources that apply", choices=enum_options(SupportKind)
    )
    monetary = FieldList(FormField(MonetaryForm), max_entries=MAX_ROWS)
    in_kind = FieldList(FormField(InKindForm), max_entries=MAX_ROWS)
    commendation = RadioField(
        "Would you like to mark this activity for reference for commendation criteria?",
        choices=YES_NO,
        validators=[Optional()],
    )
    commendation_tags = MultiCheckboxField(
        "Commendation criteria", choices=options((t, t) for t in COMMENDATION_TAGS)
    )

    def load(self, activity) -> None:
        self.internal_id.data = activity.internal_id
        self.accme_activity_id.data = activity.accme_activity_id
        self.providership.data = activity.providership
        for row in sorted(activity.joint_providers, key=lambda r: r.position):
            self.joint_providers.append_entry(row.name)
        self.outcomes.data = [row.outcome for row in activity.outcomes]
        self.measures.data = [
            f"{row.outcome}|{kind}"
            for row in activity.outcomes
            for kind, on in (("Objective", row.objective), ("Subjective", row.subjective))
            if on
        ]
        self.commercial_support.data = as_yes_no(activity.commercial_support)
        sources = sorted(activity.support_sources, key=lambda r: r.position)
        self.support_kinds.data = sorted({row.kind for row in sources})
        for row in sources:
            target = self.monetary if row.kind == SupportKind.MONETARY else self.in_kind
            target.append_entry({"source": row.source, "amount": row.amount})
        self.commendation.data = as_yes_no(activity.commendation)
        self.commendation_tags.data = [row.tag for row in activity.commendation_tags]
