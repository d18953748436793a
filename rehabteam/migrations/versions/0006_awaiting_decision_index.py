"""The cases awaiting the municipality's decision, longest waiting first, from a partial index.

The list of decisions awaited sorted every approved indstilling still without a decision to
show the oldest 200; this reads them in order instead.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rehabteam.migrations import analyze_own_tables

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWAITING_DECISION_SQL = "status = 'indstillet'"


def upgrade() -> None:
    op.create_index(
        "ix_case_awaiting_decision",
        "rehab_case",
        ["status_changed_on", "id"],
        sqlite_where=sa.text(AWAITING_DECISION_SQL),
        postgresql_where=sa.text(AWAITING_DECISION_SQL),
    )
    analyze_own_tables(op.get_bind())  # this schema only (see there)


def downgrade() -> None:
    op.drop_index("ix_case_awaiting_decision", table_name="rehab_case")
