"""What a statement returns: its columns as the Statement Execution API's manifest describes
them, and its rows as one Arrow table (from which INLINE JSON_ARRAY and ARROW_STREAM chunks are
both cut)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from brickyard.warehouse.spark_types import SparkType, decimal_precision_scale, type_name, type_text


@dataclass(frozen=True)
class ResultColumn:
    """One result column, as a manifest's ``schema.columns`` item spells it."""

    name: str
    position: int
    type_text: str
    """``BIGINT``, ``STRING``, ``DECIMAL(10,2)``, ``ARRAY<INT>``..."""
    type_name: str
    """``LONG``, ``STRING``, ``DECIMAL``, ``ARRAY``..."""
    spark_type: SparkType
    type_precision: int | None = None
    type_scale: int | None = None

    @classmethod
    def of(cls, name: str, position: int, spark_type: SparkType) -> ResultColumn:
        decimal = decimal_precision_scale(spark_type)
        return cls(
            name=name,
            position=position,
            type_text=type_text(spark_type),
            type_name=type_name(spark_type),
            spark_type=spark_type,
            type_precision=decimal[0] if decimal else None,
            type_scale=decimal[1] if decimal else None,
        )

    def to_manifest(self) -> dict[str, object]:
        """The manifest's JSON of this column."""
        out: dict[str, object] = {
            "name": self.name,
            "position": self.position,
            "type_name": self.type_name,
            "type_text": self.type_text,
        }
        if self.type_precision is not None:
            out["type_precision"] = self.type_precision
            out["type_scale"] = self.type_scale
        return out


@dataclass(frozen=True)
class StatementResult:
    """The result of one statement."""

    statement: str
    """The statement's own text, as written."""
    line: int
    """Where the statement starts in its script (1 for a single statement)."""
    columns: tuple[ResultColumn, ...]
    rows: pa.Table
    """All rows returned (at most ``row_limit``); no columns for statements without a result."""
    truncated: bool
    """Whether ``row_limit`` cut rows off (the manifest's ``truncated``)."""
    started_ms: int
    """When it started, epoch milliseconds."""
    duration_ms: float
    executed: str = ""
    """The SQL the engine ran (after translation; for logs). Empty where the warehouse did the
    work itself (a lakehouse write's file moves)."""

    @property
    def row_count(self) -> int:
        return int(self.rows.num_rows)


@dataclass(frozen=True)
class StatementTiming:
    """One statement of a script, for its log: where it is and how long it took."""

    statement: str
    line: int
    duration_ms: float
    row_count: int


@dataclass(frozen=True)
class ScriptResult:
    """A script's outcome: the last statement's result and every statement's timing."""

    result: StatementResult
    timings: tuple[StatementTiming, ...] = field(default_factory=tuple)


def empty_result(statement: str, line: int, started_ms: int, duration_ms: float) -> StatementResult:
    """The result of a statement that returns nothing (DDL)."""
    return StatementResult(
        statement=statement,
        line=line,
        columns=(),
        rows=pa.table({}),
        truncated=False,
        started_ms=started_ms,
        duration_ms=duration_ms,
    )
