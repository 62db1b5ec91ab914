"""Checking and storing an uploaded learner template: every row against the form's rules.

Nothing is stored from a file with an invalid row unless the user explicitly asks to store the
valid rows only; a re-upload of the same file changes nothing (its rows come back unchanged).
"""

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import insert, update
from sqlmodel import Session, select

from pars.activities import queries
from pars.core import audit, bulk, validation
from pars.formats import learner_reports_xml, learner_xlsx, spellings
from pars.formats.mems_xml import PRIVATE
from pars.learners import completions, directory
from pars.learners import rules as learner_rules
from pars.learners.rules import REMS_FIELDS
from pars.models import Activity, LearnerBoardCredit, LearnerCompletion
from pars.uploads.kinds import UploadKind
from pars.uploads.rows import RowResult
from pars.vocab import US_STATES

COLUMN = {name.strip(): name for name in learner_xlsx.HEADER}  # tidy name -> file's own name


EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's date serial numbers (1900 date system)
SERIAL = re.compile(r"[0-9]{1,7}(?:\.0+)?")


@lru_cache(maxsize=4096)  # the rows of a file share a few completion dates
def parse_date(text: str) -> date | None:
    """MM/DD/YYYY, YYYY-MM-DD, or a date serial number as Excel stores a date cell that
    reached the file as a number (45000 is 03/15/2023)."""
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if SERIAL.fullmatch(text) and 1 <= float(text) <= 2958465:  # up to 12/31/9999
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    return None


FULL_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/[0-9]{4}|[0-9]{4}-([0-9]{2})-([0-9]{2})")


def month_day(text: str) -> tuple[str, str | None]:
    """The month and day of birth: as written (MM/DD), or taken from a whole date, which is
    what Excel makes of a typed 09/10 in a column not formatted as Text (only the month and
    day are kept; a notice says so)."""
    found = FULL_DATE.fullmatch(text.strip())
    if not found:
        return text, None
    month, day = (found[1], found[2]) if found[1] else (found[3], found[4])
    read = f"{int(month):02d}/{int(day):02d}"
    return (
        read,
        f"Date of Birth held whole dates (such as {text.strip()}): month and day were kept.",
    )


