"""The meeting's tables: its agenda, its participants, the cases ready to be booked. The
agenda screen shows them in full, the meeting room in short."""

from __future__ import annotations

from collections.abc import Sequence

from rehabteam.i18n import t
from rehabteam.models.enums import AgendaStatus
from rehabteam.models.read import AgendaItemRead, AgendaRead, CaseRead, ParticipantRead
from rehabteam.widgets.tables import RecordTable


def agenda_info(agenda: AgendaRead) -> str:
    """The meeting in two lines: when and where, who chairs, and the material's state."""
    m = agenda.meeting
    sent = (
        t("agenda.material_sent", to=agenda.material_sent_to)
        if agenda.material_sent_at
        else t("agenda.material_due", deadline=f"{agenda.material_deadline:%d.%m.%Y}")
    )
    return t(
        "agenda.info",
        date=f"{m.date:%d.%m.%Y}",
        start=f"{m.start:%H:%M}",
        end=f"{m.end:%H:%M}",
        place=m.place or m.video_link,
        team=m.team,
        chair=m.chair or "-",
        referent=m.referent or "-",
        status=t(f"MeetingStatus.{m.status}"),
        material=sent,
    )


ATTENDS_WIDTH = 18  # "Ja + <bisidder>" longer than this is cut: the status stays in view


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def slot_text(item: AgendaItemRead) -> str:
    """A case booked or handled has its slot; one postponed or cancelled has none here."""
    kept = item.status in (AgendaStatus.BOOKET, AgendaStatus.BEHANDLET)
    return f"{item.start:%H:%M}-{item.end:%H:%M}" if kept else ""


class AgendaItemTable(RecordTable[AgendaItemRead]):
    """The agenda in full: slot, citizen, CPR (masked), case type, caseworker, whether the
    citizen attends, and the status (a booked case no longer ready says so)."""

    COLUMNS = tuple(
        (key, f"agenda.col.{key}")
        for key in ("time", "citizen", "cpr", "case_type", "sagsbehandler", "attends", "status")
    )

    def cells(self, item: AgendaItemRead) -> Sequence[object]:
        attends = _short(
            t("doc.yes") + (f" + {item.bisidder}" if item.bisidder else "")
            if item.citizen_attends
            else t("agenda.absent"),
            ATTENDS_WIDTH,
        )
        status = t(f"AgendaStatus.{item.status}")
        if item.status is AgendaStatus.BOOKET and item.missing:
            status = t("agenda.not_ready_short")
        return (
            slot_text(item),
            item.citizen_name,
            item.cpr_masked,
            t(f"CaseType.{item.case_type}"),
            item.sagsbehandler or "",
            attends,
            status,
        )


class RoomAgendaTable(RecordTable[AgendaItemRead]):
    """The agenda in the meeting room: when, who, what, how far."""

    COLUMNS = tuple((key, f"room.col.{key}") for key in ("time", "citizen", "case_type", "status"))

    def cells(self, item: AgendaItemRead) -> Sequence[object]:
        return (
            f"{item.start:%H:%M}",
            item.citizen_name,
            t(f"CaseType.{item.case_type}"),
            t(f"AgendaStatus.{item.status}"),
        )


class ParticipantTable(RecordTable[ParticipantRead]):
    COLUMNS = tuple((key, f"agenda.col.{key}") for key in ("discipline", "name", "role"))

    def cells(self, p: ParticipantRead) -> Sequence[object]:
        name = p.name + (f", {p.organisation}" if p.organisation else "")
        return t(f"Discipline.{p.discipline}"), name, t(f"ParticipantRole.{p.role}")


class AttendanceTable(RecordTable[ParticipantRead]):
    """Fremmøde: who came (Enter checks a participant in or out)."""

    COLUMNS = tuple((key, f"room.col.{key}") for key in ("discipline", "name", "role", "attended"))

    def cells(self, p: ParticipantRead) -> Sequence[object]:
        attended = {True: t("doc.yes"), False: t("agenda.absent"), None: "-"}[p.attended]
        if p.attended is False and p.absence_reason:
            attended = t("room.absent_with", reason=p.absence_reason)
        return (
            t(f"Discipline.{p.discipline}"),
            p.name,
            t(f"ParticipantRole.{p.role}"),
            attended,
        )


class ReadyTable(RecordTable[CaseRead]):
    """Cases ready to be booked (Enter books the selected one)."""

    COLUMNS = tuple((key, f"agenda.col.{key}") for key in ("citizen", "case_type", "referral"))

    def cells(self, c: CaseRead) -> Sequence[object]:
        return (
            f"{c.citizen_name} ({c.cpr_masked})",
            t(f"CaseType.{c.case_type}"),
            f"{c.referral_date:%d.%m.%Y}",
        )
