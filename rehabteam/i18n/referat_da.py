"""Danish texts of the mødereferat and of who an assessment is from."""

MESSAGES: dict[str, str] = {
    "docl.referat_draft": "UDKAST – mødet er ikke afholdt",
    "docl.closed": "Mødet sluttede",
    "docl.next_step": "Næste skridt",
    "docl.bisidder": "Bisidder",
    "docl.assessments_from": "Vurderinger",
    "docl.typed_by": "skrevet af",
    "referat.absent_because": "afbud ({reason})",
    "referat.cancelled": "Mødet er aflyst: der er hverken dagsorden eller referat at sende (kalenderfilen melder aflysningen). Intet er skrevet.",
    "referat.handled_no_result": "Behandlet, men teamets resultat er ikke registreret",
    "referat.next.record_result": "Teamets resultat skal registreres",
    "referat.next.rebooked": "Booket på mødet {date} kl. {time}",
    "referat.next.to_book": "Sagen skal bookes på et nyt møde",
    "referat.next.on_agenda": "Behandles på mødet",
    "referat.next.draft": "Teamets resultat skal færdiggøres og godkendes",
    "referat.next.fix": "Kan ikke sendes, som den er: {problems} Den skal rettes og godkendes igen",
    "referat.next.sent": "Sendt til kommunens afgørelse",
    "referat.next.approved.indstilling": "Indstillingen sendes til kommunens afgørelse",
    "referat.next.approved.anbefaling": "Anbefalingen sendes til den enhed, der træffer afgørelsen",
    "export.referat_draft": (
        "Advarsel: mødet {date} er ikke afholdt. Referatet er markeret som udkast."
    ),
    "assessment.from_suffix": " – fra {name}",
    "assessment.typed_suffix": " (skrevet af {name})",
}
