"""Legacy records brought across the way ACCME moved everyone's data into the new PARS in
November 2021 (domain.md section 3, "Historical activities"; the PARS overview page lists the
steps): the title went into an empty description, the old formats were renamed (the readers map
the legacy type codes), end dates were assigned (the readers do, from the one Activity Date),
the old evaluation questions were mapped to the new outcomes, and CME Passport was answered.

Pure Python: every importer of legacy records (tab-delimited Template C/D, MEMS with the legacy
elements) hands its values here, and each step taken is said in a notice for the preview.
"""

from datetime import date

from pars.activities.record import historical
from pars.vocab import LEGACY_FLAGS, LEGACY_OUTCOMES

DESIGNED_ONLY = {
    "designed_competence": "evaluated_competence",
    "designed_performance": "evaluated_performance",
    "designed_patient_outcomes": "evaluated_patient_outcomes",
}


def migrate(values: dict, *, today: date) -> list[str]:
    """Complete a legacy record's ``values`` in place as ACCME's migration did; the notices
    that say what was assumed."""
    notices = []
    if not values.get("description") and values.get("title"):
        values["description"] = values["title"]
        notices.append(
            "Description: a legacy record without one took its title, as ACCME did when it "
            "moved records into the new PARS."
        )
    if not values.get("outcomes") and historical(values):
        values["outcomes"] = outcomes_of(values, notices)
    elif not values.get("outcomes") and any(values.get(f) for f in LEGACY_OUTCOMES):
        notices.append(
            "Outcomes: a legacy record that ended after the new PARS went live (11/01/2021) "
            "is judged by the new rules, so its evaluated changes did not become outcomes: "
            "add them, with how each was measured."
        )
    if values.get("in_cme_passport") is None and ended(values, today):
        values["in_cme_passport"] = False
        notices.append(
            "CME Passport: a legacy record with no CME Finder answer that has ended was "
            "answered No (a past activity is listed nowhere)."
        )
    return notices


def outcomes_of(values: dict, notices: list) -> list[tuple[str, bool, bool]]:
    """A "Changes in X evaluated?" Yes becomes X's outcome, with no measurement type (the
    legacy records do not say how); "Designed to change" alone becomes none [inferred]."""
    found = []
    for flag, outcome in LEGACY_OUTCOMES.items():
        if values.get(flag):
            found.append((outcome.value, False, False))
            notices.append(
                f'Outcomes: "{LEGACY_FLAGS[flag]}" Yes became the outcome {outcome.value}, with '
                "no measurement type (legacy records do not say how changes were measured)."
            )
    for designed, evaluated in DESIGNED_ONLY.items():
        if values.get(designed) and not values.get(evaluated):
            notices.append(
                f'Outcomes: "{LEGACY_FLAGS[designed]}" Yes without "{LEGACY_FLAGS[evaluated]}" '
                "maps to no outcome (nothing was measured)."
            )
    return found


def ended(values: dict, today: date) -> bool:
    end = values.get("end_date")
    return isinstance(end, date) and end < today
