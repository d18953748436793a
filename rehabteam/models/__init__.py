"""Tables (SQLModel) and read models. Importing this package registers every table."""

from rehabteam.models.assessment import DisciplineAssessment
from rehabteam.models.audit import AppMeta, AuditEvent
from rehabteam.models.case import Case, CaseDocument, MedicalStatement, PreparationField
from rehabteam.models.citizen import Citizen
from rehabteam.models.meeting import AgendaItem, Meeting, MeetingParticipant
from rehabteam.models.recommendation import Indstilling, IndstillingIntervention
from rehabteam.models.staff import StaffMember, StaffRoleLink, Team, TeamMember

__all__ = [
    "AgendaItem",
    "AppMeta",
    "AuditEvent",
    "Case",
    "CaseDocument",
    "Citizen",
    "DisciplineAssessment",
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
]