class Checker:
    """Checks rows one by one, remembering activities and keys seen earlier in the file."""

    def __init__(self, session: Session, provider_id: int, *, today: date):
        self.session, self.provider_id, self.today = session, provider_id, today
        self.activities: dict[str, Activity | None] = {}
        self.seen: dict[tuple, int] = {}
        self.stored: dict[int, dict[tuple, int]] = {}  # activity id -> learner key -> id
        self.stored_values: dict[int, dict] = {}  # completion id -> its UPDATABLE values
        self.first_rows: dict[tuple, dict] = {}  # the first row of each completion in the file

    def stored_completion(self, activity: Activity, key: tuple) -> int | None:
        """The id of the stored completion with this key; one query per activity, not per row."""
        if activity.id not in self.stored:
            columns = [getattr(LearnerCompletion, name) for name in UPDATABLE]
            rows = self.session.exec(
                select(
                    LearnerCompletion.id,
                    LearnerCompletion.first_name,
                    LearnerCompletion.last_name,
                    LearnerCompletion.birth_month_day,
                    LearnerCompletion.completion_date,
                    *columns,
                ).where(LearnerCompletion.activity_id == activity.id)
            ).all()
            self.stored[activity.id] = {
                learner_rules.completion_key(*row[1:5]): row[0] for row in rows
            }
            self.stored_values.update(
                (row[0], dict(zip(UPDATABLE, row[5:], strict=True))) for row in rows
            )
        return self.stored[activity.id].get(key)

    def changes(self, completion_id: int, values: dict) -> dict:
        """What the file gives of this system's record about a stored completion (permission,
        REMS details) that differs from what is stored."""
        stored = self.stored_values[completion_id]
        return {
            name: values[name]
            for name in UPDATABLE
            if values.get(name) is not None and values[name] != stored[name]
        }

    def activity(self, text: str) -> Activity | None:
        """The activity the column names, by its ACCME Activity ID or (PARS's template has one
        column for it) this system's activity ID; looked up once per ID."""
        if text not in self.activities:
            self.activities[text] = queries.named_in_file(
                self.session, self.provider_id, accme_id=text, activity_id=text
            )
        return self.activities[text]

    def check(self, number: int, cells: dict[str, str]) -> RowResult:
        row = RowResult(number)
        get = lambda name: cells[COLUMN[name]]  # noqa: E731
        problem = lambda name, message: row.errors.append((name, message))  # noqa: E731
        for name, message in validation.text_problems(dict(cells)):
            problem(name, message)
        action = get("Record Action").lower()
        if action not in ("add", "delete"):
            problem("Record Action", "Write Add or Delete.")
        row.activity = self.activity(get("ACCME Activity ID"))
        if row.activity is None:
            problem(
                "ACCME Activity ID",
                f"None of your activities has the ID {get('ACCME Activity ID') or '(blank)'}.",
            )
        values = row.values
        for name, key in (("First Name", "first_name"), ("Last Name", "last_name")):
            values[key] = get(name)
            if not values[key]:
                problem(name, "Required.")
        values["birth_month_day"], notice = month_day(get("Date of Birth"))
        row.notices += [notice] if notice else []
        if error := learner_rules.birth_month_day_error(values["birth_month_day"]):
            problem("Date of Birth", error)
        self.check_identity(get, problem, values)
        self.check_completion(row, get, problem)
        self.check_board(row, get, problem)
        self.read_extras(row)
        if not row.errors:
            self.settle(row, action)
        return row

    def read_extras(self, row: RowResult) -> None:
        """What the learner template has no column for. Its rows of a REMS activity lack the
        participant details PARS asks for, and the preview says so."""
        activity = row.activity
        if activity is not None and activity.rems and not row.values.get("rems_profession"):
            row.notices.append(
                f"Activity {activity.accme_activity_id or activity.id} is a REMS activity: "
                "its learners need participant details (at least the profession), which this "
                "file does not give. Enter them with each learner, or upload learner reports "
                "XML that has them."
            )

    def check_identity(self, get, problem, values) -> None:
        state = learner_xlsx.state_code(get("Licensing State")) if get("Licensing State") else None
        if state and state not in US_STATES:
            problem("Licensing State", f"{get('Licensing State')} is not a US state.")
        values["state"] = state
        ident = get("Licensing ID or NPI")
        is_npi = ident.isdigit() and len(ident) == 10
        if is_npi and (error := learner_rules.npi_error(ident)):
            problem("Licensing ID or NPI", error)
        values["npi"], values["license_number"] = (ident, None) if is_npi else (None, ident or None)

    def check_completion(self, row, get, problem) -> None:
        day = parse_date(get("Completion Date"))
        row.values["completion_date"] = day
        if day is None:
            problem("Completion Date", "Write the date as MM/DD/YYYY.")
        elif row.activity and (
            error := learner_rules.completion_date_error(row.activity, day, today=self.today)
        ):
            problem("Completion Date", error)
        credits, error = (None, None)
        if get("Number of CME Credits"):
            credits, error = validation.parse_credits(get("Number of CME Credits"))
            if not error and row.activity:
                error = learner_rules.cme_credits_error(row.activity, credits)
        if error:
            problem("Number of CME Credits", error)
        row.values["cme_credits"] = credits

    def check_board(self, row, get, problem) -> None:
        board = get("Certifying Board")
        row.values.update(board=None, board_id=None, board_credits=[], board_points_total=None)
        if not board:
            return
        registrations = {
            r.board.upper(): r for r in (row.activity.moc_registrations if row.activity else [])
        }
        registration = registrations.get(board.upper())
        if registration is None:
            problem("Certifying Board", f"The activity is not registered for MOC with {board}.")
            return
        if not get("Certifying Board ID"):
            problem("Certifying Board ID", f"Enter the learner's {registration.board} ID.")
        credit_type = get("Credit Type")
        offered = {c.credit_type for c in registration.credit_types}
        for column in ("Credit Type", "Additional Credit Type"):
            if get(column) and get(column) not in offered:
                problem(column, f"The activity offers {registration.board} no {get(column)}.")
        points = self.points(registration, "Credits Awarded for Credit Type", get, problem)
        total = self.points(registration, "Total Board Credits", get, problem)
        credits = [(credit_type, points)] if credit_type and points else []
        if extra_type := get("Additional Credit Type"):
            # Its points: the total less the first type's [inferred: no column holds them].
            extra = None if total is None or points is None else total - points
            if extra is None or extra <= 0:
                problem(
                    "Total Board Credits",
                    "With an Additional Credit Type, Total Board Credits must be more than "
                    "Credits Awarded for Credit Type: the difference is the additional type's.",
                )
            else:
                credits.append((extra_type, extra))
        elif total is not None and points is not None and total < points:
            problem("Total Board Credits", "Total Board Credits is less than the credits awarded.")
        row.values.update(
            board=registration.board,
            board_id=get("Certifying Board ID"),
            board_credits=credits,
            board_points_total=total,
        )

    @staticmethod
    def points(registration, column: str, get, problem) -> float | None:
        if not get(column):
            return None
        points, error = validation.parse_credits(get(column))
        error = error or learner_rules.board_points_error(registration.points, points)
        if error:
            problem(column, error)
            return None
        return points

    def settle(self, row: RowResult, action: str) -> None:
        """Decide what the valid row does: add, delete, add credit types to a completion an
        earlier row of the file gives (the same learner, activity and day), or nothing."""
        values = row.values
        key = learner_rules.completion_key(
            values["first_name"],
            values["last_name"],
            values["birth_month_day"],
            values["completion_date"],
        )
        row.existing = self.stored_completion(row.activity, key)
        if (row.activity.id, key) in self.seen:
            self.merge(row, action, self.seen[row.activity.id, key])
            return
        self.seen[row.activity.id, key] = row.number
        self.first_rows[row.activity.id, key] = dict(values, action=action)
        if action == "add" and row.existing and (changes := self.changes(row.existing, values)):
            row.action, values["changes"] = "update", changes
        elif action == "add":
            row.action = "unchanged" if row.existing else "add"
        elif row.existing is None:
            row.errors.append(("Record Action", "There is no such completion to delete."))
        else:
            row.action = "delete"

    def merge(self, row: RowResult, action: str, first: int) -> None:
        """A further row of a learner with several board credit types: it must agree with the
        first on everything but its credit types."""
        earlier = self.first_rows[row.activity.id, self.key_of(row.values)]
        this = dict(row.values, action=action)
        differ = list(dict.fromkeys(c for c, name in IDENTITY if earlier[name] != this[name]))
        if differ:
            row.errors.append(
                (
                    differ[0],
                    f"Row {first} has the same learner, activity and day with another "
                    f"{', '.join(differ)}: one completion per learner per day.",
                )
            )
            return
        given = {kind for kind, _ in earlier["board_credits"]}
        again = [kind for kind, _ in row.values["board_credits"] if kind in given]
        if again or not row.values["board_credits"]:
            row.errors.append(
                ("Credit Type", f"Same learner, activity, day and credit type as row {first}.")
            )
            return
        earlier["board_credits"] = earlier["board_credits"] + row.values["board_credits"]
        if action == "delete":
            row.action = "unchanged"  # the first row deletes the whole completion
            return
        stored = self.stored_credit_types(row.existing) if row.existing else set()
        new = [kind for kind, _ in row.values["board_credits"] if kind not in stored]
        row.action = "merge" if new else "unchanged"

    @staticmethod
    def key_of(values: dict) -> tuple:
        return learner_rules.completion_key(
            values["first_name"],
            values["last_name"],
            values["birth_month_day"],
            values["completion_date"],
        )

    def stored_credit_types(self, completion_id: int) -> set[str]:
        query = select(LearnerBoardCredit.credit_type).where(
            LearnerBoardCredit.completion_id == completion_id
        )
        return set(self.session.exec(query).all())


