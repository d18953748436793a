"""The files themselves, as Word, an archive and a screen reader see them: every exported
document (indstilling, letter, referat, dagsorden) in the app's language (da-DK, en-GB in
English), with its own metadata, not in Word 2010 compatibility mode, no python-docx
preview; its PDF tagged, PDF/A, with the language set and the documents' font embedded."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import select

from rehabteam.db import session_scope
from rehabteam.exports.default_templates import write_defaults
from rehabteam.exports.docx_parts import FONT
from rehabteam.i18n import Language, set_language
from rehabteam.models import Case, Indstilling
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import documents
from rehabteam.services.demo import seed_demo
from rehabteam.services.exporting import export_dagsorden
from rehabteam.settings import Settings
from tests.documents import pdf_text, pdfs_of
from tests.people import as_staff, last_weeks_meeting

KINDS = ("indstilling", "borgerbrev", "referat", "dagsorden")
TAGS = {"da": "da-DK", "en": "en-GB"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def demo(engine: Engine, rulebook: RuleBook) -> tuple[Engine, Viewer]:
    """The demo data, and Mette Lund (the team's mødeleder, who sees all its cases)."""
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return engine, as_staff(engine, "ML")


def chosen_case(engine: Engine) -> tuple[int, str]:
    """(id, number) of the demo's first approved ressourceforløb case."""
    with session_scope(engine) as s:
        row = s.exec(
            select(Indstilling)
            .where(Indstilling.status == "godkendt", Indstilling.type == "ressourceforloeb")
            .order_by(Indstilling.id)  # type: ignore[arg-type]
        ).first()
        assert row is not None
        case = s.get(Case, row.case_id)
        assert case is not None and case.id is not None
        return case.id, case.case_number


def export_all(
    engine: Engine,
    rulebook: RuleBook,
    viewer: Viewer,
    folder: Path,
    language: Language,
    settings: Settings | None = None,
) -> dict[str, Path]:
    """Each document type of the held demo meeting, written in `language`."""
    settings = settings or Settings()
    set_language(language)
    folder.mkdir(parents=True, exist_ok=True)
    with session_scope(engine) as s:
        held = last_weeks_meeting(s)
        assert held.id is not None
        meeting_id = held.id
    case_id, _number = chosen_case(engine)
    written: dict[str, Path] = {}
    try:
        with session_scope(engine, write=True) as s:
            for kind in ("indstilling", "borgerbrev"):
                written[kind] = documents.export_indstilling(
                    session=s,
                    case_id=case_id,
                    rulebook=rulebook,
                    target=folder / f"{kind}-{language}.docx",
                    settings=settings,
                    letter=kind == "borgerbrev",
                    viewer=viewer,
                )
            written["referat"] = documents.export_referat(
                session=s,
                meeting_id=meeting_id,
                rulebook=rulebook,
                target=folder / f"referat-{language}.docx",
                settings=settings,
                viewer=viewer,
            )
            written["dagsorden"] = export_dagsorden(
                session=s,
                meeting_id=meeting_id,
                target=folder / f"dagsorden-{language}.docx",
                rulebook=rulebook,
                settings=settings,
                viewer=viewer,
            )
    finally:
        set_language("da")
    return written


def identifying_texts(engine: Engine) -> list[str]:
    """Every demo citizen's name and CPR number (both ways of writing it)."""
    from rehabteam.models import Citizen

    with session_scope(engine) as s:
        citizens = s.exec(select(Citizen)).all()
        texts = [c.cpr for c in citizens] + [f"{c.cpr[:6]}-{c.cpr[6:]}" for c in citizens]
        texts += [f"{c.first_name} {c.last_name}" for c in citizens]
        texts += [c.last_name for c in citizens]
    return [x for x in texts if x]


def parts(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name).decode("utf-8", "replace") for name in z.namelist()}


def default_language(docx: Path) -> str | None:
    document = Document(str(docx))
    lang = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    return None if lang is None else lang.get(f"{W}val")


