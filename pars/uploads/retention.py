"""Keeping uploaded files only as long as they are needed: a cancelled file goes at once; a
stored or failed one, and one checked but never committed, goes UPLOAD_RETENTION_DAYS after it
was uploaded (the worker's daily task). The upload's preview and result stay, so the list and
its page still say what the file did. Evidence that must stay with an activity is never an
upload: it is kept with the activity itself.
"""

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import update
from sqlmodel import Session

from pars.core import tasks
from pars.core.db import get_session
from pars.models import Upload
from pars.vocab import UploadStatus

EXPIRES = (UploadStatus.STORED, UploadStatus.FAILED, UploadStatus.PENDING, UploadStatus.CANCELLED)
NOT_COMMITTED = "Not committed within {0} days: the file was removed and nothing was stored."


def remove_old_files(session: Session, *, now: datetime, keep_days: int) -> int:
    """Remove the files of uploads past their keeping; how many. A pending one is cancelled
    too (a job at work on one is never touched)."""
    old = Upload.created_at < now - timedelta(days=keep_days)
    still_held = Upload.file_removed_at.is_(None)
    session.execute(
        update(Upload)
        .where(old, still_held, Upload.status == UploadStatus.PENDING)
        .values(status=UploadStatus.CANCELLED, note=NOT_COMMITTED.format(keep_days))
    )
    removed = session.execute(
        update(Upload)
        .where(old, still_held, Upload.status.in_(EXPIRES))
        .values(data=b"", file_removed_at=now)
    ).rowcount
    return removed


def daily(app: Flask) -> None:
    session = get_session()
    remove_old_files(session, now=datetime.now(UTC), keep_days=app.config["UPLOAD_RETENTION_DAYS"])
    session.commit()


def register(app: Flask) -> None:
    tasks.register_periodic(app, "uploads.retention", tasks.crontab(hour="3", minute="15"), daily)
