"""Uploads: a file is checked row by row, previewed, then committed whole or cancelled."""

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlmodel import select

from pars.accounts.auth import owned_or_404
from pars.core import clock
from pars.core.db import get_session
from pars.formats import activity_template, learner_counts_xlsx, learner_xlsx, package
from pars.learners import completions
from pars.models import Activity, Upload
from pars.uploads import jobs, pipeline
from pars.uploads.forms import CommitUploadForm, UploadForm
from pars.vocab import Status, UploadStatus

bp = Blueprint("uploads", __name__, url_prefix="/uploads")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def recent_uploads():
    query = select(Upload).where(Upload.provider_id == current_user.provider_id)
    return get_session().exec(query.order_by(Upload.created_at.desc()).limit(10)).all()


@bp.get("/")
def index():
    """Show the upload form, the blank templates and recent uploads."""
    return index_page(UploadForm())


def index_page(form: UploadForm) -> str:
    return render_template(
        "uploads/index.html", form=form, uploads=recent_uploads(), progress_of=jobs.progress_of
    )


@bp.post("/")
def create():
    """Receive a learner template and show its preview; refuse what is not one."""
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:  # a large workbook's template is told in the background, from its header
            kind = pipeline.container_kind(data, upload_limits())
            if kind is None and not jobs.large(data):
                kind = pipeline.excel_kind(data)
        except learner_xlsx.FormatError as error:
            form.file.errors = [str(error)]
        else:
            return keep_for_preview(form.file.data.filename, data, kind or "")
    return index_page(form), 422


def upload_limits() -> package.Limits:
    return package.Limits(rows=current_app.config["MAX_UPLOAD_ROWS"])


def keep_for_preview(filename: str, data: bytes, kind: str) -> Response:
    """Keep the file and check it: now when it is small, in the background when it is large."""
    session = get_session()
    upload = Upload(
        provider_id=current_user.provider_id,
        user_id=current_user.id,
        kind=kind,
        filename=filename[:255],
        data=data,
        status=UploadStatus.CHECKING,
    )
    session.add(upload)
    session.commit()
    if jobs.large(data):
        jobs.start(upload)
    else:
        jobs.check_now(upload)
    return redirect(url_for("uploads.preview", upload_id=upload.id), code=303)


@bp.get("/<int:upload_id>")
def preview(upload_id: int):
    """Show what the file would change and every invalid row with its column, or how far
    the check (or the store) has come."""
    upload = owned_or_404(Upload, upload_id)
    jobs.recover(upload)
    result = None if upload.status in jobs.RUNNING else jobs.report_of(upload)
    invalid = result is not None and (result.invalid or result.problem)
    return render_template(
        "uploads/preview.html",
        upload=upload,
        result=result,
        form=CommitUploadForm(),
        actions=pipeline.actions(upload.kind),
        label=pipeline.label(upload.kind),
        progress=jobs.progress_of(upload),
    ), 422 if invalid and upload.status == UploadStatus.PENDING else 200


@bp.get("/<int:upload_id>/progress")
def progress(upload_id: int):
    """The progress bar (polled by htmx); once the job has ended, the preview page whole.
    With ``place=list``: the upload's line in the list of recent uploads."""
    upload = owned_or_404(Upload, upload_id)
    jobs.recover(upload)
    if request.args.get("place") == "list":
        return render_template("uploads/_upload_item.html", u=upload, progress_of=jobs.progress_of)
    if upload.status not in jobs.RUNNING:
        return Response(
            status=204, headers={"HX-Redirect": url_for("uploads.preview", upload_id=upload.id)}
        )
    return render_template(
        "uploads/_progress.html", upload=upload, progress=jobs.progress_of(upload)
    )


@bp.post("/<int:upload_id>/commit")
def commit(upload_id: int):
    """Store the file all or nothing (or, if asked, only its valid rows) in one transaction:
    now when it is small, in the background when it is large."""
    upload = owned_or_404(Upload, upload_id)
    form = CommitUploadForm()
    if not form.validate_on_submit() or not jobs.claim(upload):
        abort(409, "This upload was already stored or cancelled, or is being stored.")
    if jobs.large(upload.data):
        jobs.start(upload, valid_only=form.valid_only.data)
        return redirect(url_for("uploads.preview", upload_id=upload.id), code=303)
    if jobs.store_now(upload, valid_only=form.valid_only.data):  # refused: the
        return redirect(url_for("uploads.preview", upload_id=upload.id), code=303)  # page says why
    flash(f"Stored: {upload.result}.", "success")
    return redirect(url_for("uploads.index"), code=303)


@bp.post("/<int:upload_id>/cancel")
def cancel(upload_id: int):
    """Drop an upload without storing anything."""
    upload = owned_or_404(Upload, upload_id)
    if upload.status == UploadStatus.CANCELLED or jobs.cancel(upload):
        flash("The upload was cancelled and its file removed; nothing was stored.", "info")
        return redirect(url_for("uploads.index"), code=303)
    abort(409, f"This upload can no longer be cancelled: it is {upload.status}.")


def xlsx_download(body: bytes, name: str) -> Response:
    return Response(
        body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/templates/learners.xlsx")
def learner_template():
    """Download the blank learner template, with dropdown lists."""
    return xlsx_download(learner_xlsx.blank(), "learners.xlsx")


@bp.get("/templates/activities.xlsx")
def activities_template():
    """Download the blank activity template (CME), with dropdowns and instructions."""
    return xlsx_download(activity_template.blank("cme"), "activities.xlsx")


@bp.get("/templates/activities-moc.xlsx")
def activities_moc_template():
    """Download the blank activity template with the MOC columns (CME+MOC)."""
    return xlsx_download(activity_template.blank("moc"), "activities-moc.xlsx")


def awaiting_totals():
    return (
        select(Activity)
        .where(
            Activity.provider_id == current_user.provider_id,
            Activity.stage == Status.ACTIVE.value,  # Active or, once ended, Ready to Close
            Activity.end_date < clock.today() + timedelta(days=1),
        )
        .order_by(Activity.end_date)
    )


@bp.get("/templates/learner-counts.xlsx")
def counts_template():
    """Download the learner counts workbook, filled with the activities that await totals."""
    rows = get_session().exec(awaiting_totals())
    return xlsx_download(learner_counts_xlsx.blank(rows), "learner-counts.xlsx")


@bp.get("/templates/learner-counts-moc.xlsx")
def counts_moc_template():
    """The CME+MOC learner counts workbook: the same rows, with each activity's MOC boards
    and its individual completions with a board, for reference."""
    session = get_session()
    rows = session.exec(awaiting_totals().options(selectinload(Activity.moc_registrations))).all()
    reported = completions.moc_learners_reported(session, current_user.provider_id)
    body = learner_counts_xlsx.blank(rows, moc_learners=reported)
    return xlsx_download(body, "learner-counts-moc.xlsx")
