"""Integrity: provider settings, the company registry, support agreements, reminders, and the
owner/employee exception

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.add_column("provider", sa.Column("integrity_since", sa.Date(), nullable=True))
    op.add_column(
        "provider",
        sa.Column("integrity_blocks_closing", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.add_column(
        "provider",
        sa.Column("reminder_days", sa.String(40), nullable=False, server_default="14,7"),
    )
    op.add_column(
        "provider",
        sa.Column("disclosure_valid_months", sa.Integer(), nullable=False, server_default="12"),
    )
    op.add_column("content_role", sa.Column("exclusion_exception", sa.String(80), nullable=True))
    op.add_column("disclosure", sa.Column("employee_of", sa.String(200), nullable=True))
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider_id", sa.Integer(), sa.ForeignKey("provider.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("makes_products", sa.Boolean(), nullable=True),
        sa.Column("advocates", sa.Boolean(), nullable=True),
        sa.Column("family_makes", sa.Boolean(), nullable=True),
        sa.Column("ineligible", sa.Boolean(), nullable=True),
        sa.Column("determined_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("determined_at", TIME(), nullable=True),
        sa.UniqueConstraint("provider_id", "name", name="uq_company_name"),
    )
    op.create_index("ix_company_provider_id", "company", ["provider_id"])
    op.create_table(
        "support_agreement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activity.id"), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("provider_signed_on", sa.Date(), nullable=True),
        sa.Column("supporter_signed_on", sa.Date(), nullable=True),
        sa.Column("joint_provider_signed_on", sa.Date(), nullable=True),
        sa.Column("amount_received", sa.Integer(), nullable=True),
        sa.Column("amount_spent", sa.Integer(), nullable=True),
        sa.Column("updated_at", TIME(), nullable=False),
        sa.UniqueConstraint("activity_id", "source", name="uq_support_agreement"),
    )
    op.create_index("ix_support_agreement_activity_id", "support_agreement", ["activity_id"])
    op.create_table(
        "disclosure_reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activity.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIME(), nullable=False),
        sa.UniqueConstraint(
            "activity_id", "person_id", "days_before", name="uq_disclosure_reminder"
        ),
    )
    op.create_index("ix_disclosure_reminder_activity_id", "disclosure_reminder", ["activity_id"])


def downgrade() -> None:
    for table in ("disclosure_reminder", "support_agreement", "company"):
        op.drop_table(table)
    with op.batch_alter_table("disclosure") as batch_op:
        batch_op.drop_column("employee_of")
    with op.batch_alter_table("content_role") as batch_op:
        batch_op.drop_column("exclusion_exception")
    with op.batch_alter_table("provider") as batch_op:
        for name in (
            "disclosure_valid_months",
            "reminder_days",
            "integrity_blocks_closing",
            "integrity_since",
        ):
            batch_op.drop_column(name)
