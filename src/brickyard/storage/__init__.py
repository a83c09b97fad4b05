"""The brickyard store: SQLAlchemy 2 Core on SQLite (WAL) or PostgreSQL, migrated by Alembic.

Open a :class:`Database`, then call the repository functions with the connection that
``db.transaction()`` (writes) or ``db.read()`` (reads) yields. They return frozen records.
Alembic lives in :mod:`brickyard.storage.migrate`, imported only when a schema must change.
"""

from __future__ import annotations

from brickyard.storage.database import HEAD_REVISION, Database
from brickyard.storage.history import list_state_changes
from brickyard.storage.ids import allocate_job_ids, allocate_run_ids
from brickyard.storage.jobs import (
    count_jobs,
    create_job,
    delete_job,
    find_job_by_source,
    list_job_versions,
    list_jobs,
    lock_job,
    read_job,
    update_job_settings,
)
from brickyard.storage.records import (
    JobRecord,
    JobVersionRecord,
    RepairRecord,
    RunRecord,
    StateChangeRecord,
    TaskRunRecord,
    TaskValueRecord,
)
from brickyard.storage.repairs import (
    add_repair_task_runs,
    create_repair,
    finish_repair,
    list_repairs,
)
from brickyard.storage.runs import (
    NewRun,
    claim_run,
    count_active_runs,
    create_run,
    delete_run,
    find_run_by_idempotency_token,
    list_active_runs,
    list_orphaned_runs,
    list_runs,
    read_run,
    read_runs,
    renew_leases,
    transition_run,
    update_run,
)
from brickyard.storage.task_runs import (
    NewTaskRun,
    TaskRunTransition,
    create_task_runs,
    list_active_task_runs,
    list_task_runs,
    read_task_run,
    transition_task_runs,
    update_task_run,
)
from brickyard.storage.task_values import (
    delete_task_values,
    read_task_values,
    set_task_values,
)

__all__ = [
    "HEAD_REVISION",
    "Database",
    "JobRecord",
    "JobVersionRecord",
    "NewRun",
    "NewTaskRun",
    "RepairRecord",
    "RunRecord",
    "StateChangeRecord",
    "TaskRunRecord",
    "TaskRunTransition",
    "TaskValueRecord",
    "add_repair_task_runs",
    "allocate_job_ids",
    "allocate_run_ids",
    "claim_run",
    "count_active_runs",
    "count_jobs",
    "create_job",
    "create_repair",
    "create_run",
    "create_task_runs",
    "delete_job",
    "delete_run",
    "delete_task_values",
    "find_job_by_source",
    "find_run_by_idempotency_token",
    "finish_repair",
    "list_active_runs",
    "list_active_task_runs",
    "list_job_versions",
    "list_jobs",
    "list_orphaned_runs",
    "list_repairs",
    "list_runs",
    "list_state_changes",
    "list_task_runs",
    "lock_job",
    "read_job",
    "read_run",
    "read_runs",
    "read_task_run",
    "read_task_values",
    "renew_leases",
    "set_task_values",
    "transition_run",
    "transition_task_runs",
    "update_job_settings",
    "update_run",
    "update_task_run",
]
