"""The Excel activity template, as PARS offers it: one row per activity, a CME variant and a
CME+MOC variant, repeating column groups for joint providers, support sources and MOC boards,
an instructions sheet, and a dropdown on every column with a fixed list (from pars.vocab).

Reading gives the same plain values as a MEMS record, so pars.uploads.kinds.activity_records
checks both.
"""

from collections.abc import Iterator

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pars.formats import learner_xlsx
from pars.formats.legacy_tab import us_date
from pars.formats.spreadsheet import safe_value, workbook_bytes
from pars.vocab import (
    COMMENDATION_TAGS,
    US_STATES,
    ActivityFormat,
    DeliveryMethod,
    Fee,
    MocBoard,
    Outcome,
    Providership,
    Registration,
    RemsType,
)

GROUPS = 5  # joint providers, monetary and in-kind sources, MOC boards per row
YES_NO = ["Yes", "No"]
MEASURES = ["Objective", "Subjective", "Both"]
GUIDANCE = (
    "Activities for PARS. Keep this row and the header row; one activity per row. "
    "Dates as MM/DD/YYYY; lists (delivery, criteria, credit types) separated by ';'. "
    "See the Instructions sheet."
)


def numbered(*names: str) -> list[str]:
    return [f"{name} {n}" for n in range(1, GROUPS + 1) for name in names]


# Column -> its list of allowed values (None: free text, a number or a date).
CME: dict[str, list[str] | None] = {
    "Provider Activity ID": None,
    "ACCME Activity ID": None,
    "Title": None,
    "Format": [f.value for f in ActivityFormat],
    "Delivery Methods": None,
    "Start Date": None,
    "End Date": None,
    "Country": None,
    "City": None,
    "State/Province": list(US_STATES),
    "ZIP/Postal Code": None,
    "AMA PRA Category 1 Credits": None,
    "Description": None,
    "Include in CME Passport": YES_NO,
    "Who Can Register": [r.value for r in Registration],
    "Fee": [f.value for f in Fee],
    "URL": None,
    "MIPS": YES_NO,
    "REMS": YES_NO,
    "REMS Type": [r.value for r in RemsType],
    "Providership": [p.value for p in Providership],
    **dict.fromkeys(numbered("Joint Provider")),
    **{f"{o.value} Measured": MEASURES for o in Outcome},
    "Commercial Support Received": YES_NO,
    **dict.fromkeys(numbered("Monetary Source", "Monetary Amount")),
    **dict.fromkeys(numbered("In-kind Source")),
    "Commendation": YES_NO,
    "Commendation Criteria": None,
    "Physician Learners": None,
    "Other Learners": None,
}
MOC = (
    CME
    | {"MOC": YES_NO, "MOC Attested": YES_NO, "MIPS Attested": YES_NO}
    | {
        name: ([b.value for b in MocBoard] if name.startswith("MOC Board ") else None)
        for name in numbered("MOC Board", "MOC Points", "MOC Claim Date", "MOC Credit Types")
    }
)
HEADERS = {"cme": tuple(CME), "moc": tuple(MOC)}
INSTRUCTIONS = [
    ("Provider Activity ID", "Your own ID; a re-upload with the same ID updates the activity."),
    ("ACCME Activity ID", "Leave empty for a new activity; PARS gives it."),
    ("Delivery Methods", "; between methods: " + "; ".join(d.value for d in DeliveryMethod)),
    ("<Outcome> Measured", "Objective, Subjective or Both for each outcome measured."),
    ("Commendation Criteria", "; between criteria, as listed: " + "; ".join(COMMENDATION_TAGS)),
    ("MOC Credit Types n", "; between the credit types of board n."),
]


def blank(variant: str) -> bytes:
    """The empty template with its dropdowns and instructions ("cme" or "moc")."""
    return workbook_bytes(template(variant)[0])


