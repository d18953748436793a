"""Who is working, on SQLite: the operating-system login, never a name the user claims; a
new login binds itself once to a profile that is neither an administrator nor a mødeleder;
nothing is shown or done for nobody."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, text
from sqlmodel import col, select

from rehabteam.cli import main
from rehabteam.db import session_scope
from rehabteam.errors import AccessDenied
from rehabteam.models import AppMeta, AuditEvent, Citizen, StaffMember
from rehabteam.models.enums import StaffRole
from rehabteam.models.inputs import CitizenCreate
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.citizens import create_citizen, search_citizens
from rehabteam.services.demo import seed_demo
from rehabteam.services.identity import bind_login, bindable_profiles, identify
from rehabteam.services.os_user import os_login
from tests.people import add_staff, add_team, as_staff


@pytest.fixture
def office(engine: Engine, rulebook: RuleBook) -> Engine:
    """The demo's people and cases on an ordinary (not demo) database."""
    with session_scope(engine, write=True) as session:
        seed_demo(session=session, rulebook=rulebook)
    with session_scope(engine, write=True) as session:
        session.execute(delete(AppMeta).where(col(AppMeta.key) == "demo"))
        sk = session.exec(select(StaffMember).where(StaffMember.initials == "SK")).one()
        sk.login = "sofie"
        session.add(sk)
    return engine


def _login(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: login)
    monkeypatch.setattr("rehabteam.services.first_look.os_login", lambda: login)


def test_the_os_login_comes_from_the_user_id_not_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USER", "ML")
    monkeypatch.setenv("LOGNAME", "ML")
    assert os_login() == pwd.getpwuid(os.getuid()).pw_name


def test_the_os_login_decides_and_rehabteam_user_is_ignored(
    office: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(monkeypatch, "sofie")
    with session_scope(office) as session:
        identity = identify(session=session, claimed="ML", demo=False)
    assert identity.viewer is not None and identity.viewer.initials == "SK"
    assert identity.claim_ignored
    monkeypatch.setenv("REHABTEAM_USER", "ML")
    url = str(office.url)
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["cases", "--json", "--db", url]) == 0
    assert "REHABTEAM_USER" in err.getvalue()
    shown = {c["sagsbehandler"] for c in json.loads(out.getvalue())}
    with session_scope(office) as session:
        ml_sees = len(search_citizens(session=session, text="", viewer=as_staff(session, "ML")))
        sk_sees = len(search_citizens(session=session, text="", viewer=identity.viewer))
    assert sk_sees < ml_sees and shown  # Sofie's own cases, not Mette's


