"""The database schema: SQLAlchemy 2 typed declarative tables.

The classes describe the schema (and feed Alembic's autogenerate and the schema-match test);
repository modules never load them as ORM objects. They run Core statements against the
``Table`` objects exported at the bottom (``JOBS``, ``RUNS``, ...) and return frozen records.

Enum-valued columns are plain strings holding the wire values, so adding an enum member never
needs a migration. JSON payloads use the generic ``JSON`` type, which keeps the key order a
client sent (PostgreSQL ``jsonb`` would reorder keys). Every column a query filters or sorts on
carries an index.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION: Final[dict[str, str]] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Deterministic constraint names, so migrations can name what they alter or drop."""

STATE_LENGTH: Final = 32
"""Width of the columns holding life-cycle/result/termination enum values."""

# A surrogate key that autoincrements on both backends: SQLite only autoincrements an
# ``INTEGER PRIMARY KEY`` (not ``BIGINT``).
AutoIncrementId = BigInteger().with_variant(Integer(), "sqlite")

# ``none_as_null``: a Python ``None`` is stored as SQL NULL (not the JSON literal ``null``), so
# "no value" reads back as ``None`` on both backends.
NullableJSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    """Declarative base holding the shared metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class IdCounterRow(Base):
    """One counter per id space: ``run`` (job runs, task runs, repairs) and ``job``."""

    __tablename__ = "id_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger)


class JobRow(Base):
    """A job: its current settings and version number."""

    __tablename__ = "jobs"

    job_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(4096))
    # casefolded copy of ``name``: the exact, case-insensitive name filter uses this index
    name_key: Mapped[str] = mapped_column(String(4096), index=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_time: Mapped[int] = mapped_column(BigInteger)
    creator_user_name: Mapped[str | None] = mapped_column(String(255))
    source_path: Mapped[str | None] = mapped_column(String(4096), index=True, unique=True)
    version: Mapped[int] = mapped_column(Integer)


class JobVersionRow(Base):
    """Every settings version a job has had (version 1 is the creation)."""

    __tablename__ = "job_versions"

    job_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("jobs.job_id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_time: Mapped[int] = mapped_column(BigInteger)


class RunRow(Base):
    """A job run (run-now, submit, workflow run, child run of a Run Job task)."""

    __tablename__ = "runs"
    __table_args__ = (
        # list_runs(job_id=...) sorts by start_time; the job's runs are one index range
        Index("ix_runs_job_id_start_time", "job_id", "start_time"),
        Index("ix_runs_job_id_idempotency_token", "job_id", "idempotency_token", unique=True),
    )

    run_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # no foreign key: a job's runs outlive the job, and submit runs have no job
    job_id: Mapped[int | None] = mapped_column(BigInteger)
    run_name: Mapped[str] = mapped_column(String(4096))
    run_type: Mapped[str] = mapped_column(String(STATE_LENGTH), index=True)
    trigger: Mapped[str] = mapped_column(String(STATE_LENGTH))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    base_dir: Mapped[str | None] = mapped_column(String(4096))
    life_cycle_state: Mapped[str] = mapped_column(String(STATE_LENGTH), index=True)
    result_state: Mapped[str | None] = mapped_column(String(STATE_LENGTH))
    state_message: Mapped[str] = mapped_column(Text)
    user_cancelled_or_timedout: Mapped[bool] = mapped_column(Boolean)
    termination_code: Mapped[str | None] = mapped_column(String(64))
    termination_type: Mapped[str | None] = mapped_column(String(STATE_LENGTH))
    queue_reason: Mapped[str | None] = mapped_column(Text)
    created_time: Mapped[int] = mapped_column(BigInteger)
    start_time: Mapped[int] = mapped_column(BigInteger, index=True)
    end_time: Mapped[int] = mapped_column(BigInteger)
    trigger_time: Mapped[int] = mapped_column(BigInteger)
    queue_duration: Mapped[int] = mapped_column(BigInteger)
    job_parameters: Mapped[list[Any]] = mapped_column(JSON)
    overriding_parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    only: Mapped[list[Any] | None] = mapped_column(NullableJSON)
    repair_count: Mapped[int] = mapped_column(Integer)
    latest_repair_id: Mapped[int | None] = mapped_column(BigInteger)
    parent_task_run_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    idempotency_token: Mapped[str | None] = mapped_column(String(64))
    cancel_requested: Mapped[bool] = mapped_column(Boolean)
    owner: Mapped[str | None] = mapped_column(String(255), index=True)
    lease_expires_at: Mapped[int | None] = mapped_column(BigInteger, index=True)
    creator_user_name: Mapped[str | None] = mapped_column(String(255))
    trigger_info: Mapped[dict[str, Any]] = mapped_column(JSON)
    # what the trigger knew that references read: the backfilled interval, the watched
    # location (``{{backfill.*}}``, ``{{job.trigger.file_arrival.location}}``)
    trigger_context: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)


class TaskRunRow(Base):
    """One attempt of one task of a job run (retries and repairs add rows)."""

    __tablename__ = "task_runs"

    run_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    job_run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runs.run_id", ondelete="CASCADE"), index=True
    )
    task_key: Mapped[str] = mapped_column(String(255))
    attempt_number: Mapped[int] = mapped_column(Integer)
    original_attempt_run_id: Mapped[int] = mapped_column(BigInteger)
    repair_id: Mapped[int | None] = mapped_column(BigInteger)
    task: Mapped[dict[str, Any]] = mapped_column(JSON)
    life_cycle_state: Mapped[str] = mapped_column(String(STATE_LENGTH), index=True)
    result_state: Mapped[str | None] = mapped_column(String(STATE_LENGTH))
    state_message: Mapped[str] = mapped_column(Text)
    user_cancelled_or_timedout: Mapped[bool] = mapped_column(Boolean)
    termination_code: Mapped[str | None] = mapped_column(String(64))
    termination_type: Mapped[str | None] = mapped_column(String(STATE_LENGTH))
    start_time: Mapped[int] = mapped_column(BigInteger)
    end_time: Mapped[int] = mapped_column(BigInteger)
    setup_duration: Mapped[int] = mapped_column(BigInteger)
    execution_duration: Mapped[int] = mapped_column(BigInteger)
    cleanup_duration: Mapped[int] = mapped_column(BigInteger)
    queue_duration: Mapped[int] = mapped_column(BigInteger)
    retry_at: Mapped[int | None] = mapped_column(BigInteger)
    task_dir: Mapped[str | None] = mapped_column(String(4096))
    pid: Mapped[int | None] = mapped_column(BigInteger)
    process_start: Mapped[int | None] = mapped_column(BigInteger)
    resolved_values: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    condition_outcome: Mapped[str | None] = mapped_column(String(16))
    exit_value: Mapped[str | None] = mapped_column(Text)
    exit_value_truncated: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    error_trace: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(255))
    logs: Mapped[str | None] = mapped_column(Text)
    logs_truncated: Mapped[bool] = mapped_column(Boolean)
    cancel_requested: Mapped[bool] = mapped_column(Boolean)
    child_run_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class TaskValueRow(Base):
    """A value a task set with ``dbutils.jobs.taskValues.set`` (the latest set wins)."""

    __tablename__ = "task_values"

    job_run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runs.run_id", ondelete="CASCADE"), primary_key=True
    )
    task_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # ``value`` may legitimately be JSON ``null``, so it is not none_as_null
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    task_run_id: Mapped[int] = mapped_column(BigInteger)


class RepairRow(Base):
    """One repair of a job run (the ``REPAIR`` items of ``repair_history``)."""

    __tablename__ = "repairs"

    repair_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runs.run_id", ondelete="CASCADE"), index=True
    )
    created_time: Mapped[int] = mapped_column(BigInteger)
    start_time: Mapped[int] = mapped_column(BigInteger)
    end_time: Mapped[int] = mapped_column(BigInteger)
    life_cycle_state: Mapped[str] = mapped_column(String(STATE_LENGTH))
    result_state: Mapped[str | None] = mapped_column(String(STATE_LENGTH))
    state_message: Mapped[str] = mapped_column(Text)
    task_run_ids: Mapped[list[Any]] = mapped_column(JSON)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)


class StateChangeRow(Base):
    """The state history: one row per life-cycle change of a run or task run."""

    __tablename__ = "state_changes"

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    job_run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runs.run_id", ondelete="CASCADE"), index=True
    )
    task_run_id: Mapped[int | None] = mapped_column(BigInteger)
    from_state: Mapped[str | None] = mapped_column(String(STATE_LENGTH))
    to_state: Mapped[str] = mapped_column(String(STATE_LENGTH))
    result_state: Mapped[str | None] = mapped_column(String(STATE_LENGTH))
    message: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[int] = mapped_column(BigInteger)


class TokenRow(Base):
    """A personal access token. Only its SHA-256 is stored; the value is shown once."""

    __tablename__ = "tokens"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_name: Mapped[str] = mapped_column(String(255), index=True)
    is_admin: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text)
    creation_time: Mapped[int] = mapped_column(BigInteger)
    # -1: the token never expires
    expiry_time: Mapped[int] = mapped_column(BigInteger)


class JobPermissionRow(Base):
    """A direct grant on a job: a user, group or service principal and its level."""

    __tablename__ = "job_permissions"

    job_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("jobs.job_id", ondelete="CASCADE"), primary_key=True
    )
    # "user_name", "group_name" or "service_principal_name", as the ACL request spells it
    principal_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    principal: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    permission_level: Mapped[str] = mapped_column(String(32))


class JobTriggerRow(Base):
    """One schedule or trigger of a job and the scheduler's state for it.

    Rows are written with the job's settings (one per ``schedule``, ``trigger``,
    ``continuous`` and ``triggers[]`` entry) and advanced by the trigger service. ``due_time``
    is when the service must look next: 0 means "settings changed, re-arm", NULL means
    "nothing to do" (paused, or a kind brickyard does not evaluate).
    """

    __tablename__ = "job_triggers"

    job_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("jobs.job_id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    config_hash: Mapped[str] = mapped_column(String(64))
    paused: Mapped[bool] = mapped_column(Boolean)
    settings_version: Mapped[int] = mapped_column(Integer)
    due_time: Mapped[int | None] = mapped_column(BigInteger, index=True)
    last_fire_time: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_time: Mapped[int] = mapped_column(BigInteger)


class ClusterRow(Base):
    """A cluster of the Clusters API (all-purpose, or a job cluster of one run).

    ``spec`` is the ``compute.ClusterSpec`` as created or last edited; ``runtime`` is what the
    running server is (its Connect address, Spark UI, driver log), NULL when none runs.
    """

    __tablename__ = "clusters"

    cluster_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cluster_name: Mapped[str] = mapped_column(String(255))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(STATE_LENGTH), index=True)
    state_message: Mapped[str] = mapped_column(Text)
    cluster_source: Mapped[str] = mapped_column(String(STATE_LENGTH))
    creator_user_name: Mapped[str | None] = mapped_column(String(255))
    job_run_id: Mapped[int | None] = mapped_column(BigInteger)
    job_cluster_key: Mapped[str | None] = mapped_column(String(100))
    job_id: Mapped[int | None] = mapped_column(BigInteger)
    pinned: Mapped[bool] = mapped_column(Boolean)
    start_time: Mapped[int] = mapped_column(BigInteger)
    last_restarted_time: Mapped[int | None] = mapped_column(BigInteger)
    terminated_time: Mapped[int | None] = mapped_column(BigInteger)
    last_activity_time: Mapped[int] = mapped_column(BigInteger)
    termination_reason: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    runtime: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    spark_context_id: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        Index(
            "ix_clusters_job_run_id_job_cluster_key", "job_run_id", "job_cluster_key", unique=True
        ),
    )


class ClusterEventRow(Base):
    """One event in a cluster's history (``clusters/events``)."""

    __tablename__ = "cluster_events"

    event_id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True)
    cluster_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("clusters.cluster_id", ondelete="CASCADE"), index=True
    )
    timestamp: Mapped[int] = mapped_column(BigInteger, index=True)
    type: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class ClusterLibraryRow(Base):
    """A library installed (or being installed) on an all-purpose cluster."""

    __tablename__ = "cluster_libraries"

    cluster_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("clusters.cluster_id", ondelete="CASCADE"), primary_key=True
    )
    library_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    """A digest of the library's canonical JSON: the same library is one row."""
    position: Mapped[int] = mapped_column(Integer)
    library: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(STATE_LENGTH))
    messages: Mapped[list[str]] = mapped_column(JSON)