# The Participant elements of a REMS learner -> the completion's fields.
REMS_ELEMENTS = dict(zip(learner_reports_xml.PARTICIPANT, REMS_FIELDS, strict=True))
# What a file may change on a completion already stored (PARS never edits the learner record
# itself: those are this system's record about it), when the file gives them.
UPDATABLE = ("report_permission", *REMS_FIELDS)

NOT_STORED = ("board_credits", "changes")  # values that are not columns

# What the further rows of one completion must repeat: (column, value name).
IDENTITY = (
    ("Record Action", "action"),
    ("Licensing State", "state"),
    ("Licensing ID or NPI", "npi"),
    ("Licensing ID or NPI", "license_number"),
    ("Number of CME Credits", "cme_credits"),
    ("Certifying Board", "board"),
    ("Certifying Board ID", "board_id"),
)


ACTIONS = {
    "add": "new completions",
    "merge": "further credit types of a completion in an earlier row",
    "update": "completions whose permission or REMS details change",
    "delete": "deletions",
    "unchanged": "unchanged (already stored)",
}


class Storer:
    """Adds or deletes the completions of valid changed rows, given a chunk at a time. Adds
    are matched against the directory held in memory and inserted in a few statements, so a
    large file costs little more than reading it; physician totals are raised once at the end."""

    def __init__(self, session: Session, *, provider_id: int, today: date, user_id: int):
        self.session, self.today, self.now = session, today, datetime.now(UTC)
        self.index: directory.DirectoryIndex | None = None
        self.activities: dict[int, Activity] = {}
        self.added: dict[int, int] = {}  # activity id -> completions inserted
        self.updated: dict[int, int] = {}  # activity id -> completions whose details changed

    def add(self, rows: list[RowResult]) -> None:
        for row in rows:
            if row.action == "delete":
                completions.delete_completion(
                    self.session, self.session.get(LearnerCompletion, row.existing)
                )
        adds = [row for row in rows if row.action == "add"]
        if adds:
            self.activities.update((row.activity.id, row.activity) for row in adds)
            for row in adds:
                self.added[row.activity.id] = self.added.get(row.activity.id, 0) + 1
            self.index = self.index or directory.DirectoryIndex(
                self.session, adds[0].activity.provider_id
            )
            self.insert(adds)
        merges = [row for row in rows if row.action == "merge"]
        if merges:
            self.merge(merges)
        for row in rows:
            if row.action == "update":
                self.session.execute(
                    update(LearnerCompletion)
                    .where(LearnerCompletion.id == row.existing)
                    .values(**row.values["changes"])
                )
                self.updated[row.activity.id] = self.updated.get(row.activity.id, 0) + 1
                self.activities[row.activity.id] = row.activity

    def merge(self, rows: list[RowResult]) -> None:
        """Further credit types of completions stored from an earlier row (of this chunk or
        one before) or stored already."""
        credits = []
        for row in rows:
            completion_id = self.session.exec(
                select(LearnerCompletion.id).where(
                    LearnerCompletion.activity_id == row.activity.id,
                    LearnerCompletion.learner_key == completions.key_of(row.values),
                    LearnerCompletion.completion_date == row.values["completion_date"],
                )
            ).one()
            stored = set(
                self.session.exec(
                    select(LearnerBoardCredit.credit_type).where(
                        LearnerBoardCredit.completion_id == completion_id
                    )
                ).all()
            )
            credits += [
                {"completion_id": completion_id, "credit_type": kind, "points": points}
                for kind, points in row.values["board_credits"]
                if kind not in stored
            ]
        if credits:
            self.session.execute(insert(LearnerBoardCredit.__table__), credits)

    def insert(self, adds: list[RowResult]) -> None:
        filed = [
            self.index.file(directory.Proposed(**{n: row.values.get(n) for n in PERSON}))
            for row in adds
        ]
        self.index.insert_new(self.session)
        records = [
            {
                "activity_id": row.activity.id,
                "learner_id": person.id,
                "match_result": kind.value,
                "created_at": self.now,
                "learner_key": completions.key_of(row.values),
                **{k: v for k, v in row.values.items() if k not in NOT_STORED},
            }
            for row, (person, kind) in zip(adds, filed, strict=True)
        ]
        ids = bulk.insert_rows(self.session, LearnerCompletion.__table__, records)
        credits = [
            {"completion_id": completion_id, "credit_type": kind, "points": points}
            for completion_id, row in zip(ids, adds, strict=True)
            for kind, points in row.values["board_credits"]
        ]
        if credits:
            self.session.execute(insert(LearnerBoardCredit.__table__), credits)

    def finish(self) -> None:
        for activity in self.activities.values():
            # Bulk writes pass by the audit listener: one entry per activity says what came.
            said = [f"{self.added.get(activity.id, 0):,} completions added from an upload"]
            if self.updated.get(activity.id):
                said.append(
                    f"{self.updated[activity.id]:,} had their permission or REMS details changed"
                )
            audit.record(self.session, activity, "uploaded", "learners", None, "; ".join(said))
            completions.raise_physician_total(self.session, activity, today=self.today)


