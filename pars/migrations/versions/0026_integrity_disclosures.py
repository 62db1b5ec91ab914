"""Integrity and independence: people in control of content, their disclosures, relevance
decisions, mitigations, and the links they disclose through

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 09:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider_id", sa.Integer(), sa.ForeignKey("provider.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("biography", sa.String(500), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
        sa.UniqueConstraint("provider_id", "email", name="uq_person_email"),
    )
    op.create_index("ix_person_provider_id", "person", ["provider_id"])
    op.create_table(
        "content_role",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activity.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.UniqueConstraint("activity_id", "person_id", "role", name="uq_content_role"),
    )
    op.create_index("ix_content_role_activity_id", "content_role", ["activity_id"])
    op.create_index("ix_content_role_person_id", "content_role", ["person_id"])
    op.create_table(
        "disclosure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activity.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("has_none", sa.Boolean(), nullable=False),
        sa.Column("attested", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", TIME(), nullable=False),
    )
    op.create_index("ix_disclosure_activity_id", "disclosure", ["activity_id"])
    op.create_index("ix_disclosure_person_id", "disclosure", ["person_id"])
    op.create_table(
        "financial_relationship",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("disclosure_id", sa.Integer(), sa.ForeignKey("disclosure.id"), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("nature", sa.String(60), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("decided_at", TIME(), nullable=True),
    )
    op.create_index(
        "ix_financial_relationship_disclosure_id", "financial_relationship", ["disclosure_id"]
    )
    op.create_table(
        "mitigation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "relationship_id",
            sa.Integer(),
            sa.ForeignKey("financial_relationship.id"),
            nullable=False,
        ),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("at", TIME(), nullable=False),
    )
    op.create_index("ix_mitigation_relationship_id", "mitigation", ["relationship_id"])
    op.create_table(
        "disclosure_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activity.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", TIME(), nullable=False),
        sa.Column("used_at", TIME(), nullable=True),
        sa.Column("revoked_at", TIME(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
    )
    op.create_index("ix_disclosure_link_activity_id", "disclosure_link", ["activity_id"])
    op.create_index("ix_disclosure_link_person_id", "disclosure_link", ["person_id"])


def downgrade() -> None:
    for table in (
        "disclosure_link",
        "mitigation",
        "financial_relationship",
        "disclosure",
        "content_role",
        "person",
    ):
        op.drop_table(table)
