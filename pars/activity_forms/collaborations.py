"""Step 4, Collaborations: the details of the MOC, MIPS and REMS registrations of step 2."""

from wtforms import BooleanField, DateField, FieldList, Form, FormField, RadioField, SelectField
from wtforms.validators import Optional

from pars.activity_forms import MAX_ROWS, CreditsField, MultiCheckboxField, StepForm, add_error
from pars.forms import enum_options, options
from pars.sections import Sections
from pars.vocab import MOC_BOARD_NAMES, MOC_CREDIT_TYPES, PRACTICE_AREAS, MocBoard, RemsType

ALL_CREDIT_TYPES = sorted({t for types in MOC_CREDIT_TYPES.values() for t in types})


class MocBoardForm(Form):
    """One board the activity is registered with for MOC."""

    board = SelectField(
        "Board", default="",
        choices=options([("", "Choose a board")] +
                        [(b.value, f"{b.value}: {MOC_BOARD_NAMES[b]}") for b in MocBoard]),
    )  # fmt: skip
    points = CreditsField("MOC points")
    credit_types = MultiCheckboxField(
        "Credit types", choices=options((t, t) for t in ALL_CREDIT_TYPES)
    )
    practice_areas = MultiCheckboxField(
        "Practice areas", choices=options((a, a) for a in PRACTICE_AREAS)
    )
    claim_date = DateField("Date by which learners must claim credit", validators=[Optional()])

    def check_board(self) -> None:
        offered = set(MOC_CREDIT_TYPES.get(self.board.data, ()))
        for credit_type in self.credit_types.data or ():
            if credit_type not in offered:
                add_error(self.credit_types, f"{self.board.data or 'This board'} does not "
                                             f"award {credit_type}.")  # fmt: skip


class CollaborationsForm(StepForm):
    moc_registrations = FieldList(FormField(MocBoardForm), max_entries=MAX_ROWS)
    moc_attested = BooleanField(
        "I attest that this activity meets the MOC requirements of each board above."
    )
    mips_attested = BooleanField(
        "I confirm that this activity meets the MIPS improvement-activity criteria."
    )
    rems_type = RadioField("Which REMS is this activity for?", choices=enum_options(RemsType),
                           validators=[Optional()])  # fmt: skip

    def check_applicable(self, sections: Sections) -> None:
        self.refuse_unless(sections.moc_details, self.moc_registrations, self.moc_attested)
        self.refuse_unless(sections.mips_details, self.mips_attested)
        self.refuse_unless(sections.rems_details, self.rems_type)
        boards = [entry.form.board.data for entry in self.moc_registrations]
        if len([b for b in boards if b]) != len({b for b in boards if b}):
            self.row_errors["moc_registrations"] = "List each board once."
        for entry in self.moc_registrations:
            entry.form.check_board()

    def values(self, sections: Sections) -> dict:
        boards = [
            {"board": e.form.board.data, "points": e.form.points.data,
             "claim_date": e.form.claim_date.data,
             "credit_types": list(e.form.credit_types.data or ()),
             "practice_areas": list(e.form.practice_areas.data or ())}
            for e in self.moc_registrations if e.form.board.data
        ] if sections.moc_details else []  # fmt: skip
        return {
            "moc_registrations": boards,
            "moc_attested": bool(self.moc_attested.data) if sections.moc_details else None,
            "mips_attested": bool(self.mips_attested.data) if sections.mips_details else None,
            "rems_type": (self.rems_type.data or None) if sections.rems_details else None,
        }

    def load(self, activity) -> None:
        for row in activity.moc_registrations:
            self.moc_registrations.append_entry({
                "board": row.board, "points": row.points, "claim_date": row.claim_date,
                "credit_types": [c.credit_type for c in row.credit_types],
                "practice_areas": [p.practice_area for p in row.practice_areas],
            })  # fmt: skip
        self.moc_attested.data = bool(activity.moc_attested)
        self.mips_attested.data = bool(activity.mips_attested)
        self.rems_type.data = activity.rems_type
