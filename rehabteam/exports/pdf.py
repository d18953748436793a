"""PDF copies through LibreOffice (`soffice --headless --convert-to pdf`), when installed.

The PDFs are PDF/A-2b (archivable: every font embedded, nothing fetched from outside) and
tagged (headings, lists and tables as structure, the document's language as /Lang), so a
screen reader reads them and an archive keeps them. The filter options are given as JSON,
which LibreOffice reads from version 7.4.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from rehabteam.errors import InvalidInput
from rehabteam.i18n import t

PDF_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},  # PDF/A-2b
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
}
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(PDF_OPTIONS, separators=(",", ":"))


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path, *, timeout: int = 180) -> Path:
    """Write `docx` as PDF beside it (same name, .pdf)."""
    return convert_many([docx], timeout=timeout)[0]


def convert_many(documents: list[Path], *, timeout: int = 600) -> list[Path]:
    """PDFs of `documents` (each beside its .docx) in one LibreOffice run: starting it costs
    about a second, converting a short document a fraction of that. Owner-only, and nothing
    half-written: LibreOffice writes into a private temporary folder and each result is
    moved into place."""
    soffice = soffice_path()
    if soffice is None:
        raise InvalidInput(t("export.no_soffice"))
    results: list[Path] = []
    by_folder: dict[Path, list[Path]] = {}
    for docx in documents:
        by_folder.setdefault(docx.parent, []).append(docx)
    for folder, group in by_folder.items():
        with tempfile.TemporaryDirectory(dir=folder, prefix=".rehabteam-pdf-") as work:
            profile = Path(work) / "profile"
            command = [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                PDF_FILTER,
                "--outdir",
                work,
                *map(str, group),
            ]
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
            for docx in group:
                produced = Path(work) / docx.with_suffix(".pdf").name
                if result.returncode != 0 or not produced.exists():
                    lines = (result.stderr or result.stdout or "?").strip().splitlines()
                    error = lines[-1] if lines else "?"
                    raise InvalidInput(t("export.pdf_failed", name=docx.name, error=error))
                os.chmod(produced, 0o600)
                target = docx.with_suffix(".pdf")
                os.replace(produced, target)
                results.append(target)
    return results
