"""Why a team member was absent from a meeting (afbud), for the minutes.

`meeting_participant.absence_reason`: given when the chair marks a member absent with a
reason; cleared when the member is checked in. A column of a table whose row-level
security and grants already cover every column, so nothing else changes on PostgreSQL.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "absence_reason",
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_participant", schema=None) as batch_op:
        batch_op.drop_column("absence_reason")
