"""The team's recommendation (indstilling). It is not a decision (afgørelse)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from rehabteam.models.base import Tracked

# The indstilling's free-text fields, in form order: the general ones, the førtidspension
# justification (BEK § 10) and the fleksjob one. Inputs, services and forms share these.
GENERAL_TEXTS = (
    "begrundelse",
    "vurdering",
    "maal",
    "opfoelgning",
    "borgerens_bemaerkninger",
    "sundhedskoordinator_vurdering",
)
FP_TEXTS = (
    "fp_beskaeftigelsesforhold",
    "fp_sociale_forhold",
    "fp_helbredsforhold",
    "fp_arbejdsevne_begrundelse",
)
ALL_TEXTS = (*GENERAL_TEXTS, *FP_TEXTS, "fleksjob_begrundelse")


class Indstilling(Tracked, table=True):
    """One version of a case's indstilling.

    An approved version is locked; a later change creates a new row with `version_no + 1` and
    marks the old one `erstattet`, so every approved text is kept. `version` (from Tracked) is
    the optimistic-locking counter of this row.
    """

    __tablename__ = "indstilling"
    __table_args__ = (UniqueConstraint("case_id", "version_no", name="uq_indstilling_version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="rehab_case.id", nullable=False, index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    version_no: int = Field(default=1, nullable=False)
    type: str | None = Field(default=None, max_length=40)  # IndstillingType
    status: str = Field(default="kladde", max_length=20, nullable=False)  # IndstillingStatus
    begrundelse: str = Field(default="", nullable=False)
    vurdering: str = Field(default="", nullable=False)  # the team's view of work/education
    maal: str = Field(default="", nullable=False)
    varighed_maaneder: int | None = Field(default=None)
    opfoelgning: str = Field(default="", nullable=False)
    koordinerende_sagsbehandler_id: int | None = Field(
        default=None, foreign_key="staff_member.id", index=True
    )
    borgerens_bemaerkninger: str = Field(default="", nullable=False)
    sundhedskoordinator_vurdering: str = Field(default="", nullable=False)
    # Førtidspension (BEK § 10): the conditions weighed, and why work capacity is
    # "væsentligt og varigt nedsat". Fleksjob needs a faglig begrundelse.
    fp_beskaeftigelsesforhold: str = Field(default="", nullable=False)
    fp_sociale_forhold: str = Field(default="", nullable=False)
    fp_helbredsforhold: str = Field(default="", nullable=False)
    fp_arbejdsevne_begrundelse: str = Field(default="", nullable=False)
    fleksjob_begrundelse: str = Field(default="", nullable=False)
    approved_by_id: int | None = Field(default=None, foreign_key="staff_member.id")
    approved_at: datetime | None = Field(default=None)
    sent_at: datetime | None = Field(default=None)


class IndstillingIntervention(Tracked, table=True):
    """An indstillet indsats: per area, its purpose, content and why."""

    __tablename__ = "indstilling_intervention"

    id: int | None = Field(default=None, primary_key=True)
    indstilling_id: int = Field(
        foreign_key="indstilling.id", nullable=False, index=True, ondelete="CASCADE"
    )
    area: str = Field(max_length=40, nullable=False)  # InterventionArea
    position: int = Field(default=0, nullable=False)
    formaal: str = Field(default="", nullable=False)
    indhold: str = Field(default="", nullable=False)
    begrundelse: str = Field(default="", nullable=False)
