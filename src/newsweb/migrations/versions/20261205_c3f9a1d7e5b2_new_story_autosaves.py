"""new_story_autosaves: what an editor typed into the form of a story not yet saved

Revision ID: c3f9a1d7e5b2
Revises: b8e4d0f2a395
Created: 2026-12-05 13:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3f9a1d7e5b2"
down_revision = "b8e4d0f2a395"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table: one row per editor."""
    op.create_table(
        "new_story_autosaves",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_new_story_autosaves_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_new_story_autosaves")),
    )  # fmt: skip


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("new_story_autosaves")
