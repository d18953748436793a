"""The dagsorden (agenda) of a team meeting as a .docx: meeting details, participants by
discipline, and per case its slot, citizen (masked CPR), case type, caseworker, whether the
citizen attends, and the material."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rehabteam.exports.docx_parts import (
    finish,
    key_values,
    new_document,
    page_x_of_y,
    table,
    text,
)
from rehabteam.i18n import t
from rehabteam.models.enums import AgendaStatus, ParticipantRole
from rehabteam.models.read import AgendaRead


class DagsordenDoc(BaseModel):
    model_config = ConfigDict(frozen=True)
    organisation: str
    agenda: AgendaRead


def _attends(item_attends: bool, reason: str, bisidder: str) -> str:
    if not item_attends:
        return t("doc.citizen_absent", reason=reason)
    return t("doc.citizen_attends_with", bisidder=bisidder) if bisidder else t("doc.yes")


def write_dagsorden(doc: DagsordenDoc, path: Path) -> Path:
    agenda = doc.agenda
    meeting = agenda.meeting
    document = new_document(doc.organisation, t("doc.confidential"))
    document.add_heading(t("doc.dagsorden_title"), level=0)
    text(
        document.add_paragraph(),
        t("doc.dagsorden_subtitle", team=meeting.team, date=f"{meeting.date:%d.%m.%Y}"),
    )
    sent = (
        t("doc.material_sent", to=agenda.material_sent_to)
        if agenda.material_sent_at
        else t("doc.material_not_sent", deadline=f"{agenda.material_deadline:%d.%m.%Y}")
    )
    key_values(
        document,
        [
            (t("doc.date"), f"{meeting.date:%d.%m.%Y}"),
            (t("doc.time"), f"{meeting.start:%H:%M}-{meeting.end:%H:%M}"),
            (t("doc.place"), meeting.place or "-"),
            (t("doc.video"), meeting.video_link or "-"),
            (t("doc.chair"), meeting.chair or "-"),
            (t("doc.referent"), meeting.referent or "-"),
            (t("doc.material"), sent),
        ],
    )

    document.add_heading(t("doc.participants"), level=1)
    by_discipline: dict[str, list[str]] = {}
    for p in agenda.participants:
        role = (
            ""
            if p.role in (ParticipantRole.MEDLEM, ParticipantRole.GAEST)
            else f" ({t(f'ParticipantRole.{p.role}')})"
        )
        org = f", {p.organisation}" if p.organisation else ""
        by_discipline.setdefault(p.discipline, []).append(f"{p.name}{org}{role}")
    for discipline, names in by_discipline.items():
        paragraph = document.add_paragraph(style="List Bullet")
        text(paragraph, f"{t(f'Discipline.{discipline}')}: ", bold=True)
        text(paragraph, "; ".join(names))

    booked = [i for i in agenda.items if i.status is AgendaStatus.BOOKET]
    document.add_heading(t("doc.cases"), level=1)
    if not booked:
        text(document.add_paragraph(), t("doc.no_cases"))
    else:
        table(
            document,
            [
                t("doc.col.time"),
                t("doc.col.citizen"),
                t("doc.col.case_type"),
                t("doc.col.sagsbehandler"),
                t("doc.col.attends"),
            ],
            [
                [
                    f"{i.start:%H:%M}-{i.end:%H:%M}",
                    f"{i.citizen_name}\n{i.cpr_masked}",
                    t(f"CaseType.{i.case_type}"),
                    i.sagsbehandler or "-",
                    _attends(i.citizen_attends, i.absence_reason, i.bisidder),
                ]
                for i in booked
            ],
            widths=[2.4, 4.4, 3.6, 3.4, 3.2],
        )
        for i in booked:
            document.add_heading(
                f"{i.start:%H:%M}  {i.citizen_name} ({i.cpr_masked}), {t('doc.case')} "
                f"{i.case_number}",
                level=2,
            )
            text(document.add_paragraph(), t("doc.slot_plan"))
            text(document.add_paragraph(), t("doc.material") + ":", bold=True)
            for entry in i.material:
                text(document.add_paragraph(style="List Bullet"), entry)
    if agenda.warnings:
        document.add_heading(t("doc.warnings"), level=1)
        for warning in agenda.warnings:
            text(document.add_paragraph(style="List Bullet"), warning)
    page_x_of_y(document, t("doc.page"), t("doc.of"))
    title = f"{t('doc.dagsorden_title')} – {meeting.team}, {meeting.date:%d.%m.%Y}"
    finish(document, title=title, organisation=doc.organisation)
    document.save(str(path))
    return path
