"""Short track: every heat of every round, with its qualification codes.

Until now a short-track race was stored as its classification only (one row per skater, the
last round reached); the heats it was made from, and their codes (Q, q, QA, QB, qA, qB, ADV,
ADA, ADB), start positions and warnings, were read and dropped. The Event page shows them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_HEAT_STATUSES = "'finished', 'PEN', 'YC', 'DNF', 'DNS'"
_CODES = "'Q', 'q', 'QA', 'QB', 'qA', 'qB', 'ADV', 'ADA', 'ADB'"


def upgrade() -> None:
    op.create_table(
        "heats",
        sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("row", sa.Integer, primary_key=True),
        sa.Column("round", sa.String(24), nullable=False),
        sa.Column("heat", sa.Integer, nullable=False),
        sa.Column("place", sa.Integer),
        sa.Column("competitor", sa.String(128), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("time", sa.String(16)),
        sa.Column("qualification", sa.String(4)),
        sa.Column("start_position", sa.Integer),
        sa.Column("warning", sa.String(4)),
        sa.CheckConstraint(f"status IN ({_HEAT_STATUSES})", name="known_heat_status"),
        sa.CheckConstraint(f"qualification IS NULL OR qualification IN ({_CODES})", name="known_qualification"),
        sa.CheckConstraint("place IS NULL OR place >= 1", name="heat_place_positive"),
    )


def downgrade() -> None:
    op.drop_table("heats")
