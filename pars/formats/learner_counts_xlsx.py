"""The year-end learner counts workbook: totals per activity and a close flag (.xlsx).

The "blank" template comes filled with the provider's activities that have ended and are not
closed, which is exactly what year-end reporting needs to update.
"""

from openpyxl.worksheet.datavalidation import DataValidation

from pars.formats import learner_xlsx
from pars.formats.spreadsheet import safe_value, workbook_bytes
from pars.vocab import MAX_LEARNERS

HEADER = (
    "Activity ID",
    "ACCME Activity ID",
    "Activity Title",
    "Total Physician Learners",
    "Total Other Learners",
    "Close Activity",
)
# The CME+MOC variant adds, for reference, each activity's MOC boards and how many individual
# completions with a board it holds: MOC learners are reported one by one, so the year-end
# totals can be checked against them. These columns are this system's [inferred]; they are
# read only to notice a change.
MOC_COLUMNS = ("MOC Boards", "MOC Learners Reported")
MOC_HEADER = HEADER + MOC_COLUMNS
GUIDANCE = (
    "Learner counts. Keep this row and the header row. Totals are whole numbers "
    "(0 allowed); Close Activity Yes closes the activity when nothing else blocks it."
)


def read(data: bytes):
    """(Excel row number, {column: text}) for each row after the header (row 2), in either
    variant."""
    return learner_xlsx.read(data, header=HEADER, variants=(MOC_HEADER,))


def blank(activities, moc_learners: dict[int, int] | None = None) -> bytes:
    """The workbook to fill in: one row per activity given, with its current totals; the
    CME+MOC variant when ``moc_learners`` (activity id -> completions with a board) is given."""
    header = HEADER if moc_learners is None else MOC_HEADER
    workbook, sheet = learner_xlsx.template_sheet("Learner Counts", GUIDANCE, header)
    for activity in activities:
        values = [
            activity.id,
            activity.accme_activity_id,
            activity.title,
            activity.physician_learners,
            activity.other_learners,
            None,
        ]
        if moc_learners is not None:
            boards = ", ".join(r.board for r in activity.moc_registrations) or None
            values += [boards, moc_learners.get(activity.id, 0)]
        sheet.append([safe_value(sheet, value) for value in values])
    whole = DataValidation(
        type="whole", operator="between", formula1="0", formula2=str(MAX_LEARNERS), allow_blank=True
    )
    whole.error = f"Enter a whole number from 0 to {MAX_LEARNERS:,}."
    whole.add("D3:E100000")
    close = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    close.add("F3:F100000")
    sheet.add_data_validation(whole)
    sheet.add_data_validation(close)
    return workbook_bytes(workbook)
