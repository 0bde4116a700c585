"""A concrete request for every reader, member and API route in `app.url_map`.

Routes are listed from the app itself, so a page added tomorrow cannot be left out: a
GET route with no entry in REQUESTS stops the run, naming it. Each entry builds its
requests from sample values that exist in both newsrooms (the demo's newest story, its
tool, a persona, a category, that story's week, ...), read from the demo database; htmx
fragments are the same URL with `HX-Request: true`, for the endpoints the README's "Pages
and fragments" table lists. The newsroom's editor and /healthz are not reader pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import select

from newsweb.compare.queries import pair_path
from newsweb.digest.weeks import IsoWeek
from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, Tool, User
from newsweb.paging import Cursor

SKIPPED_ENDPOINTS = frozenset({"static", "health.healthz"})
SKIPPED_BLUEPRINTS = frozenset({"editor"})
SEARCHES = ("model", "funding")
# How far back the deep cursor points: most of a three-year archive still lies past it.
DEEP = timedelta(days=730)


@dataclass(frozen=True)
class PageRequest:
    """One timed request: its name in the table, the URL, and who asks (and how)."""

    name: str
    path: str
    endpoint: str
    member: bool = False
    fragment: bool = False

    @property
    def headers(self) -> dict[str, str]:
        """The request headers: htmx's for a fragment."""
        return {"HX-Request": "true"} if self.fragment else {}


@dataclass(frozen=True)
class Samples:
    """Values that name the same things in both newsrooms (all from the demo)."""

    story: str
    cursor: str
    deep_cursor: str
    tool: str
    other_tool: str
    persona: str
    category: str
    week: str
    member_id: int

    @classmethod
    def from_demo(cls, app: Flask) -> Samples:
        """Read the samples from the demo newsroom behind `app`: its newest story and that
        story's tool, category and week; a cursor a few stories down and one two years
        before the newest story (deep in a large archive, past the demo's end); the first
        persona."""
        with app.app_context():
            newest = db.session.execute(
                select(Story.slug, Story.published_at, Tool.slug, Category.slug)
                .join(Tool, Tool.id == Story.tool_id)
                .join(Category, Category.id == Story.category_id)
                .order_by(Story.published_at.desc(), Story.id.desc())
            ).all()
            story, published, tool, category = newest[0]
            cursor_row = db.session.execute(
                select(Story.published_at, Story.id)
                .order_by(Story.published_at.desc(), Story.id.desc())
                .offset(4)
                .limit(1)
            ).one()
            other_tool = db.session.scalars(
                select(Tool.slug).where(Tool.slug != tool).order_by(Tool.slug)
            ).first()
            persona = db.session.scalars(select(Persona.slug).order_by(*Persona.panel_order()))
            member_id = db.session.scalars(select(User.id).order_by(User.id)).first()
            cursor_at, cursor_id = cursor_row
            if published is None or cursor_at is None or other_tool is None or member_id is None:
                raise SystemExit("the demo newsroom lacks a published story, two tools or a member")
            return cls(
                story=story,
                cursor=Cursor(cursor_at, cursor_id).encode(),
                deep_cursor=Cursor(published - DEEP, 1).encode(),
                tool=tool,
                other_tool=other_tool,
                persona=persona.first() or "",
                category=category,
                week=str(IsoWeek.containing(published)),
                member_id=member_id,
            )

    def shorten(self, url: str) -> str:
        """`url` as the table names it: the long story slug and cursor as placeholders."""
        deep = urlencode({"after": self.deep_cursor}).partition("=")[2]
        cursor = urlencode({"after": self.cursor}).partition("=")[2]
        url = url.replace(self.story, "<story>").replace(deep, "<deep cursor>")
        return url.replace(cursor, "<cursor>")


def _token_url(endpoint: str, samples: Samples) -> str:
    """A working link for a route whose URL carries a token the app signs (in a request
    context of the app being timed: tokens are signed with its SECRET_KEY)."""
    user = db.session.get(User, samples.member_id)
    assert user is not None
    if endpoint == "accounts.reset_password":
        from newsweb.accounts.reset import reset_token

        return f"/password/reset/{reset_token(user)}"
    if endpoint == "accounts.verify_email":
        from newsweb.accounts.verification import verification_token

        return f"/account/verify/{verification_token(user)}"
    if endpoint == "digest.unsubscribe":
        from newsweb.digest.subscriptions import unsubscribe_token

        return f"/digest/unsubscribe/{unsubscribe_token(user.id)}"
    if endpoint == "news.shared_story":
        from newsweb.editor.sharing import share_token

        story = db.session.scalars(select(Story).where(Story.slug == samples.story)).one()
        return f"/shared/{share_token(story)}"
    raise KeyError(endpoint)


