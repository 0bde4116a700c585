"""One search function over stories, takes, tools and predictions, on SQLite FTS5 or
PostgreSQL."""

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

KINDS = {"story": "Stories", "take": "Takes", "tool": "Tools", "prediction": "Predictions"}
# Kinds that are results of their own; a take is shown beneath its story.
STANDALONE = ("tool", "prediction")
MAX_WORDS = 12
MAX_RESULTS = 30
# PostgreSQL: how many of the newest matching items of each kind are ranked: enough for the
# best 30 results, few enough that no word, however common, makes search slow.
CANDIDATES = 300
# SQLite ranks by where the words are (every word in the title first), then by how new:
# the newest MAX_RESULTS stories and tools with the words in their title, the newest
# MAX_RESULTS matching anywhere, and enough of the newest matching takes to cover
# MAX_RESULTS stories (a story has at most one take per panelist) hold the best results.
TAKES_PER_STORY = 4
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


@dataclass(frozen=True)
class PredictionHit:
    """A panelist's prediction that matched, shown beneath its story when the story is a
    result too (otherwise it is a result of its own); its snippet is the claim."""

    snippet: str
    persona_slug: str
    persona_name: str


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
    # A prediction's panelist.
    persona_slug: str | None = None
    persona_name: str | None = None
    # Whether the story's own text matched; else it is here for its takes alone.
    matched_itself: bool = True
    takes: list[TakeHit] = field(default_factory=list)
    predictions: list[PredictionHit] = field(default_factory=list)


def highlight(snippet: str) -> Markup:
    """Escape a snippet, then turn the match markers into <mark> elements."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704


def search(query: SearchQuery) -> list[Hit]:
    """The best matches for `query`, best first, at most MAX_RESULTS, visible content only.

    Two statements whatever the number of matches. The first takes, for each kind, a
    bounded set of the newest matching items (the search index walked newest first and cut
    there, so a word that matches nearly everything costs no more than a rarer one; see
    _SQLITE and _POSTGRES), ranks only those, and brings what the page shows; a story found
    by several of its takes is one result, ranked by its best match, with the takes beneath
    it. The second makes snippets for the few rows shown.
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
        "shown": MAX_RESULTS,
        "takes": MAX_RESULTS * TAKES_PER_STORY,
        "title_terms": f"title : ({terms})",
    }
    ranking, snippets = (_POSTGRES, _POSTGRES_SNIPPETS) if postgres else (_SQLITE, _SQLITE_SNIPPETS)
    kinds = [query.kind] if query.kind else list(KINDS)
    selects = [
        select
        for kind in kinds
        if not (query.persona and kind == "tool")
        for select in ranking[kind]
    ]
    if not selects:
        return []
    statement = " UNION ALL ".join(
        f"SELECT * FROM ({select}) AS arm{n}" for n, select in enumerate(selects)
    )
    rows = list(db.session.execute(text(statement), params).mappings())
    groups = _grouped(rows)[:MAX_RESULTS]
    if not groups:
        return []
    found = _shown_text(snippets, params, [members for _, members in groups])
    return [_result(members, found) for _, members in groups]


def _grouped(rows: list[Any]) -> list[tuple[float, list[Any]]]:
    """The rows gathered into results, best first: one per story (whatever matched in it,
    its takes and its predictions) and one per tool. A prediction is a result of its own
    only when its story is not one: it never shows a story twice."""
    results: dict[tuple[str, int], list[Any]] = {}
    for row in rows:
        standalone = row["kind"] in STANDALONE
        key = (row["kind"], row["item_id"]) if standalone else ("story", row["story_id"])
        results.setdefault(key, []).append(row)
    for key, members in list(results.items()):
        story = ("story", members[0]["story_id"])
        if key[0] == "prediction" and story in results:
            results[story].extend(results.pop(key))
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


@dataclass(frozen=True)
class ShownText:
    """What the shown results quote: each story's or tool's snippet by (kind, id), and each
    shown story's matching takes, in panel order."""

    snippets: dict[tuple[str, int], str]
    takes: dict[int, list[TakeHit]]


