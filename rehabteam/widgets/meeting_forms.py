"""The meeting room's forms: a panel per discipline and the indstilling draft. They only
build widgets from read models; saving is the screen's business."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from rehabteam.i18n import t
from rehabteam.models.enums import IndstillingType, InterventionArea
from rehabteam.models.read import AssessmentRead, CaseloadRead, IndstillingRead
from rehabteam.models.recommendation import FP_TEXTS
from rehabteam.textsafe import clean_text

INTERVENTION_PARTS = ("formaal", "indhold", "begrundelse")


def editor(text: str, widget_id: str, *, read_only: bool = False, classes: str = "") -> TextArea:
    area = TextArea(
        clean_text(text),
        id=widget_id,
        soft_wrap=True,
        tab_behavior="focus",
        read_only=read_only,
        classes=f"editor {classes}".strip(),
    )
    area.move_cursor(area.document.end)
    return area


def discipline_panel(a: AssessmentRead, *, read_only: bool) -> Vertical:
    author = f" ({a.author})" if a.author else ""
    return Vertical(
        Label(t(f"Discipline.{a.discipline}") + author, classes="panel-title"),
        Horizontal(
            Vertical(
                Label(t("room.vurdering"), classes="column-label"),
                editor(a.vurdering, f"av-{a.discipline}", read_only=read_only),
            ),
            Vertical(
                Label(t("room.indsatser"), classes="column-label"),
                editor(a.anbefalede_indsatser, f"ai-{a.discipline}", read_only=read_only),
            ),
            classes="field-pair",
        ),
        Static("", id=f"err-a-{a.discipline}", classes="field-error", markup=False),
        classes="discipline-panel",
        id=f"panel-{a.discipline}",
    )


def coordinator_options(loads: list[CaseloadRead], low: int, high: int) -> list[tuple[str, int]]:
    options = []
    for c in loads:
        text = t("room.caseload", name=c.name, n=c.active_ressourceforloeb, low=low, high=high)
        if c.over_guideline:
            text += " " + t("room.caseload_over", high=high)
        options.append((text, c.staff_id))
    return options


def indstilling_form(
    ind: IndstillingRead,
    allowed: tuple[IndstillingType, ...],
    coordinators: list[tuple[str, int]],
    months: tuple[int, int],
) -> list[Widget]:
    locked = ind.locked
    widgets: list[Widget] = [
        Static(
            t(
                "room.indstilling_status",
                no=ind.version_no,
                status=t(f"IndstillingStatus.{ind.status}"),
            ),
            id="i-status",
            markup=False,
        ),
        Label(t("room.type")),
        Select[str](
            [(t(f"IndstillingType.{k.value}"), k.value) for k in allowed],
            id="i-type",
            value=ind.type if ind.type in {k.value for k in allowed} else Select.NULL,
            prompt=t("case.dialog.choose"),
            disabled=locked,
        ),
    ]
    for name in ("begrundelse", "vurdering", "maal"):
        widgets += [
            Label(t(f"room.{name}")),
            editor(getattr(ind, name), f"i-{name}", read_only=locked),
        ]
    low, high = months
    widgets += [
        Label(t("room.varighed", low=low, high=high), classes="resource-only"),
        Input(
            "" if ind.varighed_maaneder is None else str(ind.varighed_maaneder),
            id="i-varighed",
            type="integer",
            max_length=3,
            disabled=locked,
            classes="resource-only",
        ),
        Label(t("room.koordinator"), classes="resource-only"),
        Select[int](
            coordinators,
            id="i-koordinator",
            value=ind.koordinerende_sagsbehandler_id
            if ind.koordinerende_sagsbehandler_id in {v for _, v in coordinators}
            else Select.NULL,
            prompt=t("case.dialog.choose"),
            disabled=locked,
            classes="resource-only",
        ),
        Label(t("room.opfoelgning")),
        editor(ind.opfoelgning, "i-opfoelgning", read_only=locked),
        Label(t("room.interventions"), classes="section-title"),
    ]
    by_area = {i.area: i for i in ind.interventions}
    for area in InterventionArea:
        current = by_area.get(area.value)
        parts = [
            Vertical(
                Label(t(f"room.intervention.{part}"), classes="column-label"),
                editor(
                    getattr(current, part) if current else "",
                    f"i-{area.value}-{part}",
                    read_only=locked,
                    classes="short",
                ),
            )
            for part in INTERVENTION_PARTS
        ]
        widgets += [
            Label(t(f"InterventionArea.{area.value}"), classes="field-label"),
            Horizontal(*parts, classes="field-pair"),
        ]
    for name in FP_TEXTS:
        widgets += [
            Label(t(f"room.{name}"), classes="fp-only"),
            editor(getattr(ind, name), f"i-{name}", read_only=locked, classes="fp-only"),
        ]
    widgets += [
        Label(t("room.fleksjob_begrundelse"), classes="fleksjob-only"),
        editor(
            ind.fleksjob_begrundelse,
            "i-fleksjob_begrundelse",
            read_only=locked,
            classes="fleksjob-only",
        ),
        Label(t("room.borgerens_bemaerkninger")),
        editor(ind.borgerens_bemaerkninger, "i-borgerens_bemaerkninger", read_only=locked),
        Label(t("room.sundhedskoordinator_vurdering")),
        editor(
            ind.sundhedskoordinator_vurdering, "i-sundhedskoordinator_vurdering", read_only=locked
        ),
        Static("", id="err-indstilling", classes="field-error", markup=False),
    ]
    return widgets
