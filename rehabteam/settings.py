"""Settings (environment variables prefixed `REHABTEAM_`, or a `.env`-free config) and paths.

Paths come from `data_dir()` / `log_dir()`, which tests redirect with REHABTEAM_DATA_DIR.
Nothing is created at import; folders are made on first use, owner-only (0700).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "rehabteam"


def data_dir() -> Path:
    """Where the SQLite database lives. REHABTEAM_DATA_DIR overrides (tests, portable installs)."""
    override = os.environ.get("REHABTEAM_DATA_DIR")
    if override:
        return Path(override)
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    override = os.environ.get("REHABTEAM_DATA_DIR")
    if override:
        return Path(override) / "logs"
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) owner-only (0700).

    A folder that already exists is left as it is: it may be one the user chose on purpose
    (a shared drive, /tmp), and changing its mode could lock others out.
    """
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)  # mkdir's mode is reduced by the umask
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'rehabteam.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REHABTEAM_", extra="ignore")

    database_url: str = Field(default="", description="SQLAlchemy URL; empty: SQLite in data dir")
    language: Literal["da", "en"] = "da"
    organisation_name: str = "Kommunens rehabiliteringsteam"
    # A folder with the municipality's own templates (indstilling.docx, borgerbrev.docx,
    # referat.docx); a file not there comes from the bundled defaults.
    template_dir: Path | None = None
    # The CPR number in documents sent to the citizen and the myndighed: in full or masked.
    document_cpr: Literal["full", "masked"] = "full"
    export_dir: Path | None = None
    slot_minutes: int = Field(default=60, ge=15, le=240)
    cases_per_meeting: int = Field(default=5, ge=1, le=20)
    material_deadline_workdays: int = Field(default=5, ge=0, le=30)
    rules_file: Path | None = None
    # Dansk Socialrådgiverforening's guideline: 25-40 citizens in ressourceforløb per
    # koordinerende sagsbehandler; above the maximum is warned about.
    caseload_min: int = Field(default=25, ge=1)
    caseload_max: int = Field(default=40, ge=1)
    # How long audit entries are kept before `rehabteam audit purge` removes them.
    audit_retention_days: int = Field(default=183, ge=1)
    # Which staff member is working (initials). On PostgreSQL the database login is used.
    user: str = ""

    @field_validator("database_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @property
    def effective_database_url(self) -> str:
        return self.database_url or default_database_url()

    @property
    def effective_export_dir(self) -> Path:
        if self.export_dir is not None:
            return self.export_dir
        return platformdirs.user_documents_path() / "rehabteam-eksport"
