"""The demo team on a fresh PostgreSQL schema, each person logged in as themselves, set up
with `rehabteam db setup-roles` as the README says (the `team` fixture in conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from rehabteam.db import make_engine, session_scope
from rehabteam.rules import RuleBook
from rehabteam.services.demo import seed_demo
from rehabteam.services.pg_roles import demo_logins, setup_roles

PEOPLE = ("ML", "JB", "SK", "IH", "PN", "AR", "LD", "AP", "BV")


@dataclass
class Team:
    """The demo team on a fresh schema, each person with a login of their own."""

    owner_url: str
    owner: Engine
    role: str
    logins: dict[str, str]
    engines: dict[str, Engine] = field(default_factory=dict)

    def url(self, who: str) -> str:
        login = self.logins.get(who, who)
        return make_url(self.owner_url).set(username=login).render_as_string(hide_password=False)

    def engine(self, who: str) -> Engine:
        if who not in self.engines:
            self.engines[who] = make_engine(self.url(who))
        return self.engines[who]

    def sql(self, who: str, statement: str, **params: object) -> list[tuple[object, ...]]:
        """Plain SQL as that login, as psql would run it (committed)."""
        engine = create_engine(self.url(who))
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement), params)
                return [tuple(r) for r in result.all()] if result.returns_rows else []
        finally:
            engine.dispose()


def make_team(pg_url: str, pg_engine: Engine, rulebook: RuleBook) -> Iterator[Team]:
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    nobody = f"{schema}_nobody"  # a login with no staff record
    role = f"{schema}_team"
    with session_scope(pg_engine, write=True) as session:
        seed_demo(session=session, rulebook=rulebook)
    # Each demo person's login, as `rehabteam db setup-roles --demo-logins` makes them.
    made = demo_logins(pg_engine, team_role=role, prefix=f"{schema}_")
    logins = {who: login for who, _name, login in made}
    assert set(PEOPLE) <= set(logins)
    with pg_engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{nobody}" LOGIN'))
    setup_roles(pg_engine, team_role=role, logins=[nobody])
    found = Team(pg_url, pg_engine, role, {**logins, "nobody": nobody})
    try:
        yield found
    finally:
        for engine in found.engines.values():
            engine.dispose()
        with pg_engine.begin() as conn:
            # One clean-up at a time on the server (see conftest.teardown_lock).
            conn.execute(text("SELECT pg_advisory_xact_lock(731600)"))
            for login in [*logins.values(), nobody, role]:
                conn.execute(text(f'DROP OWNED BY "{login}"'))
                conn.execute(text(f'DROP ROLE "{login}"'))
