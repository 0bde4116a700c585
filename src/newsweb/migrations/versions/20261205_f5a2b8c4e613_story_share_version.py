"""stories.share_version: preview links carry it; revoking them moves it on

Revision ID: f5a2b8c4e613
Revises: e4c1a7b9d352
Created: 2026-12-05 11:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f5a2b8c4e613"
down_revision = "e4c1a7b9d352"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column: every story starts at 0, with no link out."""
    with op.batch_alter_table("stories") as batch:
        batch.add_column(
            sa.Column("share_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("share_version")
