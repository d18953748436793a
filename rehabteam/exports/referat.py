"""The mødereferat (minutes) as .docx: for the team, not the citizen.

A pure writer: it takes the read model, builds the template context and renders the
template (the municipality's own, or the bundled one). No database, no UI.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from rehabteam.exports.documents import _common, _day
from rehabteam.exports.templating import fields_of, render
from rehabteam.i18n import t

# What a referat template must print. Not the citizen's "you will hear about the decision"
# sentence: the minutes are the team's record.
REQUIRED = {"meeting.date", "attendance", "cases"}


class ReferatAssessment(BaseModel):
    """Who a discipline's assessment is from, and who typed it when that is someone else."""

    model_config = ConfigDict(frozen=True)
    discipline: str
    given_by: str
    typed_by: str


class ReferatCase(BaseModel):
    model_config = ConfigDict(frozen=True)
    time: str
    citizen: str
    cpr: str
    number: str
    case_type: str
    present: str  # the citizen: attended, absent (with the reason) or not registered
    bisidder: str
    outcome: str  # the type of indstilling/anbefaling, or postponed/cancelled and why
    koordinerende: str
    next_step: str
    assessments: list[ReferatAssessment] = []


class ReferatPerson(BaseModel):
    model_config = ConfigDict(frozen=True)
    discipline: str
    name: str
    organisation: str  # a guest's organisation; "" for the team's own members
    status: str
    role: str = ""  # the role held at the meeting (mødeleder, referent, medlem); "" for a guest


class ReferatDoc(BaseModel):
    model_config = ConfigDict(frozen=True)
    organisation: str
    team: str
    date: date
    time: str
    closed: str  # when the meeting ended ("" not recorded)
    place: str
    chair: str
    referent: str
    held: bool  # False: a draft, the meeting has not been held
    attendance: list[ReferatPerson]
    cases: list[ReferatCase]


def referat_context(doc: ReferatDoc) -> dict[str, Any]:
    return {
        **_common(doc.organisation),
        "draft": "" if doc.held else t("docl.referat_draft"),
        "meeting": {
            "team": doc.team,
            "date": _day(doc.date),
            "time": doc.time,
            "closed": doc.closed or t("attendance.unknown"),
            "place": doc.place or "-",
            "chair": doc.chair or "-",
            "referent": doc.referent or "-",
        },
        "attendance": [p.model_dump() for p in doc.attendance],
        "cases": [c.model_dump() for c in doc.cases],
    }


# What a template may read where a document has none of it (no cases, no guests, no
# assessments yet): the template check knows these fields by name even then.
REFERAT_SHAPES: dict[str, Any] = {
    "attendance": ("list", fields_of(*ReferatPerson.model_fields)),
    "cases": (
        "list",
        {
            **fields_of(*ReferatCase.model_fields),
            "assessments": ("list", fields_of(*ReferatAssessment.model_fields)),
        },
    ),
}


def write_referat(doc: ReferatDoc, path: Path, *, template: Path) -> Path:
    context = referat_context(doc)
    return render(template, context, path, required=REQUIRED, shapes=REFERAT_SHAPES)
