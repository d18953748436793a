"""The caseworker's preparation of one case: the forberedende del field by field (the
citizen's words beside the caseworker's description), the LÆ 265, other material, the
citizen's wishes for the meeting, and what is still missing before the case can be booked.

Each field is saved when the user leaves it (and all with Ctrl+S), one small transaction
each, writing only what the user changed (see FormScreen), so a crash loses at most the field
being typed, and two people never overwrite each other's fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
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
        Binding("escape", "close", t("binding.back"), id="prep.close"),
        Binding("ctrl+s", "save_all", t("binding.save"), id="prep.save", priority=True),
        Binding("ctrl+r", "reload", t("binding.reload"), id="prep.reload"),
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
            self._refreshed if quietly else self._build,
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

    def action_reload(self) -> None:
        if self.dirty_forms():
            self.notify(t("prep.reload_unsaved"), severity="warning")
            return
        self.load()


def label_kind(kind: str) -> str:
    return label(MedicalStatementKind(kind))
