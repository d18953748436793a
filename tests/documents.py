"""Reading exported documents as their readers do: the PDF LibreOffice makes of a .docx,
its text, and what a screen reader relies on (tags, the language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from rehabteam.exports.pdf import convert_many, soffice_path


def needs_soffice() -> None:
    """LibreOffice must be there in CI (`.ci/run` installs it); elsewhere the test skips."""
    import os

    if soffice_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) must be installed in CI to prove the documents open")
        pytest.skip("LibreOffice (soffice) is not installed")


def pdfs_of(*documents: Path) -> list[Path]:
    """The PDFs LibreOffice makes of `documents` (one run for all: it starts slowly)."""
    needs_soffice()
    return convert_many(list(documents))


def pdf_text(pdf: Path) -> str:
    """The PDF's text as extracted page by page, whitespace made single spaces (a line
    broken by the layout reads as the sentence it is)."""
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
    return re.sub(r"\s+", " ", " ".join(pages)).strip()


def docx_text(path: Path) -> str:
    """The .docx's paragraphs and table cells, one per line (no LibreOffice needed)."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)
