"""The audit trail is insert-only: UPDATE and DELETE are refused by triggers, except a
DELETE inside a retention purge (which writes a seal entry so the chain still verifies).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is insert-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "WHEN (SELECT value FROM app_meta WHERE key = 'audit_purge') IS NOT '1' "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is insert-only'); END"
        )
        return
    op.execute(
        """
        CREATE FUNCTION audit_event_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND current_setting('rehabteam.audit_purge', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit_event is insert-only';
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_guard()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_event_guard ON audit_event")
    op.execute("DROP FUNCTION IF EXISTS audit_event_guard()")
