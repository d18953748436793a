"""The preparation's and the meeting room's forms: each a `FieldForm` built from its read
model, exposing its value as the input model the service takes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label

from rehabteam.i18n import t
from rehabteam.models.enums import MEDICAL_PARTS
from rehabteam.models.inputs import (
    AssessmentInput,
    MedicalStatementInput,
    MeetingWishesInput,
    PreparationFieldInput,
)
from rehabteam.models.read import AssessmentRead, MedicalStatementRead, PreparationFieldRead
from rehabteam.textsafe import clean_line
from rehabteam.widgets.dates import date_text
from rehabteam.widgets.fieldform import DateInput, FieldForm, editor
from rehabteam.widgets.inputs import TextInput


class TextPair(FieldForm):
    """Two texts side by side (the citizen's words beside the caseworker's; a discipline's
    vurdering beside its recommended interventions), each with its note below."""

    DEFAULT_CSS = """
    TextPair { height: auto; margin-bottom: 1; }
    TextPair > .pair { height: auto; }
    TextPair > .pair > Vertical { width: 1fr; height: auto; }
    """

    def __init__(
        self,
        section: str,
        title: str,
        columns: tuple[tuple[str, str, str, str], ...],  # (field, label, text, widget id)
        *,
        read_only: bool = False,
        classes: str = "",
        error_id: str = "",
    ) -> None:
        super().__init__(section, read_only=read_only, classes=classes, error_id=error_id)
        self.title = title
        self.columns = columns

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="field-label", markup=False)
        with Horizontal(classes="pair"):
            for name, label, text, widget_id in self.columns:
                with Vertical():
                    yield Label(label, classes="column-label", markup=False)
                    yield self.field(name, editor(text, read_only=self.read_only), widget_id)
                    yield self.note_of(name)
        yield self.error

    def label_of(self, name: str) -> str:
        return next(label for field, label, *_ in self.columns if field == name)


class PreparationFieldPair(TextPair):
    """One field of the forberedende del / samlet beskrivelse."""

    def __init__(self, read: PreparationFieldRead, *, read_only: bool = False) -> None:
        super().__init__(
            f"field:{read.key}",
            read.label,
            (
                ("citizen_text", t("field.citizen_text"), read.citizen_text, f"c-{read.key}"),
                (
                    "caseworker_text",
                    t("field.caseworker_text"),
                    read.caseworker_text,
                    f"w-{read.key}",
                ),
            ),
            read_only=read_only,
            error_id=f"err-{read.key}",
        )
        self.key = read.key

    def typed(self) -> PreparationFieldInput:
        return PreparationFieldInput(**self.values())


class DisciplinePanel(TextPair):
    """A discipline's vurdering and anbefalede indsatser for the current case."""

    def __init__(self, read: AssessmentRead, *, case_id: int, read_only: bool = False) -> None:
        super().__init__(
            f"a:{read.discipline}",
            self.title_of(read),
            (
                ("vurdering", t("room.vurdering"), read.vurdering, f"av-{read.discipline}"),
                (
                    "anbefalede_indsatser",
                    t("room.indsatser"),
                    read.anbefalede_indsatser,
                    f"ai-{read.discipline}",
                ),
            ),
            read_only=read_only,
            classes="discipline-panel",
            error_id=f"err-a-{read.discipline}",
        )
        self.discipline = read.discipline
        self.case_id = case_id  # saved to this case, whatever the screen shows by then

    @staticmethod
    def title_of(read: AssessmentRead) -> str:
        """The discipline, whom the assessment is from, and who typed it if someone else
        ("Sundhedskoordinator – fra Henrik Sand (skrevet af Mette Lund)")."""
        title = t(f"Discipline.{read.discipline}")
        if read.given_by:
            title += t("assessment.from_suffix", name=read.given_by)
        if read.author and read.author != read.given_by:
            title += t("assessment.typed_suffix", name=read.author)
        return title

    def typed(self) -> AssessmentInput:
        return AssessmentInput(**self.values())


class MedicalForm(FieldForm):
    """The LÆ 265 (or the first follow-up attest): when requested and received, and its
    four parts."""

    def __init__(self, read: MedicalStatementRead, title: str, *, read_only: bool = False) -> None:
        super().__init__("medical", read_only=read_only, error_id="err-medical")
        self.read = read
        self.title = title

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="section-title", markup=False)
        with Horizontal(classes="date-pair"):
            for name, label, widget_id in (
                ("requested_on", "field.lae265_requested", "lae-requested"),
                ("received_on", "field.lae265_received", "lae-received"),
            ):
                with Vertical():
                    yield Label(t(label), markup=False)
                    yield self.field(
                        name,
                        DateInput(
                            date_text(getattr(self.read, name)),
                            placeholder=t("form.date_placeholder"),
                            disabled=self.read_only,
                        ),
                        widget_id,
                    )
                    yield self.note_of(name)
        for part in MEDICAL_PARTS:
            yield Label(t(f"lae265.{part}"), classes="field-label", markup=False)
            yield self.field(
                part, editor(getattr(self.read, part), read_only=self.read_only), f"lae-{part}"
            )
            yield self.note_of(part)
        yield self.error

    def label_of(self, name: str) -> str:
        if name in MEDICAL_PARTS:
            return t(f"lae265.{name}")
        return t("field.lae265_requested" if name == "requested_on" else "field.lae265_received")

    def typed(self) -> MedicalStatementInput:
        from rehabteam.models.inputs import parse_user_date

        dates = {}
        for name in ("requested_on", "received_on"):
            widget = self.editor_of(name)
            assert isinstance(widget, Input)
            label = "field.lae265_requested" if name == "requested_on" else "field.lae265_received"
            dates[name] = parse_user_date(widget.value, field=label)
        texts = {part: v for part, v in self.values().items() if part in MEDICAL_PARTS}
        return MedicalStatementInput(**dates, **texts)


class WishesForm(FieldForm):
    """The citizen's wishes for the meeting: a bisidder, and needs."""

    def __init__(self, bisidder: str, needs: str, *, read_only: bool = False) -> None:
        super().__init__("wishes", read_only=read_only, error_id="err-wishes")
        self.initial = (bisidder, needs)

    def compose(self) -> ComposeResult:
        bisidder, needs = self.initial
        yield Label(t("prep.wishes_title"), classes="section-title", markup=False)
        yield Label(t("field.bisidder"), markup=False)
        yield self.field(
            "bisidder_wish",
            TextInput(
                clean_line(bisidder),
                max_length=300,
                disabled=self.read_only,
                placeholder=t("field.bisidder_hint"),
            ),
            "bisidder",
        )
        yield self.note_of("bisidder_wish")
        yield Label(t("field.meeting_needs"), markup=False)
        yield self.field("meeting_needs", editor(needs, read_only=self.read_only), "meeting_needs")
        yield self.note_of("meeting_needs")
        yield self.error

    def label_of(self, name: str) -> str:
        return t("field.bisidder" if name == "bisidder_wish" else "field.meeting_needs")

    def typed(self) -> MeetingWishesInput:
        return MeetingWishesInput(**self.values())


def forms_in(widget: Widget) -> Iterator[FieldForm]:
    """The forms below `widget`, in screen order."""
    yield from widget.query(FieldForm)


def values_of(read: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(read, name) for name in names}
