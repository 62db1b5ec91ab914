"""The one upload pipeline: tell which template a file is, check it, store it.

Every format registers its checker here; the upload views never know which one they hold.
"""

from datetime import date
from types import ModuleType

from sqlmodel import Session

from pars import counts_upload, learner_upload, operations
from pars.formats import learner_counts_xlsx, learner_xlsx
from pars.upload_rows import UploadCheck

# kind -> (label, header in row 2, checker module)
KINDS: dict[str, tuple[str, tuple[str, ...], ModuleType]] = {
    "learners": ("Individual learners", learner_xlsx.HEADER, learner_upload),
    "learner_counts": ("Learner counts", learner_counts_xlsx.HEADER, counts_upload),
}


def detect(data: bytes) -> str:
    """The kind of template, from its header row; a FormatError names what is wrong."""
    found = learner_xlsx.header_of(data)
    for kind, (_, header, _) in KINDS.items():
        if found == tuple(name.strip() for name in header):
            return kind
    # Not an exact header: report against the template it most resembles.
    closest = max(KINDS.values(), key=lambda k: len(set(found) & {h.strip() for h in k[1]}))
    learner_xlsx.check_header(iter([(), found]), closest[1])
    raise learner_xlsx.FormatError("Row 2 does not hold the header of a known template.")


def check(kind: str, session: Session, provider_id: int, data: bytes, *, today: date
          ) -> UploadCheck:  # fmt: skip
    return KINDS[kind][2].check_file(session, provider_id, data, today=today)


def store(kind: str, session: Session, result: UploadCheck, *, today: date, valid_only: bool,
          user_id: int) -> None:  # fmt: skip
    """Store the rows that change something, in the caller's transaction (one commit for the
    file). A file with an invalid row stores nothing unless ``valid_only`` was chosen."""
    if result.invalid and not valid_only:
        raise operations.Refused("The file has invalid rows; nothing was stored.")
    rows = [row for row in result.rows if not row.errors and row.action != "unchanged"]
    KINDS[kind][2].store(session, rows, today=today, user_id=user_id)


def actions(kind: str) -> dict[str, str]:
    return KINDS[kind][2].ACTIONS
