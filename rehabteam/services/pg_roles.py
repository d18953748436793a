"""The PostgreSQL roles and grants for a team (`rehabteam db setup-roles`), run by the owner.

One group role (NOLOGIN, default `rehabteam_users`) holds what every team login may do; each
person's own login is a member of it. Row-level security (migration 0007) decides which rows
a login sees; the grants here decide which statements it may run at all:

- the data tables: SELECT, INSERT, UPDATE, DELETE (the policies narrow them);
- staff, roles, teams and team membership: the same, but the policies let only
  administrators write them;
- app_meta, alembic_version, audit_event and citizen_access: SELECT only (the policies hide
  the keys and the audit trail from everyone but administrators);
- the functions that write the audit trail, purge it, look a citizen up by CPR number and
  compute a citizen's keyed hash (each checks who calls it);
- never TRUNCATE, REFERENCES or TRIGGER, and nothing on the schema beyond USAGE.

Idempotent: every run revokes what the role has and grants exactly this again. The role's
name is kept in app_meta, so `rehabteam db upgrade` grants new tables to it as well.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Engine, text

from rehabteam.errors import AccessDenied, InvalidInput
from rehabteam.i18n import t

READ_ONLY = ("app_meta", "alembic_version", "audit_event", "citizen_access", "indsigt_grant")
# The only tables the app deletes rows from; elsewhere nothing is ever deleted by a team login.
DELETABLE = ("indstilling_intervention", "meeting_participant", "citizen_name_token", "staff_role")
FUNCTIONS = (
    "rehabteam_audit(text, text, integer, integer, text, text, text)",
    "rehabteam_audit_purge(timestamptz)",
    "rehabteam_citizen_ref(text)",
    "rehabteam_cpr_lookup(text)",
    "rehabteam_indsigt(text, boolean)",
    "rehabteam_caseloads()",
    "rehabteam_caseloads_by_area()",
)
ROLE_KEY = "team_role"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidInput(t("roles.bad_name", name=name))
    return f'"{name}"'


def _tables(conn: Connection) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        )
    ]


def owns_schema(conn: Connection) -> bool:
    """May this login change the schema? Always on SQLite; on PostgreSQL the owner of
    rehabteam's tables (or, on an empty schema, whoever may create in it)."""
    if conn.dialect.name != "postgresql":
        return True
    if conn.execute(text("SELECT to_regclass('audit_event')")).scalar() is None:
        return bool(
            conn.execute(text("SELECT has_schema_privilege(current_schema(), 'CREATE')")).scalar()
        )
    return _is_owner(conn)


def _is_owner(conn: Connection) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT r.rolsuper OR pg_has_role(session_user, c.relowner, 'MEMBER') "
                "FROM pg_class c, pg_roles r "
                "WHERE c.oid = to_regclass('audit_event') AND r.rolname = session_user"
            )
        ).scalar()
    )


def grant(conn: Connection, role: str) -> None:
    """Exactly the team role's grants on this schema (see the module's docstring)."""
    quoted = _ident(role)
    schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {quoted}"))
    conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {quoted}"))
    conn.execute(text(f"REVOKE CREATE ON SCHEMA {schema} FROM {quoted}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {quoted}"))
    for table in _tables(conn):
        rights = (
            "SELECT"
            if table in READ_ONLY
            else "SELECT, INSERT, UPDATE, DELETE"
            if table in DELETABLE
            else "SELECT, INSERT, UPDATE"
        )
        conn.execute(text(f'GRANT {rights} ON "{table}" TO {quoted}'))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"))
    for function in FUNCTIONS:
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {function} TO {quoted}"))


def setup_roles(engine: Engine, *, team_role: str = "rehabteam_users", logins: list[str]) -> str:
    """Create the team role if needed, grant it exactly what it needs, and make each login
    in `logins` a member. Only the owner of rehabteam's tables may do this."""
    quoted = _ident(team_role)
    for login in logins:
        _ident(login)
    with engine.begin() as conn:
        if not _is_owner(conn):
            raise AccessDenied(t("roles.owner_only"), entity="roles")
        exists = conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": team_role}
        ).first()
        may_create = conn.execute(
            text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = session_user")
        ).scalar()
        if exists is None:
            if not may_create:
                raise InvalidInput(t("roles.needs_createrole", role=team_role))
            conn.execute(text(f"CREATE ROLE {quoted} NOLOGIN"))
        grant(conn, team_role)
        for login in logins:
            found = conn.execute(
                text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": login}
            ).first()
            if found is None:
                raise InvalidInput(t("roles.no_login", login=login))
            conn.execute(text(f'GRANT {quoted} TO "{login}"'))
            if not may_create:
                continue
            # A login may not hold a transaction open for long (it would hold the audit
            # trail's chain head, and everyone's saves with it).
            conn.execute(
                text(f"ALTER ROLE \"{login}\" SET idle_in_transaction_session_timeout = '30s'")
            )
            conn.execute(text(f"ALTER ROLE \"{login}\" SET statement_timeout = '60s'"))
        conn.execute(
            text(
                "INSERT INTO app_meta (key, value) VALUES (:k, :v) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {"k": ROLE_KEY, "v": team_role},
        )
    return team_role


def demo_logins(
    engine: Engine, *, team_role: str = "rehabteam_users", prefix: str = "demo_"
) -> list[tuple[str, str, str]]:
    """On a demo database only: a login of its own for each fictitious staff member
    (`demo_ml` for ML), created if missing and made a member of the team role, so the demo
    can be tried on PostgreSQL as each person. (initials, name, login) for each."""
    from rehabteam.services.startup import DEMO_FLAG

    made: list[tuple[str, str, str]] = []
    with engine.begin() as conn:
        if not _is_owner(conn):
            raise AccessDenied(t("roles.owner_only"), entity="roles")
        if (
            conn.execute(text("SELECT 1 FROM app_meta WHERE key = :k"), {"k": DEMO_FLAG}).first()
            is None
        ):
            raise InvalidInput(t("roles.demo_only"))
        may_create = conn.execute(
            text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = session_user")
        ).scalar()
        staff = conn.execute(
            text(
                "SELECT id, initials, name, login FROM staff_member WHERE active ORDER BY initials"
            )
        ).all()
        for staff_id, initials, name, login in staff:
            login = login or prefix + initials.lower()
            _ident(login)
            found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login})
            if found.first() is None:
                if not may_create:
                    raise InvalidInput(t("roles.needs_createrole", role=login))
                conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
            conn.execute(
                text("UPDATE staff_member SET login = :l WHERE id = :i AND login IS NULL"),
                {"l": login, "i": staff_id},
            )
            made.append((initials, name, login))
    setup_roles(engine, team_role=team_role, logins=[login for _, _, login in made])
    return made


def regrant_after_migration(conn: Connection) -> None:
    """After `db upgrade` by the owner: the recorded team role gets new tables too."""
    if conn.dialect.name != "postgresql" or not _is_owner(conn):
        return
    role = conn.execute(text("SELECT value FROM app_meta WHERE key = :k"), {"k": ROLE_KEY}).scalar()
    if role:
        grant(conn, str(role))