class ReportsChecker(Checker):
    """The learner template's checks for ACCMELearnerReports, each problem named by the
    element its value came from; and what the template has no column for: the learner's
    permission to report, and a REMS learner's participant details."""

    def check(self, number: int, cells: dict) -> RowResult:
        unread = cells.pop(learner_reports_xml.UNREAD, [])
        self.permission = cells.pop(learner_reports_xml.PERMISSION, "")
        self.participant = cells.pop(learner_reports_xml.REMS, {})
        row = super().check(number, cells)
        row.errors = [(learner_reports_xml.ELEMENTS.get(c, c), m) for c, m in row.errors]
        row.notices += [f"{text}: it was not stored." for text in unread]
        return row

    def read_extras(self, row: RowResult) -> None:
        name = f"XtensibleInfo/{PRIVATE}/ReportPermission"
        row.values["report_permission"] = spellings.reading(
            row.errors, row.notices, name, spellings.boolean, self.permission
        )
        found = {field: None for field in REMS_ELEMENTS.values()}
        for element, text in self.participant.items():
            field, name = REMS_ELEMENTS[element], f"Participant/{element}"
            if field == "rems_surgical":
                found[field] = spellings.reading(
                    row.errors, row.notices, name, spellings.boolean, text
                )
            elif field == "rems_practice_state":
                found[field] = learner_xlsx.state_code(text)
                if found[field] not in US_STATES:
                    row.errors.append((name, f"{text} is not a US state."))
            else:
                found[field] = spellings.reading(
                    row.errors, row.notices, name, spellings.choice, text, field
                )
        if row.activity is not None and not row.activity.rems and self.participant:
            row.notices.append(
                f"Participants: activity {row.activity.accme_activity_id} is not registered "
                "for REMS, so its learners' participant details were not stored."
            )
            found = dict.fromkeys(found)
        row.values.update(found)
        super().read_extras(row)


PERSON = tuple(directory.Proposed.__dataclass_fields__)
KIND = UploadKind(
    "learners",
    "Individual learners",
    learner_xlsx.HEADER,
    learner_xlsx.read,
    Checker,
    Storer,
    ACTIONS,
)
REPORTS_XML = UploadKind(
    "learners_xml",
    "Learner reports XML",
    (),
    learner_reports_xml.read,
    ReportsChecker,
    Storer,
    ACTIONS,
)
