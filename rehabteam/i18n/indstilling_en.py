"""English texts of the indstilling / anbefaling document and its export check."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "docl.ind_basis": "Basis",
    "docl.ind_citizen_present": "The citizen",
    "docl.ind_presenter": "Case presented by",
    "docl.ind_not_in_plan": "Recommended, but not in the plan",
    "docl.anbefaling_not_in_plan_note": "The disciplines also recommended this. The team did not include it in the recommended interventions.",
    "docl.ind_not_in_plan_note": "The disciplines also recommended this. The team did not include it in the recommended interventions.",
    "ind.citizen_came": "{name} attended the meeting.",
    "ind.citizen_came_with": "{name} attended the meeting with {bisidder} (companion).",
    "ind.citizen_absent": "{name} did not attend the meeting.",
    "ind.citizen_absent_reason": "{name} did not attend the meeting. Reason: {reason}",
    "ind.citizen_unknown": "It is not recorded whether {name} attended the meeting.",
    "ind.presenter": "{name}, caseworker",
    "ind.presenter_title": "{name}, {title}",
    "ind.medical_received": "{kind}, received {date}",
    "ind.medical_missing": "{kind}: not received",
    "ind.export_refused_anbefaling": "Case {number}: the recommendation (anbefaling) is not exported because it does not meet the rules for approval ({rule_set}). Nothing was written. Correct it and approve it again. Missing:",
    "ind.export_refused": "Case {number}: the recommendation is not exported because it does not meet the rules for approval ({rule_set}). Nothing was written. Correct the recommendation and approve it again. Missing:",
}
