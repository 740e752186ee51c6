"""Long track: every lap passage of a race, when each race starts, and each event's timetable.

The ISU results API gives each skater's lap passages (lap time, passage time, rank at the
passage), each race's start time and every race of an event's timetable, raced yet or not;
until now all three were read and dropped. The Event page shows the laps as a table and a
chart, and the programme day by day with its times of day and the races to come.

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
    op.create_table(
        "schedule",
        sa.Column("race_id", sa.String(96), primary_key=True),
        sa.Column("circuit", sa.String(16), nullable=False),
        sa.Column("season", sa.String(7), nullable=False),
        sa.Column("world_cup", sa.Integer, nullable=False),
        sa.Column("distance", sa.String(16), nullable=False),
        sa.Column("gender", sa.String(8), nullable=False),
        sa.Column("division", sa.String(1), nullable=False),
        sa.Column("race_number", sa.Integer, nullable=False),
        sa.Column("day", sa.String(10)),
        sa.Column("start", sa.String(32)),
        sa.Column("source", sa.String(256), nullable=False),
        sa.Index("ix_schedule_circuit_season", "circuit", "season"),
    )


def downgrade() -> None:
    op.drop_table("schedule")
    op.drop_table("laps")
    with op.batch_alter_table("races") as batch:
        batch.drop_column("start")
