"""Rule sets are data: chosen by the referral date, extendable by configuration."""

from __future__ import annotations

import re
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
        (date(2026, 1, 31), "2025"),
        (date(2026, 2, 1), "reform2026a"),  # lov nr. 1750/2025: no new ressourceforløb
        (date(2026, 6, 30), "reform2026a"),
        (date(2026, 7, 1), "reform2026b"),
        (date(2026, 12, 31), "reform2026b"),
        (date(2027, 1, 1), "2027"),
    ],
)
def test_rule_set_chosen_by_referral_date(rulebook: RuleBook, day: date, key: str) -> None:
    assert rulebook.for_date(day).key == key


def test_duration_bounds_follow_the_law(rulebook: RuleBook) -> None:
    assert rulebook.get("pre2022").ressourceforloeb_months == (12, 60)
    assert rulebook.get("2022").ressourceforloeb_months == (12, 36)


@pytest.mark.parametrize("key", ["reform2026a", "reform2026b", "2027"])
def test_reform_offers_no_new_ressourceforloeb(rulebook: RuleBook, key: str) -> None:
    reform = rulebook.get(key)
    assert not reform.allows_case_type(CaseType.RESSOURCEFORLOEB)
    assert not reform.allows_indstilling(IndstillingType.RESSOURCEFORLOEB)
    assert not reform.allows_indstilling(IndstillingType.REVALIDERING)
    assert reform.allows_case_type(CaseType.RESSOURCEFORLOEB_GENFORELAEGGELSE)  # running ones
    assert rulebook.get("2025").allows_indstilling(IndstillingType.RESSOURCEFORLOEB)
    assert reform.required_disciplines == (
        Discipline.BESKAEFTIGELSE,
        Discipline.SUNDHEDSKOORDINATOR,
    )
    assert reform.preparation.key == "samlet_beskrivelse" and reform.outcome == "anbefaling"


def test_2025_requires_only_beskaeftigelse_and_the_sundhedskoordinator(rulebook: RuleBook) -> None:
    """Lov nr. 1657/2024: the others are chosen per case; undervisning for under-30s is
    advice, not a requirement."""
    rules = rulebook.get("2025")
    assert rules.required_disciplines == (Discipline.BESKAEFTIGELSE, Discipline.SUNDHEDSKOORDINATOR)
    assert rules.education_under_30 and rules.education_under_30_advice
    assert len(rulebook.get("2022").required_disciplines) == 4


def test_jobafklaring_and_kat3_exist_only_from_the_sickness_benefit_reform(
    rulebook: RuleBook,
) -> None:
    old = rulebook.get("pre2022")
    for kind in (CaseType.NYT_JOBAFKLARINGSFORLOEB, CaseType.SYGEDAGPENGE_KAT3):
        assert not old.allows_case_type(kind, on=date(2013, 6, 1))
        assert old.allows_case_type(kind, on=date(2014, 7, 1))
    assert old.allows_case_type(CaseType.RESSOURCEFORLOEB, on=date(2013, 6, 1))
    assert "2014" in " ".join(old.unconfirmed)


def test_every_rule_set_cites_its_law_and_says_what_is_unconfirmed(rulebook: RuleBook) -> None:
    for rules in rulebook.all():
        assert re.search(r"(lov|bekendtgørelse) nr\. \d+|LOU §§|hovedlov", rules.citation, re.I), (
            rules.key
        )
    assert rulebook.get("2027").unconfirmed and rulebook.get("reform2026a").unconfirmed


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
    assert book.for_date(date(2026, 8, 1)).key == "reform2026b"
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
        ('[preparation.p]\nname_da = "x"\nname_en = "x"\nfields = 3\n', "fields: skal"),
        (GOOD.replace("[6, 12]", "[12, 6]"), "skal være [mindst, højst]"),
        ("\udcff", "ikke tekst i UTF-8"),
    ],
)
def test_a_broken_rules_file_names_each_problem(tmp_path: Path, text: str, named: str) -> None:
    """Issue 16: an empty file and a wrong-type field were accepted ("yes" read as true, a
    typo'd field silently ignored); each is now refused, naming the field and what it takes."""
    bad = tmp_path / "regler.toml"
    bad.write_bytes(text.encode("utf-8", errors="surrogateescape"))  # "\udcff": a raw 0xff
    with pytest.raises(RulesError) as refused:
        load_rulebook(bad)
    assert named in str(refused.value) and str(bad) in str(refused.value)


