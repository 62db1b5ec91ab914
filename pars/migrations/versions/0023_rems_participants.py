"""REMS participant details on learner completions

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 07:00:00

For a REMS activity PARS asks of each learner what the MedBiquitous Activity Report XSD's
Participant holds: profession (required there), state of primary practice, DEA registration,
practice area, whether they perform surgical procedures, and time in practice. Existing rows
have none of them (NULL: not recorded).
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

COLUMNS = (
    ("rems_profession", sa.String(40)),
    ("rems_practice_state", sa.String(2)),
    ("rems_dea_registration", sa.String(20)),
    ("rems_practice_area", sa.String(40)),
    ("rems_surgical", sa.Boolean()),
    ("rems_time_in_practice", sa.String(30)),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("learner_completion", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("learner_completion") as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
