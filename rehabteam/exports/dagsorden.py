"""The dagsorden (agenda) of a team meeting as a .docx, rendered from the `dagsorden`
template (the municipality's own, or the bundled one): meeting details, when and to whom
the material was sent, participants by discipline, and per case its slot, citizen (masked
CPR), case type, caseworker, whether the citizen attends, its status, the time of each
phase of the slot and the material.

A held meeting's dagsorden lists the cases the meeting had, booked, handled, postponed or
cancelled, each at the time it stood on the agenda.

The phases of a slot (DOMAIN, meeting practice; SCENARIOS: formøde ten minutes, dialogue
thirty, in a 60-minute slot): a team-only formøde, the dialogue with the citizen, and an
eftermøde where the team agrees its indstilling or anbefaling. The domain gives no split for
other slot lengths, so the slot (the meeting's setting, `slot_minutes`) is divided in the
same proportions, 1/6 formøde, 1/2 dialogue, the rest eftermøde, in whole minutes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from rehabteam.exports.templating import fields_of, render
from rehabteam.i18n import t
from rehabteam.models.enums import AgendaStatus, MeetingStatus, ParticipantRole
from rehabteam.models.read import AgendaItemRead, AgendaRead

REQUIRED = {"meeting.date", "meeting.material", "participants", "cases"}
SHAPES: dict[str, Any] = {
    "participants": ("list", fields_of("discipline", "names")),
    "cases": (
        "list",
        {
            **fields_of(
                "time",
                "slot",
                "name",
                "citizen",
                "cpr",
                "number",
                "case_type",
                "sagsbehandler",
                "attends",
                "status",
            ),
            "phases": ("list", fields_of("time", "name")),
            "material": ("list", None),
        },
    ),
    "warnings": ("list", None),
}


class DagsordenDoc(BaseModel):
    model_config = ConfigDict(frozen=True)
    organisation: str
    agenda: AgendaRead
    # The outcome word of each case's rule set ("indstilling" or "anbefaling"), by case id.
    outcomes: dict[int, str] = {}


def phase_minutes(slot_minutes: int) -> tuple[int, int, int]:
    """(formøde, dialogue, eftermøde) minutes of a slot: 10, 30, 20 of 60 (see above)."""
    formoede = round(slot_minutes / 6)
    dialog = round(slot_minutes / 2)
    return formoede, dialog, slot_minutes - formoede - dialog


def plus_minutes(start: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()


def phases(item: AgendaItemRead, outcome: str) -> list[dict[str, str]]:
    """Each phase of the item's slot with its time, in order."""
    lengths = phase_minutes(item.slot_minutes)
    middle = "dag.phase.dialog" if item.citizen_attends else "dag.phase.uden_borger"
    names = ["dag.phase.formoede", middle, f"dag.phase.eftermoede.{outcome}"]
    rows, start = [], item.start
    for key, minutes in zip(names, lengths, strict=True):
        end = plus_minutes(start, minutes)
        rows.append({"time": f"{start:%H:%M}-{end:%H:%M}", "name": t(key)})
        start = end
    return rows


def _attends(item: AgendaItemRead) -> str:
    if not item.citizen_attends:
        return t("dag.attends_no", reason=item.absence_reason or "-")
    if item.bisidder:
        return t("dag.attends_with", bisidder=item.bisidder)
    return t("dag.attends_yes")


def _status(item: AgendaItemRead) -> str:
    word = t(f"dag.status.{item.status}")
    return (
        t("dag.status_reason", status=word, reason=item.status_reason)
        if item.status_reason
        else word
    )


def _material_sent(agenda: AgendaRead) -> str:
    if agenda.material_sent_at:
        sent = datetime.fromisoformat(agenda.material_sent_at)
        return t("dag.material_sent", date=f"{sent:%d.%m.%Y}", to=agenda.material_sent_to or "-")
    return t("dag.material_not_sent", deadline=f"{agenda.material_deadline:%d.%m.%Y}")


def _participants(agenda: AgendaRead) -> list[dict[str, str]]:
    by_discipline: dict[str, list[str]] = {}
    for p in agenda.participants:
        role = (
            ""
            if p.role in (ParticipantRole.MEDLEM, ParticipantRole.GAEST)
            else f" ({t(f'ParticipantRole.{p.role}')})"
        )
        org = f", {p.organisation}" if p.organisation else ""
        by_discipline.setdefault(p.discipline, []).append(f"{p.name}{org}{role}")
    return [
        {"discipline": t(f"Discipline.{discipline}"), "names": "; ".join(names)}
        for discipline, names in by_discipline.items()
    ]


def dagsorden_context(doc: DagsordenDoc) -> dict[str, Any]:
    from rehabteam.exports.documents import labels

    agenda, meeting = doc.agenda, doc.agenda.meeting
    held = meeting.status in (MeetingStatus.AFHOLDT, MeetingStatus.I_GANG)
    # A planned meeting lists what is booked; a held one every case it had, as it stood.
    items = [i for i in agenda.items if held or i.status is AgendaStatus.BOOKET]
    items.sort(key=lambda i: (i.start, i.position, i.id))
    return {
        "organisation": doc.organisation,
        "l": labels(),
        "meeting": {
            "team": meeting.team,
            "date": f"{meeting.date:%d.%m.%Y}",
            "time": f"{meeting.start:%H:%M}-{meeting.end:%H:%M}",
            "place": meeting.place or "-",
            "video": meeting.video_link or "-",
            "video_link": meeting.video_link,  # empty: the template leaves the row out
            "chair": meeting.chair or "-",
            "referent": meeting.referent or "-",
            "material": _material_sent(agenda),
            "held": meeting.status is MeetingStatus.AFHOLDT,
        },
        "participants": _participants(agenda),
        "cases": [
            {
                "time": f"{i.start:%H:%M}-{i.end:%H:%M}",
                # On a held meeting the slot says what became of the case.
                "slot": f"{i.start:%H:%M}-{i.end:%H:%M}"
                + ("" if i.status is AgendaStatus.BOOKET else f"\n{t(f'dag.status.{i.status}')}"),
                "name": i.citizen_name,
                "citizen": f"{i.citizen_name}\n{i.cpr_masked}",
                "cpr": i.cpr_masked,
                "number": i.case_number,
                "case_type": t(f"CaseType.{i.case_type}"),
                "sagsbehandler": i.sagsbehandler or "-",
                "attends": _attends(i),
                "status": _status(i),
                # A case postponed or cancelled was not handled: no time plan for it.
                "phases": phases(i, doc.outcomes.get(i.case_id, "indstilling"))
                if i.status in (AgendaStatus.BOOKET, AgendaStatus.BEHANDLET)
                else [],
                "material": list(i.material),
            }
            for i in items
        ],
        # The chair's checklist before sending (a citizen's age and education, a missing
        # discipline) is for the screen, not for the members' copy: left empty here (a
        # municipality's older template may still name the field).
        "warnings": [],
    }


def write_dagsorden(doc: DagsordenDoc, path: Path, *, template: Path) -> Path:
    return render(template, dagsorden_context(doc), path, required=REQUIRED, shapes=SHAPES)
