"""The letter to the citizen (borgerbrev): what the team recommends, in plain words.

Written for a citizen who may be ill or tired of papers: short sentences, "du", every
word of the system explained where it is used (indstilling, afgørelse, ressourceforløb,
...), a date for when the citizen hears from the municipality, and always a named person
to call. A sentence whose value is missing is left out, never printed with a dash.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rehabteam import clock
from rehabteam.exports.documents import REQUIRED, IndstillingDoc, labels, local_day
from rehabteam.exports.templating import render
from rehabteam.i18n import t
from rehabteam.models.enums import IndstillingType

MIN_ANSWER_DAYS = 7  # a letter printed late still promises a day ahead, not one gone by

# Abbreviations a citizen should not have to decode, as staff often type them.
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"(?<!\w)bl\.a\.", "blandt andet"),
    (r"(?<!\w)f\.eks\.", "for eksempel"),
    (r"(?<!\w)mdr\.", "måneder"),
    (r"(?<!\w)md\.", "måned"),
    (r"(?<!\w)ca\.", "cirka"),
    (r"(?<!\w)evt\.", "eventuelt"),
    (r"(?<!\w)inkl\.", "inklusive"),
    (r"(?<!\w)min\.(?=\s*\d)", "mindst"),
    (r"(?<!\w)(timer|t)\s*/\s*uge(?!\w)", "timer om ugen"),
    (r"(?<!\w)(timer|t)\s*/\s*dag(?!\w)", "timer om dagen"),
]


def plain_words(text: str) -> str:
    """`text` with the common abbreviations written out (user text in the letter)."""
    for pattern, words in _ABBREVIATIONS:
        text = re.sub(pattern, words, text)
    return text.strip()


def _sentence(text: str) -> str:
    """`text` ending as a sentence does (a list item read aloud is one)."""
    text = plain_words(text).rstrip()
    return text if not text or text[-1] in ".!?" else text + "."


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def _opening(doc: IndstillingDoc) -> str:
    """Thanks only when the citizen came; otherwise what happened without them."""
    if doc.meeting_date is None:
        return t("letter.opening.no_meeting")
    if doc.citizen_present is True:
        return t("letter.opening.present")
    if doc.citizen_present is False:
        return t("letter.opening.absent")
    return t("letter.opening.unknown")


def _plan_line(area: str, text: str) -> str:
    """'Mentor: Mentor 2 timer om ugen' reads once as 'Mentor 2 timer om ugen.'"""
    text = text.strip()
    same = text.casefold().startswith(area.casefold())
    return _sentence(text if same else f"{area}: {text}")


def _summary(doc: IndstillingDoc, kind: str) -> str:
    ind = doc.indstilling
    known = kind in {k.value for k in IndstillingType} and kind != IndstillingType.ANDET
    if not known:
        return t("letter.summary.andet", word=t(f"letter.word_the.{doc.outcome}"))
    if kind == IndstillingType.RESSOURCEFORLOEB and ind.varighed_maaneder:
        first = t("letter.summary.ressourceforloeb_months", months=ind.varighed_maaneder)
    else:
        first = t(f"letter.summary.{kind}")
    goal = _sentence(ind.maal or "")
    return _join(first, t("letter.goal", goal=goal) if goal else "")


def _optional(key: str, **params: object) -> str:
    """The text of `key`, or nothing where the catalogue has none (a kind without it)."""
    text = t(key, **params)
    return "" if text == key else text


def _first_name(doc: IndstillingDoc) -> str:
    """How the letter calls its contact in a sentence: a person by first name, a unit not."""
    parts = doc.contact_name.split()
    return parts[0] if parts and doc.contact_role != "unit" else ""


def _contact(doc: IndstillingDoc) -> dict[str, str]:
    name = doc.contact_name.strip()
    reach = _first_name(doc) or t("letter.contact.us")
    return {
        "name": name,
        "title": doc.contact_title,
        "phone": doc.contact_phone,
        "email": doc.contact_email,
        "who": t(f"letter.contact.{doc.contact_role}", name=name),
        "call": _join(
            t("letter.contact.phone", who=reach, phone=doc.contact_phone)
            if doc.contact_phone
            else "",
            t("letter.contact.email", email=doc.contact_email) if doc.contact_email else "",
        ),
    }


def borgerbrev_context(doc: IndstillingDoc) -> dict[str, Any]:
    ind = doc.indstilling
    kind = ind.type or IndstillingType.ANDET.value
    today = clock.today()
    # Counted from the approval, not from the day the letter is printed (a reprint moved
    # the promise); never a day already past.
    approved = local_day(ind.approved_at) or today
    # The municipality's own deadline (settings REHABTEAM_ANSWER_DAYS[_COURSE]).
    due = approved + timedelta(days=doc.answer_days)
    due = max(due, today + timedelta(days=MIN_ANSWER_DAYS))
    contact = _contact(doc)
    facts = [t("letter.case_number", number=doc.case_number)]
    if doc.meeting_date is not None:
        facts.insert(0, t("letter.meeting_date", date=_day(doc.meeting_date)))
    outcome = "anbefaling" if doc.outcome == "anbefaling" else "indstilling"
    return {
        "organisation": doc.organisation,
        "l": labels(),
        "today": _day(today),
        "decision_note": t(f"letter.outcome_note.{outcome}"),
        "citizen": doc.citizen.model_dump(exclude={"cpr"}),
        "case": {"number": doc.case_number},
        "meeting": {"date": _day(doc.meeting_date) if doc.meeting_date else ""},
        "letter": {
            "title": t("letter.title"),
            "greeting": t("letter.greeting", name=doc.citizen.first_name),
            "opening": _join(_opening(doc), t("letter.team")),
            "facts": _join(*facts),
            "read_below": t("letter.read_below"),
            "summary_heading": t("letter.summary_heading"),
            "summary": _summary(doc, kind),
            "explain": _optional(f"letter.explain.{kind}"),
            "plan_intro": t("letter.plan_intro"),
            "plan": [
                _plan_line(t(f"InterventionArea.{i.area}"), i.indhold or i.formaal)
                for i in ind.interventions
                if (i.indhold or i.formaal or "").strip()
            ],
            "next_heading": t("letter.next_heading"),
            "next": t("letter.next"),
            "when": t("letter.when", date=_day(due)),
            "after": _optional(
                f"letter.after.{kind}", who=_first_name(doc) or t("letter.contact.we")
            ),
            "contact_heading": t("letter.contact_heading"),
            "regards": t("letter.regards"),
        },
        "contact": contact,
        "sender": {
            "name": contact["name"] if doc.contact_role != "unit" else "",
            "title": doc.contact_title,
        },
    }


def write_borgerbrev(doc: IndstillingDoc, path: Path, *, template: Path) -> Path:
    context = borgerbrev_context(doc)
    return render(template, context, path, required=REQUIRED["borgerbrev"])
