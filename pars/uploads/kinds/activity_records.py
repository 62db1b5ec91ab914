"""Checking and storing imported activities (Excel template, MEMS XML, legacy tab files) with
the rules of the entry form: each record is judged by pars.activities.record, which applies the
entry form's own rules without a form, and only what those rules accept is stored. Records match
stored activities on the ACCME Activity ID, then on the provider's own ID, so importing the same
file twice changes nothing.
"""

import uuid
from collections.abc import Callable
from datetime import date

from sqlmodel import Session
from wtforms.fields.core import UnboundField

from pars.activities import historical, operations, status, store
from pars.activities import record as activity_record
from pars.activities.step_forms.accreditation import AccreditationForm
from pars.activities.step_forms.basics import BasicsForm
from pars.activities.step_forms.collaborations import CollaborationsForm
from pars.activities.step_forms.learners import LearnerInformationForm
from pars.formats import activity_template, legacy_tab, mems_read
from pars.integrity import operations as integrity
from pars.models import Activity, Provider
from pars.uploads.kinds import UploadKind
from pars.uploads.rows import RowResult
from pars.vocab import LEGACY_FIELDS, MAX_LEARNERS

STEP_FORMS = (BasicsForm, LearnerInformationForm, AccreditationForm, CollaborationsForm)
COUNTS = ("physician_learners", "other_learners")
ACTIONS = {
    "add": "new activities",
    "update": "updated activities",
    "unchanged": "unchanged (already as the file says)",
    "delete": "deleted activities",
}
# The API's names for the form's groups of rows and checkboxes.
API_NAMES = {
    "instances": "repeat_instances",
    "repeats": "repeat_instances",
    "monetary": "support_sources",
    "in_kind": "support_sources",
    "support_kinds": "support_sources",
    "measures": "outcomes",
}


def checked(
    values: dict, *, by_name: bool = False, columns: Callable[[str], str | None] | None = None
) -> tuple[list[dict], list[tuple[str, str]]]:
    """Each step's stored values, and the problems the entry form's rules find, named by
    the file's own column or element (``columns``, where it has one), else by step and label
    (for people) or by the API's field name (``by_name``)."""
    steps, problems = activity_record.check(values)
    name = api_name if by_name else label_of
    return steps, [
        ((columns and columns(path)) or name(path), message) for path, message in problems
    ]


def api_name(path: str) -> str:
    top = path.partition("-")[0]
    return API_NAMES.get(top, top)


def label_of(path: str) -> str:
    """ "step 3: Monetary row 1: Amount (US dollars)" for "monetary-0-amount"."""
    name, _, rest = path.partition("-")
    found = [
        (step, unbound)
        for step, form_class in enumerate(STEP_FORMS, start=1)
        if isinstance(unbound := getattr(form_class, name, None), UnboundField)
    ]
    if not found:
        return path
    step, unbound = found[0]
    label = text_of(unbound, name)
    if rest:
        index, _, sub = rest.partition("-")
        label += f" row {int(index) + 1}"
        if sub:  # FieldList(FormField(RowForm)): the row form's own label
            label += ": " + text_of(getattr(unbound.args[0].args[0], sub), sub)
    return f"step {step}: {label}"


def text_of(unbound: UnboundField, name: str) -> str:
    label = unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else None)
    return label if isinstance(label, str) else name.replace("_", " ").capitalize()


def direct_errors(values: dict) -> list[tuple[str, str]]:
    """Learner totals and the ACCME Activity ID are not on the entry form: checked here, for
    every import format and the API alike."""
    errors = [
        (name, f"Enter a whole number from 0 to {MAX_LEARNERS:,}.")
        for name in COUNTS
        if values[name] is not None and not 0 <= values[name] <= MAX_LEARNERS
    ]
    key = values.get("record_key")
    if key and not is_uuid(key):
        errors.append(("record_key", "A record key is a UUID, as this system writes it."))
    return errors


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


