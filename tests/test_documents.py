"""The indstilling, the letter and the minutes: read back with python-docx, special
characters intact, templates checked before anything is written, batch export, PDF."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import select

from rehabteam.db import session_scope
from rehabteam.errors import ExportExists
from rehabteam.exports.default_templates import write_defaults
from rehabteam.exports.pdf import convert_to_pdf, soffice_path
from rehabteam.exports.templating import TemplateProblem
from rehabteam.models import Indstilling, Meeting
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import documents
from rehabteam.services.demo import seed_demo
from rehabteam.settings import Settings
from tests.people import as_staff, last_weeks_meeting

TRICKY = "Borgeren & teamet: <vigtigt> \"citat\" 'enkelt' æøå ÆØÅ\nanden linje"


@pytest.fixture
def demo(engine: Engine, rulebook: RuleBook) -> Engine:
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return engine


@pytest.fixture
def ml(demo: Engine) -> Viewer:
    """Mette Lund: the demo team's mødeleder and a fixed member, who sees all its cases."""
    return as_staff(demo, "ML")


def approved(engine: Engine, kind: str = "ressourceforloeb") -> Indstilling:
    with session_scope(engine) as s:
        return s.exec(
            select(Indstilling).where(Indstilling.status == "godkendt", Indstilling.type == kind)
        ).first()  # type: ignore[return-value]


