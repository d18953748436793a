"""What the meeting room shows beside the forms: the clock of the current case's slot and
the case material (the preparation and the medical statement), read-only."""

from __future__ import annotations

from rehabteam.i18n import t
from rehabteam.models.enums import MEDICAL_PARTS, AgendaStatus
from rehabteam.models.read import AgendaRead, RoomCaseRead
from rehabteam.textsafe import clean_text

# A slot's phases as shares of its length (practice: 10 + 30 + 20 of 60 minutes).
PHASES = (
    ("room.phase_formoede", 1 / 6),
    ("room.phase_dialog", 1 / 2),
    ("room.phase_eftermoede", 1 / 3),
)


def room_info(agenda: AgendaRead) -> str:
    m = agenda.meeting
    return t(
        "room.info",
        team=m.team,
        date=f"{m.date:%d.%m.%Y}",
        start=f"{m.start:%H:%M}",
        end=f"{m.end:%H:%M}",
        status=t(f"MeetingStatus.{m.status}"),
        left=sum(1 for i in agenda.items if i.status is AgendaStatus.BOOKET),
    )


def clock_text(elapsed: float, slot_minutes: int) -> str:
    slot = slot_minutes * 60
    start = 0.0
    phase = PHASES[-1][0]
    for key, share in PHASES:
        if elapsed < start + share * slot:
            phase = key
            break
        start += share * slot
    minutes, seconds = divmod(int(elapsed), 60)
    text = t(
        "room.clock",
        phase=t(phase),
        elapsed=f"{minutes:02d}:{seconds:02d}",
        slot=f"{slot_minutes:02d}:00",
    )
    if elapsed > slot:
        over, _ = divmod(int(elapsed - slot), 60)
        text += "  " + t("room.over_time", minutes=over)
    return text


def material_text(case: RoomCaseRead) -> str:
    prep = case.preparation
    lines = [
        t(
            "room.material_title",
            name=case.item.citizen_name,
            cpr=case.item.cpr_masked,
            number=case.item.case_number,
        ),
        "",
    ]
    if prep.case.background:
        lines += [t("case.background", text=prep.case.background), ""]
    for f in prep.fields:
        lines += [
            f"▸ {f.label}",
            t("room.material_citizen", text=f.citizen_text or "-"),
            t("room.material_caseworker", text=f.caseworker_text or "-"),
            "",
        ]
    m = prep.medical
    received = f"{m.received_on:%d.%m.%Y}" if m.received_on else "-"
    lines.append(t("room.material_lae265", date=received))
    for part in MEDICAL_PARTS:
        lines.append(f"  {t(f'lae265.{part}')}: {getattr(m, part) or '-'}")
    return clean_text("\n".join(lines))


def approval_text(
    case: RoomCaseRead | None,
    problems: tuple[str, ...] | list[str],
    warnings: tuple[str, ...] | list[str],
) -> str:
    if case is not None and case.indstilling.locked:
        text = t("room.approved", by=case.indstilling.approved_by or "-")
    elif problems:
        text = t("room.missing_for_approval") + "\n" + "\n".join(f"• {p}" for p in problems)
    else:
        text = t("room.ready_for_approval")
    if warnings:
        text += "\n\n" + "\n".join(f"! {w}" for w in warnings)
    return text
