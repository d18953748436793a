"""A citizen's access request (indsigt, GDPR art. 15): everything stored about them, their
documents and the log of who used their data (CJEU C-579/21), as one folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from rehabteam import clock
from rehabteam.errors import AccessDenied, ExportExists, NotFound
from rehabteam.exports.paths import resolve_inside, write_atomically
from rehabteam.i18n import t
from rehabteam.models import (
    AgendaItem,
    Case,
    CaseDocument,
    Citizen,
    DisciplineAssessment,
    IndsigtGrant,
    Indstilling,
    IndstillingIntervention,
    MedicalStatement,
    PreparationField,
)
from rehabteam.models.cpr import Cpr, parse_cpr
from rehabteam.models.enums import AuditAction, IndstillingStatus, StaffRole
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.access import has_role
from rehabteam.settings import Settings, ensure_private_dir

SKIP = {"search_name"}


def _row(obj: Any) -> dict[str, Any]:
    return {k: v for k, v in obj.model_dump(mode="json").items() if k not in SKIP}


def _rows(session: Session, model: Any, column: Any, value: Any) -> list[dict[str, Any]]:
    return [_row(r) for r in session.exec(select(model).where(column == value))]


def citizen_data(session: Session, citizen: Citizen) -> dict[str, Any]:
    cases = session.exec(select(Case).where(col(Case.citizen_id) == citizen.id)).all()
    data: dict[str, Any] = {
        "citizen": {**_row(citizen), "cpr": Cpr(citizen.cpr).formatted},
        "cases": [],
    }
    for case in cases:
        indstillinger = []
        for ind in session.exec(select(Indstilling).where(col(Indstilling.case_id) == case.id)):
            indstillinger.append(
                {
                    **_row(ind),
                    "interventions": _rows(
                        session,
                        IndstillingIntervention,
                        col(IndstillingIntervention.indstilling_id),
                        ind.id,
                    ),
                }
            )
        data["cases"].append(
            {
                **_row(case),
                "preparation": _rows(
                    session, PreparationField, col(PreparationField.case_id), case.id
                ),
                "medical_statement": _rows(
                    session, MedicalStatement, col(MedicalStatement.case_id), case.id
                ),
                "documents": _rows(session, CaseDocument, col(CaseDocument.case_id), case.id),
                "agenda": _rows(session, AgendaItem, col(AgendaItem.case_id), case.id),
                "assessments": _rows(
                    session, DisciplineAssessment, col(DisciplineAssessment.case_id), case.id
                ),
                "indstillinger": indstillinger,
            }
        )
    return data


def _grant(session: Session, digits: str, viewer: Viewer, *, open_: bool) -> int | None:
    """Open (or close) the administrator's sight of every case of the citizen, for this
    export's transaction only (see models.citizen.IndsigtGrant)."""
    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(
            text("SELECT rehabteam_indsigt(:cpr, :open)"), {"cpr": digits, "open": open_}
        ).scalar()
        return int(found) if found is not None else None
    citizen_id = session.exec(select(Citizen.id).where(col(Citizen.cpr) == digits)).first()
    if citizen_id is None:
        return None
    if open_:
        session.merge(IndsigtGrant(citizen_id=citizen_id, staff_id=viewer.staff_id))
    else:
        session.execute(
            delete(IndsigtGrant).where(
                col(IndsigtGrant.citizen_id) == citizen_id,
                col(IndsigtGrant.staff_id) == viewer.staff_id,
            )
        )
    session.flush()
    return citizen_id


def export_indsigt(
    *,
    session: Session,
    cpr: str,
    folder: Path,
    settings: Settings,
    rulebook: RuleBook,
    viewer: Viewer,
) -> Path:
    """Write `<folder>/indsigt-<date>-borger-<id>/` with data.json, log.json and the
    documents. An administrator's task (access requests are answered by the data
    controller): anyone else is refused before the CPR number is looked up, so the answer
    never tells whether the person is registered."""
    from rehabteam.services.documents import write_indstilling_file

    if not has_role(session, viewer, StaffRole.ADMINISTRATOR):
        raise AccessDenied(
            t("access.indsigt"),
            entity="indsigt",
            actor_id=viewer.staff_id,
            actor_login=viewer.login,
        )
    digits = parse_cpr(cpr).digits
    citizen_id = _grant(session, digits, viewer, open_=True)
    citizen = session.get(Citizen, citizen_id) if citizen_id is not None else None
    if citizen is None or citizen.id is None:
        raise NotFound(t("indsigt.not_registered"))
    cases = session.exec(select(Case).where(col(Case.citizen_id) == citizen.id)).all()
    target = resolve_inside(folder, f"indsigt-{clock.today():%Y-%m-%d}-borger-{citizen.id}")
    if target.exists():
        raise ExportExists(t("export.exists", name=target.name))
    ensure_private_dir(target)
    data = json.dumps(citizen_data(session, citizen), ensure_ascii=False, indent=2)
    write_atomically(
        target / "data.json", lambda p: p.write_text(data, encoding="utf-8"), overwrite=False
    )
    log = json.dumps(audit.entries(session=session, citizen=digits), ensure_ascii=False, indent=2)
    write_atomically(
        target / "log.json", lambda p: p.write_text(log, encoding="utf-8"), overwrite=False
    )
    for case in cases:
        approved = session.exec(
            select(Indstilling.id).where(
                col(Indstilling.case_id) == case.id,
                col(Indstilling.status).in_(
                    [IndstillingStatus.GODKENDT.value, IndstillingStatus.SENDT.value]
                ),
            )
        ).first()
        if approved is None or case.id is None:
            continue
        for letter in (False, True):
            name = t(
                "export.name_borgerbrev" if letter else "export.name_indstilling",
                date=f"{clock.today():%Y-%m-%d}",
                number=case.case_number,
            )
            write_indstilling_file(
                session=session,
                case_id=case.id,
                target=target / name,
                settings=settings,
                rulebook=rulebook,
                letter=letter,
                viewer=viewer,
            )
    audit.record(
        session=session,
        action=AuditAction.EXPORT,
        entity="indsigt",
        entity_id=citizen.id,
        cpr_digits=digits,
        actor=viewer,
    )
    _grant(session, digits, viewer, open_=False)
    return target
