"""The generated newsroom: the demo plus years of stories, their takes, members and bookmarks.

Everything is written in bulk (SQLAlchemy Core `insert()` with lists of dicts, a chunk of
about CHUNK rows per statement and one transaction per chunk; no ORM object per row), so
100,000 stories take minutes. Text is drawn from the demo's own words at their natural
frequencies, as scripts/bench_search.py does: common words match many stories, rare ones
few. The search index stays in step by the database's own means (SQLite's triggers fill
the FTS5 table as rows arrive; PostgreSQL's generated tsvector columns are computed on
insert), and the newsroom's version (`newsroom_state`, which readers' pages depend on) is
moved once at the end, as a committed content change would, and the panel's take counts
(`personas.published_takes`) recounted, as the app does when takes change. Each story's
`dissent` is written with it, from the calls drawn for its takes (news/division.py).
"""

from __future__ import annotations

import random
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, text, update

from newsweb.demo.cli import read_content
from newsweb.models import (
    Bookmark,
    Call,
    Category,
    NewsroomState,
    Persona,
    Role,
    Split,
    Story,
    StoryStatus,
    Take,
    Tool,
    User,
)
from newsweb.models.clock import utcnow
from newsweb.panel.counts import RECOUNT
from newsweb.search.schema import merge_search_index_step
from newsweb.text import count_words

CHUNK = 5_000
YEARS = 3
# Tables whose ids are given explicitly here: PostgreSQL's sequences are moved past them.
ID_TABLES = ("stories", "takes", "users", "bookmarks")
# Calls drawn at random, so "Most divided" has every degree of dissent to sort.
CALLS = tuple(Call)


