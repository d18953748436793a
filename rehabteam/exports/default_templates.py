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
    d.add_heading("{{ l.indstilling_title }}: {{ indstilling.type }}", level=0)
    _p(d, "{{ decision_note }}", bold=True)
    _pairs(
        d,
        [
            ("{{ l.citizen }}", "{{ citizen.name }}, {{ l.cpr }} {{ citizen.cpr }}"),
            ("{{ l.case }}", "{{ case.number }}: {{ case.type }}"),
            ("{{ l.meeting }}", "{{ meeting.date }}, {{ meeting.place }}"),
            ("{{ l.rule_set }}", "{{ case.rule_set }}"),
            ("{{ l.legal_basis }}", "{{ case.citation }}"),
            ("{{ l.version }}", "{{ indstilling.version }}, {{ indstilling.approved }}"),
        ],
    )
    d.add_heading("{{ l.members_present }}", level=1)
    _p(d, "{%p for m in members %}")
    _p(d, "{{ m.discipline }}: {{ m.names }}", style="List Bullet")
    _p(d, "{%p endfor %}")
    _p(d, "{%p if case.disciplines %}")
    _p(d, "{{ case.disciplines }}", muted=True)
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.vurdering }}", level=1)
    _p(d, "{{ indstilling.vurdering }}")
    d.add_heading("{{ l.begrundelse }}", level=1)
    _p(d, "{{ indstilling.begrundelse }}")
    d.add_heading("{{ l.assessments }}", level=1)
    _p(d, "{%p for a in assessments %}")
    _p(d, "{{ a.discipline }}{% if a.author %} ({{ a.author }}){% endif %}", bold=True)
    _p(d, "{{ a.vurdering }}")
    _p(d, "{{ l.recommended }}: {{ a.indsatser }}", muted=True)
    _p(d, "{%p endfor %}")
    d.add_heading("{{ l.interventions }}", level=1)
    _p(d, "{%p if interventions %}")
    _p(d, "{%p for i in interventions %}")
    _p(d, "{{ i.area }}", bold=True)
    _p(d, "{{ l.formaal }}: {{ i.formaal }}")
    _p(d, "{{ l.indhold }}: {{ i.indhold }}")
    _p(d, "{{ l.hvorfor }}: {{ i.begrundelse }}")
    _p(d, "{%p endfor %}")
    _p(d, "{%p else %}")
    _p(d, "{{ l.no_interventions }}")
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
        _p(d, f"{{{{ l.{key} }}}}", bold=True)
        _p(d, f"{{{{ indstilling.{key} }}}}")
    _p(d, "{%p endif %}")
    _p(d, "{%p if indstilling.fleksjob_begrundelse %}")
    d.add_heading("{{ l.fleksjob_begrundelse }}", level=1)
    _p(d, "{{ indstilling.fleksjob_begrundelse }}")
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.sundhedskoordinator }}", level=1)
    _p(d, "{{ indstilling.sundhedskoordinator_vurdering }}")
    _p(d, "{%p if case.health_advice %}")
    _p(d, "{{ case.health_advice }}")
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.borgerens_bemaerkninger }}", level=1)
    _p(d, "{{ indstilling.borgerens_bemaerkninger }}")
    d.add_heading("{{ l.koordinerende }}", level=1)
    _p(d, "{%p if koordinerende %}")
    _p(d, "{{ koordinerende.name }}, {{ koordinerende.title }}", bold=True)
    _p(d, "{{ l.phone }}: {{ koordinerende.phone }}   {{ l.email }}: {{ koordinerende.email }}")
    _p(d, "{%p else %}")
    _p(d, "{{ l.no_koordinerende }}")
    _p(d, "{%p endif %}")
    d.add_heading("{{ l.what_next }}", level=1)
    _p(d, "{{ decision_note }}")
    _p(d, "{{ l.sent_to }}")
    return d


def build_borgerbrev() -> Any:
    d = _base()
    _recipient(d)
    d.add_heading("{{ l.letter_title }}", level=1)
    _p(d, "{{ l.letter_greeting }} {{ citizen.first_name }}")
    _p(d, "{{ l.letter_thanks }}")
    _p(d, "{{ l.letter_agreed }}", bold=True)
    _p(d, "{{ indstilling.plain_summary }}")
    _p(d, "{%p if interventions %}")
    _p(d, "{{ l.letter_plan }}")
    _p(d, "{%p for i in interventions %}")
    _p(d, "{{ i.area }}: {{ i.indhold }}", style="List Bullet")
    _p(d, "{%p endfor %}")
    _p(d, "{%p endif %}")
    _p(d, "{{ decision_note }}", bold=True)
    _p(d, "{%p if koordinerende %}")
    _p(d, "{{ l.letter_coordinator }}", bold=True)
    _p(
        d,
        "{{ koordinerende.name }}, {{ l.phone }} {{ koordinerende.phone }}, "
        "{{ koordinerende.email }}",
    )
    _p(d, "{%p endif %}")
    _p(d, "{{ l.letter_questions }}")
    _p(d, "{{ l.letter_regards }}")
    _p(d, "{{ organisation }}")
    _p(d, "{{ l.legal_basis }}: {{ case.citation }}", muted=True)
    return d


def build_referat() -> Any:
    """The team's minutes: who came, and per case what the team came to and what next."""
    d = _base()
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
        "{% endif %} – {{ m.status }}",
        style="List Bullet",
    )
    _p(d, "{%p endfor %}")
    d.add_heading("{{ l.cases }}", level=1)
    _p(d, "{%p for c in cases %}")
    _p(d, "{{ c.time }}  {{ c.citizen }} ({{ c.cpr }}), {{ l.case }} {{ c.number }}", bold=True)
    _p(
        d,
        "{{ l.case_type }}: {{ c.case_type }}. {{ l.citizen_present }}: {{ c.present }}"
        "{% if c.bisidder %}. {{ l.bisidder }}: {{ c.bisidder }}{% endif %}",
    )
    _p(d, "{{ l.outcome }}: {{ c.outcome }}")
    _p(d, "{%p if c.koordinerende %}")
    _p(d, "{{ l.koordinerende }}: {{ c.koordinerende }}")
    _p(d, "{%p endif %}")
    _p(d, "{{ l.next_step }}: {{ c.next_step }}")
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


BUILDERS = {
    "indstilling": build_indstilling,
    "borgerbrev": build_borgerbrev,
    "referat": build_referat,
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