def test_a_well_formed_rules_file_is_still_accepted(tmp_path: Path) -> None:
    good = tmp_path / "regler.toml"
    good.write_text(GOOD + "six_month_rule = true\npension_age_warning_years = 2\n", "utf-8")
    assert load_rulebook(good).get("egen").pension_age_warning_years == 2


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    from rehabteam.cli import main

    code = main(list(args))
    return code, capsys.readouterr().out


def test_rules_lists_every_rule_set_with_its_date_and_citation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`rehabteam rules --json`, without any database."""
    import json

    code, out = _cli(capsys, "rules", "--json")
    listed = {r["key"]: r for r in json.loads(out)}
    assert code == 0
    assert list(listed) == ["pre2022", "2022", "2025", "reform2026a", "reform2026b", "2027"]
    assert listed["reform2026a"]["effective_from"] == "2026-02-01"
    assert "1750" in listed["reform2026a"]["citation"]
    assert listed["reform2026a"]["outcome"] == "anbefaling"
    assert listed["2027"]["unconfirmed"]
    assert listed["reform2026a"]["health_advice_required"] is True
    assert listed["2022"]["health_advice_required"] is False
    assert listed["2025"]["disciplines_chosen_per_case"] is True
    assert listed["2022"]["age_bands"] is True and listed["pre2022"]["age_bands"] is False
    assert listed["pre2022"]["ressourceforloeb_months"] == [12, 60]
    code, out = _cli(capsys, "rules")
    assert code == 0 and "Teamets resultat: Anbefaling" in out


def test_rules_check_lists_cases_whose_rule_set_no_longer_fits_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A ressourceforløb referred in March 2026 was created under `2025` (the old table put
    the reform at 1 July 2026): it is listed for a person to decide, and nothing changes."""
    import json

    from sqlmodel import select

    from rehabteam.db import make_engine, session_scope
    from rehabteam.models import Case

    db = tmp_path / "rt.sqlite3"
    monkeypatch.setenv("REHABTEAM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("REHABTEAM_USER", "ML")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert _cli(capsys, "seed", "--demo")[0] == 0
    engine = make_engine(f"sqlite:///{db}")
    with session_scope(engine, write=True) as s:  # as the old table left it
        case = s.exec(select(Case).where(Case.case_type == "ressourceforloeb")).first()
        assert case is not None
        case.referral_date, case.rule_set = date(2026, 3, 16), "2025"
        number = case.case_number
        s.add(case)
    code, out = _cli(capsys, "rules", "check", "--json")
    found = {m["case_number"]: m for m in json.loads(out)}
    assert code == 3
    assert found[number]["stored"] == "2025" and found[number]["in_force"] == "reform2026a"
    assert found[number]["type_allowed"] is False
    code, out = _cli(capsys, "rules", "check")
    assert code == 3 and number in out and "Intet er ændret" in out
    with session_scope(engine) as s:
        assert s.exec(select(Case.rule_set).where(Case.case_number == number)).one() == "2025"
    engine.dispose()


def test_the_old_reform2026_key_becomes_reform2026b(tmp_path: Path) -> None:
    """Migration 0010: cases created under `reform2026` (from 2026-07-01) keep their rules
    under the key they have now."""
    from alembic import command
    from sqlalchemy import text

    from rehabteam.db import _alembic_config, make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'rt.sqlite3'}")
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "0009")
        conn.commit()
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]  # no citizen row
        conn.execute(
            text(
                "INSERT INTO rehab_case (case_number, citizen_id, case_type, referral_date,"
                " rule_set, rule_set_override_reason, status, status_changed_on,"
                " without_vocational_education, bisidder_wish, meeting_needs, background,"
                " created_at, updated_at, version, field_stamps)"
                " VALUES ('2026-09999', 1, 'fleksjob', '2026-08-03', 'reform2026', '',"
                " 'forberedelse', '2026-08-03', 0, '', '', '', '2026-08-03', '2026-08-03', 1,"
                " '{}')"
            )
        )
        conn.commit()
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT rule_set FROM rehab_case")).scalar() == "reform2026b"
    engine.dispose()


