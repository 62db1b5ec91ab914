"""Step 1, Basics: title, format, where, repeats, dates and location."""

from wtforms import DateField, FieldList, Form, FormField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from pars.activities.step_forms import MAX_ROWS, YES_NO, MultiCheckboxField, StepForm, within
from pars.activities.steps import LOCATION_FIELDS, PLACE, as_yes_no
from pars.core.fields import enum_options, options
from pars.vocab import COUNTRIES, ActivityFormat, DeliveryMethod


class LocationFields:
    """Country, city, state/province and ZIP: the activity's own, or one instance's."""

    country = SelectField(
        "Country",
        choices=options([("", "Choose a country")] + list(COUNTRIES.items())),
        default="",
    )
    city = StringField("City", validators=[Optional(), within("city")])
    state = StringField("State/province", validators=[Optional(), within("state")])
    postal_code = StringField("ZIP/postal code", validators=[Optional(), within("postal_code")])


class InstanceForm(LocationFields, Form):
    """One occurrence of a repeating live course."""

    start_date = DateField("Start date", validators=[Optional()])
    end_date = DateField("End date", validators=[Optional()])


class BasicsForm(LocationFields, StepForm):
    step = 1
    title = StringField(
        "What's the name of the activity?",
        validators=[DataRequired("Enter the activity title."), within("title")],
    )
    format = RadioField(
        "What is the activity format?",
        choices=enum_options(ActivityFormat),
        validators=[Optional()],
    )
    delivery_methods = MultiCheckboxField(
        "Where does the activity take place? Select all that apply.",
        choices=enum_options(DeliveryMethod),
    )
    repeats = RadioField(
        "Does this activity occur more than once with the same content?",
        choices=YES_NO,
        validators=[Optional()],
    )
    start_date = DateField("Start date", validators=[Optional()])
    end_date = DateField("End date", validators=[Optional()])
    instances = FieldList(FormField(InstanceForm), min_entries=0, max_entries=MAX_ROWS)

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
                self.instances.append_entry({name: getattr(occurrence, name) for name in PLACE})
                self.instances[-1].form.country.data = occurrence.country or ""
