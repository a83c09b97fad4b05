"""Saved SQL queries (the Queries API and its legacy preview form).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "sql_queries",
        sa.Column("query_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=1024), nullable=False),
        sa.Column("query_text", sa.Text(), nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), nullable=True),
        sa.Column("catalog", sa.String(length=255), nullable=True),
        sa.Column("schema_name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("owner_user_name", sa.String(length=255), nullable=True),
        sa.Column("last_modifier_user_name", sa.String(length=255), nullable=True),
        sa.Column("lifecycle_state", sa.String(length=32), nullable=False),
        sa.Column("created_time", sa.BigInteger(), nullable=False),
        sa.Column("updated_time", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("query_id", name=op.f("pk_sql_queries")),
    )
    with op.batch_alter_table("sql_queries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sql_queries_created_time"), ["created_time"], unique=False
        )


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("sql_queries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sql_queries_created_time"))

    op.drop_table("sql_queries")
