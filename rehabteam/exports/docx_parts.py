"""Building blocks of the .docx templates: page setup and "Side X af Y"."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from rehabteam.textsafe import clean_text

MUTED = RGBColor(0x55, 0x55, 0x55)


def new_document(organisation: str, confidential_note: str) -> Any:
    """An A4 document with the organisation in the header and a confidentiality line."""
    from docx import Document

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    header = section.header.paragraphs[0]
    header.text = clean_text(organisation)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.font.size, run.font.color.rgb = Pt(9), MUTED
    note = section.header.add_paragraph(clean_text(confidential_note))
    note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in note.runs:
        run.font.size, run.font.color.rgb = Pt(8), MUTED
    return document


def _field(paragraph: Any, instruction: str) -> None:
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if tag is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        run._r.append(element)


def page_x_of_y(document: Any, page_word: str, of_word: str) -> None:
    """ "Side X af Y" in the footer, as fields Word and LibreOffice fill in."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{page_word} ")
    _field(footer, "PAGE")
    footer.add_run(f" {of_word} ")
    _field(footer, "NUMPAGES")
