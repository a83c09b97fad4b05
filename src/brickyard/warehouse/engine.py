"""The warehouse interface that the SQL APIs, SQL tasks and dbt build on.

A :class:`Warehouse` runs Databricks SQL: :meth:`~Warehouse.execute` one statement,
:meth:`~Warehouse.execute_script` several (the last one's result, every one's timing). Two
engines implement it:

- :class:`~brickyard.warehouse.duckdb_warehouse.DuckDBWarehouse` (the default): DuckDB over the
  lakehouse, sharing its tables with Spark.
- :class:`~brickyard.warehouse.sqlalchemy_warehouse.SqlAlchemyWarehouse`: a database a team
  already runs (any SQLAlchemy URL; PostgreSQL is tested), the SQL transpiled to its dialect.

Errors: bad SQL, a missing parameter, an unknown table are :class:`~brickyard.errors.SqlError`
(an ``InvalidInputError``) naming the statement, line and reason; a canceled statement raises
:class:`~brickyard.errors.SqlCanceledError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from brickyard.warehouse.duckdb_warehouse import DuckDBWarehouse
from brickyard.warehouse.parameters import Parameter, parameters_from_json
from brickyard.warehouse.results import ResultColumn, ScriptResult, StatementResult, StatementTiming
from brickyard.warehouse.sqlalchemy_warehouse import SqlAlchemyWarehouse

__all__ = [
    "DuckDBWarehouse",
    "Parameter",
    "ResultColumn",
    "ScriptResult",
    "SqlAlchemyWarehouse",
    "StatementResult",
    "StatementTiming",
    "Warehouse",
    "open_warehouse",
    "parameters_from_json",
]


class Warehouse(Protocol):
    """Runs Databricks SQL statements. Implementations are thread-safe."""

    def execute(
        self,
        statement: str,
        *,
        parameters: Mapping[str, Parameter] | None = None,
        catalog: str | None = None,
        schema: str | None = None,
        row_limit: int | None = None,
        statement_id: str | None = None,
    ) -> StatementResult:
        """Run one statement with ``catalog``.``schema`` current (``main``.``default`` unless
        given), at most ``row_limit`` rows returned. ``statement_id`` names it for
        :meth:`cancel`."""
        ...

    def execute_script(
        self,
        text: str,
        *,
        parameters: Mapping[str, Parameter] | None = None,
        catalog: str | None = None,
        schema: str | None = None,
        row_limit: int | None = None,
        statement_id: str | None = None,
        on_statement: Callable[[StatementTiming], None] | None = None,
    ) -> ScriptResult:
        """Run the statements of ``text`` in order (USE carries over to the next ones);
        ``on_statement`` hears of each as it finishes. ``row_limit`` applies to each."""
        ...

    def cancel(self, statement_id: str) -> bool:
        """Interrupt the running statement or script ``statement_id`` (it raises
        ``SqlCanceledError``); False where nothing of that id runs."""
        ...

    def interrupt(self) -> None:
        """Interrupt everything running (a stopping warehouse)."""
        ...

    def close(self) -> None:
        """Interrupt what runs and let the engine go."""
        ...


def open_warehouse(lakehouse_root: Path, url: str | None = None) -> Warehouse:
    """The default DuckDB warehouse over ``lakehouse_root``, or a SQLAlchemy one for ``url``."""
    if url:
        return SqlAlchemyWarehouse(url)
    return DuckDBWarehouse(lakehouse_root)
