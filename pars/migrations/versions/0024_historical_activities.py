"""Historical activities: what a legacy record holds beyond the new model

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 08:00:00

Legacy records (tab-delimited Template C/D, MEMS with the legacy elements) carried a reporting
year, hours of instruction and the designed-to-change / changes-evaluated flags, which the legacy
model's Open and Closed need (domain.md section 3). They were read and dropped; they are kept now,
with legacy_record saying where the activity came from. Existing rows are not legacy records as
far as this system knows (their files' flags were not kept), so they keep the new rules.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

FLAGS = (
    "designed_competence",
    "designed_performance",
    "designed_patient_outcomes",
    "evaluated_competence",
    "evaluated_performance",
    "evaluated_patient_outcomes",
)


def upgrade() -> None:
    op.add_column(
        "activity",
        sa.Column("legacy_record", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("activity", sa.Column("reporting_year", sa.Integer(), nullable=True))
    op.add_column("activity", sa.Column("hours_of_instruction", sa.Float(), nullable=True))
    for name in FLAGS:
        op.add_column("activity", sa.Column(name, sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity") as batch_op:
        for name in (*reversed(FLAGS), "hours_of_instruction", "reporting_year", "legacy_record"):
            batch_op.drop_column(name)
