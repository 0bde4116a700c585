"""What the compare page and its tool picker read, each in a fixed number of statements."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select, union_all
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Bookmark, Persona, Story, Tool, Verdict
from newsweb.models.content import ShipTally
from newsweb.news.queries import PanelCall, panelists_by_story
from newsweb.text import MADE_SLUG_LENGTH, is_slug, like_pattern

SEPARATOR = "-vs-"
# Stories shown under each tool; one more is read to know whether to link to the rest.
STORIES_PER_TOOL = 3
# The picker lists at most this many tools; one more is read to know there were more.
MAX_CHOICES = 8
# Longer picker text is cut here: no tool name is this long, and LIKE stays cheap.
MAX_PICKER_TEXT = 120


def pair_path(first: str, second: str) -> str:
    """The `<tool-a>-vs-<tool-b>` part of a compare URL, from two tool slugs."""
    return f"{first}{SEPARATOR}{second}"


def is_tool_slug(text: str) -> bool:
    """Whether `text` could be a tool's slug (anything else names no tool: no query needed)."""
    return is_slug(text, max_length=MADE_SLUG_LENGTH)


def possible_pairs(pair: str) -> list[tuple[str, str]]:
    """Every way to read `pair` as two slugs joined by `-vs-`, leftmost split first.

    Slugs may hold hyphens (and even `-vs-`), so which split is meant depends on
    which tools exist: `gpt-vs-code-vs-cursor` could be either of two pairs.
    """
    splits = []
    start = pair.find(SEPARATOR)
    while start != -1:
        first, second = pair[:start], pair[start + len(SEPARATOR) :]
        if is_tool_slug(first) and is_tool_slug(second):
            splits.append((first, second))
        start = pair.find(SEPARATOR, start + 1)
    return splits


def tools_for_pair(pair: str) -> tuple[Tool, Tool] | None:
    """Return the two tools `pair` names, in its order, or None if it names no two tools.

    One statement looks up every candidate slug at once. A split naming two different tools wins
    over one naming the same tool twice; among equals the leftmost split wins. The
    same tool twice comes back as (tool, tool) for the view to turn away.
    """
    splits = possible_pairs(pair)
    if not splits:
        return None
    slugs = {slug for split in splits for slug in split}
    found = {
        tool.slug: tool
        for tool in db.session.scalars(
            select(Tool)
            .options(joinedload(Tool.category))
            .where(Tool.slug.in_(slugs), Tool.visible())
        )
    }
    named = [(found[a], found[b]) for a, b in splits if a in found and b in found]
    distinct = [(first, second) for first, second in named if first.id != second.id]
    return next(iter(distinct or named), None)


@dataclass(frozen=True)
class Side(ShipTally):
    """One of the two tools on the compare page, with its panel tally and latest stories."""

    tool: Tool
    shipped: int
    verdict_count: int
    stories: list[Story]
    more_stories: bool


@dataclass(frozen=True)
class Seat:
    """One panelist's row: their verdict on each tool, in the page's order (None: no verdict)."""

    persona: Persona
    verdicts: tuple[Verdict | None, Verdict | None]


@dataclass(frozen=True)
class Comparison:
    """Everything the compare page shows about two tools."""

    sides: tuple[Side, Side]
    seats: list[Seat]
    panelists: dict[int, list[PanelCall]]


def _seats(first: Tool, second: Tool) -> list[Seat]:
    """Every persona in panel order with its verdicts on the two tools, in one statement."""
    rows = db.session.execute(
        select(Persona, Verdict)
        .outerjoin(
            Verdict,
            and_(Verdict.persona_id == Persona.id, Verdict.tool_id.in_([first.id, second.id])),
        )
        .order_by(*Persona.panel_order())
    )
    personas: dict[int, Persona] = {}
    verdicts: dict[tuple[int, int], Verdict] = {}
    for persona, verdict in rows:
        personas.setdefault(persona.id, persona)
        if verdict is not None:
            verdicts[persona.id, verdict.tool_id] = verdict
    return [
        Seat(
            persona,
            (verdicts.get((persona_id, first.id)), verdicts.get((persona_id, second.id))),
        )
        for persona_id, persona in personas.items()
    ]


def _latest_stories(tools: list[Tool], limit: int) -> dict[int, list[Story]]:
    """Map each tool's id to its newest `limit` visible stories, in one statement.

    Each tool's stories are read on their own, newest first and cut at `limit`, so the
    database walks `ix_stories_tool_listing` backwards and stops: the cost does not grow
    with the tools' archives (a window over all their stories did).
    """
    newest = [
        select(Story.id)
        .where(Story.tool_id == tool.id, Story.visible())
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(limit)
        .subquery()
        for tool in tools
    ]
    if not newest:
        return {}
    chosen = union_all(*(select(each.c.id) for each in newest)).subquery()
    stories = db.session.scalars(
        select(Story)
        .join(chosen, chosen.c.id == Story.id)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .order_by(Story.published_at.desc(), Story.id.desc())
    ).unique()
    found: dict[int, list[Story]] = defaultdict(list)
    for story in stories:
        found[story.tool_id].append(story)
    return found