def _result(members: list[Any], found: ShownText) -> Hit:
    """One result from its rows: the story's or tool's own match, then its matching takes
    and predictions."""
    first = members[0]
    story_rows = [row for row in members if row["kind"] not in STANDALONE]
    prediction = not story_rows and first["kind"] == "prediction"
    if story_rows:
        # A story's title and slug come from a story or take row (a prediction row's title
        # is its claim).
        first = story_rows[0]
    own_kinds = ("prediction",) if prediction else ("story", "tool")
    own = next((row for row in members if row["kind"] in own_kinds), None)
    snippet = found.snippets.get((own["kind"], own["item_id"]), "") if own else ""
    story_like = first["kind"] not in STANDALONE
    return Hit(
        kind=first["kind"] if first["kind"] in STANDALONE else "story",
        title=first["title"],
        slug=first["story_slug"] if first["kind"] in ("take", "prediction") else first["slug"],
        rank=max(float(row["rank"]) for row in members),
        snippet=highlight(snippet) if own else Markup(),
        tool_name=first["tool_name"],
        category_name=first["category_name"],
        persona_slug=first["persona_slug"] if prediction else None,
        persona_name=first["persona_name"] if prediction else None,
        matched_itself=own is not None,
        takes=found.takes.get(first["story_id"], []) if story_like else [],
        # A prediction can match in both of SQLite's arms (title and anywhere): once each.
        predictions=list(
            {
                row["item_id"]: PredictionHit(
                    row["title"], row["persona_slug"], row["persona_name"]
                )
                for row in members
                if story_like and row["kind"] == "prediction"
            }.values()
        ),
    )


def _shown_text(sql: str, params: dict[str, Any], shown: list[list[Any]]) -> ShownText:
    """In one statement: snippets for the shown stories and tools, and every take of a
    shown story that matches (whether or not it was among the ranked rows), so each story
    lists all its matching takes beneath it."""
    stories = [rows[0]["story_id"] for rows in shown if rows[0]["kind"] not in STANDALONE]
    # Stories whose own text matched get a snippet; the rest are shown for their takes.
    matched = [row["item_id"] for rows in shown for row in rows if row["kind"] == "story"]
    tools = [row["item_id"] for rows in shown for row in rows if row["kind"] == "tool"]
    predictions = [row["item_id"] for rows in shown for row in rows if row["kind"] == "prediction"]
    statement = text(sql).bindparams(
        bindparam("stories", stories or [0], expanding=True),
        bindparam("matched", matched or [0], expanding=True),
        bindparam("tools", tools or [0], expanding=True),
        bindparam("predictions", predictions or [0], expanding=True),
    )
    found = ShownText({}, {})
    values = {"terms": params["terms"], "persona": params["persona"]}
    for kind, item_id, snippet, story_id, persona_slug, persona_name in db.session.execute(
        statement, values
    ):
        if kind == "take":
            take = TakeHit(persona_slug, persona_name, highlight(snippet or ""))
            found.takes.setdefault(story_id, []).append(take)
        else:
            found.snippets[(kind, item_id)] = snippet or ""
    return found


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
_PREDICTION_COLUMNS = """st.id AS story_id, st.published_at AS published_at,
    pr.claim AS title, st.slug AS slug, st.slug AS story_slug, p.slug AS persona_slug,
    p.name AS persona_name, t.name AS tool_name, c.name AS category_name"""
_STORY_JOINS = "JOIN tools t ON t.id = st.tool_id JOIN categories c ON c.id = st.category_id"
_TAKE_JOINS = (
    f"JOIN stories st ON st.id = tk.story_id JOIN personas p ON p.id = tk.persona_id {_STORY_JOINS}"
)
_PREDICTION_JOINS = f"JOIN takes tk ON tk.id = pr.take_id {_TAKE_JOINS}"

# SQLite: the index row of item `id` has rowid id * 4 + kind (see schema.py), so an item's
# id is rowid / 4 (integer division): written that way the join uses the primary key. Each
# arm walks the index newest first (ORDER BY rowid DESC, which FTS5 does without sorting)
# and stops at its limit, so a word in nearly every row costs no more than a rare one.
# Ranking needs no rank function (bm25() counts each word over its whole index entry, most
# of a common word's time): a row's rank is 2 in the arm that matches every word in the
# title, 1 in the arm that matches anywhere; a result keeps its best.
_NEWEST = "ORDER BY search_index.rowid DESC LIMIT"
# Stories, takes and tools share the index's rowids, but their ids do not run alike (four
# takes to a story): each arm starts its backward walk at its own kind's newest rowid, or
# the story arm would first step over every take newer than the newest story.
_LAST_ROWID = "(SELECT coalesce(max(id), 0) * 4 + 3 FROM {table})"


