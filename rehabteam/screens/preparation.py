"""The caseworker's preparation of one case: the forberedende del field by field (the
citizen's words beside the caseworker's description), the LÆ 265, other material, the
citizen's wishes for the meeting, and what is still missing before the case can be booked.

Each section is saved when the user leaves it (and all with Ctrl+S), one small transaction
each, so a crash loses at most the field being typed. Saves run one at a time in a worker
thread; the screen cannot be closed with unsaved text without a choice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Input, Label, Static, TextArea

from rehabteam.errors import StaleEdit, UserError
from rehabteam.i18n import label, t
from rehabteam.models.enums import DocumentKind
from rehabteam.models.inputs import (
    MedicalStatementInput,
    MeetingWishesInput,
    PreparationFieldInput,
    parse_user_date,
)
from rehabteam.models.read import PreparationRead
from rehabteam.screens.base import ServiceScreen
from rehabteam.textsafe import clean_line, clean_text

LAE_PARTS = ("helbredsforhold", "saerlige_hensyn", "borgerperspektiv", "andre_forhold")
MEDICAL = "medical"
WISHES = "wishes"
DOCUMENTS = "documents"


def _area(text: str, widget_id: str, *, read_only: bool) -> TextArea:
    area = TextArea(
        clean_text(text),
        id=widget_id,
        soft_wrap=True,
        tab_behavior="focus",
        show_line_numbers=False,
        read_only=read_only,
        classes="editor",
    )
    area.move_cursor(area.document.end)  # arriving in a field continues the text
    return area


class PreparationScreen(ServiceScreen):
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
        self._lock = threading.Lock()  # one save at a time; guards the two dicts below
        self._versions: dict[str, int] = {}
        self._saved: dict[str, tuple[Any, ...]] = {}
        self._pending = 0
        self._close_when_saved = False

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

        rulebook, actor = self.ctx.rulebook, self.ctx.actor_id
        self.call_service(
            lambda s: get_preparation(
                session=s, case_id=self.case_id, rulebook=rulebook, actor_id=actor
            ),
            self._build,
            write=True,  # the read is written to the audit trail
            group="prep-load",
        )

    def _build(self, read: PreparationRead) -> None:
        self.read = read
        locked = read.case.status not in ("forberedelse", "klar", "booket")
        form = self.query_one("#form", VerticalScroll)
        form.remove_children()
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
                        _area(field.citizen_text, f"c-{field.key}", read_only=locked),
                    ),
                    Vertical(
                        Label(t("field.caseworker_text"), classes="column-label"),
                        _area(field.caseworker_text, f"w-{field.key}", read_only=locked),
                    ),
                    classes="field-pair",
                ),
                Static("", id=f"err-{field.key}", classes="field-error", markup=False),
            ]
            self._remember(section, (field.citizen_text, field.caseworker_text), field.version)
        medical = read.medical
        widgets += [
            Label(label_kind(medical.kind), classes="section-title"),
            Horizontal(
                Vertical(
                    Label(t("field.lae265_requested")),
                    Input(
                        _day(medical.requested_on),
                        id="lae-requested",
                        placeholder="dd.mm.åååå",
                        disabled=locked,
                    ),
                ),
                Vertical(
                    Label(t("field.lae265_received")),
                    Input(
                        _day(medical.received_on),
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
                _area(getattr(medical, part), f"lae-{part}", read_only=locked),
            ]
        widgets.append(Static("", id="err-medical", classes="field-error", markup=False))
        self._remember(
            MEDICAL,
            (
                _day(medical.requested_on),
                _day(medical.received_on),
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
            _area(read.meeting_needs, "meeting_needs", read_only=locked),
            Static("", id="err-wishes", classes="field-error", markup=False),
        ]
        self._remember(WISHES, (read.bisidder_wish, read.meeting_needs), read.case_version)
        form.mount_all(widgets)
        self._show_status(read)
        if locked:
            self._state(t("prep.locked", status=t(f"CaseStatus.{read.case.status}")))
        else:
            self._state(t("prep.all_saved"))
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        if self.read is not None and self.read.fields:
            self.query_one(f"#c-{self.read.fields[0].key}", TextArea).focus()

    def _remember(self, section: str, values: tuple[Any, ...], version: int) -> None:
        with self._lock:
            self._saved[section] = values
            self._versions[section] = version

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
        )
        missing = "\n".join(f"• {m}" for m in read.missing) if read.missing else t("ready.none")
        self.query_one("#readiness", Static).update(missing)
        self.query_one("#readiness").set_class(not read.missing, "ready")
        self.query_one("#notes", Static).update("\n".join(f"! {n}" for n in read.notes))

    def _state(self, text: str) -> None:
        self.query_one("#save-state", Static).update(text)

    # --- what the user typed --------------------------------------------------------------

    def _text(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Input):
            return widget.value
        raise TypeError(widget_id)

    def _values(self, section: str) -> tuple[Any, ...]:
        if section.startswith("field:"):
            key = section.removeprefix("field:")
            return (self._text(f"c-{key}"), self._text(f"w-{key}"))
        if section == MEDICAL:
            return (
                self._text("lae-requested"),
                self._text("lae-received"),
                *(self._text(f"lae-{p}") for p in LAE_PARTS),
            )
        if section == WISHES:
            return (self._text("bisidder"), self._text("meeting_needs"))
        raise KeyError(section)

    @staticmethod
    def _section_of(widget_id: str) -> str | None:
        if widget_id.startswith(("c-", "w-")):
            return f"field:{widget_id[2:]}"
        if widget_id.startswith("lae-"):
            return MEDICAL
        if widget_id in ("bisidder", "meeting_needs"):
            return WISHES
        return None

    def dirty_sections(self) -> list[str]:
        if self.read is None:
            return []
        sections = [f"field:{f.key}" for f in self.read.fields] + [MEDICAL, WISHES]
        with self._lock:
            saved = dict(self._saved)
        return [s for s in sections if self._values(s) != saved.get(s)]

    def _section_label(self, section: str) -> str:
        if section.startswith("field:") and self.read is not None:
            key = section.removeprefix("field:")
            return next(f.label for f in self.read.fields if f.key == key)
        return t(f"prep.section.{section}")

    # --- saving ---------------------------------------------------------------------------

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        section = self._section_of(event.widget.id or "")
        if section is not None and section in self.dirty_sections():
            self.save_section(section)

    @on(Checkbox.Changed)
    def _document_ticked(self, event: Checkbox.Changed) -> None:
        if self.read is None or not (event.checkbox.id or "").startswith("doc-"):
            return
        from rehabteam.services.preparation import save_documents

        received = {
            kind for kind in DocumentKind if self.query_one(f"#doc-{kind.value}", Checkbox).value
        }
        rulebook, actor = self.ctx.rulebook, self.ctx.actor_id
        self._start_save(
            DOCUMENTS,
            (),
            lambda s, _v: save_documents(
                session=s,
                case_id=self.case_id,
                received=received,
                rulebook=rulebook,
                actor_id=actor,
            ),
        )

    def save_section(self, section: str) -> bool:
        """Validate on the UI thread (errors shown at once, nothing sent), then save in a
        worker. Returns False when the input is invalid."""
        from rehabteam.services import preparation as prep

        values = self._values(section)
        rulebook, actor, case_id = self.ctx.rulebook, self.ctx.actor_id, self.case_id
        error_id = f"err-{section.removeprefix('field:')}"
        self.query_one(f"#{error_id}", Static).update("")
        call: Callable[[Session, int], PreparationRead]
        try:
            if section.startswith("field:"):
                key = section.removeprefix("field:")
                field_data = PreparationFieldInput(
                    citizen_text=values[0], caseworker_text=values[1]
                )
                call = lambda s, v: prep.save_field(  # noqa: E731
                    session=s,
                    case_id=case_id,
                    field_key=key,
                    data=field_data,
                    expected_version=v,
                    rulebook=rulebook,
                    actor_id=actor,
                )
            elif section == MEDICAL:
                medical = MedicalStatementInput(
                    requested_on=parse_user_date(values[0], field="field.lae265_requested"),
                    received_on=parse_user_date(values[1], field="field.lae265_received"),
                    **dict(zip(LAE_PARTS, values[2:], strict=True)),
                )
                call = lambda s, v: prep.save_medical_statement(  # noqa: E731
                    session=s,
                    case_id=case_id,
                    data=medical,
                    expected_version=v,
                    rulebook=rulebook,
                    actor_id=actor,
                )
            else:
                wishes = MeetingWishesInput(bisidder_wish=values[0], meeting_needs=values[1])
                call = lambda s, v: prep.save_wishes(  # noqa: E731
                    session=s,
                    case_id=case_id,
                    data=wishes,
                    expected_version=v,
                    rulebook=rulebook,
                    actor_id=actor,
                )
        except (ValidationError, ValueError) as exc:
            self._show_error(error_id, _message(exc))
            self._state(t("prep.not_saved", section=self._section_label(section)))
            return False
        self._start_save(section, values, call)
        return True

    def _start_save(
        self, section: str, values: tuple[Any, ...], call: Callable[[Session, int], PreparationRead]
    ) -> None:
        self._pending += 1
        self._state(t("prep.saving"))
        self.run_worker(
            partial(self._save_in_thread, section, values, call),
            thread=True,
            group="prep-save",
            exit_on_error=False,
        )

    def _save_in_thread(
        self, section: str, values: tuple[Any, ...], call: Callable[[Session, int], PreparationRead]
    ) -> None:
        from rehabteam.db import session_scope

        engine = self.ctx.engine
        assert engine is not None
        outcome: PreparationRead | UserError
        with self._lock:
            expected = self._versions.get(section, 0)
            try:
                with session_scope(engine, write=True) as session:
                    outcome = call(session, expected)
            except StaleEdit as exc:
                if "version" in exc.theirs:  # the next save is a deliberate merge
                    self._versions[section] = int(exc.theirs["version"])
                outcome = exc
            except UserError as exc:
                outcome = exc
            else:
                self._versions[section] = _version_of(outcome, section)
                if section != DOCUMENTS:
                    self._saved[section] = values
        self.app.call_from_thread(self._save_done, section, outcome)

    def _save_done(self, section: str, outcome: PreparationRead | UserError) -> None:
        self._pending -= 1
        error_id = f"err-{section.removeprefix('field:')}"
        if isinstance(outcome, UserError):
            self._close_when_saved = False
            message = str(outcome)
            if isinstance(outcome, StaleEdit) and outcome.theirs:
                message += "\n" + t(
                    "prep.their_version",
                    citizen=clean_text(outcome.theirs.get("citizen_text", "")),
                    caseworker=clean_text(outcome.theirs.get("caseworker_text", "")),
                )
            self._show_error(error_id, message)
            self._state(t("prep.not_saved", section=self._section_label(section)))
            return
        self.query_one(f"#{error_id}", Static).update("")
        self.read = outcome
        self._show_status(outcome)
        if self._pending == 0:
            dirty = self.dirty_sections()
            self._state(t("prep.all_saved") if not dirty else t("prep.unsaved_count", n=len(dirty)))
            if self._close_when_saved and not dirty:
                self.dismiss()

    def _show_error(self, error_id: str, message: str) -> None:
        self.query_one(f"#{error_id}", Static).update(message)

    # --- actions --------------------------------------------------------------------------

    def action_save_all(self) -> None:
        dirty = self.dirty_sections()
        if not dirty:
            self._state(t("prep.all_saved"))
            if self._close_when_saved:
                self.dismiss()
            return
        if not all([self.save_section(s) for s in dirty]):
            self._close_when_saved = False

    def action_reload(self) -> None:
        if self.dirty_sections():
            self.notify(t("prep.reload_unsaved"), severity="warning")
            return
        self.load()

    def action_close(self) -> None:
        dirty = self.dirty_sections()
        if not dirty and self._pending == 0:
            self.dismiss()
            return
        if not dirty:
            self._close_when_saved = True  # a save is under way; close when it lands
            return
        from rehabteam.screens.dialogs.unsaved import Choice, UnsavedChangesDialog

        def chosen(choice: Choice | None) -> None:
            if choice == "discard":
                self.dismiss()
            elif choice == "save":
                self._close_when_saved = True
                self.action_save_all()

        self.app.push_screen(UnsavedChangesDialog([self._section_label(s) for s in dirty]), chosen)

    def palette_commands(self) -> list[object]:
        from textual.app import SystemCommand

        return [
            SystemCommand(t("binding.save"), t("command.save_preparation"), self.action_save_all),
            SystemCommand(t("binding.reload"), t("command.reload"), self.action_reload),
            SystemCommand(t("binding.back"), t("command.close"), self.action_close),
        ]


def _day(value: Any) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _version_of(read: PreparationRead, section: str) -> int:
    if section.startswith("field:"):
        key = section.removeprefix("field:")
        return next(f.version for f in read.fields if f.key == key)
    if section == MEDICAL:
        return read.medical.version
    if section == WISHES:
        return read.case_version
    return 0


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return str(exc)


def label_kind(kind: str) -> str:
    from rehabteam.models.enums import MedicalStatementKind

    return label(MedicalStatementKind(kind))
