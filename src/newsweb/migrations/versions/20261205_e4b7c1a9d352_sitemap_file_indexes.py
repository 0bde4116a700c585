"""Indexes for the sitemap index: each story file's newest publication and newest edit

Revision ID: e4b7c1a9d352
Revises: d81f4b6a2c09
Created: 2026-12-05 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e4b7c1a9d352"
down_revision = "d81f4b6a2c09"
branch_labels = None
depends_on = None

# models.content.SITEMAP_FILE as it was written when these indexes were built.
SITEMAP_FILE = "((id - 1) / 50000)"


def upgrade() -> None:
    """Index stories by sitemap file, then status, then publication or edit time."""
    op.create_index(
        "ix_stories_sitemap_published",
        "stories",
        [sa.text(SITEMAP_FILE), "status", "published_at"],
    )
    op.create_index(
        "ix_stories_sitemap_updated",
        "stories",
        [sa.text(SITEMAP_FILE), "status", "updated_at", "published_at"],
    )


def downgrade() -> None:
    """Drop both indexes."""
    op.drop_index("ix_stories_sitemap_updated", table_name="stories")
    op.drop_index("ix_stories_sitemap_published", table_name="stories")
