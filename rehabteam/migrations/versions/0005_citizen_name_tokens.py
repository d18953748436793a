"""Each word of a citizen's name, indexed by word then name, for the citizen search.

The search read the name index in alphabetical order until it had 50 matches; "hans j"
matches "Jan Hansen", far into the alphabet, so it read more rows the more citizens there
were. Filled here from the names already stored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from rehabteam.migrations import analyze_own_tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    tokens = op.create_table(
        "citizen_name_token",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=401), nullable=False),
        sa.Column("search_name", sqlmodel.sql.sqltypes.AutoString(length=401), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizen.id"],
            name=op.f("fk_citizen_name_token_citizen_id_citizen"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("citizen_id", "token", name=op.f("pk_citizen_name_token")),
    )
    assert tokens is not None
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, search_name FROM citizen ORDER BY id")).all()
    batch: list[dict[str, object]] = []
    for citizen_id, search_name in rows:
        for token in dict.fromkeys(search_name.split()):  # models.citizen.name_tokens
            batch.append({"citizen_id": citizen_id, "token": token, "search_name": search_name})
        if len(batch) >= BATCH:
            connection.execute(tokens.insert(), batch)
            batch = []
    if batch:
        connection.execute(tokens.insert(), batch)
    op.create_index(
        "ix_citizen_name_token_token_name",
        "citizen_name_token",
        ["token", "search_name", "citizen_id"],
    )
    analyze_own_tables(op.get_bind())  # this schema only (see there)


def downgrade() -> None:
    op.drop_index("ix_citizen_name_token_token_name", table_name="citizen_name_token")
    op.drop_table("citizen_name_token")
