"""upload file retention: a file is kept only as long as it is needed

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 00:30:00

Uploaded files were kept forever, cancelled ones too. A cancelled file is removed at once, a
stored or failed one UPLOAD_RETENTION_DAYS after it was uploaded (pars.uploads.retention); the
upload's preview and result stay, and file_removed_at says when its file went. Added in place.
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "upload", sa.Column("file_removed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("upload") as batch_op:
        batch_op.drop_column("file_removed_at")
