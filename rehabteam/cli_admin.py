"""The command line's administration: the schema and roles, staff, the audit trail, backups.

Each needs an administrator (or, on PostgreSQL, the owner of rehabteam's tables), except
`db current` (no personal data) and the very first `staff add` of an empty database."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rehabteam import clock
from rehabteam.cli import _print_json, _print_table, identify_command
from rehabteam.errors import AccessDenied, InvalidInput, UserError, user_message
from rehabteam.i18n import t
from rehabteam.models.viewer import Viewer
from rehabteam.settings import Settings
from rehabteam.textsafe import clean_line


def _admin(engine: Any, settings: Settings) -> Viewer | None:
    """The administrator running the command; None for the PostgreSQL owner (who is no
    staff member). Anyone else is refused."""
    from rehabteam.db import session_scope
    from rehabteam.services.access import require_administrator

    identity = identify_command(engine, settings)
    with session_scope(engine) as session:
        if identity.viewer is None:
            from rehabteam.services.access import is_database_owner

            if not is_database_owner(session):
                raise identity.refusal()
        require_administrator(session, identity.viewer)
    return identity.viewer


def db(args: argparse.Namespace, engine: Any, settings: Settings) -> int:
    from rehabteam.db import current_revision

    if args.db_command == "setup-roles":
        from rehabteam.services.pg_roles import setup_roles

        if engine.dialect.name != "postgresql":
            raise UserError(t("roles.postgres_only"))
        if args.demo_logins:
            from rehabteam.services.pg_roles import demo_logins

            for initials, name, login in demo_logins(engine, team_role=args.team_role):
                print(f"{initials:<4} {clean_line(name):<30} {login}")
            print(t("roles.demo_done"))
            return 0
        role = setup_roles(engine, team_role=args.team_role, logins=args.login)
        print(t("roles.done", role=role, logins=", ".join(args.login) or "-"))
        return 0
    if args.db_command == "check":
        return _check(engine)
    revision = current_revision(engine)
    print(t("db.upgraded", revision=revision) if args.db_command == "upgrade" else revision)
    return 0


def _check(engine: Any) -> int:
    """`db check`: SQLite's full integrity check of every page and index (the start and the
    commands run the quick one, at most once a day); PostgreSQL checks its own pages."""
    from rehabteam.db import full_check, is_sqlite

    if not is_sqlite(engine):
        print(t("db.check_postgres"))
        return 0
    problems = full_check(engine)
    if problems:
        for problem in problems[:20]:
            print(clean_line(problem), file=sys.stderr)
        print(t("db.check_failed", n=len(problems)), file=sys.stderr)
        return 2
    print(t("db.check_ok"))
    return 0


def _staff_input(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from rehabteam.models.inputs import StaffInput

    try:
        return StaffInput(
            initials=args.initials,
            name=args.name,
            discipline=args.discipline,
            title=args.title,
            phone=args.phone,
            email=args.email,
            login=args.login,
            roles=args.role,
            team_id=args.team,
            active=getattr(args, "active", None),
        )
    except ValidationError as exc:
        raise InvalidInput(user_message(exc)) from None


def staff(args: argparse.Namespace, engine: Any, settings: Settings) -> int:
    from rehabteam.db import session_scope
    from rehabteam.services import staff as staff_service
    from rehabteam.services.identity import has_staff, os_login

    if args.staff_command == "list":
        _admin(engine, settings)
        with session_scope(engine) as session:
            found = staff_service.list_staff(session=session, include_inactive=args.all)
        if args.json:
            _print_json([s.model_dump(mode="json") for s in found])
        else:
            _print_table(
                [
                    [
                        s.initials,
                        s.name,
                        t(f"Discipline.{s.discipline}"),
                        ",".join(s.roles),
                        s.login or "-",
                        "" if s.active else t("staff.inactive"),
                    ]
                    for s in found
                ]
            )
        return 0
    data = _staff_input(args)
    with session_scope(engine) as session:
        from rehabteam.services.startup import is_demo

        if is_demo(session=session):  # fictitious people only
            raise UserError(t("staff.not_on_demo"))
        first = not has_staff(session) and engine.dialect.name != "postgresql"
    if first and args.staff_command == "add":
        if data.login is None:  # the first administrator is whoever sets the file up
            data = data.model_copy(update={"login": os_login()})
        actor = None
    else:
        actor = _admin(engine, settings)
    with session_scope(engine, write=True) as session:
        if args.staff_command == "add":
            done = staff_service.add_staff(session=session, actor=actor, data=data, first=first)
        else:
            done = staff_service.update_staff(
                session=session, actor=actor, initials=data.initials, data=data
            )
    if args.json:
        _print_json(done.model_dump(mode="json"))
    else:
        print(t("staff.saved", name=done.name, initials=done.initials, login=done.login or "-"))
    return 0


def audit(args: argparse.Namespace, engine: Any, settings: Settings) -> int:
    from datetime import timedelta

    from rehabteam.db import session_scope
    from rehabteam.models.enums import AuditAction
    from rehabteam.services import audit as trail

    actor = _admin(engine, settings)
    if args.audit_command == "verify":
        with session_scope(engine) as session:
            intact, message, _n = trail.verify(session=session)
        print(message, file=sys.stdout if intact else sys.stderr)
        return 0 if intact else 1
    if args.audit_command == "purge":
        cutoff = clock.now() - timedelta(days=settings.audit_retention_days)
        with session_scope(engine, write=True) as session:
            purged = trail.purge(session=session, actor=actor, older_than=cutoff)
        print(t("audit.purged", n=purged, days=settings.audit_retention_days))
        return 0
    if args.audit_command == "export":
        from rehabteam.exports.paths import resolve_inside, write_atomically
        from rehabteam.models.cpr import parse_cpr

        cpr = parse_cpr(args.cpr).digits
        with session_scope(engine, write=True) as session:
            rows = trail.entries(session=session, citizen=cpr)
            target = resolve_inside(args.output.parent, args.output.name)
            data = json.dumps(rows, ensure_ascii=False, indent=2)
            write_atomically(
                target, lambda tmp: tmp.write_text(data, encoding="utf-8"), overwrite=args.overwrite
            )
            trail.record(
                session=session,
                actor=actor,
                action=AuditAction.EXPORT,
                entity="audit_extract",
                cpr_digits=cpr,
            )
        print(t("export.done", path=target))
        return 0
    with session_scope(engine, write=True) as session:
        rows = trail.entries(session=session, case_id=args.case, limit=args.limit)
        trail.record(session=session, actor=actor, action=AuditAction.READ, entity="audit_trail")
    if args.json:
        _print_json(rows)
    else:
        _print_table(
            [
                [
                    str(r["id"]),
                    str(r["occurred_at"])[:19],
                    str(r["action"]),
                    str(r["entity"]),
                    str(r["entity_id"] or ""),
                    str(r["case_id"] or ""),
                    str(r["actor_id"] or ""),
                    str(r["actor_login"] or ""),
                ]
                for r in rows
            ]
        )
    return 0


def backup(args: argparse.Namespace, engine: Any, settings: Settings) -> int:
    """A copy of the whole database: an administrator's task."""
    from rehabteam.services import backup as backups

    if engine.dialect.name != "sqlite":  # says what to use instead, before anything else
        raise InvalidInput(t("backup.not_sqlite"))
    _admin(engine, settings)
    path = backups.backup(
        url=settings.effective_database_url, target=args.file, overwrite=args.overwrite
    )
    print(t("backup.done", path=path))
    return 0


def restore(args: argparse.Namespace, settings: Settings) -> int:
    """Replace the database with a backup: an administrator's task while the current file
    can be read; a damaged one cannot say who may, and its file permissions decide."""
    from rehabteam.services import backup as backups
    from rehabteam.services.startup import open_database

    url = settings.effective_database_url
    try:
        engine = open_database(url)
    except UserError:
        engine = None
    if engine is not None:
        try:
            from rehabteam.db import session_scope
            from rehabteam.services.identity import has_staff

            with session_scope(engine) as session:
                staffed = has_staff(session)
            if staffed:
                try:
                    _admin(engine, settings)
                except AccessDenied as exc:
                    from rehabteam.services.audit import record_refusal

                    record_refusal(engine, exc)
                    raise
        finally:
            engine.dispose()
    safety = backups.restore(url=url, source=args.file)
    print(t("backup.restored", source=args.file, safety=safety))
    return 0
