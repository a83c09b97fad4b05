"""Job triggers with the scheduler's state, and the trigger context of runs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "job_triggers",
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("config_hash", sa.String(length=64), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("settings_version", sa.Integer(), nullable=False),
        sa.Column("due_time", sa.BigInteger(), nullable=True),
        sa.Column("last_fire_time", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_time", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.job_id"],
            name=op.f("fk_job_triggers_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "slot", name=op.f("pk_job_triggers")),
    )
    op.create_index(op.f("ix_job_triggers_due_time"), "job_triggers", ["due_time"], unique=False)
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("trigger_context", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("trigger_context")
    op.drop_index(op.f("ix_job_triggers_due_time"), table_name="job_triggers")
    op.drop_table("job_triggers")
