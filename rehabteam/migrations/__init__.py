"""Alembic migrations (versions/) and the revision this version of rehabteam writes."""

from typing import Any

# The newest migration. A database already there needs no Alembic at start (importing and
# running it costs a few hundred milliseconds); a test keeps this equal to Alembic's head.
HEAD_REVISION = "0014"


def analyze_own_tables(conn: object) -> None:
    """Fresh planner statistics for rehabteam's tables only. A bare ANALYZE on PostgreSQL
    reads every table of the database the login may analyse, other schemas' included (a
    municipality's shared server), and deadlocked with another schema being dropped."""
    from sqlalchemy import inspect, text

    bind: Any = conn
    if bind.dialect.name != "postgresql":
        bind.execute(text("ANALYZE"))
        return
    for table in inspect(bind).get_table_names():
        bind.execute(text(f'ANALYZE "{table}"'))
