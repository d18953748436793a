"""The indstilling and the letter to the citizen (borgerbrev) as .docx (the mødereferat is
in `exports.referat`).

Pure writers: they take read models, build the template context and render the template
(the municipality's own, or the bundled one). No database, no UI.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from rehabteam import clock
from rehabteam.exports.templating import fields_of, render
from rehabteam.i18n import CATALOGUES, current_language, t
from rehabteam.models.enums import IndstillingType
from rehabteam.models.read import AssessmentRead, IndstillingRead, StaffRead

REQUIRED = {
    "indstilling": {
        "decision_note",
        "citizen.name",
        "citizen.cpr",
        "case.number",
        "indstilling.type",
        "indstilling.begrundelse",
        "indstilling.vurdering",
        "koordinerende.name",
        "koordinerende.phone",
        "assessments",
        "interventions",
        "members",
    },
    "borgerbrev": {
        "decision_note",
        "letter.greeting",
        "letter.opening",
        "letter.facts",
        "letter.summary",
        "letter.next",
        "letter.when",
        "contact.who",
        "contact.call",
        "sender.name",
    },
}


class CitizenPart(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    first_name: str
    cpr: str  # full or masked, per setting
    address: str
    postcode: str
    city: str


class IndstillingDoc(BaseModel):
    model_config = ConfigDict(frozen=True)
    organisation: str
    citizen: CitizenPart
    case_number: str
    case_type: str
    rule_set_name: str
    meeting_date: date | None
    meeting_place: str
    members: list[tuple[str, str, str]]  # (name, discipline, role) of those present
    indstilling: IndstillingRead
    assessments: list[AssessmentRead]
    koordinerende: StaffRead | None
    koordinerende_title: str = ""
    # Whether the citizen came (and with whom), who presented the case, what it was decided on.
    citizen_attendance: str = ""
    presenter: str = ""
    basis: str = ""
    # What the team's result is (an indstilling, or from the 2026 reform an anbefaling), the
    # rule set's legal basis, who assessed and why, and the sundhedskoordinator's advice.
    outcome: str = "indstilling"
    citation: str = ""
    disciplines: str = ""
    health_advice: str = ""
    # The letter to the citizen: whom the citizen calls and who signs (the koordinerende
    # sagsbehandler, else the case's sagsbehandler, else the unit), and whether the citizen
    # came to the meeting (None: not recorded).
    contact_role: str = "unit"  # koordinerende | sagsbehandler | unit
    contact_name: str = ""
    contact_title: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    citizen_present: bool | None = None
    # Days from the approval until the citizen hears from the municipality (a setting).
    answer_days: int = 28
    # The document's own date (the approval), when it was sent before (a new export is then
    # a copy), the municipality's decision once made, and the note on a ressourceforløb
    # agreed after the reform on a case referred before it.
    issued_on: date | None = None
    sent_on: date | None = None
    decided_on: date | None = None
    decision_followed: bool = True
    transition_note: str = ""


def labels() -> dict[str, str]:
    """Every `docl.*` text in the current language, for `{{ l.name }}` in templates."""
    catalogue = CATALOGUES[current_language()]
    return {
        key.removeprefix("docl."): value
        for key, value in catalogue.items()
        if key.startswith("docl.")
    }


def _day(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else "-"


def local_day(stamp: str | None) -> date | None:
    """An ISO time stamp (stored in UTC) as the local date."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp)
    return (moment.astimezone() if moment.tzinfo is not None else moment).date()


def _approved_day(stamp: str | None) -> str:
    """An ISO time stamp (stored in UTC) as the local date, DD.MM.YYYY."""
    return _day(local_day(stamp))


# Which intervention areas take up a discipline's recommendation (a guest's: none known).
_AREAS_OF: dict[str, set[str]] = {
    "beskaeftigelse": {"beskaeftigelse", "mentor"},
    "sundhed": {"sundhed"},
    "social": {"social"},
    "undervisning": {"uddannelse"},
    "sundhedskoordinator": {"sundhed"},
}


def _split_health(doc: IndstillingDoc) -> tuple[dict[str, str], list[AssessmentRead]]:
    """The sundhedskoordinator's part (printed once, under its own heading) and the other
    disciplines' assessments. The sundhedskoordinator's assessment at the meeting stays among
    the assessments only when it says something the indstilling's text does not."""
    own = doc.indstilling.sundhedskoordinator_vurdering.strip()
    health = {"vurdering": own, "indsatser": ""}
    others: list[AssessmentRead] = []
    for a in doc.assessments:
        if a.discipline == "sundhedskoordinator" and a.vurdering.strip() in ("", own):
            health["vurdering"] = own or a.vurdering.strip()
            health["indsatser"] = a.anbefalede_indsatser.strip()
        elif a.vurdering.strip() or a.anbefalede_indsatser.strip():
            others.append(a)
    return health, others


def _not_in_plan(doc: IndstillingDoc) -> list[dict[str, str]]:
    """Each discipline's recommended interventions that no intervention of the plan takes
    up (no intervention in the discipline's areas): listed, not silently dropped."""
    areas = {str(i.area) for i in doc.indstilling.interventions}
    return [
        {
            "discipline": t(f"Discipline.{a.discipline}"),
            "indsatser": a.anbefalede_indsatser.strip(),
        }
        for a in doc.assessments
        if a.anbefalede_indsatser.strip() and not (_AREAS_OF.get(a.discipline, set()) & areas)
    ]


def _common(organisation: str) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "l": labels(),
        "today": _day(clock.today()),
        "decision_note": t("docl.decision_note"),
    }


