"""newsroom state: the generation and schedule page validators are derived from

Revision ID: 5b0e1c2d9f3a
Revises: be8d33c6132a
Created: 2026-11-30 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5b0e1c2d9f3a"
down_revision = "be8d33c6132a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the one-row table and its row."""
    state = op.create_table(
        "newsroom_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newsroom_state")),
    )
    op.execute(state.insert().values(id=1, generation=0, schedule=[], changed_at=sa.func.now()))


def downgrade() -> None:
    """Drop it."""
    op.drop_table("newsroom_state")
