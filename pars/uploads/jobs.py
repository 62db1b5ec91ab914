"""Checking and storing an upload, at once for a small file and in the background for a large one.

A file of UPLOAD_BACKGROUND_BYTES or more is checked, and later stored, by a task on the queue
(pars.core.tasks), which the worker runs with at most UPLOAD_WORKERS files at once: the request
answers at once, the upload page shows a progress bar (or that the file waits its turn), and
the person may leave and come back. The progress goes to a small JSON file under the instance
folder rather than to the database, because storing a file is one transaction and on SQLite
that transaction holds the only write lock until it commits; any process can read the file. A
job whose worker is gone (stopped, restarted or killed), or whose progress has not moved for
STALE_SECONDS, is taken up again when its upload is next viewed.
"""

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import update
from sqlmodel import Session

from pars.core import clock, tasks
from pars.core.db import close_session, get_session
from pars.core.errors import Refused
from pars.formats.package import FormatError
from pars.models import Upload
from pars.uploads import pipeline
from pars.uploads.rows import UploadCheck
from pars.vocab import UPLOAD_CANCELLABLE, UPLOAD_RUNNING, UploadStatus

RUNNING = UPLOAD_RUNNING
STALE_SECONDS = 120
INTERRUPTED = "The server stopped while storing this file; nothing was stored. Commit it again."
FAILED = "The file could not be {0} because of an error on the server; nothing was stored."
TASK = "uploads.run"


def large(data: bytes) -> bool:
    """Whether a file is checked and stored in the background."""
    return len(data) >= current_app.config["UPLOAD_BACKGROUND_BYTES"]


def progress_path(upload_id: int) -> Path:
    return Path(current_app.config["UPLOAD_PROGRESS_DIR"]) / f"upload-{upload_id}.json"


def write_progress(path: Path, done: int, total: int, *, queued: bool = False) -> None:
    """Replace the progress file whole, so a reader never sees half of it."""
    partial = path.with_suffix(".part")
    progress = {"done": done, "total": total, "at": time.time(), "pid": os.getpid()}
    partial.write_text(json.dumps(progress | {"queued": queued}))
    os.replace(partial, path)


def progress_of(upload: Upload) -> dict:
    """{"done": rows, "total": about how many, "at": when last written, "pid": by whom,
    "queued": still waiting for a worker}."""
    try:
        return {"queued": False} | json.loads(progress_path(upload.id).read_text())
    except (OSError, ValueError):
        return {"done": 0, "total": 0, "at": 0.0, "pid": 0, "queued": False}


def check_now(upload: Upload, progress: pipeline.Progress = None) -> None:
    """Check the file and keep the preview with the upload (nothing else is stored). A
    workbook whose template is not known yet is told from its header first."""
    session = get_session()
    upload.kind = upload.kind or pipeline.excel_kind(upload.data)
    result = pipeline.check(
        upload.kind,
        session,
        upload.provider_id,
        upload.data,
        today=clock.today(),
        progress=progress,
    )
    upload.report, upload.status = result.as_report(), UploadStatus.PENDING
    session.commit()


