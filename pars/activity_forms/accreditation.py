"""Step 3, Accreditation Details: internal ID, providership, outcomes, support, commendation."""

from wtforms import FieldList, Form, FormField, RadioField, StringField
from wtforms.validators import Length, Optional

from pars.activity_forms import (
    MAX_ROWS,
    YES_NO,
    AmountField,
    MultiCheckboxField,
    StepForm,
    add_error,
    as_yes_no,
    yes_no,
)
from pars.forms import enum_options, options
from pars.sections import Answers, Sections
from pars.vocab import COMMENDATION_TAGS, MeasurementType, Outcome, Providership, SupportKind

MEASURES = [f"{o.value}|{m.value}" for o in Outcome for m in MeasurementType]


class MonetaryForm(Form):
    source = StringField("Support source", validators=[Optional(), Length(max=200)])
    amount = AmountField("Amount (US dollars)")


class InKindForm(Form):
    source = StringField("Support source", validators=[Optional(), Length(max=200)])


class AccreditationForm(StepForm):
    internal_id = StringField("What is the internal ID for this activity?",
                              validators=[Optional(), Length(max=50)])  # fmt: skip
    providership = RadioField(
        "Is this activity directly or jointly provided?", choices=enum_options(Providership),
        validators=[Optional()],
    )  # fmt: skip
    joint_providers = FieldList(
        StringField("Joint provider name", validators=[Optional(), Length(max=200)]),
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
        choices=YES_NO, validators=[Optional()],
    )  # fmt: skip
    commendation_tags = MultiCheckboxField(
        "Commendation criteria", choices=options((t, t) for t in COMMENDATION_TAGS)
    )

    def answers(self, base: Answers) -> Answers:
        return Answers(**{
            **base.__dict__, "providership": self.providership.data or None,
            "commercial_support": yes_no(self.commercial_support),
            "support_kinds": frozenset(self.support_kinds.data or ()),
            "commendation": yes_no(self.commendation),
        })  # fmt: skip

    def check_applicable(self, sections: Sections) -> None:
        self.refuse_unless(sections.joint_providers, self.joint_providers)
        self.refuse_unless(sections.support_kinds, self.support_kinds)
        self.refuse_unless(sections.monetary, self.monetary)
        self.refuse_unless(sections.in_kind, self.in_kind)
        self.refuse_unless(sections.commendation_tags, self.commendation_tags)
        self.check_measures()
        for entry in self.monetary if sections.monetary else ():
            if entry.form.amount.data and not entry.form.source.data:
                add_error(entry.form.source, "Name the source of this amount.")

    def check_measures(self) -> None:
        """Each outcome chosen is measured objectively and/or subjectively, and only chosen
        outcomes have measurement types."""
        chosen = set(self.outcomes.data or ())
        measured = {m.split("|")[0] for m in self.measures.data or ()}
        for outcome in sorted(measured - chosen):
            add_error(self.measures, f"{outcome} has a measurement type but is not selected.")
        for outcome in sorted(chosen - measured):
            add_error(self.measures, f"Choose Objective and/or Subjective for {outcome}.")

    def values(self, sections: Sections) -> dict:
        measures = set(self.measures.data or ())
        sources = []
        if sections.monetary:
            sources += [{"kind": SupportKind.MONETARY.value, "source": e.form.source.data.strip(),
                         "amount": e.form.amount.data}
                        for e in self.monetary if (e.form.source.data or "").strip()]  # fmt: skip
        if sections.in_kind:
            sources += [{"kind": SupportKind.IN_KIND.value, "source": e.form.source.data.strip(),
                         "amount": None}
                        for e in self.in_kind if (e.form.source.data or "").strip()]  # fmt: skip
        return {
            "internal_id": (self.internal_id.data or "").strip() or None,
            "providership": self.providership.data or None,
            "joint_providers": [n.strip() for n in self.joint_providers.data if (n or "").strip()]
            if sections.joint_providers else [],
            "outcomes": [(o, f"{o}|Objective" in measures, f"{o}|Subjective" in measures)
                         for o in self.outcomes.data or ()],
            "commercial_support": yes_no(self.commercial_support),
            "support_sources": sources,
            "commendation": yes_no(self.commendation),
            "commendation_tags": list(self.commendation_tags.data or ())
            if sections.commendation_tags else [],
        }  # fmt: skip

    def load(self, activity) -> None:
        self.internal_id.data = activity.internal_id
        self.providership.data = activity.providership
        for row in sorted(activity.joint_providers, key=lambda r: r.position):
            self.joint_providers.append_entry(row.name)
        self.outcomes.data = [row.outcome for row in activity.outcomes]
        self.measures.data = [f"{row.outcome}|{kind}" for row in activity.outcomes
                              for kind, on in (("Objective", row.objective),
                                               ("Subjective", row.subjective)) if on]  # fmt: skip
        self.commercial_support.data = as_yes_no(activity.commercial_support)
        sources = sorted(activity.support_sources, key=lambda r: r.position)
        self.support_kinds.data = sorted({row.kind for row in sources})
        for row in sources:
            target = self.monetary if row.kind == SupportKind.MONETARY else self.in_kind
            target.append_entry({"source": row.source, "amount": row.amount})
        self.commendation.data = as_yes_no(activity.commendation)
        self.commendation_tags.data = [row.tag for row in activity.commendation_tags]