def _sqlite_arm(kind: str, *, in_title: bool, limit: str) -> str:
    """One arm of SQLite's ranking: the newest `limit` visible items of `kind` matching every
    word (in the title alone when `in_title`), ranked 2 for a title match, else 1."""
    table, code, columns, joins, filters = {
        "story": (
            "stories st",
            schema.STORY,
            _STORY_COLUMNS,
            _STORY_JOINS,
            f":persona IS NULL AND {_STORY_FILTERS}",
        ),
        "take": (
            "takes tk",
            schema.TAKE,
            _TAKE_COLUMNS,
            _TAKE_JOINS,
            f"(:persona IS NULL OR p.slug = :persona) AND {_STORY_FILTERS}",
        ),
        "tool": (
            "tools t",
            schema.TOOL,
            _TOOL_COLUMNS,
            "JOIN categories c ON c.id = t.category_id",
            "(:category_id IS NULL OR t.category_id = :category_id)"
            f" AND (:tool IS NULL OR t.slug = :tool) AND {_TOOL_VISIBLE}",
        ),
        "prediction": (
            "predictions pr",
            schema.PREDICTION,
            _PREDICTION_COLUMNS,
            _PREDICTION_JOINS,
            f"(:persona IS NULL OR p.slug = :persona) AND {_STORY_FILTERS}",
        ),
    }[kind]
    alias = table.split()[1]
    terms = ":title_terms" if in_title else ":terms"
    return f"""
        SELECT '{kind}' AS kind, {alias}.id AS item_id, {2.0 if in_title else 1.0} AS rank,
               {columns}
        FROM search_index JOIN {table} ON {alias}.id = search_index.rowid / 4 {joins}
        WHERE search_index MATCH {terms} AND search_index.rowid % 4 = {code}
          AND search_index.rowid <= {_LAST_ROWID.format(table=table.split()[0])}
          AND {filters} {_NEWEST} {limit}"""


_SQLITE = {
    "story": [
        _sqlite_arm("story", in_title=True, limit=":shown"),
        _sqlite_arm("story", in_title=False, limit=":shown"),
    ],
    "take": [_sqlite_arm("take", in_title=False, limit=":takes")],
    "tool": [
        _sqlite_arm("tool", in_title=True, limit=":shown"),
        _sqlite_arm("tool", in_title=False, limit=":shown"),
    ],
    # A prediction's claim is its title.
    "prediction": [
        _sqlite_arm("prediction", in_title=True, limit=":shown"),
        _sqlite_arm("prediction", in_title=False, limit=":shown"),
    ],
}
# Snippets for the shown stories, tools and predictions, and the shown stories' matching
# takes with their panelists (in panel order), in one walk of the index by rowid. A
# prediction's snippet comes from whichever column matched (its claim is its title).
_SQLITE_SNIPPETS = f"""
    SELECT CASE search_index.rowid % 4 WHEN {schema.STORY} THEN 'story'
                WHEN {schema.TAKE} THEN 'take' WHEN {schema.TOOL} THEN 'tool'
                ELSE 'prediction' END,
           search_index.rowid / 4,
           CASE WHEN search_index.rowid % 4 = {schema.PREDICTION}
                THEN snippet(search_index, -1, char(2), char(3), '…', 24)
                ELSE snippet(search_index, 1, char(2), char(3), '…', 24) END,
           tk.story_id, p.slug, p.name
    FROM search_index
    LEFT JOIN takes tk ON search_index.rowid % 4 = {schema.TAKE}
                      AND tk.id = search_index.rowid / 4
    LEFT JOIN personas p ON p.id = tk.persona_id
    WHERE search_index MATCH :terms AND search_index.rowid IN (
        SELECT id * 4 + {schema.STORY} FROM stories WHERE id IN :matched
        UNION ALL SELECT id * 4 + {schema.TAKE} FROM takes
                  WHERE story_id IN :stories
                    AND (:persona IS NULL OR persona_id IN (
                        SELECT id FROM personas WHERE slug = :persona))
        UNION ALL SELECT id * 4 + {schema.TOOL} FROM tools WHERE id IN :tools
        UNION ALL SELECT id * 4 + {schema.PREDICTION} FROM predictions
                  WHERE id IN :predictions)
    ORDER BY p.position, p.id"""

