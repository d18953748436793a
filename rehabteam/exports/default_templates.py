"""Builds the bundled .docx templates (docxtpl/Jinja tags in a python-docx document).

The committed templates in `templates/` are this module's output; a municipality replaces
them with its own letterhead and wording by putting files of the same names in
REHABTEAM_TEMPLATE_DIR. Every heading comes from `l` (labels), so one template serves Danish
and English. Run `python -m rehabteam.exports.default_templates` to rebuild them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from rehabteam.exports.docx_parts import MUTED, new_document, page_x_of_y

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _base() -> Any:
    document = new_document("{{ organisation }}", "{{ l.confidential }}")
    page_x_of_y(document, "{{ l.page }}", "{{ l.of }}")
    return document


def _p(
    document: Any,
    text: str,
    *,
    bold: bool = False,
    size: int | None = None,
    style: str | None = None,
    muted: bool = False,
) -> Any:
    paragraph = document.add_paragraph(style=style) if style else document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if muted:
        run.font.color.rgb = MUTED
    return paragraph


def _subheading(document: Any, text: str) -> Any:
    """A heading under a section's heading (a discipline, an intervention's area, a case):
    a real heading, so it is in the navigation pane and tagged in the PDF, and kept on the
    page of the text it heads."""
    heading = document.add_heading(text, level=2)
    heading.paragraph_format.keep_with_next = True
    return heading


def _together(*paragraphs: Any) -> None:
    """Paragraphs printed on one page (a contact block split over a page break sends the
    reader looking for the phone number on the next page)."""
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_together = True


def _pairs(document: Any, pairs: list[tuple[str, str]]) -> None:
    grid = document.add_table(rows=0, cols=2)
    grid.style = "Table Grid"
    for key, value in pairs:
        cells = grid.add_row().cells
        cells[0].paragraphs[0].add_run(key).bold = True
        cells[1].paragraphs[0].add_run(value)
        cells[0].width, cells[1].width = Cm(4), Cm(12.6)


def _recipient(document: Any) -> None:
    _p(document, "{{ citizen.name }}")
    _p(document, "{{ citizen.address }}")
    _p(document, "{{ citizen.postcode }} {{ citizen.city }}")
    date = _p(document, "{{ today }}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def build_indstilling() -> Any:
    d = _base()
    _recipient(d)
    # The type on a line of its own: in the title it wrapped after the colon.
    d.add_heading("{{ l.indstilling_title }}", level=0)
    _p(d, "{{ indstilling.type }}", style="Subtitle")
    _p(d, "{{ decision_note }}", bold=True)
    _p(d, "{%p if copy_note %}")
    _p(d, "{{ copy_note }}", muted=True)
    _p(d, "{%p endif %}")
    _p(d, "{%p if case.transition_note %}")
    _p(d, "{{ case.transition_note }}", bold=True)
    _p(d, "{%p endif %}")
    _pairs(
        d,
        [
            ("{{ l.citizen }}", "{{ citizen.name }}, {{ l.cpr }} {{ citizen.cpr }}"),
            ("{{ l.case }}", "{{ case.number }}: {{ case.type }}"),
            # A row of its own for each tag: docxtpl replaces the row by the tag.
            ("{%tr if meeting.held %}", ""),
            ("{{ l.meeting }}", "{{ meeting.date }}, {{ meeting.place }}"),
            ("{%tr endif %}", ""),
            ("{{ l.legal_basis }}", "{{ case.citation }}"),
            ("{{ l.ind_basis }}", "{{ case.basis }}"),
            ("{{ l.version }}", "{{ indstilling.version }}, {{ indstilling.approved }}"),
        ],
    )
    _p(d, "{%p if meeting.held %}")
    d.add_heading("{{ l.members_present }}", level=1)
    _p(d, "{%p for m in members %}")
    _p(d, "{{ m.name }}, {{ m.discipline }} ({{ m.role }})", style="List Bullet")
    _p(d, "{%p endfor %}")
    _p(d, "{%p if meeting.citizen %}")
    _p(d, "{{ meeting.citizen }}", style="List Bullet")
    _p(d, "{%p endif %}")
    _p(d, "{%p if meeting.presenter %}")
    _p(d, "{{ l.ind_presenter }}: {{ meeting.presenter }}", style="List Bullet")
    _p(d, "{%p endif %}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if case.disciplines %}")
    _p(d, "{{ case.disciplines }}", muted=True)
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.vurdering }}", level=1)
    _p(d, "{{ indstilling.vurdering }}")
    d.add_heading("{{ l.begrundelse }}", level=1)
    _p(d, "{{ indstilling.begrundelse }}")
    _p(d, "{%p if assessments %}")
    d.add_heading("{{ l.assessments }}", level=1)
    _p(d, "{%p for a in assessments %}")
    _subheading(d, "{{ a.discipline }}{% if a.author %} ({{ a.author }}){% endif %}")
    _p(d, "{{ a.vurdering }}")
    _p(d, "{%p if a.indsatser %}")
    _p(d, "{{ l.recommended }}: {{ a.indsatser }}", muted=True)
    _p(d, "{%p endif %}")
    _p(d, "{%p endfor %}")
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.interventions }}", level=1)
    _p(d, "{%p if interventions %}")
    _p(d, "{%p for i in interventions %}")
    _subheading(d, "{{ i.area }}")
    _p(d, "{{ l.formaal }}: {{ i.formaal }}")
    _p(d, "{{ l.indhold }}: {{ i.indhold }}")
    _p(d, "{{ l.hvorfor }}: {{ i.begrundelse }}")
    _p(d, "{%p endfor %}")
    _p(d, "{%p else %}")
    _p(d, "{{ l.no_interventions }}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if not_in_plan %}")
    d.add_heading("{{ l.ind_not_in_plan }}", level=1)
    # With the list it introduces (the heading and this line stood alone at a page's foot).
    _p(d, "{{ l.ind_not_in_plan_note }}").paragraph_format.keep_with_next = True
    _p(d, "{%p for r in not_in_plan %}")
    _p(d, "{{ r.discipline }}: {{ r.indsatser }}", style="List Bullet")
    _p(d, "{%p endfor %}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if forloeb %}")
    d.add_heading("{{ l.forloeb }}", level=1)
    _pairs(
        d,
        [
            ("{{ l.maal }}", "{{ indstilling.maal }}"),
            ("{{ l.varighed }}", "{{ indstilling.varighed }}"),
            ("{{ l.opfoelgning }}", "{{ indstilling.opfoelgning }}"),
        ],
    )
    _p(d, "{%p endif %}")
    _p(d, "{%p if pension %}")
    d.add_heading("{{ l.pension_title }}", level=1)
    for key in (
        "fp_beskaeftigelsesforhold",
        "fp_sociale_forhold",
        "fp_helbredsforhold",
        "fp_arbejdsevne_begrundelse",
    ):
        _subheading(d, f"{{{{ l.{key} }}}}")
        _p(d, f"{{{{ indstilling.{key} }}}}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if indstilling.fleksjob_begrundelse %}")
    d.add_heading("{{ l.fleksjob_begrundelse }}", level=1)
    _p(d, "{{ indstilling.fleksjob_begrundelse }}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if sundhedskoordinator.vurdering or case.health_advice %}")
    d.add_heading("{{ l.sundhedskoordinator }}", level=1)
    _p(d, "{%p if sundhedskoordinator.vurdering %}")
    _p(d, "{{ sundhedskoordinator.vurdering }}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if sundhedskoordinator.indsatser %}")
    _p(d, "{{ l.recommended }}: {{ sundhedskoordinator.indsatser }}", muted=True)
    _p(d, "{%p endif %}")
    _p(d, "{%p if case.health_advice %}")
    _p(d, "{{ case.health_advice }}")
    _p(d, "{%p endif %}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if indstilling.borgerens_bemaerkninger %}")
    d.add_heading("{{ l.borgerens_bemaerkninger }}", level=1)
    _p(d, "{{ indstilling.borgerens_bemaerkninger }}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if koordinerende %}")
    d.add_heading("{{ l.koordinerende }}", level=1)
    _p(d, "{{ koordinerende.name }}, {{ koordinerende.title }}", bold=True)
    _p(d, "{{ l.phone }}: {{ koordinerende.phone }}   {{ l.email }}: {{ koordinerende.email }}")
    # No koordinerende sagsbehandler (fleksjob, førtidspension): whom to call all the same.
    _p(d, "{%p elif contact.name %}")
    d.add_heading("{{ l.ind_contact }}", level=1)
    _p(d, "{{ contact.name }}{% if contact.title %}, {{ contact.title }}{% endif %}", bold=True)
    _p(d, "{{ l.phone }}: {{ contact.phone }}   {{ l.email }}: {{ contact.email }}")
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.what_next }}", level=1)
    _p(d, "{{ l.sent_to }}")  # the decision note is said once, under the title
    return d


def _if_any(document: Any, field: str, *, bold: bool = False) -> None:
    """A paragraph of `field` that is left out, not printed empty, when it has no text."""
    _p(document, f"{{%p if {field} %}}")
    _p(document, f"{{{{ {field} }}}}", bold=bold)
    _p(document, "{%p endif %}")


def build_borgerbrev() -> Any:
    d = _base()
    _recipient(d)
    d.add_heading("{{ letter.title }}", level=1)
    _p(d, "{{ letter.greeting }}")
    _p(d, "{{ letter.opening }}")
    _p(d, "{{ letter.facts }}")
    _p(d, "{{ letter.read_below }}")
    _subheading(d, "{{ letter.summary_heading }}")
    _p(d, "{{ letter.summary }}")
    _if_any(d, "letter.explain")
    _p(d, "{%p if letter.plan %}")
    _p(d, "{{ letter.plan_intro }}")
    _p(d, "{%p for item in letter.plan %}")
    _p(d, "{{ item }}", style="List Bullet")
    _p(d, "{%p endfor %}")
    _p(d, "{%p endif %}")
    _p(d, "{{ decision_note }}")
    _subheading(d, "{{ letter.next_heading }}")
    _p(d, "{{ letter.next }}")
    _p(d, "{{ letter.when }}", bold=True)
    _if_any(d, "letter.after")
    _subheading(d, "{{ letter.contact_heading }}")
    _p(d, "{{ contact.who }}")
    _if_any(d, "contact.call")
    _p(d, "{{ letter.regards }}")
    _p(d, "{%p if sender.name %}")
    _p(d, "{{ sender.name }}", bold=True)
    _if_any(d, "sender.title")
    _p(d, "{%p endif %}")
    _p(d, "{{ organisation }}")
    return d


def build_referat() -> Any:
    """The team's minutes: who came, and per case what the team came to and what next."""
    d = _base()
    # On every page, so that a printed page 2 of a draft cannot pass for the minutes.
    mark = d.sections[0].header.add_paragraph()
    mark.add_run("{{ draft }}").bold = True
    d.add_heading("{{ l.referat_title }}", level=0)
    _p(d, "{%p if draft %}")
    _p(d, "{{ draft }}", bold=True, size=14)
    _p(d, "{%p endif %}")
    _pairs(
        d,
        [
            ("{{ l.meeting }}", "{{ meeting.team }}, {{ meeting.date }} {{ meeting.time }}"),
            ("{{ l.closed }}", "{{ meeting.closed }}"),
            ("{{ l.place }}", "{{ meeting.place }}"),
            ("{{ l.chair }}", "{{ meeting.chair }}"),
            ("{{ l.referent }}", "{{ meeting.referent }}"),
        ],
    )
    d.add_heading("{{ l.attendance }}", level=1)
    _p(d, "{%p for m in attendance %}")
    _p(
        d,
        "{{ m.discipline }}: {{ m.name }}{% if m.organisation %} ({{ m.organisation }})"
        "{% endif %}{% if m.role %}, {{ m.role }}{% endif %} – {{ m.status }}",
        style="List Bullet",
    )
    _p(d, "{%p endfor %}")
    d.add_heading("{{ l.cases }}", level=1)
    _p(d, "{%p for c in cases %}")
    _subheading(d, "{{ c.time }}  {{ c.citizen }} ({{ c.cpr }}), {{ l.case }} {{ c.number }}")
    kind = _p(
        d,
        "{{ l.case_type }}: {{ c.case_type }}. {{ l.citizen_present }}: {{ c.present }}"
        "{% if c.bisidder %}. {{ l.bisidder }}: {{ c.bisidder }}{% endif %}",
    )
    outcome = _p(d, "{{ l.outcome }}: {{ c.outcome }}")
    _p(d, "{%p if c.koordinerende %}")
    coordinator = _p(d, "{{ l.koordinerende }}: {{ c.koordinerende }}")
    _p(d, "{%p endif %}")
    next_step = _p(d, "{{ l.next_step }}: {{ c.next_step }}")
    # The case's lines on one page ("Vurderinger:" stood alone on page 2).
    _together(kind, outcome, coordinator, next_step)
    next_step.paragraph_format.keep_with_next = True
    _p(d, "{%p if c.assessments %}")
    _p(
        d,
        "{{ l.assessments_from }}: {% for a in c.assessments %}{{ a.discipline }}: "
        "{{ a.given_by }}{% if a.typed_by %} ({{ l.typed_by }} {{ a.typed_by }}){% endif %}"
        "{% if not loop.last %}; {% endif %}{% endfor %}",
        muted=True,
    )
    _p(d, "{%p endif %}")
    _p(d, "{%p endfor %}")
    return d


