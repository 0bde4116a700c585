"""old_slugs: the slugs items had before a rename, so old addresses answer 301

Revision ID: a7d3c9e1f284
Revises: f5a2b8c4e613
Created: 2026-12-05 11:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7d3c9e1f284"
down_revision = "f5a2b8c4e613"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table; (kind, slug) is unique and is what a miss looks up."""
    op.create_table(
        "old_slugs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("moved_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_old_slugs")),
        sa.UniqueConstraint("kind", "slug", name=op.f("uq_old_slugs_kind_slug")),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("old_slugs")
