"""Forms of the integrity pages: a person in control of content, the public disclosure form,
staff's relevance decision and mitigation. Choices come from pars.vocab; the disclosure's
rules from pars.integrity.rules."""

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from pars.activities.step_forms import MultiCheckboxField, add_error
from pars.core.fields import enum_options, options
from pars.integrity import rules
from pars.vocab import EXCLUSION_EXCEPTIONS, ContentRole, MitigationKind, RelationshipNature

ROWS = 5  # blank relationship rows on the disclosure form (blank ones are ignored)


class PersonForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the name."), Length(max=200)])
    email = StringField(
        "Email",
        validators=[
            DataRequired("Enter the email address the disclosure request goes to."),
            Email("Enter an email address such as name@example.org."),
            Length(max=254),
        ],
    )
    biography = StringField(
        "One line for the learner disclosure (optional)", validators=[Optional(), Length(max=500)]
    )
    roles = MultiCheckboxField(
        "Roles in this activity",
        choices=enum_options(ContentRole),
        validators=[DataRequired("Choose at least one role.")],
    )

    def person(self) -> dict:
        """The person as operations.add_person takes them."""
        return {
            "name": self.name.data,
            "email": self.email.data,
            "biography": self.biography.data,
            "roles": self.roles.data,
        }


class RelationshipForm(Form):
    company = StringField("Ineligible company", validators=[Optional(), Length(max=200)])
    nature = SelectField(
        "Nature of the relationship",
        default="",
        choices=enum_options(RelationshipNature, "Choose"),
    )
    last_date = DateField("Most recent date of the relationship", validators=[Optional()])
    ended = SelectField(
        "Has it ended?", default="no", choices=options([("no", "No"), ("yes", "Yes")])
    )

    def is_blank(self) -> bool:
        return (
            not (self.company.data or "").strip()
            and not self.nature.data
            and not self.last_date.data
        )


class DisclosureForm(FlaskForm):
    has_none = BooleanField(
        "I have had no financial relationships with ineligible companies in the past 24 months."
    )
    employee_of = StringField(
        "If you own or work for an ineligible company, name it (otherwise leave empty)",
        validators=[Optional(), Length(max=200)],
    )
    relationships = FieldList(FormField(RelationshipForm), min_entries=ROWS, max_entries=ROWS)
    attest = BooleanField(
        "I attest that this disclosure is complete and correct.",
        validators=[DataRequired("Tick the attestation to give your disclosure.")],
    )

    def check(self, *, today: date) -> bool:
        valid = self.validate()
        filled = [e.form for e in self.relationships if not e.form.is_blank()]
        if self.has_none.data and filled:
            add_error(self.has_none, "You listed relationships: untick this, or clear the rows.")
        if not self.has_none.data and not filled:
            add_error(
                self.has_none,
                "List each relationship below, or tick this if you have had none.",
            )
        for row in filled:
            problems = rules.relationship_problems(
                row.company.data or "", row.nature.data or "", row.last_date.data, today=today
            )
            for name, message in problems.items():
                add_error(row[name], message)
        return (
            valid
            and not any(self.has_none.errors)
            and not any(
                row[name].errors for row in filled for name in ("company", "nature", "last_date")
            )
        )

    def rows(self) -> list[dict]:
        return [
            {
                "company": e.form.company.data.strip(),
                "nature": e.form.nature.data,
                "last_date": e.form.last_date.data,
                "ended": e.form.ended.data == "yes",
            }
            for e in self.relationships
            if not e.form.is_blank()
        ]


class RelevanceForm(FlaskForm):
    relevant = RadioField(
        "Relevant to this activity's content?",
        choices=options([("yes", "Relevant"), ("no", "Not relevant")]),
        validators=[DataRequired("Choose relevant or not relevant.")],
    )