# The dagsorden's case table: (label, field, width in cm); 16.6 cm is the text width of an
# A4 page with 2.2 cm margins. Wide enough that no word breaks inside a column.
DAGSORDEN_COLUMNS = [
    ("{{ l.dag_col_time }}", "{{ c.slot }}", 2.6),
    ("{{ l.dag_col_citizen }}", "{{ c.citizen }}", 3.9),
    ("{{ l.dag_col_case_type }}", "{{ c.case_type }}", 4.0),
    ("{{ l.dag_col_sagsbehandler }}", "{{ c.sagsbehandler }}", 3.3),
    ("{{ l.dag_col_attends }}", "{{ c.attends }}", 2.8),
]


def _grid(document: Any, rows: list[list[str]], widths: list[float], *, size: int = 9) -> Any:
    """A table whose grid columns and cells have the same widths: LibreOffice lays a table
    out by its grid (`w:gridCol`), Word by its cells; when they disagreed, words broke in
    the middle in the PDF."""
    grid = document.add_table(rows=0, cols=len(widths))
    grid.style = "Table Grid"
    grid.autofit = False
    for n, values in enumerate(rows):
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(size)
            run.bold = n == 0
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    return grid


def build_dagsorden() -> Any:
    d = _base()
    d.add_heading("{{ l.dag_title }}", level=0)
    _p(d, "{{ meeting.team }} – {{ l.dag_meeting }} {{ meeting.date }}")
    _p(d, "{%p if meeting.held %}")
    _p(d, "{{ l.dag_held }}", muted=True)
    _p(d, "{%p endif %}")
    _pairs(
        d,
        [
            ("{{ l.dag_date }}", "{{ meeting.date }}"),
            ("{{ l.dag_time }}", "{{ meeting.time }}"),
            ("{{ l.place }}", "{{ meeting.place }}"),
            # No "Videolink -" row for a meeting in a room only.
            ("{%tr if meeting.video_link %}", ""),
            ("{{ l.dag_video }}", "{{ meeting.video }}"),
            ("{%tr endif %}", ""),
            ("{{ l.chair }}", "{{ meeting.chair }}"),
            ("{{ l.referent }}", "{{ meeting.referent }}"),
            ("{{ l.dag_material }}", "{{ meeting.material }}"),
        ],
    )
    d.add_heading("{{ l.dag_participants }}", level=1)
    _p(d, "{%p for p in participants %}")
    _p(d, "{{ p.discipline }}: {{ p.names }}", style="List Bullet")
    _p(d, "{%p endfor %}")
    d.add_heading("{{ l.dag_cases }}", level=1)
    _p(d, "{%p if cases %}")
    widths = [w for _label, _field, w in DAGSORDEN_COLUMNS]
    _grid(
        d,
        [
            [label for label, _field, _w in DAGSORDEN_COLUMNS],
            ["{%tr for c in cases %}", "", "", "", ""],
            [field for _label, field, _w in DAGSORDEN_COLUMNS],
            ["{%tr endfor %}", "", "", "", ""],
        ],
        widths,
    )
    _p(d, "{%p for c in cases %}")
    # A case's block holds together up to its first piece of material: its time plan
    # split over two pages before.
    _subheading(d, "{{ c.time }}  {{ c.name }}, {{ l.dag_case }} {{ c.number }}")
    status = _p(d, "{{ l.dag_status }}: {{ c.status }}")
    _p(d, "{%p if c.phases %}")  # none for a case postponed or cancelled
    phases = _p(d, "{{ l.dag_phases }}:", bold=True)
    _p(d, "{%p for ph in c.phases %}")
    phase = _p(d, "{{ ph.time }}  {{ ph.name }}", style="List Bullet")
    _p(d, "{%p endfor %}")
    _p(d, "{%p endif %}")
    material = _p(d, "{{ l.dag_case_material }}:", bold=True)
    _p(d, "{%p for m in c.material %}")
    _together(status, phases, phase, material, _p(d, "{{ m }}", style="List Bullet"))
    _p(d, "{%p else %}")
    _p(d, "{{ l.dag_no_material }}")
    _p(d, "{%p endfor %}")
    _p(d, "{%p endfor %}")
    _p(d, "{%p else %}")
    _p(d, "{{ l.dag_no_cases }}")
    _p(d, "{%p endif %}")
    return d


