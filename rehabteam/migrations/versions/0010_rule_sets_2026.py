"""The rule sets as the law stands on 1 December 2026: `reform2026` (from 2026-07-01) is now
`reform2026b`, beside `reform2026a` (from 2026-02-01: no new ressourceforløb). Cases keep the
rules they were created under: only the key is renamed. Cases whose rule set no longer fits
their referral date under the corrected table are listed by `rehabteam rules check` for a
person to decide; nothing else is changed here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RENAMED = {"reform2026": "reform2026b"}


def upgrade() -> None:
    for old, new in RENAMED.items():
        op.execute(
            sa.text("UPDATE rehab_case SET rule_set = :new WHERE rule_set = :old").bindparams(
                new=new, old=old
            )
        )


def downgrade() -> None:
    for old, new in RENAMED.items():
        op.execute(
            sa.text("UPDATE rehab_case SET rule_set = :old WHERE rule_set = :new").bindparams(
                new=new, old=old
            )
        )
