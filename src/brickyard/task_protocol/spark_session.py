"""The ``spark`` key of ``spec.json``: which Spark session the task's ``spark`` object opens.

Written by the executors for every Python task process when Spark is installed, read by the
runtime, which builds the session only the first time the task's code touches ``spark``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from brickyard.task_protocol.fields import FieldReader


class SparkMode(StrEnum):
    """Where the task's Spark session runs."""

    CLUSTER = "cluster"
    """On the task's cluster: the runtime asks the engine (control socket, op
    ``spark_cluster``) for the cluster's Spark Connect address and connects to it."""
    LOCAL = "local"
    """In the task's own process: a classic session on ``master`` (``local[*]`` by default),
    for tasks without a cluster (serverless, ``environment_key``, plain local runs)."""


@dataclass(frozen=True)
class SparkSessionSpec:
    """How to build the task's session; ``conf`` and ``jars`` apply to LOCAL sessions."""

    mode: SparkMode
    conf: Mapping[str, str] = field(default_factory=dict)
    """Spark settings of a LOCAL session (the lakehouse catalogs among them)."""
    jars: tuple[str, ...] = ()
    """Jars a LOCAL session puts on ``spark.jars`` (the lakehouse catalog)."""
    app_name: str = "brickyard"
    master: str | None = None
    """A LOCAL session's master; None means ``local[*]``."""

    def to_json(self) -> dict[str, Any]:
        """The ``spark`` object of ``spec.json``."""
        return {
            "mode": self.mode.value,
            "conf": dict(self.conf),
            "jars": list(self.jars),
            "app_name": self.app_name,
            "master": self.master,
        }

    @classmethod
    def read(cls, raw: Any, source: str) -> SparkSessionSpec | None:
        """The session spec from the decoded ``spark`` value (absent or null: None)."""
        if raw is None:
            return None
        reader = FieldReader({"spark": raw}, source)
        if not isinstance(raw, Mapping):
            raise reader.fail("field 'spark' must be an object or null")
        fields = FieldReader(raw, f"{source}: spark")
        mode_text = fields.string("mode")
        try:
            mode = SparkMode(mode_text)
        except ValueError:
            choices = ", ".join(m.value for m in SparkMode)
            raise fields.fail(f"mode {mode_text!r} is not one of {choices}") from None
        return cls(
            mode=mode,
            conf=fields.string_map("conf"),
            jars=fields.string_list("jars"),
            app_name=fields.optional_string("app_name") or "brickyard",
            master=fields.optional_string("master"),
        )


__all__ = ["SparkMode", "SparkSessionSpec"]
