"""Forms of the upload page: the file, and committing its checked rows."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
)


class UploadForm(FlaskForm):
    file = FileField(
        "File (.xlsx template, MEMS .xml, or tab-delimited .txt)",
        validators=[
            FileRequired("Choose a file to upload."),
            FileAllowed(
                ["xlsx", "xml", "txt", "tab"],
                "Upload an .xlsx template, a MEMS .xml file or a tab-delimited .txt file.",
            ),
        ],
    )


class CommitUploadForm(FlaskForm):
    valid_only = BooleanField("Store the valid rows only and leave out the invalid ones")
