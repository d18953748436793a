"""English texts of the minutes and of who an assessment is from."""

MESSAGES: dict[str, str] = {
    "docl.referat_draft": "DRAFT – the meeting has not been held",
    "docl.closed": "Meeting ended",
    "docl.next_step": "Next step",
    "docl.bisidder": "Companion (bisidder)",
    "docl.assessments_from": "Assessments",
    "docl.typed_by": "typed by",
    "referat.absent_because": "absent ({reason})",
    "referat.cancelled": "The meeting was cancelled: there is no agenda and no minutes to send (the calendar file announces the cancellation). Nothing was written.",
    "referat.handled_no_result": "Handled, but the team's result is not recorded",
    "referat.next.record_result": "The team's result is to be recorded",
    "referat.next.rebooked": "Booked for the meeting on {date} at {time}",
    "referat.next.to_book": "The case is to be booked for a new meeting",
    "referat.next.on_agenda": "To be handled at the meeting",
    "referat.next.draft": "The team's result is to be completed and approved",
    "referat.next.fix": "Cannot be sent as it is: {problems} It must be corrected and approved again",
    "referat.next.sent": "Sent for the municipality's decision",
    "referat.next.approved.indstilling": "The recommendation goes to the municipality's decision",
    "referat.next.approved.anbefaling": "The recommendation goes to the unit that decides",
    "export.referat_draft": (
        "Warning: the meeting on {date} has not been held. The minutes are marked as a draft."
    ),
    "assessment.from_suffix": " – from {name}",
    "assessment.typed_suffix": " (typed by {name})",
}