def compatibility_mode(docx: Path) -> str | None:
    settings = Document(str(docx)).settings.element
    for setting in settings.iter(f"{W}compatSetting"):
        if setting.get(f"{W}name") == "compatibilityMode":
            value: str | None = setting.get(f"{W}val")
            return value
    return None


def letterhead(docx: Path) -> str:
    """The organisation as printed at the top of every page."""
    text: str = Document(str(docx)).sections[0].header.paragraphs[0].text
    return text


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_document_has_its_language_metadata_and_current_word_mode(
    demo: tuple[Engine, Viewer], rulebook: RuleBook, tmp_path: Path, language: Language
) -> None:
    engine, ml = demo
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    _case_id, number = chosen_case(engine)  # before the export marks it sent
    written = export_all(engine, rulebook, ml, tmp_path, language)
    personal = identifying_texts(engine)
    for kind, docx in written.items():
        props = Document(str(docx)).core_properties
        where = f"{kind} ({language})"
        assert default_language(docx) == TAGS[language], where
        assert props.language == TAGS[language], where
        organisation = letterhead(docx)
        assert organisation and organisation != "{{ organisation }}", where
        assert props.author == organisation, where
        assert props.last_modified_by == organisation, where
        assert props.title and props.title != "", where
        if kind in ("indstilling", "borgerbrev"):
            assert props.title.endswith(f" – {number}"), (where, props.title)
        assert props.created is not None and props.modified is not None
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert started <= props.created <= now, (where, props.created)
        assert started <= props.modified <= now, (where, props.modified)
        assert compatibility_mode(docx) == "15", where
        files = parts(docx)
        assert not any("thumbnail" in name for name in files), (where, sorted(files))
        assert "thumbnail" not in files["_rels/.rels"], where
        properties = files["docProps/core.xml"] + files["docProps/app.xml"]
        assert "python-docx" not in properties and "2013-" not in properties, where
        assert f"<Company>{organisation}</Company>" in files["docProps/app.xml"], where
        assert "Macintosh" not in properties and "<AppVersion>14" not in properties, where
        assert not any(x in props.title for x in personal), (where, props.title)
    titles = {kind: Document(str(p)).core_properties.title for kind, p in written.items()}
    if language == "da":
        assert titles["indstilling"] == f"Rehabiliteringsteamets indstilling – {number}"
        assert titles["dagsorden"].startswith("Dagsorden – ")
        assert titles["referat"].startswith("Mødereferat – ")
    else:
        assert titles["dagsorden"].startswith("Agenda – "), titles
        assert titles["referat"].startswith("Minutes"), titles


def test_a_municipalitys_template_from_an_older_word_is_finished_too(
    demo: tuple[Engine, Viewer], rulebook: RuleBook, tmp_path: Path
) -> None:
    """A template made in Word 2010 (compatibility mode, en-US, its author, a preview
    picture): the document written from it is the app's, not the template's."""
    engine, ml = demo
    custom = tmp_path / "skabeloner"
    write_defaults(custom)
    for name in ("indstilling", "borgerbrev", "referat"):
        path = custom / f"{name}.docx"
        document = Document(str(path))
        for setting in document.settings.element.iter(f"{W}compatSetting"):
            if setting.get(f"{W}name") == "compatibilityMode":
                setting.set(f"{W}val", "14")
        for lang in document.styles.element.iter(f"{W}lang"):
            lang.set(f"{W}val", "en-US")
        props = document.core_properties
        props.author, props.title, props.comments = "Jens Skabelon", "Skabelon", "python-docx"
        props.created = datetime(2013, 12, 23, 23, 15)
        document.save(str(path))
        with zipfile.ZipFile(path) as z:
            assert (
                compatibility_mode(path) == "14" and "Jens" in z.read("docProps/core.xml").decode()
            )
    written = export_all(engine, rulebook, ml, tmp_path / "ud", "da", Settings(template_dir=custom))
    for kind in ("indstilling", "borgerbrev", "referat"):
        docx = written[kind]
        props = Document(str(docx)).core_properties
        assert default_language(docx) == "da-DK", kind
        assert compatibility_mode(docx) == "15", kind
        assert props.author == letterhead(docx) and props.title != "Skabelon", kind
        assert props.comments == "" and props.created is not None
        assert props.created.year >= 2026, kind