_TSQUERY = "plainto_tsquery('english', :terms)"
# PostgreSQL: each arm picks the newest :candidates matches by id (the planner walks the
# primary key backwards for a common word and stops, or reads the GIN index for a rare
# one), and only then ranks them: ts_rank_cd runs for those rows alone.
_POSTGRES = {
    "story": [
        f"""
        SELECT 'story' AS kind, st.id AS item_id,
               ts_rank_cd(st.search_vector, {_TSQUERY}) AS rank, {_STORY_COLUMNS}
        FROM (SELECT st.id FROM stories st {_STORY_JOINS}
              WHERE st.search_vector @@ {_TSQUERY}
                AND CAST(:persona AS TEXT) IS NULL AND {_TYPED_STORY_FILTERS}
              ORDER BY st.id DESC LIMIT :candidates) AS newest
        JOIN stories st ON st.id = newest.id {_STORY_JOINS}"""
    ],
    "take": [
        f"""
        SELECT 'take' AS kind, tk.id AS item_id,
               ts_rank_cd(tk.search_vector, {_TSQUERY}) AS rank, {_TAKE_COLUMNS}
        FROM (SELECT tk.id FROM takes tk {_TAKE_JOINS}
              WHERE tk.search_vector @@ {_TSQUERY}
                AND (CAST(:persona AS TEXT) IS NULL OR p.slug = :persona)
                AND {_TYPED_STORY_FILTERS}
              ORDER BY tk.id DESC LIMIT :candidates) AS newest
        JOIN takes tk ON tk.id = newest.id {_TAKE_JOINS}"""
    ],
    "tool": [
        f"""
        SELECT 'tool' AS kind, t.id AS item_id,
               ts_rank_cd(t.search_vector, {_TSQUERY}) AS rank, {_TOOL_COLUMNS}
        FROM tools t JOIN categories c ON c.id = t.category_id
        WHERE t.search_vector @@ {_TSQUERY}
          AND (CAST(:category_id AS INTEGER) IS NULL OR t.category_id = :category_id)
          AND (CAST(:tool AS TEXT) IS NULL OR t.slug = :tool) AND {_TOOL_VISIBLE}
        ORDER BY t.id DESC LIMIT :candidates"""
    ],
    "prediction": [
        f"""
        SELECT 'prediction' AS kind, pr.id AS item_id,
               ts_rank_cd(pr.search_vector, {_TSQUERY}) AS rank, {_PREDICTION_COLUMNS}
        FROM (SELECT pr.id FROM predictions pr {_PREDICTION_JOINS}
              WHERE pr.search_vector @@ {_TSQUERY}
                AND (CAST(:persona AS TEXT) IS NULL OR p.slug = :persona)
                AND {_TYPED_STORY_FILTERS}
              ORDER BY pr.id DESC LIMIT :candidates) AS newest
        JOIN predictions pr ON pr.id = newest.id {_PREDICTION_JOINS}"""
    ],
}
_HEADLINE = "'StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=1'"
_POSTGRES_SNIPPETS = f"""
    SELECT kind, id, snippet, story_id, persona_slug, persona_name FROM (
        SELECT 'story' AS kind, id,
               ts_headline('english', dek || ' ' || body, {_TSQUERY}, {_HEADLINE}) AS snippet,
               CAST(NULL AS INTEGER) AS story_id, NULL AS persona_slug, NULL AS persona_name,
               0 AS position, 0 AS persona_id
        FROM stories WHERE id IN :matched
        UNION ALL
        SELECT 'take', tk.id, ts_headline('english', tk.body, {_TSQUERY}, {_HEADLINE}),
               tk.story_id, p.slug, p.name, p.position, p.id
        FROM takes tk JOIN personas p ON p.id = tk.persona_id
        WHERE tk.story_id IN :stories AND tk.search_vector @@ {_TSQUERY}
          AND (CAST(:persona AS TEXT) IS NULL OR p.slug = :persona)
        UNION ALL
        SELECT 'tool', id,
               ts_headline('english', tagline || ' ' || description, {_TSQUERY}, {_HEADLINE}),
               NULL, NULL, NULL, 0, 0
        FROM tools WHERE id IN :tools
        UNION ALL
        SELECT 'prediction', id,
               ts_headline('english', claim || ' ' || criterion, {_TSQUERY}, {_HEADLINE}),
               NULL, NULL, NULL, 0, 0
        FROM predictions WHERE id IN :predictions
    ) AS shown
    ORDER BY position, persona_id"""
