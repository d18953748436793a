"""One course (forløb): its interventions with provider, dates, status and outcome, the dated
notes and follow-up conversations, and the actions that keep it moving or send it back to
the team."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

if TYPE_CHECKING:
    from sqlmodel import Session

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.enums import InterventionArea, InterventionStatus, NoteKind
from rehabteam.models.read import CourseInterventionRead, ForloebRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.screens.dialogs.form import FormDialog, FormField, Values
from rehabteam.screens.follow_up import day, flags
from rehabteam.widgets.dates import date_text
from rehabteam.widgets.safe import safe_cell
from rehabteam.widgets.tables import refill, selected_key


def span(start: date | None, end: date | None) -> str:
    """`01.02.2026 – 30.04.2026`, `01.02.2026 –` while open, `–` when nothing is known."""
    if start is None and end is None:
        return "–"
    return f"{day(start) if start else '?'} – {day(end) if end else ''}".rstrip()


def _date(values: Values, key: str, field: str, *, allow_future: bool = True) -> date | None:
    from rehabteam.models.inputs import parse_user_date

    return parse_user_date(str(values[key]), field=field, allow_future=allow_future)


def _required_date(values: Values, key: str, field: str) -> date:
    found = _date(values, key, field, allow_future=False)
    if found is None:
        raise ValueError(t("input.required", field=t(field)))
    return found


Submit = Callable[["Session", "Viewer", Any], object]


def intervention_form(item: CourseInterventionRead | None, submit: Submit) -> FormDialog[object]:
    from rehabteam.models.inputs import CourseInterventionInput

    def build(values: Values) -> CourseInterventionInput:
        return CourseInterventionInput(
            area=InterventionArea(str(values["area"])),
            indhold=str(values["indhold"]),
            provider=str(values["provider"]),
            in_indsatsdel=bool(values["in_indsatsdel"]),
            planned_start=_date(values, "planned_start", "field.planned_start"),
            planned_end=_date(values, "planned_end", "field.planned_end"),
            actual_start=_date(values, "actual_start", "field.actual_start"),
            actual_end=_date(values, "actual_end", "field.actual_end"),
            status=InterventionStatus(str(values["status"])),
            outcome=str(values["outcome"]),
        )

    return FormDialog(
        t("intervention.title_edit") if item else t("intervention.title_new"),
        [
            FormField(
                "area",
                t("field.area"),
                "select",
                item.area if item else InterventionArea.BESKAEFTIGELSE.value,
                [(t(f"InterventionArea.{a.value}"), a.value) for a in InterventionArea],
            ),
            FormField("indhold", t("field.intervention"), "line", item.indhold if item else ""),
            FormField("provider", t("field.provider"), "line", item.provider if item else ""),
            FormField(
                "status",
                t("field.status"),
                "select",
                item.status if item else InterventionStatus.PLANLAGT.value,
                [(t(f"InterventionStatus.{s.value}"), s.value) for s in InterventionStatus],
            ),
            FormField(
                "planned_start",
                t("field.planned_start"),
                "date",
                date_text(item.planned_start) if item else "",
            ),
            FormField(
                "planned_end",
                t("field.planned_end"),
                "date",
                date_text(item.planned_end) if item else "",
            ),
            FormField(
                "actual_start",
                t("field.actual_start"),
                "date",
                date_text(item.actual_start) if item else "",
            ),
            FormField(
                "actual_end",
                t("field.actual_end"),
                "date",
                date_text(item.actual_end) if item else "",
            ),
            FormField("outcome", t("field.outcome"), "text", item.outcome if item else ""),
            FormField(
                "in_indsatsdel",
                t("field.in_indsatsdel"),
                "check",
                item.in_indsatsdel if item else True,
            ),
        ],
        build,
        submit,
    )


def note_form(
    kind: NoteKind, item: CourseInterventionRead | None, submit: Submit
) -> FormDialog[object]:
    from rehabteam.models.inputs import NoteInput

    def build(values: Values) -> NoteInput:
        return NoteInput(
            kind=kind,
            noted_on=_required_date(values, "noted_on", "field.noted_on"),
            text=str(values["text"]),
            intervention_id=item.id if item and kind is NoteKind.FREMDRIFT else None,
            next_follow_up_on=_date(values, "next", "field.next_follow_up")
            if kind is NoteKind.SAMTALE
            else None,
        )

    fields = [
        FormField("noted_on", t("field.noted_on"), "date", date_text(clock.today())),
        FormField("text", t("field.note"), "text"),
    ]
    if kind is NoteKind.SAMTALE:
        fields.append(FormField("next", t("field.next_follow_up"), "date"))
    title = t(f"NoteKind.{kind.value}")
    if item is not None and kind is NoteKind.FREMDRIFT:
        title = f"{title} – {item.indhold}"
    return FormDialog(title, fields, build, submit)


class ForloebScreen(ServiceScreen):
    CSS_PATH = "forloeb.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="forloeb.back"),
        Binding("i", "new_intervention", t("binding.new_intervention"), id="forloeb.new"),
        Binding("e", "edit_intervention", t("binding.edit_intervention"), id="forloeb.edit"),
        Binding("n", "note", t("binding.note"), id="forloeb.note"),
        Binding("s", "conversation", t("binding.conversation"), id="forloeb.conversation"),
        Binding("g", "reassess", t("binding.reassess"), id="forloeb.reassess"),
        Binding("x", "end", t("binding.end_forloeb"), id="forloeb.end"),
        Binding("f", "exemption", t("binding.exemption"), id="forloeb.exemption"),
        Binding("v", "waive", t("binding.waive_six_month"), id="forloeb.waive"),
    ]

    def __init__(self, forloeb_id: int) -> None:
        super().__init__()
        self.forloeb_id = forloeb_id
        self.detail: ForloebRead | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("home.loading"), id="title", classes="section-title", markup=False)
        yield Static("", id="summary", markup=False)
        yield Static("", id="flags", markup=False)
        yield Label(t("forloeb.interventions"), classes="section-title", markup=False)
        yield DataTable(id="interventions", cursor_type="row", zebra_stripes=True)
        yield Label(t("forloeb.notes"), classes="section-title", markup=False)
        yield DataTable(id="notes", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#interventions", DataTable)
        for key in ("area", "intervention", "provider", "planned", "actual", "status"):
            table.add_column(t(f"forloeb.col.{key}"), key=key)
        notes = self.query_one("#notes", DataTable)
        for key in ("date", "kind", "text", "author"):
            notes.add_column(t(f"forloeb.col.{key}"), key=key)
        table.focus()
        self.load()

    def load(self) -> None:
        from rehabteam.services.followup import get_forloeb

        forloeb_id, rulebook = self.forloeb_id, self.ctx.rulebook
        self.call_service(
            lambda s, v: get_forloeb(session=s, forloeb_id=forloeb_id, rulebook=rulebook, viewer=v),
            self._show,
            write=True,  # the read is written to the audit trail
            group="forloeb-load",
        )

    def _show(self, detail: ForloebRead) -> None:
        self.detail = detail
        row = detail.row
        self.query_one("#title", Static).update(
            t("forloeb.title", number=row.case_number, name=row.citizen_name, cpr=row.cpr_masked)
        )
        summary = t(
            "forloeb.summary",
            kind=t(f"IndstillingType.{row.kind}"),
            start=day(row.start_on),
            end=day(row.planned_end_on),
            coordinator=row.coordinator or "–",
            rule_set=detail.rule_set,
        )
        lines = [summary]
        if detail.six_month_waived_reason:
            lines.append(
                t(
                    "forloeb.six_month_waived",
                    reason=" ".join(detail.six_month_waived_reason.split()),
                    by=detail.six_month_waived_by or "–",
                    on=day(detail.six_month_waived_on) if detail.six_month_waived_on else "–",
                )
            )
        elif row.six_month_deadline:
            lines.append(t("forloeb.six_month_line", deadline=day(row.six_month_deadline)))
        for period in detail.exemptions:
            lines.append(
                t(
                    "forloeb.exemption_line",
                    span=span(period.from_on, period.to_on),
                    reason=" ".join(period.reason.split()),
                )
            )
        if detail.goal:
            lines.append(t("forloeb.goal", goal=detail.goal))
        self.query_one("#summary", Static).update("\n".join(lines))
        flagged = self.query_one("#flags", Static)
        flagged.update(flags(row))
        flagged.display = bool(flags(row))
        refill(
            self.query_one("#interventions", DataTable),
            (
                (
                    str(item.id),
                    [
                        safe_cell(t(f"InterventionArea.{item.area}")),
                        safe_cell(item.indhold if item.in_indsatsdel else f"{item.indhold} *"),
                        safe_cell(item.provider),
                        safe_cell(span(item.planned_start, item.planned_end)),
                        safe_cell(span(item.actual_start, item.actual_end)),
                        safe_cell(t(f"InterventionStatus.{item.status}")),
                    ],
                )
                for item in detail.interventions
            ),
        )
        refill(
            self.query_one("#notes", DataTable),
            (
                (
                    str(note.id),
                    [
                        safe_cell(day(note.noted_on)),
                        safe_cell(t(f"NoteKind.{note.kind}")),
                        safe_cell(" ".join(note.text.split())),
                        safe_cell(note.author or ""),
                    ],
                )
                for note in detail.notes
            ),
            empty=[safe_cell(t("forloeb.no_notes")), *[safe_cell("")] * 3],
        )

    def _current(self) -> CourseInterventionRead | None:
        if self.detail is None:
            return None
        key = selected_key(self.query_one("#interventions", DataTable))
        return next((i for i in self.detail.interventions if str(i.id) == key), None)

    # --- actions ---------------------------------------------------------------------------

    def _form_then(self, form: FormDialog[object], done: Callable[[], None]) -> None:
        """Show `form`, which saves what it is given; `done` once it has."""
        self.app.push_screen(form, lambda saved: None if saved is None else done())

    def _done(self, message: str) -> None:
        self.notify(message)
        self.load()

    def _save_intervention(self, item: CourseInterventionRead | None) -> None:
        from rehabteam.services.followup import save_intervention

        forloeb_id = self.forloeb_id
        self._form_then(
            intervention_form(
                item,
                lambda s, v, data: save_intervention(
                    session=s,
                    forloeb_id=forloeb_id,
                    data=data,
                    intervention_id=item.id if item else None,
                    expected_version=item.version if item else 0,
                    viewer=v,
                ),
            ),
            lambda: self._done(t("intervention.saved")),
        )

    def action_new_intervention(self) -> None:
        if self.detail is not None:
            self._save_intervention(None)

    @on(DataTable.RowSelected, "#interventions")
    def action_edit_intervention(self) -> None:
        item = self._current()
        if item is not None:
            self._save_intervention(item)

    def _note(self, kind: NoteKind) -> None:
        from rehabteam.services.followup import add_note

        if self.detail is None:
            return
        forloeb_id = self.forloeb_id
        self._form_then(
            note_form(
                kind,
                self._current(),
                lambda s, v, data: add_note(session=s, forloeb_id=forloeb_id, data=data, viewer=v),
            ),
            lambda: self._done(t("note.saved")),
        )

    def action_note(self) -> None:
        self._note(NoteKind.FREMDRIFT)

    def action_conversation(self) -> None:
        self._note(NoteKind.SAMTALE)

    def action_reassess(self) -> None:
        from rehabteam.screens.dialogs.prompts import ConfirmPrompt
        from rehabteam.services.followup import create_reassessment

        forloeb_id, rulebook = self.forloeb_id, self.ctx.rulebook

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            self.call_service(
                lambda s, v: create_reassessment(
                    session=s, forloeb_id=forloeb_id, rulebook=rulebook, viewer=v
                ),
                lambda case: self._done(
                    t(
                        "reassessment.created",
                        number=case.case_number,
                        type=t(f"CaseType.{case.case_type}"),
                    )
                ),
                write=True,
                group="forloeb-reassess",
            )

        self.app.push_screen(ConfirmPrompt(t("reassessment.confirm")), confirmed)

    def action_end(self) -> None:
        from rehabteam.services.followup import end_forloeb

        forloeb_id = self.forloeb_id
        form: FormDialog[object] = FormDialog(
            t("binding.end_forloeb"),
            [FormField("ended_on", t("field.ended_on"), "date", date_text(clock.today()))],
            lambda values: _required_date(values, "ended_on", "field.ended_on"),
            lambda s, v, ended: end_forloeb(
                session=s, forloeb_id=forloeb_id, ended_on=ended, viewer=v
            ),
        )
        self._form_then(form, self._ended)

    def action_exemption(self) -> None:
        """Record a period of fritagelse; with one still open, close (or correct) it."""
        from rehabteam.models.law_inputs import ExemptionInput
        from rehabteam.services.six_month import save_exemption

        if self.detail is None:
            return
        open_one = next((e for e in self.detail.exemptions if e.to_on is None), None)
        forloeb_id = self.forloeb_id

        def build(values: Values) -> ExemptionInput:
            start = _date(values, "from_on", "field.exemption_from")
            if start is None:
                raise ValueError(t("input.required", field=t("field.exemption_from")))
            return ExemptionInput(
                from_on=start,
                to_on=_date(values, "to_on", "field.exemption_to"),
                reason=str(values["reason"]),
            )

        form: FormDialog[object] = FormDialog(
            t("binding.exemption"),
            [
                FormField(
                    "from_on",
                    t("field.exemption_from"),
                    "date",
                    date_text(open_one.from_on if open_one else clock.today()),
                ),
                FormField("to_on", t("field.exemption_to"), "date"),
                FormField(
                    "reason",
                    t("field.exemption_reason"),
                    "text",
                    open_one.reason if open_one else "",
                ),
            ],
            build,
            lambda s, v, data: save_exemption(
                session=s,
                forloeb_id=forloeb_id,
                data=data,
                exemption_id=open_one.id if open_one else None,
                expected_version=open_one.version if open_one else 0,
                viewer=v,
            ),
        )
        self._form_then(form, lambda: self._done(t("exemption.saved")))

    def action_waive(self) -> None:
        """Set the 6-month rule aside for this course ("særlige grunde"), with the reason."""
        from rehabteam.models.law_inputs import WaiverInput
        from rehabteam.services.six_month import waive

        if self.detail is None:
            return
        forloeb_id, seen = self.forloeb_id, self.detail.six_month_waived_reason
        form: FormDialog[object] = FormDialog(
            t("binding.waive_six_month"),
            [FormField("reason", t("field.waiver_reason"), "text", seen)],
            lambda values: WaiverInput(reason=str(values["reason"])),
            lambda s, v, data: waive(
                session=s, forloeb_id=forloeb_id, data=data, seen=seen, viewer=v
            ),
        )
        self._form_then(form, lambda: self._done(t("waiver.saved")))

    def _ended(self) -> None:
        self.notify(t("forloeb.ended_ok"))
        self.dismiss()

    def action_back(self) -> None:
        self.dismiss()
