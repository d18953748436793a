"""Follow-up: the municipality's decision on an indstilling, the course that follows with its
interventions and dated notes, and a case's background when it comes back to the team.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("indstilling_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("followed", sa.Boolean(), nullable=False),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("reassessment_case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["rehab_case.id"], name=op.f("fk_decision_case_id_rehab_case")
        ),
        sa.ForeignKeyConstraint(
            ["indstilling_id"],
            ["indstilling.id"],
            name=op.f("fk_decision_indstilling_id_indstilling"),
        ),
        sa.ForeignKeyConstraint(
            ["reassessment_case_id"],
            ["rehab_case.id"],
            name=op.f("fk_decision_reassessment_case_id_rehab_case"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_member.id"],
            name=op.f("fk_decision_recorded_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("indstilling_id", name="uq_decision_indstilling"),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_decided_on"), ["decided_on"], unique=False)

    op.create_table(
        "forloeb",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("planned_end_on", sa.Date(), nullable=False),
        sa.Column("six_month_deadline", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("next_follow_up_on", sa.Date(), nullable=True),
        sa.Column("reassessment_case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["rehab_case.id"], name=op.f("fk_forloeb_case_id_rehab_case")
        ),
        sa.ForeignKeyConstraint(
            ["coordinator_id"],
            ["staff_member.id"],
            name=op.f("fk_forloeb_coordinator_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_forloeb_decision_id_decision")
        ),
        sa.ForeignKeyConstraint(
            ["reassessment_case_id"],
            ["rehab_case.id"],
            name=op.f("fk_forloeb_reassessment_case_id_rehab_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forloeb")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_forloeb_decision_id")),
    )
    with op.batch_alter_table("forloeb", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forloeb_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_forloeb_coordinator_ended", ["coordinator_id", "ended_on"], unique=False
        )

    op.create_table(
        "forloeb_intervention",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forloeb_id", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("indhold", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("in_indsatsdel", sa.Boolean(), nullable=False),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["forloeb_id"],
            ["forloeb.id"],
            name=op.f("fk_forloeb_intervention_forloeb_id_forloeb"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forloeb_intervention")),
    )
    with op.batch_alter_table("forloeb_intervention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forloeb_intervention_forloeb_id"), ["forloeb_id"], unique=False
        )

    op.create_table(
        "follow_up_note",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forloeb_id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_follow_up_note_author_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["forloeb_id"],
            ["forloeb.id"],
            name=op.f("fk_follow_up_note_forloeb_id_forloeb"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["forloeb_intervention.id"],
            name=op.f("fk_follow_up_note_intervention_id_forloeb_intervention"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_note")),
    )
    with op.batch_alter_table("follow_up_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_note_forloeb_id"), ["forloeb_id"], unique=False
        )

    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "background", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False
            )
        )
        batch_op.create_index(
            batch_op.f("ix_rehab_case_referral_date"), ["referral_date"], unique=False
        )

    # The lists' need-to-know condition looks cases up by coordinator and by participant.
    op.create_index(
        op.f("ix_indstilling_koordinerende_sagsbehandler_id"),
        "indstilling",
        ["koordinerende_sagsbehandler_id"],
    )
    op.create_index(op.f("ix_meeting_participant_staff_id"), "meeting_participant", ["staff_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_participant_staff_id"), table_name="meeting_participant")
    op.drop_index(op.f("ix_indstilling_koordinerende_sagsbehandler_id"), table_name="indstilling")
    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_case_referral_date"))
        batch_op.drop_column("background")

    with op.batch_alter_table("follow_up_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_note_forloeb_id"))

    op.drop_table("follow_up_note")
    with op.batch_alter_table("forloeb_intervention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forloeb_intervention_forloeb_id"))

    op.drop_table("forloeb_intervention")
    with op.batch_alter_table("forloeb", schema=None) as batch_op:
        batch_op.drop_index("ix_forloeb_coordinator_ended")
        batch_op.drop_index(batch_op.f("ix_forloeb_case_id"))

    op.drop_table("forloeb")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_decided_on"))
        batch_op.drop_index(batch_op.f("ix_decision_case_id"))

    op.drop_table("decision")
