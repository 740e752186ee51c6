"""Every race of an event's timetable, raced yet or not, with its start time.

The ISU results API lists an event's races before they are raced, each with its start; a sync
stores that timetable whole, so the Event page lists the races to come with their days and
times of day, and a race stored from a sheet gets its start time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
