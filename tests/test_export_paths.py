"""Export file names and destinations: no CPR, no rejected characters, never outside the
folder, never a silent overwrite, never half-written."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehabteam.errors import InvalidInput
from rehabteam.exports.paths import resolve_inside, safe_filename, write_atomically


def test_cpr_numbers_never_reach_a_file_name() -> None:
    assert "1233" not in safe_filename("Indstilling 120381-1233 Hans.docx")
    assert "1203811233" not in safe_filename("1203811233.docx")


@given(st.text(max_size=300))
def test_any_name_becomes_a_portable_file_name(name: str) -> None:
    result = safe_filename(name)
    assert result and len(result) <= 121
    assert not set(result) & set('<>:"/\\|?*') and result not in (".", "..")
    assert all(ord(ch) >= 32 for ch in result)


def test_danish_letters_are_kept() -> None:
    assert safe_filename("2026-11-23 Sag 2026-00042 Jørgensen.docx") == (
        "2026-11-23 Sag 2026-00042 Jørgensen.docx"
    )


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..", "a/../../b.docx"])
def test_names_cannot_escape_the_folder(tmp_path: Path, name: str) -> None:
    target = resolve_inside(tmp_path, name)
    assert target.parent == tmp_path.resolve()


def test_existing_file_is_not_replaced_without_consent(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    target.write_text("old")
    with pytest.raises(InvalidInput, match="findes allerede"):
        write_atomically(target, lambda p: p.write_text("new"), overwrite=False)
    assert target.read_text() == "old"
    write_atomically(target, lambda p: p.write_text("new"), overwrite=True)
    assert target.read_text() == "new"
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_a_full_disk_leaves_nothing_behind(tmp_path: Path) -> None:
    def fail(path: Path) -> None:
        path.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InvalidInput, match=r"er fuld\. Intet er skrevet") as full:
        write_atomically(tmp_path / "b.docx", fail, overwrite=False)
    assert str(tmp_path) in str(full.value)  # which disk: the folder's
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_gives_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated: CI runs as root, which may write in a 0500 folder.
    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("rehabteam.exports.paths.tempfile.mkstemp", refuse)
    with pytest.raises(InvalidInput, match="kan ikke skrives"):
        write_atomically(tmp_path / "c.docx", lambda p: p.write_text("x"), overwrite=False)
    assert list(tmp_path.iterdir()) == []


def test_a_name_with_a_cpr_number_is_refused_not_cut_to_docx(tmp_path: Path) -> None:
    """`-o 150269-3037.docx` wrote a file called "docx" without a word."""
    for name in ("150269-3037.docx", "Torben Larsen 1502693037.docx"):
        with pytest.raises(InvalidInput, match="CPR-nummer"):
            resolve_inside(tmp_path, name)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_as_the_target_is_named_a_folder(tmp_path: Path) -> None:
    """`-o <a folder>` said "Filen p findes allerede", and with --overwrite an English
    system message."""
    (tmp_path / "p").mkdir()
    for overwrite in (False, True):
        with pytest.raises(InvalidInput, match="er en mappe, ikke en fil"):
            write_atomically(tmp_path / "p", lambda p: p.write_text("x"), overwrite=overwrite)
    assert [p.name for p in tmp_path.iterdir()] == ["p"]
    target = tmp_path / "a.docx"
    target.write_text("old")
    with pytest.raises(InvalidInput, match=r"--overwrite") as exists:
        write_atomically(target, lambda p: p.write_text("new"), overwrite=False)
    assert str(tmp_path) in str(exists.value)  # which folder, not only the name