class SqlWarehouseRow(Base):
    """A SQL warehouse of the SQL Warehouses API (its engine: DuckDB over the lakehouse, or the
    SQLAlchemy URL its spec names)."""

    __tablename__ = "sql_warehouses"

    warehouse_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(STATE_LENGTH))
    creator_name: Mapped[str | None] = mapped_column(String(255))
    created_time: Mapped[int] = mapped_column(BigInteger)
    last_activity_time: Mapped[int] = mapped_column(BigInteger)
    health: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)


class SqlQueryRow(Base):
    """A saved query (the Queries API, and the legacy ``preview/sql/queries`` view of it)."""

    __tablename__ = "sql_queries"

    query_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(1024))
    query_text: Mapped[str] = mapped_column(Text)
    warehouse_id: Mapped[str | None] = mapped_column(String(64))
    catalog: Mapped[str | None] = mapped_column(String(255))
    schema_name: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    parameters: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    tags: Mapped[list[str]] = mapped_column(JSON)
    owner_user_name: Mapped[str | None] = mapped_column(String(255))
    last_modifier_user_name: Mapped[str | None] = mapped_column(String(255))
    lifecycle_state: Mapped[str] = mapped_column(String(STATE_LENGTH))
    created_time: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_time: Mapped[int] = mapped_column(BigInteger)


