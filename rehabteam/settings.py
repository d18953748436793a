"""Settings (environment variables prefixed `REHABTEAM_`, or a `.env`-free config) and paths.

Paths come from `data_dir()` / `log_dir()`, which tests redirect with REHABTEAM_DATA_DIR.
Nothing is created at import; folders are made on first use, owner-only (0700).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import platformdirs

from rehabteam.errors import UserError
from rehabteam.i18n import t

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
    """Create `path` (and the parents missing) owner-only (0700).

    A folder that already exists is left as it is: it may be one the user chose on purpose
    (a shared drive, /tmp), and changing its mode could lock others out.
    """
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    # Every folder made here is owner-only, parents too: the log folder inside the data
    # folder is often made first, and mkdir(parents=True) would leave the data folder open.
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is reduced by the umask
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'rehabteam.sqlite3'}"


class SettingsError(UserError):
    """A REHABTEAM_* variable (or an argument) that cannot be used; says which and why."""


def _text(value: object) -> str:
    return str(value).strip()


def _choice(*allowed: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = str(value).strip()
        if text not in allowed:
            raise ValueError(t("settings.one_of", choices=", ".join(allowed)))
        return text

    return parse


def _whole(low: int, high: int | None = None) -> Callable[[object], int]:
    def parse(value: object) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            if high is None:
                raise ValueError(t("settings.whole_from", low=low))
            raise ValueError(t("settings.whole_range", low=low, high=high))
        return number

    return parse


def _database_url(value: object) -> str:
    """Empty (SQLite in the data folder), a SQLite file or a PostgreSQL database: not an
    in-memory SQLite (`sqlite:///` alone would throw every save away) nor anything else."""
    text = str(value).strip()
    if not text:
        return ""
    if text.startswith("postgresql://"):
        text = "postgresql+psycopg://" + text.removeprefix("postgresql://")
    if text.startswith("postgresql+psycopg://") and len(text) > len("postgresql+psycopg://"):
        return text
    path = text.removeprefix("sqlite:///")
    if text.startswith("sqlite:///") and path.strip() and path != ":memory:":
        return text
    raise ValueError(t("settings.db_url"))


def _path(value: object) -> Path | None:
    text = str(value).strip() if value is not None else ""
    return Path(text).expanduser() if text else None


@dataclass(frozen=True)
class Settings:
    """What can be configured, from REHABTEAM_<NAME> variables unless given as arguments.

    Plain Python (no pydantic): the settings are read before the first paint, and that
    must not wait for a validation library. A value that cannot be used raises
    `SettingsError` naming the variable and what it accepts.
    """

    database_url: str = ""  # SQLAlchemy URL; empty: SQLite in the data directory
    language: Literal["da", "en"] = "da"
    organisation_name: str = "Kommunens rehabiliteringsteam"
    # How the citizen reaches the unit when a case has no sagsbehandler (the letter).
    organisation_phone: str = ""
    organisation_email: str = ""
    # A folder with the municipality's own templates (indstilling.docx, borgerbrev.docx,
    # referat.docx); a file not there comes from the bundled defaults.
    template_dir: Path | None = None
    # The CPR number in documents sent to the citizen and the myndighed: in full or masked.
    document_cpr: Literal["full", "masked"] = "full"
    export_dir: Path | None = None
    slot_minutes: int = 60
    cases_per_meeting: int = 5
    material_deadline_workdays: int = 5
    rules_file: Path | None = None
    # Dansk Socialrådgiverforening's guideline ("vejledende sagstal", not law), in citizens
    # per koordinerende sagsbehandler, per area: ressourceforløb 25-40; jobafklaringsforløb
    # as the sygedagpenge area, 25-45. Above the maximum is warned about.
    caseload_min: int = 25
    caseload_max: int = 40
    caseload_jobafklaring_min: int = 25
    caseload_jobafklaring_max: int = 45
    # How long audit entries are kept before `rehabteam audit purge` removes them.
    audit_retention_days: int = 183
    # When the letter says the citizen will hear from the municipality, in days after the
    # approval: the municipality's own published sagsbehandlingsfrist (practice, not law),
    # for a course (ressourceforløb, jobafklaringsforløb) and for everything else (fleksjob,
    # førtidspension).
    answer_days_course: int = 14
    answer_days: int = 28
    # An invitation exported for a meeting fewer days ahead than this may not reach the
    # citizen by post in time: the user is told (it is still written).
    invitation_notice_days: int = 5
    # SQLite: how long a passed integrity check (quick_check) stands before a start or a
    # command checks the file again; 0: at every start and command. `rehabteam db check`
    # runs the full check at any time.
    integrity_check_hours: int = 24
    # Which staff member is working (initials). On PostgreSQL the database login is used.
    user: str = ""
    # The names given as arguments or variables (not defaults): "configured" settings.
    explicit: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __init__(self, *, environ: Mapping[str, str] | None = None, **given: Any) -> None:
        env = os.environ if environ is None else environ
        unknown = set(given) - set(_PARSERS)
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        explicit = set(given)
        for spec in fields(self):
            if spec.name == "explicit":
                continue
            variable = f"REHABTEAM_{spec.name.upper()}"
            if spec.name in given:
                raw: object = given[spec.name]
            elif variable in env:
                raw = env[variable]
                explicit.add(spec.name)
            else:
                object.__setattr__(self, spec.name, spec.default)
                continue
            try:
                value = _PARSERS[spec.name](raw)
            except ValueError as exc:
                raise SettingsError(
                    t("settings.invalid", variable=variable, allowed=str(exc))
                ) from None
            object.__setattr__(self, spec.name, value)
        object.__setattr__(self, "explicit", frozenset(explicit))
        self._check_together()

    def _check_together(self) -> None:
        for (low_name, low), (high_name, high) in (
            (("CASELOAD_MIN", self.caseload_min), ("CASELOAD_MAX", self.caseload_max)),
            (
                ("CASELOAD_JOBAFKLARING_MIN", self.caseload_jobafklaring_min),
                ("CASELOAD_JOBAFKLARING_MAX", self.caseload_jobafklaring_max),
            ),
        ):
            if low > high:
                raise SettingsError(
                    t(
                        "settings.caseload_order",
                        low=low,
                        high=high,
                        low_name=low_name,
                        high_name=high_name,
                    )
                )

    def caseload_guidelines(self) -> dict[str, tuple[int, int]]:
        """The guideline (lowest, highest) per area: the kind of course."""
        return {
            "ressourceforloeb": (self.caseload_min, self.caseload_max),
            "jobafklaringsforloeb": (
                self.caseload_jobafklaring_min,
                self.caseload_jobafklaring_max,
            ),
        }

    def answer_days_for(self, kind: str) -> int:
        """Days from the approval until the citizen hears from the municipality."""
        courses = ("ressourceforloeb", "jobafklaringsforloeb")
        return self.answer_days_course if kind in courses else self.answer_days

    def with_updates(self, **updates: Any) -> Settings:
        """A copy with `updates` (command-line arguments) applied and validated."""
        if not updates:
            return self
        merged = copy.copy(self)
        for name, raw in updates.items():
            try:
                value = _PARSERS[name](raw)
            except ValueError as exc:
                raise SettingsError(
                    t("settings.invalid", variable=name, allowed=str(exc))
                ) from None
            object.__setattr__(merged, name, value)
        object.__setattr__(merged, "explicit", merged.explicit | set(updates))
        merged._check_together()
        return merged

    @property
    def effective_database_url(self) -> str:
        return self.database_url or default_database_url()

    @property
    def effective_export_dir(self) -> Path:
        if self.export_dir is not None:
            return self.export_dir
        return platformdirs.user_documents_path() / "rehabteam-eksport"


_PARSERS: dict[str, Callable[[object], Any]] = {
    "database_url": _database_url,
    "language": _choice("da", "en"),
    "organisation_name": _text,
    "organisation_phone": _text,
    "organisation_email": _text,
    "template_dir": _path,
    "document_cpr": _choice("full", "masked"),
    "export_dir": _path,
    "slot_minutes": _whole(15, 240),
    "cases_per_meeting": _whole(1, 20),
    "material_deadline_workdays": _whole(0, 30),
    "rules_file": _path,
    "caseload_min": _whole(1, 200),
    "caseload_max": _whole(1, 200),
    "caseload_jobafklaring_min": _whole(1, 200),
    "caseload_jobafklaring_max": _whole(1, 200),
    "audit_retention_days": _whole(1, 3650),
    "answer_days_course": _whole(1, 365),
    "answer_days": _whole(1, 365),
    "invitation_notice_days": _whole(0, 60),
    "integrity_check_hours": _whole(0, 24 * 30),
    "user": _text,
}