def test_a_ressourceforloeb_referred_on_1_february_2026_cannot_be_approved_or_exported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Stored under an older rule set (created before the table was corrected), an approved
    ressourceforløb for a referral of 2026-02-01 is neither approved again nor written out,
    by the service or the CLI; the day before, it is. Nothing is written."""
    from sqlmodel import select

    from rehabteam.db import make_engine, session_scope
    from rehabteam.errors import RuleViolation
    from rehabteam.models import Case, Indstilling
    from rehabteam.rules import load_rulebook
    from rehabteam.services.approval import approval_problems
    from rehabteam.services.documents import export_indstilling
    from rehabteam.services.indstilling import to_read
    from rehabteam.settings import Settings
    from tests.people import as_staff

    db = tmp_path / "rt.sqlite3"
    monkeypatch.setenv("REHABTEAM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("REHABTEAM_USER", "ML")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("REHABTEAM_EXPORT_DIR", str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    assert _cli(capsys, "seed", "--demo")[0] == 0
    engine = make_engine(f"sqlite:///{db}")
    rulebook = load_rulebook()
    with session_scope(engine) as s:
        row = s.exec(
            select(Indstilling).where(
                Indstilling.type == "ressourceforloeb", Indstilling.status == "godkendt"
            )
        ).first()
        assert row is not None
        case_id = row.case_id

    def refer(day: date) -> None:
        with session_scope(engine, write=True) as s:
            case = s.get(Case, case_id)
            assert case is not None
            case.referral_date, case.rule_set = day, "2025"

    refer(date(2026, 2, 1))
    ml = as_staff(engine, "ML")
    with session_scope(engine) as s:
        ind = s.exec(select(Indstilling).where(Indstilling.case_id == case_id)).first()
        assert ind is not None
        problems, _ = approval_problems(session=s, indstilling=to_read(s, ind), rulebook=rulebook)
    assert any("Ressourceforløb" in p and "1.2.2026" in p for p in problems)
    target = tmp_path / "out" / "ind.docx"
    with pytest.raises(RuleViolation, match="ikke tilladt"), session_scope(engine) as s:
        export_indstilling(
            session=s,
            case_id=case_id,
            target=target,
            settings=Settings(),
            rulebook=rulebook,
            viewer=ml,
        )
    from rehabteam.cli import main

    code = main(["export", "indstilling", "--case", str(case_id), "-o", str(target)])
    said = capsys.readouterr().err
    assert code != 0 and "ikke tilladt" in said and "rules check" in said
    assert not target.exists() and not any((tmp_path / "out").glob("*"))
    refer(date(2026, 1, 31))
    code, _out = _cli(capsys, "export", "indstilling", "--case", str(case_id), "-o", str(target))
    assert code == 0 and target.exists()
    engine.dispose()


def test_an_indstilling_cites_the_section_on_its_own_type_only() -> None:
    """The ressourceforløb indstilling ended with "LAB § 109 (jobafklaringsforløb)"."""
    rule_set = load_rulebook().get("2025")
    assert "§ 109" not in rule_set.citation_for("ressourceforloeb")
    assert rule_set.citation_for("jobafklaringsforloeb").endswith(
        "LAB) § 109 (jobafklaringsforløb)"
    )
    assert rule_set.citation_for(None) == rule_set.citation


def test_every_rule_set_names_the_law_on_each_outcome_it_allows() -> None:
    """Only the 2025 rule set named the law on one indstilling type (jobafklaringsforløb):
    a fleksjob or førtidspension indstilling under any other rule set, and every
    ressourceforløb indstilling, printed the general citation alone. A law named without
    its section is listed as unconfirmed, for a jurist to complete."""
    main = {
        IndstillingType.RESSOURCEFORLOEB,
        IndstillingType.JOBAFKLARINGSFORLOEB,
        IndstillingType.FLEKSJOB,
        IndstillingType.FOERTIDSPENSION,
    }
    for rule_set in load_rulebook().all():
        for kind in main & set(rule_set.indstilling_types):
            cited = rule_set.type_citations.get(kind, "")
            assert cited and rule_set.citation_for(kind).endswith(cited), (rule_set.key, kind)
            assert "lov" in cited, (rule_set.key, kind)
            if "§" not in cited:
                assert any(n.startswith("type_citations") for n in rule_set.unconfirmed), (
                    rule_set.key,
                    kind,
                )
        assert "resten af første fase" not in rule_set.citation, rule_set.key


def test_an_undated_law_number_is_marked_unconfirmed() -> None:
    """ "Lov nr. 1657/2024" is cited without its date: that is said, not hidden."""
    for rule_set in load_rulebook().all():
        for number in re.findall(
            r"[Ll]ov nr\. (\d+)(/\d{4}| af \d+\. \w+ \d{4})", rule_set.citation
        ):
            if number[1].startswith("/"):
                assert any("lov nr. " + number[0] in n for n in rule_set.unconfirmed), rule_set.key
