"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:13:38.840983
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "app_meta",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "citizen",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cpr", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("search_name", sqlmodel.sql.sqltypes.AutoString(length=401), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("has_vocational_education", sa.Boolean(), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("postcode", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen")),
        sa.UniqueConstraint("cpr", name=op.f("uq_citizen_cpr")),
    )
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizen_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_search_name"), ["search_name"], unique=False)

    op.create_table(
        "staff_member",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("initials", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("discipline", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_member")),
        sa.UniqueConstraint("initials", name=op.f("uq_staff_member_initials")),
        sa.UniqueConstraint("login", name=op.f("uq_staff_member_login")),
    )
    op.create_table(
        "team",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("municipality", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("default_place", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("name", name=op.f("uq_team_name")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_login", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("citizen_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entry_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff_member.id"], name=op.f("fk_audit_event_actor_id_staff_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_citizen_ref"), ["citizen_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "meeting",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("video_link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("chair_id", sa.Integer(), nullable=True),
        sa.Column("referent_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("material_sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column(
            "material_sent_to", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False
        ),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chair_id"], ["staff_member.id"], name=op.f("fk_meeting_chair_id_staff_member")
        ),
        sa.ForeignKeyConstraint(
            ["referent_id"], ["staff_member.id"], name=op.f("fk_meeting_referent_id_staff_member")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_meeting_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_date"), ["date"], unique=False)
        batch_op.create_index("ix_meeting_team_date", ["team_id", "date"], unique=False)

    op.create_table(
        "rehab_case",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("case_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("referral_date", sa.Date(), nullable=False),
        sa.Column("rule_set", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column(
            "rule_set_override_reason",
            sqlmodel.sql.sqltypes.AutoString(length=2000),
            nullable=False,
        ),
        sa.Column("sagsbehandler_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("without_vocational_education", sa.Boolean(), nullable=False),
        sa.Column("bisidder_wish", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("meeting_needs", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("status_changed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_rehab_case_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["sagsbehandler_id"],
            ["staff_member.id"],
            name=op.f("fk_rehab_case_sagsbehandler_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_rehab_case_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_case")),
        sa.UniqueConstraint("case_number", name=op.f("uq_rehab_case_case_number")),
    )
    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.create_index("ix_case_status_referral", ["status", "referral_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_rehab_case_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_rehab_case_sagsbehandler_id"), ["sagsbehandler_id"], unique=False
        )

    op.create_table(
        "staff_role",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_staff_role_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", "role", name=op.f("pk_staff_role")),
    )
    op.create_table(
        "team_member",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("discipline", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_team_member_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_member_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "staff_id", name=op.f("pk_team_member")),
    )
    op.create_table(
        "agenda_item",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("citizen_attends", sa.Boolean(), nullable=False),
        sa.Column("absence_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("bisidder", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("citizen_present", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["rehab_case.id"], name=op.f("fk_agenda_item_case_id_rehab_case")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_agenda_item_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
    )
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_item_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agenda_item_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "case_document",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["rehab_case.id"],
            name=op.f("fk_case_document_case_id_rehab_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_document")),
        sa.UniqueConstraint("case_id", "kind", name="uq_case_document"),
    )
    op.create_table(
        "discipline_assessment",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("discipline", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("vurdering", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("anbefalede_indsatser", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_discipline_assessment_author_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["rehab_case.id"], name=op.f("fk_discipline_assessment_case_id_rehab_case")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_discipline_assessment_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discipline_assessment")),
        sa.UniqueConstraint("case_id", "meeting_id", "discipline", name="uq_assessment_discipline"),
    )
    with op.batch_alter_table("discipline_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discipline_assessment_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "indstilling",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("begrundelse", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("vurdering", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("maal", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("varighed_maaneder", sa.Integer(), nullable=True),
        sa.Column("opfoelgning", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("koordinerende_sagsbehandler_id", sa.Integer(), nullable=True),
        sa.Column("borgerens_bemaerkninger", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "sundhedskoordinator_vurdering", sqlmodel.sql.sqltypes.AutoString(), nullable=False
        ),
        sa.Column("fp_beskaeftigelsesforhold", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fp_sociale_forhold", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fp_helbredsforhold", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fp_arbejdsevne_begrundelse", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fleksjob_begrundelse", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["staff_member.id"],
            name=op.f("fk_indstilling_approved_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["rehab_case.id"], name=op.f("fk_indstilling_case_id_rehab_case")
        ),
        sa.ForeignKeyConstraint(
            ["koordinerende_sagsbehandler_id"],
            ["staff_member.id"],
            name=op.f("fk_indstilling_koordinerende_sagsbehandler_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_indstilling_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indstilling")),
        sa.UniqueConstraint("case_id", "version_no", name="uq_indstilling_version"),
    )
    with op.batch_alter_table("indstilling", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indstilling_case_id"), ["case_id"], unique=False)

    op.create_table(
        "medical_statement",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("helbredsforhold", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("saerlige_hensyn", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("borgerperspektiv", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("andre_forhold", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["rehab_case.id"],
            name=op.f("fk_medical_statement_case_id_rehab_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_statement")),
        sa.UniqueConstraint("case_id", name=op.f("uq_medical_statement_case_id")),
    )
    op.create_table(
        "meeting_participant",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "guest_organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("discipline", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("checked_in_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_participant_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_meeting_participant_staff_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_participant")),
        sa.UniqueConstraint("meeting_id", "staff_id", name="uq_participant_staff"),
    )
    with op.batch_alter_table("meeting_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_participant_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "preparation_field",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("citizen_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("caseworker_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["rehab_case.id"],
            name=op.f("fk_preparation_field_case_id_rehab_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_member.id"],
            name=op.f("fk_preparation_field_updated_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preparation_field")),
        sa.UniqueConstraint("case_id", "field_key", name="uq_preparation_field"),
    )
    op.create_table(
        "indstilling_intervention",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indstilling_id", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("formaal", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("indhold", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("begrundelse", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indstilling_id"],
            ["indstilling.id"],
            name=op.f("fk_indstilling_intervention_indstilling_id_indstilling"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indstilling_intervention")),
    )
    with op.batch_alter_table("indstilling_intervention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indstilling_intervention_indstilling_id"),
            ["indstilling_id"],
            unique=False,
        )
    # The audit chain's head and the per-installation secret behind the citizen HMAC exist
    # from the start, so concurrent first writers lock one row instead of racing to make it.
    app_meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.String))
    op.bulk_insert(
        app_meta,
        [
            {"key": "audit_chain_head", "value": ""},
            {"key": "audit_hmac_secret", "value": secrets.token_hex(32)},
        ],
    )


def downgrade() -> None:

    with op.batch_alter_table("indstilling_intervention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indstilling_intervention_indstilling_id"))

    op.drop_table("indstilling_intervention")
    op.drop_table("preparation_field")
    with op.batch_alter_table("meeting_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_participant_meeting_id"))

    op.drop_table("meeting_participant")
    op.drop_table("medical_statement")
    with op.batch_alter_table("indstilling", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indstilling_case_id"))

    op.drop_table("indstilling")
    with op.batch_alter_table("discipline_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discipline_assessment_case_id"))

    op.drop_table("discipline_assessment")
    op.drop_table("case_document")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_item_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_agenda_item_case_id"))

    op.drop_table("agenda_item")
    op.drop_table("team_member")
    op.drop_table("staff_role")
    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_case_sagsbehandler_id"))
        batch_op.drop_index(batch_op.f("ix_rehab_case_citizen_id"))
        batch_op.drop_index("ix_case_status_referral")

    op.drop_table("rehab_case")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_team_date")
        batch_op.drop_index(batch_op.f("ix_meeting_date"))

    op.drop_table("meeting")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_citizen_ref"))
        batch_op.drop_index(batch_op.f("ix_audit_event_case_id"))

    op.drop_table("audit_event")
    op.drop_table("team")
    op.drop_table("staff_member")
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_search_name"))
        batch_op.drop_index(batch_op.f("ix_citizen_birth_date"))

    op.drop_table("citizen")
    op.drop_table("app_meta")
