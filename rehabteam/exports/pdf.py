"""PDF copies through LibreOffice (`soffice --headless --convert-to pdf`), when installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from rehabteam.errors import InvalidInput
from rehabteam.i18n import t


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path, *, timeout: int = 180) -> Path:
    """Write `docx` as PDF beside it (same name, .pdf), owner-only; nothing half-written:
    LibreOffice writes into a private temporary folder and the result is moved into place."""
    soffice = soffice_path()
    if soffice is None:
        raise InvalidInput(t("export.no_soffice"))
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(dir=docx.parent, prefix=".rehabteam-pdf-") as work:
        profile = Path(work) / "profile"
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(docx),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        produced = Path(work) / target.name
        if result.returncode != 0 or not produced.exists():
            error = (result.stderr or result.stdout or "").strip().splitlines()[-1:] or ["?"]
            raise InvalidInput(t("export.pdf_failed", name=docx.name, error=error[0]))
        os.chmod(produced, 0o600)
        os.replace(produced, target)
    return target
