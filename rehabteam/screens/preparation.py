"""The caseworker's preparation of one case: the forberedende del field by field (the
citizen's words beside the caseworker's description), the LÆ 265, other material, the
citizen's wishes for the meeting, and what is still missing before the case can be booked.

Each field is saved when the user leaves it (and all with Ctrl+S), one small transaction
each, writing only what the user changed (see FormScreen), so a crash loses at most the field
being typed, and two people never overwrite each other's fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Label, Static

from rehabteam.i18n import label, t
from rehabteam.models.enums import CaseStatus, DocumentKind, MedicalStatementKind
from rehabteam.models.inputs import (
    MedicalStatementInput,
    MeetingWishesInput,
    PreparationFieldInput,
)
from rehabteam.models.read import PreparationRead, Saved
from rehabteam.screens.autosave import FormScreen, SaveCall
from rehabteam.widgets.fieldform import FieldForm
from rehabteam.widgets.forms import MedicalForm, PreparationFieldPair, WishesForm

EDITABLE = (CaseStatus.FORBEREDELSE, CaseStatus.KLAR, CaseStatus.BOOKET)


class PreparationScreen(FormScreen):
    CSS_PATH = "preparation.tcss"
    BINDINGS = [
        # Priority: taken the moment it arrives, so the keys after it wait for the next
        # screen (FormScreen.check_action leaves it to an open dropdown).
        Binding("escape", "close", t("binding.back"), id="prep.close", priority=True),
        Binding("ctrl+s", "save_all", t("binding.save"), id="prep.save", priority=True),
        Binding("ctrl+r", "reload", t("binding.reload"), id="prep.reload"),
        Binding("f8", "health_advice", t("binding.health_advice"), id="prep.health_advice"),
        Binding("f9", "disciplines", t("binding.choose_disciplines"), id="prep.disciplines"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.read: PreparationRead | None = None

    # --- building the form ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield VerticalScroll(Static(t("home.loading"), markup=False), id="form")
            with Vertical(id="side"):
                yield Static("", id="case-summary", markup=False)
                yield Label(t("prep.missing_title"), classes="section-title", markup=False)
                yield Static("", id="readiness", markup=False)
                yield Static("", id="notes", markup=False)
                yield Static("", id="save-state", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self, *, quietly: bool = False) -> None:
        """Read the case (the first read is in the audit trail; a refresh is not)."""
        from rehabteam.services.preparation import get_preparation

        rulebook = self.ctx.rulebook
        self.call_service(
            lambda s, v: get_preparation(
                session=s, case_id=self.case_id, rulebook=rulebook, viewer=v, log_read=not quietly
            ),
            self.quietly(self._refreshed) if quietly else self._build,
            write=not quietly,
            group="prep-load",
        )

    def reload_quietly(self) -> None:
        if self.read is not None:
            self.load(quietly=True)

    def _forms_for(self, read: PreparationRead) -> list[Widget]:
        locked = read.case.status not in EDITABLE
        widgets: list[Widget] = [Label(read.document_name, classes="section-title", markup=False)]
        widgets += [PreparationFieldPair(f, read_only=locked) for f in read.fields]
        widgets.append(MedicalForm(read.medical, label_kind(read.medical.kind), read_only=locked))
        widgets.append(Label(t("prep.documents_title"), classes="section-title", markup=False))
        widgets += [
            Checkbox(label(kind), kind.value in read.documents, name=kind.value, disabled=locked)
            for kind in DocumentKind
        ]
        widgets.append(WishesForm(read.bisidder_wish, read.meeting_needs, read_only=locked))
        return widgets

    async def _build(self, read: PreparationRead) -> None:
        self.read = read
        form = self.query_one("#form", VerticalScroll)
        await form.remove_children()
        await form.mount_all(self._forms_for(read))  # mounted before anything is focused
        self._show_status(read)
        if read.case.status not in EDITABLE:
            self.show_state(t("prep.locked", status=t(f"CaseStatus.{read.case.status}")))
        else:
            self.show_state(t("prep.all_saved"))
        first = next(iter(self.forms()), None)
        editor = first.first_editor() if first else None
        if editor is not None:
            editor.focus()

    def _refreshed(self, read: PreparationRead) -> None:
        """Someone saved: fields the user has not touched show it; others show it beside."""
        self.read = read
        for form in self.forms():
            values, stamps = self._stored(form, read)
            form.remote(values, stamps)
        self._show_status(read)

    @staticmethod
    def _stored(form: FieldForm, read: PreparationRead) -> tuple[dict[str, Any], dict[str, Any]]:
        if isinstance(form, PreparationFieldPair):
            field = next(f for f in read.fields if f.key == form.key)
            return field.model_dump(include={"citizen_text", "caseworker_text"}), field.stamps
        if isinstance(form, MedicalForm):
            return read.medical.model_dump(), read.medical.stamps
        values = {"bisidder_wish": read.bisidder_wish, "meeting_needs": read.meeting_needs}
        return values, read.wishes_stamps

    def _show_status(self, read: PreparationRead) -> None:
        c = read.case
        self.query_one("#case-summary", Static).update(
            t(
                "prep.summary",
                name=c.citizen_name,
                cpr=c.cpr_masked,
                number=c.case_number,
                case_type=t(f"CaseType.{c.case_type}"),
                rule_set=read.rule_set_name,
                status=t(f"CaseStatus.{c.status}"),
            )
            + (f"\n\n{t('case.background', text=c.background)}" if c.background else "")
        )
        missing = "\n".join(f"• {m}" for m in read.missing) if read.missing else t("ready.none")
        self.query_one("#readiness", Static).update(missing)
        self.query_one("#readiness").set_class(not read.missing, "ready")
        self.query_one("#notes", Static).update("\n".join(f"! {n}" for n in read.notes))

    def show_state(self, text: str) -> None:
        self.query_one("#save-state", Static).update(text)

    # --- saving (see FormScreen) ------------------------------------------------------------

    def section_label(self, form: FieldForm) -> str:
        if isinstance(form, PreparationFieldPair):
            return str(form.title)
        return t(f"prep.section.{form.section}")

    def save_call(self, form: FieldForm, data: BaseModel, base: dict[str, Any]) -> SaveCall:
        from rehabteam.services import preparation as prep

        rulebook, case_id = self.ctx.rulebook, self.case_id
        if isinstance(form, PreparationFieldPair):
            key = form.key
            assert isinstance(data, PreparationFieldInput)
            return lambda s, v: prep.save_field(
                session=s,
                case_id=case_id,
                field_key=key,
                data=data,
                base=base,
                rulebook=rulebook,
                viewer=v,
            )
        if isinstance(form, MedicalForm):
            assert isinstance(data, MedicalStatementInput)
            return lambda s, v: prep.save_medical_statement(
                session=s, case_id=case_id, data=data, base=base, rulebook=rulebook, viewer=v
            )
        assert isinstance(data, MeetingWishesInput)
        return lambda s, v: prep.save_wishes(
            session=s, case_id=case_id, data=data, base=base, rulebook=rulebook, viewer=v
        )

    def after_save(self, form: FieldForm, outcome: Saved[Any]) -> None:
        self.read = outcome.read
        self._show_status(outcome.read)

    @on(Checkbox.Changed)
    def _document_ticked(self, event: Checkbox.Changed) -> None:
        if self.read is None or event.checkbox.name not in {k.value for k in DocumentKind}:
            return
        from rehabteam.services.preparation import save_documents

        received = {
            DocumentKind(box.name) for box in self.query(Checkbox) if box.value and box.name
        }
        rulebook = self.ctx.rulebook
        self.call_service(
            lambda s, v: save_documents(
                session=s, case_id=self.case_id, received=received, rulebook=rulebook, viewer=v
            ),
            lambda read: self.after_save_documents(read),
            write=True,
            group="prep-documents",
        )

    def after_save_documents(self, read: PreparationRead) -> None:
        self.read = read
        self._show_status(read)

    # --- actions --------------------------------------------------------------------------

    def _ask(self, form: ModalScreen[object | None], said: str) -> None:
        """Show a dialog that saves what it is given; once it has, say `said` and show the
        case again (the notes say where the advice and the disciplines stand)."""

        def saved(result: object) -> None:
            if result is not None:
                self.notify(said)
                self.load(quietly=True)

        self.app.push_screen(form, saved)

    def action_health_advice(self) -> None:
        """Record the sundhedskoordinator's advice: requested, given (in writing or at a
        meeting), what was advised and by whom."""
        from rehabteam.models.enums import AdviceForm
        from rehabteam.models.inputs import parse_user_date
        from rehabteam.models.law_inputs import HealthAdviceInput
        from rehabteam.screens.dialogs.form import FormDialog, FormField, Values
        from rehabteam.services.health_advice import save_advice
        from rehabteam.widgets.dates import date_text

        if self.read is None:
            return
        if not self.read.health_advice_required and self.read.health_advice is None:
            self.notify(t("advice.not_needed", rule_set=self.read.rule_set_name), timeout=8)
            return
        now, case_id = self.read.health_advice, self.case_id

        def build(values: Values) -> HealthAdviceInput:
            def day(key: str, field: str) -> date | None:
                return parse_user_date(str(values[key]), field=field, allow_future=False)

            return HealthAdviceInput(
                requested_on=day("requested_on", "field.advice_requested_on"),
                given_on=day("given_on", "field.advice_given_on"),
                form=AdviceForm(str(values["how"])),
                advice=str(values["advice"]),
                given_by=str(values["given_by"]),
            )

        form: FormDialog[object] = FormDialog(
            t("binding.health_advice"),
            [
                FormField(
                    "requested_on",
                    t("field.advice_requested_on"),
                    "date",
                    date_text(now.requested_on) if now and now.requested_on else "",
                ),
                FormField(
                    "given_on",
                    t("field.advice_given_on"),
                    "date",
                    date_text(now.given_on) if now and now.given_on else "",
                ),
                FormField(
                    "how",
                    t("field.advice_form"),
                    "select",
                    (now.form if now else AdviceForm.SKRIFTLIG).value,
                    [(t(f"AdviceForm.{f.value}"), f.value) for f in AdviceForm],
                ),
                FormField("advice", t("field.advice"), "text", now.advice if now else ""),
                FormField(
                    "given_by", t("field.advice_given_by"), "line", now.given_by if now else ""
                ),
            ],
            build,
            lambda s, v, data: save_advice(
                session=s,
                case_id=case_id,
                data=data,
                expected_version=now.version if now else 0,
                viewer=v,
            ),
        )

        self._ask(form, t("advice.saved"))

    def action_disciplines(self) -> None:
        """The chair chooses the disciplines beyond the mandatory ones, with the reason
        (rule sets from lov nr. 1657/2024)."""
        from rehabteam.models.enums import Discipline
        from rehabteam.models.law_inputs import DisciplineChoiceInput
        from rehabteam.screens.dialogs.form import FormDialog, FormField, Values
        from rehabteam.services.disciplines import choose_disciplines

        read = self.read
        if read is None:
            return
        if not read.disciplines_chosen_per_case:
            self.notify(t("disciplines.not_chosen", rule_set=read.rule_set_name), timeout=8)
            return
        from rehabteam.models.enums import StaffRole

        viewer = self.ctx.viewer
        if viewer is None or not viewer.has(StaffRole.MOEDELEDER):
            self.notify(t("disciplines.chair_only"), severity="warning", timeout=8)
            return
        optional = [
            d
            for d in Discipline
            if d.value not in read.mandatory_disciplines and d is not Discipline.GAEST
        ]
        case_id, rulebook = self.case_id, self.ctx.rulebook

        def build(values: Values) -> DisciplineChoiceInput:
            return DisciplineChoiceInput(
                chosen=tuple(d for d in optional if values[d.value] is True),
                reason=str(values["reason"]),
            )

        form: FormDialog[object] = FormDialog(
            t("binding.choose_disciplines"),
            [
                *(
                    FormField(d.value, label(d), "check", d.value in read.chosen_disciplines)
                    for d in optional
                ),
                FormField("reason", t("field.disciplines_reason"), "text", read.disciplines_reason),
            ],
            build,
            lambda s, v, data: choose_disciplines(
                session=s, case_id=case_id, data=data, rulebook=rulebook, viewer=v
            ),
        )

        self._ask(form, t("disciplines.saved"))

    def action_reload(self) -> None:
        if self.dirty_forms():
            self.notify(t("prep.reload_unsaved"), severity="warning")
            return
        self.load()


def label_kind(kind: str) -> str:
    return label(MedicalStatementKind(kind))
