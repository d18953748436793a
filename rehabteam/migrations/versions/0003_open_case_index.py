"""Open cases newest first from a partial index, and planner statistics.

The home screen and "Mine sager" page through the open cases ordered by referral date; with
years of closed cases behind them, the status index made every page sort all of them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rehabteam.migrations import analyze_own_tables

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_CASE_SQL = "status IN ('forberedelse', 'klar', 'booket', 'behandlet')"


def upgrade() -> None:
    op.create_index(
        "ix_case_open_referral",
        "rehab_case",
        ["referral_date", "id"],
        sqlite_where=sa.text(OPEN_CASE_SQL),
        postgresql_where=sa.text(OPEN_CASE_SQL),
    )
    # SQLite's planner only picks a partial index when it has statistics; PostgreSQL's
    # autovacuum keeps its own, and an ANALYZE now costs little.
    analyze_own_tables(op.get_bind())  # this schema only (see there)


def downgrade() -> None:
    op.drop_index("ix_case_open_referral", table_name="rehab_case")
