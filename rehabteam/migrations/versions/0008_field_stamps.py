"""Who last changed each field, and when (per-field saving); change notifications.

A save now writes only the fields the user changed, and is refused only for a field someone
else changed in the meantime; `field_stamps` ({field: [staff id, ISO time]}) says who and
when, beside the texts. On PostgreSQL every change to a case's, a citizen's or a meeting's
data NOTIFYs the schema's channel (payload: the table's name only), so the other
workstations show it (services.changes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "preparation_field",
    "medical_statement",
    "rehab_case",
    "discipline_assessment",
    "indstilling",
)
WATCHED = (
    *TABLES,
    "citizen",
    "case_document",
    "meeting",
    "meeting_participant",
    "agenda_item",
    "indstilling_intervention",
    "decision",
    "forloeb",
    "forloeb_intervention",
    "follow_up_note",
)
NOTIFY = """
CREATE FUNCTION rehabteam_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(left('rehabteam_changes_' || current_schema(), 63), TG_TABLE_NAME);
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("field_stamps", sa.JSON(), server_default="{}", nullable=False)
            )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(NOTIFY)
    for table in WATCHED:
        op.execute(
            f"CREATE TRIGGER rehabteam_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION rehabteam_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS rehabteam_notify ON {table}")
        op.execute("DROP FUNCTION IF EXISTS rehabteam_notify_change()")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("field_stamps")
