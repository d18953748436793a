"""The case being handled in a meeting: a panel per discipline beside the case material,
and the indstilling draft beside what still blocks its approval. Every field is saved on
leaving it (FormScreen); what another workstation saves appears in the fields the user is not
typing in. Approval sends what the chair sees: if the stored draft differs, it is refused.

The meeting room (screens.meeting_room) is this and the meeting around it: the agenda, its
status, who came, which case is next.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from pydantic import BaseModel
from textual.widgets import Checkbox, Static, TabbedContent

from rehabteam import clock
from rehabteam.errors import RuleViolation, UserError, refusal_text
from rehabteam.i18n import t
from rehabteam.models.inputs import AssessmentInput, IndstillingInput
from rehabteam.models.read import AgendaItemRead, RoomCaseRead, Saved
from rehabteam.screens.autosave import FormScreen, SaveCall
from rehabteam.widgets.fieldform import FieldForm
from rehabteam.widgets.forms import DisciplinePanel
from rehabteam.widgets.indstilling_form import IndstillingForm
from rehabteam.widgets.room_panes import CasePane, IndstillingPane

TYPING_PAUSE = 1.5  # seconds without a key before the room follows a move made elsewhere
FOLLOW_CHECK = 0.3  # seconds between looks at whether the user has paused


class RoomCaseScreen(FormScreen):
    """Subclasses compose a CasePane, an IndstillingPane, a `#citizen-came` checkbox, the
    `#tabs` and a `#save-state` line; they show a tab (`action_tab`), the slot's clock
    (`_tick`) and move on to the next case (`action_next_case`)."""

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.case: RoomCaseRead | None = None
        self.current_item: int | None = None
        self.opening: int | None = None  # the agenda item being opened (not yet shown)
        self._case_started = clock.monotonic()
        # Cases asked to be opened here, and how many of those had been opened (or refused)
        # when the latest opening came back: a read of the meeting begun in between may hold
        # the current case from before it.
        self.opens_asked = self.opens_landed = 0
        # Moved on elsewhere: (the item on screen, the next), shown once the user pauses.
        self._following: tuple[int, AgendaItemRead] | None = None
        self.followed_at = 0.0  # when the case followed to (moved on elsewhere) was shown
        self._followed = False  # the case being opened is one followed to
        self._case_shown_at = 0.0  # when the case on screen was shown

    def action_tab(self, tab: str) -> None:
        raise NotImplementedError

    def action_next_case(self) -> None:
        raise NotImplementedError

    def _tick(self) -> None:
        raise NotImplementedError

    def case_elapsed(self) -> float:
        """Seconds since the meeting began handling the case: from the stored moment, so
        every workstation shows the same; from opening it here if none is stored (a viewer
        who does not run the meeting, before anyone who does has opened it)."""
        started = self.case.item.handling_started_at if self.case else None
        if started is None:
            return clock.monotonic() - self._case_started
        return max(0.0, (clock.now() - started).total_seconds())

    def leave_case(self) -> None:
        """The case on screen is left for another (being opened): its fields go at once, so
        that nothing is typed into a form about to be replaced. (Everything typed in it was
        saved before: the actions that move on wait for that.)"""
        self.case = None
        self.query_one(CasePane).clear()
        self.query_one(IndstillingPane).clear()
        self.show_state(t("room.opening_case"))

    def open_case(self, item: AgendaItemRead, *, refresh: bool = False) -> None:
        from rehabteam.services.meeting_room import open_case

        rulebook, guidelines = self.ctx.rulebook, self.ctx.settings.caseload_guidelines()
        if not refresh and self.case is not None and self.case.item.id != item.id:
            self.leave_case()
        if not refresh:
            self.current_item = self.opening = item.id
            self._case_started = clock.monotonic()
            self.opens_asked += 1
        meeting_id, asked = self.meeting_id, self.opens_asked

        async def opened(case: RoomCaseRead) -> None:
            self.opens_landed = max(self.opens_landed, asked)
            await self._build_case(case)

        def not_opened(exc: UserError) -> None:
            self.opens_landed = max(self.opens_landed, asked)
            if self.opening == item.id:
                self.opening = None  # the next read of the agenda tries again
            self._show_error(exc)
            self._release_keys()

        self.call_service(
            lambda s, v: open_case(
                session=s,
                meeting_id=meeting_id,
                item_id=item.id,
                rulebook=rulebook,
                guidelines=guidelines,
                viewer=v,
                refresh=refresh,
            ),
            self.quietly(self._refresh_case) if refresh else opened,
            write=not refresh,
            group="room-refresh" if refresh else "room-case",
            on_error=None if refresh else not_opened,
        )

    def _follow(self, current: AgendaItemRead) -> None:
        """The team moved on at another workstation. The case stays on screen while the user
        is typing in it (a sentence is never cut in two, half of it dropped), then what was
        typed is saved to it, and only then does the next case come."""
        assert self.case is not None
        checking = self._following is not None
        self._following = (self.case.item.id, current)  # the latest word on what is next
        if not checking:
            self._follow_when_quiet()

    def _follow_when_quiet(self) -> None:
        if self._following is None:
            return
        left, current = self._following
        if self.case is None or self.case.item.id != left:  # the user moved on meanwhile
            self._following = None
            return
        number = self.case.item.case_number
        hold = getattr(self.app, "key_hold", None)
        typing = monotonic() - self.last_typed < TYPING_PAUSE or (hold and not hold.idle)
        if any(f.waiting for f in self.forms()):
            self.show_state(t("room.follow_decide", number=number))
        elif typing or self._pending:
            self.show_state(t("room.follow_typing", number=number))
        elif self.dirty_forms():
            invalid = [f for f in self.dirty_forms() if not self.save_form(f)]
            self.show_state(
                t("room.follow_invalid" if invalid else "room.follow_typing", number=number)
            )
        else:  # everything typed is saved to its case: keys from here on are for the next
            self._following = None
            if hold is not None:
                hold.hold()
            typed = self.last_typed > self._case_shown_at
            self.notify(
                t(
                    "room.moved_on_elsewhere_typed" if typed else "room.moved_on_elsewhere",
                    number=number,
                    next=current.case_number,
                    name=current.citizen_name,
                ),
                severity="warning",
                timeout=10,
            )
            self._followed = True
            self.open_case(current)
            return
        self.set_timer(FOLLOW_CHECK, self._follow_when_quiet)

    async def _build_case(
        self, case: RoomCaseRead, kept: dict[str, dict[str, Any]] | None = None
    ) -> None:
        """Show `case`; `kept`: the unsaved values of the same case's forms, by section and
        field, when it is shown again (approved elsewhere): typed on where the form is still
        open, shown as not saved beside a locked one."""
        if self.opening not in (None, case.item.id):
            return  # another case was asked for meanwhile; it is shown when it comes
        self.opening = None
        if self.case is None or self.case.item.id != case.item.id:
            self._case_shown_at = monotonic()
            if self._followed:
                self._followed, self.followed_at = False, self._case_shown_at
        self.case = case
        settings = self.ctx.settings
        typing_in = self.focused.id if self.focused is not None else None
        await self.query_one(CasePane).load(case)
        await self.query_one(IndstillingPane).load(
            case, (settings.caseload_min, settings.caseload_max)
        )
        came = self.query_one("#citizen-came", Checkbox)
        with came.prevent(Checkbox.Changed):
            came.value = case.item.citizen_present is True
        locked = case.indstilling.locked
        self.show_state(t("prep.all_saved") if not locked else t("indstilling.locked"))
        self._tick()
        if kept:
            self._keep_unsaved(kept, case)
            again = self.query(f"#{typing_in}") if typing_in else None
            if again and again.first().focusable:
                self.set_focus(again.first())  # the cursor stays in the field typed in
        else:
            self.action_tab(self.query_one("#tabs", TabbedContent).active or "tab-case")
        self._release_keys()  # keys typed while it opened now reach its fields

    def _keep_unsaved(self, kept: dict[str, dict[str, Any]], case: RoomCaseRead) -> None:
        lost = 0
        for form in self.forms():
            values = kept.get(form.section)
            if not values:
                continue
            if form.read_only:
                form.show_not_saved(values)
                lost += len(values)
            else:
                form.fill(values)  # unsaved again: saved when the field is left
        if lost:
            self.notify(
                t("room.locked_while_typing", by=case.indstilling.approved_by or "-", n=lost),
                severity="warning",
                timeout=15,
            )

    def _refresh_case(self, case: RoomCaseRead) -> None:
        if self.case is None or case.item.id != self.case.item.id:
            return
        old = self.case.indstilling
        if case.indstilling.id != old.id or case.indstilling.locked != old.locked:
            # Approved (or a new version) elsewhere: built again, with what was typed here.
            kept = {f.section: {n: f.values()[n] for n in f.changed()} for f in self.dirty_forms()}
            self.run_worker(self._build_case(case, kept))
            return
        self.case = case
        self.query_one(CasePane).remote(case)
        self.query_one(IndstillingPane).remote(case)

    def show_state(self, text: str) -> None:
        self.query_one("#save-state", Static).update(text)

    def section_label(self, form: FieldForm) -> str:
        if isinstance(form, DisciplinePanel):
            return t(f"Discipline.{form.discipline}")
        return t("room.tab_indstilling")

    def save_call(self, form: FieldForm, data: BaseModel, base: dict[str, Any]) -> SaveCall:
        from rehabteam.services.assessments import save_assessment
        from rehabteam.services.meeting_room import save_room_draft

        # To the record the form was loaded from, not the case on screen now: the other
        # workstation may have moved on meanwhile (the room was cleared, or shows the next).
        meeting_id, rulebook = self.meeting_id, self.ctx.rulebook
        if isinstance(form, DisciplinePanel):
            assert isinstance(data, AssessmentInput)
            case_id, discipline = form.case_id, form.discipline
            return lambda s, v: save_assessment(
                session=s,
                case_id=case_id,
                meeting_id=meeting_id,
                discipline=discipline,
                data=data,
                base=base,
                viewer=v,
            )
        assert isinstance(data, IndstillingInput) and isinstance(form, IndstillingForm)
        draft_id = form.read.id
        return lambda s, v: save_room_draft(
            session=s, indstilling_id=draft_id, data=data, base=base, rulebook=rulebook, viewer=v
        )

    def after_save(self, form: FieldForm, outcome: Saved[Any]) -> None:
        saved = outcome.read
        if (
            isinstance(form, IndstillingForm)
            and self.case is not None
            and saved.indstilling.id == self.case.indstilling.id  # not the case left meanwhile
        ):
            self.case = self.case.model_copy(update={"indstilling": saved.indstilling})
            pane = self.query_one(IndstillingPane)
            pane.show_approval(self.case, saved.problems, saved.warnings)

    def action_propose(self) -> None:
        """Fill empty intervention fields from the disciplines' recommendations."""
        from rehabteam.services.indstilling import proposed_interventions

        form = self.query_one(IndstillingPane).form
        if self.case is None or form is None or form.read_only:
            return
        case_id, meeting_id = self.case.item.case_id, self.meeting_id

        def fill(proposals: list[Any]) -> None:
            form.propose(proposals)
            self.action_tab("tab-indstilling")
            self.save_form(form)

        self.call_service(
            lambda s, v: proposed_interventions(
                session=s, case_id=case_id, meeting_id=meeting_id, viewer=v
            ),
            fill,
            group="room-propose",
        )

    def action_approve(self) -> None:
        self.after_typing(lambda: self.when_saved(self.approve))

    def approve(self) -> None:
        """Approve the draft as it is on this screen (everything typed is saved first)."""
        from rehabteam.services.approval import approve

        pane = self.query_one(IndstillingPane)
        if self.case is None or pane.form is None:
            return
        draft_id, rulebook, seen = self.case.indstilling.id, self.ctx.rulebook, pane.form.values()

        def refused(exc: UserError) -> None:
            # The cursor stays where it is: the user may be typing on, and a jump to the
            # Indstilling tab sent those keys to its Type choice. The toast lists it all.
            text = refusal_text(exc)
            if isinstance(exc, RuleViolation):
                pane.show_approval(self.case, tuple(exc.problems), ())
                if self.query_one("#tabs", TabbedContent).active != "tab-indstilling":
                    text += "\n" + t("room.refused_see")
            self.app.notify(text, severity="error", timeout=12)
            self.reload_quietly()

        def approved(_read: object) -> None:
            self.notify(t("room.approved_note"))
            if self.case is not None:  # shown again, locked; the case's clock runs on
                self.open_case(self.case.item, refresh=True)

        self.call_service(
            lambda s, v: approve(
                session=s, indstilling_id=draft_id, rulebook=rulebook, viewer=v, seen=seen
            ),
            approved,
            write=True,
            group="room-approve",
            on_error=refused,
        )
