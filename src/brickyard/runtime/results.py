"""What the task runtime decides about a result before writing it: the exit value's limit
and the default error code (the result file itself is :mod:`brickyard.task_protocol`'s)."""

from __future__ import annotations

EXIT_VALUE_LIMIT_BYTES = 5 * 1024 * 1024
"""``dbutils.notebook.exit`` keeps the first 5 MB (UTF-8 bytes) of the value."""

RUN_EXECUTION_ERROR_CODE = "RunExecutionError"


def truncate_exit_value(value: str) -> tuple[str, bool]:
    """The first 5 MB (UTF-8 bytes) of ``value`` and whether anything was cut."""
    encoded = value.encode("utf-8", errors="surrogatepass")
    if len(encoded) <= EXIT_VALUE_LIMIT_BYTES:
        return value, False
    # errors="ignore" drops a multi-byte character split by the cut instead of garbling it.
    return encoded[:EXIT_VALUE_LIMIT_BYTES].decode("utf-8", errors="ignore"), True
