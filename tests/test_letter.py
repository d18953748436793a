"""The letter to the citizen (borgerbrev), read as the citizen reads it: the PDF LibreOffice
makes of it. Plain (LIX at most 35, no sentence over 20 words) for every kind of
recommendation, a named person to call, thanks only to a citizen who came, the meeting, the
case number, a date for the answer, and the words of the system explained."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from rehabteam import clock
from rehabteam.db import session_scope
from rehabteam.i18n import set_language
from rehabteam.models import (
    AgendaItem,
    Case,
    DisciplineAssessment,
    Indstilling,
    IndstillingIntervention,
    StaffMember,
)
from rehabteam.models.base import utcnow
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import documents
from rehabteam.services.demo import seed_demo
from rehabteam.settings import Settings, SettingsError
from tests.documents import pdf_text, pdfs_of
from tests.people import as_staff

# --- readability ----------------------------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


def sentences(text: str) -> list[str]:
    """The text's sentences: a full stop, question mark, exclamation mark or colon before a
    space ends one (so 24.11.2026 and ida@demo.invalid stay whole)."""
    return [s for s in SENTENCE_END.split(text) if words(s)]


def words(text: str) -> list[str]:
    return [w for w in text.split() if re.search(r"\w", w)]


def long_word(word: str) -> bool:
    return len(re.findall(r"[^\W\d_]", word)) > 6


def lix(text: str) -> float:
    """Björnsson's läsbarhetsindex: words per sentence + 100 * long words (more than six
    letters) / words."""
    all_words = words(text)
    return len(all_words) / len(sentences(text)) + 100 * sum(map(long_word, all_words)) / len(
        all_words
    )


def test_lix_counts_as_defined() -> None:
    # 6 words, 2 sentences, 2 long words (rehabiliteringsteamet, sagsbehandler).
    assert lix("Hej med dig. Rehabiliteringsteamet ringer sagsbehandler.") == pytest.approx(
        3 + 100 * 2 / 6
    )
    assert sentences("Mødet var den 24.11.2026. Skriv til ih@demo.invalid.") == [
        "Mødet var den 24.11.2026.",
        "Skriv til ih@demo.invalid.",
    ]


# --- the demo's letters ---------------------------------------------------------------------


@pytest.fixture
def ml(engine: Engine, rulebook: RuleBook) -> Viewer:
    """Mette Lund, the mødeleder of the seeded demo, who sees all its cases."""
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return as_staff(engine, "ML")


def approved_case(engine: Engine, kind: str, n: int = 0) -> int:
    with session_scope(engine) as s:
        rows = s.exec(
            select(Indstilling)
            .where(Indstilling.status == "godkendt", Indstilling.type == kind)
            .order_by(col(Indstilling.id))
        ).all()
        return rows[n].case_id


def retype(engine: Engine, case_id: int, kind: str) -> None:
    """The case's indstilling approved as `kind` (a kind the demo has no letter of), with
    no goal, duration or interventions: what such an indstilling holds."""
    with session_scope(engine, write=True) as s:
        row = s.exec(select(Indstilling).where(Indstilling.case_id == case_id)).one()
        row.type, row.status, row.maal, row.varighed_maaneder = kind, "godkendt", "", None
        row.approved_at = row.approved_at or utcnow()
        for i in s.exec(
            select(IndstillingIntervention).where(IndstillingIntervention.indstilling_id == row.id)
        ):
            s.delete(i)


def letter(
    engine: Engine,
    rulebook: RuleBook,
    viewer: Viewer,
    case_id: int,
    path: Path,
    settings: Settings | None = None,
) -> Path:
    with session_scope(engine, write=True) as s:
        return documents.export_indstilling(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            target=path,
            settings=settings or Settings(),
            letter=True,
            viewer=viewer,
        )


def prose(text: str, greeting: str = "Kære") -> str:
    """The letter from its greeting on, without the page furniture (header, page numbers)."""
    body = text[text.index(f"{greeting} ") :]
    body = re.sub(r"(Side|Page) \d+ (af|of) \d+", " ", body)
    body = re.sub(r"Demo Kommune \(fiktive data\) (Fortroligt|Confidential)[^A-ZÆØÅ]*", " ", body)
    return re.sub(r"\s+", " ", body).strip()


def facts(engine: Engine, case_id: int) -> tuple[str, str]:
    with session_scope(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        row = s.exec(select(Indstilling).where(Indstilling.case_id == case_id)).one()
        from rehabteam.models import Meeting

        meeting = s.get(Meeting, row.meeting_id)
        assert meeting is not None
        return case.case_number, f"{meeting.date:%d.%m.%Y}"


KINDS = ["ressourceforloeb", "fleksjob", "foertidspension", "jobafklaringsforloeb", "andet"]
EXPLAINED = {
    "ressourceforloeb": "Et ressourceforløb er en plan, der varer længe.",
    "fleksjob": "Et fleksjob er et job, der passer til det, du kan klare.",
    "foertidspension": "Førtidspension er penge, du får hver måned i stedet for løn.",
    "jobafklaringsforloeb": "Et jobafklaringsforløb er hjælp til dig, der er syg",
    "andet": "Teamet har givet kommunen et råd om din sag.",
}


def test_every_letter_is_plain_and_complete(
    engine: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    cases = {
        "ressourceforloeb": approved_case(engine, "ressourceforloeb"),
        "fleksjob": approved_case(engine, "fleksjob"),
        "foertidspension": approved_case(engine, "foertidspension"),
        "jobafklaringsforloeb": approved_case(engine, "ressourceforloeb", 1),
    }
    with session_scope(engine) as s:
        draft = s.exec(select(Indstilling).where(Indstilling.status == "kladde")).first()
        assert draft is not None
        cases["andet"] = draft.case_id
    retype(engine, cases["jobafklaringsforloeb"], "jobafklaringsforloeb")
    retype(engine, cases["andet"], "andet")
    paths = [letter(engine, rulebook, ml, cases[k], tmp_path / f"{k}.docx") for k in KINDS]
    for kind, pdf in zip(KINDS, pdfs_of(*paths), strict=True):
        text = prose(pdf_text(pdf))
        number, met = facts(engine, cases[kind])
        longest = max(sentences(text), key=lambda s: len(words(s)))
        assert len(words(longest)) <= 20, f"{kind}: {longest}"
        assert lix(text) <= 35, f"{kind}: LIX {lix(text):.1f}"
        assert f"Mødet var den {met}." in text and f"Dit sagsnummer er {number}." in text
        assert "Kære " in text and "Tak fordi du kom til mødet med teamet." in text  # they came
        assert "Her kan du læse kort, hvad vi talte om, og hvad der sker nu. Det anbefaler" in text
        assert EXPLAINED[kind] in text, kind
        assert "En afgørelse er kommunens beslutning om din sag." in text
        assert re.search(r"Teamets råd kaldes en (\w+)\. En \1 er ikke en afgørelse\.", text)
        assert "Du får et brev om afgørelsen inden den" in text
        if kind in ("ressourceforloeb", "jobafklaringsforloeb"):
            # Counted from the approval (a reprint moved it), never a day gone by.
            with session_scope(engine) as s:
                row = s.exec(select(Indstilling).where(Indstilling.case_id == cases[kind])).one()
                assert row.approved_at is not None
                on = row.approved_at.replace(tzinfo=UTC).astimezone().date()
            due = max(on + timedelta(days=14), clock.today() + timedelta(days=7))
            assert f"inden den {due:%d.%m.%Y}." in text
        for jargon in ("bl.a.", "mdr.", "t/uge", ": -", " - ", "min. "):
            assert jargon not in text, f"{kind}: {jargon!r}"
        # A named person with phone and e-mail, who also signs with a title.
        match = re.search(r"(\w[\w ]+) er din (koordinerende sagsbehandler|sagsbehandler)\.", text)
        assert match, f"{kind}: no named contact"
        name = match.group(1).split(". ")[-1]
        assert re.search(rf"Ring til {name.split()[0]} på telefon 12 34 56 \d\d\.", text)
        assert re.search(r"Du kan også skrive til \w+@demo\.invalid\.", text)
        assert re.search(rf"Venlig hilsen {name} (Koordinerende sagsbehandler|Sagsbehandler)", text)
    resource = prose(pdf_text(tmp_path / "ressourceforloeb.pdf"))
    goal = "Job i et storkøkken eller en kantine, mindst 20 timer om ugen."  # the case's own
    assert f"Målet er: {goal}" in resource
    assert "Planen er, at du får denne hjælp:" in resource
    assert "Mentor 3 timer om ugen." in resource and "med optrapning" in resource


def test_fleksjob_and_pension_letters_name_the_sagsbehandler_else_the_unit(
    engine: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    fleksjob, pension = approved_case(engine, "fleksjob"), approved_case(engine, "foertidspension")
    with session_scope(engine, write=True) as s:
        case = s.get(Case, fleksjob)
        assert case is not None and case.sagsbehandler_id is not None
        worker = s.get(StaffMember, case.sagsbehandler_id)
        assert worker is not None
        name, phone = worker.name, worker.phone
        unit_case = s.get(Case, pension)
        assert unit_case is not None
        unit_case.sagsbehandler_id = None
    unit = Settings(organisation_phone="70 20 30 40", organisation_email="job@demo.invalid")
    paths = [
        letter(engine, rulebook, ml, fleksjob, tmp_path / "fleksjob.docx"),
        letter(engine, rulebook, ml, pension, tmp_path / "pension.docx", unit),
    ]
    first, second = (prose(pdf_text(p)) for p in pdfs_of(*paths))
    assert f"{name} er din sagsbehandler." in first
    assert f"Ring til {name.split()[0]} på telefon {phone}." in first
    assert f"hjælper {name.split()[0]} dig med at finde et fleksjob." in first
    assert "kontakt din koordinerende sagsbehandler" not in first
    assert "Du kan kontakte Demo Kommune (fiktive data)." in second
    assert "Ring til os på telefon 70 20 30 40. Du kan også skrive til job@demo.invalid." in second
    assert "sagsbehandler" not in second


def test_thanks_only_a_citizen_who_came(
    engine: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    absent, unknown = approved_case(engine, "fleksjob"), approved_case(engine, "foertidspension")
    with session_scope(engine, write=True) as s:
        for case_id, present in ((absent, False), (unknown, None)):
            item = s.exec(select(AgendaItem).where(AgendaItem.case_id == case_id)).one()
            item.citizen_present = present
        # An anbefaling made without a meeting (the team is no longer mandatory): a decided
        # case's indstilling, taken off its meeting.
        unmet_row = s.exec(select(Indstilling).where(Indstilling.status == "sendt")).first()
        assert unmet_row is not None
        unmet_row.meeting_id = None
        s.add(unmet_row)
        unmet = unmet_row.case_id
        for assessment in s.exec(
            select(DisciplineAssessment).where(DisciplineAssessment.case_id == unmet)
        ):
            assessment.meeting_id = None  # given in writing, not at a meeting
            s.add(assessment)
        waiting = s.get(Case, unmet)  # sent, the decision still to come
        assert waiting is not None
        waiting.status = "indstillet"
        s.add(waiting)
    paths = [
        letter(engine, rulebook, ml, absent, tmp_path / "absent.docx"),
        letter(engine, rulebook, ml, unknown, tmp_path / "unknown.docx"),
        letter(engine, rulebook, ml, unmet, tmp_path / "unmet.docx"),
    ]
    away, unrecorded, no_meeting = (prose(pdf_text(p)) for p in pdfs_of(*paths))
    _, met = facts(engine, absent)
    for text in (away, unrecorded, no_meeting):
        assert "Tak fordi" not in text
        assert "Her kan du læse kort, hvad vi talte om, og hvad der sker nu. Det anbefaler" in text
    assert "Du var ikke med til mødet. Teamet talte om din sag uden dig." in away
    assert f"Mødet var den {met}." in away
    assert "Teamet har talt om din sag på et møde." in unrecorded
    assert "Teamet har talt om din sag." in no_meeting and "Mødet var den" not in no_meeting
    assert " -," not in no_meeting and ": -" not in no_meeting


def test_english_letter_is_plain_too(
    engine: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    resource = approved_case(engine, "ressourceforloeb")
    set_language("en")
    path = letter(engine, rulebook, ml, resource, tmp_path / "letter.docx")
    (pdf,) = pdfs_of(path)
    from pypdf import PdfReader

    # Its last lines (who signs) spilled onto a page 2 of their own.
    assert len(PdfReader(str(pdf)).pages) == 1
    text = prose(pdf_text(pdf), "Dear")
    number, met = facts(engine, resource)
    assert "Thank you for coming to the team meeting" in text
    assert f"The meeting was on {met}. Your case number is {number}." in text
    assert "The team recommends a resource course (ressourceforløb) of 18 months for you." in text
    assert "A resource course is a plan that lasts a long time." in text
    assert "The team's advice is called an indstilling. It is not a decision." in text
    assert "A decision is what the municipality decides about your case." in text
    assert "is your coordinating caseworker." in text and "Call " in text
    assert "Kære" not in text and "Teamet" not in text
    assert max(len(words(s)) for s in sentences(text)) <= 20


def test_no_letter_says_a_decision_will_come_once_it_has_come(
    engine: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """A decided case's letter still said "Nu skal kommunen træffe en afgørelse … inden den
    <14 days after the export>": refused for the case, left out of the meeting's export."""
    from rehabteam.errors import RuleViolation

    case_id = approved_case(engine, "ressourceforloeb")
    with session_scope(engine) as s:
        meeting_id = s.exec(
            select(Indstilling.meeting_id).where(Indstilling.case_id == case_id)
        ).one()
    with session_scope(engine, write=True) as s:
        case = s.get(Case, case_id)
        assert case is not None
        case.status = "afgjort"
        s.add(case)
    with session_scope(engine, write=True) as s, pytest.raises(RuleViolation, match="afgjort"):
        documents.export_indstilling(
            session=s,
            case_id=case_id,
            target=tmp_path / "brev.docx",
            settings=Settings(),
            rulebook=rulebook,
            letter=True,
            viewer=ml,
        )
    assert not (tmp_path / "brev.docx").exists()
    with session_scope(engine) as s:
        planned = documents.meeting_files(
            session=s, meeting_id=meeting_id or 0, rulebook=rulebook, viewer=ml
        )
    mine = [f.kind for f in planned if f.kind in ("indstilling", "borgerbrev") and f.key == case_id]
    assert mine == ["indstilling"], mine  # the record, not the letter


def test_the_answer_date_is_the_municipalitys_own_deadline(
    engine: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """14 and 28 days were written in the code: a municipality whose published deadline is
    another could not make the letter promise it."""
    from tests.documents import docx_text

    resource = approved_case(engine, "ressourceforloeb")
    pension = approved_case(engine, "foertidspension")
    with session_scope(engine) as s:
        rows = {
            r.case_id: r
            for r in s.exec(
                select(Indstilling).where(col(Indstilling.case_id).in_([resource, pension]))
            )
        }
    settings = Settings(answer_days_course=30, answer_days=60)
    for case_id, days in ((resource, 30), (pension, 60)):
        approved_at = rows[case_id].approved_at
        assert approved_at is not None
        on = approved_at.replace(tzinfo=UTC).astimezone().date()
        due = max(on + timedelta(days=days), clock.today() + timedelta(days=7))
        path = letter(engine, rulebook, ml, case_id, tmp_path / f"{case_id}.docx", settings)
        assert f"inden den {due:%d.%m.%Y}." in docx_text(path), (case_id, days)
    with pytest.raises(SettingsError, match="REHABTEAM_ANSWER_DAYS"):
        Settings(environ={"REHABTEAM_ANSWER_DAYS": "fire uger"})
