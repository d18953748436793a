"""The `rehabteam` command: opens the app, or runs one of the subcommands for scripts."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rehabteam import clock
from rehabteam.errors import AccessDenied, InvalidInput, RulesError, UserError, user_message
from rehabteam.i18n import label, set_language, t
from rehabteam.models.enums import CaseStatus, Discipline, StaffRole
from rehabteam.settings import Settings

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from rehabteam.models.viewer import Viewer
    from rehabteam.services.identity import Identity

EPILOG = """\
Examples:
  rehabteam                         open the app on the configured database
  rehabteam --demo                  open the app on a fresh demo database (fictitious data)
  rehabteam seed --demo             fill an empty database with the demo team
  rehabteam seed --citizens 50000   generate fictitious data for scale tests
  rehabteam meetings --json         list meetings as JSON
  rehabteam cases --search hans --status klar --json
  rehabteam citizens add --cpr 120381-1234 --first-name Hans --last-name Jørgensen
  rehabteam export dagsorden --meeting 2 -o dagsorden.docx
  rehabteam export indstilling --case 7 -o indstilling.docx
  rehabteam export indkaldelse --meeting 3 --case 11 -o invitation.docx
  rehabteam export kalender --meeting 3 -o moede.ics
  rehabteam export meeting --meeting 1 --dir ~/eksport [--pdf]
  rehabteam db upgrade              migrate the database to the newest schema

