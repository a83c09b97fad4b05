"""The task-type objects (the ``*_task`` fields of a Task, jobs-api.md §4.4).

The nested task of ``for_each_task`` is a full :class:`~brickyard.spec.tasks.Task`, so
:class:`ForEachTask` lives beside Task in :mod:`brickyard.spec.tasks`.
"""

from __future__ import annotations

from pydantic import Field

from brickyard.spec.base import ApiModel, LenientBool, LenientInt, LenientStr, StrList, StrMap
from brickyard.spec.enums import Source
from brickyard.states import ConditionOp


class NotebookTask(ApiModel):
    """Run a notebook; ``base_parameters`` arrive as widgets."""

    notebook_path: str
    base_parameters: StrMap | None = None
    source: Source | None = None
    warehouse_id: str | None = None


class SparkPythonTask(ApiModel):
    """Run a Python file; ``parameters`` are its ``sys.argv[1:]``."""

    python_file: str
    parameters: StrList | None = None
    source: Source | None = None


class PythonWheelTask(ApiModel):
    """Call a wheel's entry point with positional or named (``--k=v``) parameters."""

    package_name: str
    entry_point: str
    parameters: StrList | None = None
    named_parameters: StrMap | None = None


class SparkJarTask(ApiModel):
    """Run a JAR's main class."""

    main_class_name: str | None = None
    parameters: StrList | None = None
    jar_uri: str | None = None
    run_as_repl: LenientBool | None = None


class SparkSubmitTask(ApiModel):
    """Legacy spark-submit with raw arguments."""

    parameters: StrList | None = None


class SqlTaskSubscription(ApiModel):
    """A recipient of a SQL alert or dashboard."""

    user_name: str | None = None
    destination_id: str | None = None


class SqlTaskQuery(ApiModel):
    """A saved SQL query."""

    query_id: str


class SqlTaskFile(ApiModel):
    """A SQL file."""

    path: str
    source: Source | None = None


class SqlTaskAlert(ApiModel):
    """A SQL alert."""

    alert_id: str
    subscriptions: list[SqlTaskSubscription] | None = None
    pause_subscriptions: LenientBool | None = None


class SqlTaskDashboard(ApiModel):
    """A legacy SQL dashboard refresh."""

    dashboard_id: str
    subscriptions: list[SqlTaskSubscription] | None = None
    custom_subject: str | None = None
    pause_subscriptions: LenientBool | None = None


class SqlTask(ApiModel):
    """Run a SQL query, file, alert or dashboard on a warehouse; ``parameters`` are ``:name``."""

    warehouse_id: str
    parameters: StrMap | None = None
    query: SqlTaskQuery | None = None
    file: SqlTaskFile | None = None
    alert: SqlTaskAlert | None = None
    dashboard: SqlTaskDashboard | None = None


class DbtTask(ApiModel):
    """Run dbt commands in a project."""

    commands: StrList = Field(min_length=1, max_length=10)
    project_directory: str | None = None
    profiles_directory: str | None = None
    warehouse_id: str | None = None
    catalog: str | None = None
    # ``schema`` would shadow BaseModel.schema, so the attribute has a trailing underscore.
    schema_: str | None = Field(default=None, alias="schema")
    source: Source | None = None


class PipelineTask(ApiModel):
    """Refresh a pipeline."""

    pipeline_id: str
    full_refresh: LenientBool | None = None
    parameters: StrMap | None = None
    full_refresh_selection: list[str] | None = None
    refresh_selection: list[str] | None = None
    refresh_flow_selection: list[str] | None = None
    reset_checkpoint_selection: list[str] | None = None


class PipelineParams(ApiModel):
    """Per-run pipeline options (run-now ``pipeline_params``, ``run_job_task.pipeline_params``)."""

    full_refresh: LenientBool | None = None
    full_refresh_selection: list[str] | None = None
    refresh_selection: list[str] | None = None
    refresh_flow_selection: list[str] | None = None
    reset_checkpoint_selection: list[str] | None = None


class RunJobTask(ApiModel):
    """Start a run of another job and wait for it."""

    job_id: LenientInt
    job_parameters: StrMap | None = None
    notebook_params: StrMap | None = None
    jar_params: StrList | None = None
    python_params: StrList | None = None
    python_named_params: StrMap | None = None
    spark_submit_params: StrList | None = None
    sql_params: StrMap | None = None
    dbt_commands: StrList | None = None
    pipeline_params: PipelineParams | None = None


class ConditionTask(ApiModel):
    """Compare ``left`` and ``right``; downstream tasks pick the ``"true"``/``"false"`` outcome."""

    op: ConditionOp
    left: LenientStr
    right: LenientStr


class CleanRoomsNotebookTask(ApiModel):
    """Run a notebook in a clean room."""

    clean_room_name: str
    notebook_name: str
    notebook_base_parameters: StrMap | None = None
    etag: str | None = None
