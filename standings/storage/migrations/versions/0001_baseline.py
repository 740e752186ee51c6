"""Baseline: the schema of Rinkside 0.1.0 (its ``schema_version`` 4), before migrations.

A database made by 0.1.0 has exactly these tables and a ``meta`` row ``schema_version = 4``
and no Alembic version table: ``standings db upgrade`` marks it as at this revision (nothing
to create) and goes on from here. The tables are written out in full, not taken from the
code's current declarations, so that this revision stays what 0.1.0 made.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_STATUSES = "'finished', 'DNF', 'DQ', 'DNS', 'WDR', 'NC'"
_FINDING_KINDS = (
    "'podium-lost', 'rows-lost', 'duplicate', 'relays-absent', 'races-merged', 'points-missing', "
    "'points-differ', 'venue', 'check', 'identity', 'unofficial'"
)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("circuit", sa.String(16), nullable=False),
        sa.Column("season", sa.String(7), nullable=False),
        sa.Column("world_cup", sa.Integer, nullable=False),
        sa.Column("venue", sa.String(128), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("is_final", sa.Boolean, nullable=False),
        sa.UniqueConstraint("circuit", "season", "world_cup"),
    )
    op.create_table(
        "races",
        sa.Column("race_id", sa.String(96), primary_key=True),
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.event_id"), nullable=False),
        sa.Column("circuit", sa.String(16), nullable=False),
        sa.Column("season", sa.String(7), nullable=False),
        sa.Column("world_cup", sa.Integer, nullable=False),
        sa.Column("distance", sa.String(16), nullable=False),
        sa.Column("gender", sa.String(8), nullable=False),
        sa.Column("division", sa.String(1), nullable=False),
        sa.Column("race_number", sa.Integer, nullable=False),
        sa.Column("day", sa.String(10)),
        sa.Column("venue", sa.String(128), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
        sa.Column("official", sa.Boolean, nullable=False),
        sa.Column("updated", sa.String(32)),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("event_id", "distance", "gender", "division", "race_number"),
        sa.CheckConstraint("division IN ('A', 'B')", name="division_a_or_b"),
        sa.CheckConstraint("gender IN ('women', 'men', 'mixed')", name="known_gender"),
    )
    op.create_table(
        "results",
        sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("competitor", sa.String(128), primary_key=True),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("rank", sa.Integer),
        sa.Column("bib", sa.Integer),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("nation", sa.String(3), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("time", sa.String(16)),
        sa.Column("time_behind", sa.String(16)),
        sa.Column("official_points", sa.Integer),
        sa.Column("points_marker", sa.String(8)),
        sa.Column("annotations", sa.String(64)),
        sa.Column("pair", sa.Integer),
        sa.Column("lane", sa.String(3)),
        sa.Column("laps", sa.Integer),
        sa.Column("s1", sa.Integer),
        sa.Column("s2", sa.Integer),
        sa.Column("s3", sa.Integer),
        sa.Column("s4", sa.Integer),
        sa.Column("sprint_total", sa.Integer),
        sa.Column("heat", sa.Integer),
        sa.Column("finish_side", sa.String(8)),
        sa.Column("round", sa.String(24)),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="known_status"),
        sa.CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE")),
        sa.Column("source", sa.String(256), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.CheckConstraint(f"kind IN ({_FINDING_KINDS})", name="known_kind"),
    )
    op.create_table(
        "competitor_ids",
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("competitor", sa.String(128), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("nation", sa.String(3), nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("meta", "competitor_ids", "findings", "results", "races", "events"):
        op.drop_table(table)