def test_a_new_login_may_bind_only_an_unclaimed_ordinary_profile(
    office: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(monkeypatch, "newcomer")
    with session_scope(office) as session:
        identity = identify(session=session, demo=False)
        offered = {p.initials for p in identity.bindable}
        privileged = {
            p.initials
            for p in bindable_profiles(session=session)
            if {StaffRole.ADMINISTRATOR.value, StaffRole.MOEDELEDER.value} & set(p.roles)
        }
    assert identity.viewer is None and identity.problem == "unknown"
    assert offered and "ML" not in offered and "AP" not in offered and "SK" not in offered
    assert privileged == set()
    for initials in ("AP", "ML", "JB", "SK"):  # administrator, mødeleder, referent, bound
        with session_scope(office) as session:
            target = session.exec(
                select(StaffMember.id).where(StaffMember.initials == initials)
            ).one()
        assert target is not None
        with pytest.raises(AccessDenied), session_scope(office, write=True) as session:
            bind_login(session=session, staff_id=target, login="newcomer")
    with session_scope(office) as session:
        kb = session.exec(select(StaffMember.id).where(StaffMember.initials == "KB")).one()
    assert kb is not None
    with session_scope(office, write=True) as session:
        viewer = bind_login(session=session, staff_id=kb, login="newcomer")
    assert viewer.initials == "KB" and viewer.login == "newcomer"
    with session_scope(office) as session:
        assert identify(session=session, demo=False).viewer == viewer
        entry = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()  # type: ignore[union-attr]
        assert entry is not None and (entry.entity, entry.actor_id) == ("staff_login", kb)
    # A second login cannot take the same profile.
    with pytest.raises(AccessDenied), session_scope(office, write=True) as session:
        bind_login(session=session, staff_id=kb, login="someone-else")


def test_an_empty_database_shows_nobody_anything_until_its_first_administrator(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _login(monkeypatch, "ida")
    url = str(engine.url)
    with session_scope(engine) as session:
        identity = identify(session=session)
    assert identity.viewer is None and identity.problem == "no_staff"
    assert "staff add" in identity.message()
    assert main(["cases", "--db", url]) == 2
    assert main(["staff", "add", "--initials", "IH", "--name", "Ida", "--db", url]) == 2
    assert "administrator" in capsys.readouterr().err
    assert (
        main(
            [
                *("staff", "add", "--initials", "IH", "--name", "Ida"),
                *("--role", "administrator", "--db", url),
            ]
        )
        == 0
    )
    with session_scope(engine) as session:
        admin = session.exec(select(StaffMember)).one()
    assert admin.login == "ida"
    _login(monkeypatch, "someone")  # not the administrator: may not add staff
    assert main(["staff", "add", "--initials", "XX", "--role", "administrator", "--db", url]) == 2
    _login(monkeypatch, "ida")
    assert main(["staff", "add", "--initials", "SB", "--login", "sb", "--db", url]) == 0
    with session_scope(engine) as session:
        assert {m.initials for m in session.exec(select(StaffMember))} == {"IH", "SB"}


def test_a_caseworker_cannot_purge_read_or_export_the_audit_trail(
    office: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _login(monkeypatch, "sofie")
    url = str(office.url)
    with session_scope(office) as session:
        before = len(session.exec(select(AuditEvent)).all())
    for args in (
        ["audit", "purge"],
        ["audit", "list"],
        ["audit", "verify"],
        ["audit", "export", "--cpr", "120381-1233", "-o", str(tmp_path / "x.json")],
        ["backup", str(tmp_path / "copy.sqlite3")],
    ):
        assert main([*args, "--db", url]) == 2, args
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "copy.sqlite3").exists()
    with session_scope(office) as session:
        after = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        assert audit.verify(session=session)[0]
    assert len(after) == before + 5 and {e.action for e in after[before:]} == {"denied"}


def test_an_access_request_answers_a_non_administrator_the_same_for_anyone(
    office: Engine, rulebook: RuleBook, tmp_path: Path
) -> None:
    from rehabteam.services.indsigt import export_indsigt
    from rehabteam.settings import Settings

    with session_scope(office) as session:
        hans = session.exec(select(Citizen).where(Citizen.first_name == "Hans")).first()
        sk = as_staff(session, "SK")
        ap = as_staff(session, "AP")
    assert hans is not None
    messages = []
    for cpr in (hans.cpr, "010101-0000"):
        with pytest.raises(AccessDenied) as refused, session_scope(office, write=True) as s:
            export_indsigt(
                session=s,
                cpr=cpr,
                folder=tmp_path,
                settings=Settings(),
                rulebook=rulebook,
                viewer=sk,
            )
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    with session_scope(office, write=True) as s:
        folder = export_indsigt(
            session=s,
            cpr=hans.cpr,
            folder=tmp_path,
            settings=Settings(),
            rulebook=rulebook,
            viewer=ap,
        )
    data = json.loads((folder / "data.json").read_text())
    assert data["cases"] and data["cases"][0]["preparation"]
    with session_scope(office) as session:
        assert session.execute(text("SELECT count(*) FROM indsigt_grant")).scalar() == 0


def test_citizens_are_found_by_name_only_where_the_viewer_may_see_them(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        team = add_team(session)
        own = add_staff(session, "AA", team_id=team)
        other = add_staff(session, "BB")
        create_citizen(
            session=session,
            data=CitizenCreate(cpr="120381-1233", first_name="Hans", last_name="Jørgensen"),
            viewer=own,
        )
    with session_scope(engine, write=True) as session:
        assert [c.name for c in search_citizens(session=session, text="hans", viewer=own)] == [
            "Hans Jørgensen"
        ]
        assert search_citizens(session=session, text="hans", viewer=other) == []
        assert search_citizens(session=session, text="1203", viewer=other) == []
        # The full CPR number, as on a referral, finds the person: from then on BB sees them.
        found = search_citizens(session=session, text="120381-1233", viewer=other)
        assert [c.name for c in found] == ["Hans Jørgensen"]
    with session_scope(engine, write=True) as session:
        assert [c.name for c in search_citizens(session=session, text="hans", viewer=other)] == [
            "Hans Jørgensen"
        ]
        searches = session.exec(select(AuditEvent).where(AuditEvent.action == "search")).all()
    assert searches and all("1203" not in e.detail and "hans" not in e.detail for e in searches)


def test_a_user_id_without_a_name_is_never_taken_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_entry(_uid: int) -> object:
        raise KeyError("no passwd entry")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.setenv("USER", "daemon")
    monkeypatch.setenv("LOGNAME", "daemon")
    assert os_login() == f"uid:{os.getuid()}"


def test_staff_are_listed_and_changed_by_an_administrator_only_and_not_on_the_demo(
    office: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(office.url)
    _login(monkeypatch, "sofie")  # a caseworker
    assert main(["staff", "list", "--db", url]) == 2
    assert "administrator" in capsys.readouterr().err
    with session_scope(office, write=True) as session:
        ap = session.exec(select(StaffMember).where(StaffMember.initials == "AP")).one()
        ap.login = "anne"
        session.add(ap)
    _login(monkeypatch, "anne")
    assert main(["staff", "list", "--db", url]) == 0
    assert "Sofie Kjær" in capsys.readouterr().out
    # An administrator does not give herself roles or teams.
    assert main(["staff", "update", "--initials", "AP", "--role", "moedeleder", "--db", url]) == 2
    assert "egne roller" in capsys.readouterr().err
    with session_scope(office, write=True) as session:
        session.add(AppMeta(key="demo", value="1"))
    assert main(["staff", "add", "--initials", "XY", "--name", "Rigtig Person", "--db", url]) == 2
    assert "fiktive" in capsys.readouterr().err


def test_the_meeting_room_and_its_texts_are_for_the_people_at_the_meeting(
    office: Engine, rulebook: RuleBook
) -> None:
    """Sofie may see her own case on today's agenda, but she is not at the meeting: she
    neither opens its meeting room nor writes a discipline's record or the draft there."""
    from datetime import date

    from rehabteam.models import AgendaItem, Case, Meeting
    from rehabteam.models.inputs import AssessmentInput
    from rehabteam.services.assessments import save_assessment
    from rehabteam.services.meeting_room import open_case

    with session_scope(office) as session:
        sk = as_staff(session, "SK")
        today = session.exec(select(Meeting).where(Meeting.date == date.today())).one()
        item = session.exec(
            select(AgendaItem)
            .join(Case, Case.id == AgendaItem.case_id)  # type: ignore[arg-type]
            .where(AgendaItem.meeting_id == today.id, Case.sagsbehandler_id == sk.staff_id)
        ).first()
    assert today.id is not None and item is not None and item.id is not None
    with pytest.raises(AccessDenied, match="deltagere"), session_scope(office, write=True) as s:
        open_case(session=s, meeting_id=today.id, item_id=item.id, rulebook=rulebook, viewer=sk)
    with pytest.raises(AccessDenied, match="deltagere"), session_scope(office, write=True) as s:
        save_assessment(
            session=s,
            case_id=item.case_id,
            meeting_id=today.id,
            discipline="sundhedskoordinator",
            data=AssessmentInput(vurdering="Skrevet af en, der ikke er med"),
            base={"vurdering": ""},
            viewer=sk,
        )


async def test_a_person_deactivated_while_working_is_left_with_nothing_on_screen(
    office: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable, Static

    from rehabteam.app import make_app
    from rehabteam.screens.citizens import CitizensScreen
    from rehabteam.screens.home import HomeScreen
    from rehabteam.settings import Settings
    from tests.pilot import settle, until

    _login(monkeypatch, "sofie")
    app = make_app(Settings(database_url=str(office.url)))
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(app, pilot)
        assert app.viewer is not None and app.viewer.initials == "SK"
        assert app.screen.query_one("#cases", DataTable).row_count > 0
        await pilot.press("b")  # the citizen search, one screen deeper
        await settle(app, pilot)
        assert isinstance(app.screen, CitizensScreen)
        with session_scope(office, write=True) as session:
            sk = session.exec(select(StaffMember).where(StaffMember.initials == "SK")).one()
            sk.active = False
            session.add(sk)
        await pilot.press("h")  # typing searches again: refused, and everything goes
        await until(pilot, lambda: app.viewer is None)
        await settle(app, pilot)
        assert app.viewer is None and isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#cases", DataTable).row_count == 0
        assert app.screen.query_one("#meetings", DataTable).row_count == 0
        status = str(app.screen.query_one("#cases-status", Static).render())
        assert "ikke længere er aktiv" in status