def template(variant: str):
    """The template workbook and its Activities sheet, ready for rows."""
    columns = MOC if variant == "moc" else CME
    workbook, sheet = learner_xlsx.template_sheet("Activities", GUIDANCE, tuple(columns))
    lists = workbook.create_sheet("Lists")
    for index, (name, values) in enumerate((c for c in columns.items() if c[1]), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=index, value=value)
        rule = DataValidation(
            type="list", allow_blank=True, formula1=f"=Lists!${letter}$1:${letter}${len(values)}"
        )
        rule.error = f"Choose a value from the list for {name}."
        target = get_column_letter(list(columns).index(name) + 1)  # (no cell made in row 3)
        rule.add(f"{target}3:{target}10000")
        sheet.add_data_validation(rule)
    lists.sheet_state = "hidden"
    instructions = workbook.create_sheet("Instructions")
    instructions.append(["Column", "How to fill it"])
    for row in INSTRUCTIONS:
        instructions.append(list(row))
    return workbook, sheet


def filled(activities) -> bytes:
    """The CME+MOC template filled with ``activities`` (ORM objects with their child rows):
    what /exports/activities.xlsx gives, and what an upload of it reads back unchanged."""
    workbook, sheet = template("moc")
    for activity in activities:
        cells = cells_of(activity)
        sheet.append([safe_value(sheet, cells.get(name)) for name in MOC])
    return workbook_bytes(workbook)


def measured(objective: bool, subjective: bool) -> str | None:
    return (
        "Both"
        if objective and subjective
        else "Objective"
        if objective
        else ("Subjective" if subjective else None)
    )


def grouped(prefix_values: dict[str, list]) -> dict:
    """Numbered columns from lists; more rows than GROUPS share the last column (joined with
    "; "), which an upload then reports rather than losing them quietly."""
    cells = {}
    for name, values in prefix_values.items():
        for n, value in enumerate(values[:GROUPS], start=1):
            cells[f"{name} {n}"] = value
        if len(values) > GROUPS:
            cells[f"{name} {GROUPS}"] = "; ".join(str(v) for v in values[GROUPS - 1 :])
    return cells


def cells_of(activity) -> dict:
    yes_no = {True: "Yes", False: "No", None: None}
    money = [s for s in activity.support_sources if s.kind == "Monetary"]
    boards = activity.moc_registrations
    return {
        "Provider Activity ID": activity.internal_id,
        "ACCME Activity ID": activity.accme_activity_id,
        "Title": activity.title,
        "Format": activity.format,
        "Delivery Methods": "; ".join(d.method for d in activity.delivery_methods) or None,
        "Start Date": activity.start_date,
        "End Date": activity.end_date,
        "Country": activity.country,
        "City": activity.city,
        "State/Province": activity.state,
        "ZIP/Postal Code": activity.postal_code,
        "AMA PRA Category 1 Credits": activity.ama_credits,
        "Description": activity.description,
        "Include in CME Passport": yes_no[activity.in_cme_passport],
        "Who Can Register": activity.registration,
        "Fee": activity.fee,
        "URL": activity.url,
        "MOC": yes_no[activity.moc],
        "MIPS": yes_no[activity.mips],
        "REMS": yes_no[activity.rems],
        "REMS Type": activity.rems_type,
        "MOC Attested": yes_no[activity.moc_attested],
        "MIPS Attested": yes_no[activity.mips_attested],
        "Providership": activity.providership,
        **{f"{o.outcome} Measured": measured(o.objective, o.subjective) for o in activity.outcomes},
        "Commercial Support Received": yes_no[activity.commercial_support],
        "Commendation": yes_no[activity.commendation],
        "Commendation Criteria": "; ".join(t.tag for t in activity.commendation_tags) or None,
        "Physician Learners": activity.physician_learners,
        "Other Learners": activity.other_learners,
        **grouped(
            {
                "Joint Provider": [j.name for j in activity.joint_providers],
                "Monetary Source": [s.source for s in money],
                "Monetary Amount": [s.amount for s in money],
                "In-kind Source": [
                    s.source for s in activity.support_sources if s.kind == "In-kind"
                ],
                "MOC Board": [b.board for b in boards],
                "MOC Points": [b.points for b in boards],
                "MOC Claim Date": [b.claim_date for b in boards],
                "MOC Credit Types": [
                    "; ".join(c.credit_type for c in b.credit_types) for b in boards
                ],
            }
        ),
    }


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def flag(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text.strip().lower())