class MitigationForm(FlaskForm):
    role = SelectField("For the role", choices=enum_options(ContentRole))
    kind = SelectField("Mitigation", choices=enum_options(MitigationKind))
    note = TextAreaField("Note", validators=[Optional(), Length(max=500)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == MitigationKind.OTHER and not (self.note.data or "").strip():
            self.note.errors = [*self.note.errors, "Say how it was mitigated."]
            return False
        return valid


class SettingsForm(FlaskForm):
    """The provider's integrity settings (administrators)."""

    integrity_since = DateField(
        "Check activities that start on or after",
        validators=[Optional()],
        description="Leave empty to turn the independence checks off. Earlier and historical "
        "activities are exempt.",
    )
    integrity_blocks_closing = BooleanField("An activity cannot close until it is ready")
    reminder_days = StringField(
        "Reminder emails, days before the start",
        default="14, 7",
        validators=[DataRequired("Give the days, such as 14, 7."), Length(max=40)],
    )
    disclosure_valid_months = IntegerField(
        "A disclosure on file stays valid for (months)",
        default=12,
        validators=[
            DataRequired("Give a number of months."),
            NumberRange(1, 36, "From 1 to 36 months."),
        ],
    )

    def validate_reminder_days(self, field) -> None:
        parts = [p.strip() for p in (field.data or "").split(",") if p.strip()]
        if not parts or not all(p.isdigit() and 0 < int(p) <= 365 for p in parts):
            raise ValidationError("Write whole days from 1 to 365, separated by commas (14, 7).")


class AgreementForm(FlaskForm):
    """The written agreement with one commercial supporter."""

    source = StringField("Supporter", validators=[DataRequired(), Length(max=200)])
    agreement = FileField("Signed agreement (PDF)")
    provider_signed_on = DateField("Signed by the provider on", validators=[Optional()])
    supporter_signed_on = DateField("Signed by the supporter on", validators=[Optional()])
    joint_provider_signed_on = DateField(
        "Signed by the joint provider on (if it receives funds)", validators=[Optional()]
    )
    amount_received = IntegerField(
        "Amount received (US dollars)", validators=[Optional(), NumberRange(0, 10**9)]
    )
    amount_spent = IntegerField(
        "Amount spent (US dollars)", validators=[Optional(), NumberRange(0, 10**9)]
    )

    def pdf(self) -> tuple[str | None, bytes | None]:
        """The uploaded PDF (name, bytes), or (None, None); refuses what is not a PDF."""
        upload = self.agreement.data
        if not upload or not getattr(upload, "filename", ""):
            return None, None
        content = upload.read(MAX_AGREEMENT_BYTES + 1)
        if len(content) > MAX_AGREEMENT_BYTES:
            raise ValueError("The agreement is larger than 10 MB.")
        if not content.startswith(b"%PDF-"):
            raise ValueError("Upload the signed agreement as a PDF file.")
        return upload.filename[-200:], content


MAX_AGREEMENT_BYTES = 10 * 1024 * 1024


class ExceptionForm(FlaskForm):
    role = SelectField("Role", choices=enum_options(ContentRole))
    exception = SelectField(
        "Exception that applies", choices=options((e, e) for e in EXCLUSION_EXCEPTIONS)
    )


class CompanyForm(FlaskForm):
    """ACCME's self-assessment of whether a company is ineligible."""

    makes_products = RadioField(
        "Does its primary business produce, market, sell, re-sell or distribute healthcare "
        "products used by or on patients?",
        choices=options([("yes", "Yes"), ("no", "No")]),
        validators=[DataRequired("Answer this question.")],
    )
    advocates = RadioField(
        "Does it advocate for, or is it owned by, such a company?",
        choices=options([("yes", "Yes"), ("no", "No")]),
        validators=[DataRequired("Answer this question.")],
    )
    family_makes = RadioField(
        "Does a parent or sister company do so?",
        choices=options([("yes", "Yes"), ("no", "No")]),
        validators=[DataRequired("Answer this question.")],
    )
