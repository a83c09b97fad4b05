"""The task-type enum: what a task runs, named by its ``*_task`` field (jobs-api.md §4.4).

This is the only key for a task type anywhere in brickyard: the executors' definitions table,
parameter rules and output rendering are looked up by it, never by a field-name string. The
models of each type's ``*_task`` object live in :mod:`brickyard.spec.task_types`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class TaskType(StrEnum):
    """A task type; its value is the Task field that holds it, as the API spells it."""

    NOTEBOOK = "notebook_task"
    """Run a notebook; its parameters arrive as widgets."""
    SPARK_PYTHON = "spark_python_task"
    """Run a Python file; its parameters are ``sys.argv[1:]``."""
    PYTHON_WHEEL = "python_wheel_task"
    """Call an installed package's entry point with positional or ``--k=v`` parameters."""
    SPARK_JAR = "spark_jar_task"
    """Run a JAR's main class."""
    SPARK_SUBMIT = "spark_submit_task"
    """Legacy spark-submit with raw arguments."""
    SQL = "sql_task"
    """Run a SQL query, file, alert or dashboard on a warehouse."""
    DBT = "dbt_task"
    """Run dbt commands."""
    PIPELINE = "pipeline_task"
    """Update a Lakeflow (Delta Live Tables) pipeline."""
    RUN_JOB = "run_job_task"
    """Start a run of another job and wait for it."""
    CONDITION = "condition_task"
    """An if/else condition: two operands compared, no process."""
    FOR_EACH = "for_each_task"
    """Run a nested task once per element of an input array."""
    CLEAN_ROOMS_NOTEBOOK = "clean_rooms_notebook_task"
    """Run a notebook in a clean room."""
    DASHBOARD = "dashboard_task"
    """Refresh a Lakeview dashboard."""
    POWER_BI = "power_bi_task"
    """Publish to Power BI."""
    ALERT = "alert_task"
    """Evaluate a SQL alert (v2)."""
    DBT_CLOUD = "dbt_cloud_task"
    """Run a dbt Cloud job."""
    DBT_PLATFORM = "dbt_platform_task"
    """Run a dbt platform job."""
    GEN_AI_COMPUTE = "gen_ai_compute_task"
    """Run a generative-AI compute workload."""
    PYTHON_OPERATOR = "python_operator_task"
    """Run a Python operator."""
    AI_FUNCTION = "ai_function_task"
    """Run an AI function."""
    AI_RUNTIME = "ai_runtime_task"
    """Run on the AI runtime."""
    GENIE = "genie_task"
    """Ask a Genie space."""
    AGENTIC = "agentic_task"
    """Run an agent."""

    @classmethod
    def of_fields(cls, fields: Mapping[str, Any]) -> TaskType | None:
        """The type of a task given as its API fields (a stored ``task`` object): the first
        known ``*_task`` field that is set, in declaration order; None when there is none."""
        for task_type in cls:
            if fields.get(task_type.value) is not None:
                return task_type
        return None


TASK_TYPE_FIELDS: tuple[str, ...] = tuple(task_type.value for task_type in TaskType)
"""The task-type fields brickyard knows by name; any other ``*_task`` field also counts."""
