"""Who a discipline's assessment is from, and when a meeting closed.

- `discipline_assessment.given_by`: the team member of that discipline at the meeting whose
  assessment it is; `author_id` stays who typed it (often the referent or the chair).
- `meeting.closed_at`: when the chair closed the meeting, for the minutes.

Both are columns of tables whose row-level security and grants already cover every column
(a policy is per row, the team role's grants are per table), so nothing else changes on
PostgreSQL.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discipline_assessment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "given_by",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("discipline_assessment", schema=None) as batch_op:
        batch_op.drop_column("given_by")
