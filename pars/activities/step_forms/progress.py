"""How far a step of the entry form is from done, from the status engine's own requirements:
which questions of the step an activity needs before it leaves Draft (marked with an asterisk),
which of them are still open in what the form holds now ("Saves as a Draft: 2 questions still
open"), and, editing a Draft, which steps still have gaps. One rule set, so the marks, the
button and the step bar never disagree with the status the activity gets."""

from pars.activities import status, store
from pars.activities.sections import Sections
from pars.vocab import Status


def stand_in(activity, form, sections: Sections):
    """The activity as it would be with this step's answers as the form holds them."""
    values = store.values_of(activity) | form.values(sections)
    closed_at = values.pop("closed_at", None)
    values.pop("id", None)
    return store.stand_in(values, closed_at=closed_at)


def needed(activity) -> tuple[status.Requirement, ...]:
    """What the activity needs before it leaves Draft (the legacy model for a historical one)."""
    return status.requirements_for(activity, Status.ACTIVE)


def required_fields(draft, step: int) -> set[str]:
    """The fields of ``step`` the activity needs to leave Draft, as its answers stand."""
    return {r.field for r in needed(draft) if r.step == step and r.applies(draft)}


def open_questions(draft, step: int) -> list[status.Blocker]:
    """The step's questions still unanswered that keep the activity a Draft."""
    return [b for b in status.unmet(draft, needed(draft)) if b.step == step]


def steps_with_gaps(activity) -> set[int]:
    """The steps a stored Draft still has unanswered questions on."""
    if activity.id is None or status.stored_stage(activity) is not Status.DRAFT:
        return set()
    return {b.step for b in status.unmet(activity, needed(activity))}


def mark(form, draft) -> list[status.Blocker]:
    """Flag the step's required fields (rendered with an asterisk and aria-required) and
    return its open questions."""
    for name in required_fields(draft, form.step):
        if name in form:
            form[name].flags.required = True
    return open_questions(draft, form.step)


def show_gaps(form, gaps: list[status.Blocker]) -> None:
    """Editing a Draft: each missing answer in red beside its field, as a validation error
    would be ("If any required fields are missing, they will be displayed in red text")."""
    for blocker in gaps:
        message = blocker.message + "."
        if blocker.field in form and message not in form[blocker.field].errors:
            form[blocker.field].errors = [*form[blocker.field].errors, message]