class Checker:
    """Checks records one by one, remembering the IDs seen earlier in the file; a problem is
    named by the file's column or element where ``column_of`` (the format's) has one."""

    column_of: Callable[[str], str | None] | None = None

    def __init__(self, session: Session, provider_id: int, *, today: date):
        self.session, self.provider_id, self.today = session, provider_id, today
        self.seen: dict[tuple[str, str], int] = {}
        self.known = store.KnownIds(session, provider_id)
        self.before: dict[int, dict] = {}  # the stored values of this batch's matches
        self.own_accme_id = session.get(Provider, provider_id).accme_provider_id

    def prepare(self, records: list[dict]) -> None:
        """Read the stored activities a batch of records matches, in a few queries."""
        ids = {self.match(r["values"])[0] for r in records if "values" in r} - {None}
        self.before = store.stored_values(self.session, ids)

    def check(self, number: int, record: dict) -> RowResult:
        row = RowResult(number, notices=record.get("notices", []))
        if record.get("errors"):
            row.errors = list(record["errors"])
            return row
        values = record["values"]
        if values.get("legacy_record"):
            row.notices += historical.migrate(values, today=self.today)
        row.errors = self.provider_errors(values) + self.repeated(number, values)
        existing_id, problem = self.match(values)
        row.errors += [problem] if problem else []
        if values.get("record_action") == "Delete":
            if not row.errors:
                self.settle_delete(row, existing_id)
            return self.named(row)
        steps, problems = checked(values, columns=type(self).column_of)
        row.errors += problems + direct_errors(values)
        if not row.errors:
            self.settle(row, steps, existing_id, values)
        return self.named(row)

    def named(self, row: RowResult) -> RowResult:
        """Problems found outside the entry form's rules, named by the file's column too."""
        name_of = type(self).column_of
        if name_of:
            row.errors = [(name_of(column) or column, message) for column, message in row.errors]
        return row

    def provider_errors(self, values: dict) -> list[tuple[str, str]]:
        """A file made for another ACCME provider is not this provider's to import."""
        given = values.get("provider_accme_id")
        if given and self.own_accme_id and given != self.own_accme_id:
            return [
                (
                    "ProviderID",
                    f"This record is for ACCME provider {given}; yours is {self.own_accme_id}.",
                )
            ]
        return []

    def repeated(self, number: int, values: dict) -> list[tuple[str, str]]:
        errors = []
        for key in ("accme_activity_id", "internal_id", "record_key"):
            if values.get(key):
                first = self.seen.setdefault((key, values[key]), number)
                if first != number:
                    errors.append((key, f"Record {first} has the same {key.replace('_', ' ')}."))
        return errors

    def match(self, values: dict) -> tuple[int | None, tuple[str, str] | None]:
        """The id of the provider's stored activity this record updates (same ACCME ID, else
        same own ID, else the same record key this system wrote), and what forbids it: an own
        ID that another of its activities holds."""
        found = self.known.accme.get(values.get("accme_activity_id"))
        holder = self.known.internal.get(values.get("internal_id"))
        if found is not None and holder not in (None, found):
            return found, ("internal_id", f"Activity {holder} already has this internal ID.")
        for candidate in (found, holder, self.known.record_key.get(values.get("record_key"))):
            if candidate is not None:
                return candidate, None
        return None, None

    def settle_delete(self, row: RowResult, existing_id: int | None) -> None:
        """activityRecordAction Delete: the matched activity goes, where the rules allow."""
        if existing_id is None:
            row.errors.append(
                ("activityRecordAction", "Delete: no activity of yours has this record's IDs.")
            )
            return
        activity = self.session.get(Activity, existing_id)
        if refusal := operations.delete_refusal(self.session, activity):
            row.errors.append(("activityRecordAction", f"Delete: {refusal}"))
            return
        row.action, row.existing = "delete", existing_id

    def settle(
        self, row: RowResult, steps: list[dict], existing_id: int | None, values: dict
    ) -> None:
        counts = {name: values[name] for name in COUNTS}
        counts["accme_activity_id"] = values.get("accme_activity_id")  # given by ACCME, kept
        before = self.stored(existing_id)
        # What a legacy record holds beyond the form: the record's, else what is stored (a
        # file of another kind says nothing of it), else none.
        for name in LEGACY_FIELDS:
            kept = (
                before[name] if before is not None else (False if name == "legacy_record" else None)
            )
            counts[name] = values[name] if name in values else kept
        stored = store.merged(steps, counts)
        if before is None:
            stored["record_key"] = values.get("record_key")  # kept, so it matches next time
        same = before is not None and self.same_as_stored(before, stored)
        if before is not None and before["closed_at"] is not None:
            if same and values["close"] is not False:
                row.action, row.existing = "unchanged", existing_id
                return
            change = "changes it" if not same else "marks it open"
            row.errors.append(
                (
                    "activityRecordAction",
                    f"Activity {existing_id} is closed and this record {change}; "
                    "an administrator can reopen it.",
                )
            )
            return
        if values["close"] and (refusal := self.close_refusal(stored, existing_id)):
            row.errors.append(("closeActivityRecord", refusal))
            return
        row.values = {"stored": stored, "close": values["close"]}
        row.existing = existing_id
        if before is None:
            row.action = "add"
        else:
            row.action = "unchanged" if same and not values["close"] else "update"

    def close_refusal(self, stored: dict, existing_id: int | None) -> str | None:
        """Why the record cannot close: the status rules, then, where the provider made the
        independence checks block closing, what they still need."""
        draft = store.stand_in(stored)
        draft.id, draft.provider_id = existing_id, self.provider_id
        return status.close_refusal(draft, today=self.today) or integrity.close_refusal(
            self.session, draft, today=self.today
        )

    @staticmethod
    def same_as_stored(before: dict, stored: dict) -> bool:
        counts = {name: before[name] for name in (*COUNTS, "accme_activity_id", *LEGACY_FIELDS)}
        ours = store.merged(checked(before)[0], counts)
        return ours == {k: v for k, v in stored.items() if k != "record_key"}

    def stored(self, activity_id: int | None) -> dict | None:
        if activity_id is None:
            return None
        if activity_id not in self.before:  # a record checked without prepare()
            self.before |= store.stored_values(self.session, {activity_id})
        return self.before.get(activity_id)


