"""Finding and creating citizens."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound
from rehabteam.i18n import t
from rehabteam.models import AuditEvent, Citizen, CitizenAccess, CitizenNameToken
from rehabteam.models.base import utcnow
from rehabteam.models.cpr import Cpr, age_on, mask_cpr
from rehabteam.models.enums import AuditAction
from rehabteam.models.inputs import CitizenCreate
from rehabteam.models.read import CitizenRead
from rehabteam.models.viewer import Viewer
from rehabteam.services import audit
from rehabteam.services.access import current_staff, require_citizen_access, visible_citizens

_CPR_PREFIX = re.compile(r"^\d{1,6}(-?\d{0,4})?$")
_FULL_CPR = re.compile(r"^[0-9]{6}-?[0-9]{4}$")


def looks_like_cpr(text: str) -> bool:
    """Ten digits with or without the dash: a full CPR number (valid or not)."""
    return bool(_FULL_CPR.match(text.strip()))


def to_read(citizen: Citizen, *, today: date | None = None) -> CitizenRead:
    assert citizen.id is not None
    return CitizenRead(
        id=citizen.id,
        name=f"{citizen.first_name} {citizen.last_name}",
        cpr_masked=mask_cpr(citizen.cpr),
        birth_date=citizen.birth_date,
        gender=citizen.gender,
        age=age_on(citizen.birth_date, today or clock.today()),
        has_vocational_education=citizen.has_vocational_education,
    )


def search_name_for(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".casefold()


def create_citizen(*, session: Session, data: CitizenCreate, viewer: Viewer) -> CitizenRead:
    """Register a citizen; whoever registers them may see them from then on. A CPR number
    already registered is that person: the (audited) lookup returns them, marked
    `already_registered`, and nothing is created."""
    current_staff(session, viewer)
    cpr = Cpr(data.cpr)
    citizen = Citizen(
        cpr=data.cpr,
        first_name=data.first_name,
        last_name=data.last_name,
        search_name=search_name_for(data.first_name, data.last_name),
        birth_date=cpr.birth_date,
        gender=cpr.gender.value,
        has_vocational_education=data.has_vocational_education,
        address=data.address,
        postcode=data.postcode,
        city=data.city,
        phone=data.phone,
        registered_by_id=viewer.staff_id,
    )
    try:
        with session.begin_nested():
            session.add(citizen)
            session.flush()
    except IntegrityError:  # the CPR number is registered (maybe where the viewer cannot see)
        existing = lookup_cpr(session=session, cpr_digits=data.cpr, viewer=viewer)
        found = session.get(Citizen, existing) if existing is not None else None
        if found is None:
            raise InvalidInput(t("citizen.duplicate_cpr"), field="cpr") from None
        return to_read(found).model_copy(update={"already_registered": True})
    audit.record(
        session=session,
        actor=viewer,
        action=AuditAction.CREATE,
        entity="citizen",
        entity_id=citizen.id,
        cpr_digits=citizen.cpr,
    )
    return to_read(citizen)


LOOKUPS_PER_10_MINUTES = 30  # a referral is one person, not a list to go through


def lookup_cpr(*, session: Session, cpr_digits: str, viewer: Viewer) -> int | None:
    """The citizen with exactly this CPR number, whoever's they are: a caseworker holding a
    referral opens a case for them. From then on the viewer may see the citizen (not their
    other cases). Every lookup is in the audit trail (under the citizen when found, so their
    access request finds it); more than 30 in ten minutes are refused."""
    from rehabteam.services.access import is_database_owner

    if session.get_bind().dialect.name == "postgresql" and not is_database_owner(session):
        # The citizen is not visible to this login yet: the database looks, and audits.
        found = session.execute(
            text("SELECT rehabteam_cpr_lookup(:cpr)"), {"cpr": cpr_digits}
        ).scalar()
        return int(found) if found is not None else None
    since = utcnow() - timedelta(minutes=10)
    recent = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            col(AuditEvent.actor_id) == viewer.staff_id,
            col(AuditEvent.entity) == "cpr_lookup",
            col(AuditEvent.occurred_at) > since,
        )
    ).one()
    if recent >= LOOKUPS_PER_10_MINUTES:
        raise InvalidInput(t("citizen.too_many_lookups"))
    citizen_id = session.exec(select(Citizen.id).where(col(Citizen.cpr) == cpr_digits)).first()
    if citizen_id is not None and session.get(CitizenAccess, (citizen_id, viewer.staff_id)) is None:
        session.add(CitizenAccess(citizen_id=citizen_id, staff_id=viewer.staff_id))
        session.flush()
    audit.record(
        session=session,
        actor=viewer,
        action=AuditAction.SEARCH,
        entity="cpr_lookup",
        entity_id=citizen_id,
        cpr_digits=cpr_digits if citizen_id is not None else None,
        search=cpr_digits,
    )
    return citizen_id


def _visible_citizen(session: Session, citizen_id: int, viewer: Viewer) -> Citizen:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound(t("citizen.not_found"))
    require_citizen_access(session, citizen, viewer)
    return citizen


def get_citizen(*, session: Session, citizen_id: int, viewer: Viewer) -> CitizenRead:
    """One citizen's details; the read is written to the audit trail."""
    citizen = _visible_citizen(session, citizen_id, viewer)
    audit.record(
        session=session,
        actor=viewer,
        action=AuditAction.READ,
        entity="citizen",
        entity_id=citizen_id,
        cpr_digits=citizen.cpr,
    )
    return to_read(citizen)


