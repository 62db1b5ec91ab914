"""POST /api/v1/imports: any upload format, recognised from its content, through the same
pipeline as the Uploads page: commit=false answers the preview, commit=true stores all or
nothing (valid_only=true stores the valid rows and says how many were left out)."""

from flask import current_app, g, jsonify, request

from pars.api import Problem, bp
from pars.core import clock
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.formats.package import FormatError, Limits
from pars.uploads import pipeline as upload_pipeline
from pars.uploads.rows import UploadCheck

TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


def flag(name: str) -> bool:
    text = request.form.get(name, request.args.get(name, "")).strip().lower()
    if text not in TRUE | FALSE:
        raise Problem(400, "Bad parameter.", [(name, "true or false.")])
    return text in TRUE


def counts(kind: str, result: UploadCheck) -> dict:
    return {
        "kind": kind,
        "counts": {action: result.count(action) for action in upload_pipeline.actions(kind)}
        | {"invalid": len(result.invalid)},
        "errors": [
            {"row": row.number, "field": column, "message": message}
            for row in result.invalid
            for column, message in row.errors
        ],
        "problem": result.problem or None,
        "notices": result.notices,
    }


@bp.post("/imports")
def import_file():
    """Check (commit=false) or store (commit=true) the file in the multipart field ``file``."""
    upload = request.files.get("file")
    if upload is None:
        raise Problem(400, "Send the file as the multipart field 'file'.", [("file", "Missing.")])
    commit, valid_only, data = flag("commit"), flag("valid_only"), upload.read()
    try:
        kind = upload_pipeline.detect(data, Limits(rows=current_app.config["MAX_UPLOAD_ROWS"]))
    except FormatError as error:
        raise Problem(422, str(error), [("file", str(error))]) from None
    session, provider_id, today = get_session(), g.api_user.provider_id, clock.today()
    if not commit:
        result = upload_pipeline.check(kind, session, provider_id, data, today=today)
        return jsonify(counts(kind, result) | {"stored": False}), 422 if (
            result.invalid or result.problem
        ) else 200
    try:
        result = upload_pipeline.commit(
            kind,
            session,
            provider_id,
            data,
            today=today,
            valid_only=valid_only,
            user_id=g.api_user.id,
        )
    except Refused as refusal:
        raise Problem(422, str(refusal), [("file", str(refusal))]) from None
    session.commit()
    return jsonify(counts(kind, result) | {"stored": True})
