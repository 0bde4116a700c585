"""verdict_changes: every move of a panelist's call on a tool

Revision ID: e4b7c1d09a52
Revises: e4b7c1a9d352
Created: 2026-12-05 11:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e4b7c1d09a52"
down_revision = "e4b7c1a9d352"
branch_labels = None
depends_on = None

# The calls standing today are each panelist's first call, made when the verdict was.
FIRST_CALLS = """
INSERT INTO verdict_changes (tool_id, persona_id, from_ship, to_ship, reason, changed_at)
SELECT tool_id, persona_id, NULL, ship, body, created_at FROM verdicts
"""


def upgrade() -> None:
    """Create the table and its indexes, and record the calls already standing."""
    op.create_table(
        "verdict_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("from_ship", sa.Boolean(), nullable=True),
        sa.Column("to_ship", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["tools.id"], name=op.f("fk_verdict_changes_tool_id_tools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"], ["personas.id"], name=op.f("fk_verdict_changes_persona_id_personas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["users.id"], name=op.f("fk_verdict_changes_editor_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict_changes")),
    )  # fmt: skip
    with op.batch_alter_table("verdict_changes") as batch:
        batch.create_index("ix_verdict_changes_tool", ["tool_id", "changed_at", "id"])
        batch.create_index("ix_verdict_changes_persona", ["persona_id", "changed_at", "id"])
        batch.create_index("ix_verdict_changes_changed", ["changed_at", "id"])
        batch.create_index("ix_verdict_changes_editor_id", ["editor_id"])
    op.execute(FIRST_CALLS)


def downgrade() -> None:
    """Drop the table (its indexes go with it)."""
    op.drop_table("verdict_changes")
