"""Alembic migrations (versions/) and the revision this version of rehabteam writes."""

# The newest migration. A database already there needs no Alembic at start (importing and
# running it costs a few hundred milliseconds); a test keeps this equal to Alembic's head.
HEAD_REVISION = "0010"
