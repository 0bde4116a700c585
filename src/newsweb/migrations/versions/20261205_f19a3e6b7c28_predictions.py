"""predictions: dated claims in the panel's takes, and the newsroom's rulings on them

Revision ID: f19a3e6b7c28
Revises: e4b7c1d09a52
Created: 2026-12-05 11:40:00
"""

import sqlalchemy as sa
from alembic import op

from newsweb.search.schema import create_search_index, drop_search_index

revision = "f19a3e6b7c28"
down_revision = "e4b7c1d09a52"
branch_labels = None
depends_on = None

OUTCOMES = ("came_true", "partly", "did_not")


def upgrade() -> None:
    """Create the table and the indexes the ledger and the track records read."""
    op.create_table(
        "predictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("take_id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("claim", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("criterion", sa.String(length=500), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(*OUTCOMES, name="outcome", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("ruling_note", sa.Text(), nullable=False),
        sa.Column("ruling_source", sa.String(length=500), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["take_id"], ["takes.id"], name=op.f("fk_predictions_take_id_takes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"], ["personas.id"], name=op.f("fk_predictions_persona_id_personas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predictions")),
    )  # fmt: skip
    with op.batch_alter_table("predictions") as batch:
        batch.create_index("ix_predictions_ledger", ["outcome", "due_on", "id"])
        batch.create_index("ix_predictions_persona", ["persona_id", "outcome", "due_on", "id"])
        batch.create_index("ix_predictions_due", ["due_on", "id"])
        batch.create_index("ix_predictions_take_id", ["take_id"])
    create_search_index(op.get_bind(), ["predictions"])


def downgrade() -> None:
    """Take predictions out of search, then drop the table (its indexes go with it)."""
    drop_search_index(op.get_bind(), ["predictions"])
    op.drop_table("predictions")
