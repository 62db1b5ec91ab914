"""Learner pre-validation: check a pasted list of learners before reporting completions.

Each row is checked with the completion rules (pars.learners.rules) and matched against the
directory, so the provider fixes identities before PARS rejects them.
"""

import csv
import io
from dataclasses import dataclass, field

from sqlmodel import Session

from pars.learners import directory, matching
from pars.learners import rules as learner_rules

COLUMNS = (
    "First Name",
    "Last Name",
    "Date of Birth (MM/DD)",
    "Licensing State",
    "NPI or License Number",
    "Certifying Board",
    "Certifying Board ID",
)
MAX_ROWS = 5000


@dataclass
class RowCheck:
    number: int
    name: str
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    result: matching.MatchResult | None = None


def parse(text: str) -> list[list[str]]:
    """Rows of a pasted list: tab-separated when there are tabs (a spreadsheet copy), else
    comma-separated; a header row naming "First Name" is skipped."""
    delimiter = "\t" if "\t" in text else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [[cell.strip() for cell in row] for row in reader if any(c.strip() for c in row)]
    if rows and rows[0] and rows[0][0].lower().startswith("first"):
        rows = rows[1:]
    return rows


def check_row(session: Session, provider_id: int, number: int, cells: list[str]) -> RowCheck:
    first, last, birth, state, ident, board, board_id = (cells + [""] * 7)[:7]
    check = RowCheck(number, f"{first} {last}".strip())
    problems = check.problems
    if len(cells) > len(COLUMNS):
        problems.append(("(row)", f"{len(cells)} columns; expected at most {len(COLUMNS)}."))
    for column, value in ((COLUMNS[0], first), (COLUMNS[1], last)):
        if not value:
            problems.append((column, "Required."))
    birth_error = learner_rules.birth_month_day_error(birth)
    if birth_error:
        problems.append((COLUMNS[2], birth_error))
    if state and learner_rules.state_error(state):
        problems.append((COLUMNS[3], f"{state} is not a US state code."))
    npi = ident if ident.isdigit() and len(ident) == 10 else None
    if npi and learner_rules.npi_error(npi):
        problems.append((COLUMNS[4], learner_rules.npi_error(npi)))
    if board_id and not board:
        problems.append((COLUMNS[5], "Name the board of this board ID."))
    if first and last and not birth_error:
        proposed = directory.Proposed(
            first,
            last,
            birth,
            state=state or None,
            npi=npi,
            board=board or None,
            board_id=board_id or None,
        )
        check.result = directory.match(session, provider_id, proposed)
    return check


def check_list(session: Session, provider_id: int, text: str) -> list[RowCheck]:
    rows = parse(text)
    if len(rows) > MAX_ROWS:
        raise ValueError(f"Check at most {MAX_ROWS:,} learners at a time ({len(rows):,} given).")
    return [check_row(session, provider_id, n, cells) for n, cells in enumerate(rows, start=1)]
