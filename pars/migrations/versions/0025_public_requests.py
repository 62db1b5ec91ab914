"""Public pages limited per address

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 09:00:00

public_request: one row per request to a public page (the catalog and its JSON), kept a minute,
so the limit per address holds across workers and restarts (pars.core.public_limits).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_public_request_at", "public_request", ["at"])
    op.create_index("ix_public_request_address_at", "public_request", ["address", "at"])


def downgrade() -> None:
    op.drop_index("ix_public_request_address_at", table_name="public_request")
    op.drop_index("ix_public_request_at", table_name="public_request")
    op.drop_table("public_request")