def plain_summary(ind: IndstillingRead) -> str:
    kind = ind.type or "andet"
    text = t(f"plain.{kind}", months=ind.varighed_maaneder or "-", goal=ind.maal or "-")
    return text if text != f"plain.{kind}" else t("plain.andet")


def _outcome_words(outcome: str) -> dict[str, str]:
    """The labels that name the team's result: an anbefaling under the 2026 reform (the team
    is no longer a statutory body), an indstilling before it (LOU §§ 9-12)."""
    if outcome != "anbefaling":
        return {}
    return {
        "indstilling_title": t("docl.anbefaling_title"),
        "sent_to": t("docl.anbefaling_sent_to"),
        "interventions": t("docl.anbefaling_interventions"),
        "no_interventions": t("docl.anbefaling_no_interventions"),
        "ind_not_in_plan_note": t("docl.anbefaling_not_in_plan_note"),
    }


def indstilling_context(doc: IndstillingDoc) -> dict[str, Any]:
    ind = doc.indstilling
    kind = ind.type or ""
    health, assessments = _split_health(doc)
    common = _common(doc.organisation)
    common["l"] = {**common["l"], **_outcome_words(doc.outcome)}
    if doc.outcome == "anbefaling":
        common["decision_note"] = t("docl.anbefaling_note")
    if doc.decided_on is not None:  # not "du får besked om den" of a decision made
        followed = "yes" if doc.decision_followed else "no"
        common["decision_note"] = t(
            f"docl.decided.{doc.outcome}.{followed}", date=_day(doc.decided_on)
        )
    # Dated the day it was agreed; printed again after it was sent, it says it is a copy.
    common["today"] = _day(doc.issued_on or clock.today())
    common["copy_note"] = (
        t("docl.copy_note", today=_day(clock.today()), sent=_day(doc.sent_on))
        if doc.sent_on is not None
        else ""
    )
    return {
        **common,
        "citizen": doc.citizen.model_dump(),
        "case": {
            "number": doc.case_number,
            "type": doc.case_type,
            "rule_set": doc.rule_set_name,
            "citation": doc.citation or doc.rule_set_name,
            "basis": doc.basis,
            "outcome": t(f"docl.outcome_word.{doc.outcome}"),
            "disciplines": doc.disciplines,
            "health_advice": doc.health_advice,
            "transition_note": doc.transition_note,
        },
        "meeting": {
            "held": doc.meeting_date is not None,
            "date": _day(doc.meeting_date),
            "place": doc.meeting_place or "-",
            "citizen": doc.citizen_attendance,
            "presenter": doc.presenter,
        },
        "members": [
            {"name": name, "discipline": discipline, "role": role}
            for name, discipline, role in doc.members
        ],
        "indstilling": {
            **{
                name: getattr(ind, name)
                for name in (
                    "begrundelse",
                    "vurdering",
                    "maal",
                    "opfoelgning",
                    "borgerens_bemaerkninger",
                    "sundhedskoordinator_vurdering",
                    "fp_beskaeftigelsesforhold",
                    "fp_sociale_forhold",
                    "fp_helbredsforhold",
                    "fp_arbejdsevne_begrundelse",
                    "fleksjob_begrundelse",
                )
            },
            "type": t(f"IndstillingType.{kind}") if kind else "-",
            "varighed": t("docl.months", n=ind.varighed_maaneder) if ind.varighed_maaneder else "-",
            "version": ind.version_no,
            "approved": t(
                "docl.approved_by", name=ind.approved_by or "-", date=_approved_day(ind.approved_at)
            ),
            "plain_summary": plain_summary(ind),
        },
        "forloeb": kind == IndstillingType.RESSOURCEFORLOEB,
        "pension": kind == IndstillingType.FOERTIDSPENSION,
        "assessments": [
            {
                "discipline": t(f"Discipline.{a.discipline}"),
                "author": a.author or "",  # who typed it
                "given_by": a.given_by,  # whose assessment it is
                "vurdering": a.vurdering or "-",
                "indsatser": a.anbefalede_indsatser.strip(),
            }
            for a in assessments
        ],
        "sundhedskoordinator": health,
        "not_in_plan": _not_in_plan(doc),
        "interventions": [
            {
                "area": t(f"InterventionArea.{i.area}"),
                "formaal": i.formaal or "-",
                "indhold": i.indhold or "-",
                "begrundelse": i.begrundelse or "-",
            }
            for i in ind.interventions
        ],
        "contact": {
            "name": doc.contact_name,
            "title": doc.contact_title,
            "phone": doc.contact_phone or "-",
            "email": doc.contact_email or "-",
        },
        "koordinerende": (
            {
                "name": doc.koordinerende.name,
                "title": doc.koordinerende_title,
                "phone": doc.koordinerende.phone or "-",
                "email": doc.koordinerende.email or "-",
            }
            if doc.koordinerende
            else None
        ),
    }


# What a template may read where a document has none of it (no koordinerende sagsbehandler
# yet, no interventions, no cases): the template check knows these fields by name even then.
INDSTILLING_SHAPES: dict[str, Any] = {
    "koordinerende": fields_of("name", "title", "phone", "email"),
    "contact": fields_of("name", "title", "phone", "email"),
    "members": ("list", fields_of("name", "discipline", "role")),
    "assessments": (
        "list",
        fields_of("discipline", "author", "given_by", "vurdering", "indsatser"),
    ),
    "not_in_plan": ("list", fields_of("discipline", "indsatser")),
    "interventions": ("list", fields_of("area", "formaal", "indhold", "begrundelse")),
}


def write_indstilling(doc: IndstillingDoc, path: Path, *, template: Path) -> Path:
    context = indstilling_context(doc)
    return render(
        template, context, path, required=REQUIRED["indstilling"], shapes=INDSTILLING_SHAPES
    )
