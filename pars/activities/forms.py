"""Forms of the activity list, the Update Learners dialog, bulk selection and the public
catalog; choices come from pars.vocab, limits from pars.activities.status."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from pars.activities import catalog, queries
from pars.core import validation
from pars.core.fields import VersionField, enum_options, options
from pars.models import MAX_ID
from pars.vocab import LEGACY_FLAGS, MAX_LEARNERS, US_STATES, ActivityFormat, Status

STATUS_FILTERS = options([("", "All statuses"), (queries.NOT_CLOSED, "Not closed")]) + enum_options(
    Status
)


YES_NO_ANY = options([("", "Any"), ("yes", "Yes"), ("no", "No")])


class ActivityFilterForm(FlaskForm):
    """The list page's query string: search, filters, sort and paging (GET, so no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Optional(), Length(max=200)])
    status = SelectField("Status", choices=STATUS_FILTERS, default="")
    format = SelectField("Format", choices=enum_options(ActivityFormat, "All formats"), default="")
    year = SelectField("Year", choices=options([("", "All years")]), validate_choice=False)
    moc = SelectField("MOC", choices=YES_NO_ANY, default="")
    sort = SelectField(
        "Sort by",
        choices=options((key, label) for key, (label, _) in queries.SORTS.items()),
        default="recent",
    )
    per_page = SelectField(
        "Show", choices=options((n, f"{n} Per Page") for n in queries.PAGE_SIZES), default="10"
    )
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(1, 10**6)])

    def with_years(self, years: list[int]) -> "ActivityFilterForm":
        self.year.choices = options([("", "All years")] + [(y, y) for y in years])
        return self

    def markup_key(self) -> tuple:
        """What the filters' markup is made from: each field's value and the years offered
        (a form with errors never reaches the page: it is a 400)."""
        shown = (self.q, self.status, self.format, self.year, self.moc, self.sort, self.per_page)
        years = tuple(choice.value for choice in self.year.choices)
        return tuple((field.name, field.data) for field in shown), years

    def validate_year(self, field) -> None:
        # Any plausible year is allowed even when no activity falls in it yet.
        if field.data and not (field.data.isdigit() and 1990 <= int(field.data) <= 2100):
            raise ValidationError("Choose a year between 1990 and 2100.")

    def activity_filter(self) -> queries.ActivityFilter:
        moc = {"yes": True, "no": False}.get(self.moc.data)
        year = int(self.year.data) if self.year.data else None
        return queries.ActivityFilter(
            q=(self.q.data or "").strip(),
            status=self.status.data,
            format=self.format.data,
            year=year,
            moc=moc,
        )


COUNT_MESSAGE = f"Enter a whole number from 0 to {MAX_LEARNERS:,}."


COUNT_RULES = [
    InputRequired(COUNT_MESSAGE),
    NumberRange(0, MAX_LEARNERS, COUNT_MESSAGE),
]


class WholeNumberField(IntegerField):
    """An integer field whose parse error says what to enter instead of 'Not a valid integer'."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError:
                self.data = None
                raise ValueError(COUNT_MESSAGE) from None


class LearnerCountsForm(FlaskForm):
    physician_learners = WholeNumberField("Total physician learners to date", COUNT_RULES)
    other_learners = WholeNumberField("Total other learners to date", COUNT_RULES)
    version = VersionField(validators=[DataRequired()])


YES_NO_BLANK = options([("", "Not answered"), ("yes", "Yes"), ("no", "No")])
FLAG = {"": None, "yes": True, "no": False}


class LegacyDetailsForm(FlaskForm):
    """What a legacy record held beyond the new model, which the legacy model of a historical
    activity needs to close (domain.md section 3): reporting year, hours, the six flags."""

    reporting_year = IntegerField(
        "Reporting year",
        validators=[Optional(), NumberRange(1900, 2100, "Enter a year, such as 2015.")],
    )
    hours_of_instruction = DecimalField(
        "Hours of instruction",
        places=None,
        validators=[Optional(), NumberRange(0, 10_000, "Enter the hours, from 0 to 10,000.")],
    )
    designed_competence = SelectField(LEGACY_FLAGS["designed_competence"], choices=YES_NO_BLANK)
    evaluated_competence = SelectField(LEGACY_FLAGS["evaluated_competence"], choices=YES_NO_BLANK)
    designed_performance = SelectField(LEGACY_FLAGS["designed_performance"], choices=YES_NO_BLANK)
    evaluated_performance = SelectField(LEGACY_FLAGS["evaluated_performance"], choices=YES_NO_BLANK)
    designed_patient_outcomes = SelectField(
        LEGACY_FLAGS["designed_patient_outcomes"], choices=YES_NO_BLANK
    )
    evaluated_patient_outcomes = SelectField(
        LEGACY_FLAGS["evaluated_patient_outcomes"], choices=YES_NO_BLANK
    )
    version = VersionField(validators=[DataRequired()])

    @classmethod
    def of(cls, activity, **kwargs) -> "LegacyDetailsForm":
        flags = {
            name: {True: "yes", False: "no"}.get(getattr(activity, name), "")
            for name in LEGACY_FLAGS
        }
        return cls(
            reporting_year=activity.reporting_year,
            hours_of_instruction=activity.hours_of_instruction,
            version=activity.version,
            **flags,
            **kwargs,
        )

    def values(self) -> dict:
        hours = self.hours_of_instruction.data
        return {
            "reporting_year": self.reporting_year.data,
            "hours_of_instruction": float(hours) if hours is not None else None,
            **{name: FLAG[self[name].data or ""] for name in LEGACY_FLAGS},
        }


class SelectionForm(FlaskForm):
    """Activities ticked in the list (Select All and bulk actions)."""

    ids = SelectMultipleField("Selected activities", coerce=int, validate_choice=False)

    def validate_ids(self, field) -> None:
        if not field.data:
            raise ValidationError("Select at least one activity first.")
        if not all(1 <= activity_id <= MAX_ID for activity_id in field.data):
            raise ValidationError("An activity number is out of range.")
        if len(field.data) > 1000:
            raise ValidationError("Select at most 1,000 activities at a time.")


class CatalogFilterForm(FlaskForm):
    """The public catalog's query string (GET: no CSRF, no login)."""

    class Meta:
        csrf = False

    provider = IntegerField("Provider", validators=[Optional(), NumberRange(1, MAX_ID)])
    q = SearchField("Title contains", validators=[Optional(), Length(max=200)])
    format = SelectField("Format", choices=enum_options(ActivityFormat, "Any format"), default="")
    starts_from = DateField("Starts on or after", validators=[Optional()])
    starts_until = DateField("Starts on or before", validators=[Optional()])
    state = SelectField(
        "State", choices=options([("", "Any state")] + list(US_STATES.items())), default=""
    )
    min_credits = StringField("At least this many credits", validators=[Optional(), Length(max=20)])
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1, max=10**6)])

    def validate_min_credits(self, field) -> None:
        if field.data and (error := validation.parse_credits(field.data)[1]):
            raise ValidationError(error)

    def catalog_filter(self) -> catalog.CatalogFilter:
        text = (self.min_credits.data or "").strip()
        credits = validation.parse_credits(text)[0] if text else None
        return catalog.CatalogFilter(
            q=(self.q.data or "").strip(),
            format=self.format.data or "",
            starts_from=self.starts_from.data,
            starts_until=self.starts_until.data,
            state=self.state.data or "",
            min_credits=credits,
        )
