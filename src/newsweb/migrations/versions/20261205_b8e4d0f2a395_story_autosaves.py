"""story_autosaves: what an editor typed into a story's form, kept apart from the story

Revision ID: b8e4d0f2a395
Revises: a7d3c9e1f284
Created: 2026-12-05 11:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b8e4d0f2a395"
down_revision = "a7d3c9e1f284"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table: one row per story and editor."""
    op.create_table(
        "story_autosaves",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"],
            name=op.f("fk_story_autosaves_story_id_stories"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_story_autosaves_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("story_id", "user_id", name=op.f("pk_story_autosaves")),
    )  # fmt: skip


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("story_autosaves")
