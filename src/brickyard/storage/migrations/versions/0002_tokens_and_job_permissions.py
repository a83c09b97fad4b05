"""Tokens (stored hashed) and direct job permissions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "tokens",
        sa.Column("token_id", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=255), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("creation_time", sa.BigInteger(), nullable=False),
        sa.Column("expiry_time", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_tokens")),
    )
    op.create_index(op.f("ix_tokens_token_hash"), "tokens", ["token_hash"], unique=True)
    op.create_index(op.f("ix_tokens_user_name"), "tokens", ["user_name"], unique=False)
    op.create_table(
        "job_permissions",
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("principal_type", sa.String(length=32), nullable=False),
        sa.Column("principal", sa.String(length=255), nullable=False),
        sa.Column("permission_level", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.job_id"],
            name=op.f("fk_job_permissions_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "job_id", "principal_type", "principal", name=op.f("pk_job_permissions")
        ),
    )
    op.create_index(
        op.f("ix_job_permissions_principal"), "job_permissions", ["principal"], unique=False
    )


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index(op.f("ix_job_permissions_principal"), table_name="job_permissions")
    op.drop_table("job_permissions")
    op.drop_index(op.f("ix_tokens_user_name"), table_name="tokens")
    op.drop_index(op.f("ix_tokens_token_hash"), table_name="tokens")
    op.drop_table("tokens")
