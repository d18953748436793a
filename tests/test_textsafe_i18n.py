"""Text safety, translations, and log redaction."""

from __future__ import annotations

import logging
from datetime import date
from enum import StrEnum

import pytest

from rehabteam.i18n import CATALOGUES, label, set_language, t
from rehabteam.logsetup import CprRedactingFilter, redact_cpr
from rehabteam.models import enums
from rehabteam.models.cpr import Gender
from rehabteam.textsafe import clean_line, clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hans\x1b]0;pwned\x07 Jensen", "Hans Jensen"),
        ("rød\x1b[31m tekst\x1b[0m", "rød tekst"),
        ("a\x00b\x07c\x7fd\x9be", "abcde"),
        ("abc\u202edcba", "abcdcba"),
        ("line1\r\nline2\ttab", "line1\nline2\ttab"),
        ('æøå & <tag> "citat"', 'æøå & <tag> "citat"'),
    ],
)
def test_clean_text_removes_escapes_controls_and_bidi(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_line_flattens_whitespace() -> None:
    assert clean_line("  Hans \n  Jørgensen\t") == "Hans Jørgensen"


def test_catalogues_hold_the_same_keys() -> None:
    assert set(CATALOGUES["da"]) == set(CATALOGUES["en"])


@pytest.mark.parametrize(
    "enum",
    [
        e
        for e in vars(enums).values()
        if isinstance(e, type)
        and issubclass(e, StrEnum)
        and e is not StrEnum
        and e is not enums.AuditAction
    ]
    + [Gender],
)
def test_every_enum_member_has_a_label_in_both_languages(enum: type[StrEnum]) -> None:
    for member in enum:
        for language in ("da", "en"):
            set_language(language)
            assert label(member) != f"{enum.__name__}.{member.value}"


def test_english_is_available() -> None:
    set_language("en")
    assert t("home.meetings") == "Upcoming meetings"
    set_language("da")
    assert t("home.meetings") == "Kommende møder"


def test_cpr_numbers_are_redacted_from_log_records() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "saved %s and %s", ("120381-1233", "2411024001"), None
    )
    CprRedactingFilter().filter(record)
    assert "1233" not in record.getMessage() and "4001" not in record.getMessage()
    assert redact_cpr("sag 2026-00042") == "sag 2026-00042"


def test_cpr_numbers_never_reach_the_log_file_even_in_tracebacks() -> None:
    import random

    from rehabteam.logsetup import configure_logging
    from rehabteam.models.cpr import Gender
    from rehabteam.services.fiction import make_cpr, random_birth

    rng = random.Random(7)
    numbers = [
        make_cpr(random_birth(rng, date(2026, 11, 23)), Gender.MAND, rng, set()) for _ in range(20)
    ]
    path = configure_logging()
    log = logging.getLogger("rehabteam.test")
    for n, digits in enumerate(numbers):
        dashed = f"{digits[:6]}-{digits[6:]}"
        try:
            raise ValueError(f"failed for {dashed if n % 2 else digits}")
        except ValueError:
            log.exception("saving citizen %s", digits)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "ValueError" in text and "xxxxxx-xxxx" in text
    for digits in numbers:
        assert digits not in text and f"{digits[:6]}-{digits[6:]}" not in text