class Typed:
    """Dates and whole numbers read from a row's text; what cannot be read, by column."""

    def __init__(self, cells: dict[str, str]):
        self.cells, self.errors = cells, []

    def day(self, name: str):
        text = self.cells.get(name, "").strip()
        found = us_date(text) if text else None
        if text and found is None:
            self.errors.append((name, "Write the date as MM/DD/YYYY."))
        return found

    def whole(self, name: str) -> int | None:
        text = self.cells.get(name, "").strip().replace(",", "").removeprefix("$")
        if text and not text.isdigit():
            self.errors.append((name, "Enter a whole number."))
        return int(text) if text.isdigit() else None


def row_values(cells: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """The activity's plain values from one row (the keys of pars.formats.mems_read), and
    the columns whose text is not a date or number where one is needed."""
    typed = Typed(cells)
    get = lambda name: cells.get(name, "").strip() or None  # noqa: E731
    outcomes = [
        (o.value, m in ("Objective", "Both"), m in ("Subjective", "Both"))
        for o in Outcome
        if (m := cells.get(f"{o.value} Measured", "").strip())
    ]
    money = [
        {
            "kind": "Monetary",
            "source": cells[f"Monetary Source {n}"].strip(),
            "amount": typed.whole(f"Monetary Amount {n}"),
        }
        for n in range(1, GROUPS + 1)
        if cells[f"Monetary Source {n}"].strip()
    ]
    kind = [
        {"kind": "In-kind", "source": cells[f"In-kind Source {n}"].strip(), "amount": None}
        for n in range(1, GROUPS + 1)
        if cells[f"In-kind Source {n}"].strip()
    ]
    values = {
        "internal_id": get("Provider Activity ID"),
        "accme_activity_id": get("ACCME Activity ID"),
        "title": get("Title"),
        "format": get("Format"),
        "delivery_methods": split(cells["Delivery Methods"]),
        "start_date": typed.day("Start Date"),
        "end_date": typed.day("End Date"),
        "country": get("Country"),
        "city": get("City"),
        "state": get("State/Province"),
        "postal_code": get("ZIP/Postal Code"),
        "ama_credits": get("AMA PRA Category 1 Credits"),
        "description": get("Description"),
        "in_cme_passport": flag(cells["Include in CME Passport"]),
        "registration": get("Who Can Register"),
        "fee": get("Fee"),
        "url": get("URL"),
        "moc": flag(cells.get("MOC", "")),
        "mips": flag(cells["MIPS"]),
        "rems": flag(cells["REMS"]),
        "rems_type": get("REMS Type"),
        "moc_attested": flag(cells.get("MOC Attested", "")),
        "mips_attested": flag(cells.get("MIPS Attested", "")),
        "providership": get("Providership"),
        "joint_providers": [
            cells[n].strip() for n in numbered("Joint Provider") if cells[n].strip()
        ],
        "outcomes": outcomes,
        "support_sources": money + kind,
        "commercial_support": flag(cells["Commercial Support Received"]),
        "commendation": flag(cells["Commendation"]),
        "commendation_tags": split(cells["Commendation Criteria"]),
        "moc_registrations": boards(cells, typed),
        "physician_learners": typed.whole("Physician Learners"),
        "other_learners": typed.whole("Other Learners"),
        "repeats": None,
        "record_action": None,
        "close": False,
    }
    return values, typed.errors


def boards(cells: dict[str, str], typed: Typed) -> list[dict]:
    found = []
    for n in range(1, GROUPS + 1):
        if cells.get(f"MOC Board {n}", "").strip():
            claim = typed.day(f"MOC Claim Date {n}")
            found.append(
                {
                    "board": cells[f"MOC Board {n}"].strip(),
                    "points": cells[f"MOC Points {n}"].strip(),
                    "claim_date": claim.isoformat() if claim else None,
                    "credit_types": split(cells[f"MOC Credit Types {n}"]),
                    "practice_areas": [],
                }
            )
    return found


def read(data: bytes) -> Iterator[tuple[int, dict]]:
    """(Excel row number, {"values": ...}) for each row after the header."""
    rows = learner_xlsx.read(data, header=HEADERS["cme"], variants=(HEADERS["moc"],))
    for number, cells in rows:
        values, errors = row_values(cells)
        yield number, {"errors": errors} if errors else {"values": values}
