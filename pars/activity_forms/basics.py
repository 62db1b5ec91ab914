"""Step 1, Basics: title, format, where, repeats, dates and location."""

from wtforms import DateField, FieldList, Form, FormField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from pars import validation
from pars.activity_forms import (
    MAX_ROWS,
    YES_NO,
    MultiCheckboxField,
    StepForm,
    add_error,
    as_yes_no,
    yes_no,
)
from pars.forms import enum_options, options
from pars.sections import Answers, Sections
from pars.vocab import (
    COUNTRIES,
    DELIVERY_BY_FORMAT,
    UNITED_STATES,
    US_STATES,
    ActivityFormat,
    DeliveryMethod,
)

LOCATION_FIELDS = ("country", "city", "state", "postal_code")


class LocationFields:
    """Country, city, state/province and ZIP: the activity's own, or one instance's."""

    country = SelectField(
        "Country", choices=options([("", "Choose a country")] + list(COUNTRIES.items())),
        default="",
    )  # fmt: skip
    city = StringField("City", validators=[Optional(), Length(max=100)])
    state = StringField("State/province", validators=[Optional(), Length(max=100)])
    postal_code = StringField("ZIP/postal code", validators=[Optional(), Length(max=20)])

    def check_location(self) -> None:
        """ZIP must fit the country; in the United States the state is a US state."""
        if self.postal_code.data:
            add_error(
                self.postal_code,
                validation.postal_code_error(self.country.data, self.postal_code.data),
            )
        if self.country.data == UNITED_STATES and self.state.data not in ("", None, *US_STATES):
            add_error(self.state, "Choose a US state from the list.")


class InstanceForm(LocationFields, Form):
    """One occurrence of a repeating live course."""

    start_date = DateField("Start date", validators=[Optional()])
    end_date = DateField("End date", validators=[Optional()])


class BasicsForm(LocationFields, StepForm):
    title = StringField(
        "What's the name of the activity?",
        validators=[DataRequired("Enter the activity title."), Length(max=500)],
    )
    format = SelectField(
        "What is the activity format?", choices=enum_options(ActivityFormat, "Choose a format"),
        default="",
    )  # fmt: skip
    delivery_methods = MultiCheckboxField(
        "Where does the activity take place? Select all that apply.",
        choices=enum_options(DeliveryMethod),
    )
    repeats = RadioField(
        "Does this activity occur more than once with the same content?", choices=YES_NO,
        validators=[Optional()],
    )  # fmt: skip
    start_date = DateField("Start date", validators=[Optional()])
    end_date = DateField("End date", validators=[Optional()])
    instances = FieldList(FormField(InstanceForm), min_entries=0, max_entries=MAX_ROWS)

    def answers(self, base: Answers) -> Answers:
        return Answers(**{
            **base.__dict__, "format": self.format.data or None,
            "delivery_methods": frozenset(self.delivery_methods.data or ()),
            "repeats": yes_no(self.repeats),
        })  # fmt: skip

    def check_applicable(self, sections: Sections) -> None:
        fmt = self.format.data
        offered = {m.value for m in DELIVERY_BY_FORMAT.get(fmt, ())} if fmt else set()
        wrong = sorted(set(self.delivery_methods.data or ()) - offered)
        if wrong and sections.delivery:
            add_error(self.delivery_methods, f"A {fmt} does not take place {', '.join(wrong)}.")
        self.refuse_unless(sections.delivery, self.delivery_methods)
        self.refuse_unless(sections.repeat_question, self.repeats)
        self.refuse_unless(sections.location, *(self[name] for name in LOCATION_FIELDS))
        self.refuse_unless(sections.instances, self.instances)
        self.refuse_unless(sections.dates, self.start_date, self.end_date)
        if sections.dates:
            add_error(self.end_date, validation.date_range_error(
                fmt, self.start_date.data, self.end_date.data))  # fmt: skip
        if sections.location:
            self.check_location()
        if sections.instances:
            self.check_instances(fmt, in_person=sections.instance_location)

    def check_instances(self, fmt: str | None, *, in_person: bool) -> None:
        if len(self.instances) < 2:
            self.row_errors["instances"] = "Add a row for each occurrence: at least two."
        for entry in self.instances:
            row = entry.form
            add_error(row.end_date, validation.date_range_error(
                fmt, row.start_date.data, row.end_date.data))  # fmt: skip
            if in_person:
                row.check_location()
            else:
                self.refuse_unless(False, *(row[name] for name in LOCATION_FIELDS))

    def values(self, sections: Sections) -> dict:
        """What this step stores: the first occurrence is the activity's own dates and place,
        the others wait as repeat instances until the activity is completed."""
        occurrences = [self._occurrence(e.form, sections.instance_location)
                       for e in self.instances] if sections.instances else []  # fmt: skip
        own = occurrences[0] if occurrences else self._occurrence(self, sections.location)
        return {
            "title": self.title.data.strip(), "format": self.format.data or None,
            "delivery_methods": list(self.delivery_methods.data or ()) if sections.delivery
            else [],
            "repeats": yes_no(self.repeats) if sections.repeat_question else None,
            **own, "repeat_instances": occurrences[1:],
        }  # fmt: skip

    @staticmethod
    def _occurrence(form, with_location: bool) -> dict:
        place = {name: (form[name].data or "").strip() or None if with_location else None
                 for name in LOCATION_FIELDS}  # fmt: skip
        return {"start_date": form.start_date.data, "end_date": form.end_date.data, **place}

    def load(self, activity) -> None:
        """Fill the form from a stored activity (for GET)."""
        for name in ("title", "format", "start_date", "end_date", *LOCATION_FIELDS):
            self[name].data = getattr(activity, name)
        self.format.data = activity.format or ""
        self.country.data = activity.country or ""
        self.delivery_methods.data = [row.method for row in activity.delivery_methods]
        self.repeats.data = as_yes_no(activity.repeats)
        occurrences = [activity, *sorted(activity.repeat_instances, key=lambda r: r.position)]
        if activity.repeats:
            for occurrence in occurrences:
                self.instances.append_entry({
                    name: getattr(occurrence, name)
                    for name in ("start_date", "end_date", *LOCATION_FIELDS)
                })  # fmt: skip
                self.instances[-1].form.country.data = occurrence.country or ""
