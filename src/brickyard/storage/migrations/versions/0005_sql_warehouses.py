"""SQL warehouses (the SQL Warehouses API).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "sql_warehouses",
        sa.Column("warehouse_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("creator_name", sa.String(length=255), nullable=True),
        sa.Column("created_time", sa.BigInteger(), nullable=False),
        sa.Column("last_activity_time", sa.BigInteger(), nullable=False),
        sa.Column("health", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("warehouse_id", name=op.f("pk_sql_warehouses")),
    )
    with op.batch_alter_table("sql_warehouses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sql_warehouses_name"), ["name"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("sql_warehouses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sql_warehouses_name"))

    op.drop_table("sql_warehouses")