def build_indkaldelse() -> Any:
    d = _base()
    _recipient(d)
    d.add_heading("{{ l.inv_title }}", level=1)
    _p(d, "{{ l.inv_greeting }} {{ citizen.first_name }}")
    _p(d, "{{ l.inv_intro }} {{ l.inv_intro_team }}")
    _pairs(
        d,
        [
            ("{{ l.inv_when }}", "{{ meeting.when }}"),
            ("{{ l.inv_where }}", "{{ meeting.where }}"),
        ],
    )
    _p(d, "{{ meeting.duration }}", bold=True)
    _p(d, "{%p if meeting.video %}")
    _p(d, "{{ l.inv_video }}: {{ meeting.video }}")
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.inv_who }}", level=2)
    _p(d, "{%p for p in people %}")
    _p(d, "{{ p }}", style="List Bullet")
    _p(d, "{%p endfor %}")
    d.add_heading("{{ l.inv_bisidder_title }}", level=2)
    _p(d, "{{ l.inv_bisidder }} {{ l.inv_bisidder_what }}")
    _p(d, "{%p if bisidder %}")
    _p(d, "{{ bisidder }}")
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.inv_what_title }}", level=2)
    for n in range(1, 6):
        _p(d, f"{{{{ l.inv_step{n} }}}}", style="List Number")
    _p(d, "{{ l.inv_after }}")
    d.add_heading("{{ l.inv_prepare_title }}", level=2)
    for n in range(1, 4):
        _p(d, f"{{{{ l.inv_prepare{n} }}}}", style="List Bullet")
    # Whom to call, through the sign-off, on one page (the sign-off stood alone on page 2).
    _together(
        d.add_heading("{{ l.inv_contact_title }}", level=2),
        _p(d, "{{ l.inv_contact }}"),
        _p(d, "{{ contact.name }}", bold=True),
        _p(d, "{{ l.phone }}: {{ contact.phone }}"),
        _p(d, "{{ l.email }}: {{ contact.email }}"),
        _p(d, "{{ l.inv_cannot_come }}"),
        _p(d, "{{ l.inv_regards }}"),
        _p(d, "{{ organisation }}"),
    )
    return d


BUILDERS = {
    "indstilling": build_indstilling,
    "borgerbrev": build_borgerbrev,
    "referat": build_referat,
    "dagsorden": build_dagsorden,
    "indkaldelse": build_indkaldelse,
}


def write_defaults(folder: Path = TEMPLATE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in BUILDERS.items():
        path = folder / f"{name}.docx"
        build().save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_defaults():
        print(written_path)
