"""A citizen's access request (indsigt, GDPR art. 15): everything stored about them, their
documents and the log of who used their data (CJEU C-579/21), as one folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from rehabteam.errors import AccessDenied, ExportExists, NotFound
from rehabteam.exports.paths import resolve_inside, write_atomically
from rehabteam.i18n import t
from rehabteam.models import (
    AgendaItem,
    Case,
    CaseDocument,
    Citizen,
    DisciplineAssessment,
    Indstilling,
    IndstillingIntervention,
    MedicalStatement,
    PreparationField,
)
from rehabteam.models.cpr import Cpr, parse_cpr
from rehabteam.models.enums import AuditAction, IndstillingStatus, StaffRole
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.access import has_staff, on_case, roles_of
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


def export_indsigt(
    *,
    session: Session,
    cpr: str,
    folder: Path,
    settings: Settings,
    rulebook: RuleBook,
    actor_id: int | None = None,
) -> Path:
    """Write `<folder>/indsigt-<date>-borger-<id>/` with data.json, log.json and the
    documents. Refused for staff who are neither administrators nor on one of the cases."""
    from rehabteam.services.documents import write_indstilling_file

    digits = parse_cpr(cpr).digits
    citizen = session.exec(select(Citizen).where(col(Citizen.cpr) == digits)).first()
    if citizen is None or citizen.id is None:
        raise NotFound(t("citizen.not_found"))
    cases = session.exec(select(Case).where(col(Case.citizen_id) == citizen.id)).all()
    if has_staff(session):
        if actor_id is None:
            raise AccessDenied(t("access.who"), entity="indsigt")
        allowed = StaffRole.ADMINISTRATOR.value in roles_of(session, actor_id) or any(
            on_case(session, c, actor_id) for c in cases
        )
        if not allowed:
            raise AccessDenied(t("access.indsigt"), entity="indsigt", actor_id=actor_id)
    target = resolve_inside(folder, f"indsigt-{date.today():%Y-%m-%d}-borger-{citizen.id}")
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
                date=f"{date.today():%Y-%m-%d}",
                number=case.case_number,
            )
            write_indstilling_file(
                session=session,
                case_id=case.id,
                target=target / name,
                settings=settings,
                rulebook=rulebook,
                letter=letter,
            )
    audit.record(
        session=session,
        action=AuditAction.EXPORT,
        entity="indsigt",
        entity_id=citizen.id,
        cpr_digits=digits,
        actor_id=actor_id,
    )
    return target
