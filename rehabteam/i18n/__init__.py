"""Danish (default) and English texts for the UI, documents and messages.

Messages are looked up by key; both catalogues must hold the same keys (a test checks it).
The language is chosen once at start (settings or `--lang`), like gettext's global domain.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from rehabteam.i18n.da import MESSAGES as DA
from rehabteam.i18n.en import MESSAGES as EN

# An area with many texts of its own (a document, say) keeps them in its own pair of
# modules, `rehabteam/i18n/<area>_da.py` and `<area>_en.py`, each a MESSAGES dict.
AREAS: tuple[str, ...] = ("letter", "agenda", "indstilling", "referat")


def _with_areas(base: dict[str, str], language: str) -> dict[str, str]:
    from importlib import import_module

    merged = dict(base)
    for area in AREAS:
        merged.update(import_module(f"rehabteam.i18n.{area}_{language}").MESSAGES)
    return merged


DA = _with_areas(DA, "da")
EN = _with_areas(EN, "en")

Language = Literal["da", "en"]
CATALOGUES: dict[str, dict[str, str]] = {"da": DA, "en": EN}
_current: Language = "da"


def set_language(language: Language) -> None:
    global _current
    if language not in CATALOGUES:
        raise ValueError(f"unknown language {language!r}")
    _current = language


def current_language() -> Language:
    return _current


def t(key: str, /, **params: object) -> str:
    """The text for `key` in the current language, formatted with `params`.

    A missing key falls back to Danish, then to the key itself, so a gap never crashes the UI.
    """
    template = CATALOGUES[_current].get(key) or DA.get(key) or key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def label(value: Enum | str, /) -> str:
    """The user-facing name of an enum member (`Discipline.SUNDHED` -> "Sundhed")."""
    if isinstance(value, Enum):
        return t(f"{type(value).__name__}.{value.value}")
    return str(value)
