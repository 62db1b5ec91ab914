"""The Excel activity template, as PARS offers it: one row per activity, a CME variant and a
CME+MOC variant, repeating column groups for joint providers, support sources and MOC boards,
an instructions sheet, and a dropdown on every column with a fixed list (from pars.vocab).

Reading gives the same plain values as a MEMS record, so pars.uploads.kinds.activity_records
checks both.
"""

from collections.abc import Iterator

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pars.core.validation import control_character_error
from pars.formats import learner_xlsx, naming, spellings
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
    # Not in any published template: what a round trip of this system's export needs.
    "Repeats": YES_NO,
    "Repeat Occurrences": None,
    "Close Activity": YES_NO,
    "Record Key": None,
}
MOC = (
    CME
    | {"MOC": YES_NO, "MOC Attested": YES_NO, "MIPS Attested": YES_NO}
    | {
        name: ([b.value for b in MocBoard] if name.startswith("MOC Board ") else None)
        for name in numbered(
            "MOC Board", "MOC Points", "MOC Claim Date", "MOC Credit Types", "MOC Practice Areas"
        )
    }
)
# Columns read in file order but optional, so a workbook made before they existed still reads.
OPTIONAL = ("Repeats", "Repeat Occurrences", "Close Activity", "Record Key") + tuple(
    numbered("MOC Practice Areas")
)
OCCURRENCE_PARTS = ("start_date", "end_date", "city", "state", "postal_code", "country")
HEADERS = {"cme": tuple(CME), "moc": tuple(MOC)}
# The headers before the round-trip columns were added: such workbooks still read.
EARLIER = {name: tuple(c for c in header if c not in OPTIONAL) for name, header in HEADERS.items()}
INSTRUCTIONS = [
    (
        "Where the columns come from",
        "No published ACCME template was available to this system, so every column here is "
        "this system's own, named after the PARS fields (domain brief, section 2). Repeats, "
        "Repeat Occurrences, Close Activity, Record Key and MOC Practice Areas n carry what a "
        "round trip of this system's export needs.",
    ),
    ("Provider Activity ID", "Your own ID; a re-upload with the same ID updates the activity."),
    ("ACCME Activity ID", "Leave empty for a new activity; PARS gives it (exactly 9 digits)."),
    ("Country", "The name (United States), the two-letter code (US) or the three (USA)."),
    ("Yes/No columns", "Yes or No (also true/false, 1/0); anything else is refused."),
    (
        "Repeat Occurrences",
        "When Repeats is Yes, one occurrence per entry, separated by ';': start | end | city | "
        "state | ZIP | country, such as 03/02/2026 | 03/02/2026 | Chicago | IL | 60611 | USA.",
    ),
    ("Close Activity", "Yes to close the activity once the row is stored."),
    ("Record Key", "Written by this system's export; keep it so a re-upload matches the row."),
    ("Delivery Methods", "; between methods: " + "; ".join(d.value for d in DeliveryMethod)),
    ("<Outcome> Measured", "Objective, Subjective or Both for each outcome measured."),
    ("Commendation Criteria", "; between criteria, as listed: " + "; ".join(COMMENDATION_TAGS)),
    ("MOC Credit Types n", "; between the credit types of board n."),
    ("MOC Practice Areas n", "; between the practice areas of board n."),
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
        "Repeats": yes_no[activity.repeats],
        "Repeat Occurrences": occurrences_text(activity.repeat_instances),
        "Close Activity": yes_no[activity.closed_at is not None],
        "Record Key": activity.record_key,
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
                "MOC Practice Areas": [
                    "; ".join(p.practice_area for p in b.practice_areas) or None for b in boards
                ],
            }
        ),
    }


