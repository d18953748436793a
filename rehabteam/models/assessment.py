"""Each discipline's contribution to a case at a meeting."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from rehabteam.models.base import Stamped, Tracked


class DisciplineAssessment(Stamped, Tracked, table=True):
    __tablename__ = "discipline_assessment"
    __table_args__ = (
        UniqueConstraint("case_id", "meeting_id", "discipline", name="uq_assessment_discipline"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="rehab_case.id", nullable=False, index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    discipline: str = Field(max_length=40, nullable=False)  # Discipline
    # Who typed it (often the referent); `given_by` is whose assessment it is: the team
    # member of that discipline at the meeting.
    author_id: int | None = Field(default=None, foreign_key="staff_member.id")
    given_by: str = Field(default="", max_length=200, nullable=False)
    vurdering: str = Field(default="", nullable=False)
    anbefalede_indsatser: str = Field(default="", nullable=False)