@dataclass(frozen=True)
class Sizes:
    """How much to generate on top of the demo."""

    stories: int
    members: int
    bookmarks: int

    @classmethod
    def scaled(cls, stories: int) -> Sizes:
        """The issue's proportions: 100,000 stories, 20,000 members, 1,000,000 bookmarks."""
        return cls(stories=stories, members=max(1, stories // 5), bookmarks=stories * 10)


@dataclass(frozen=True)
class Generated:
    """What was written, and how long it took."""

    stories: int
    takes: int
    members: int
    bookmarks: int
    seconds: float


def demo_words() -> list[str]:
    """Every word of the demo newsroom, repeats kept, so generated text has its frequencies."""
    content = read_content()
    texts = [story["body"] for story in content["stories"]]
    texts += [take for story in content["stories"] for take in story["takes"].values()]
    return re.findall(r"[A-Za-z][A-Za-z'-]+", " ".join(texts))


class Writer:
    """Text and rows drawn from a seeded generator, so two runs write the same newsroom."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (filler text, not secrets)
        self.words = demo_words()

    def sentence(self, words: int) -> str:
        """`words` words from the demo's vocabulary, capitalised, with a full stop."""
        return " ".join(self.rng.choices(self.words, k=words)).capitalize() + "."

    def paragraphs(self, count: int, words: int) -> str:
        """`count` paragraphs of about `words` words each."""
        return "\n\n".join(self.sentence(words) for _ in range(count))


def slug_for(title: str, number: int) -> str:
    """A slug from the title's words, made unique by the story's number."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:120].strip("-")
    return f"{words}-{number}" if words else f"story-{number}"


def chunks(count: int, size: int) -> Iterator[range]:
    """range(count) in consecutive ranges of at most `size`."""
    for start in range(0, count, size):
        yield range(start, min(count, start + size))


def bulk_engine(url: str) -> Engine:
    """An engine for loading: on SQLite without waiting for the disk after each commit."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _no_sync(dbapi_connection: Any, _record: object) -> None:
            # A scratch database: a crash while loading just means building it again.
            dbapi_connection.execute("PRAGMA synchronous=OFF")

    return engine


def _next_id(connection: Connection, column: Any) -> int:
    return int(connection.scalar(select(func.coalesce(func.max(column), 0)))) + 1


def generate(url: str, sizes: Sizes, password_hash: str, *, seed: int = 1) -> Generated:
    """Add `sizes` of generated content to the newsroom at `url` (which holds the demo).

    Stories are published over the YEARS before now (none in the future), each with a take
    from every persona; tools and categories are the demo's. Members all share
    `password_hash`; each has about the same number of bookmarks, mostly stories.
    """
    started = time.perf_counter()
    writer = Writer(seed)
    rng = writer.rng
    engine = bulk_engine(url)
    try:
        with engine.begin() as connection:
            tools = list(connection.scalars(select(Tool.id).order_by(Tool.id)))
            categories = list(connection.scalars(select(Category.id).order_by(Category.id)))
            personas = list(connection.scalars(select(Persona.id).order_by(*Persona.panel_order())))
            first_story = _next_id(connection, Story.id)
            first_take = _next_id(connection, Take.id)
            first_member = _next_id(connection, User.id)
            first_bookmark = _next_id(connection, Bookmark.id)
        now = utcnow().replace(microsecond=0)
        span = timedelta(days=365 * YEARS) - timedelta(hours=1)
        start = now - timedelta(days=365 * YEARS)
        # Each transaction writes CHUNK takes and the stories they belong to.
        story_chunk = max(1, CHUNK // max(1, len(personas)))
        takes = 0
        for numbers in chunks(sizes.stories, story_chunk):
            stories: list[dict[str, Any]] = []
            story_takes: list[dict[str, Any]] = []
            for number in numbers:
                slot = span * ((number + rng.random()) / sizes.stories)
                published = (start + slot).replace(microsecond=0)
                title = writer.sentence(rng.randint(6, 11)).rstrip(".")
                dek, body = writer.sentence(rng.randint(20, 35)), writer.paragraphs(4, 60)
                story_id = first_story + number
                stories.append(
                    {
                        "id": story_id,
                        "slug": slug_for(title, number),
                        "title": title,
                        "dek": dek,
                        "body": body,
                        # Core inserts skip the ORM hook that counts words on save.
                        "word_count": count_words(dek, body),
                        "source_url": "https://example.com/news",
                        "status": StoryStatus.PUBLISHED,
                        "published_at": published,
                        "tool_id": rng.choice(tools),
                        "category_id": rng.choice(categories),
                        "author_id": None,
                        "created_at": published,
                        "updated_at": published,
                    }
                )
                calls = [rng.choice(CALLS) for _ in personas]
                stories[-1]["dissent"] = Split.of(calls).dissent
                for persona, call in zip(personas, calls, strict=True):
                    story_takes.append(
                        {
                            "id": first_take + takes,
                            "story_id": story_id,
                            "persona_id": persona,
                            # Some past LONG_TAKE_LENGTH, so story pages show "Read more".
                            "body": writer.paragraphs(rng.randint(1, 2), rng.randint(30, 60)),
                            "call": call,
                            "created_at": published,
                        }
                    )
                    takes += 1
            with engine.begin() as connection:
                connection.execute(insert(Story), stories)
                connection.execute(insert(Take), story_takes)
        member_times = [start + span * rng.random() for _ in range(sizes.members)]
        for numbers in chunks(sizes.members, CHUNK):
            members = [
                {
                    "id": first_member + number,
                    "email": f"member-{number}@bench.example",
                    "display_name": f"Member {number}",
                    "password_hash": password_hash,
                    "role": Role.READER,
                    "session_token": secrets.token_urlsafe(24),
                    "created_at": member_times[number],
                }
                for number in numbers
            ]
            with engine.begin() as connection:
                connection.execute(insert(User), members)
        bookmarks = _write_bookmarks(
            engine, rng, sizes, tools, first_story, first_member, first_bookmark, member_times
        )
        with engine.begin() as connection:
            _move_version(connection, now)
            # The panel's take counts are kept by a session hook too (panel/counts.py).
            connection.execute(RECOUNT)
        _finish(engine)
    finally:
        engine.dispose()
    return Generated(
        stories=sizes.stories,
        takes=takes,
        members=sizes.members,
        bookmarks=bookmarks,
        seconds=time.perf_counter() - started,
    )


def _write_bookmarks(
    engine: Engine,
    rng: random.Random,
    sizes: Sizes,
    tools: list[int],
    first_story: int,
    first_member: int,
    first_bookmark: int,
    member_times: list[datetime],
) -> int:
    """About sizes.bookmarks / sizes.members bookmarks per member, one in 25 of them a tool."""
    if not sizes.members or not sizes.bookmarks:
        return 0
    each, extra = divmod(sizes.bookmarks, sizes.members)
    pending: list[dict[str, Any]] = []
    written = 0

    def flush() -> None:
        with engine.begin() as connection:
            connection.execute(insert(Bookmark), pending)
        pending.clear()

    for number in range(sizes.members):
        wanted = each + (1 if number < extra else 0)
        on_tools = min(len(tools), wanted // 25)
        on_stories = min(sizes.stories, wanted - on_tools)
        saved_at = member_times[number]
        items = [
            ("story_id", first_story + n) for n in rng.sample(range(sizes.stories), on_stories)
        ]
        items += [("tool_id", tool) for tool in rng.sample(tools, on_tools)]
        for key, item in items:
            pending.append(
                {
                    "id": first_bookmark + written,
                    "user_id": first_member + number,
                    "story_id": item if key == "story_id" else None,
                    "tool_id": item if key == "tool_id" else None,
                    "created_at": saved_at + timedelta(minutes=rng.randint(0, 60 * 24 * 90)),
                }
            )
            written += 1
            if len(pending) >= CHUNK:
                flush()
    if pending:
        flush()
    return written


def _move_version(connection: Connection, now: datetime) -> None:
    """Move the newsroom's generation, as any committed content change does (web/version.py):
    Core inserts bypass the session hook that does it for the app. Every generated story is
    in the past, so the schedule of upcoming stories is unchanged."""
    moved = connection.execute(
        update(NewsroomState)
        .where(NewsroomState.id == NewsroomState.ONLY_ROW)
        .values(generation=NewsroomState.generation + 1, changed_at=now)
    )
    if not moved.rowcount:
        connection.execute(
            insert(NewsroomState).values(
                id=NewsroomState.ONLY_ROW, generation=1, schedule=[], changed_at=now
            )
        )


def _finish(engine: Engine) -> None:
    """PostgreSQL: move the id sequences past the explicit ids."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for table in ID_TABLES:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (module constants)
                    f"(SELECT max(id) FROM {table}))"
                )
            )


def settle(url: str) -> None:
    """The upkeep a running newsroom gets, done to both newsrooms alike after the load.

    PostgreSQL: vacuum and gather the planner's statistics, as autovacuum soon would.
    SQLite: merge the search index as the nightly `flask search optimize` does (README,
    Deploying); SQLite gathers no planner statistics unless asked, and the app does not ask.
    """
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("VACUUM ANALYZE"))
            while merge_search_index_step(connection):
                pass
    finally:
        engine.dispose()
