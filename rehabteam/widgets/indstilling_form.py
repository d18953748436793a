"""The indstilling draft as a form: every field on its own (services.fields), the fields a
type needs shown only for that type."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static

from rehabteam.i18n import t
from rehabteam.models.enums import IndstillingType, InterventionArea
from rehabteam.models.inputs import IndstillingInput, InterventionInput
from rehabteam.models.read import CaseloadRead, IndstillingRead, InterventionRead
from rehabteam.models.recommendation import (
    ALL_TEXTS,
    FP_TEXTS,
    INTERVENTION_PARTS,
    field_label,
    intervention_key,
)
from rehabteam.widgets.fieldform import FieldForm, NumberInput, editor

INDSTILLING = "indstilling"
# Fields shown only for one type of indstilling.
ONLY_FOR = {
    "resource-only": IndstillingType.RESSOURCEFORLOEB,
    "fp-only": IndstillingType.FOERTIDSPENSION,
    "fleksjob-only": IndstillingType.FLEKSJOB,
}


def coordinator_options(loads: list[CaseloadRead], low: int, high: int) -> list[tuple[str, int]]:
    options = []
    for c in loads:
        text = t("room.caseload", name=c.name, n=c.active_ressourceforloeb, low=low, high=high)
        if IndstillingType.RESSOURCEFORLOEB.value in c.over:
            text += " " + t("room.caseload_over", high=high)
        options.append((text, c.staff_id))
    return options


class IndstillingForm(FieldForm):
    DEFAULT_CSS = """
    IndstillingForm .pair { height: auto; }
    IndstillingForm .pair > Vertical { width: 1fr; height: auto; }
    """

    def __init__(
        self,
        read: IndstillingRead,
        *,
        allowed: tuple[IndstillingType, ...],
        coordinators: list[tuple[str, int]],
        months: tuple[int, int],
        outcome: str = "indstilling",
    ) -> None:
        super().__init__(INDSTILLING, read_only=read.locked, error_id="err-indstilling")
        self.read = read
        self.allowed = allowed
        self.coordinators = coordinators
        self.months = months
        self.outcome = outcome

    def _text(self, name: str, label: str, classes: str = "") -> ComposeResult:
        yield Label(label, classes=classes, markup=False)
        yield self.field(
            name,
            editor(getattr(self.read, name), read_only=self.read_only, classes=classes),
            f"i-{name}",
        )
        yield self.note_of(name)

    def compose(self) -> ComposeResult:
        ind, locked = self.read, self.read_only
        yield Static(
            t(
                "room.indstilling_status",
                word=t(f"outcome.word.{self.outcome}"),
                no=ind.version_no,
                status=t(f"IndstillingStatus.{ind.status}"),
            ),
            markup=False,
        )
        yield Label(t("room.type"), markup=False)
        yield self.field(
            "type",
            Select[str](
                [(t(f"IndstillingType.{k.value}"), k.value) for k in self.allowed],
                value=ind.type if ind.type in {k.value for k in self.allowed} else Select.NULL,
                prompt=t("case.dialog.choose"),
                disabled=locked,
            ),
            "i-type",
        )
        yield self.note_of("type")
        for name in ("begrundelse", "vurdering", "maal"):
            yield from self._text(name, t(f"room.{name}"))
        low, high = self.months
        yield Label(t("room.varighed", low=low, high=high), classes="resource-only", markup=False)
        yield self.field(
            "varighed_maaneder",
            NumberInput(
                "" if ind.varighed_maaneder is None else str(ind.varighed_maaneder),
                type="integer",
                max_length=3,
                disabled=locked,
                classes="resource-only",
            ),
            "i-varighed",
        )
        yield self.note_of("varighed_maaneder")
        yield Label(t("room.koordinator"), classes="resource-only", markup=False)
        choices = {v for _, v in self.coordinators}
        yield self.field(
            "koordinerende_sagsbehandler_id",
            Select[int](
                self.coordinators,
                value=ind.koordinerende_sagsbehandler_id
                if ind.koordinerende_sagsbehandler_id in choices
                else Select.NULL,
                prompt=t("case.dialog.choose"),
                disabled=locked,
                classes="resource-only",
            ),
            "i-koordinator",
        )
        yield self.note_of("koordinerende_sagsbehandler_id")
        yield from self._text("opfoelgning", t("room.opfoelgning"))
        yield Label(t("room.interventions"), classes="section-title", markup=False)
        by_area = {i.area: i for i in ind.interventions}
        for area in InterventionArea:
            current = by_area.get(area)
            yield Label(t(f"InterventionArea.{area.value}"), classes="field-label", markup=False)
            with Horizontal(classes="pair"):
                for part in INTERVENTION_PARTS:
                    key = intervention_key(area.value, part)
                    with Vertical():
                        yield Label(
                            t(f"room.intervention.{part}"), classes="column-label", markup=False
                        )
                        yield self.field(
                            key,
                            editor(
                                getattr(current, part) if current else "",
                                read_only=locked,
                                classes="short",
                            ),
                            f"i-{area.value}-{part}",
                        )
                        yield self.note_of(key)
        for name in FP_TEXTS:
            yield from self._text(name, t(f"room.{name}"), "fp-only")
        yield from self._text(
            "fleksjob_begrundelse", t("room.fleksjob_begrundelse"), "fleksjob-only"
        )
        yield from self._text("borgerens_bemaerkninger", t("room.borgerens_bemaerkninger"))
        yield from self._text(
            "sundhedskoordinator_vurdering", t("room.sundhedskoordinator_vurdering")
        )
        yield self.error

    def on_mount(self) -> None:
        self.show_for_type()

    @on(Select.Changed)
    def show_for_type(self) -> None:
        """Only the fields the chosen type needs are shown (their texts are kept)."""
        kind = self.values().get("type")
        for css, only in ONLY_FOR.items():
            for widget in self.query(f".{css}"):
                widget.display = kind == only.value

    def label_of(self, name: str) -> str:
        return field_label(name)

    def typed(self) -> IndstillingInput:
        values = self.values()
        months = values["varighed_maaneder"]
        if isinstance(months, str):
            raise ValueError(t("indstilling.months_range"))
        return IndstillingInput(
            type=values["type"],
            varighed_maaneder=months,
            koordinerende_sagsbehandler_id=values["koordinerende_sagsbehandler_id"],
            interventions=[
                InterventionInput(
                    area=area,
                    **{p: values[intervention_key(area.value, p)] for p in INTERVENTION_PARTS},
                )
                for area in InterventionArea
            ],
            **{name: values[name] for name in ALL_TEXTS},
        )

    def propose(self, proposals: Sequence[InterventionRead]) -> None:
        """Fill the empty intervention fields from the disciplines' recommendations (typed
        in as the user would; a field already written in is left alone)."""
        current = self.values()
        self.fill(
            {
                intervention_key(p.area, part): getattr(p, part)
                for p in proposals
                for part in INTERVENTION_PARTS
                if getattr(p, part) and not current[intervention_key(p.area, part)]
            }
        )