column_of = naming.namer(
    {
        "internal_id": "Provider Activity ID",
        "accme_activity_id": "ACCME Activity ID",
        "record_key": "Record Key",
        "title": "Title",
        "format": "Format",
        "delivery_methods": "Delivery Methods",
        "repeats": "Repeats",
        "instances": "Repeat Occurrences",
        "start_date": "Start Date",
        "end_date": "End Date",
        "country": "Country",
        "city": "City",
        "state": "State/Province",
        "postal_code": "ZIP/Postal Code",
        "ama_credits": "AMA PRA Category 1 Credits",
        "description": "Description",
        "in_cme_passport": "Include in CME Passport",
        "registration": "Who Can Register",
        "fee": "Fee",
        "url": "URL",
        "moc": "MOC",
        "mips": "MIPS",
        "rems": "REMS",
        "rems_type": "REMS Type",
        "moc_attested": "MOC Attested",
        "mips_attested": "MIPS Attested",
        "providership": "Providership",
        "joint_providers": "Joint Provider 1",
        "commercial_support": "Commercial Support Received",
        "support_kinds": "Monetary Source 1",
        "monetary": "Monetary Source 1",
        "in_kind": "In-kind Source 1",
        "commendation": "Commendation",
        "commendation_tags": "Commendation Criteria",
        "moc_registrations": "MOC Board 1",
        "outcomes": "<Outcome> Measured",
        "measures": "<Outcome> Measured",
    },
    {
        "joint_providers": {"": "Joint Provider"},
        "monetary": {"source": "Monetary Source", "amount": "Monetary Amount"},
        "in_kind": {"source": "In-kind Source"},
        "moc_registrations": {
            "board": "MOC Board",
            "points": "MOC Points",
            "claim_date": "MOC Claim Date",
            "credit_types": "MOC Credit Types",
            "practice_areas": "MOC Practice Areas",
        },
    },
)


def occurrences_text(instances) -> str | None:
    """The waiting occurrences of a repeating course, as the Instructions sheet describes."""
    rows = sorted(instances, key=lambda r: r.position)
    return (
        "; ".join(
            " | ".join(
                f"{v:%m/%d/%Y}" if hasattr(v, "strftime") else (v or "")
                for v in (getattr(r, name) for name in OCCURRENCE_PARTS)
            )
            for r in rows
        )
        or None
    )


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class Typed:
    """A row's text read as dates, numbers, yes/no answers and choices; what cannot be read
    is refused by its column, saying how to write it."""

    def __init__(self, cells: dict[str, str]):
        self.cells, self.errors, self.notices = cells, [], []

    def text(self, name: str) -> str:
        return self.cells.get(name, "").strip()

    def day(self, name: str, text: str | None = None):
        text = self.text(name) if text is None else text.strip()
        found = us_date(text) if text else None
        if text and found is None:
            self.errors.append((name, f'"{text}" is not a date: write it as MM/DD/YYYY.'))
        return found

    def whole(self, name: str) -> int | None:
        text = self.text(name).replace(",", "").removeprefix("$")
        if text and not text.isdigit():
            self.errors.append((name, f'"{text}" is not a whole number.'))
        return int(text) if text.isdigit() else None

    def read(self, name: str, function, text: str | None, *args):
        text = self.text(name) if text is None else text
        return spellings.reading(self.errors, self.notices, name, function, text, *args)

    def flag(self, name: str) -> bool | None:
        return self.read(name, spellings.boolean, None)

    def choice(self, name: str, field: str, text: str | None = None) -> str | None:
        return self.read(name, spellings.choice, text, field)

    def choices(self, name: str, field: str) -> list[str]:
        return [v for part in split(self.text(name)) if (v := self.choice(name, field, part))]

    def country(self, name: str, text: str | None = None) -> str | None:
        return self.read(name, spellings.country, text)

    def measured(self, name: str) -> tuple[bool, bool] | None:
        text = self.text(name)
        if not text:
            return None
        found = {spellings.key(m): m for m in MEASURES}.get(spellings.key(text))
        if found is None:
            self.errors.append((name, f'"{text}" is not one of Objective, Subjective, Both.'))
            return None
        return found in ("Objective", "Both"), found in ("Subjective", "Both")

    def occurrences(self, name: str) -> list[dict]:
        found = []
        for entry in split(self.text(name)):
            parts = [p.strip() for p in entry.split("|")]
            if len(parts) != len(OCCURRENCE_PARTS):
                self.errors.append(
                    (name, f'"{entry}": write start | end | city | state | ZIP | country.')
                )
                continue
            row = dict(zip(OCCURRENCE_PARTS, [p or None for p in parts], strict=True))
            row["start_date"] = self.day(name, parts[0])
            row["end_date"] = self.day(name, parts[1])
            row["country"] = self.country(name, parts[5])
            found.append(row)
        return found


MULTILINE_COLUMNS = ("Description",)
# Numbered columns that mean nothing without the first of their group in the same number.
DEPENDENT = {
    "Monetary Source": ("Monetary Amount",),
    "MOC Board": ("MOC Points", "MOC Claim Date", "MOC Credit Types", "MOC Practice Areas"),
}


