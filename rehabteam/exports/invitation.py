"""The citizen's invitation (mødeindkaldelse) to the team meeting about their case, as a
.docx rendered from the `indkaldelse` template: when and where, how long the citizen's part
takes, who will be there by name and role, that a bisidder is welcome, what happens, how to
prepare, and whom to call. Plain language in short sentences (at most 20 words).

The citizen is invited to the dialogue phase of the slot (`dagsorden.phases`): the formøde
before it is the team's alone."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from rehabteam.exports.templating import render
from rehabteam.i18n import t

REQUIRED = {
    "citizen.first_name",
    "meeting.when",
    "meeting.where",
    "meeting.duration",
    "people",
    "contact.name",
    "contact.phone",
}
SHAPES: dict[str, Any] = {"people": ("list", None)}


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    phone: str
    email: str


class InvitationDoc(BaseModel):
    model_config = ConfigDict(frozen=True)
    organisation: str
    citizen_name: str
    first_name: str
    address: str
    postcode: str
    city: str
    day: date
    start: time  # when the citizen's part begins
    minutes: int  # how long the citizen's part takes
    place: str
    video_link: str
    people: list[str]  # "name, title (role)"
    bisidder: str
    contact: Contact


def invitation_context(doc: InvitationDoc) -> dict[str, Any]:
    from rehabteam import clock
    from rehabteam.exports.documents import labels

    when = t(
        "inv.when",
        weekday=t(f"inv.weekday.{doc.day.weekday()}"),
        # Written out, as a letter says it: "2. december 2026 kl. 9.10".
        date=t(
            "inv.date", day=doc.day.day, month=t(f"inv.month.{doc.day.month}"), year=doc.day.year
        ),
        time=t("inv.clock", hour=doc.start.hour, minute=f"{doc.start.minute:02d}"),
    )
    return {
        "organisation": doc.organisation,
        "l": labels(),
        "today": f"{clock.today():%d.%m.%Y}",
        "citizen": {
            "name": doc.citizen_name,
            "first_name": doc.first_name,
            "address": doc.address,
            "postcode": doc.postcode,
            "city": doc.city,
        },
        "meeting": {
            "when": when,
            "where": doc.place or doc.video_link or "-",
            "video": doc.video_link if doc.place else "",
            "duration": t("docl.inv_duration", minutes=doc.minutes),
        },
        "people": list(doc.people),
        "bisidder": t("inv.bisidder_named", name=doc.bisidder) if doc.bisidder else "",
        "contact": {
            "name": doc.contact.name,
            "phone": doc.contact.phone or "-",
            "email": doc.contact.email or "-",
        },
    }


def write_invitation(doc: InvitationDoc, path: Path, *, template: Path) -> Path:
    return render(template, invitation_context(doc), path, required=REQUIRED, shapes=SHAPES)
