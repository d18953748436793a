"""The caseworker's preparation of one case: the forberedende del field by field (the
citizen's words beside the caseworker's description), the LÆ 265, other material, the
citizen's wishes for the meeting, and what is still missing before the case can be booked.

Each section is saved when the user leaves it (and all with Ctrl+S), one small transaction
each, so a crash loses at most the field being typed. Saves run one at a time in a worker
thread; the screen cannot be closed with unsaved text without a choice.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Input, Label, Static, TextArea

from rehabteam.errors import StaleEdit
from rehabteam.i18n import label, t
from rehabteam.models.enums import DocumentKind
from rehabteam.models.inputs import (
    MedicalStatementInput,
    MeetingWishesInput,
    PreparationFieldInput,
    parse_user_date,
)
from rehabteam.models.read import PreparationRead
from rehabteam.screens.autosave import AutosaveScreen, SaveCall
from rehabteam.textsafe import clean_line, clean_text
from rehabteam.widgets.dates import date_text
from rehabteam.widgets.meeting_forms import editor

LAE_PARTS = ("helbredsforhold", "saerlige_hensyn", "borgerperspektiv", "andre_forhold")
MEDICAL = "medical"
WISHES = "wishes"
DOCUMENTS = "documents"


class PreparationScreen(AutosaveScreen):
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
                yield Label(t("prep.missing_title"), classes="section-title")
                yield Static("", id="readiness", markup=False)
                yield Static("", id="notes", markup=False)
                yield Static("", id="save-state", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        from rehabteam.services.preparation import get_preparation

        rulebook = self.ctx.rulebook
        self.call_service(
            lambda s, v: get_preparation(
                session=s, case_id=self.case_id, rulebook=rulebook, viewer=v
            ),
            self._build,
            write=True,  # the read is written to the audit trail
            group="prep-load",
        )

    async def _build(self, read: PreparationRead) -> None:
        self.read = read
        locked = read.case.status not in ("forberedelse", "klar", "booket")
        form = self.query_one("#form", VerticalScroll)
        await form.remove_children()
        widgets: list[Widget] = [
            Label(read.document_name, classes="section-title"),
        ]
        for field in read.fields:
            section = f"field:{field.key}"
            widgets += [
                Label(field.label, classes="field-label"),
                Horizontal(
                    Vertical(
                        Label(t("field.citizen_text"), classes="column-label"),
                        editor(field.citizen_text, f"c-{field.key}", read_only=locked),
                    ),
                    Vertical(
                        Label(t("field.caseworker_text"), classes="column-label"),
                        editor(field.caseworker_text, f"w-{field.key}", read_only=locked),
                    ),
                    classes="field-pair",
                ),
                Static("", id=f"err-{field.key}", classes="field-error", markup=False),
            ]
            self.remember(section, (field.citizen_text, field.caseworker_text), field.version)
        medical = read.medical
        widgets += [
            Label(label_kind(medical.kind), classes="section-title"),
            Horizontal(
                Vertical(
                    Label(t("field.lae265_requested")),
                    Input(
                        date_text(medical.requested_on),
                        id="lae-requested",
                        placeholder="dd.mm.åååå",
                        disabled=locked,
                    ),
                ),
                Vertical(
                    Label(t("field.lae265_received")),
                    Input(
                        date_text(medical.received_on),
                        id="lae-received",
                        placeholder="dd.mm.åååå",
                        disabled=locked,
                    ),
                ),
                classes="date-pair",
            ),
        ]
        for part in LAE_PARTS:
            widgets += [
                Label(t(f"lae265.{part}"), classes="field-label"),
                editor(getattr(medical, part), f"lae-{part}", read_only=locked),
            ]
        widgets.append(Static("", id="err-medical", classes="field-error", markup=False))
        self.remember(
            MEDICAL,
            (
                date_text(medical.requested_on),
                date_text(medical.received_on),
                *(getattr(medical, p) for p in LAE_PARTS),
            ),
            medical.version,
        )
        widgets.append(Label(t("prep.documents_title"), classes="section-title"))
        for kind in DocumentKind:
            widgets.append(
                Checkbox(
                    label(kind),
                    kind.value in read.documents,
                    id=f"doc-{kind.value}",
                    disabled=locked,
                )
            )
        widgets += [
            Static("", id="err-documents", classes="field-error", markup=False),
            Label(t("prep.wishes_title"), classes="section-title"),
            Label(t("field.bisidder")),
            Input(clean_line(read.bisidder_wish), id="bisidder", max_length=300, disabled=locked),
            Label(t("field.meeting_needs")),
            editor(read.meeting_needs, "meeting_needs", read_only=locked),
            Static("", id="err-wishes", classes="field-error", markup=False),
        ]
        self.remember(WISHES, (read.bisidder_wish, read.meeting_needs), read.case_version)
        await form.mount_all(widgets)  # mounted before anything is focused or read
        self._show_status(read)
        if locked:
            self.show_state(t("prep.locked", status=t(f"CaseStatus.{read.case.status}")))
        else:
            self.show_state(t("prep.all_saved"))
        self._focus_first()

    def _focus_first(self) -> None:
        if self.read is not None and self.read.fields:
            self.query_one(f"#c-{self.read.fields[0].key}", TextArea).focus()

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

    # --- sections (see AutosaveScreen) ----------------------------------------------------

    def all_sections(self) -> list[str]:
        if self.read is None:
            return []
        return [f"field:{f.key}" for f in self.read.fields] + [MEDICAL, WISHES]

    def section_values(self, section: str) -> tuple[Any, ...]:
        text = self.text_of
        if section.startswith("field:"):
            key = section.removeprefix("field:")
            return (text(f"c-{key}"), text(f"w-{key}"))
        if section == MEDICAL:
            return (
                text("lae-requested"),
                text("lae-received"),
                *(text(f"lae-{p}") for p in LAE_PARTS),
            )
        if section == WISHES:
            return (text("bisidder"), text("meeting_needs"))
        raise KeyError(section)

    def section_of(self, widget_id: str) -> str | None:
        if widget_id.startswith(("c-", "w-")):
            return f"field:{widget_id[2:]}"
        if widget_id.startswith("lae-"):
            return MEDICAL
        if widget_id in ("bisidder", "meeting_needs"):
            return WISHES
        return None

    def section_label(self, section: str) -> str:
        if section.startswith("field:") and self.read is not None:
            key = section.removeprefix("field:")
            return next(f.label for f in self.read.fields if f.key == key)
        return t(f"prep.section.{section}")

    def error_widget(self, section: str) -> Static:
        return self.query_one(f"#err-{section.removeprefix('field:')}", Static)

    def build_save(self, section: str, values: tuple[Any, ...]) -> SaveCall:
        from rehabteam.services import preparation as prep

        rulebook, case_id = self.ctx.rulebook, self.case_id
        if section.startswith("field:"):
            key = section.removeprefix("field:")
            field_data = PreparationFieldInput(citizen_text=values[0], caseworker_text=values[1])
            return lambda s, viewer, version: prep.save_field(
                session=s,
                case_id=case_id,
                field_key=key,
                data=field_data,
                expected_version=version,
                rulebook=rulebook,
                viewer=viewer,
            )
        if section == MEDICAL:
            medical = MedicalStatementInput(
                requested_on=parse_user_date(values[0], field="field.lae265_requested"),
                received_on=parse_user_date(values[1], field="field.lae265_received"),
                **dict(zip(LAE_PARTS, values[2:], strict=True)),
            )
            return lambda s, viewer, version: prep.save_medical_statement(
                session=s,
                case_id=case_id,
                data=medical,
                expected_version=version,
                rulebook=rulebook,
                viewer=viewer,
            )
        wishes = MeetingWishesInput(bisidder_wish=values[0], meeting_needs=values[1])
        return lambda s, viewer, version: prep.save_wishes(
            session=s,
            case_id=case_id,
            data=wishes,
            expected_version=version,
            rulebook=rulebook,
            viewer=viewer,
        )

    def version_after(self, section: str, outcome: Any) -> int:
        return _version_of(outcome, section)

    def after_save(self, section: str, outcome: Any) -> None:
        self.read = outcome
        self._show_status(outcome)

    def other_version_text(self, exc: StaleEdit) -> str:
        return t(
            "prep.their_version",
            citizen=clean_text(exc.theirs.get("citizen_text", "")),
            caseworker=clean_text(exc.theirs.get("caseworker_text", "")),
        )

    @on(Checkbox.Changed)
    def _document_ticked(self, event: Checkbox.Changed) -> None:
        if self.read is None or not (event.checkbox.id or "").startswith("doc-"):
            return
        from rehabteam.services.preparation import save_documents

        received = {
            kind for kind in DocumentKind if self.query_one(f"#doc-{kind.value}", Checkbox).value
        }
        rulebook = self.ctx.rulebook
        self.start_save(
            DOCUMENTS,
            (),
            lambda s, viewer, _version: save_documents(
                session=s,
                case_id=self.case_id,
                received=received,
                rulebook=rulebook,
                viewer=viewer,
            ),
        )

    # --- actions --------------------------------------------------------------------------

    def action_reload(self) -> None:
        if self.dirty_sections():
            self.notify(t("prep.reload_unsaved"), severity="warning")
            return
        self.load()

    def palette_commands(self) -> list[object]:
        from textual.app import SystemCommand

        return [
            SystemCommand(t("binding.save"), t("command.save_preparation"), self.action_save_all),
            SystemCommand(t("binding.reload"), t("command.reload"), self.action_reload),
            SystemCommand(t("binding.back"), t("command.close"), self.action_close),
        ]


def _version_of(read: PreparationRead, section: str) -> int:
    if section.startswith("field:"):
        key = section.removeprefix("field:")
        return next(f.version for f in read.fields if f.key == key)
    if section == MEDICAL:
        return read.medical.version
    if section == WISHES:
        return read.case_version
    return 0


def label_kind(kind: str) -> str:
    from rehabteam.models.enums import MedicalStatementKind

    return label(MedicalStatementKind(kind))
