"""Building blocks shared by the .docx writers: page setup, "Side X af Y", tables, and the
finishing step every written document passes (language, metadata, Word's current mode)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from rehabteam import clock
from rehabteam.i18n import current_language
from rehabteam.textsafe import clean_text

MUTED = RGBColor(0x55, 0x55, 0x55)
# The documents' font: metric-compatible with Arial, free, and installed where the PDFs are
# made (Debian's fonts-liberation2, which `.ci/run` installs), so the PDF looks like the
# .docx in Word. It is named in every style, never left to the theme (Calibri/Cambria,
# which LibreOffice would replace by whatever it has).
FONT = "Liberation Sans"
# The language of the text, for spelling, hyphenation and screen readers (the PDF's /Lang).
LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
WORD_2013_AND_LATER = "15"  # compatibilityMode: not "Word 2010 compatibility mode" (14)
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_APP_PROPERTIES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
)
_APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_FONT_ATTRIBUTES = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")


def language_tag() -> str:
    """The language of the documents the app writes now: da-DK, or en-GB in English."""
    return LANGUAGE_TAGS.get(current_language(), "da-DK")


def _child(parent: Any, tag: str) -> Any:
    """`parent`'s first `tag` child, created (appended) when there is none."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def use_font(document: Any, font: str = FONT) -> None:
    """`font` for every style and the document's defaults, in place of the theme's fonts;
    list bullets as the font's own "•" (not a Symbol-font glyph)."""
    styles = document.styles.element
    defaults = _child(_child(_child(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    if defaults.find(qn("w:rFonts")) is None:
        defaults.insert(0, OxmlElement("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in _THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
        for attribute in _FONT_ATTRIBUTES:
            fonts.set(qn(attribute), font)
    numbering = document.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        fmt = level.find(qn("w:numFmt"))
        if fmt is None or fmt.get(qn("w:val")) != "bullet":
            continue
        _child(level, "w:lvlText").set(qn("w:val"), "\u2022")
        for fonts in level.iter(qn("w:rFonts")):
            for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia", "w:hint"):
                fonts.attrib.pop(qn(attribute), None)
            for attribute in _FONT_ATTRIBUTES:
                fonts.set(qn(attribute), font)


def _parts_with_text(document: Any) -> list[Any]:
    """The root elements of the body, the headers and the footers."""
    roots = [document.element]
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        element = getattr(rel.target_part, "element", None)
        if element is not None and rel.reltype.endswith(("/header", "/footer")):
            roots.append(element)
    return roots


def set_language(document: Any, tag: str) -> None:
    """`tag` (e.g. da-DK) as the language of the styles' defaults, of every style and run
    that names one, of the theme fonts, and in the core properties."""
    styles = document.styles.element
    defaults = _child(_child(_child(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    _child(defaults, "w:lang")
    for root in [styles, *_parts_with_text(document)]:
        for lang in root.iter(qn("w:lang")):
            lang.set(qn("w:val"), tag)
    settings = document.settings.element
    _child(settings, "w:themeFontLang").set(qn("w:val"), tag)
    document.core_properties.language = tag


def modern_word(document: Any) -> None:
    """Not opened in Word 2010 compatibility mode, and no python-docx preview picture."""
    settings = document.settings.element
    compat = _child(settings, "w:compat")
    uri = "http://schemas.microsoft.com/office/word"
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), WORD_2013_AND_LATER)
            break
    else:
        setting = OxmlElement("w:compatSetting")
        setting.set(qn("w:name"), "compatibilityMode")
        setting.set(qn("w:uri"), uri)
        setting.set(qn("w:val"), WORD_2013_AND_LATER)
        compat.append(setting)
    for preview in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(preview)
    package_rels = document.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype == _THUMBNAIL]:
        package_rels.pop(rid)


def set_properties(
    document: Any, *, title: str, author: str, modified_by: str, at: datetime | None = None
) -> None:
    """The document's own metadata: its title, the organisation as author, written now.
    Nothing of python-docx's template (its name, its 2013 dates) is left."""
    at = (at or clock.now()).replace(microsecond=0, tzinfo=None)  # core.xml keeps UTC
    props = document.core_properties
    props.title = clean_text(title)
    props.author = clean_text(author)
    props.last_modified_by = clean_text(modified_by)
    props.created = props.modified = at
    props.revision = 1
    for name in ("subject", "keywords", "comments", "category", "content_status"):
        setattr(props, name, "")


def set_app_properties(document: Any, *, company: str) -> None:
    """docProps/app.xml names the organisation and this app, not python-docx's template
    ("Microsoft Macintosh Word", version 14: Word 2010)."""
    from docx.opc.oxml import parse_xml, serialize_part_xml

    for rel in document.part.package.rels.values():
        if rel.reltype != _APP_PROPERTIES or rel.is_external:
            continue
        part = rel.target_part
        root = parse_xml(part.blob)
        for tag, value in (("Application", "rehabteam"), ("Company", clean_text(company))):
            element = root.find(f"{_APP_NS}{tag}")
            if element is None:
                element = root.makeelement(f"{_APP_NS}{tag}", {})
                root.append(element)
            element.text = value
        for tag in ("AppVersion", "Template"):
            for element in root.findall(f"{_APP_NS}{tag}"):
                root.remove(element)
        part._blob = serialize_part_xml(root)


def finish(document: Any, *, title: str, organisation: str, modified_by: str = "") -> None:
    """The step every document the app writes passes before it is saved (rendered templates
    and the documents built here alike): the app's language, real metadata, Word's current
    mode. `title` is the document's title with its case number or meeting, never a CPR
    number or a citizen's name."""
    set_language(document, language_tag())
    modern_word(document)
    set_properties(
        document, title=title, author=organisation, modified_by=modified_by or organisation
    )
    set_app_properties(document, company=organisation)


def new_document(organisation: str, confidential_note: str) -> Any:
    """An A4 document with the organisation in the header and a confidentiality line."""
    from docx import Document

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    use_font(document)
    set_language(document, LANGUAGE_TAGS["da"])
    modern_word(document)
    set_properties(document, title="", author="", modified_by="")
    normal = document.styles["Normal"]
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
