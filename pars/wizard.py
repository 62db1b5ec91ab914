"""What the activity form's steps share beyond one form: step names, stored answers, row edits."""

from wtforms import FieldList

from pars import activity_record, activity_rules
from pars.sections import Answers

STEP_NAMES = {1: "Basics", 2: "Information for Learners", 3: "Accreditation Details",
              4: "Collaborations", 5: "Complete"}  # fmt: skip
ROW_GROUPS = set(activity_record.ROW_GROUPS)  # the groups of rows a person adds and removes


def answers_of(activity) -> Answers:
    """The stored answers that open questions on other steps."""
    return Answers(
        format=activity.format,
        delivery_methods=frozenset(row.method for row in activity.delivery_methods),
        repeats=activity.repeats, in_cme_passport=activity.in_cme_passport,
        moc=activity.moc, mips=activity.mips, rems=activity.rems,
        providership=activity.providership, commercial_support=activity.commercial_support,
        support_kinds=frozenset(row.kind for row in activity.support_sources),
        commendation=activity.commendation,
    )  # fmt: skip


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
        first = {name: form[name].data for name in activity_rules.PLACE}
        form.instances.append_entry(first)
        form.instances.append_entry()
    for group, is_open in (("joint_providers", sections.joint_providers),
                           ("monetary", sections.monetary), ("in_kind", sections.in_kind),
                           ("moc_registrations", sections.moc_details)):  # fmt: skip
        if is_open and hasattr(form, group) and not len(form[group]):
            form[group].append_entry()
