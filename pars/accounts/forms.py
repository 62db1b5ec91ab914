"""Forms of signing in, user management and API tokens; roles come from pars.vocab."""

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    ValidationError,
)

from pars.accounts import tokens
from pars.core.fields import enum_options, options
from pars.vocab import Role


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class InviteUserForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired("Enter the person's email address."), Length(max=254)]
    )
    role = SelectField("Role", choices=enum_options(Role), default=Role.EDITOR.value)

    def validate_email(self, field) -> None:
        if "@" not in field.data or field.data.strip().startswith("@"):
            raise ValidationError("Enter an email address such as name@example.org.")


class ProviderIdForm(FlaskForm):
    accme_provider_id = StringField(
        "ACCME Provider ID",
        validators=[Length(max=20)],
        description="The 7 digits ACCME gave your organization, leading zeros kept (0001234).",
    )

    def validate_accme_provider_id(self, field) -> None:
        field.data = (field.data or "").strip()
        if field.data and not (
            field.data.isascii() and field.data.isdigit() and len(field.data) == 7
        ):
            raise ValidationError("Enter the 7 digits of your ACCME Provider ID, such as 0001234.")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=enum_options(Role))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new = PasswordField(
        "New password", validators=[DataRequired("Enter a new password."), Length(max=200)]
    )
    confirm = PasswordField(
        "New password again", validators=[DataRequired("Repeat the new password.")]
    )

    def validate_confirm(self, field) -> None:
        if field.data != self.new.data:
            raise ValidationError("The two new passwords differ.")


class TokenForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Name the token."), Length(max=100)])
    days = SelectField(
        "Expires after",
        choices=options((days, f"{days} days") for days in tokens.LIFETIMES),
        default=str(tokens.DEFAULT_LIFETIME),
    )
    password = PasswordField(
        "Your password", validators=[DataRequired("Enter your password to make a token.")]
    )