Settings come from REHABTEAM_* environment variables (see README). The database is
REHABTEAM_DATABASE_URL, or an SQLite file in the user's data folder.
"""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (sqlite:///FILE or postgresql+psycopg://USER@HOST/DB); "
        "overrides REHABTEAM_DATABASE_URL",
    )
    common.add_argument(
        "--lang",
        choices=["da", "en"],
        default=argparse.SUPPRESS,
        help="language of the interface and messages (default: da)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="rehabteam",
        description="Meetings, assessments and recommendations (indstillinger) for a "
        "municipal rehabilitation team. Without a command, opens the application.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a fresh demo database (recreated each time; fictitious data)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    seed = sub.add_parser(
        "seed",
        parents=[common],
        help="fill the database with fictitious data",
        description="Fill the database with fictitious data. Every person and CPR number is "
        "invented.",
    )
    group = seed.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--demo",
        action="store_true",
        help="a realistic team: staff for every discipline, about 40 citizens with cases in "
        "every state, three meetings (last week, today, next week); needs an empty database",
    )
    group.add_argument(
        "--citizens",
        type=int,
        metavar="N",
        help="N citizens with cases, meetings and assessments at realistic ratios (scale tests)",
    )
    seed.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    meetings = sub.add_parser(
        "meetings",
        parents=[common],
        help="list meetings",
        description="List meetings in date order. JSON fields: id, date (ISO), start, end, "
        "team, team_id, place, video_link, status, case_count, capacity, slot_minutes, chair, "
        "referent.",
    )
    meetings.add_argument("--json", action="store_true", help="print a JSON array")
    meetings.add_argument("--upcoming", action="store_true", help="only from today on")
    meetings.add_argument("--limit", type=int, help="at most this many")

    cases = sub.add_parser(
        "cases",
        parents=[common],
        help="list cases",
        description="List cases, newest referral first. JSON fields: id, case_number, "
        "citizen_id, citizen_name, cpr (masked), case_type, status, rule_set, referral_date, "
        "sagsbehandler, meeting_id (the upcoming meeting it is booked on), meeting_date.",
    )
    cases.add_argument("--search", default="", metavar="TEXT", help="name or CPR (prefix)")
    cases.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in CaseStatus],
        help="only cases in this status (repeat for several)",
    )
    cases.add_argument("--json", action="store_true", help="print a JSON array")
    cases.add_argument("--limit", type=int, help="at most this many")

    citizens = sub.add_parser("citizens", parents=[common], help="find or add citizens")
    citizen_sub = citizens.add_subparsers(dest="citizens_command", required=True, metavar="ACTION")
    add = citizen_sub.add_parser(
        "add", parents=[common], help="create a citizen (the CPR number is validated)"
    )
    add.add_argument("--cpr", required=True, help="DDMMYY-SSSS, or - to type it (not in argv)")
    add.add_argument("--first-name", required=True)
    add.add_argument("--last-name", required=True)
    add.add_argument("--json", action="store_true", help="print the citizen as JSON")
    find = citizen_sub.add_parser("find", parents=[common], help="search citizens by name or CPR")
    find.add_argument("text", help="a name, or a CPR number; - to type it (not in argv)")
    find.add_argument("--json", action="store_true")

    export = sub.add_parser("export", parents=[common], help="write documents (.docx)")
    export_sub = export.add_subparsers(dest="export_command", required=True, metavar="DOCUMENT")
    dagsorden = export_sub.add_parser(
        "dagsorden",
        parents=[common],
        help="the agenda of a meeting",
        description="Write a meeting's dagsorden (.docx): meeting details, participants by "
        "discipline, and per case the slot, citizen (masked CPR), case type, caseworker, "
        "whether the citizen attends, and the material.",
    )
    dagsorden.add_argument("--meeting", type=int, required=True, metavar="ID")
    dagsorden.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    dagsorden.add_argument(
        "--overwrite", action="store_true", help="replace FILE if it exists (else refused)"
    )

    ind = export_sub.add_parser(
        "indstilling",
        parents=[common],
        help="the approved indstilling of a case",
        description="Write a case's approved indstilling (.docx) from the template; --letter "
        "writes the plain-language letter to the citizen instead.",
    )
    ind.add_argument("--case", type=int, required=True, metavar="ID")
    ind.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    ind.add_argument("--letter", action="store_true", help="the letter to the citizen")
    ind.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    referat = export_sub.add_parser("referat", parents=[common], help="the minutes of a meeting")
    referat.add_argument("--meeting", type=int, required=True, metavar="ID")
    referat.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    referat.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    invitation = export_sub.add_parser(
        "indkaldelse",
        parents=[common],
        help="the citizen's invitation to the meeting about a case",
        description="Write the plain-language invitation (.docx) of the citizen of a case "
        "booked on a meeting: when, where, who will be there, what happens, whom to call.",
    )
    invitation.add_argument("--meeting", type=int, required=True, metavar="ID")
    invitation.add_argument("--case", type=int, required=True, metavar="ID")
    invitation.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    invitation.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    calendar = export_sub.add_parser(
        "kalender",
        parents=[common],
        help="the meeting as a calendar file (.ics) for the members",
        description="Write the meeting as an .ics calendar entry: the team, start and end "
        "(Danish time), place and video link; nothing about the cases or citizens.",
    )
    calendar.add_argument("--meeting", type=int, required=True, metavar="ID")
    calendar.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    calendar.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    indsigt = export_sub.add_parser(
        "indsigt",
        parents=[common],
        help="a citizen's access request (all data, documents, log)",
        description="Write everything stored about a citizen (data.json), the documents and "
        "the log of who used their data (log.json) into a new folder in DIR.",
    )
    indsigt.add_argument("--cpr", required=True, help="the CPR number, or - to type it")
    indsigt.add_argument("--dir", type=Path, required=True, metavar="DIR")
    batch = export_sub.add_parser(
        "meeting",
        parents=[common],
        help="everything from one meeting into a folder",
        description="Write the dagsorden, every approved indstilling of a meeting, the "
        "letters to the citizens, the minutes and the calendar file (.ics) into DIR, named by "
        "date and case number. Existing files "
        "are listed and nothing is written unless --overwrite.",
    )
    batch.add_argument("--meeting", type=int, required=True, metavar="ID")
    batch.add_argument("--dir", type=Path, required=True, metavar="DIR")
    batch.add_argument("--pdf", action="store_true", help="also PDF (needs LibreOffice)")
    batch.add_argument("--overwrite", action="store_true", help="replace existing files")

    audit_parser = sub.add_parser("audit", parents=[common], help="the audit trail")
    audit_sub = audit_parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    audit_sub.add_parser(
        "verify",
        parents=[common],
        help="check the hash chain; names the first removed, altered or reordered entry",
    )
    listing = audit_sub.add_parser("list", parents=[common], help="list entries")
    listing.add_argument("--case", type=int, metavar="ID", help="only entries about this case")
    listing.add_argument("--limit", type=int, help="the newest N entries")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    extract = audit_sub.add_parser(
        "export",
        parents=[common],
        help="one citizen's entries as JSON (for an access request)",
    )
    extract.add_argument("--cpr", required=True, help="the CPR number, or - to type it")
    extract.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    extract.add_argument("--overwrite", action="store_true")
    audit_sub.add_parser(
        "purge",
        parents=[common],
        help="delete entries older than REHABTEAM_AUDIT_RETENTION_DAYS (default 183) and "
        "write a seal entry",
    )

    backup_parser = sub.add_parser(
        "backup",
        parents=[common],
        help="a consistent, checked copy of the SQLite database",
    )
    backup_parser.add_argument("file", type=Path, metavar="FILE")
    backup_parser.add_argument("--overwrite", action="store_true")
    restore_parser = sub.add_parser(
        "restore",
        parents=[common],
        help="replace the SQLite database with a backup (checked first; the current "
        "database is kept beside it)",
    )
    restore_parser.add_argument("file", type=Path, metavar="FILE")

    stats = sub.add_parser(
        "stats",
        parents=[common],
        help="statistics for a period (groups under 5 citizens show as <5)",
        description="Cases referred in the period, by type, gender, age band and rule set with "
        "their outcome; days from referral to meeting, indstilling and decision; the share of "
        "indstillinger the municipality followed; 6-month rule compliance; interventions by "
        "area and outcome. Computed in the database. Any group of fewer than 5 citizens is "
        'shown as "<5", so no one can be singled out.',
    )
    stats.add_argument(
        "--from",
        dest="from_date",
        required=True,
        metavar="DATE",
        help="first referral date counted (DD.MM.YYYY or YYYY-MM-DD)",
    )
    stats.add_argument(
        "--to", dest="to_date", required=True, metavar="DATE", help="last referral date counted"
    )
    stats.add_argument("--team", type=int, metavar="ID", help="only this team's cases")
    stats.add_argument("--csv", type=Path, metavar="FILE", help="also save the tables as CSV")
    stats.add_argument("--overwrite", action="store_true", help="replace the CSV file")
    stats.add_argument("--json", action="store_true", help="print JSON instead of tables")

    db = sub.add_parser("db", parents=[common], help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", parents=[common], help="migrate the database to the newest schema")
    db_sub.add_parser("current", parents=[common], help="print the schema revision")
    db_sub.add_parser(
        "check", parents=[common], help="check the whole database file for damage (SQLite)"
    )
    roles = db_sub.add_parser(
        "setup-roles",
        parents=[common],
        help="PostgreSQL: create the team's role and grant it exactly what it needs",
        description="Run as the owner of rehabteam's tables. Creates the team's group role "
        "(NOLOGIN) if needed, revokes what it has and grants exactly what the app needs (row-"
        "level security decides which rows each login sees), and makes each --login a member. "
        "Safe to run again; `db upgrade` keeps the grants up to date afterwards.",
    )
    roles.add_argument("--team-role", default="rehabteam_users", metavar="ROLE")
    roles.add_argument(
        "--login", action="append", default=[], metavar="LOGIN", help="a person's login (repeat)"
    )
    roles.add_argument(
        "--demo-logins",
        action="store_true",
        help="demo database only: a login for each fictitious staff member (demo_ml for ML)",
    )

    from rehabteam import cli_rules

    cli_rules.add_parser(sub, common)

    staff = sub.add_parser(
        "staff",
        parents=[common],
        help="staff members, their logins, roles and teams (administrators)",
        description="List or set up staff. On an empty database the first `staff add` must "
        "create an administrator with a login (on SQLite, your operating-system login by "
        "default); after that only an administrator (or, on PostgreSQL, the database owner) "
        "may add or change staff.",
    )
    staff_sub = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    staff_list = staff_sub.add_parser("list", parents=[common], help="list staff members")
    staff_list.add_argument("--json", action="store_true")
    staff_list.add_argument("--all", action="store_true", help="include inactive staff")
    for action, helptext in (("add", "add a staff member"), ("update", "change a staff member")):
        p = staff_sub.add_parser(action, parents=[common], help=helptext)
        p.add_argument("--initials", required=True)
        p.add_argument("--name")
        p.add_argument("--discipline", choices=[d.value for d in Discipline])
        p.add_argument(
            "--role",
            action="append",
            choices=[r.value for r in StaffRole],
            help="a role (repeat); replaces the roles held",
        )
        p.add_argument("--login", help="the PostgreSQL or operating-system login ('' removes)")
        p.add_argument("--team", type=int, metavar="ID", help="make a fixed member of team ID")
        p.add_argument("--title")
        p.add_argument("--phone")
        p.add_argument("--email")
        if action == "update":
            state = p.add_mutually_exclusive_group()
            state.add_argument("--active", dest="active", action="store_true", default=None)
            state.add_argument("--inactive", dest="active", action="store_false")
        p.add_argument("--json", action="store_true")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    updates: dict[str, Any] = {}
    if getattr(args, "db", None):
        updates["database_url"] = args.db
    if getattr(args, "lang", None):
        updates["language"] = args.lang
    return settings.with_updates(**updates)


def _print_json(rows: list[dict[str, object]] | dict[str, object]) -> None:
    print(json.dumps(rows, ensure_ascii=False, indent=2))


def _print_table(rows: list[list[str]]) -> None:
    if not rows:
        print(t("cli.no_rows"))
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _cpr_kept_out_of_argv(args: argparse.Namespace) -> None:
    """`--cpr -` (and `citizens find -`) read the number from a prompt or stdin: a number on
    the command line can be read by every local user in the process list (/proc)."""
    from rehabteam.services.citizens import looks_like_cpr

    for name in ("cpr", "text"):
        value = getattr(args, name, None)
        if value == "-":
            if sys.stdin.isatty():
                import getpass

                value = getpass.getpass(t("cli.cpr_prompt"))
            else:
                value = sys.stdin.readline()
            setattr(args, name, value.strip())
        elif isinstance(value, str) and looks_like_cpr(value):
            print(t("cli.cpr_in_argv"), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "lang", None):
        set_language(args.lang)  # a message about the other settings in the language asked for
    _cpr_kept_out_of_argv(args)
    try:
        settings = _settings(args)
    except UserError as exc:
        print(t("cli.error", message=str(exc)), file=sys.stderr)
        return 2
    set_language(settings.language)
    from rehabteam.logsetup import configure_logging

    try:
        configure_logging()
    except OSError as exc:  # the state folder cannot be made or written
        message = t("settings.folder", path=str(exc.filename or ""), error=exc.strerror or "")
        print(t("cli.error", message=message), file=sys.stderr)
        return 2
    try:
        code = _dispatch(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except UserError as exc:
        print(t("cli.error", message=str(exc)), file=sys.stderr)
        return 2
    except RulesError as exc:
        print(t("cli.error", message=t("rules.unusable", error=str(exc))), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        pass
    except OSError as exc:  # a file or folder the command needed (not a bug: say which)
        log.warning("the command failed on a file: %s", exc.strerror)
        message = t("cli.os_error", path=str(exc.filename or "-"), error=exc.strerror or "-")
        print(t("cli.error", message=message), file=sys.stderr)
        return 2
    except Exception as exc:  # the one place a fault nobody expected ends
        return _unexpected(exc)
    # The reader went away (`rehabteam stats ... | head`): stop quietly, as cat does.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


def _unexpected(exc: Exception) -> int:
    """No traceback reaches the user, and no CPR number: a database fault gets its Danish
    message (exit 2); anything else a short one naming the log (exit 1), where the detail
    is kept with every CPR-shaped number redacted."""
    from sqlalchemy.exc import DBAPIError

    from rehabteam.db import translate_db_error
    from rehabteam.logsetup import redact_cpr

    if isinstance(exc, DBAPIError):
        translated = translate_db_error(exc)
        if isinstance(translated, UserError):
            print(t("cli.error", message=str(translated)), file=sys.stderr)
            return 2
    log.error("the command failed: %s", redact_cpr(type(exc).__name__), exc_info=exc)
    print(t("cli.unexpected", kind=type(exc).__name__), file=sys.stderr)
    return 1


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command
    if command is None:
        from rehabteam.services.first_look import start_first_look

        # The home screen's first page is read from the file while Textual is imported.
        look = (
            None
            if args.demo
            else start_first_look(settings.effective_database_url, user=settings.user)
        )
        from rehabteam.app import make_app

        make_app(settings, demo=args.demo, first_look=look).run()
        return 0
    from rehabteam.rules import load_rulebook

    rulebook = load_rulebook(settings.rules_file)
    if command == "rules" and args.rules_command is None:  # the rule sets: no database
        from rehabteam.cli_rules import list_rule_sets

        return list_rule_sets(args, rulebook)
    if command == "restore":
        from rehabteam.cli_admin import restore

        return restore(args, settings)
    from rehabteam.services.startup import open_database

    # The file's integrity is checked at most once a day (`db check` checks it in full), not
    # before every command: a secretary's 24 exports each waited for it.
    engine = open_database(
        settings.effective_database_url, recheck_hours=settings.integrity_check_hours
    )
    try:
        return _run_command(args, engine, settings, rulebook)
    except AccessDenied as exc:
        from rehabteam.services.audit import record_refusal

        record_refusal(engine, exc)
        raise
    finally:
        engine.dispose()


def viewer_of(engine: Any, settings: Settings) -> Viewer:
    """Who runs the command: the PostgreSQL login, or the operating-system login (on the
    demo database, REHABTEAM_USER). Refused, with what to do, when nobody is identified."""
    identity = identify_command(engine, settings)
    if identity.viewer is None:
        raise identity.refusal()
    return identity.viewer


def identify_command(engine: Any, settings: Settings) -> Identity:
    from rehabteam.db import session_scope
    from rehabteam.services.identity import identify
    from rehabteam.services.startup import is_demo

    with session_scope(engine) as session:
        identity = identify(session=session, claimed=settings.user, demo=is_demo(session=session))
    if identity.claim_ignored:
        print(t("identity.claim_ignored", login=identity.login), file=sys.stderr)
    return identity


def _run_command(args: argparse.Namespace, engine: Any, settings: Settings, rulebook: Any) -> int:
    from rehabteam.db import session_scope

    command = args.command
    if command in ("db", "staff", "audit", "backup"):
        from rehabteam import cli_admin

        return int(getattr(cli_admin, command)(args, engine, settings))
    if command == "seed":
        _seed(args, engine, rulebook)
        return 0
    viewer = viewer_of(engine, settings)
    if command == "rules":
        from rehabteam.cli_rules import check

        return check(args, engine, rulebook, viewer)
    if command == "stats":
        _stats(args, engine, viewer)
    elif command == "meetings":
        from rehabteam.services.meetings import list_meetings

        with session_scope(engine) as session:
            found = list_meetings(
                session=session,
                from_date=clock.today() if args.upcoming else None,
                limit=args.limit,
                viewer=viewer,
            )
        if args.json:
            _print_json([m.as_json() for m in found])
        else:
            _print_table(
                [
                    [
                        str(m.id),
                        m.date.isoformat(),
                        m.start.strftime("%H:%M"),
                        m.team,
                        label_status("MeetingStatus", m.status),
                        str(m.case_count),
                    ]
                    for m in found
                ]
            )
    elif command == "cases":
        from rehabteam.services.cases import list_cases

        with session_scope(engine, write=bool(args.search.strip())) as session:
            found_cases = list_cases(
                session=session,
                search=args.search,
                statuses=[CaseStatus(s) for s in args.status or []],
                limit=args.limit,
                viewer=viewer,
            )
        if args.json:
            _print_json([c.as_json() for c in found_cases])
        else:
            _print_table(
                [
                    [
                        c.case_number,
                        c.citizen_name,
                        c.cpr_masked,
                        label_status("CaseType", c.case_type),
                        label_status("CaseStatus", c.status),
                        c.rule_set,
                    ]
                    for c in found_cases
                ]
            )
    elif command == "citizens":
        _citizens(args, engine, viewer)
    elif command == "export":
        _export(args, engine, settings, rulebook, viewer)
    return 0


def _cli_date(value: str) -> date:
    from rehabteam.models.inputs import parse_user_date

    try:
        parsed = parse_user_date(value, field="field.from", allow_future=True)
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput(t("cli.bad_date", value=value))
    return parsed


def _stats(args: argparse.Namespace, engine: Any, viewer: Viewer) -> None:
    from rehabteam.db import session_scope
    from rehabteam.exports.stats_csv import stats_text
    from rehabteam.services.stats import save_csv, statistics

    with session_scope(engine, write=bool(args.csv)) as session:
        result = statistics(
            session=session,
            from_date=_cli_date(args.from_date),
            to_date=_cli_date(args.to_date),
            team_id=args.team,
            viewer=viewer,
        )
        if args.csv:
            target = args.csv.resolve()
            save_csv(
                session=session,
                stats=result,
                folder=target.parent,
                name=target.name,
                overwrite=args.overwrite,
                viewer=viewer,
            )
    if args.json:
        _print_json(result.model_dump(mode="json"))
        return
    team = f" ({result.team})" if result.team else ""
    print(
        t(
            "stats.summary",
            cases=result.cases,
            from_date=f"{result.from_date:%d.%m.%Y}",
            to_date=f"{result.to_date:%d.%m.%Y}",
            team=team,
        )
    )
    for title, rows in stats_text(result):
        print(f"\n{title}")
        _print_table(rows)
    if args.csv:
        print(t("stats.saved_csv", path=args.csv))


def _export(
    args: argparse.Namespace, engine: Any, settings: Settings, rulebook: Any, viewer: Viewer
) -> None:
    from rehabteam.db import session_scope
    from rehabteam.services import documents
    from rehabteam.services.exporting import export_dagsorden

    draft = late = ""
    if getattr(args, "output", None) is not None:
        args.output = _output_file(
            args.output, ".ics" if args.export_command == "kalender" else ".docx"
        )
    with session_scope(engine, write=True) as session:
        if args.export_command == "dagsorden":
            written = [
                export_dagsorden(
                    session=session,
                    meeting_id=args.meeting,
                    target=args.output,
                    rulebook=rulebook,
                    settings=settings,
                    overwrite=args.overwrite,
                    viewer=viewer,
                )
            ]
        elif args.export_command == "indstilling":
            written = [
                documents.export_indstilling(
                    session=session,
                    case_id=args.case,
                    target=args.output,
                    settings=settings,
                    rulebook=rulebook,
                    overwrite=args.overwrite,
                    letter=args.letter,
                    viewer=viewer,
                )
            ]
        elif args.export_command == "indkaldelse":
            from rehabteam.services.invitation import export_invitation

            written = [
                export_invitation(
                    session=session,
                    meeting_id=args.meeting,
                    case_id=args.case,
                    target=args.output,
                    settings=settings,
                    rulebook=rulebook,
                    overwrite=args.overwrite,
                    viewer=viewer,
                )
            ]
        elif args.export_command == "kalender":
            from rehabteam.services.invitation import export_calendar

            written = [
                export_calendar(
                    session=session,
                    meeting_id=args.meeting,
                    target=args.output,
                    overwrite=args.overwrite,
                    viewer=viewer,
                )
            ]
        elif args.export_command == "referat":
            written = [
                documents.export_referat(
                    session=session,
                    meeting_id=args.meeting,
                    target=args.output,
                    settings=settings,
                    rulebook=rulebook,
                    overwrite=args.overwrite,
                    viewer=viewer,
                )
            ]
        elif args.export_command == "indsigt":
            from rehabteam.services.indsigt import export_indsigt

            if not args.dir.is_dir():
                raise UserError(t("export.no_folder", folder=str(args.dir)))
            written = [
                export_indsigt(
                    session=session,
                    cpr=args.cpr,
                    folder=args.dir,
                    settings=settings,
                    rulebook=rulebook,
                    viewer=viewer,
                )
            ]
        else:
            started = time.perf_counter()
            if not args.dir.is_dir():
                raise UserError(t("export.no_folder", folder=str(args.dir)))

            def progress(done: int, total: int, name: str) -> None:
                width = 30
                filled = int(width * done / total) if total else width
                bar = "#" * filled + "-" * (width - filled)
                print(f"\r[{bar}] {done}/{total} {name[:50]:<50}", end="", file=sys.stderr)

            try:
                written = documents.export_meeting(
                    session=session,
                    meeting_id=args.meeting,
                    folder=args.dir,
                    settings=settings,
                    rulebook=rulebook,
                    overwrite=args.overwrite,
                    pdf=args.pdf,
                    progress=progress,
                    viewer=viewer,
                )
            finally:
                print(file=sys.stderr)  # the progress line ends before any message
            print(
                t(
                    "export.meeting_done",
                    n=len(written),
                    folder=args.dir,
                    seconds=time.perf_counter() - started,
                )
            )
            left_out = documents.meeting_left_out(
                session=session, meeting_id=args.meeting, rulebook=rulebook, viewer=viewer
            )
            if left_out:
                print(t("export.left_out_title"))
                for line in left_out:
                    print(f"  {line}")
        if args.export_command in ("referat", "meeting", "indkaldelse"):
            from rehabteam.services.invitation import late_notice
            from rehabteam.services.meetings import get_meeting

            meeting = get_meeting(session=session, meeting_id=args.meeting, viewer=viewer)
            if args.export_command == "indkaldelse":
                late = late_notice(meeting.date, settings)
            else:
                draft = documents.referat_draft_warning(meeting)
    for path in written:
        print(t("export.done", path=path))
    _said_if_outside([Path(p) for p in written], settings)
    if late:
        print(late, file=sys.stderr)  # an invitation for a meeting too soon
    if draft:
        print(draft, file=sys.stderr)  # the minutes of a meeting not yet held: a draft


def _output_file(path: Path, suffix: str) -> Path:
    """`-o noext` gets the document's own ending; `-o x.pdf` (a .docx under a name that
    will not open) is refused with what to type instead."""
    if not path.suffix:
        return path.with_name(path.name + suffix)
    if path.suffix.lower() != suffix:
        raise UserError(t("export.wrong_suffix", name=path.name, suffix=suffix, stem=path.stem))
    return path


def _said_if_outside(paths: list[Path], settings: Settings) -> None:
    """Documents of personal data written outside both the export folder and the folder the
    command ran in (`-o ../../x.docx`) are named with a warning, not in silence: once for a
    folder of them (a meeting's export), not once per file. A calendar file holds no
    personal data and is not warned about."""
    inside = [settings.effective_export_dir.resolve(), Path.cwd().resolve()]
    outside = [
        p.resolve()
        for p in paths
        if p.suffix.lower() != ".ics" and not any(p.resolve().is_relative_to(f) for f in inside)
    ]
    folder = settings.effective_export_dir
    if len(outside) == 1:
        print(t("export.outside", path=outside[0], folder=folder), file=sys.stderr)
    elif outside:
        for parent in sorted({p.parent for p in outside}):
            print(t("export.outside_dir", path=parent, folder=folder), file=sys.stderr)


def label_status(kind: str, value: str) -> str:
    return t(f"{kind}.{value}")


def _seed(args: argparse.Namespace, engine: Any, rulebook: Any) -> None:
    """Fictitious data, only into an empty database or one that holds only fictitious data
    (never beside real people)."""
    from rehabteam.db import session_scope
    from rehabteam.services.identity import has_staff
    from rehabteam.services.startup import is_demo

    with session_scope(engine) as session:
        from rehabteam.services.access import is_database_owner

        if engine.dialect.name == "postgresql" and not is_database_owner(session):
            raise UserError(t("seed.needs_owner"))
        if has_staff(session) and not is_demo(session=session):
            raise UserError(t("seed.not_empty"))
    if args.demo:
        from sqlmodel import func, select

        from rehabteam.models import Citizen, Meeting
        from rehabteam.services.demo import seed_demo

        with session_scope(engine, write=True) as session:
            seed_demo(session=session, rulebook=rulebook, seed=args.seed)
        with session_scope(engine) as session:
            citizens = session.exec(select(func.count()).select_from(Citizen)).one()
            meetings = session.exec(select(func.count()).select_from(Meeting)).one()
        print(t("seed.done", citizens=citizens, meetings=meetings))
        return
    from rehabteam.services.bulk_seed import seed_bulk

    if args.citizens < 1:
        raise UserError(t("cli.error", message="--citizens N >= 1"))
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print("\r" + t("seed.progress", done=done, total=total), end="", file=sys.stderr)

    seed_bulk(engine, citizens=args.citizens, rulebook=rulebook, seed=args.seed, progress=progress)
    print(file=sys.stderr)
    print(t("seed.bulk_done", citizens=args.citizens, seconds=time.perf_counter() - started))


def _citizens(args: argparse.Namespace, engine: Any, viewer: Viewer) -> None:
    from pydantic import ValidationError

    from rehabteam.db import session_scope
    from rehabteam.errors import InvalidInput
    from rehabteam.models.inputs import CitizenCreate
    from rehabteam.services.citizens import create_citizen, search_citizens

    if args.citizens_command == "add":
        try:
            data = CitizenCreate(cpr=args.cpr, first_name=args.first_name, last_name=args.last_name)
        except ValidationError as exc:
            raise InvalidInput(user_message(exc)) from None
        with session_scope(engine, write=True) as session:
            created = create_citizen(session=session, data=data, viewer=viewer)
        if args.json:
            _print_json(created.model_dump(mode="json"))
        else:
            key = "citizen.already_registered" if created.already_registered else "citizen.created"
            print(t(key, name=created.name, cpr=created.cpr_masked))
        return
    with session_scope(engine, write=True) as session:  # the search is audited
        found = search_citizens(session=session, text=args.text, viewer=viewer)
    if args.json:
        _print_json([c.model_dump(mode="json") for c in found])
    else:
        _print_table([[str(c.id), c.name, c.cpr_masked, label(c.gender)] for c in found])
