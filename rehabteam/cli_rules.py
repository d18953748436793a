"""`rehabteam rules`: the rule sets with their dates, sources and what is unconfirmed (no
database needed), and `rehabteam rules check`: the cases whose rule set no longer fits."""

from __future__ import annotations

import argparse
from typing import Any

from rehabteam.cli import _print_json, _print_table, label_status
from rehabteam.i18n import t
from rehabteam.rules import RuleBook


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    rules = sub.add_parser(
        "rules",
        parents=[common],
        help="the rule sets (dates, legal sources), and cases that no longer fit them",
        description="Without a subcommand: list the rule sets (bundled and from "
        "REHABTEAM_RULES_FILE) with their dates, legal citations and what is unconfirmed. "
        "JSON fields: key, name, effective_from, citation, source, case_types, "
        "indstilling_types, required_disciplines, disciplines_chosen_per_case, outcome, "
        "health_advice_required, six_month_rule, age_bands, ressourceforloeb_months, "
        "unconfirmed.",
    )
    rules.add_argument("--json", action="store_true", help="print JSON")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="COMMAND")
    check = rules_sub.add_parser(
        "check",
        parents=[common],
        help="cases whose rule set no longer fits their referral date",
        description="List the cases you may see whose stored rule set is not the one in force "
        "on their referral date under the rule sets as they stand now (e.g. a ressourceforløb "
        "referred in March 2026). Nothing is changed: a person decides each case. Exit code "
        "0 when none, 3 when some are listed. JSON fields: case_id, case_number, case_type, "
        "referral_date, stored, in_force, type_allowed, override_reason.",
    )
    check.add_argument("--json", action="store_true", help="print a JSON array")


def list_rule_sets(args: argparse.Namespace, rulebook: RuleBook) -> int:
    sets = rulebook.all()
    if args.json:
        _print_json(
            [
                {
                    "key": rs.key,
                    "name": rs.name,
                    "effective_from": rs.effective_from.isoformat(),
                    "citation": rs.citation,
                    "source": rs.source,
                    "case_types": [str(c) for c in rs.case_types],
                    "indstilling_types": [str(k) for k in rs.indstilling_types],
                    "required_disciplines": [str(d) for d in rs.required_disciplines],
                    "disciplines_chosen_per_case": rs.disciplines_chosen_per_case,
                    "outcome": rs.outcome,
                    "health_advice_required": rs.health_advice_required,
                    "six_month_rule": rs.six_month_rule,
                    "age_bands": rs.age_bands,
                    "ressourceforloeb_months": list(rs.ressourceforloeb_months),
                    "unconfirmed": list(rs.unconfirmed),
                }
                for rs in sets
            ]
        )
        return 0
    for rs in sets:
        print(f"{rs.key}  {t('rules.from', date=f'{rs.effective_from:%d.%m.%Y}')}  {rs.name}")
        print(f"    {t('rules.citation')}: {rs.citation or '-'}")
        print(f"    {t('rules.outcome')}: {t(f'docl.outcome_word.{rs.outcome}')}")
        for note in rs.unconfirmed:
            print(f"    {t('rules.unconfirmed')}: {note}")
    return 0


def check(args: argparse.Namespace, engine: Any, rulebook: RuleBook, viewer: Any) -> int:
    from rehabteam.db import session_scope
    from rehabteam.services.rules_check import misfits

    with session_scope(engine) as session:
        found = misfits(session=session, rulebook=rulebook, viewer=viewer)
    if args.json:
        _print_json([m.as_json() for m in found])
        return 3 if found else 0
    if not found:
        print(t("rules.all_fit"))
        return 0
    print(t("rules.misfits", n=len(found)))
    _print_table(
        [
            [
                m.case_number,
                f"{m.referral_date:%d.%m.%Y}",
                label_status("CaseType", m.case_type),
                t("rules.stored_vs", stored=m.stored, in_force=m.in_force),
                t("rules.type_not_allowed") if not m.type_allowed else "",
                t("rules.override", reason=m.override_reason) if m.override_reason else "",
            ]
            for m in found
        ]
    )
    print(t("rules.decide"))
    return 3
