"""takes.call: each panelist's ship, wait or skip on the news; stories.dissent for "Most divided"

Existing takes get the call their panelist's verdict on the story's tool makes (ship or
skip), and "wait" where the panelist has no verdict on that tool. Then each story's
dissent is counted from them: the takes whose call differs from the most common one.

Revision ID: e966ec61d975
Revises: c3f9a1d7e5b2
Created: 2026-12-05 13:45:00
"""

from collections import Counter, defaultdict

import sqlalchemy as sa
from alembic import op

revision = "e966ec61d975"
down_revision = "c3f9a1d7e5b2"
branch_labels = None
depends_on = None

FILL_CALLS = """
UPDATE takes SET call = COALESCE((
    SELECT CASE WHEN verdicts.ship THEN 'ship' ELSE 'skip' END
    FROM verdicts JOIN stories ON stories.tool_id = verdicts.tool_id
    WHERE stories.id = takes.story_id AND verdicts.persona_id = takes.persona_id
), 'wait')
"""
STORY_INDEXES = {
    "ix_stories_divided": ["status", "dissent", "published_at", "id"],
    "ix_stories_tool_divided": ["tool_id", "status", "dissent", "published_at", "id"],
    "ix_stories_category_divided": ["category_id", "status", "dissent", "published_at", "id"],
}


def upgrade() -> None:
    """Add both columns, fill them from what is there, then require a known call."""
    with op.batch_alter_table("takes") as batch:
        batch.add_column(sa.Column("call", sa.String(length=4), nullable=True))
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("dissent", sa.Integer(), nullable=False, server_default="0"))
    op.execute(FILL_CALLS)
    with op.batch_alter_table("takes") as batch:
        batch.alter_column("call", existing_type=sa.String(length=4), nullable=False)
        batch.create_check_constraint("call_known", "call IN ('ship', 'wait', 'skip')")
    _count_dissent()
    for name, columns in STORY_INDEXES.items():
        op.create_index(name, "stories", columns)


def _count_dissent() -> None:
    """Set each story's dissent from its takes' calls (Split.dissent, spelled out here)."""
    connection = op.get_bind()
    calls: dict[int, Counter[str]] = defaultdict(Counter)
    rows = connection.execute(
        sa.text("SELECT story_id, call, count(*) FROM takes GROUP BY story_id, call")
    )
    for story_id, call, count in rows:
        calls[story_id][call] = count
    dissent = [
        {"story_id": story_id, "dissent": sum(counted.values()) - max(counted.values())}
        for story_id, counted in calls.items()
    ]
    if dissent:
        connection.execute(
            sa.text("UPDATE stories SET dissent = :dissent WHERE id = :story_id"), dissent
        )


def downgrade() -> None:
    """Drop the indexes and both columns."""
    for name in STORY_INDEXES:
        op.drop_index(name, table_name="stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("dissent")
    with op.batch_alter_table("takes") as batch:
        batch.drop_constraint("call_known", type_="check")
        batch.drop_column("call")