def _query(path: str, **values: str) -> str:
    return f"{path}?{urlencode(values)}"


def _search_for(word: str) -> Callable[[Samples], str]:
    return lambda _samples: _query("/search", q=word)


Builder = Callable[[str, Samples], list[PageRequest]]


def _one(
    path: Callable[[Samples], str], *, member: bool = False, fragment: bool = False
) -> Builder:
    """An endpoint timed with one request, named by its URL."""

    def build(endpoint: str, samples: Samples) -> list[PageRequest]:
        url = path(samples)
        name = (
            samples.shorten(url) + (" (htmx)" if fragment else "") + (" (member)" if member else "")
        )
        return [PageRequest(name, url, endpoint, member=member, fragment=fragment)]

    return build


def _many(*builders: Builder) -> Builder:
    """An endpoint timed with several requests (its page, its fragments, signed in)."""

    def build(endpoint: str, samples: Samples) -> list[PageRequest]:
        return [request for builder in builders for request in builder(endpoint, samples)]

    return build


def _token(*, member: bool = False) -> Builder:
    def build(endpoint: str, samples: Samples) -> list[PageRequest]:
        url = _token_url(endpoint, samples)
        name = url.rsplit("/", 1)[0] + "/<token>" + (" (member)" if member else "")
        return [PageRequest(name, url, endpoint, member=member)]

    return build


# Every GET route a reader, a member or an API client reaches, by endpoint.
REQUESTS: dict[str, Builder] = {
    "news.index": _many(
        _one(lambda s: "/"),
        _one(lambda s: _query("/", category=s.category), fragment=True),
        _one(lambda s: _query("/", after=s.cursor), fragment=True),
        _one(lambda s: _query("/", after=s.deep_cursor), fragment=True),
        # "Load more" keeping the place: a step, and the pages of everything so far (a few
        # stories down, and bounded at MOST_SO_FAR however deep the cursor).
        _one(lambda s: _query("/", after=s.cursor, **{"from": "top"}), fragment=True),
        _one(lambda s: _query("/", through=s.cursor)),
        _one(lambda s: _query("/", through=s.deep_cursor)),
        _one(lambda s: _query("/", tool=s.tool)),
        _one(lambda s: _query("/", sort="divided")),
        _one(lambda s: _query("/", sort="divided", category=s.category), fragment=True),
        # A "Most divided" cursor (paging.DividedCursor) at dissent 1, two years down.
        _one(lambda s: _query("/", sort="divided", after=f"1~{s.deep_cursor}"), fragment=True),
        _one(lambda s: "/", member=True),
        # A member's "Load more": every card's bookmark button, found in one query.
        _one(lambda s: _query("/", after=s.cursor), member=True, fragment=True),
    ),
    "news.show": _many(
        _one(lambda s: f"/news/{s.story}"),
        _one(lambda s: _query(f"/news/{s.story}", expand="all")),
        _one(lambda s: f"/news/{s.story}", member=True),
    ),
    "news.shared_story": _token(),
    "news.takes": _one(lambda s: _query(f"/news/{s.story}/takes", expanded="1"), fragment=True),
    "news.take": _one(
        lambda s: _query(f"/news/{s.story}/takes/{s.persona}", expanded="1"), fragment=True
    ),
    "tools.index": _many(
        _one(lambda s: "/tools"),
        _one(lambda s: _query("/tools", category=s.category, sort="ship"), fragment=True),
    ),
    "tools.show": _many(
        _one(lambda s: f"/tools/{s.tool}"),
        _one(lambda s: f"/tools/{s.tool}", member=True),
    ),
    "panel.index": _one(lambda s: "/panel"),
    "predictions.index": _many(
        _one(lambda s: "/predictions"),
        _one(lambda s: _query("/predictions", status="open", panelist=s.persona), fragment=True),
        _one(lambda s: _query("/predictions", status="resolved")),
        _one(lambda s: _query("/predictions", status="resolved", through=s.deep_cursor)),
    ),
    "panel.show": _many(
        _one(lambda s: f"/panel/{s.persona}"),
        _one(lambda s: _query(f"/panel/{s.persona}", category=s.category), fragment=True),
        _one(lambda s: _query(f"/panel/{s.persona}", after=s.cursor), fragment=True),
        _one(lambda s: _query(f"/panel/{s.persona}", after=s.deep_cursor), fragment=True),
        _one(
            lambda s: _query(f"/panel/{s.persona}", after=s.cursor, **{"from": "top"}),
            fragment=True,
        ),
        _one(lambda s: _query(f"/panel/{s.persona}", through=s.deep_cursor)),
    ),
    "compare.choose": _many(
        _one(lambda s: _query("/compare", a=s.tool, **{"with": s.other_tool[:2]}), fragment=True),
        _one(lambda s: "/compare"),
        _one(lambda s: _query("/compare", first=s.tool), fragment=True),
    ),
    "compare.show": _one(lambda s: f"/compare/{pair_path(s.tool, s.other_tool)}"),
    "search.index": _many(
        *(_one(_search_for(word)) for word in SEARCHES),
        _one(_search_for(SEARCHES[0]), fragment=True),
    ),
    "digest.index": _one(lambda s: "/digest"),
    "digest.show": _one(lambda s: f"/digest/{s.week}"),
    "digest.unsubscribe": _token(),
    "feeds.index": _one(lambda s: "/feeds"),
    "feeds.stories": _one(lambda s: "/feeds/stories.atom"),
    "feeds.category": _one(lambda s: f"/feeds/categories/{s.category}.atom"),
    "feeds.tool": _one(lambda s: f"/feeds/tools/{s.tool}.atom"),
    "feeds.persona": _one(lambda s: f"/feeds/panel/{s.persona}.atom"),
    "feeds.digest": _one(lambda s: "/feeds/digest.atom"),
    "feeds.verdicts": _one(lambda s: "/feeds/verdicts.atom"),
    "feeds.tool_verdicts": _one(lambda s: f"/feeds/tools/{s.tool}/verdicts.atom"),
    "feeds.persona_verdicts": _one(lambda s: f"/feeds/panel/{s.persona}/verdicts.atom"),
    "feeds.sitemap": _one(lambda s: "/sitemap.xml"),
    "feeds.robots": _one(lambda s: "/robots.txt"),
    "feeds.sitemap_sections": _one(lambda s: "/sitemaps/sections.xml"),
    # File 1 holds the first ids: the demo's stories in both newsrooms, and more in the large.
    "feeds.sitemap_stories": _one(lambda s: "/sitemaps/stories-1.xml"),
    "api.openapi": _one(lambda s: "/api/v1/openapi.json"),
    "api.stories": _many(
        _one(lambda s: "/api/v1/stories"),
        _one(lambda s: _query("/api/v1/stories", category=s.category, tool=s.tool)),
    ),
    "api.story": _one(lambda s: f"/api/v1/stories/{s.story}"),
    "api.tools": _one(lambda s: "/api/v1/tools"),
    "api.tool": _one(lambda s: f"/api/v1/tools/{s.tool}"),
    "api.personas": _one(lambda s: "/api/v1/personas"),
    "api.persona": _one(lambda s: f"/api/v1/personas/{s.persona}"),
    "api.verdict_change_list": _one(lambda s: _query("/api/v1/verdict-changes", tool=s.tool)),
    "api.predictions": _one(lambda s: _query("/api/v1/predictions", status="resolved")),
    "accounts.login": _one(lambda s: "/login"),
    "accounts.register": _one(lambda s: "/register"),
    "accounts.forgot_password": _one(lambda s: "/password/forgot"),
    "accounts.reset_password": _token(),
    "accounts.verify_email": _token(),
    "accounts.account": _one(lambda s: "/account", member=True),
    "bookmarks.index": _many(
        _one(lambda s: "/bookmarks", member=True),
        _one(lambda s: "/bookmarks", member=True, fragment=True),
    ),
    "bookmarks.sidebar": _one(lambda s: "/bookmarks/sidebar", member=True, fragment=True),
}


