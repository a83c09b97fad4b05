"""Initial schema: jobs, job versions, runs, task runs, task values, repairs, state history.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    id_counters = op.create_table(
        "id_counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_id_counters")),
    )
    # one id space for job runs, task runs and repairs; another for jobs
    op.bulk_insert(
        id_counters, [{"name": "run", "next_value": 1}, {"name": "job", "next_value": 1}]
    )
    op.create_table(
        "jobs",
        sa.Column("job_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=4096), nullable=False),
        sa.Column("name_key", sa.String(length=4096), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_time", sa.BigInteger(), nullable=False),
        sa.Column("creator_user_name", sa.String(length=255), nullable=True),
        sa.Column("source_path", sa.String(length=4096), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_name_key"), "jobs", ["name_key"], unique=False)
    op.create_index(op.f("ix_jobs_source_path"), "jobs", ["source_path"], unique=True)
    op.create_table(
        "runs",
        sa.Column("run_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=True),
        sa.Column("run_name", sa.String(length=4096), nullable=False),
        sa.Column("run_type", sa.String(length=32), nullable=False),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("base_dir", sa.String(length=4096), nullable=True),
        sa.Column("life_cycle_state", sa.String(length=32), nullable=False),
        sa.Column("result_state", sa.String(length=32), nullable=True),
        sa.Column("state_message", sa.Text(), nullable=False),
        sa.Column("user_cancelled_or_timedout", sa.Boolean(), nullable=False),
        sa.Column("termination_code", sa.String(length=64), nullable=True),
        sa.Column("termination_type", sa.String(length=32), nullable=True),
        sa.Column("queue_reason", sa.Text(), nullable=True),
        sa.Column("created_time", sa.BigInteger(), nullable=False),
        sa.Column("start_time", sa.BigInteger(), nullable=False),
        sa.Column("end_time", sa.BigInteger(), nullable=False),
        sa.Column("trigger_time", sa.BigInteger(), nullable=False),
        sa.Column("queue_duration", sa.BigInteger(), nullable=False),
        sa.Column("job_parameters", sa.JSON(), nullable=False),
        sa.Column("overriding_parameters", sa.JSON(), nullable=False),
        sa.Column("only", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("repair_count", sa.Integer(), nullable=False),
        sa.Column("latest_repair_id", sa.BigInteger(), nullable=True),
        sa.Column("parent_task_run_id", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_token", sa.String(length=64), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("lease_expires_at", sa.BigInteger(), nullable=True),
        sa.Column("creator_user_name", sa.String(length=255), nullable=True),
        sa.Column("trigger_info", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_runs")),
    )
    op.create_index("ix_runs_job_id_start_time", "runs", ["job_id", "start_time"], unique=False)
    op.create_index(
        "ix_runs_job_id_idempotency_token", "runs", ["job_id", "idempotency_token"], unique=True
    )
    op.create_index(op.f("ix_runs_lease_expires_at"), "runs", ["lease_expires_at"], unique=False)
    op.create_index(op.f("ix_runs_life_cycle_state"), "runs", ["life_cycle_state"], unique=False)
    op.create_index(op.f("ix_runs_owner"), "runs", ["owner"], unique=False)
    op.create_index(
        op.f("ix_runs_parent_task_run_id"), "runs", ["parent_task_run_id"], unique=False
    )
    op.create_index(op.f("ix_runs_run_type"), "runs", ["run_type"], unique=False)
    op.create_index(op.f("ix_runs_start_time"), "runs", ["start_time"], unique=False)
    op.create_table(
        "job_versions",
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_time", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.job_id"],
            name=op.f("fk_job_versions_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "version", name=op.f("pk_job_versions")),
    )
    op.create_table(
        "repairs",
        sa.Column("repair_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("created_time", sa.BigInteger(), nullable=False),
        sa.Column("start_time", sa.BigInteger(), nullable=False),
        sa.Column("end_time", sa.BigInteger(), nullable=False),
        sa.Column("life_cycle_state", sa.String(length=32), nullable=False),
        sa.Column("result_state", sa.String(length=32), nullable=True),
        sa.Column("state_message", sa.Text(), nullable=False),
        sa.Column("task_run_ids", sa.JSON(), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.run_id"], name=op.f("fk_repairs_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("repair_id", name=op.f("pk_repairs")),
    )
    op.create_index(op.f("ix_repairs_run_id"), "repairs", ["run_id"], unique=False)
    op.create_table(
        "state_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("job_run_id", sa.BigInteger(), nullable=False),
        sa.Column("task_run_id", sa.BigInteger(), nullable=True),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("result_state", sa.String(length=32), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_run_id"],
            ["runs.run_id"],
            name=op.f("fk_state_changes_job_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_changes")),
    )
    op.create_index(
        op.f("ix_state_changes_job_run_id"), "state_changes", ["job_run_id"], unique=False
    )
    op.create_table(
        "task_runs",
        sa.Column("run_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("job_run_id", sa.BigInteger(), nullable=False),
        sa.Column("task_key", sa.String(length=255), nullable=False),
        sa.Column("attempt_number", sa.Integer(), nullable=False),
        sa.Column("original_attempt_run_id", sa.BigInteger(), nullable=False),
        sa.Column("repair_id", sa.BigInteger(), nullable=True),
        sa.Column("task", sa.JSON(), nullable=False),
        sa.Column("life_cycle_state", sa.String(length=32), nullable=False),
        sa.Column("result_state", sa.String(length=32), nullable=True),
        sa.Column("state_message", sa.Text(), nullable=False),
        sa.Column("user_cancelled_or_timedout", sa.Boolean(), nullable=False),
        sa.Column("termination_code", sa.String(length=64), nullable=True),
        sa.Column("termination_type", sa.String(length=32), nullable=True),
        sa.Column("start_time", sa.BigInteger(), nullable=False),
        sa.Column("end_time", sa.BigInteger(), nullable=False),
        sa.Column("setup_duration", sa.BigInteger(), nullable=False),
        sa.Column("execution_duration", sa.BigInteger(), nullable=False),
        sa.Column("cleanup_duration", sa.BigInteger(), nullable=False),
        sa.Column("queue_duration", sa.BigInteger(), nullable=False),
        sa.Column("retry_at", sa.BigInteger(), nullable=True),
        sa.Column("task_dir", sa.String(length=4096), nullable=True),
        sa.Column("pid", sa.BigInteger(), nullable=True),
        sa.Column("process_start", sa.BigInteger(), nullable=True),
        sa.Column("resolved_values", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("condition_outcome", sa.String(length=16), nullable=True),
        sa.Column("exit_value", sa.Text(), nullable=True),
        sa.Column("exit_value_truncated", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_trace", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=255), nullable=True),
        sa.Column("logs", sa.Text(), nullable=True),
        sa.Column("logs_truncated", sa.Boolean(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("child_run_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_run_id"],
            ["runs.run_id"],
            name=op.f("fk_task_runs_job_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_task_runs")),
    )
    op.create_index(op.f("ix_task_runs_child_run_id"), "task_runs", ["child_run_id"], unique=False)
    op.create_index(op.f("ix_task_runs_job_run_id"), "task_runs", ["job_run_id"], unique=False)
    op.create_index(
        op.f("ix_task_runs_life_cycle_state"), "task_runs", ["life_cycle_state"], unique=False
    )
    op.create_table(
        "task_values",
        sa.Column("job_run_id", sa.BigInteger(), nullable=False),
        sa.Column("task_key", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("task_run_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_run_id"],
            ["runs.run_id"],
            name=op.f("fk_task_values_job_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_run_id", "task_key", "key", name=op.f("pk_task_values")),
    )


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_table("task_values")
    op.drop_index(op.f("ix_task_runs_life_cycle_state"), table_name="task_runs")
    op.drop_index(op.f("ix_task_runs_job_run_id"), table_name="task_runs")
    op.drop_index(op.f("ix_task_runs_child_run_id"), table_name="task_runs")
    op.drop_table("task_runs")
    op.drop_index(op.f("ix_state_changes_job_run_id"), table_name="state_changes")
    op.drop_table("state_changes")
    op.drop_index(op.f("ix_repairs_run_id"), table_name="repairs")
    op.drop_table("repairs")
    op.drop_table("job_versions")
    op.drop_index(op.f("ix_runs_start_time"), table_name="runs")
    op.drop_index(op.f("ix_runs_run_type"), table_name="runs")
    op.drop_index(op.f("ix_runs_parent_task_run_id"), table_name="runs")
    op.drop_index(op.f("ix_runs_owner"), table_name="runs")
    op.drop_index(op.f("ix_runs_life_cycle_state"), table_name="runs")
    op.drop_index(op.f("ix_runs_lease_expires_at"), table_name="runs")
    op.drop_index("ix_runs_job_id_idempotency_token", table_name="runs")
    op.drop_index("ix_runs_job_id_start_time", table_name="runs")
    op.drop_table("runs")
    op.drop_index(op.f("ix_jobs_source_path"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_name_key"), table_name="jobs")
    op.drop_table("jobs")
    op.drop_table("id_counters")
