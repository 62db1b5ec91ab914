"""Checking and storing imported activities (MEMS XML, legacy tab files) with the rules of the
entry form: each record is laid into the five step forms as a browser would post them, and only
what those forms accept is stored. Records match stored activities on the ACCME Activity ID, then on
the provider's own ID, so importing the same file twice changes nothing.
"""

from datetime import date

from sqlmodel import Session, select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FieldList, FormField, SelectMultipleField
from wtforms.csrf.core import CSRFTokenField

from pars import operations, rules
from pars.activity_forms.accreditation import AccreditationForm
from pars.activity_forms.basics import BasicsForm
from pars.activity_forms.collaborations import CollaborationsForm
from pars.activity_forms.learners import LearnerInformationForm
from pars.formats import mems_read
from pars.models import Activity
from pars.sections import applicable_sections
from pars.upload_rows import RowResult
from pars.wizard import answers_of

STEPS = (BasicsForm, LearnerInformationForm, AccreditationForm, CollaborationsForm)
COUNTS = ("physician_learners", "other_learners")
READ = mems_read.read
ACTIONS = {"add": "new activities", "update": "updated activities",
           "unchanged": "unchanged (already as the file says)"}  # fmt: skip


def posted(form) -> MultiDict:
    """What a browser would post for a form filled from an activity."""
    data = MultiDict()
    for field in form:
        if isinstance(field, CSRFTokenField):
            continue
        if isinstance(field, FieldList):
            for entry in field:
                data.update(posted(entry.form) if isinstance(entry, FormField) else
                            MultiDict([(entry.name, entry._value())]))  # fmt: skip
        elif isinstance(field, SelectMultipleField):
            data.setlist(field.name, list(field.data or []))
        elif isinstance(field, BooleanField):
            if field.data:
                data.add(field.name, "y")
        elif field.data is not None or getattr(field, "raw_text", None):
            value = field._value() if hasattr(field, "_value") else field.data
            data.add(field.name, "" if value is None else str(value))
    return data


def transient(values: dict) -> tuple[Activity, list[tuple[str, str]]]:
    """An unsaved activity holding the record's values; what could not even be read."""
    problems, activity = [], Activity()
    fields = {k: v for k, v in values.items() if k not in ("record_action", "close", *COUNTS)}
    fields["ama_credits"] = number(fields.get("ama_credits"), "AMA credits", problems)
    for board in fields.get("moc_registrations", []):
        board["points"] = number(board["points"], f"{board['board']} points", problems)
        board["claim_date"] = iso_date(board["claim_date"], problems)
    operations.apply_values(activity, fields)
    return activity, problems


def number(text, label: str, problems: list) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        problems.append((label, f"{text} is not a number."))
        return None


def iso_date(text, problems: list) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        problems.append(("MOC claim date", f"{text} is not a date (YYYY-MM-DD)."))
        return None


def through_forms(activity: Activity, *, by_name: bool = False
                  ) -> tuple[list[dict], list[tuple[str, str]]]:  # fmt: skip
    """Each step's stored values, or the errors its form gives, field by field: named by
    step and label (for people), or by the form's field name (``by_name``, for the API)."""
    values, errors = [], []
    for step, form_class in enumerate(STEPS, start=1):
        shown = form_class(formdata=None, meta={"csrf": False})
        shown.load(activity)
        form = form_class(formdata=posted(shown), meta={"csrf": False})
        if form.is_valid(answers_of(activity)):
            values.append(form.values(applicable_sections(form.answers(answers_of(activity)))))
            continue
        for field in form:
            where = field.name if by_name else f"step {step}: {field.label.text}"
            errors += [(where, message) for message in field_errors(field)]
        errors += [(group if by_name else f"step {step}: {group}", message)
                   for group, message in form.row_errors.items()]  # fmt: skip
    return values, errors


def field_errors(field) -> list[str]:
    if isinstance(field, FieldList):
        return [str(m) for entry in field for m in flatten(entry.errors)]
    return [str(m) for m in flatten(field.errors)]


def flatten(errors) -> list:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in flatten(value)]
    if isinstance(errors, list | tuple):
        return [m for value in errors for m in flatten(value)]
    return [errors]


