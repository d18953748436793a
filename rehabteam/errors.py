"""Errors meant for the user: their message is already in the user's language."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can understand and act on. `str(error)` is the message to show."""


class NotFound(UserError):
    pass


class InvalidInput(UserError):
    """Bad input; `field` names the input it concerns, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RuleViolation(UserError):
    """A rule forbids the action; `problems` lists each reason, `field` names the input it
    concerns, when there is one."""

    def __init__(
        self, message: str, problems: list[str] | None = None, *, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.problems, self.field = problems or [], field

    def __str__(self) -> str:
        """The message with each problem on a line of its own: a message that ends "Det
        mangler:" was printed with nothing after it."""
        return "\n".join([super().__str__(), *(f"  • {p}" for p in self.problems)])


class StaleEdit(UserError):
    """Someone else saved the record after it was read; nothing was overwritten.

    `theirs` holds the other person's saved values, so the user can compare and merge; the
    user's own text stays in the editor.
    """

    def __init__(self, message: str, theirs: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.theirs = theirs or {}


class DatabaseProblem(UserError):
    """The database cannot be used as it is (locked, corrupt, too new, not ours)."""


class ExportExists(InvalidInput):
    """The export's file exists; the user may choose to replace it."""


class AccessDenied(UserError):
    """The person working may not do or see this; the message says why.

    What was refused (entity, its id, the case) and to whom travel with it, so the refusal
    can be written to the audit trail after the refused transaction is rolled back."""

    def __init__(
        self,
        message: str,
        *,
        entity: str = "",
        entity_id: int | None = None,
        case_id: int | None = None,
        actor_id: int | None = None,
        actor_login: str = "",
    ) -> None:
        super().__init__(message)
        self.entity, self.entity_id = entity, entity_id
        self.case_id, self.actor_id, self.actor_login = case_id, actor_id, actor_login


class RulesError(ValueError):
    """A rules file that cannot be used; the message says which and why."""


def refusal_text(exc: UserError) -> str:
    """A refusal as shown: its message, then each reason a rule gave on a line of its own."""
    problems = getattr(exc, "problems", [])
    theirs = getattr(exc, "theirs", {})
    if theirs:  # a stale edit: the other person's saved version, to compare with
        from rehabteam.i18n import t
        from rehabteam.textsafe import clean_line

        problems = [
            *problems,
            *(t("edit.theirs_line", text=clean_line(str(v)) or "-") for v in theirs.values()),
        ]
    return "\n".join([str(exc), *(f"• {p}" for p in problems)])


def user_message(exc: Exception) -> str:
    """What to show the user for an error: a pydantic ValidationError's own validator
    messages without pydantic's wrapping, or the error's text."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return " ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in errors())
    return str(exc)
