"""Learners claim their own credit: session dates of a series, claim links, late passes, claims,
their evaluation answers, the provider's question bank, emailed certificate links and replaced
certificate codes; the approval setting; public requests counted per bucket

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 13:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

TIME = sqlmodel.sql.sqltypes.UTCDateTime


def key(name: str, table: str, **options) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(f"{table}.id"), **options)


def upgrade() -> None:
    op.add_column(
        "provider",
        sa.Column("claims_need_approval", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.add_column(
        "public_request",
        sa.Column("bucket", sa.String(80), nullable=False, server_default=""),
    )
    op.drop_index("ix_public_request_address_at", table_name="public_request")
    op.create_index(
        "ix_public_request_bucket_address_at", "public_request", ["bucket", "address", "at"]
    )
    op.create_table(
        "activity_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("activity_id", "activity", nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(200), nullable=True),
        sa.UniqueConstraint("activity_id", "session_date", name="uq_activity_session"),
    )
    op.create_index("ix_activity_session_activity_id", "activity_session", ["activity_id"])
    op.create_table(
        "claim_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("activity_id", "activity", nullable=False),
        key("session_id", "activity_session", nullable=True),
        sa.Column("slug", sa.String(16), nullable=False, unique=True),
        sa.Column("attendance_code", sa.String(12), nullable=True),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME(), nullable=False),
        sa.UniqueConstraint("activity_id", "session_id", name="uq_claim_link_scope"),
    )
    op.create_index("ix_claim_link_activity_id", "claim_link", ["activity_id"])
    op.create_index(
        "uq_claim_link_activity",
        "claim_link",
        ["activity_id"],
        unique=True,
        sqlite_where=sa.text("session_id IS NULL"),
        postgresql_where=sa.text("session_id IS NULL"),
    )
    op.create_table(
        "claim_late_pass",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("link_id", "claim_link", nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("learner", sa.String(200), nullable=False),
        sa.Column("expires_at", TIME(), nullable=False),
        sa.Column("used_at", TIME(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
    )
    op.create_index("ix_claim_late_pass_link_id", "claim_late_pass", ["link_id"])
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("provider_id", "provider", nullable=False),
        key("activity_id", "activity", nullable=False),
        key("link_id", "claim_link", nullable=False),
        key("session_id", "activity_session", nullable=True),
        key("completion_id", "learner_completion", nullable=True),
        sa.Column("identity_key", sa.String(220), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("identifier", sa.String(50), nullable=False),
        sa.Column("completion_date", sa.Date(), nullable=False),
        sa.Column("credits", sa.Float(), nullable=False),
        sa.Column("reportable", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("certificate_code", sa.String(20), nullable=False, unique=True),
        key("late_pass_id", "claim_late_pass", nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("claimed_at", TIME(), nullable=False),
        sa.Column("decided_at", TIME(), nullable=True),
        key("decided_by_id", "user", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("link_id", "identity_key", name="uq_claim_per_learner"),
        sqlite_autoincrement=True,
    )
    for column in ("provider_id", "activity_id", "link_id", "email"):
        op.create_index(f"ix_claim_{column}", "claim", [column])
    op.create_table(
        "claim_replaced_certificate",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("claim_id", "claim", nullable=False),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("replaced_at", TIME(), nullable=False),
    )
    op.create_index(
        "ix_claim_replaced_certificate_claim_id", "claim_replaced_certificate", ["claim_id"]
    )
    op.create_table(
        "evaluation_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("provider_id", "provider", nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("moc_only", sa.Boolean(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_evaluation_question_provider_id", "evaluation_question", ["provider_id"])
    op.create_table(
        "claim_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("claim_id", "claim", nullable=False),
        key("question_id", "evaluation_question", nullable=True),
        sa.Column("question", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
    )
    op.create_index("ix_claim_answer_claim_id", "claim_answer", ["claim_id"])
    op.create_table(
        "certificate_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        key("provider_id", "provider", nullable=False),
        key("claim_id", "claim", nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", TIME(), nullable=False),
        sa.Column("used_at", TIME(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
    )
    op.create_index("ix_certificate_link_provider_id", "certificate_link", ["provider_id"])


def downgrade() -> None:
    for table in (
        "certificate_link",
        "claim_answer",
        "evaluation_question",
        "claim_replaced_certificate",
        "claim",
        "claim_late_pass",
        "claim_link",
        "activity_session",
    ):
        op.drop_table(table)
    op.drop_index("ix_public_request_bucket_address_at", table_name="public_request")
    op.create_index("ix_public_request_address_at", "public_request", ["address", "at"])
    with op.batch_alter_table("public_request") as batch:
        batch.drop_column("bucket")
    with op.batch_alter_table("provider") as batch:
        batch.drop_column("claims_need_approval")
