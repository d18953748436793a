"""The team's recommendation (indstilling). It is not a decision (afgørelse)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from rehabteam.models.base import Stamped, Tracked

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
CHOICES = ("type", "varighed_maaneder", "koordinerende_sagsbehandler_id")
INTERVENTION_PARTS = ("formaal", "indhold", "begrundelse")
AREAS = ("beskaeftigelse", "uddannelse", "social", "sundhed", "mentor")  # InterventionArea


def intervention_key(area: str, part: str) -> str:
    """The field name of one part of one area's indstillet indsats, e.g. "mentor.indhold"."""
    return f"{area}.{part}"


INTERVENTION_FIELDS = tuple(intervention_key(a, p) for a in AREAS for p in INTERVENTION_PARTS)
# Every field of the indstilling as the form edits it, each saved on its own.
INDSTILLING_FIELDS = (*CHOICES, *ALL_TEXTS, *INTERVENTION_FIELDS)


def field_label(name: str) -> str:
    """The label of an indstilling field as the form shows it."""
    from rehabteam.i18n import t

    if "." in name:
        area, part = name.split(".", 1)
        return f"{t(f'InterventionArea.{area}')}: {t(f'room.intervention.{part}')}"
    special = {
        "type": "room.type",
        "varighed_maaneder": "room.varighed_short",
        "koordinerende_sagsbehandler_id": "room.koordinator",
    }
    return t(special.get(name, f"room.{name}"))


def indstilling_values(source: Any, interventions: Any) -> dict[str, Any]:
    """The indstilling's fields by name, from anything with its attributes and a sequence of
    interventions (area, formaal, indhold, begrundelse)."""
    values = {name: getattr(source, name) for name in (*CHOICES, *ALL_TEXTS)}
    kind = values["type"]
    values["type"] = getattr(kind, "value", kind)
    values.update(dict.fromkeys(INTERVENTION_FIELDS, ""))
    for item in interventions:
        area = getattr(item.area, "value", item.area)
        for part in INTERVENTION_PARTS:
            values[intervention_key(area, part)] = getattr(item, part)
    return values


class Indstilling(Stamped, Tracked, table=True):
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
