"""Checking and storing an uploaded learner template: every row against the form's rules.

Nothing is stored from a file with an invalid row unless the user explicitly asks to store the
valid rows only; a re-upload of the same file changes nothing (its rows come back unchanged).
"""

from datetime import UTC, date, datetime
from functools import lru_cache

from sqlalchemy import insert
from sqlmodel import Session, select

from pars.activities import queries
from pars.core import audit, bulk, validation
from pars.formats import learner_xlsx
from pars.learners import completions, directory
from pars.learners import rules as learner_rules
from pars.models import Activity, LearnerBoardCredit, LearnerCompletion
from pars.uploads.kinds import UploadKind
from pars.uploads.rows import RowResult
from pars.vocab import US_STATES

COLUMN = {name.strip(): name for name in learner_xlsx.HEADER}  # tidy name -> file's own name


@lru_cache(maxsize=4096)  # the rows of a file share a few completion dates
def parse_date(text: str) -> date | None:
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class Checker:
    """Checks rows one by one, remembering activities and keys seen earlier in the file."""

    def __init__(self, session: Session, provider_id: int, *, today: date):
        self.session, self.provider_id, self.today = session, provider_id, today
        self.activities: dict[str, Activity | None] = {}
        self.seen: dict[tuple, int] = {}
        self.stored: dict[int, dict[tuple, int]] = {}  # activity id -> learner key -> id

    def stored_completion(self, activity: Activity, key: tuple) -> int | None:
        """The id of the stored completion with this key; one query per activity, not per row."""
        if activity.id not in self.stored:
            rows = self.session.exec(
                select(
                    LearnerCompletion.id,
                    LearnerCompletion.first_name,
                    LearnerCompletion.last_name,
                    LearnerCompletion.birth_month_day,
                    LearnerCompletion.completion_date,
                ).where(LearnerCompletion.activity_id == activity.id)
            ).all()
            self.stored[activity.id] = {
                learner_rules.completion_key(first, last, birth, day): completion_id
                for completion_id, first, last, birth, day in rows
            }
        return self.stored[activity.id].get(key)

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
        values["birth_month_day"] = get("Date of Birth")
        if error := learner_rules.birth_month_day_error(values["birth_month_day"]):
            problem("Date of Birth", error)
        self.check_identity(get, problem, values)
        self.check_completion(row, get, problem)
        self.check_board(row, get, problem)
        if not row.errors:
            self.settle(row, action)
        return row

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
        row.values.update(board=None, board_id=None, board_credits=[])
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
        credit_type, points_text = get("Credit Type"), get("Credits Awarded for Credit Type")
        offered = {c.credit_type for c in registration.credit_types}
        if credit_type and credit_type not in offered:
            problem("Credit Type", f"The activity offers {registration.board} no {credit_type}.")
        points, error = validation.parse_credits(points_text) if points_text else (None, None)
        error = error or (
            learner_rules.board_points_error(registration.points, points)
            if points is not None
            else None
        )
        if error:
            problem("Credits Awarded for Credit Type", error)
        row.values.update(
            board=registration.board,
            board_id=get("Certifying Board ID"),
            board_credits=[(credit_type, points)] if credit_type and points else [],
        )

    def settle(self, row: RowResult, action: str) -> None:
        """Decide what the valid row does: add, delete or nothing (already as the file says)."""
        values = row.values
        key = learner_rules.completion_key(
            values["first_name"],
            values["last_name"],
            values["birth_month_day"],
            values["completion_date"],
        )
        if (row.activity.id, key) in self.seen:
            first = self.seen[row.activity.id, key]
            row.errors.append(("(row)", f"Same learner, activity and day as row {first}."))
            return
        self.seen[row.activity.id, key] = row.number
        row.existing = self.stored_completion(row.activity, key)
        if action == "add":
            row.action = "unchanged" if row.existing else "add"
        elif row.existing is None:
            row.errors.append(("Record Action", "There is no such completion to delete."))
        else:
            row.action = "delete"


ACTIONS = {
    "add": "new completions",
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
                **{k: v for k, v in row.values.items() if k != "board_credits"},
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
            # Bulk inserts pass by the audit listener: one entry per activity says what came.
            audit.record(
                self.session,
                activity,
                "uploaded",
                "learners",
                None,
                f"{self.added[activity.id]:,} completions added from an upload",
            )
            completions.raise_physician_total(self.session, activity, today=self.today)


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