METADATA: Final = Base.metadata
"""The schema's metadata (Alembic's ``target_metadata``)."""

ID_COUNTERS: Final[Table] = METADATA.tables["id_counters"]
JOBS: Final[Table] = METADATA.tables["jobs"]
JOB_VERSIONS: Final[Table] = METADATA.tables["job_versions"]
RUNS: Final[Table] = METADATA.tables["runs"]
TASK_RUNS: Final[Table] = METADATA.tables["task_runs"]
TASK_VALUES: Final[Table] = METADATA.tables["task_values"]
REPAIRS: Final[Table] = METADATA.tables["repairs"]
STATE_CHANGES: Final[Table] = METADATA.tables["state_changes"]
TOKENS: Final[Table] = METADATA.tables["tokens"]
JOB_PERMISSIONS: Final[Table] = METADATA.tables["job_permissions"]
JOB_TRIGGERS: Final[Table] = METADATA.tables["job_triggers"]
CLUSTERS: Final[Table] = METADATA.tables["clusters"]
CLUSTER_EVENTS: Final[Table] = METADATA.tables["cluster_events"]
CLUSTER_LIBRARIES: Final[Table] = METADATA.tables["cluster_libraries"]
SQL_WAREHOUSES: Final[Table] = METADATA.tables["sql_warehouses"]
SQL_QUERIES: Final[Table] = METADATA.tables["sql_queries"]
