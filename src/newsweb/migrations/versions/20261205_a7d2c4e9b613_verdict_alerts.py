"""verdict alerts: members' opt-in, and a record of each alert sent

Revision ID: a7d2c4e9b613
Revises: f19a3e6b7c28
Created: 2026-12-05 11:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7d2c4e9b613"
down_revision = "f19a3e6b7c28"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the opt-in column and the table of alerts sent."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("verdict_alerts", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "verdict_alert_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("verdict_change_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_verdict_alert_sends_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["verdict_change_id"], ["verdict_changes.id"],
            name=op.f("fk_verdict_alert_sends_verdict_change_id_verdict_changes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict_alert_sends")),
        sa.UniqueConstraint(
            "user_id", "verdict_change_id",
            name=op.f("uq_verdict_alert_sends_user_id_verdict_change_id"),
        ),
    )  # fmt: skip
    with op.batch_alter_table("verdict_alert_sends") as batch:
        batch.create_index("ix_verdict_alert_sends_verdict_change_id", ["verdict_change_id"])


def downgrade() -> None:
    """Drop the table and the column."""
    op.drop_table("verdict_alert_sends")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("verdict_alerts")
