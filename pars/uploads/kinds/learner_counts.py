"""Checking and storing an uploaded learner counts workbook: totals, and closing at year end."""

from datetime import date

from sqlmodel import Session

from pars.activities import operations, queries, status
from pars.formats import learner_counts_xlsx, spellings
from pars.learners import completions
from pars.models import Activity
from pars.uploads.kinds import UploadKind
from pars.uploads.rows import RowResult
from pars.vocab import MAX_LEARNERS

ACTIONS = {
    "update": "activities with new totals",
    "close": "activities to close",
    "unchanged": "unchanged",
}
TITLE_NOTICE = (
    "Activity Title is there to recognise each row: a title changed in the workbook was not "
    "stored (change it in the activity)."
)
MOC_NOTICE = (
    "MOC Boards and MOC Learners Reported are there for reference: a change to them was not "
    "stored (MOC learners are added one by one, on the activity's Learners page or the "
    "learner template)."
)
COUNT_FIELDS = {"physician_learners", "other_learners"}
COUNT_MESSAGE = f"Enter a whole number from 0 to {MAX_LEARNERS:,}."


def whole_number(text: str) -> int | None:
    cleaned = text.replace(",", "")
    if cleaned.isdigit() and int(cleaned) <= MAX_LEARNERS:
        return int(cleaned)
    return None


class Checker:
    def __init__(self, session: Session, provider_id: int, *, today: date):
        self.session, self.provider_id, self.today, self.seen = session, provider_id, today, {}
        self.found: dict[tuple[str, str], Activity | None] = {}
        self.moc_reported: dict[int, int] | None = None  # activity id -> completions with a board

    def activity(self, own_id: str, accme_id: str) -> Activity | None:
        """The provider's activity by its ACCME ID or this system's ID; looked up once per ID."""
        if (own_id, accme_id) not in self.found:
            self.found[own_id, accme_id] = queries.named_in_file(
                self.session, self.provider_id, accme_id=accme_id, activity_id=own_id
            )
        return self.found[own_id, accme_id]

    def check(self, number: int, cells: dict[str, str]) -> RowResult:
        row = RowResult(number)
        row.activity = self.activity(cells["Activity ID"], cells["ACCME Activity ID"])
        if row.activity is None:
            row.errors.append(("Activity ID", "None of your activities has this ID."))
            return row
        given = cells["ACCME Activity ID"].strip()
        if (
            given
            and cells["Activity ID"].strip()
            and given != (row.activity.accme_activity_id or "")
        ):
            row.errors.append(
                ("ACCME Activity ID", f"Activity {row.activity.id} has another ACCME Activity ID.")
            )
        if cells["Activity Title"].strip() != (row.activity.title or "").strip():
            row.notices.append(TITLE_NOTICE)
        if "MOC Boards" in cells and self.moc_columns_changed(row.activity, cells):
            row.notices.append(MOC_NOTICE)
        if row.activity.id in self.seen:
            first = self.seen[row.activity.id]
            row.errors.append(("Activity ID", f"Listed already in row {first}."))
        self.seen[row.activity.id] = number
        for column, key in (
            ("Total Physician Learners", "physician_learners"),
            ("Total Other Learners", "other_learners"),
        ):
            if not cells[column].strip():  # blank: no change (rows awaiting totals come so)
                row.values[key] = getattr(row.activity, key)
                continue
            value = whole_number(cells[column])
            if value is None:
                row.errors.append((column, f'"{cells[column]}": {COUNT_MESSAGE}'))
            row.values[key] = value
        try:
            close = spellings.boolean(cells["Close Activity"]) is True
        except spellings.Refusal as refusal:
            close = False
            row.errors.append(("Close Activity", f"{refusal} Or leave it blank."))
        if refusal := status.change_refusal(row.activity, to="change its totals"):
            row.errors.append(("Activity ID", refusal))
        if not row.errors:
            self.settle(row, close)
        return row

    def moc_columns_changed(self, activity: Activity, cells: dict[str, str]) -> bool:
        if self.moc_reported is None:  # one query for the whole file, on its first MOC row
            self.moc_reported = completions.moc_learners_reported(self.session, self.provider_id)
        boards = ", ".join(r.board for r in activity.moc_registrations)
        reported = str(self.moc_reported.get(activity.id, 0))
        given = (cells["MOC Boards"].strip(), cells["MOC Learners Reported"].strip())
        return given != (boards, reported)

    def settle(self, row: RowResult, close: bool) -> None:
        activity, values = row.activity, row.values
        changed = (activity.physician_learners, activity.other_learners) != (
            values["physician_learners"],
            values["other_learners"],
        )
        if close:
            # Everything Closed needs, except the totals this very row supplies.
            blockers = [
                b.message
                for b in status.blocking(activity, today=self.today).get(status.Status.CLOSED, [])
                if b.field not in COUNT_FIELDS
            ]
            if blockers:
                row.errors.append(("Close Activity", "Cannot close: " + "; ".join(blockers) + "."))
                return
        row.action = "close" if close else ("update" if changed else "unchanged")


class Storer:
    """Sets the totals of each valid changed row, and closes the rows that say so."""

    def __init__(self, session: Session, *, provider_id: int, today: date, user_id: int):
        self.session, self.today, self.user_id = session, today, user_id

    def add(self, rows: list[RowResult]) -> None:
        for row in rows:
            activity = row.activity
            operations.set_learner_counts(
                self.session,
                activity,
                physician=row.values["physician_learners"],
                other=row.values["other_learners"],
                version=activity.version,
                today=self.today,
            )
            if row.action == "close":
                operations.close_activity(
                    self.session, activity, user_id=self.user_id, today=self.today
                )

    def finish(self) -> None:
        """Nothing is left to do once every row is stored."""


KIND = UploadKind(
    "learner_counts",
    "Learner counts",
    learner_counts_xlsx.HEADER,
    learner_counts_xlsx.read,
    Checker,
    Storer,
    ACTIONS,
    (learner_counts_xlsx.MOC_HEADER,),
)
