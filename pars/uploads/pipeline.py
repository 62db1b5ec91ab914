"""The one upload pipeline: tell which template a file is, check it, store it.

Every kind of file is registered here (pars.uploads.kinds: how it is read, checked, stored);
the upload views never know which one they hold. Rows stream through: a file of any size is read,
checked and stored a chunk at a time, and only invalid rows are kept for the preview.
"""

import re
from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice

from sqlmodel import Session

from pars.core.errors import Refused
from pars.formats import learner_reports_xml, learner_xlsx, legacy_tab, package, prefetch, safe_xml
from pars.uploads.kinds import UploadKind, activity_records, learner_completions, learner_counts
from pars.uploads.rows import RowResult, UploadCheck

KINDS: dict[str, UploadKind] = {
    kind.name: kind
    for kind in (
        learner_completions.KIND,
        learner_completions.REPORTS_XML,
        learner_counts.KIND,
        activity_records.TEMPLATE_CME,
        activity_records.TEMPLATE_MOC,
        activity_records.MEMS_XML,
        activity_records.LEGACY_TAB,
    )
}
EXCEL_KINDS = {name: kind for name, kind in KINDS.items() if kind.header}
RECORD_END = re.compile(rb"</(?:[\w.-]+:)?MedicalEducationMetrics\s*>")
PROGRESS_EVERY = 500  # rows read at a time: one report to a progress callback per batch
Progress = Callable[[int], None] | None  # told how many rows are done
CHUNK = 1000  # valid rows stored at a time: bounds memory, and the wait after the last row


def detect(data: bytes, limits: package.Limits = package.DEFAULT_LIMITS) -> str:
    """The kind of file; a FormatError names what is wrong."""
    return container_kind(data, limits) or excel_kind(data)


def container_kind(data: bytes, limits: package.Limits = package.DEFAULT_LIMITS) -> str | None:
    """The kind of an XML or tab-delimited file, from its content; None for a workbook,
    whose package is checked first (size, zip bomb, row count), before anything parses it.
    Quick whatever the size: reading a workbook's header can take seconds (openpyxl reads a
    sheet without a size in its XML through to the end first), so for a large file that is
    left to the background job."""
    if safe_xml.looks_like_xml(data):
        safe_xml.refuse_declarations(data)
        if learner_reports_xml.looks_like_learner_reports(data):
            return "learners_xml"
        return "activities_xml"
    if legacy_tab.looks_like_tab_file(data):
        return "activities_tab"
    package.check(data, limits)
    return None


def excel_kind(data: bytes) -> str:
    """Which template a checked workbook is, from its header row."""
    found = learner_xlsx.header_of(data)
    for name, kind in EXCEL_KINDS.items():
        for header in (kind.header, *kind.variants):
            if found == tuple(column.strip() for column in header):
                return name
    # Not an exact header: report against the template it most resembles.
    closest = max(
        EXCEL_KINDS.values(), key=lambda k: len(set(found) & {h.strip() for h in k.header})
    )
    learner_xlsx.check_header(iter([(), found]), closest.header)
    raise learner_xlsx.FormatError("Row 2 does not hold the header of a known template.")


def checked_rows(
    kind: str,
    session: Session,
    provider_id: int,
    data: bytes,
    *,
    today: date,
    progress: Progress = None,
) -> Iterator[RowResult]:
    checker = KINDS[kind].checker(session, provider_id, today=today)
    prepare = getattr(checker, "prepare", None)  # reads what a batch of rows matches at once
    rows, count = prefetch.rows(KINDS[kind].read, data), 0
    while batch := list(islice(rows, PROGRESS_EVERY)):
        if prepare is not None:
            prepare([cells for _, cells in batch])
        for number, cells in batch:
            yield checker.check(number, cells)
        count += len(batch)
        if progress is not None:
            progress(count)


def check(
    kind: str,
    session: Session,
    provider_id: int,
    data: bytes,
    *,
    today: date,
    progress: Progress = None,
) -> UploadCheck:
    """What storing the file would do (the preview); nothing is stored."""
    result = UploadCheck()
    try:
        for row in checked_rows(kind, session, provider_id, data, today=today, progress=progress):
            result.note(row)
    except learner_xlsx.FormatError as error:  # damaged part way: nothing of it can be stored
        result.problem = str(error)
    return result


def commit(
    kind: str,
    session: Session,
    provider_id: int,
    data: bytes,
    *,
    today: date,
    valid_only: bool,
    user_id: int,
    progress: Progress = None,
) -> UploadCheck:
    """Check the file again and store the rows that change something, in the caller's
    transaction (one commit for the file). At the first invalid row, Refused is raised and the
    caller rolls back, unless ``valid_only`` was chosen: then invalid rows are skipped."""
    result, pending = UploadCheck(), []
    storer = KINDS[kind].storer(session, provider_id=provider_id, today=today, user_id=user_id)
    try:
        for row in checked_rows(kind, session, provider_id, data, today=today, progress=progress):
            store_row(row, result, pending, storer, valid_only=valid_only)
    except learner_xlsx.FormatError as error:
        raise Refused(f"{error} Nothing was stored.") from error
    storer.add(pending)
    storer.finish()
    return result


def store_row(
    row: RowResult, result: UploadCheck, pending: list, storer, *, valid_only: bool
) -> None:
    result.note(row)
    if row.errors and not valid_only:
        raise Refused(f"Row {row.number} is invalid; nothing was stored.")
    if not row.errors and row.action != "unchanged":
        pending.append(row)
    if len(pending) == CHUNK:
        storer.add(pending)
        pending.clear()


def actions(kind: str) -> dict[str, str]:
    """What storing a row of this kind can do; nothing yet for a workbook not yet told apart."""
    return dict(KINDS[kind].actions) if kind in KINDS else {}


def label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else "Excel workbook"


def estimated_rows(kind: str, data: bytes) -> int:
    """About how many rows or records the file holds (for a progress bar)."""
    if kind == "activities_xml":
        return len(RECORD_END.findall(data))
    if kind == "learners_xml":
        return data.count(b"ActivityReport>") // 2 or 1
    if kind == "activities_tab":
        return data.count(b"\n") + 1
    return package.rows_in(data)


def summary(kind: str, result: UploadCheck) -> str:
    """What storing did, in words: "3 new activities, 1 updated activities, ..."."""
    done = [f"{result.count(action)} {label}" for action, label in actions(kind).items()]
    return ", ".join(done + [f"{len(result.invalid)} invalid rows not stored"])
