"""One search function over stories, takes and tools, on SQLite FTS5 or PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import bindparam, text

from newsweb.extensions import db
from newsweb.models import Category, StoryStatus
from newsweb.models.clock import utcnow
from newsweb.search import schema

KINDS = {"story": "Stories", "take": "Takes", "tool": "Tools"}
MAX_WORDS = 12
MAX_RESULTS = 30
# How many of the newest matching items of each kind are ranked: enough for the best 30
# results, few enough that no word, however common, makes search slow.
CANDIDATES = 300
# Markers around matched words: control characters no stored text can contain (the
# forms refuse them), so the snippet can be escaped first and highlighted after.
START, STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchQuery:
    """What the reader asked for: words, and optional filters by slug."""

    text: str = ""
    words: tuple[str, ...] = ()
    kind: str | None = None
    category: Category | None = None
    tool: str | None = None
    persona: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str], categories: list[Category]) -> SearchQuery:
        """Read `q`, `kind`, `category`, `tool` and `persona`, ignoring what makes no sense."""
        raw = "".join(ch for ch in args.get("q", "") if ch.isprintable())[:200]
        words = tuple(dict.fromkeys(w.lower() for w in _WORD.findall(raw)))[:MAX_WORDS]
        kind = args.get("kind") if args.get("kind") in KINDS else None
        category = next((c for c in categories if c.slug == args.get("category")), None)
        return cls(
            text=raw.strip(),
            words=words,
            kind=kind,
            category=category,
            tool=_slug(args.get("tool")),
            persona=_slug(args.get("persona")),
        )

    def filters(self) -> dict[str, str]:
        """The active filters as query-string values (for links that keep them)."""
        values = {
            "kind": self.kind,
            "category": self.category.slug if self.category else None,
            "tool": self.tool,
            "persona": self.persona,
        }
        return {key: value for key, value in values.items() if value}


def _slug(value: str | None) -> str | None:
    return value if value and re.fullmatch(r"[a-z0-9-]{1,80}", value) else None


@dataclass(frozen=True)
class TakeHit:
    """A panelist's take that matched, shown beneath its story."""

    persona_slug: str
    persona_name: str
    snippet: Markup


@dataclass
class Hit:
    """One search result, ready for the template: a story (once, whatever matched in it and
    in its takes, the matching takes beneath it) or a tool."""

    kind: str
    title: str
    slug: str
    rank: float
    snippet: Markup = field(default_factory=Markup)
    tool_name: str | None = None
    category_name: str | None = None
    # Whether the story's own text matched; else it is here for its takes alone.
    matched_itself: bool = True
    takes: list[TakeHit] = field(default_factory=list)


