"""The five-step activity form: one Flask-WTF form per step, labels in PARS's own words.

Choices come from pars.vocab, value rules from pars.core.validation, limits from
pars.activities.record, which questions apply from pars.activities.sections, and the rules
joining one answer to another from pars.activities.steps: the forms parse what a browser
posts and place the messages beside the fields. A step form refuses answers to questions the
other answers do not open.
What the steps share beyond one form (step names, stored answers, row edits) is here too.
"""

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, HiddenField, SelectMultipleField, StringField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from pars.activities import record, steps
from pars.activities import status as activity_status
from pars.activities.sections import Answers, Sections, applicable_sections
from pars.core import validation
from pars.core.fields import VersionField, options
from pars.vocab import TEXT_LIMITS

YES_NO = options([("yes", "Yes"), ("no", "No")])
MAX_ROWS = record.MAX_ROWS


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice ("select all that apply", chips)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ParsedField(StringField):
    """A text input parsed by a pars.core.validation function: its message becomes the field's
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

    step = 0  # 1 to 4: which of pars.activities.steps.STEPS judges and stores this form
    # When the post does not say, the version loaded is claimed (operations.claim_version).
    version = VersionField()
    # Add Activity's one-time key: a double submit of the page makes one activity, not two.
    entry_key = HiddenField(validators=[Length(max=32)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_errors: dict[str, str] = {}
        self.not_asked: list[str] = []  # labels of hidden questions that got answers

    def answers(self, base: Answers) -> Answers:
        """The stored answers with this step's answers laid over them."""
        return steps.answers_with(base, self.data)

    def check_applicable(self, sections: Sections) -> None:
        """Add the errors that depend on which questions apply (pars.activities.steps)."""
        problems, _ = steps.STEPS[self.step - 1]
        for path, message in problems(self.data, sections):
            field = field_at(self, path)
            if message == steps.NOT_ASKED:
                self.not_asked.append(field.label.text if field.label else field.name)
            if isinstance(field, FieldList):
                self.row_errors[path] = message
            else:
                add_error(field, message)

    def values(self, sections: Sections) -> dict:
        """What this step stores, given which questions apply."""
        _, values = steps.STEPS[self.step - 1]
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
    """The length limit of a text field, as pars.activities.record states it."""
    return Length(max=TEXT_LIMITS[name], message=record.too_long(name))


STEP_NAMES = {
    1: "Basics",
    2: "Information for Learners",
    3: "Accreditation Details",
    4: "Collaborations",
    5: "Complete",
}
ROW_GROUPS = set(record.ROW_GROUPS)  # the groups of rows a person adds and removes


def answers_of(activity) -> Answers:
    """The stored answers that open questions on other steps."""
    return Answers(
        format=activity.format,
        delivery_methods=frozenset(row.method for row in activity.delivery_methods),
        repeats=activity.repeats,
        in_cme_passport=activity.in_cme_passport,
        moc=activity.moc,
        mips=activity.mips,
        rems=activity.rems,
        providership=activity.providership,
        commercial_support=activity.commercial_support,
        support_kinds=frozenset(row.kind for row in activity.support_sources),
        commendation=activity.commendation,
        start_date=activity.start_date,
        historical=activity_status.is_historical(activity),
    )


def rows_changed(form, data) -> bool:
    """Apply an "+ Add" (``add=<group>``) or remove (``remove=<group>-<index>``) request to
    the form's rows, or notice a "show my questions" refresh. True when the request was one
    of these, which only re-render the form and save nothing."""
    add, remove = data.get("add", ""), data.get("remove", "")
    if add in ROW_GROUPS and hasattr(form, add):
        rows: FieldList = form[add]
        if len(rows) < rows.max_entries:
            rows.append_entry()
        return True
    group, _, index = remove.rpartition("-")
    if group in ROW_GROUPS and hasattr(form, group) and index.isdigit():
        rows = form[group]
        rows.entries = [e for e in rows.entries if e.name != f"{group}-{index}"]
        return True
    return data.get("action") == "refresh"


def prepare_rows(form, sections) -> None:
    """Open each row group the answers just opened with its first row(s): two occurrences
    for a repeating course (the first with the dates already given), one row elsewhere."""
    if sections.instances and hasattr(form, "instances") and not len(form.instances):
        first = {name: form[name].data for name in steps.PLACE}
        form.instances.append_entry(first)
        form.instances.append_entry()
    for group, is_open in (
        ("joint_providers", sections.joint_providers),
        ("monetary", sections.monetary),
        ("in_kind", sections.in_kind),
        ("moc_registrations", sections.moc_details),
    ):
        if is_open and hasattr(form, group) and not len(form[group]):
            form[group].append_entry()
