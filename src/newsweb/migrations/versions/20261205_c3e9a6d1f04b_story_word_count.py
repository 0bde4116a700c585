"""stories.word_count: the words of each story's dek and body, for its reading time

Revision ID: c3e9a6d1f04b
Revises: e966ec61d975
Created: 2026-12-05 13:50:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "c3e9a6d1f04b"
down_revision = "e966ec61d975"
branch_labels = None
depends_on = None

# The count as newsweb.text.count_words made it when this ran (a migration keeps its rule).
_WORDS = re.compile(r"\w+(?:['\u2019]\w+)*")
_BATCH = 1000


def upgrade() -> None:
    """Add the column, then count every existing story's words, a batch at a time."""
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("word_count", sa.Integer(), server_default="0", nullable=False))
    connection = op.get_bind()
    stories = sa.table(
        "stories",
        sa.column("id", sa.Integer),
        sa.column("dek", sa.Text),
        sa.column("body", sa.Text),
        sa.column("word_count", sa.Integer),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(stories.c.id, stories.c.dek, stories.c.body)
            .where(stories.c.id > last)
            .order_by(stories.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            stories.update()
            .where(stories.c.id == sa.bindparam("story_id"))
            .values(word_count=sa.bindparam("words")),
            [
                {
                    "story_id": row.id,
                    "words": len(_WORDS.findall(row.dek or ""))
                    + len(_WORDS.findall(row.body or "")),
                }
                for row in rows
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("word_count")
