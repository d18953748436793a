"""Dialog: create a case for a citizen. The rule set is proposed from the referral date and
only the case types it allows are offered; another rule set needs a reason. The case belongs
to a team (the sagsbehandler's, by default), or that team could never see or book it.
Closes with the created case; a refusal keeps everything typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from rehabteam import clock
from rehabteam.i18n import label, t
from rehabteam.models.enums import StaffRole
from rehabteam.models.inputs import CaseCreate, parse_user_date
from rehabteam.models.read import CaseRead, CitizenRead, StaffRead, TeamRead
from rehabteam.rules import RuleBook
from rehabteam.screens.context import AppContext
from rehabteam.screens.dialogs.submit import Submitting
from rehabteam.widgets.inputs import TextInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer

Submit = Callable[["Session", "Viewer", CaseCreate], CaseRead]


class NewCaseDialog(Submitting, ModalScreen[CaseRead | None]):
    CSS_PATH = "new_case.tcss"
    BINDINGS = [
        Binding("escape", "cancel", t("binding.cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "save", t("binding.save"), id="dialog.save"),
    ]

    def __init__(self, citizen: CitizenRead, submit: Submit) -> None:
        super().__init__()
        self.citizen, self.submit = citizen, submit
        self.teams: list[TeamRead] = []

    @property
    def rulebook(self) -> RuleBook:
        return cast(AppContext, self.app).rulebook

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(
                t("case.dialog.title", name=self.citizen.name),
                classes="section-title",
                markup=False,
            )
            yield Label(t("field.referral_date"), markup=False)
            yield TextInput(
                value=f"{clock.today():%d.%m.%Y}", id="referral_date", placeholder="dd.mm.åååå"
            )
            yield Static("", id="referral_date-error", classes="field-error", markup=False)
            yield Label(t("case.dialog.rule_set"), markup=False)
            yield Select[str](
                [(f"{rs.name} ({rs.key})", rs.key) for rs in self.rulebook.all()],
                id="rule_set",
                allow_blank=False,
            )
            yield Static("", id="rule_set-hint", classes="hint", markup=False)
            yield Label(t("field.override_reason"), id="reason-label", markup=False)
            yield TextInput(id="rule_set_override_reason", max_length=2000)
            yield Static(
                "", id="rule_set_override_reason-error", classes="field-error", markup=False
            )
            yield Label(t("case.dialog.case_type"), markup=False)
            yield Select[str]([], id="case_type", allow_blank=True, prompt=t("case.dialog.choose"))
            yield Static("", id="case_type-error", classes="field-error", markup=False)
            yield Label(t("case.dialog.sagsbehandler"), markup=False)
            yield Select[int](
                [], id="sagsbehandler", allow_blank=True, prompt=t("case.dialog.choose")
            )
            yield Label(t("case.dialog.team"), markup=False)
            yield Select[int]([], id="team", allow_blank=True, prompt=t("case.dialog.choose"))
            yield Static("", id="team-error", classes="field-error", markup=False)
            yield Checkbox(
                t("case.dialog.without_education"),
                value=self.citizen.has_vocational_education is False,
                id="without_education",
            )
            yield Static("", id="dialog-error", classes="field-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(t("case.dialog.save"), id="save", variant="primary")
                yield Button(t("citizen.dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self._referral_changed()
        self.load_staff()
        self.query_one("#referral_date", Input).focus()

    def load_staff(self) -> None:
        from rehabteam.services.staff import list_staff, list_teams

        def fetch(session: Session, _viewer: Viewer) -> tuple[list[StaffRead], list[TeamRead]]:
            staff = list_staff(session=session, role=StaffRole.SAGSBEHANDLER)
            return staff, list_teams(session=session)

        def show(loaded: tuple[list[StaffRead], list[TeamRead]]) -> None:
            staff, self.teams = loaded
            self.query_one("#team", Select).set_options([(tm.name, tm.id) for tm in self.teams])
            select = self.query_one("#sagsbehandler", Select)
            select.set_options([(f"{s.name} ({s.initials})", s.id) for s in staff])
            me = self.ctx.viewer.staff_id if self.ctx.viewer else None
            if me in {s.id for s in staff}:
                select.value = me
            self._sagsbehandler_changed()

        self.call_service(fetch, show, group="new-case-staff")

    @on(Select.Changed, "#sagsbehandler")
    def _sagsbehandler_changed(self) -> None:
        """The team follows the sagsbehandler (theirs, else mine, else the only team) until
        one is chosen by hand; when that is not one team, the choice is left to the user."""
        chosen = self.query_one("#sagsbehandler", Select).value
        me = self.ctx.viewer.staff_id if self.ctx.viewer else None

        def teams_of(staff_id: object) -> list[int]:
            return [tm.id for tm in self.teams if staff_id in {sid for sid, _ in tm.members}]

        candidates = teams_of(chosen) or teams_of(me) or [tm.id for tm in self.teams]
        if len(candidates) == 1:
            self.query_one("#team", Select).value = candidates[0]

    def _referral(self) -> date | None:
        try:
            return parse_user_date(
                self.query_one("#referral_date", Input).value, field="field.referral_date"
            )
        except ValueError:
            return None

    @on(Input.Changed, "#referral_date")
    def _referral_changed(self) -> None:
        referral = self._referral()
        if referral is None:
            return
        proposed = self.rulebook.for_date(referral)
        self.query_one("#rule_set", Select).value = proposed.key
        self._rule_set_changed()

    @on(Select.Changed, "#rule_set")
    def _rule_set_changed(self) -> None:
        referral = self._referral()
        chosen = self.query_one("#rule_set", Select).value
        if referral is None or not isinstance(chosen, str):
            return
        proposed = self.rulebook.for_date(referral)
        rule_set = self.rulebook.get(chosen)
        overridden = rule_set.key != proposed.key
        for widget_id in ("#reason-label", "#rule_set_override_reason"):
            self.query_one(widget_id).display = overridden
        hint = (
            t("case.dialog.override_hint", proposed=proposed.name)
            if overridden
            else t("case.dialog.proposed_hint")
        )
        self.query_one("#rule_set-hint", Static).update(hint)
        case_type = self.query_one("#case_type", Select)
        previous = case_type.value
        options = [(label(ct), ct.value) for ct in rule_set.case_types]
        case_type.set_options(options)
        if previous in {value for _, value in options}:
            case_type.value = previous

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.cancel()

    def action_save(self) -> None:
        self.clear_errors()
        try:
            referral = parse_user_date(
                self.query_one("#referral_date", Input).value, field="field.referral_date"
            )
        except ValueError as exc:
            self._error("referral_date", str(exc))
            return
        if referral is None:
            self._error("referral_date", t("input.required", field=t("field.referral_date")))
            return
        case_type = self.query_one("#case_type", Select).value
        if not isinstance(case_type, str):
            self._error("case_type", t("input.required", field=t("case.dialog.case_type")))
            return
        rule_set = self.query_one("#rule_set", Select).value
        proposed = self.rulebook.for_date(referral).key
        reason = self.query_one("#rule_set_override_reason", Input).value
        if rule_set != proposed and not reason.strip():
            self._error("rule_set_override_reason", t("case.override_needs_reason"))
            return
        sagsbehandler = self.query_one("#sagsbehandler", Select).value
        team = self.query_one("#team", Select).value
        if self.teams and not isinstance(team, int):
            self._error("team", t("input.required", field=t("case.dialog.team")))
            return
        values: dict[str, Any] = {
            "citizen_id": self.citizen.id,
            "case_type": case_type,
            "referral_date": referral,
            "rule_set": rule_set if rule_set != proposed else None,
            "rule_set_override_reason": reason if rule_set != proposed else "",
            "sagsbehandler_id": sagsbehandler if isinstance(sagsbehandler, int) else None,
            "team_id": team if isinstance(team, int) else None,
            "without_vocational_education": self.query_one("#without_education", Checkbox).value,
        }
        try:
            data = CaseCreate(**values)
        except ValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else "case_type"
                target = (
                    field if field in ("referral_date", "rule_set_override_reason") else "case_type"
                )
                self._error(target, str(error["msg"]).removeprefix("Value error, "))
            return
        submit = self.submit
        self.submit_to(lambda s, v: submit(s, v, data))

    def _error(self, field: str, message: str) -> None:
        self.show_error(message, field)
