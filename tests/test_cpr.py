"""CPR numbers: validated as the identifier really is, and never shown in full by accident."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabteam.models.cpr import CprError, Gender, century_for, mask_cpr, parse_cpr
from rehabteam.models.inputs import CitizenCreate

TODAY = date(2026, 11, 23)


def _serial_digit7_for(year: int) -> list[int]:
    return [d for d in range(10) if century_for(year % 100, d) + year % 100 == year]


@st.composite
def valid_cpr(draw: st.DrawFn) -> tuple[str, date, int]:
    birth = draw(st.dates(min_value=date(1858, 1, 1), max_value=TODAY))
    digit7 = draw(st.sampled_from(_serial_digit7_for(birth.year)))
    rest = draw(st.integers(min_value=0, max_value=999))
    return f"{birth:%d%m%y}{digit7}{rest:03d}", birth, digit7


@given(valid_cpr(), st.booleans())
def test_every_valid_date_with_every_serial_is_accepted(
    case: tuple[str, date, int], dash: bool
) -> None:
    digits, birth, _ = case
    text = f"{digits[:6]}-{digits[6:]}" if dash else digits
    cpr = parse_cpr(text, today=TODAY)
    assert cpr.digits == digits
    assert cpr.birth_date == birth
    assert cpr.gender is (Gender.MAND if int(digits[-1]) % 2 else Gender.KVINDE)


@given(valid_cpr())
def test_replacement_numbers_day_plus_60_are_accepted(case: tuple[str, date, int]) -> None:
    digits, birth, _ = case
    replacement = f"{birth.day + 60:02d}{digits[2:]}"
    cpr = parse_cpr(replacement, today=TODAY)
    assert cpr.is_replacement
    assert cpr.birth_date == birth


@given(st.text(max_size=14))
def test_anything_else_raises_cpr_error_and_nothing_else(text: str) -> None:
    try:
        parse_cpr(text, today=TODAY)
    except CprError as exc:
        assert str(exc).startswith("Ugyldigt CPR-nummer")


@given(
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=9999),
)
def test_impossible_dates_are_rejected(day: int, month: int, year2: int, serial: int) -> None:
    digits = f"{day:02d}{month:02d}{year2:02d}{serial:04d}"
    real_day = day - 60 if day > 60 else day
    try:
        expected = date(century_for(year2, serial // 1000) + year2, month, real_day)
    except ValueError:
        with pytest.raises(CprError):
            parse_cpr(digits, today=TODAY)
        return
    if expected > TODAY:
        with pytest.raises(CprError):
            parse_cpr(digits, today=TODAY)
    else:
        assert parse_cpr(digits, today=TODAY).birth_date == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12038",
        "120381123",
        "12038112345",
        "1203811-234",
        "abcdef-ghij",
        "120381--1234",
        "120381 1234",
    ],
)
def test_wrong_lengths_and_shapes_are_rejected(text: str) -> None:
    with pytest.raises(CprError):
        parse_cpr(text, today=TODAY)


def test_the_issue_example_gets_a_clear_danish_message() -> None:
    with pytest.raises(CprError, match=r"Ugyldigt CPR-nummer: 31\.13\.99 er ikke en gyldig"):
        parse_cpr("311399-1234", today=TODAY)


def test_a_future_birth_date_is_rejected() -> None:
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(CprError, match="fremtiden"):
        parse_cpr(f"{tomorrow:%d%m%y}4123", today=TODAY)


@pytest.mark.parametrize(
    ("year2", "digit7", "century"),
    [
        (99, 0, 1900),
        (99, 3, 1900),
        (36, 4, 2000),
        (37, 4, 1900),
        (57, 5, 2000),
        (58, 5, 1800),
        (57, 8, 2000),
        (58, 8, 1800),
        (36, 9, 2000),
        (37, 9, 1900),
    ],
)
def test_century_table(year2: int, digit7: int, century: int) -> None:
    assert century_for(year2, digit7) == century


def test_modulus_11_is_only_a_hint() -> None:
    failing = parse_cpr("010101-1234", today=TODAY)  # fails mod 11, still accepted
    assert not failing.passes_modulus11()
    assert parse_cpr("070761-4285", today=TODAY).passes_modulus11()


def test_age_is_derived() -> None:
    assert parse_cpr("120381-1233", today=TODAY).age_on(TODAY) == 45
    assert parse_cpr("241102-4001", today=TODAY).age_on(TODAY) == 23  # birthday tomorrow
    assert parse_cpr("231102-4001", today=TODAY).age_on(TODAY) == 24  # birthday today


@given(valid_cpr())
def test_masking_never_shows_the_last_four_digits(case: tuple[str, date, int]) -> None:
    digits, _, _ = case
    cpr = parse_cpr(digits, today=TODAY)
    for shown in (cpr.masked, str(cpr), repr(cpr), mask_cpr(digits), mask_cpr(cpr.formatted)):
        assert digits[6:] not in shown.replace(digits[:6], "")
        assert shown.endswith("xxxx") or shown.endswith("xxxx)")


def test_citizen_input_carries_the_danish_message() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="ikke en gyldig fødselsdato"):
        CitizenCreate(cpr="311399-1234", first_name="A", last_name="B")
