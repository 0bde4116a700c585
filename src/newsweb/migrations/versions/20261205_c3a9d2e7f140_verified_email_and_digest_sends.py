"""verified email addresses, the digest opt-in, and the record of digests mailed

Revision ID: c3a9d2e7f140
Revises: 5b0e1c2d9f3a
Created: 2026-12-05 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3a9d2e7f140"
down_revision = "5b0e1c2d9f3a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two account columns (existing members: unverified, not subscribed) and the table."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("digest_subscribed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "digest_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_sends_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_sends")),
        sa.UniqueConstraint("user_id", "week", name=op.f("uq_digest_sends_user_id_week")),
    )


def downgrade() -> None:
    """Drop the table and the two columns."""
    op.drop_table("digest_sends")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("digest_subscribed")
        batch_op.drop_column("email_verified_at")
