"""Rule sets are data: chosen by the referral date, extendable by configuration."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rehabteam.models.enums import CaseType, Discipline, IndstillingType
from rehabteam.rules import RuleBook, RulesError, load_rulebook


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2019, 5, 1), "pre2022"),
        (date(2021, 12, 31), "pre2022"),
        (date(2022, 1, 1), "2022"),
        (date(2024, 12, 31), "2022"),
        (date(2025, 1, 1), "2025"),
        (date(2026, 6, 30), "2025"),
        (date(2026, 7, 1), "reform2026"),
    ],
)
def test_rule_set_chosen_by_referral_date(rulebook: RuleBook, day: date, key: str) -> None:
    assert rulebook.for_date(day).key == key


def test_duration_bounds_follow_the_law(rulebook: RuleBook) -> None:
    assert rulebook.get("pre2022").ressourceforloeb_months == (12, 60)
    assert rulebook.get("2022").ressourceforloeb_months == (12, 36)


def test_reform_offers_no_new_ressourceforloeb(rulebook: RuleBook) -> None:
    reform = rulebook.get("reform2026")
    assert not reform.allows_case_type(CaseType.RESSOURCEFORLOEB)
    assert not reform.allows_indstilling(IndstillingType.RESSOURCEFORLOEB)
    assert rulebook.get("2022").allows_indstilling(IndstillingType.RESSOURCEFORLOEB)
    assert Discipline.SUNDHEDSKOORDINATOR in reform.required_disciplines


def test_sygedagpenge_kat3_only_in_old_rule_sets(rulebook: RuleBook) -> None:
    assert rulebook.get("2022").allows_case_type(CaseType.SYGEDAGPENGE_KAT3)
    assert not rulebook.get("2025").allows_case_type(CaseType.SYGEDAGPENGE_KAT3)


def test_forberedende_del_has_the_nine_fields(rulebook: RuleBook) -> None:
    fields = rulebook.get("2022").preparation.fields
    assert len(fields) == 9
    assert fields[8].da.startswith("Praktiserende læges vurdering")


def test_a_new_rule_set_is_configuration(tmp_path: Path) -> None:
    extra = tmp_path / "rules.toml"
    extra.write_text(
        """
[preparation.mdt]
name_da = "Forberedelse"
name_en = "Preparation"
fields = [{ key = "resume", da = "Resumé", en = "Summary" }]

[[rule_set]]
key = "samordning2027"
name_da = "Eget regelsæt"
name_en = "Own rule set"
effective_from = 2027-01-01
case_types = ["fleksjob"]
indstilling_types = ["fleksjob", "andet"]
ressourceforloeb_months = [6, 12]
required_disciplines = ["sundhed"]
preparation = "mdt"
""",
        encoding="utf-8",
    )
    book = load_rulebook(extra)
    assert book.for_date(date(2027, 3, 1)).key == "samordning2027"
    assert book.for_date(date(2026, 8, 1)).key == "reform2026"
    assert book.get("samordning2027").preparation.fields[0].key == "resume"


def test_a_broken_rules_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule_set]]\nkey = "x"\nname_da = "x"\nname_en = "x"\n', encoding="utf-8")
    with pytest.raises(RulesError, match="x"):
        load_rulebook(bad)


GOOD = """
[[rule_set]]
key = "egen"
name_da = "Eget"
name_en = "Own"
effective_from = 2027-01-01
case_types = ["fleksjob"]
indstilling_types = ["fleksjob"]
ressourceforloeb_months = [6, 12]
required_disciplines = ["sundhed"]
"""


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("", "intet regelsæt"),  # an empty file is a mistake, not "no changes"
        ("# only a comment\n", "intet regelsæt"),
        ('[rule_sets]\nkey = "egen"\n', "ukendt tabel rule_sets"),
        (GOOD + 'six_month_rule = "yes"\n', "six_month_rule: skal være true eller false"),
        (
            GOOD + 'pension_age_warning_years = "5"\n',
            "pension_age_warning_years: skal være et helt",
        ),
        (GOOD + 'requierd_disciplines = ["sundhed"]\n', "requierd_disciplines: ukendt felt"),
        (GOOD.replace("[6, 12]", "[6]"), "ressourceforloeb_months.1: mangler"),
        (GOOD.replace('"fleksjob"]\ni', '"fleksjobb"]\ni'), "case_types.0: ikke en kendt værdi"),
        (GOOD.replace("2027-01-01", '"1. januar"'), "effective_from: skal være en dato"),
        (GOOD + 'preparation = "findes_ikke"\n', "ingen forberedelse ved navn 'findes_ikke'"),
    ],
)
def test_a_broken_rules_file_names_each_problem(tmp_path: Path, text: str, named: str) -> None:
    """Issue 16: an empty file and a wrong-type field were accepted ("yes" read as true, a
    typo'd field silently ignored); each is now refused, naming the field and what it takes."""
    bad = tmp_path / "regler.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as refused:
        load_rulebook(bad)
    assert named in str(refused.value) and str(bad) in str(refused.value)


def test_a_well_formed_rules_file_is_still_accepted(tmp_path: Path) -> None:
    good = tmp_path / "regler.toml"
    good.write_text(GOOD + "six_month_rule = true\npension_age_warning_years = 2\n", "utf-8")
    assert load_rulebook(good).get("egen").pension_age_warning_years == 2
