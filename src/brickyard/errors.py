"""The error hierarchy. The API maps these once to Databricks error bodies; the CLI to exit codes.

Every error a user can cause says what is wrong and where (a field path or a file), in one line.
"""

from __future__ import annotations

from dataclasses import dataclass


class BrickyardError(Exception):
    """Base of every error brickyard raises on purpose."""

    error_code = "INTERNAL_ERROR"
    """The Databricks ``error_code`` this error maps to."""

    http_status: int | None = None
    """The HTTP status, where an API answers this error with another status than its
    ``error_code`` usually has; None: the usual one."""


class InvalidInputError(BrickyardError):
    """The caller sent something invalid (HTTP 400 ``INVALID_PARAMETER_VALUE``, CLI exit 2)."""

    error_code = "INVALID_PARAMETER_VALUE"


@dataclass(frozen=True)
class Problem:
    """One problem in a job definition: where (a field path such as ``tasks[2].depends_on[0]``)
    and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class JobValidationError(InvalidInputError):
    """A job definition has one or more problems; all of them are listed, each with its path."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__(prefix + "; ".join(str(p) for p in self.problems))


class JobFileError(InvalidInputError):
    """A job file cannot be read or parsed (missing, not JSON/YAML, wrong top-level shape)."""


class NotFoundError(InvalidInputError):
    """A job, run, notebook or workspace object does not exist.

    The Jobs API answers 400 ``INVALID_PARAMETER_VALUE`` with ``Job <id> does not exist.`` for
    unknown ids, and the SDK turns that message into ``ResourceDoesNotExist``.
    """


class InvalidStateError(BrickyardError):
    """The operation does not fit the object's current state (repair a running run, ...)."""

    error_code = "INVALID_STATE"


class ConflictError(BrickyardError):
    """A concurrent change won (idempotency token reuse, a compare-and-set that lost)."""

    error_code = "RESOURCE_ALREADY_EXISTS"


class AlreadyExistsError(BrickyardError):
    """A file or folder is in the way of one being created or moved (HTTP 409
    ``RESOURCE_ALREADY_EXISTS``)."""

    error_code = "RESOURCE_ALREADY_EXISTS"


class MaxBlockSizeExceededError(InvalidInputError):
    """DBFS: an ``add-block`` or inline ``put`` carries more than 1 MB (HTTP 400)."""

    error_code = "MAX_BLOCK_SIZE_EXCEEDED"


class MaxReadSizeExceededError(InvalidInputError):
    """DBFS: a ``read`` asks for more than 1 MB at once (HTTP 400)."""

    error_code = "MAX_READ_SIZE_EXCEEDED"


class FileOperationError(BrickyardError):
    """A file operation that cannot be done as asked (a non-empty folder deleted without
    ``recursive``, a folder where a file is expected; HTTP 400 ``IO_ERROR``)."""

    error_code = "IO_ERROR"
    http_status = 400


class IllegalTransitionError(BrickyardError):
    """Code tried a state transition the table in :mod:`brickyard.states` forbids: a bug."""


class StorageError(BrickyardError):
    """The store cannot be opened or migrated."""


class LibraryInstallationError(BrickyardError):
    """A task library could not be installed; the message carries pip's own output."""


class TaskLaunchError(BrickyardError):
    """A task process could not be started (missing file, unknown package, bad interpreter)."""

    def __init__(self, message: str, termination_code: str = "RESOURCE_NOT_FOUND") -> None:
        super().__init__(message)
        self.termination_code = termination_code


class ResourceNotFoundError(BrickyardError):
    """A workspace object, secret scope, token or similar does not exist (HTTP 404
    ``RESOURCE_DOES_NOT_EXIST``; jobs and runs use :class:`NotFoundError` instead, as the Jobs
    API does)."""

    error_code = "RESOURCE_DOES_NOT_EXIST"


class UnauthenticatedError(BrickyardError):
    """The request carries no token, or one that is unknown or expired (HTTP 401)."""

    error_code = "UNAUTHENTICATED"


class PermissionDeniedError(BrickyardError):
    """The caller's token is valid but does not allow the operation (HTTP 403)."""

    error_code = "PERMISSION_DENIED"


class SparkUnavailableError(BrickyardError):
    """Spark cannot run here: pyspark is not installed, or Java is missing or too old. The
    message says which and how to fix it."""


class SqlError(InvalidInputError):
    """A SQL statement cannot be parsed, translated or run: the message names the statement (its
    first line), where it is (line and column, where known) and why."""

    def __init__(
        self, statement: str, reason: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.statement = statement
        self.reason = reason
        self.line = line
        self.column = column
        first_line = next((part for part in statement.strip().splitlines() if part.strip()), "")
        where = ""
        if line is not None:
            where = f" at line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"statement {first_line.strip()!r}{where}: {reason}")


class SqlCanceledError(BrickyardError):
    """A running SQL statement was canceled (its caller asked, or its warehouse stopped)."""

    error_code = "CANCELLED"
