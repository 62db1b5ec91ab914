"""Rules for one learner completion (domain.md section 4), in the user's words.

Pure: the learner form uses them now, and learner uploads and the API will use the same ones.
"""

import re
from datetime import date
from typing import Any

from pars.vocab import US_STATES, ActivityFormat

MONTH_DAY = re.compile(r"^(\d{2})/(\d{2})$")
NPI_PREFIX = "80840"  # the card issuer prefix the NPI check digit is computed with
# What PARS asks of a REMS activity's learner (the XSD's Participant), as the completion's
# fields, in the XSD's order: only a REMS activity's learners have them, and the profession
# is required there.
REMS_FIELDS = (
    "rems_practice_state",
    "rems_dea_registration",
    "rems_profession",
    "rems_practice_area",
    "rems_surgical",
    "rems_time_in_practice",
)


def birth_month_day_error(text: str) -> str | None:
    """MM/DD of a real calendar day; 02/29 is allowed (no year is kept)."""
    match = MONTH_DAY.match(text.strip())
    if not match:
        return "Enter the month and day of birth as MM/DD, such as 09/10."
    try:
        date(2000, int(match[1]), int(match[2]))  # 2000 is a leap year: 02/29 passes
    except ValueError:
        return f"{text.strip()} is not a day of the year."
    return None


def npi_error(text: str) -> str | None:
    """An NPI is 10 digits whose last is a Luhn check digit over "80840" + the first nine."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) == 10):  # not "١٢٣..."
        return "An NPI has exactly 10 digits."
    total = 0
    for position, char in enumerate(reversed(NPI_PREFIX + digits[:9])):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    if (10 - total % 10) % 10 != int(digits[9]):
        return "This NPI's check digit is wrong: check the number for a typing mistake."
    return None


def state_error(code: str) -> str | None:
    return None if code in US_STATES else "Choose the state of licensure (a US state)."


def completion_date_error(activity: Any, day: date, *, today: date) -> str | None:
    """Within the activity's dates (an enduring material: until its end date), not ahead."""
    if day > today:
        return "The completion date cannot be in the future."
    start, end = activity.start_date, activity.end_date
    if activity.format == ActivityFormat.ENDURING:
        if end is not None and day > end:
            return f"Completions of this enduring material end on {end:%m/%d/%Y}."
        return None
    if start is not None and day < start or end is not None and day > end:
        return (
            f"The completion date must be within the activity's dates "
            f"({start:%m/%d/%Y} - {end:%m/%d/%Y})."
        )
    return None


def cme_credits_error(activity: Any, credits: float) -> str | None:
    if activity.ama_credits is not None and credits > activity.ama_credits:
        return f"The activity offers {activity.ama_credits:g} credits; claim no more than that."
    return None


def board_points_error(registered_points: float | None, points: float) -> str | None:
    if registered_points is not None and points > registered_points:
        return f"The activity is registered for {registered_points:g} points with this board."
    return None


def learner_key(first_name: str, last_name: str, birth_month_day: str) -> tuple[str, str, str]:
    """Who a completion belongs to, for counting distinct learners."""
    return first_name.strip().lower(), last_name.strip().lower(), birth_month_day.strip()


def stored_learner_key(first_name: str, last_name: str, birth_month_day: str) -> str:
    """learner_key as the one string each completion stores (learner_completion.learner_key),
    so the database counts an activity's distinct learners and finds a learner's completion
    of a day from an index. The parts are joined by the unit separator, a control character
    the learner form refuses in a name."""
    return "\x1f".join(learner_key(first_name, last_name, birth_month_day))


def completion_key(first_name: str, last_name: str, birth_month_day: str, day: date) -> tuple:
    """One completion per learner per activity per day (domain.md section 4): two completions
    of one activity with the same key are the same completion, whatever the case or spacing."""
    return (*learner_key(first_name, last_name, birth_month_day), day)