class Storer:
    """Creates the activities of new records in bulk, updates the changed ones, and closes
    those marked."""

    def __init__(self, session: Session, *, provider_id: int, today: date, user_id: int):
        self.session, self.provider_id = session, provider_id
        self.today, self.user_id = today, user_id

    def add(self, rows: list[RowResult]) -> None:
        new = [
            {"values": row.values["stored"], "close": row.values["close"]}
            for row in rows
            if not row.existing
        ]
        store.insert_new(self.session, self.provider_id, new, user_id=self.user_id)
        for row in rows:
            if row.action == "delete":
                self.delete(row)
            elif row.existing:
                self.update(row)

    def delete(self, row: RowResult) -> None:
        activity = self.session.get(Activity, row.existing)
        operations.claim_version(self.session, activity)
        operations.delete_activity(self.session, activity)  # refuses what the rules keep

    def update(self, row: RowResult) -> None:
        activity = self.session.get(Activity, row.existing)
        operations.claim_version(self.session, activity)  # before any change is flushed
        operations.apply_values(activity, row.values["stored"])
        operations.save_activity(self.session, activity)
        if row.values["close"]:
            operations.close_activity(
                self.session, activity, user_id=self.user_id, today=self.today
            )

    def finish(self) -> None:
        """Nothing is left to do once every record is stored."""


class TemplateChecker(Checker):
    column_of = staticmethod(activity_template.column_of)


class MemsChecker(Checker):
    column_of = staticmethod(mems_read.element_of)


class TabChecker(Checker):
    column_of = staticmethod(legacy_tab.field_of)


# One checker and storer for every file of activity records, whatever reads it.
TEMPLATE_CME = UploadKind(
    "activities",
    "Activities (CME)",
    activity_template.HEADERS["cme"],
    activity_template.read,
    TemplateChecker,
    Storer,
    ACTIONS,
    (activity_template.EARLIER["cme"],),
)
TEMPLATE_MOC = UploadKind(
    "activities_moc",
    "Activities (CME+MOC)",
    activity_template.HEADERS["moc"],
    activity_template.read,
    TemplateChecker,
    Storer,
    ACTIONS,
    (activity_template.EARLIER["moc"],),
)
MEMS_XML = UploadKind(
    "activities_xml", "MEMS activity XML", (), mems_read.read, MemsChecker, Storer, ACTIONS
)
LEGACY_TAB = UploadKind(
    "activities_tab",
    "Legacy tab-delimited activities",
    (),
    legacy_tab.read,
    TabChecker,
    Storer,
    ACTIONS,
)