def comparison(first: Tool, second: Tool, *, stories: int = STORIES_PER_TOOL) -> Comparison:
    """Return the panel's verdicts on both tools seat by seat, and each tool's latest stories.

    Three statements whatever the size of the newsroom: the panel with its verdicts on
    the two tools, the stories (newest `stories` per tool, plus one to tell whether
    there are more), and who on the panel took each story.
    """
    seats = _seats(first, second)
    latest = _latest_stories([first, second], stories + 1)

    def side(tool: Tool, index: int) -> Side:
        given = [seat.verdicts[index] for seat in seats if seat.verdicts[index] is not None]
        shipped = sum(1 for verdict in given if verdict is not None and verdict.ship)
        listed = latest[tool.id]
        return Side(tool, shipped, len(given), listed[:stories], len(listed) > stories)

    sides = (side(first, 0), side(second, 1))
    shown = [story.id for each in sides for story in each.stories]
    return Comparison(sides, seats, panelists_by_story(shown))


@dataclass(frozen=True)
class Choices:
    """The tools a picker's text matches, other than the tool being compared."""

    text: str
    tools: list[Tool]
    more: bool

    def exact(self) -> Tool | None:
        """The one tool whose name or slug is the text (any case), if exactly one is."""
        wanted = self.text.casefold()
        named = [
            tool for tool in self.tools if wanted in (tool.name.casefold(), tool.slug.casefold())
        ]
        return named[0] if len(named) == 1 else None


def choices(text: str, *, besides: Tool, limit: int = MAX_CHOICES) -> Choices:
    """Return up to `limit` tools other than `besides` whose name or slug contains `text`.

    One statement. Matching ignores case and takes `%` and `_` literally; exact names
    come first, then names that start with the text, then the rest by name. Control
    characters are dropped and runs of spaces collapsed; blank text matches nothing.
    """
    printable = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    text = " ".join(printable.split())[:MAX_PICKER_TEXT]
    if not text:
        return Choices(text, [], more=False)
    lowered = text.lower()
    anywhere = like_pattern(text)
    at_start = anywhere.removeprefix("%")
    closeness = case(
        (or_(func.lower(Tool.name) == lowered, func.lower(Tool.slug) == lowered), 0),
        (Tool.name.ilike(at_start, escape="\\"), 1),
        else_=2,
    )
    found = list(
        db.session.scalars(
            select(Tool)
            .options(joinedload(Tool.category))
            .where(
                Tool.id != besides.id,
                Tool.visible(),
                or_(
                    Tool.name.ilike(anywhere, escape="\\"),
                    Tool.slug.ilike(anywhere, escape="\\"),
                ),
            )
            .order_by(closeness, Tool.name, Tool.id)
            .limit(limit + 1)
        )
    )
    return Choices(text, found[:limit], more=len(found) > limit)


# Pairs the compare index suggests in each of its two lists.
SUGGESTED_PAIRS = 6


@dataclass(frozen=True)
class Pair:
    """Two tools the compare index suggests side by side."""

    first: Tool
    second: Tool

    @property
    def path(self) -> str:
        """The pair's `<tool-a>-vs-<tool-b>` address."""
        return pair_path(self.first.slug, self.second.slug)


@dataclass(frozen=True)
class Suggestions:
    """What /compare offers before any tool is chosen: every visible tool (for the picker),
    rivals in the same category, and the tools members bookmark most, paired."""

    tools: list[Tool]
    same_category: list[Pair]
    most_bookmarked: list[Pair]

    def named(self, slug: str | None) -> Tool | None:
        """The visible tool with this slug, from those already read (no query)."""
        return next((tool for tool in self.tools if tool.slug == slug), None)


def suggestions(*, limit: int = SUGGESTED_PAIRS) -> Suggestions:
    """Return every visible tool by name, and pairs worth comparing, in one statement.

    Each tool comes with how many members bookmarked it (one index count per tool). In
    each category with two tools or more, its two most bookmarked make a pair (categories
    by name); across categories, the most bookmarked tools pair off in order: first with
    second, third with fourth. Ties go to the name, so the suggestions are stable.
    """
    saved = select(func.count(Bookmark.id)).where(Bookmark.tool_id == Tool.id).scalar_subquery()
    rows = db.session.execute(
        select(Tool, saved)
        .options(joinedload(Tool.category))
        .where(Tool.visible())
        .order_by(Tool.name, Tool.id)
    ).all()
    tools = [tool for tool, _ in rows]
    popularity = {tool.id: count for tool, count in rows}
    by_popularity = sorted(tools, key=lambda tool: -popularity[tool.id])
    rivals: dict[str, list[Tool]] = defaultdict(list)
    for tool in by_popularity:
        rivals[tool.category.name].append(tool)
    same_category = [
        Pair(members[0], members[1]) for _, members in sorted(rivals.items()) if len(members) > 1
    ][:limit]
    bookmarked = [tool for tool in by_popularity if popularity[tool.id] > 0][: limit * 2]
    most_bookmarked = [Pair(a, b) for a, b in zip(bookmarked[::2], bookmarked[1::2], strict=False)]
    return Suggestions(tools, same_category, most_bookmarked)
