"""Tools, categories, personas, stories, and the panel's takes and verdicts."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    exists,
    inspect,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from newsweb.config import SITEMAP_FILE_URLS
from newsweb.extensions import Base
from newsweb.models.clock import utcnow
from newsweb.text import count_words, reading_minutes

# A take longer than this shows a teaser of about TEASER_LENGTH and a "Read more" control.
LONG_TAKE_LENGTH = 420
TEASER_LENGTH = 260
# Which story sitemap file a story is in, less one: file n holds ids (n-1)*size+1 to n*size.
# SQL text, parenthesized as PostgreSQL wants an index expression; feeds/queries.py writes
# the same expression for its queries, which both databases match to these indexes.
SITEMAP_FILE = f"((id - 1) / {SITEMAP_FILE_URLS})"


class Category(Base):
    """A beat the newsroom covers: Funding, Model, Policy, ..."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Tool(Base):
    """An AI product or company the newsroom covers."""

    __tablename__ = "tools"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    tagline: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500))
    pricing: Mapped[str] = mapped_column(String(200), default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # When an editor put the tool itself on the site; None leaves it to its stories.
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    # lazy="raise" everywhere: a template can never run a query behind a view's back.
    category: Mapped[Category] = relationship(lazy="raise")
    # passive_deletes: the database's ON DELETE CASCADE removes them, unloaded.
    verdicts: Mapped[list[Verdict]] = relationship(
        back_populates="tool", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @classmethod
    def visible(cls, now: datetime | None = None) -> ColumnElement[bool]:
        """The filter for tools readers may see: published by an editor, or the subject of
        a visible story. A tool named first in a draft stays hidden until that story is out.

        Every reader query on tools uses it (search's SQL spells the same test out).
        """
        now = now or utcnow()
        return or_(
            cls.published_at <= now,
            exists().where(Story.tool_id == cls.id, Story.visible(now)),
        )

    def __repr__(self) -> str:
        return f"<Tool {self.slug}>"


class Persona(Base):
    """A panelist: a critic with a fixed lens, seated at `position` in the panel."""

    __tablename__ = "personas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    lens: Mapped[str] = mapped_column(String(80))
    motto: Mapped[str] = mapped_column(String(200), default="")
    profile: Mapped[str] = mapped_column(Text, default="")
    excited_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    tired_of: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Takes on published stories (scheduled ones included), kept by panel/counts.py.
    published_takes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @classmethod
    def panel_order(cls) -> tuple[Mapped[int], Mapped[int]]:
        """The columns that put the panel in its seats: `order_by(*Persona.panel_order())`."""
        return (cls.position, cls.id)

    @property
    def seat(self) -> tuple[int, int]:
        """Where this panelist sits: sorting loaded personas by it matches `panel_order()`."""
        return (self.position, self.id)

    def __repr__(self) -> str:
        return f"<Persona {self.slug}>"


class StoryStatus(enum.StrEnum):
    """Where a story is in the newsroom's workflow."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Story(Base):
    """A news story: what happened, why it matters, and the panel's takes on it."""

    __tablename__ = "stories"
    __table_args__ = (
        # Each listing reads newest first from one of these, then pages by keyset.
        Index("ix_stories_listing", "status", "published_at", "id"),
        Index("ix_stories_tool_listing", "tool_id", "status", "published_at", "id"),
        Index("ix_stories_category_listing", "category_id", "status", "published_at", "id"),
        # "Most divided" first (news/queries.py), each filter with its own index.
        Index("ix_stories_divided", "status", "dissent", "published_at", "id"),
        Index("ix_stories_tool_divided", "tool_id", "status", "dissent", "published_at", "id"),
        Index(
            "ix_stories_category_divided", "category_id", "status", "dissent", "published_at", "id"
        ),
        # The sitemap index's lastmod of each story file (feeds/queries.py): a file's newest
        # publication and newest edit, each one short seek whatever the archive's size.
        Index("ix_stories_sitemap_published", text(SITEMAP_FILE), "status", "published_at"),
        Index(
            "ix_stories_sitemap_updated", text(SITEMAP_FILE), "status", "updated_at", "published_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    dek: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[StoryStatus] = mapped_column(
        Enum(
            StoryStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=StoryStatus.DRAFT,
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    tool_id: Mapped[int] = mapped_column(ForeignKey("tools.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Preview links carry it (editor/sharing.py): moving it on revokes every one given out.
    share_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How divided the panel is: takes whose call differs from the most common one
    # (Split.dissent), kept by news/division.py in the transaction that changes a take.
    dissent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Words in the dek and body, counted by every save that changes them (below), so a
    # listing shows a reading time without loading any body.
    word_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    tool: Mapped[Tool] = relationship(lazy="raise")
    category: Mapped[Category] = relationship(lazy="raise")
    takes: Mapped[list[Take]] = relationship(
        back_populates="story", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @classmethod
    def visible(cls, now: datetime | None = None) -> ColumnElement[bool]:
        """The filter for stories readers may see: published, and not dated in the future."""
        return and_(cls.status == StoryStatus.PUBLISHED, cls.published_at <= (now or utcnow()))

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the dek and body ("4 min read"); the takes are not counted: they
        open one by one, on request. An unsaved story (a preview) is counted as it is."""
        if not inspect(self).persistent:
            return reading_minutes(count_words(self.dek, self.body))
        return reading_minutes(self.word_count)

    def __repr__(self) -> str:
        return f"<Story {self.slug}>"


class Call(enum.StrEnum):
    """A panelist's call on the news itself: worth acting on now, later, or not at all."""

    SHIP = "ship"
    WAIT = "wait"
    SKIP = "skip"

    @property
    def label(self) -> str:
        """The call as a word a reader sees: Ship, Wait or Skip."""
        return self.value.title()


CALL_VALUES = tuple(call.value for call in Call)


@dataclass(frozen=True)
class Split:
    """How the panel's calls on one story fall: how many say ship, wait and skip."""

    ship: int = 0
    wait: int = 0
    skip: int = 0

    @classmethod
    def of(cls, calls: Iterable[Call | str]) -> Split:
        """Count `calls` (a story's takes' calls, in any order)."""
        counted = Counter(Call(call) for call in calls)
        return cls(counted[Call.SHIP], counted[Call.WAIT], counted[Call.SKIP])

    @property
    def total(self) -> int:
        """How many panelists made a call."""
        return self.ship + self.wait + self.skip

    @property
    def dissent(self) -> int:
        """How divided the panel is: the calls that differ from the most common one.

        0 when everyone agrees (or nobody took the story); 1 for 3 ship · 1 skip; 2 for
        2 ship · 1 wait · 1 skip and for 2 ship · 2 skip. The front page's "Most divided"
        puts the highest first, the newer story first among equals.
        """
        return self.total - max(self.ship, self.wait, self.skip)

    @property
    def parts(self) -> list[tuple[Call, int]]:
        """Each call somebody made, with its count, in the order ship, wait, skip."""
        counts = zip(Call, (self.ship, self.wait, self.skip), strict=True)
        return [(call, count) for call, count in counts if count]

    def __str__(self) -> str:
        """The split as a reader reads it: "2 ship · 1 wait · 1 skip"."""
        return " · ".join(f"{count} {call.value}" for call, count in self.parts)


@event.listens_for(Story, "before_insert")
@event.listens_for(Story, "before_update")
def _count_story_words(_mapper: object, _connection: object, story: Story) -> None:
    """Keep `word_count` true to the dek and body whenever a flush writes either."""
    state = inspect(story)
    if state.persistent and not (
        state.attrs.dek.history.has_changes() or state.attrs.body.history.has_changes()
    ):
        return
    story.word_count = count_words(story.dek, story.body)


class Take(Base):
    """One persona's take on one story, with their call on the news."""

    __tablename__ = "takes"
    __table_args__ = (
        UniqueConstraint("story_id", "persona_id"),
        CheckConstraint("call IN ('ship', 'wait', 'skip')", name="call_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    persona_id: Mapped[int] = mapped_column(ForeignKey("personas.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    call: Mapped[Call] = mapped_column(
        Enum(
            Call,
            native_enum=False,
            create_constraint=False,
            length=4,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    story: Mapped[Story] = relationship(back_populates="takes", lazy="raise")
    persona: Mapped[Persona] = relationship(lazy="raise")

    @property
    def is_long(self) -> bool:
        """Whether the story page shows a teaser and "Read more" for this take."""
        return len(self.body) > LONG_TAKE_LENGTH

    @property
    def teaser(self) -> str:
        """The opening of the take, cut at a word boundary, for the collapsed card."""
        if not self.is_long:
            return self.body
        cut = self.body[:TEASER_LENGTH].rsplit(maxsplit=1)[0]
        return cut.rstrip(",;:-\N{EM DASH}\N{EN DASH} ") + "…"


class Verdict(Base):
    """One persona's ship-or-skip call on a tool.

    Every change of the call is kept as a VerdictChange (models/history.py), written by
    the flush that saves it; `change_note` and `change_at`, set before that flush, say why
    and when (by default: the take, and now).
    """

    __tablename__ = "verdicts"
    __table_args__ = (UniqueConstraint("tool_id", "persona_id"),)
    # The two plain attributes below describe the next save, not a column.
    __allow_unmapped__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("tools.id", ondelete="CASCADE"))
    persona_id: Mapped[int] = mapped_column(ForeignKey("personas.id"), index=True)
    ship: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    tool: Mapped[Tool] = relationship(back_populates="verdicts", lazy="raise")
    persona: Mapped[Persona] = relationship(lazy="raise")

    change_note: str | None = None
    change_at: datetime | None = None


def ship_share(shipped: int, total: int) -> int | None:
    """The panel ship share as a whole percentage, or None when nobody has a verdict."""
    return round(100 * shipped / total) if total else None


class ShipTally:
    """A tally of the panel's verdicts on one tool: `shipped` of `verdict_count` say ship."""

    shipped: int
    verdict_count: int

    @property
    def ship_percent(self) -> int | None:
        """The panel ship share as a whole percentage, or None with no verdicts."""
        return ship_share(self.shipped, self.verdict_count)


class KeptForm:
    """A form's fields as an editor had typed them, saved as they typed (debounced).

    Never the story itself: readers, the history and other editors see nothing of it
    until the editor saves the form, which drops it; their next visit to the form brings
    it back.
    """

    # The form's fields as posted: [[name, value], ...] (a list keeps repeated names).
    fields: Mapped[list[list[str]]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StoryAutosave(KeptForm, Base):
    """What one editor typed into a saved story's form: one row per story and editor."""

    __tablename__ = "story_autosaves"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class NewStoryAutosave(KeptForm, Base):
    """What one editor typed into the form of a story never saved: one row per editor
    (their one new story in the making)."""

    __tablename__ = "new_story_autosaves"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
