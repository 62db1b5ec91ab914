"""The five-step activity form: one Flask-WTF form per step, labels in PARS's own words.

Choices come from pars.vocab, value rules from pars.validation, and which questions apply from
pars.sections. A step form refuses answers to questions the other answers do not open.
"""

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from pars import validation
from pars.forms import options
from pars.sections import Answers, Sections, applicable_sections

YES_NO = options([("yes", "Yes"), ("no", "No")])
NOT_ASKED = "This question does not apply to the answers above: clear it or change them."
MAX_ROWS = 50  # instances, joint providers, support sources or boards in one activity


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice ("select all that apply", chips)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ParsedField(StringField):
    """A text input parsed by a pars.validation function: its message becomes the field's
    error, ``data`` holds the parsed value, and the typed text is shown back as typed."""

    raw_text: str | None = None

    @staticmethod
    def parse(text: str) -> tuple[object, str | None]:
        return text, None

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw_text:
            self.data, error = self.parse(self.raw_text)
            if error:
                raise ValueError(error)

    def _value(self):
        if self.raw_text is not None:
            return self.raw_text
        return "" if self.data is None else f"{self.data:g}"


class CreditsField(ParsedField):
    parse = staticmethod(validation.parse_credits)


class AmountField(ParsedField):
    parse = staticmethod(validation.parse_amount)


def yes_no(field: Field) -> bool | None:
    return {"yes": True, "no": False}.get(field.data)


def as_yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def add_error(field: Field, error: str | None) -> None:
    if error:
        field.errors = [*field.errors, error]


def answered(field: Field) -> bool:
    if isinstance(field, FieldList):
        return any(answered(sub) for entry in field for sub in getattr(entry, "form", [entry]))
    return field.data not in (None, "", [], False)


class StepForm(FlaskForm):
    """What every step shares: its effect on which questions apply, and the checks that
    depend on them. ``row_errors`` holds messages about a whole group of rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_errors: dict[str, str] = {}
        self.not_asked: list[str] = []  # labels of hidden questions that got answers

    def answers(self, base: Answers) -> Answers:
        """The stored answers with this step's answers laid over them."""
        return base

    def check_applicable(self, sections: Sections) -> None:
        """Add the errors that depend on which questions apply (none by default)."""

    def refuse_unless(self, asked: bool, *fields: Field) -> None:
        """Refuse answers to questions the other answers do not open."""
        if asked:
            return
        for field in fields:
            if not answered(field):
                continue
            self.not_asked.append(field.label.text if field.label else field.name)
            if isinstance(field, FieldList):
                self.row_errors[field.name] = NOT_ASKED
            else:
                add_error(field, NOT_ASKED)

    def is_valid(self, base: Answers) -> bool:
        """Field rules, then the rules that depend on which questions apply."""
        valid = self.validate()
        self.check_applicable(applicable_sections(self.answers(base)))
        return valid and not self.row_errors and not any(self._field_errors())

    def _field_errors(self):
        for field in self:
            if isinstance(field, FieldList):
                yield from (e.errors for e in field if e.errors)
            elif field.errors:
                yield field.errors
