"""personas.published_takes: each panelist's takes on published stories, kept on write

Revision ID: d81f4b6a2c09
Revises: c3a9d2e7f140
Created: 2026-12-05 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d81f4b6a2c09"
down_revision = "c3a9d2e7f140"
branch_labels = None
depends_on = None

COUNT = """
UPDATE personas SET published_takes = (
    SELECT count(*) FROM takes JOIN stories ON stories.id = takes.story_id
    WHERE takes.persona_id = personas.id AND stories.status = 'published'
)
"""


def upgrade() -> None:
    """Add the column and count what is there."""
    with op.batch_alter_table("personas") as batch:
        batch.add_column(
            sa.Column("published_takes", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(COUNT)


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("personas") as batch:
        batch.drop_column("published_takes")