def _fonts(reader: Any) -> set[tuple[str, bool]]:
    """(base font name without its subset prefix, embedded?) of every font on every page."""
    found: set[tuple[str, bool]] = set()

    def visit(font: Any) -> None:
        font = font.get_object()
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        name = re.sub(r"^[A-Z]{6}\+", "", name)
        descendants = font.get("/DescendantFonts")
        if descendants:
            for child in descendants.get_object():
                visit(child)
            return
        descriptor = font.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        found.add((name, embedded))

    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        if fonts:
            for ref in fonts.get_object().values():
                visit(ref)
    return found


def test_every_pdf_is_tagged_pdfa_in_its_language_with_the_font_embedded(
    demo: tuple[Engine, Viewer], rulebook: RuleBook, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    engine, ml = demo
    written = {
        language: export_all(engine, rulebook, ml, tmp_path / language, language)
        for language in ("da", "en")
    }
    docx = [p for by_kind in written.values() for p in by_kind.values()]
    pdfs = dict(zip(docx, pdfs_of(*docx), strict=True))
    expected_font = FONT.replace(" ", "")
    for language, by_kind in written.items():
        for kind, path in by_kind.items():
            pdf = pdfs[path]
            where = f"{kind} ({language})"
            reader = PdfReader(str(pdf))
            root: Any = reader.trailer["/Root"].get_object()
            mark = root.get("/MarkInfo")
            assert mark is not None and bool(mark.get_object().get("/Marked")), where
            assert "/StructTreeRoot" in root, where
            assert str(root.get("/Lang")) == TAGS[language], (where, root.get("/Lang"))
            metadata = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
            part = re.search(r"pdfaid:part(?:>|=\")(\d)", metadata)
            assert part is not None and part.group(1) == "2", where
            fonts = _fonts(reader)
            assert fonts, where
            assert all(embedded for _name, embedded in fonts), (where, fonts)
            names = {name.split("-")[0] for name, _embedded in fonts}
            assert names == {expected_font}, (where, fonts)
            assert pdf_text(pdf), where
            title = Document(str(path)).core_properties.title
            assert reader.metadata is not None and reader.metadata.title == title, where


def _kept_with_next(paragraph: Any) -> bool:
    """Kept on the page of the paragraph after it (its own setting, else its style's)."""
    style = paragraph.style
    while style is not None:
        if paragraph.paragraph_format.keep_with_next is not None:
            return bool(paragraph.paragraph_format.keep_with_next)
        if style.paragraph_format.keep_with_next is not None:
            return bool(style.paragraph_format.keep_with_next)
        style = style.base_style
    return False


def test_sub_headings_are_headings_kept_with_their_text(
    demo: tuple[Engine, Viewer], rulebook: RuleBook, tmp_path: Path
) -> None:
    """Each discipline's name over its assessment, an intervention's area and a case in the
    minutes were bold ordinary paragraphs: not in Word's navigation pane, not headings to a
    screen reader, and left alone at the bottom of a page."""
    engine, ml = demo
    written = export_all(engine, rulebook, ml, tmp_path, "da")
    expected = {
        "indstilling": ["Beskæftigelse (", "Sundhed (", "Mentor"],
        "referat": ["Sag "],
        "borgerbrev": ["Hvad sker der nu", "Har du spørgsmål"],
    }
    for kind, starts in expected.items():
        paragraphs = Document(str(written[kind])).paragraphs
        subheadings = [p for p in paragraphs if p.style is not None and p.style.name == "Heading 2"]
        for start in starts:
            found = [p for p in subheadings if p.text.startswith(start) or start in p.text]
            assert found, (kind, start, [p.text for p in subheadings])
            assert all(_kept_with_next(p) for p in found), (kind, start)
        bold_lines = [
            p.text
            for p in paragraphs
            if p.style is not None
            and p.style.name == "Normal"
            and p.runs
            and all(r.bold for r in p.runs if r.text)
        ]
        for start in starts:
            assert not any(t.startswith(start) for t in bold_lines), (kind, bold_lines)