def text_of(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def test_indstilling_has_every_section_and_names_the_coordinator(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    row = approved(demo)
    with session_scope(demo, write=True) as s:
        s.get(Indstilling, row.id).begrundelse = TRICKY  # type: ignore[union-attr]
    with session_scope(demo, write=True) as s:
        path = documents.export_indstilling(
            session=s,
            case_id=row.case_id,
            rulebook=rulebook,
            target=tmp_path / "ind.docx",
            settings=Settings(),
            viewer=ml,
        )
    text = text_of(path)
    for heading in (
        "Rehabiliteringsteamets indstilling\nRessourceforløb",
        "Teamets deltagere",
        "Teamets vurdering af borgerens muligheder",
        "Begrundelse",
        "Fagområdernes vurderinger",
        "Indstillede indsatser",
        "Ressourceforløbet",
        "Sundhedskoordinatorens vurdering",
        "Borgerens bemærkninger",
        "Koordinerende sagsbehandler",
        "Hvad sker der nu?",
    ):
        assert heading in text, heading
    assert "Det er ikke en afgørelse" in text and "kommunen træffer afgørelsen" in text
    assert re.search(r"(Ida Holm|Peter Nygaard), Koordinerende sagsbehandler", text)
    assert "Telefon: 12 34 56 0" in text and "18 måneder" in text  # the citizen's own plan
    assert TRICKY in text  # & < > quotes æøå and the line break, exactly as typed
    assert re.search(r"CPR-nr\. \d{6}-\d{4}", text)  # full CPR in the letter (setting)
    footer = Document(str(path)).sections[0].footer._element.xml
    assert "NUMPAGES" in footer and "PAGE" in footer
    assert (
        "Demo Kommune (fiktive data)" in Document(str(path)).sections[0].header.paragraphs[0].text
    )


def test_masked_cpr_by_setting(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    row = approved(demo)
    with session_scope(demo, write=True) as s:
        path = documents.export_indstilling(
            session=s,
            case_id=row.case_id,
            rulebook=rulebook,
            target=tmp_path / "x.docx",
            settings=Settings(document_cpr="masked"),
            viewer=ml,
        )
    assert re.search(r"CPR-nr\. \d{6}-xxxx", text_of(path))


def test_foertidspension_justification_is_in_the_document(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    row = approved(demo, "foertidspension")
    with session_scope(demo, write=True) as s:
        path = documents.export_indstilling(
            session=s,
            case_id=row.case_id,
            rulebook=rulebook,
            target=tmp_path / "fp.docx",
            settings=Settings(),
            viewer=ml,
        )
    text = text_of(path)
    assert "Førtidspension: teamets faglige begrundelse" in text
    assert "væsentligt og varigt nedsat" in text
    assert "Ressourceforløbet" not in text


def test_letter_to_the_citizen_is_plain(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    row = approved(demo)
    with session_scope(demo, write=True) as s:
        path = documents.export_indstilling(
            session=s,
            case_id=row.case_id,
            rulebook=rulebook,
            target=tmp_path / "brev.docx",
            settings=Settings(),
            letter=True,
            viewer=ml,
        )
    text = text_of(path)
    assert "Teamet anbefaler, at du får et ressourceforløb på 18 måneder" in text
    assert "er din koordinerende sagsbehandler." in text and "på telefon 12 34 56 0" in text
    assert "Nu skal kommunen træffe en afgørelse." in text


def test_minutes_list_attendance_and_outcomes(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    with session_scope(demo) as s:
        held = last_weeks_meeting(s)
    with session_scope(demo, write=True) as s:
        path = documents.export_referat(
            session=s,
            meeting_id=held.id,  # type: ignore[arg-type]
            rulebook=rulebook,
            target=tmp_path / "referat.docx",
            settings=Settings(),
            viewer=ml,
        )
    text = text_of(path)
    assert "Mødereferat" in text and "Fremmøde" in text
    assert "Sundhedskoordinator: Henrik Sand, medlem – mødt" in text
    assert text.count("(godkendt)") == 4 and "Udsat: Ikke nået" in text
    assert not re.search(r"\d{6}-\d{4}", text)  # masked CPR only in the minutes


def test_a_template_missing_a_variable_is_refused_before_writing(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    custom = tmp_path / "skabeloner"
    write_defaults(custom)
    document = Document(str(custom / "indstilling.docx"))
    for paragraph in document.paragraphs:
        if "koordinerende.name" in paragraph.text or "koordinerende.phone" in paragraph.text:
            paragraph.text = "{{ ukendt_felt }}"
    document.save(str(custom / "indstilling.docx"))
    row = approved(demo)
    target = tmp_path / "out.docx"
    with session_scope(demo, write=True) as s, pytest.raises(TemplateProblem) as refused:
        documents.export_indstilling(
            session=s,
            case_id=row.case_id,
            rulebook=rulebook,
            target=target,
            settings=Settings(template_dir=custom),
            viewer=ml,
        )
    problems = "\n".join(refused.value.problems)
    assert "koordinerende.name" in problems and "koordinerende.phone" in problems
    assert "ukendt_felt" in problems
    assert not target.exists() and list(tmp_path.glob(".rehabteam-*")) == []


def test_batch_export_of_a_meeting(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    with session_scope(demo) as s:
        held = last_weeks_meeting(s)
    seen: list[tuple[int, int]] = []
    started = time.perf_counter()
    with session_scope(demo, write=True) as s:
        written = documents.export_meeting(
            session=s,
            meeting_id=held.id,  # type: ignore[arg-type]
            folder=tmp_path,
            settings=Settings(),
            rulebook=rulebook,
            progress=lambda d, t, _n: seen.append((d, t)),
            viewer=ml,
        )
    seconds = time.perf_counter() - started
    names = sorted(p.name for p in written)
    # The dagsorden, 4 indstillinger, 4 letters, the minutes and the calendar file.
    # Named by what the team's result is under the case's rule set (tester finding: an
    # anbefaling was filed as "Indstilling").
    assert len(names) == 11
    assert sum("Indstilling.docx" in n or "Anbefaling.docx" in n for n in names) == 4
    assert sum("Anbefaling.docx" in n for n in names) == 2
    assert any("Dagsorden" in n for n in names) and any(n.endswith(".ics") for n in names)
    assert sum("Brev til borger" in n for n in names) == 4 and any(
        "Mødereferat" in n for n in names
    )
    assert all(re.match(r"\d{4}-\d{2}-\d{2} ", n) for n in names)
    assert not any(re.search(r"\d{6}-?\d{4}", n) for n in names)
    assert seen[0] == (0, 11) and seen[-1] == (11, 11)
    assert seconds < 10, f"{seconds:.1f} s for 11 files"
    before = {p: p.read_bytes() for p in written}
    with session_scope(demo, write=True) as s, pytest.raises(ExportExists, match="findes allerede"):
        documents.export_meeting(
            session=s,
            meeting_id=held.id,  # type: ignore[arg-type]
            folder=tmp_path,
            settings=Settings(),
            rulebook=rulebook,
            viewer=ml,
        )
    assert all(p.read_bytes() == data for p, data in before.items())
    # With --pdf, an existing PDF is not replaced without --overwrite either (issue 16).
    other = tmp_path / "andet"
    other.mkdir()
    kept = other / written[0].with_suffix(".pdf").name
    kept.write_bytes(b"%PDF- the secretary's signed copy")
    with session_scope(demo, write=True) as s, pytest.raises(ExportExists, match=r"\.pdf"):
        documents.export_meeting(
            session=s,
            meeting_id=held.id,  # type: ignore[arg-type]
            folder=other,
            settings=Settings(),
            rulebook=rulebook,
            pdf=True,
            viewer=ml,
        )
    assert kept.read_bytes() == b"%PDF- the secretary's signed copy"
    assert not list(other.glob("*.docx"))


def _soffice_or_skip() -> None:
    if soffice_path() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice (soffice) must be installed in CI to prove the documents open")
        pytest.skip("LibreOffice not installed")


def test_libreoffice_opens_the_documents(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    _soffice_or_skip()
    with session_scope(demo) as s:
        held = last_weeks_meeting(s)
    with session_scope(demo, write=True) as s:
        written = documents.export_meeting(
            session=s,
            meeting_id=held.id,  # type: ignore[arg-type]
            folder=tmp_path,
            settings=Settings(),
            rulebook=rulebook,
            pdf=True,
            viewer=ml,
        )
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert len(pdfs) == 10  # every file of the batch but the calendar file
    for pdf in pdfs:
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000
    dagsorden = tmp_path / "dagsorden.docx"
    from rehabteam.services.exporting import export_dagsorden

    with session_scope(demo, write=True) as s:
        export_dagsorden(
            session=s,
            meeting_id=held.id,  # type: ignore[arg-type]
            target=dagsorden,
            rulebook=rulebook,
            settings=Settings(),
            viewer=ml,
        )
    assert convert_to_pdf(dagsorden).read_bytes()[:5] == b"%PDF-"


def test_a_template_compiled_once_renders_each_documents_own_text(tmp_path: Path) -> None:
    """Compiled template parts are kept between documents; their text must not be."""
    from docx import Document

    from rehabteam.exports.templating import render

    template = tmp_path / "brev.docx"
    source = Document()
    source.add_paragraph("Kære {{ navn }}")
    source.save(str(template))
    texts = []
    for number, name in enumerate(["Anna Jensen", "Bo & <Co>", "Anna Jensen"]):
        target = render(template, {"navn": name}, tmp_path / f"brev{number}.docx", required=set())
        texts.append([p.text for p in Document(str(target)).paragraphs])
    assert texts == [["Kære Anna Jensen"], ["Kære Bo & <Co>"], ["Kære Anna Jensen"]]


def test_the_template_checks_shapes_are_those_of_a_full_document(
    demo: Engine, rulebook: RuleBook, ml: Viewer
) -> None:
    """The fields a template check knows where a document has none (no koordinerende, no
    interventions) are those the document builder writes when it has them: they cannot
    drift apart."""
    from rehabteam.exports import documents as docs
    from rehabteam.exports.templating import _shape

    row = approved(demo)
    with session_scope(demo) as s:
        doc = documents.indstilling_doc(
            session=s, case_id=row.case_id, settings=Settings(), rulebook=rulebook, viewer=ml
        )
    full = docs.indstilling_context(doc)
    for name, shape in docs.INDSTILLING_SHAPES.items():
        assert _shape(full[name]) == shape, name


def test_a_team_name_cannot_lead_the_dagsorden_out_of_the_export_folder(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """Hostile re-test of issue 16: the dagsorden's file name holds the team's name; a team
    named "x/../../pwn16" (stored by psql) wrote it two folders up."""
    from rehabteam.models import Team
    from rehabteam.services.exporting import export_dagsorden

    with session_scope(demo, write=True) as s:
        for team in s.exec(select(Team)):
            team.name = "x/../../pwn16 [b]T[/b]"
            s.add(team)
        meeting_id = s.exec(select(Meeting.id)).first()
    folder = tmp_path / "a" / "b" / "eksport"
    with session_scope(demo, write=True) as s:
        written = export_dagsorden(
            session=s,
            meeting_id=meeting_id,  # type: ignore[arg-type]
            folder=folder,
            rulebook=rulebook,
            settings=Settings(),
            viewer=ml,
        )
    assert written.parent == folder.resolve() and written.exists()
    assert "/" not in written.name
    assert list(tmp_path.rglob("*.docx")) == [written]  # nothing written anywhere else