def cell_problems(cells: dict[str, str]) -> list[tuple[str, str]]:
    """What no column may hold (a control character), and cells of a numbered group whose
    first column is empty (an amount without its source): named by the column, so nothing in
    a row is dropped without a word."""
    found = [
        (name, error)
        for name, text in cells.items()
        if text and (error := control_character_error(text, multiline=name in MULTILINE_COLUMNS))
    ]
    for key, dependents in DEPENDENT.items():
        for n in range(1, GROUPS + 1):
            if cells.get(f"{key} {n}", "").strip():
                continue
            found += [
                (f"{name} {n}", f"Fill {key} {n} too, or clear this cell.")
                for name in dependents
                if cells.get(f"{name} {n}", "").strip()
            ]
    return found


def row_values(cells: dict[str, str]) -> tuple[dict, list[tuple[str, str]], list[str]]:
    """The activity's plain values from one row (the keys of pars.formats.mems_read), the
    columns whose text cannot be used, and what was read another way than written."""
    typed = Typed(cells)
    typed.errors += cell_problems(cells)
    get = lambda name: cells.get(name, "").strip() or None  # noqa: E731
    outcomes = [
        (o.value, *found)
        for o in Outcome
        if (found := typed.measured(f"{o.value} Measured")) is not None
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
    repeats = typed.flag("Repeats")
    values = {
        "internal_id": get("Provider Activity ID"),
        "accme_activity_id": get("ACCME Activity ID"),
        "title": get("Title"),
        "format": typed.choice("Format", "format"),
        "delivery_methods": typed.choices("Delivery Methods", "delivery_methods"),
        "start_date": typed.day("Start Date"),
        "end_date": typed.day("End Date"),
        "country": typed.country("Country"),
        "city": get("City"),
        "state": get("State/Province"),
        "postal_code": get("ZIP/Postal Code"),
        "ama_credits": get("AMA PRA Category 1 Credits"),
        "description": get("Description"),
        "in_cme_passport": typed.flag("Include in CME Passport"),
        "registration": typed.choice("Who Can Register", "registration"),
        "fee": typed.choice("Fee", "fee"),
        "url": get("URL"),
        "moc": typed.flag("MOC"),
        "mips": typed.flag("MIPS"),
        "rems": typed.flag("REMS"),
        "rems_type": typed.choice("REMS Type", "rems_type"),
        "moc_attested": typed.flag("MOC Attested"),
        "mips_attested": typed.flag("MIPS Attested"),
        "providership": typed.choice("Providership", "providership"),
        "joint_providers": [
            cells[n].strip() for n in numbered("Joint Provider") if cells[n].strip()
        ],
        "outcomes": outcomes,
        "support_sources": money + kind,
        "commercial_support": typed.flag("Commercial Support Received"),
        "commendation": typed.flag("Commendation"),
        "commendation_tags": split(cells["Commendation Criteria"]),
        "moc_registrations": boards(cells, typed),
        "physician_learners": typed.whole("Physician Learners"),
        "other_learners": typed.whole("Other Learners"),
        "repeats": repeats,
        "repeat_instances": typed.occurrences("Repeat Occurrences"),
        "record_key": get("Record Key"),
        "record_action": None,
        "close": typed.flag("Close Activity"),
    }
    return values, typed.errors, typed.notices


def boards(cells: dict[str, str], typed: Typed) -> list[dict]:
    found = []
    for n in range(1, GROUPS + 1):
        if cells.get(f"MOC Board {n}", "").strip():
            claim = typed.day(f"MOC Claim Date {n}")
            found.append(
                {
                    "board": typed.choice(f"MOC Board {n}", "board"),
                    "points": cells[f"MOC Points {n}"].strip(),
                    "claim_date": claim.isoformat() if claim else None,
                    "credit_types": split(cells[f"MOC Credit Types {n}"]),
                    "practice_areas": split(cells.get(f"MOC Practice Areas {n}", "")),
                }
            )
    return found


def read(data: bytes) -> Iterator[tuple[int, dict]]:
    """(Excel row number, {"values": ...}) for each row after the header."""
    variants = (HEADERS["moc"], EARLIER["cme"], EARLIER["moc"])
    rows = learner_xlsx.read(data, header=HEADERS["cme"], variants=variants)
    for number, cells in rows:
        values, errors, notices = row_values(cells)
        yield number, {"errors": errors} if errors else {"values": values, "notices": notices}
