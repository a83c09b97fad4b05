"""The one error a cron expression raises: :class:`CronSyntaxError`."""

from __future__ import annotations

from brickyard.errors import InvalidInputError


class CronSyntaxError(InvalidInputError):
    """A Quartz cron expression that cannot be used, with where and why in one line.

    ``field`` names the field (``"seconds"`` ... ``"year"``, None for a whole-expression problem
    such as the number of fields), ``token`` the offending text, and ``suggestion`` a corrected
    whole expression when one can be proposed (the message shows it too).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        token: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        if suggestion is not None:
            message = f"{message}; use '{suggestion}'"
        super().__init__(message)
        self.field = field
        self.token = token
        self.suggestion = suggestion
