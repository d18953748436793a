"""The case a running meeting is handling now, as one stored fact.

`meeting.current_item_id`: the agenda item opened last by whoever runs the meeting, cleared
when the team moves on from it; every workstation's meeting room shows that case (each
worked it out for itself before, and two rooms could show different cases). No foreign
key: the agenda items already point at their meeting. A column of a table whose row-level
security and grants already cover every column, so nothing else changes on PostgreSQL.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_item_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("current_item_id")
