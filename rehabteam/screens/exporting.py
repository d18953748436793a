"""Exports from a screen: run in a worker, with a progress dialog when there are several
files; when a file is already there, ask before replacing it and run again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from rehabteam.errors import ExportExists, UserError, refusal_text
from rehabteam.i18n import t

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer
    from rehabteam.screens.base import ServiceScreen

R = TypeVar("R")
Progress = Callable[[int, int, str], None]  # files done, files in all, the file being written
Export = Callable[["Session", "Viewer", bool, Progress | None], R]  # (..., overwrite, progress)


def run_export(
    screen: ServiceScreen,
    export: Export[R],
    done: Callable[[R], str],
    *,
    group: str,
    title: str = "",
    overwrite: bool = False,
) -> None:
    """Run `export`; `done` says what was written. With a `title`, a progress dialog
    follows the files; without, the result is a notification."""
    from rehabteam.screens.dialogs.export_progress import ExportProgress
    from rehabteam.screens.dialogs.prompts import ConfirmPrompt

    progress = ExportProgress(title) if title else None
    report: Progress | None = None
    if progress is not None:
        screen.app.push_screen(progress)
        shown = progress

        def report(n: int, total: int, name: str) -> None:
            screen.app.call_from_thread(shown.advance, n, total, name)

    def finished(result: R) -> None:
        message = done(result)
        if progress is not None:
            progress.finish(message)
        else:
            screen.notify(message, timeout=8)

    def again(yes: bool | None) -> None:
        if yes:
            run_export(screen, export, done, group=group, title=title, overwrite=True)

    def refused(exc: UserError) -> None:
        if progress is not None:
            progress.dismiss(None)
        if isinstance(exc, ExportExists) and not overwrite:
            question = str(exc).split(". ")[0] + ".\n" + t("export.replace_question")
            screen.app.push_screen(ConfirmPrompt(question, yes=t("export.replace")), again)
            return
        screen.notify(refusal_text(exc), severity="error", timeout=15)

    screen.call_service(
        lambda s, v: export(s, v, overwrite, report),
        finished,
        write=True,
        group=group,
        on_error=refused,
    )
