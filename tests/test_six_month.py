"""The 6-month rule as BEK 2408 § 17 says it, against hand-computed cases: only interventions
of the indsatsdel started within the course count, periods of fritagelse are not counted,
"særlige grunde" set it aside with a recorded reason, and the rule set in force switches it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from rehabteam.db import session_scope
from rehabteam.errors import InvalidInput
from rehabteam.models import Forloeb, ForloebIntervention
from rehabteam.models.law_inputs import ExemptionInput, WaiverInput
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import followup, six_month
from rehabteam.services.six_month import add_months, deadline
from tests.test_followup import TODAY, _course_decided, _start, demo

__all__ = ["demo"]  # the fixture, used by name


@pytest.mark.parametrize(
    ("start", "periods", "expected"),
    [
        # No fritagelse: six months on, the month's last day when it is shorter.
        (date(2025, 3, 1), [], date(2025, 9, 1)),
        (date(2025, 8, 31), [], date(2026, 2, 28)),
        # 1-31 May is 31 days of fritagelse: the deadline moves 31 days.
        (date(2025, 3, 1), [(date(2025, 5, 1), date(2025, 5, 31))], date(2025, 10, 2)),
        # Overlapping periods count once (still 1-31 May).
        (
            date(2025, 3, 1),
            [(date(2025, 5, 1), date(2025, 5, 20)), (date(2025, 5, 10), date(2025, 5, 31))],
            date(2025, 10, 2),
        ),
        # A period begun before the course counts from the course's first day: 1-10 March.
        (date(2025, 3, 1), [(date(2025, 2, 15), date(2025, 3, 10))], date(2025, 9, 11)),
        # A period after the deadline changes nothing.
        (date(2025, 3, 1), [(date(2025, 9, 5), date(2025, 9, 30))], date(2025, 9, 1)),
        # 20-31 August (12 days) moves the deadline to 13 September; 10-20 September then
        # begins before it and moves it 11 days more.
        (
            date(2025, 3, 1),
            [(date(2025, 8, 20), date(2025, 8, 31)), (date(2025, 9, 10), date(2025, 9, 20))],
            date(2025, 9, 24),
        ),
        # An open period is not counted here (the rule waits while it lasts).
        (date(2025, 3, 1), [(date(2025, 5, 1), None)], date(2025, 9, 1)),
    ],
)
def test_the_deadline_leaves_out_fritagelse(
    start: date, periods: list[tuple[date, date | None]], expected: date
) -> None:
    assert deadline(start, periods) == expected


def _flagged(engine: Engine, forloeb_id: int, viewer: Viewer, rulebook: RuleBook) -> bool:
    with session_scope(engine) as s:
        rows = followup.list_forloeb(session=s, rulebook=rulebook, viewer=viewer)
        return next(r for r in rows if r.id == forloeb_id).six_month_due


def _course(engine: Engine, rulebook: RuleBook) -> tuple[int, Viewer, date, date]:
    """A course begun 7 months ago (its deadline a month ago): id, coordinator, start, deadline."""
    forloeb_id, coordinator = _course_decided(engine, rulebook, months_ago=7)
    with session_scope(engine) as s:
        course = s.get(Forloeb, forloeb_id)
        assert course is not None and course.six_month_deadline is not None
        return forloeb_id, coordinator, course.start_on, course.six_month_deadline


def test_an_intervention_begun_before_the_course_does_not_count(
    demo: Engine, rulebook: RuleBook
) -> None:
    forloeb_id, coordinator, start, _deadline = _course(demo, rulebook)
    # The screens refuse such a date; an import or an older version may have stored it.
    with pytest.raises(InvalidInput):
        _start(demo, forloeb_id, coordinator, start - timedelta(days=5))
    with session_scope(demo, write=True) as s:
        s.add(
            ForloebIntervention(
                forloeb_id=forloeb_id,
                area="mentor",
                indhold="Mentor (begyndt før forløbet)",
                in_indsatsdel=True,
                actual_start=start - timedelta(days=5),
                status="i_gang",
            )
        )
    assert _flagged(demo, forloeb_id, coordinator, rulebook)
    _start(demo, forloeb_id, coordinator, start)  # on the course's first day: counts
    assert not _flagged(demo, forloeb_id, coordinator, rulebook)


def test_an_intervention_outside_the_indsatsdel_does_not_count(
    demo: Engine, rulebook: RuleBook
) -> None:
    forloeb_id, coordinator, start, _deadline = _course(demo, rulebook)
    _start(demo, forloeb_id, coordinator, start + timedelta(days=20), in_plan=False)
    assert _flagged(demo, forloeb_id, coordinator, rulebook)


def test_fritagelse_moves_the_deadline_and_an_open_one_pauses_the_rule(
    demo: Engine, rulebook: RuleBook
) -> None:
    forloeb_id, coordinator, start, old_deadline = _course(demo, rulebook)
    assert _flagged(demo, forloeb_id, coordinator, rulebook)
    # An open fritagelse from the second month: the rule waits.
    with session_scope(demo, write=True) as s:
        open_period = six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            data=ExemptionInput(from_on=start + timedelta(days=40), reason="Indlagt"),
            viewer=coordinator,
        )
    assert not _flagged(demo, forloeb_id, coordinator, rulebook)
    # Closed after 60 days: the deadline is 60 days later than it was.
    with session_scope(demo, write=True) as s:
        six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            exemption_id=open_period.id,
            expected_version=open_period.version,
            data=ExemptionInput(
                from_on=start + timedelta(days=40),
                to_on=start + timedelta(days=99),
                reason="Indlagt",
            ),
            viewer=coordinator,
        )
    with session_scope(demo) as s:
        detail = followup.get_forloeb(
            session=s, forloeb_id=forloeb_id, rulebook=rulebook, viewer=coordinator
        )
    assert detail.row.six_month_deadline == old_deadline + timedelta(days=60)
    assert [(e.from_on, e.to_on) for e in detail.exemptions] == [
        (start + timedelta(days=40), start + timedelta(days=99))
    ]
    assert not _flagged(demo, forloeb_id, coordinator, rulebook)  # a month left
    # An intervention started after the old deadline, before the new one, counts.
    _start(demo, forloeb_id, coordinator, old_deadline + timedelta(days=3))
    assert not _flagged(demo, forloeb_id, coordinator, rulebook)


def test_a_fritagelse_needs_a_reason_and_dates_in_order(demo: Engine, rulebook: RuleBook) -> None:
    forloeb_id, coordinator, start, _deadline = _course(demo, rulebook)
    with pytest.raises(ValidationError, match="udfyldes"):
        ExemptionInput(from_on=start, reason="  ")
    with pytest.raises(ValidationError, match="før"):
        ExemptionInput(from_on=start, to_on=start - timedelta(days=1), reason="Syg")
    with pytest.raises(InvalidInput, match="før forløbet"), session_scope(demo, write=True) as s:
        six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            data=ExemptionInput(from_on=start - timedelta(days=1), reason="Syg"),
            viewer=coordinator,
        )


def test_saerlige_grunde_set_the_rule_aside_with_a_recorded_reason(
    demo: Engine, rulebook: RuleBook
) -> None:
    forloeb_id, coordinator, _start_on, _deadline = _course(demo, rulebook)
    with pytest.raises(ValidationError, match="udfyldes"):
        WaiverInput(reason="")
    with session_scope(demo, write=True) as s:
        six_month.waive(
            session=s,
            forloeb_id=forloeb_id,
            data=WaiverInput(reason="Borgeren er i udredning på psykiatrisk afdeling"),
            viewer=coordinator,
        )
    assert not _flagged(demo, forloeb_id, coordinator, rulebook)
    with session_scope(demo) as s:
        detail = followup.get_forloeb(
            session=s, forloeb_id=forloeb_id, rulebook=rulebook, viewer=coordinator
        )
    assert detail.six_month_waived_reason.startswith("Borgeren er i udredning")
    assert detail.six_month_waived_by == coordinator.name
    assert detail.six_month_waived_on == TODAY


def test_the_rule_set_in_force_today_switches_the_rule(demo: Engine, rulebook: RuleBook) -> None:
    forloeb_id, coordinator, _start_on, _deadline = _course(demo, rulebook)
    assert _flagged(demo, forloeb_id, coordinator, rulebook)
    today_key = rulebook.for_date(TODAY).key
    without = RuleBook(
        [
            rs.model_copy(update={"six_month_rule": False}) if rs.key == today_key else rs
            for rs in rulebook.all()
        ]
    )
    assert not _flagged(demo, forloeb_id, coordinator, without)


def test_the_month_arithmetic_keeps_to_the_month() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize(
    "reason",
    [
        "",
        "   ",
        "\u200b",
        "\u200b\u200d\ufeff\u2060",
        "\u00a0\u3000",
        "\u3164\u2800",  # Hangul filler, braille blank
        "\u115f\uffa0",
        "\u034f\ufe0f",  # lone combining grapheme joiner, variation selector
    ],
)
def test_an_invisible_reason_is_no_reason(reason: str) -> None:
    with pytest.raises(ValidationError, match="udfyldes"):
        WaiverInput(reason=reason)
    with pytest.raises(ValidationError, match="udfyldes"):
        ExemptionInput(from_on=date(2026, 1, 5), reason=reason)


def test_two_people_changing_the_same_fritagelse_or_waiver_do_not_overwrite_each_other(
    demo: Engine, rulebook: RuleBook
) -> None:
    """Both opened the open period; the first closes it, the second's stale form is refused
    (nothing of the first is lost); særlige grunde recorded by one are not replaced by
    another who did not see them."""
    from rehabteam.errors import StaleEdit

    forloeb_id, coordinator, start, _deadline = _course(demo, rulebook)
    with session_scope(demo, write=True) as s:
        period = six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            data=ExemptionInput(from_on=start + timedelta(days=10), reason="Syg"),
            viewer=coordinator,
        )
    closed = ExemptionInput(
        from_on=start + timedelta(days=10), to_on=start + timedelta(days=40), reason="Syg"
    )
    with session_scope(demo, write=True) as s:
        six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            exemption_id=period.id,
            expected_version=period.version,
            data=closed,
            viewer=coordinator,
        )
    stale = ExemptionInput(from_on=start + timedelta(days=10), reason="Syg, stadig")
    with pytest.raises(StaleEdit) as refused, session_scope(demo, write=True) as s:
        six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            exemption_id=period.id,
            expected_version=period.version,
            data=stale,
            viewer=coordinator,
        )
    assert "Syg" in str(refused.value.theirs)
    with session_scope(demo) as s:
        (kept,) = six_month.exemptions(s, forloeb_id)
    assert kept.to_on == start + timedelta(days=40)
    with session_scope(demo, write=True) as s:
        six_month.waive(
            session=s, forloeb_id=forloeb_id, data=WaiverInput(reason="Først"), viewer=coordinator
        )
    with pytest.raises(StaleEdit), session_scope(demo, write=True) as s:
        six_month.waive(
            session=s, forloeb_id=forloeb_id, data=WaiverInput(reason="Anden"), viewer=coordinator
        )
    with session_scope(demo, write=True) as s:  # seen, then changed deliberately
        six_month.waive(
            session=s,
            forloeb_id=forloeb_id,
            data=WaiverInput(reason="Først, uddybet"),
            seen="Først",
            viewer=coordinator,
        )
    with session_scope(demo) as s:
        course = s.get(Forloeb, forloeb_id)
        assert course is not None and course.six_month_waived_reason == "Først, uddybet"


def test_a_fritagelse_that_has_not_begun_does_not_pause_the_rule(
    demo: Engine, rulebook: RuleBook
) -> None:
    forloeb_id, coordinator, _start, _deadline = _course(demo, rulebook)
    with session_scope(demo, write=True) as s:  # a planned operation next month
        six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            data=ExemptionInput(from_on=TODAY + timedelta(days=30), reason="Planlagt operation"),
            viewer=coordinator,
        )
    assert _flagged(demo, forloeb_id, coordinator, rulebook)


def test_a_fritagelse_cannot_outlast_the_course(demo: Engine, rulebook: RuleBook) -> None:
    """A mistyped year (2099, 9999) would switch the rule off: refused in Danish, never a
    crash; the course's planned end itself is allowed."""
    forloeb_id, coordinator, start, _deadline = _course(demo, rulebook)
    with session_scope(demo) as s:
        course = s.get(Forloeb, forloeb_id)
        assert course is not None
        end = course.planned_end_on
    for to_on in (date(2099, 12, 31), date(9999, 12, 31), end + timedelta(days=1)):
        with pytest.raises(InvalidInput, match="slutdato"), session_scope(demo, write=True) as s:
            six_month.save_exemption(
                session=s,
                forloeb_id=forloeb_id,
                data=ExemptionInput(from_on=start + timedelta(days=3), to_on=to_on, reason="Syg"),
                viewer=coordinator,
            )
    with session_scope(demo, write=True) as s:
        six_month.save_exemption(
            session=s,
            forloeb_id=forloeb_id,
            data=ExemptionInput(from_on=start + timedelta(days=3), to_on=end, reason="Syg"),
            viewer=coordinator,
        )


def test_visible_text_in_any_script_is_a_reason() -> None:
    for reason in ("Syg", "x", "5", "—", "病気", "ℹ"):
        assert WaiverInput(reason=reason).reason == reason
