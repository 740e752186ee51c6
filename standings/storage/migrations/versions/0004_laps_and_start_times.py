"""Long track: every lap passage of a race, and when each race starts.

The ISU results API gives each skater's lap passages (lap time, passage time, rank at the
passage) and each race's start time; until now both were read and dropped. The Event page
shows the laps as a table and a chart, and the programme's times of day.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("races") as batch:
        batch.add_column(sa.Column("start", sa.String(32)))
    op.create_table(
        "laps",
        sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("competitor", sa.String(128), primary_key=True),
        sa.Column("lap", sa.Integer, primary_key=True),
        sa.Column("lap_time", sa.String(16)),
        sa.Column("passage_time", sa.String(16)),
        sa.Column("rank", sa.Integer),
        sa.CheckConstraint("lap >= 1", name="lap_positive"),
    )


def downgrade() -> None:
    op.drop_table("laps")
    with op.batch_alter_table("races") as batch:
        batch.drop_column("start")