def citizen_filter(text: str) -> ColumnElement[bool] | None:
    """An SQL condition for a name or CPR search, or None for no filter.

    Digits search the CPR number by prefix (birth date first). Otherwise every word typed
    must begin a word of the name, in any order: "hans j" finds Hans Jørgensen, not
    Niels Johansen.
    """
    query = text.strip()
    if not query:
        return None
    if _CPR_PREFIX.match(query):
        # A range, not LIKE: the CPR index then finds the matches however many citizens.
        digits = query.replace("-", "")
        following = str(int(digits) + 1).zfill(len(digits))
        cpr = col(Citizen.cpr)
        if len(following) > len(digits):  # all nines: nothing comes after
            return cpr >= digits
        return and_(cpr >= digits, cpr < following)
    words = query.casefold().split()
    name = col(Citizen.search_name)
    return and_(
        *(
            or_(name.startswith(word, autoescape=True), name.contains(" " + word, autoescape=True))
            for word in words
        )
    )


def search_citizens(
    *, session: Session, text: str, viewer: Viewer, limit: int = 50
) -> list[CitizenRead]:
    """The citizens `viewer` may see, by CPR prefix (in CPR order: a range of the CPR index)
    or by name (see `_by_name`); all by name when nothing is typed. At most `limit`. A full
    CPR number finds that citizen whoever's they are (see `lookup_cpr`)."""
    current_staff(session, viewer)
    query = text.strip()
    if _FULL_CPR.match(query):  # audited as the lookup it is
        lookup_cpr(session=session, cpr_digits=query.replace("-", ""), viewer=viewer)
    else:
        audit.record_search(session=session, actor=viewer, entity="citizen", criterion=text)
    condition = citizen_filter(query)
    if condition is None:
        stmt = select(Citizen).order_by(col(Citizen.search_name))
    elif _CPR_PREFIX.match(query):
        stmt = select(Citizen).where(condition).order_by(col(Citizen.cpr))
    else:
        stmt = _by_name(session, query.casefold().split())
    stmt = stmt.where(visible_citizens(viewer))
    today = clock.today()
    return [to_read(c, today=today) for c in session.exec(stmt.limit(limit))]


def _by_name(session: Session, words: list[str]) -> SelectOfScalar[Citizen]:
    """Every word typed begins a word of the name, as `citizen_filter`. Read from the name
    tokens: the first word typed is a range of tokens in the (token, name) index, every row
    of which matches it, so the first matches come at once however many citizens there are.
    Ordered by the word it matched, then name: "hans" lists the Hans before the Hansens."""
    first = words[0]
    token = col(CitizenNameToken.token)
    name = col(CitizenNameToken.search_name)
    conditions: list[ColumnElement[bool]] = [token.startswith(first, autoescape=True)]
    if session.get_bind().dialect.name == "sqlite":
        # The range is what lets SQLite read the index (its LIKE ignores case, so it does not
        # use it). PostgreSQL orders text by its collation, where a range could miss names
        # (Danish sorts "aa" as "å"), so there the LIKE decides alone.
        conditions.append(token >= first)
        if ord(first[-1]) < 0x10FFFF:
            conditions.append(token < first[:-1] + chr(ord(first[-1]) + 1))
    for word in words[1:]:
        conditions.append(
            or_(name.startswith(word, autoescape=True), name.contains(" " + word, autoescape=True))
        )
    # A citizen whose name has two words matching the first (Hans Hansen for "hans") once.
    other = aliased(CitizenNameToken)
    conditions.append(
        ~exists().where(
            col(other.citizen_id) == col(CitizenNameToken.citizen_id),
            col(other.token) < token,
            col(other.token).startswith(first, autoescape=True),
        )
    )
    return (
        select(Citizen)
        .join(CitizenNameToken, col(CitizenNameToken.citizen_id) == col(Citizen.id))
        .where(*conditions)
        .order_by(token, name, col(CitizenNameToken.citizen_id))
    )


def reveal_cpr(*, session: Session, citizen_id: int, viewer: Viewer) -> str:
    """The full CPR number (DDMMYY-SSSS), shown only on purpose; every reveal is audited."""
    citizen = _visible_citizen(session, citizen_id, viewer)
    audit.record(
        session=session,
        actor=viewer,
        action=AuditAction.READ,
        entity="citizen",
        entity_id=citizen_id,
        cpr_digits=citizen.cpr,
        detail="cpr_revealed",
    )
    return Cpr(citizen.cpr).formatted
