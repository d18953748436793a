"""What the law of 1 December 2026 asks the team to record:

- a course's periods of fritagelse and the "særlige grunde" that set the 6-month rule aside
  (BEK 2408 § 17), so the rule counts as the law says;
- the sundhedskoordinator's advice on a fleksjob or førtidspension case (lov nr. 1750/2025),
  required before the team's anbefaling is approved;
- which disciplines the chair chose for a case beyond the mandatory ones, and why (lov nr.
  1657/2024).

On PostgreSQL the new tables get row-level security like the tables they belong to (a team
login sees the rows of the cases it may see); `rehabteam db upgrade` grants them to the
team's role.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each koordinerende sagsbehandler's caseload per area (the kind of course): counts only,
# over every case, like rehabteam_caseloads() (0007), which counts ressourceforløb alone.
CASELOADS_BY_AREA = """
CREATE FUNCTION rehabteam_caseloads_by_area()
RETURNS TABLE (staff_id integer, area text, n bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT coordinator, area, count(*) FROM (
        SELECT coordinator_id AS coordinator, kind AS area FROM forloeb
        WHERE ended_on IS NULL AND rt_me() IS NOT NULL
        UNION ALL
        SELECT i.koordinerende_sagsbehandler_id, 'ressourceforloeb' FROM rehab_case c
        JOIN indstilling i ON i.case_id = c.id
        WHERE c.status = 'indstillet' AND i.type = 'ressourceforloeb'
        AND i.status IN ('godkendt', 'sendt') AND rt_me() IS NOT NULL
    ) counted WHERE coordinator IS NOT NULL GROUP BY coordinator, area
$$;
REVOKE ALL ON FUNCTION rehabteam_caseloads_by_area() FROM PUBLIC;
"""

POLICIES = (
    ("forloeb_exemption", "EXISTS (SELECT 1 FROM forloeb f WHERE f.id = forloeb_id)"),
    ("health_advice", "EXISTS (SELECT 1 FROM rehab_case c WHERE c.id = health_advice.case_id)"),
)


def _tracked() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("forloeb", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "six_month_waived_reason",
                sqlmodel.sql.sqltypes.AutoString(length=2000),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("six_month_waived_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("six_month_waived_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_forloeb_six_month_waived_by_id_staff_member"),
            "staff_member",
            ["six_month_waived_by_id"],
            ["id"],
        )
    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "chosen_disciplines",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "disciplines_reason",
                sqlmodel.sql.sqltypes.AutoString(length=2000),
                nullable=False,
                server_default="",
            )
        )
    op.create_table(
        "forloeb_exemption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forloeb_id", sa.Integer(), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("to_on", sa.Date(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        *_tracked(),
        sa.ForeignKeyConstraint(
            ["forloeb_id"],
            ["forloeb.id"],
            name=op.f("fk_forloeb_exemption_forloeb_id_forloeb"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_member.id"],
            name=op.f("fk_forloeb_exemption_recorded_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forloeb_exemption")),
    )
    op.create_index(
        op.f("ix_forloeb_exemption_forloeb_id"), "forloeb_exemption", ["forloeb_id"], unique=False
    )
    op.create_table(
        "health_advice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=True),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("advice", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("given_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        *_tracked(),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["rehab_case.id"],
            name=op.f("fk_health_advice_case_id_rehab_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_member.id"],
            name=op.f("fk_health_advice_recorded_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_advice")),
        sa.UniqueConstraint("case_id", name=op.f("uq_health_advice_case_id")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, visible in POLICIES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(
                f"CREATE POLICY rt_case ON {table} FOR ALL USING ({visible}) WITH CHECK ({visible})"
            )
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar()
        op.execute(CASELOADS_BY_AREA.format(s=schema))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS rehabteam_caseloads_by_area()")
        for table, _visible in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS rt_case ON {table}")
    op.drop_table("health_advice")
    op.drop_index(op.f("ix_forloeb_exemption_forloeb_id"), table_name="forloeb_exemption")
    op.drop_table("forloeb_exemption")
    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.drop_column("disciplines_reason")
        batch_op.drop_column("chosen_disciplines")
    with op.batch_alter_table("forloeb", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_forloeb_six_month_waived_by_id_staff_member"), type_="foreignkey"
        )
        batch_op.drop_column("six_month_waived_on")
        batch_op.drop_column("six_month_waived_by_id")
        batch_op.drop_column("six_month_waived_reason")
