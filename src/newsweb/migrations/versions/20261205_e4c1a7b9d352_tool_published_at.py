"""tools.published_at: a tool is on the site once an editor publishes it or a story about it is out

Revision ID: e4c1a7b9d352
Revises: a7d2c4e9b613
Created: 2026-12-05 11:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e4c1a7b9d352"
down_revision = "a7d2c4e9b613"
branch_labels = None
depends_on = None

# A tool with no story at all was added to the directory on purpose: it stays public.
# A tool with stories is public while one of them is (see Tool.visible), so a tool named
# only in drafts becomes hidden, as it should have been.
PUBLISH_DIRECTORY_ENTRIES = """
UPDATE tools SET published_at = created_at
WHERE NOT EXISTS (SELECT 1 FROM stories WHERE stories.tool_id = tools.id)
"""


def upgrade() -> None:
    """Add the column and publish the tools that were in the directory without a story."""
    with op.batch_alter_table("tools") as batch:
        batch.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
    op.execute(PUBLISH_DIRECTORY_ENTRIES)


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("tools") as batch:
        batch.drop_column("published_at")