def cancel(upload: Upload) -> bool:
    """Cancel an upload not yet stored and remove its file at once; False when it can no
    longer be cancelled (a commit got there first: it is being stored, or was)."""
    session = get_session()
    cancelled = session.execute(
        update(Upload)
        .where(Upload.id == upload.id, Upload.status.in_(UPLOAD_CANCELLABLE))
        .values(status=UploadStatus.CANCELLED, data=b"", file_removed_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    session.refresh(upload)
    return cancelled == 1


def claim(upload: Upload) -> bool:
    """Mark a checked upload as being stored; False when someone else got there first."""
    session = get_session()
    claimed = (
        session.execute(
            update(Upload)
            .where(Upload.id == upload.id, Upload.status == UploadStatus.PENDING)
            .values(status=UploadStatus.STORING, note=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    session.commit()
    session.refresh(upload)
    return claimed


def store_now(
    upload: Upload, *, valid_only: bool, progress: pipeline.Progress = None
) -> str | None:
    """Store a claimed upload in one transaction, marking it stored in that same transaction;
    if the rules refuse the file, nothing is stored and the reason is returned (and kept)."""
    session = get_session()
    try:
        result = pipeline.commit(
            upload.kind,
            session,
            upload.provider_id,
            upload.data,
            today=clock.today(),
            valid_only=valid_only,
            user_id=upload.user_id,
            progress=progress,
        )
    except Refused as refusal:
        session.rollback()
        upload.status, upload.note = UploadStatus.PENDING, str(refusal)
        session.commit()
        return str(refusal)
    upload.status, upload.report = UploadStatus.STORED, result.as_report()
    upload.result = pipeline.summary(upload.kind, result)
    session.commit()
    return None


def register(app: Flask) -> None:
    tasks.register(app, TASK, run)


def start(upload: Upload, *, valid_only: bool = False) -> None:
    """Queue the check (status "checking") or the store (status "storing") for the worker."""
    path = progress_path(upload.id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_progress(path, 0, pipeline.estimated_rows(upload.kind, upload.data), queued=True)
    tasks.enqueue(TASK, upload.id, valid_only)


def run(app: Flask, upload_id: int, valid_only: bool) -> None:
    """The task: check or store the upload, as its status says, reporting progress."""
    session = get_session()
    upload = session.get(Upload, upload_id)
    if upload is None or upload.status not in RUNNING:  # deleted, or taken up already
        return
    session.info["user_id"] = upload.user_id  # who the audit history names
    path, total = progress_path(upload_id), progress_of(upload)["total"]
    report = lambda done: write_progress(path, done, total)  # noqa: E731
    report(0)  # running now, in this process
    try:
        if upload.status == UploadStatus.CHECKING:
            check_now(upload, progress=report)
        else:
            store_now(upload, valid_only=valid_only, progress=report)
    except FormatError as error:  # not a template after all: the page names the problem
        fail(upload_id, str(error))
    except Exception:  # the job's own request is long gone: log it, tell the page
        app.logger.exception("Upload %s failed", upload_id)
        fail(upload_id)
    finally:
        close_session()
        path.unlink(missing_ok=True)


def fail(upload_id: int, why: str | None = None) -> None:
    session = get_session()
    session.rollback()
    upload = session.get(Upload, upload_id)
    doing = "checked" if upload.status == UploadStatus.CHECKING else "stored"
    upload.status = (
        UploadStatus.FAILED if upload.status == UploadStatus.CHECKING else UploadStatus.PENDING
    )
    upload.note = why or FAILED.format(doing)
    session.commit()


def wait(app: Flask, upload_id: int, timeout: float = 60) -> str:
    """Wait until the job on an upload has ended; its status (the tests use it)."""
    deadline = time.monotonic() + timeout
    while True:
        with Session(app.extensions["pars_engine"]) as session:
            status = session.get(Upload, upload_id).status
        if status not in RUNNING or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def recover(upload: Upload) -> None:
    """Take up a job whose worker stopped: a check starts again; a store goes back to
    "pending" (its transaction never committed, so nothing of it was stored). A job still
    waiting in the queue is left there: the queue keeps it across restarts."""
    if upload.status not in RUNNING:
        return
    progress = progress_of(upload)
    if progress["queued"] or not stopped(progress):
        return
    if upload.status == UploadStatus.CHECKING:
        start(upload)
        return
    session = get_session()
    session.execute(
        update(Upload)
        .where(Upload.id == upload.id, Upload.status == UploadStatus.STORING)
        .values(status=UploadStatus.PENDING, note=INTERRUPTED)
    )
    session.commit()
    session.refresh(upload)


def stopped(progress: dict) -> bool:
    """True when the job's process is gone, or its progress has not moved for a long time
    (another machine's process, or a process id taken again)."""
    pid = progress.get("pid")
    if not pid or time.time() - progress["at"] > STALE_SECONDS:
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def report_of(upload: Upload) -> UploadCheck | None:
    """The kept preview; an upload from before previews were kept is checked now, once."""
    if upload.report is None and upload.status == UploadStatus.PENDING:
        check_now(upload)
    return UploadCheck.from_report(upload.report) if upload.report else None