class UnknownRoutes(SystemExit):
    """GET routes the benchmark has no request for: add them to REQUESTS."""


def timed_endpoints(app: Flask) -> dict[str, str]:
    """Every GET endpoint the benchmark must time, with its rule: all but static files, the
    editor and /healthz."""
    endpoints: dict[str, str] = {}
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.partition(".")[0]
        if "GET" not in (rule.methods or set()) or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        if blueprint in SKIPPED_BLUEPRINTS:
            continue
        endpoints.setdefault(rule.endpoint, rule.rule)
    return endpoints


def page_requests(app: Flask, samples: Samples, only: str | None = None) -> list[PageRequest]:
    """The requests to time in `app`, every route covered; UnknownRoutes names any route
    that has no entry in REQUESTS. `only` keeps the requests whose name contains it."""
    endpoints = timed_endpoints(app)
    unknown = sorted(f"{rule} ({endpoint})" for endpoint, rule in endpoints.items()
                     if endpoint not in REQUESTS)  # fmt: skip
    if unknown:
        raise UnknownRoutes(
            "bench-scale cannot build a URL for these GET routes; add them to REQUESTS in "
            f"scripts/scaletool/routes.py: {', '.join(unknown)}"
        )
    requests: list[PageRequest] = []
    with app.test_request_context():
        for endpoint in sorted(endpoints):
            requests += REQUESTS[endpoint](endpoint, samples)
    return [request for request in requests if only is None or only in request.name]
