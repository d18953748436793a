"""Tables (SQLModel) and read models.

The table modules (SQLModel, SQLAlchemy) are imported on first use, not with this package:
the first screen paints without them. `load_all()` registers every table; `make_engine`
calls it, so the metadata is complete before any database work.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rehabteam.models.assessment import DisciplineAssessment as DisciplineAssessment
    from rehabteam.models.audit import AppMeta as AppMeta
    from rehabteam.models.audit import AuditEvent as AuditEvent
    from rehabteam.models.case import (
        Case as Case,
    )
    from rehabteam.models.case import (
        CaseDocument as CaseDocument,
    )
    from rehabteam.models.case import (
        HealthAdvice as HealthAdvice,
    )
    from rehabteam.models.case import (
        MedicalStatement as MedicalStatement,
    )
    from rehabteam.models.case import (
        PreparationField as PreparationField,
    )
    from rehabteam.models.citizen import Citizen as Citizen
    from rehabteam.models.citizen import CitizenAccess as CitizenAccess
    from rehabteam.models.citizen import CitizenNameToken as CitizenNameToken
    from rehabteam.models.citizen import IndsigtGrant as IndsigtGrant
    from rehabteam.models.followup import Decision as Decision
    from rehabteam.models.followup import FollowUpNote as FollowUpNote
    from rehabteam.models.followup import Forloeb as Forloeb
    from rehabteam.models.followup import ForloebExemption as ForloebExemption
    from rehabteam.models.followup import ForloebIntervention as ForloebIntervention
    from rehabteam.models.meeting import (
        AgendaItem as AgendaItem,
    )
    from rehabteam.models.meeting import (
        Meeting as Meeting,
    )
    from rehabteam.models.meeting import (
        MeetingParticipant as MeetingParticipant,
    )
    from rehabteam.models.recommendation import (
        Indstilling as Indstilling,
    )
    from rehabteam.models.recommendation import (
        IndstillingIntervention as IndstillingIntervention,
    )
    from rehabteam.models.staff import (
        StaffMember as StaffMember,
    )
    from rehabteam.models.staff import (
        StaffRoleLink as StaffRoleLink,
    )
    from rehabteam.models.staff import (
        Team as Team,
    )
    from rehabteam.models.staff import (
        TeamMember as TeamMember,
    )

_WHERE = {
    "DisciplineAssessment": "assessment",
    "AppMeta": "audit",
    "AuditEvent": "audit",
    "Case": "case",
    "CaseDocument": "case",
    "MedicalStatement": "case",
    "HealthAdvice": "case",
    "PreparationField": "case",
    "Citizen": "citizen",
    "CitizenAccess": "citizen",
    "IndsigtGrant": "citizen",
    "CitizenNameToken": "citizen",
    "Decision": "followup",
    "FollowUpNote": "followup",
    "Forloeb": "followup",
    "ForloebIntervention": "followup",
    "ForloebExemption": "followup",
    "AgendaItem": "meeting",
    "Meeting": "meeting",
    "MeetingParticipant": "meeting",
    "Indstilling": "recommendation",
    "IndstillingIntervention": "recommendation",
    "StaffMember": "staff",
    "StaffRoleLink": "staff",
    "Team": "staff",
    "TeamMember": "staff",
}

__all__ = [
    "AgendaItem",
    "AppMeta",
    "AuditEvent",
    "Case",
    "CaseDocument",
    "Citizen",
    "CitizenAccess",
    "CitizenNameToken",
    "Decision",
    "DisciplineAssessment",
    "FollowUpNote",
    "Forloeb",
    "ForloebExemption",
    "ForloebIntervention",
    "HealthAdvice",
    "IndsigtGrant",
    "Indstilling",
    "IndstillingIntervention",
    "MedicalStatement",
    "Meeting",
    "MeetingParticipant",
    "PreparationField",
    "StaffMember",
    "StaffRoleLink",
    "Team",
    "TeamMember",
    "load_all",
]


def load_all() -> None:
    """Import every table module, so SQLModel.metadata holds the whole schema."""
    for module in sorted(set(_WHERE.values())):
        importlib.import_module(f"rehabteam.models.{module}")


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'rehabteam.models' has no attribute {name!r}")
    load_all()
    return getattr(importlib.import_module(f"rehabteam.models.{module}"), name)