def highlight(snippet: str) -> Markup:
    """Escape a snippet, then turn the match markers into <mark> elements."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704


def search(query: SearchQuery) -> list[Hit]:
    """The best matches for `query`, best first, at most MAX_RESULTS, visible content only.

    Two statements whatever the number of matches. The first takes, for each kind, the
    newest CANDIDATES matching items (the search index walked newest first and cut there,
    so a word that matches nearly everything costs no more than a rarer one), ranks only
    those, and brings what the page shows; a story found by several of its takes is one
    result, ranked by its best match, with the takes beneath it. The second makes
    snippets for the few rows shown.
    """
    if not query.words:
        return []
    postgres = db.session.get_bind().dialect.name == "postgresql"
    terms = " ".join(query.words) if postgres else " ".join(f'"{word}"' for word in query.words)
    params: dict[str, Any] = {
        "terms": terms,
        "now": utcnow(),
        "published": StoryStatus.PUBLISHED.value,
        "category_id": query.category.id if query.category else None,
        "tool": query.tool,
        "persona": query.persona,
        "candidates": CANDIDATES,
    }
    ranking, snippets = (_POSTGRES, _POSTGRES_SNIPPETS) if postgres else (_SQLITE, _SQLITE_SNIPPETS)
    kinds = [query.kind] if query.kind else list(KINDS)
    selects = [ranking[kind] for kind in kinds if not (query.persona and kind == "tool")]
    if not selects:
        return []
    statement = " UNION ALL ".join(
        f"SELECT * FROM ({select}) AS arm{n}" for n, select in enumerate(selects)
    )
    rows = list(db.session.execute(text(statement), params).mappings())
    groups = _grouped(rows)[:MAX_RESULTS]
    if not groups:
        return []
    found = _snippets(snippets, params["terms"], [row for _, members in groups for row in members])
    return [_result(members, found) for _, members in groups]


def _grouped(rows: list[Any]) -> list[tuple[float, list[Any]]]:
    """The rows gathered into results, best first: one per story (whatever matched in it
    and in its takes) and one per tool, each ranked by its best row."""
    results: dict[tuple[str, int], list[Any]] = {}
    for row in rows:
        key = ("tool", row["item_id"]) if row["kind"] == "tool" else ("story", row["story_id"])
        results.setdefault(key, []).append(row)
    ranked = [(_standing(members), members) for members in results.values()]
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    return [(standing[0], members) for standing, members in ranked]


def _standing(members: list[Any]) -> tuple[float, float]:
    """How a result ranks: its best match, then how recent its story is (tools: not at all)."""
    dates = [row["published_at"] for row in members if row["published_at"] is not None]
    newest = max(dates, default=None)
    recency = _as_datetime(newest).timestamp() if newest is not None else 0.0
    return max(float(row["rank"]) for row in members), recency


def _as_datetime(value: Any) -> datetime:
    # SQLite hands a raw SQL query's timestamps over as text.
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _result(members: list[Any], snippets: dict[tuple[str, int], str]) -> Hit:
    """One result from its rows: the story's or tool's own match, then its matching takes."""
    first = members[0]
    own = next((row for row in members if row["kind"] != "take"), None)
    takes = sorted(
        (row for row in members if row["kind"] == "take"), key=lambda r: -float(r["rank"])
    )
    return Hit(
        kind="tool" if first["kind"] == "tool" else "story",
        title=first["title"],
        slug=first["story_slug"] if first["kind"] == "take" else first["slug"],
        rank=max(float(row["rank"]) for row in members),
        snippet=highlight(snippets.get((own["kind"], own["item_id"]), "")) if own else Markup(),
        tool_name=first["tool_name"],
        category_name=first["category_name"],
        matched_itself=own is not None,
        takes=[
            TakeHit(
                persona_slug=row["persona_slug"],
                persona_name=row["persona_name"],
                snippet=highlight(snippets.get(("take", row["item_id"]), "")),
            )
            for row in takes
        ],
    )


def _snippets(sql: str, terms: str, rows: list[Any]) -> dict[tuple[str, int], str]:
    """Snippets for the shown rows only, keyed by (kind, id), in one statement."""
    ids = {kind: [r["item_id"] for r in rows if r["kind"] == kind] or [0] for kind in KINDS}
    statement = text(sql).bindparams(
        bindparam("stories", ids["story"], expanding=True),
        bindparam("takes", ids["take"], expanding=True),
        bindparam("tools", ids["tool"], expanding=True),
    )
    result = db.session.execute(statement, {"terms": terms})
    return {(kind, item_id): snippet or "" for kind, item_id, snippet in result}


def _story_filters(*, typed: bool) -> str:
    """Visibility and filters for story rows; a NULL parameter means "no filter".

    PostgreSQL cannot infer the type of a bare `:param IS NULL`, hence the casts.
    """
    category = "CAST(:category_id AS INTEGER)" if typed else ":category_id"
    tool = "CAST(:tool AS TEXT)" if typed else ":tool"
    return f"""
        st.status = :published AND st.published_at <= :now
        AND ({category} IS NULL OR st.category_id = :category_id)
        AND ({tool} IS NULL OR t.slug = :tool)"""


# Tool.visible() in SQL: published by an editor, or the subject of a visible story.
_TOOL_VISIBLE = """(t.published_at <= :now OR EXISTS (
    SELECT 1 FROM stories ts WHERE ts.tool_id = t.id
    AND ts.status = :published AND ts.published_at <= :now))"""
_STORY_FILTERS = _story_filters(typed=False)
_TYPED_STORY_FILTERS = _story_filters(typed=True)
_STORY_COLUMNS = """st.id AS story_id, st.published_at AS published_at, st.title AS title,
    st.slug AS slug, st.slug AS story_slug, NULL AS persona_slug, NULL AS persona_name,
    t.name AS tool_name, c.name AS category_name"""
_TAKE_COLUMNS = """st.id AS story_id, st.published_at AS published_at, st.title AS title,
    p.slug AS slug, st.slug AS story_slug, p.slug AS persona_slug, p.name AS persona_name,
    t.name AS tool_name, c.name AS category_name"""
_TOOL_COLUMNS = """CAST(NULL AS INTEGER) AS story_id, CAST(NULL AS TIMESTAMP) AS published_at,
    t.name AS title, t.slug AS slug,
    NULL AS story_slug, NULL AS persona_slug, NULL AS persona_name, t.name AS tool_name,
    c.name AS category_name"""
_STORY_JOINS = "JOIN tools t ON t.id = st.tool_id JOIN categories c ON c.id = st.category_id"
_TAKE_JOINS = (
    f"JOIN stories st ON st.id = tk.story_id JOIN personas p ON p.id = tk.persona_id {_STORY_JOINS}"
)

# SQLite: the index row of item `id` has rowid id * 4 + kind (see schema.py), so an item's
# id is rowid / 4 (integer division): written that way the join uses the primary key. Each
# arm walks the index newest first (ORDER BY rowid DESC, which FTS5 does without sorting)
# and stops at :candidates: bm25() is computed only for the rows it returns.
_MATCH = "search_index MATCH :terms"
# bm25() needs how many rows hold each word, which FTS5 counts over the word's whole index
# entry: for a word in nearly every row that is most of the search's time. The candidates
# are ranked instead by where the words matched: the title (highlight() marks it, reading
# only the row's own text) above the body; then the newer first.
_BM25 = (
    "CASE WHEN instr(highlight(search_index, 0, char(2), char(3)), char(2)) > 0"
    " THEN 2.0 ELSE 1.0 END AS rank"
)
_NEWEST = "ORDER BY search_index.rowid DESC LIMIT :candidates"
# Stories, takes and tools share the index's rowids, but their ids do not run alike (four
# takes to a story): each arm starts its backward walk at its own kind's newest rowid, or
# the story arm would first step over every take newer than the newest story.
_LAST_ROWID = "(SELECT coalesce(max(id), 0) * 4 + 3 FROM {table})"
_SQLITE = {
    "story": f"""
        SELECT 'story' AS kind, st.id AS item_id, {_BM25}, {_STORY_COLUMNS}
        FROM search_index JOIN stories st ON st.id = search_index.rowid / 4 {_STORY_JOINS}
        WHERE {_MATCH} AND search_index.rowid % 4 = {schema.STORY}
          AND search_index.rowid <= {_LAST_ROWID.format(table="stories")}
          AND :persona IS NULL AND {_STORY_FILTERS} {_NEWEST}""",
    "take": f"""
        SELECT 'take' AS kind, tk.id AS item_id, {_BM25}, {_TAKE_COLUMNS}
        FROM search_index JOIN takes tk ON tk.id = search_index.rowid / 4 {_TAKE_JOINS}
        WHERE {_MATCH} AND search_index.rowid % 4 = {schema.TAKE}
          AND search_index.rowid <= {_LAST_ROWID.format(table="takes")}
          AND (:persona IS NULL OR p.slug = :persona) AND {_STORY_FILTERS} {_NEWEST}""",
    "tool": f"""
        SELECT 'tool' AS kind, t.id AS item_id, {_BM25}, {_TOOL_COLUMNS}
        FROM search_index JOIN tools t ON t.id = search_index.rowid / 4
        JOIN categories c ON c.id = t.category_id
        WHERE {_MATCH} AND search_index.rowid % 4 = {schema.TOOL}
          AND search_index.rowid <= {_LAST_ROWID.format(table="tools")}
          AND (:category_id IS NULL OR t.category_id = :category_id)
          AND (:tool IS NULL OR t.slug = :tool) AND {_TOOL_VISIBLE} {_NEWEST}""",
}
_SQLITE_SNIPPETS = f"""
    SELECT CASE search_index.rowid % 4 WHEN {schema.STORY} THEN 'story'
                WHEN {schema.TAKE} THEN 'take' ELSE 'tool' END,
           search_index.rowid / 4,
           snippet(search_index, 1, char(2), char(3), '…', 24)
    FROM search_index
    WHERE {_MATCH} AND search_index.rowid IN (
        SELECT id * 4 + {schema.STORY} FROM stories WHERE id IN :stories
        UNION ALL SELECT id * 4 + {schema.TAKE} FROM takes WHERE id IN :takes
        UNION ALL SELECT id * 4 + {schema.TOOL} FROM tools WHERE id IN :tools)"""

_TSQUERY = "plainto_tsquery('english', :terms)"
# PostgreSQL: each arm picks the newest :candidates matches by id (the planner walks the
# primary key backwards for a common word and stops, or reads the GIN index for a rare
# one), and only then ranks them: ts_rank_cd runs for those rows alone.
_POSTGRES = {
    "story": f"""
        SELECT 'story' AS kind, st.id AS item_id,
               ts_rank_cd(st.search_vector, {_TSQUERY}) AS rank, {_STORY_COLUMNS}
        FROM (SELECT st.id FROM stories st {_STORY_JOINS}
              WHERE st.search_vector @@ {_TSQUERY}
                AND CAST(:persona AS TEXT) IS NULL AND {_TYPED_STORY_FILTERS}
              ORDER BY st.id DESC LIMIT :candidates) AS newest
        JOIN stories st ON st.id = newest.id {_STORY_JOINS}""",
    "take": f"""
        SELECT 'take' AS kind, tk.id AS item_id,
               ts_rank_cd(tk.search_vector, {_TSQUERY}) AS rank, {_TAKE_COLUMNS}
        FROM (SELECT tk.id FROM takes tk {_TAKE_JOINS}
              WHERE tk.search_vector @@ {_TSQUERY}
                AND (CAST(:persona AS TEXT) IS NULL OR p.slug = :persona)
                AND {_TYPED_STORY_FILTERS}
              ORDER BY tk.id DESC LIMIT :candidates) AS newest
        JOIN takes tk ON tk.id = newest.id {_TAKE_JOINS}""",
    "tool": f"""
        SELECT 'tool' AS kind, t.id AS item_id,
               ts_rank_cd(t.search_vector, {_TSQUERY}) AS rank, {_TOOL_COLUMNS}
        FROM tools t JOIN categories c ON c.id = t.category_id
        WHERE t.search_vector @@ {_TSQUERY}
          AND (CAST(:category_id AS INTEGER) IS NULL OR t.category_id = :category_id)
          AND (CAST(:tool AS TEXT) IS NULL OR t.slug = :tool) AND {_TOOL_VISIBLE}
        ORDER BY t.id DESC LIMIT :candidates""",
}
_HEADLINE = "'StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=1'"
_POSTGRES_SNIPPETS = f"""
    SELECT 'story', id, ts_headline('english', dek || ' ' || body, {_TSQUERY}, {_HEADLINE})
    FROM stories WHERE id IN :stories
    UNION ALL
    SELECT 'take', id, ts_headline('english', body, {_TSQUERY}, {_HEADLINE})
    FROM takes WHERE id IN :takes
    UNION ALL
    SELECT 'tool', id,
           ts_headline('english', tagline || ' ' || description, {_TSQUERY}, {_HEADLINE})
    FROM tools WHERE id IN :tools"""
