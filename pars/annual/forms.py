"""Forms of the Annual Reporting page; amounts and roles come from pars.annual.rules and
pars.vocab."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from pars.annual import rules
from pars.core.fields import enum_options
from pars.vocab import ContactRole


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for a button that does one thing (accept, close all, confirm)."""


class ProgramSummaryForm(FlaskForm):
    """The four amounts; annual_data.parse_summary reads them (blank is allowed in a draft)."""


for _name, _label in rules.SUMMARY_AMOUNTS.items():
    setattr(ProgramSummaryForm, _name, StringField(f"{_label} ($)"))


class ContactForm(FlaskForm):
    role = SelectField("Role", choices=enum_options(ContactRole))
    name = StringField("Name", [DataRequired("Enter the contact's name."), Length(max=200)])
    title = StringField("Title", [Optional(), Length(max=200)])
    email = EmailField(
        "Email",
        [
            DataRequired("Enter an email address."),
            Length(max=254),
            Email("Enter an email address such as name@example.org."),
        ],
    )
    phone = StringField(
        "Phone",
        [
            Optional(),
            Length(max=40),
            Regexp(r"^[0-9+()./ x-]{7,40}$", message="Enter a phone number such as 312-555-0100."),
        ],
    )


class DeadlineForm(FlaskForm):
    own_deadline = StringField(
        "Our accreditor's deadline (MM/DD of the next year)", [Optional(), Length(max=5)]
    )

    def validate_own_deadline(self, field) -> None:
        if field.data and (error := rules.deadline_error(field.data)):
            raise ValidationError(error)
