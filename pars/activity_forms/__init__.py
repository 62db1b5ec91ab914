"""The five-step activity form: one Flask-WTF form per step, labels in PARS's own words.

Choices come from pars.vocab, value rules from pars.validation, limits from
pars.activity_record, which questions apply from pars.sections, and the rules joining one answer
to another from pars.activity_rules: the forms parse what a browser posts and place the messages
beside the fields. A step form refuses answers to questions the other answers do not open.
"""

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, SelectMultipleField, StringField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from pars import activity_record, activity_rules, validation
from pars.forms import options
from pars.sections import Answers, Sections, applicable_sections

YES_NO = options([("yes", "Yes"), ("no", "No")])
MAX_ROWS = activity_record.MAX_ROWS


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


def add_error(field: Field, error: str | None) -> None:
    if error:
        field.errors = [*field.errors, error]


def field_at(form, path: str) -> Field:
    """The field a rule's path names: "name", "group-2" or "group-2-name" (rows by position)."""
    name, _, rest = path.partition("-")
    field = form[name]
    if not rest:
        return field
    index, _, sub = rest.partition("-")
    entry = field.entries[int(index)]
    return entry.form[sub] if sub else entry


class StepForm(FlaskForm):
    """What every step shares: its effect on which questions apply, and the checks that
    depend on them. ``row_errors`` holds messages about a whole group of rows."""

    step = 0  # 1 to 4: which of pars.activity_rules.STEPS judges and stores this form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_errors: dict[str, str] = {}
        self.not_asked: list[str] = []  # labels of hidden questions that got answers

    def answers(self, base: Answers) -> Answers:
        """The stored answers with this step's answers laid over them."""
        return activity_rules.answers_with(base, self.data)

    def check_applicable(self, sections: Sections) -> None:
        """Add the errors that depend on which questions apply (pars.activity_rules)."""
        problems, _ = activity_rules.STEPS[self.step - 1]
        for path, message in problems(self.data, sections):
            field = field_at(self, path)
            if message == activity_rules.NOT_ASKED:
                self.not_asked.append(field.label.text if field.label else field.name)
            if isinstance(field, FieldList):
                self.row_errors[path] = message
            else:
                add_error(field, message)

    def values(self, sections: Sections) -> dict:
        """What this step stores, given which questions apply."""
        _, values = activity_rules.STEPS[self.step - 1]
        return values(self.data, sections)

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


def within(name: str) -> Length:
    """The length limit of a text field, as pars.activity_record states it."""
    return Length(max=activity_record.LIMITS[name], message=activity_record.too_long(name))
