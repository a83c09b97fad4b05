"""Clusters (all-purpose and job clusters), their events and their libraries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "clusters",
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("cluster_name", sa.String(length=255), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("state_message", sa.Text(), nullable=False),
        sa.Column("cluster_source", sa.String(length=32), nullable=False),
        sa.Column("creator_user_name", sa.String(length=255), nullable=True),
        sa.Column("job_run_id", sa.BigInteger(), nullable=True),
        sa.Column("job_cluster_key", sa.String(length=100), nullable=True),
        sa.Column("job_id", sa.BigInteger(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("start_time", sa.BigInteger(), nullable=False),
        sa.Column("last_restarted_time", sa.BigInteger(), nullable=True),
        sa.Column("terminated_time", sa.BigInteger(), nullable=True),
        sa.Column("last_activity_time", sa.BigInteger(), nullable=False),
        sa.Column("termination_reason", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("runtime", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("spark_context_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("cluster_id", name=op.f("pk_clusters")),
    )
    with op.batch_alter_table("clusters", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clusters_job_run_id_job_cluster_key", ["job_run_id", "job_cluster_key"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_clusters_state"), ["state"], unique=False)

    op.create_table(
        "cluster_events",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.cluster_id"],
            name=op.f("fk_cluster_events_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_cluster_events")),
    )
    with op.batch_alter_table("cluster_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cluster_events_cluster_id"), ["cluster_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cluster_events_timestamp"), ["timestamp"], unique=False
        )

    op.create_table(
        "cluster_libraries",
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("library_key", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("library", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.cluster_id"],
            name=op.f("fk_cluster_libraries_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cluster_id", "library_key", name=op.f("pk_cluster_libraries")),
    )


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_table("cluster_libraries")
    with op.batch_alter_table("cluster_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_events_timestamp"))
        batch_op.drop_index(batch_op.f("ix_cluster_events_cluster_id"))

    op.drop_table("cluster_events")
    with op.batch_alter_table("clusters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clusters_state"))
        batch_op.drop_index("ix_clusters_job_run_id_job_cluster_key")

    op.drop_table("clusters")
