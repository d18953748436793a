"""Danish texts of the indstilling / anbefaling document and its export check."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "docl.ind_basis": "Grundlag",
    "docl.ind_citizen_present": "Borgeren",
    "docl.ind_presenter": "Sagen fremlagt af",
    "docl.ind_not_in_plan": "Anbefalet, men ikke med i planen",
    "docl.ind_not_in_plan_note": "Fagområderne anbefalede også dette. Teamet har ikke taget det med i de indstillede indsatser.",
    "docl.anbefaling_not_in_plan_note": "Fagområderne anbefalede også dette. Teamet har ikke taget det med i de anbefalede indsatser.",
    "ind.citizen_came": "{name} deltog i mødet.",
    "ind.citizen_came_with": "{name} deltog i mødet sammen med {bisidder} (bisidder).",
    "ind.citizen_absent": "{name} deltog ikke i mødet.",
    "ind.citizen_absent_reason": "{name} deltog ikke i mødet. Begrundelse: {reason}",
    "ind.citizen_unknown": "Det er ikke registreret, om {name} deltog i mødet.",
    "ind.presenter": "{name}, sagsbehandler",
    "ind.presenter_title": "{name}, {title}",
    "ind.medical_received": "{kind}, modtaget {date}",
    "ind.medical_missing": "{kind}: ikke modtaget",
    "ind.export_refused_anbefaling": "Sag {number}: anbefalingen eksporteres ikke, fordi den ikke opfylder reglerne for godkendelse ({rule_set}). Intet er skrevet. Ret anbefalingen, og godkend den igen. Det mangler:",
    "ind.export_refused": "Sag {number}: indstillingen eksporteres ikke, fordi den ikke opfylder reglerne for godkendelse ({rule_set}). Intet er skrevet. Ret indstillingen, og godkend den igen. Det mangler:",
}
