"""Uploads: a file is checked row by row, previewed, then committed whole or cancelled."""

from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user
from sqlmodel import select

from pars import imports, operations
from pars.auth import owned_or_404
from pars.db import get_session
from pars.formats import activity_template, learner_counts_xlsx, learner_xlsx, package
from pars.forms import CommitUploadForm, UploadForm
from pars.models import Activity, Upload
from pars.vocab import Status

bp = Blueprint("uploads", __name__, url_prefix="/uploads")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def recent_uploads():
    query = select(Upload).where(Upload.provider_id == current_user.provider_id)
    return get_session().exec(query.order_by(Upload.created_at.desc()).limit(10)).all()


@bp.get("/")
def index():
    """Show the upload form, the blank templates and recent uploads."""
    return render_template("uploads/index.html", form=UploadForm(), uploads=recent_uploads())


@bp.post("/")
def create():
    """Receive a learner template and show its preview; refuse what is not one."""
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            kind = imports.detect(data, upload_limits())
        except learner_xlsx.FormatError as error:
            form.file.errors = [str(error)]
        else:
            return keep_for_preview(form.file.data.filename, data, kind)
    return render_template("uploads/index.html", form=form, uploads=recent_uploads()), 422


def upload_limits() -> package.Limits:
    return package.Limits(rows=current_app.config["MAX_UPLOAD_ROWS"])


def keep_for_preview(filename: str, data: bytes, kind: str) -> Response:
    session = get_session()
    upload = Upload(provider_id=current_user.provider_id, user_id=current_user.id,
                    kind=kind, filename=filename[:255], data=data)  # fmt: skip
    session.add(upload)
    session.commit()
    return redirect(url_for("uploads.preview", upload_id=upload.id), code=303)


@bp.get("/<int:upload_id>")
def preview(upload_id: int):
    """Show what the file would change and every invalid row with its column."""
    upload = owned_or_404(Upload, upload_id)
    result = imports.check(upload.kind, get_session(), current_user.provider_id, upload.data,
                           today=date.today())  # fmt: skip
    status = 422 if (result.invalid or result.problem) and upload.status == "pending" else 200
    return render_template(
        "uploads/preview.html", upload=upload, result=result, form=CommitUploadForm(),
        actions=imports.actions(upload.kind), label=imports.KINDS[upload.kind][0],
    ), status  # fmt: skip


@bp.post("/<int:upload_id>/commit")
def commit(upload_id: int):
    """Store the file all or nothing (or, if asked, only its valid rows) in one transaction."""
    upload = owned_or_404(Upload, upload_id)
    form = CommitUploadForm()
    if upload.status != "pending" or not form.validate_on_submit():
        abort(409, "This upload was already stored or cancelled.")
    session = get_session()
    try:
        result = imports.commit(upload.kind, session, current_user.provider_id, upload.data,
                                today=date.today(), valid_only=form.valid_only.data,
                                user_id=current_user.id)  # fmt: skip
    except operations.Refused as refusal:
        session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("uploads.preview", upload_id=upload.id), code=303)
    upload.status = "stored"
    done = [f"{result.count(action)} {label}" for action, label in
            imports.actions(upload.kind).items()]  # fmt: skip
    upload.result = ", ".join(done + [f"{len(result.invalid)} invalid rows not stored"])
    session.commit()
    flash(f"Stored: {upload.result}.", "success")
    return redirect(url_for("uploads.index"), code=303)


@bp.post("/<int:upload_id>/cancel")
def cancel(upload_id: int):
    """Drop an upload without storing anything."""
    upload = owned_or_404(Upload, upload_id)
    if upload.status == "pending":
        upload.status = "cancelled"
        get_session().commit()
    flash("The upload was cancelled; nothing was stored.", "info")
    return redirect(url_for("uploads.index"), code=303)


def xlsx_download(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


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


@bp.get("/templates/learner-counts.xlsx")
def counts_template():
    """Download the learner counts workbook, filled with the activities that await totals."""
    query = select(Activity).where(
        Activity.provider_id == current_user.provider_id,
        Activity.status.in_([Status.READY_TO_CLOSE.value, Status.ACTIVE.value]),
        Activity.end_date < date.today() + timedelta(days=1),
    ).order_by(Activity.end_date)
    return xlsx_download(learner_counts_xlsx.blank(get_session().exec(query)),
                         "learner-counts.xlsx")
