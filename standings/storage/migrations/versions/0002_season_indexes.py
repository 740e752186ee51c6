"""Indexes for a season's reads, and the end of the 0.1.0 ``schema_version`` row.

Every page load reads one season's races (``WHERE circuit = ? AND season = ?``) and its
findings joined on the race; without these indexes both scan their whole table, which a
hosted database holding every season pays on each load. The ``meta`` row ``schema_version``
was 0.1.0's own versioning; the Alembic version table has taken its place.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    op.create_index("ix_races_circuit_season", "races", ["circuit", "season"])
    op.create_index("ix_findings_race_id", "findings", ["race_id"])
    op.execute(_meta.delete().where(_meta.c.key == "schema_version"))


def downgrade() -> None:
    op.drop_index("ix_findings_race_id", table_name="findings")
    op.drop_index("ix_races_circuit_season", table_name="races")
    op.execute(_meta.insert().values(key="schema_version", value="4"))