def direct_errors(values: dict) -> list[tuple[str, str]]:
    """Learner totals and the ACCME Activity ID are not on the entry form: checked here, for
    every import format and the API alike."""
    errors = [(name, f"Enter a whole number from 0 to {rules.MAX_LEARNERS:,}.")
              for name in COUNTS if values[name] is not None
              and not 0 <= values[name] <= rules.MAX_LEARNERS]  # fmt: skip
    accme = values.get("accme_activity_id")
    if accme and not (accme.isdigit() and len(accme) <= 9):
        errors.append(("accme_activity_id", "An ACCME Activity ID is up to 9 digits."))
    return errors


class Checker:
    """Checks records one by one, remembering the IDs seen earlier in the file."""

    def __init__(self, session: Session, provider_id: int, *, today: date):
        self.session, self.provider_id, self.today = session, provider_id, today
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, number: int, record: dict) -> RowResult:
        row = RowResult(number, notices=record.get("notices", []))
        if record.get("errors"):
            row.errors = list(record["errors"])
            return row
        values = record["values"]
        activity, row.errors = transient(dict(values))
        steps, errors = through_forms(activity)
        row.errors += errors + direct_errors(values) + self.repeated(number, values)
        existing = self.existing(values, row)
        if not row.errors:
            self.settle(row, activity, existing, steps, values)
        return row

    def repeated(self, number: int, values: dict) -> list[tuple[str, str]]:
        errors = []
        for key in ("accme_activity_id", "internal_id"):
            if values.get(key):
                first = self.seen.setdefault((key, values[key]), number)
                if first != number:
                    errors.append((key, f"Record {first} has the same {key.replace('_', ' ')}."))
        return errors

    def existing(self, values: dict, row: RowResult) -> Activity | None:
        """The stored activity this record updates: same ACCME ID, else same own ID."""
        if values.get("accme_activity_id"):
            found = self.session.exec(select(Activity).where(
                Activity.accme_activity_id == values["accme_activity_id"])).first()  # fmt: skip
            if found is not None and found.provider_id != self.provider_id:
                row.errors.append(("accme_activity_id",
                                   "This ACCME Activity ID belongs to another provider."))
                return None
            if found is not None:
                return found
        if values.get("internal_id"):
            return self.session.exec(select(Activity).where(
                Activity.provider_id == self.provider_id,
                Activity.internal_id == values["internal_id"])).first()  # fmt: skip
        return None

    def settle(self, row, activity, existing, steps, values) -> None:
        counts = {name: values[name] for name in COUNTS}
        counts["accme_activity_id"] = values.get("accme_activity_id")  # given by ACCME, kept
        if existing is not None and existing.closed_at is not None:
            row.errors.append(("activityRecordAction", f"Activity {existing.id} is closed; an "
                                                       "administrator can reopen it."))  # fmt: skip
            return
        for name, value in counts.items():
            setattr(activity, name, value)
        if values["close"] and (refusal := rules.close_refusal(activity, today=self.today)):
            row.errors.append(("closeActivityRecord", refusal))
            return
        row.values = {"steps": steps, "counts": counts, "close": values["close"]}
        row.existing = existing.id if existing else None
        row.activity = existing
        if existing is None:
            row.action = "add"
        else:
            same = through_forms(existing)[0] == steps and all(
                getattr(existing, n) == v for n, v in counts.items())  # fmt: skip
            row.action = "unchanged" if same and not values["close"] else "update"


class Storer:
    """Creates or updates the activities of valid changed records, and closes those marked."""

    def __init__(self, session: Session, *, provider_id: int, today: date, user_id: int):
        self.session, self.provider_id = session, provider_id
        self.today, self.user_id = today, user_id

    def add(self, rows: list[RowResult]) -> None:
        for row in rows:
            activity = (self.session.get(Activity, row.existing) if row.existing
                        else Activity(provider_id=self.provider_id))  # fmt: skip
            for values in row.values["steps"]:
                operations.apply_values(activity, values)
            for name, value in row.values["counts"].items():
                setattr(activity, name, value)
            operations.save_activity(self.session, activity, today=self.today)
            if row.values["close"]:
                operations.close_activity(self.session, activity, user_id=self.user_id,
                                          today=self.today)  # fmt: skip

    def finish(self) -> None:
        """Nothing is left to do once every record is stored."""
