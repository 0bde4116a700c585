"""full-text search index

Revision ID: be8d33c6132a
Revises: 40562501d20a
Created: 2026-11-29 11:59:16.117525
"""

from alembic import op

from newsweb.search.schema import create_search_index, drop_search_index

revision = "be8d33c6132a"
down_revision = "40562501d20a"
branch_labels = None
depends_on = None

# The tables searched when this migration was written; later migrations add theirs.
TABLES = ("stories", "takes", "tools")


def upgrade() -> None:
    """Create the full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL), backfilled."""
    create_search_index(op.get_bind(), TABLES)


def downgrade() -> None:
    """Drop the full-text index."""
    drop_search_index(op.get_bind())
