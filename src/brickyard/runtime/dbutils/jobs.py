# ruff: noqa: N803 - dbutils mirrors the Databricks API's camelCase names.
"""``dbutils.jobs.taskValues``: small JSON values passed between the tasks of a job run."""

from __future__ import annotations

import json
from typing import Any

from brickyard.runtime.context import TaskContext

TASK_VALUE_LIMIT_BYTES = 48 * 1024
"""A task value's JSON may be at most 48 KiB."""
_MISSING: Any = object()


class TaskValuesUtils:
    """Set values for later tasks; read values set by earlier tasks of the same run."""

    def __init__(self, context: TaskContext) -> None:
        self._context = context

    def set(self, key: str, value: Any) -> None:
        """Set (or overwrite) the task value ``key``; ``value`` must be JSON-serialisable."""
        if not isinstance(key, str) or not key:
            raise ValueError("task value key must be a non-empty string")
        try:
            encoded = json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"task value {key!r} is not JSON-serialisable: {exc}") from None
        size = len(encoded.encode("utf-8"))
        if size > TASK_VALUE_LIMIT_BYTES:
            raise ValueError(
                f"task value {key!r} is {size} bytes of JSON; the limit is "
                f"{TASK_VALUE_LIMIT_BYTES} bytes (48 KiB)"
            )
        # Store the JSON round trip, so later reads see what downstream tasks will see.
        self._context.task_values[key] = json.loads(encoded)
        if self._context.on_task_values_changed is not None:
            self._context.on_task_values_changed(dict(self._context.task_values))

    def get(
        self,
        taskKey: str,
        key: str,
        default: Any = None,
        debugValue: Any = None,
    ) -> Any:
        """The value ``key`` set by task ``taskKey`` in this job run.

        Missing: ``default`` when given, else ``ValueError``. Outside a job: ``debugValue``,
        and ``TypeError`` when it is None.
        """
        spec = self._context.spec
        if spec is None:
            if debugValue is None:
                raise TypeError(
                    "dbutils.jobs.taskValues.get outside a job needs debugValue: pass "
                    "debugValue=... to get a value when the notebook runs interactively"
                )
            return debugValue
        if taskKey == spec.task_key:
            values: Any = self._context.task_values
        else:
            values = spec.task_values.get(taskKey, {})
        value = values.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if default is not None:
            return default
        raise ValueError(
            f"no task value {key!r} was set by task {taskKey!r} in this job run "
            "(pass default=... to use a fallback)"
        )


class JobsUtils:
    """``dbutils.jobs``."""

    def __init__(self, context: TaskContext) -> None:
        self.taskValues = TaskValuesUtils(context)
