"""Alembic environment. Run through `rehabteam.db.migrate` (or `rehabteam db upgrade`), which
hands in an open connection; `alembic -x url=...` from the command line also works."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from rehabteam.models import load_all

load_all()  # every table on SQLModel.metadata
config = context.config
target_metadata = SQLModel.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from rehabteam.db import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        from rehabteam.settings import Settings

        url = Settings().effective_database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit(
        "Offline (SQL script) migrations are not supported; use `rehabteam db upgrade`."
    )
run_migrations_online()
