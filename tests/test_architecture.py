"""DESIGN.md's import rules: nothing below screens/ imports Textual; widgets use no services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rehabteam"
NO_TEXTUAL = ["models", "rules", "services", "exports", "i18n", "migrations"]
NO_TEXTUAL_FILES = ["db.py", "settings.py", "errors.py", "textsafe.py", "logsetup.py", "cli.py"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def files_in(*parts: str) -> list[Path]:
    return sorted((PACKAGE.joinpath(*parts)).rglob("*.py"))


@pytest.mark.parametrize(
    "path",
    [p for layer in NO_TEXTUAL for p in files_in(layer)] + [PACKAGE / f for f in NO_TEXTUAL_FILES],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_lower_layers_never_import_textual(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m == "textual" or m.startswith("textual.")}
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", files_in("widgets"), ids=lambda p: p.name)
def test_widgets_do_not_touch_services_or_the_database(path: Path) -> None:
    bad = {
        m
        for m in imported_modules(path)
        if m.startswith(("rehabteam.services", "rehabteam.db", "sqlalchemy", "sqlmodel"))
    }
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", files_in("screens"), ids=lambda p: p.name)
def test_screens_never_import_the_app_class(path: Path) -> None:
    assert "rehabteam.app" not in imported_modules(path)


def test_every_screen_stylesheet_exists_beside_it() -> None:
    import re

    for path in files_in("screens"):
        for name in re.findall(r'CSS_PATH = "([^"]+)"', path.read_text(encoding="utf-8")):
            assert (path.parent / name).exists(), f"{path}: {name}"


def test_the_first_paint_waits_for_no_database_or_validation_library() -> None:
    """What the app imports before its first frame: Textual and its own light modules. The
    database layer (SQLAlchemy, SQLModel) and pydantic load beside the first screen."""
    import subprocess
    import sys

    code = (
        "import sys, rehabteam.app, rehabteam.screens.home, rehabteam.settings\n"
        "rehabteam.settings.Settings()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'docx'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
