"""Atom feeds, the /feeds page, sitemap.xml, robots.txt, and canonical and social meta tags."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, StoryStatus, Tool
from newsweb.models.clock import utcnow
from tests import factories
from tests.conftest import htmx
from tests.html import elements, unsafe_markup
from tests.routes import sample_pages
from tests.statements import counted_get, statements_for

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HOSTILE = '<script>alert("x")</script> & "quotes"'

# The feeds this file once listed by hand: the walk over the URL map must still reach them.
KNOWN_FEEDS = {
    "/feeds/stories.atom",
    "/feeds/tools/mistral-ai.atom",
    "/feeds/categories/funding.atom",
    "/feeds/panel/the-skeptic.atom",
    "/feeds/digest.atom",
}


def parse_xml(response: TestResponse) -> ET.Element:
    """The document a response carries, parsed by the standard library."""
    assert response.status_code == 200, response.request.path
    return ET.fromstring(response.data)  # noqa: S314 - our own output, under test


def atom(response: TestResponse) -> ET.Element:
    """A feed response, checked to be Atom, parsed."""
    assert response.headers["Content-Type"] == ATOM_TYPE
    root = parse_xml(response)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(feed: ET.Element) -> list[ET.Element]:
    """A feed's entries, in document order."""
    return feed.findall(f"{ATOM}entry")


def text(element: ET.Element, name: str) -> str:
    """The text of `element`'s child `name` (an Atom element); fails when it is missing."""
    child = element.find(f"{ATOM}{name}")
    assert child is not None, f"no <{name}>"
    return child.text or ""


def link(element: ET.Element, rel: str = "alternate") -> str:
    """The href of `element`'s link with this `rel`."""
    for child in element.findall(f"{ATOM}link"):
        if child.get("rel", "alternate") == rel:
            return child.get("href") or ""
    raise AssertionError(f"no <link rel={rel}>")


def entry_paths(feed: ET.Element) -> list[str]:
    """The path (and fragment) each entry links to."""
    paths = []
    for entry in entries(feed):
        parts = urlsplit(link(entry))
        paths.append(parts.path + (f"#{parts.fragment}" if parts.fragment else ""))
    return paths


def head_links(html: str, rel: str) -> list[dict[str, str | None]]:
    """The attributes of every `<link rel=...>` on a page."""
    return [attrs for tag, attrs in elements(html) if tag == "link" and attrs.get("rel") == rel]


def meta_content(html: str, key: str) -> str | None:
    """The content of the `<meta property=key>` or `<meta name=key>` on a page."""
    for tag, attrs in elements(html):
        if tag == "meta" and key in (attrs.get("property"), attrs.get("name")):
            return attrs.get("content")
    return None


def first_tool() -> Tool:
    """The first tool a factory newsroom added."""
    return db.session.scalars(select(Tool).order_by(Tool.id).limit(1)).one()


def first_category() -> Category:
    """The first category a factory newsroom added."""
    return db.session.scalars(select(Category).order_by(Category.id).limit(1)).one()


@pytest.fixture
def hostile_app(app: Flask) -> Flask:
    """A small newsroom whose newest story's title, dek and body carry markup."""
    with app.app_context():
        factories.newsroom(3)
        personas = factories.panel_from_database()
        tool = db.session.scalars(select(Tool).where(Tool.slug == "mistral-ai")).one()
        story = factories.story(
            "Hostile",
            tool,
            first_category(),
            personas,
            day=10,
            body=f"# {HOSTILE}\n\nBody <script>alert(2)</script> [link](javascript:alert(3))",
        )
        story.title = HOSTILE
        story.dek = f"Dek {HOSTILE}"
        story.takes[0].body = f"Take {HOSTILE}"
        db.session.commit()
    return app


def test_every_feed_is_atom_with_complete_entries(demo_client: FlaskClient) -> None:
    """Every Atom route in the URL map parses; it and each entry have an id, title,
    updated, link and the rest."""
    pages = sample_pages(demo_client.application)
    feeds = [path for _endpoint, path in pages if path.endswith(".atom")]
    assert set(feeds) >= KNOWN_FEEDS
    for path in feeds:
        check_feed(demo_client, path)


def check_feed(client: FlaskClient, path: str) -> None:
    """The feed at `path` is complete Atom, every entry too (see the test above)."""
    feed = atom(client.get(path))
    assert text(feed, "id").startswith("tag:")
    assert text(feed, "title")
    assert text(feed, "updated")
    assert link(feed, "self") == f"http://localhost{path}"
    assert link(feed).startswith("http://localhost/")
    found = entries(feed)
    assert found, f"the demo newsroom fills every feed, {path} too"
    ids = [text(entry, "id") for entry in found]
    assert len(set(ids)) == len(ids)
    for entry in found:
        assert text(entry, "id").startswith("tag:localhost,2026:")
        assert text(entry, "title")
        assert text(entry, "updated")
        assert text(entry, "published")
        assert link(entry).startswith("http://localhost/")
        author = entry.find(f"{ATOM}author")
        assert author is not None
        assert text(author, "name")
        assert text(entry, "summary")
        content = entry.find(f"{ATOM}content")
        assert content is not None
        assert content.get("type") == "html"
        assert unsafe_markup(content.text or "") == []


def test_stories_feed_has_the_newest_30_visible_stories(make_app: Callable[..., Flask]) -> None:
    """All stories: newest first, at most 30, never a draft or a story dated in the future."""
    app = make_app()
    with app.app_context():
        factories.newsroom(35)
        personas = factories.panel_from_database()
        tool, category = first_tool(), first_category()
        factories.story("Draft", tool, category, personas, day=90, status=StoryStatus.DRAFT)
        factories.story(
            "Tomorrow", tool, category, personas, published_at=utcnow() + timedelta(days=1)
        )
        db.session.commit()
    feed = atom(app.test_client().get("/feeds/stories.atom"))
    paths = entry_paths(feed)
    assert len(paths) == 30
    assert paths[0] == "/news/story-034"
    assert paths[-1] == "/news/story-005"
    assert "/news/draft" not in paths
    assert "/news/tomorrow" not in paths
    assert text(feed, "updated") == text(entries(feed)[0], "updated")


def test_tool_and_category_feeds_hold_only_their_stories(demo_app: Flask) -> None:
    """A tool's feed has only its stories, a category's only that category's."""
    client = demo_app.test_client()
    with demo_app.app_context():
        by_tool = set(
            db.session.scalars(
                select(Story.slug)
                .join(Story.tool)
                .where(Tool.slug == "mistral-ai", Story.visible())
            )
        )
    tool_feed = atom(client.get("/feeds/tools/mistral-ai.atom"))
    assert {path.removeprefix("/news/") for path in entry_paths(tool_feed)} == by_tool
    assert "Mistral AI" in text(tool_feed, "title")
    category_feed = atom(client.get("/feeds/categories/funding.atom"))
    for entry in entries(category_feed):
        category = entry.find(f"{ATOM}category")
        assert category is not None
        assert category.get("term") == "funding"


def test_persona_feed_carries_its_takes_linked_to_the_take(make_app: Callable[..., Flask]) -> None:
    """A panelist's feed has one entry per take, by the panelist, deep-linked to the take."""
    app = make_app()
    with app.app_context():
        factories.newsroom(4)
    feed = atom(app.test_client().get("/feeds/panel/the-skeptic.atom"))
    assert entry_paths(feed) == [f"/news/story-00{n}#take-the-skeptic" for n in (3, 2, 1, 0)]
    first = entries(feed)[0]
    author = first.find(f"{ATOM}author")
    assert author is not None
    assert text(author, "name") == "The Skeptic"
    assert text(first, "title") == "The Skeptic on “Story 003”"
    assert text(first, "summary") == "The dek of Story 003."
    # The skeptic's call, then the long take, whole, as escaped paragraphs.
    assert text(first, "content") == f"<p>Call: Wait</p><p>{factories.LONG_TAKE}</p>"
    assert text(first, "id").startswith("tag:localhost,2026:take/")


def test_markup_in_stories_and_takes_is_escaped_in_feeds(hostile_app: Flask) -> None:
    """Titles, deks and bodies carrying <script> arrive as text; the HTML content has none."""
    client = hostile_app.test_client()
    for path in ("/feeds/stories.atom", "/feeds/panel/the-founder.atom"):
        response = client.get(path)
        raw = response.get_data(as_text=True)
        assert "<script" not in raw, path
        assert "&lt;script&gt;" in raw, path
        first = entries(atom(response))[0]
        assert HOSTILE in text(first, "title")
        assert text(first, "summary") == f"Dek {HOSTILE}"
        content = text(first, "content")
        assert unsafe_markup(content) == []
        assert "<script" not in content
    story = entries(atom(client.get("/feeds/stories.atom")))[0]
    assert text(story, "title") == HOSTILE
    content = text(story, "content")
    assert "&lt;script&gt;" in content
    assert unsafe_markup(content) == []
    take = entries(atom(client.get("/feeds/panel/the-founder.atom")))[0]
    assert text(take, "content") == (
        "<p>Call: Ship</p>"
        "<p>Take &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;</p>"
    )


def test_characters_xml_cannot_hold_do_not_break_a_feed(hostile_app: Flask) -> None:
    """A control character stored in a title is dropped from the feed, never a 500."""
    with hostile_app.app_context():
        story = db.session.scalars(select(Story).where(Story.slug == "story-002")).one()
        story.title = "Vertical\x0btab and \x1funit separator"
        db.session.commit()
    feed = atom(hostile_app.test_client().get("/feeds/stories.atom"))
    assert "Verticaltab and unit separator" in [text(entry, "title") for entry in entries(feed)]


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/tools/no-such-tool.atom",
        "/feeds/categories/no-such-category.atom",
        "/feeds/panel/no-such-persona.atom",
        "/feeds/tools/.atom",
        "/feeds/everything.atom",
    ],
)
def test_unknown_feeds_are_friendly_404s(demo_client: FlaskClient, path: str) -> None:
    """A feed for something that does not exist is a 404 page, not an empty feed."""
    response = demo_client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "We could not find" in response.get_data(as_text=True)


def test_feeds_are_cached_like_anonymous_pages(demo_client: FlaskClient) -> None:
    """Public for a minute with an ETag; a matching If-None-Match gets a 304."""
    response = demo_client.get("/feeds/stories.atom")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    etag = response.headers["ETag"]
    again = demo_client.get("/feeds/stories.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/feeds/stories.atom"),
        ("/?category=funding", "/feeds/categories/funding.atom"),
        ("/?tool=mistral-ai", "/feeds/tools/mistral-ai.atom"),
        ("/tools/mistral-ai", "/feeds/tools/mistral-ai.atom"),
        ("/panel/the-skeptic", "/feeds/panel/the-skeptic.atom"),
        ("/digest", "/feeds/digest.atom"),
        ("/feeds", "/feeds/stories.atom"),
    ],
)
def test_pages_announce_and_link_their_feed(demo_client: FlaskClient, page: str, feed: str) -> None:
    """The page's first feed is in <head> for autodiscovery, and a visible link leads to it."""
    html = demo_client.get(page).get_data(as_text=True)
    head = html[: html.index("</head>")]
    alternates = head_links(head, "alternate")
    assert alternates, page
    first = alternates[0]
    assert first["type"] == "application/atom+xml"
    assert first["href"] == feed
    assert first["title"]
    body = html[html.index("<body") :]
    assert any(tag == "a" and attrs.get("href") == feed for tag, attrs in elements(body)), page
    assert demo_client.get(feed).status_code == 200


def test_the_listing_fragment_keeps_its_feed_link(demo_client: FlaskClient) -> None:
    """A category change swapped in by htmx brings that category's feed link with it."""
    html = demo_client.get("/?category=funding", headers=htmx()).get_data(as_text=True)
    assert "<html" not in html
    assert 'href="/feeds/categories/funding.atom"' in html


def test_feeds_page_lists_every_feed(demo_app: Flask) -> None:
    """/feeds explains feeds and links every tool's, category's and panelist's feed."""
    client = demo_app.test_client()
    html = client.get("/feeds").get_data(as_text=True)
    assert "feed reader" in html
    hrefs = {attrs.get("href") for tag, attrs in elements(html) if tag == "a"}
    with demo_app.app_context():
        tools = list(db.session.scalars(select(Tool.slug)))
        personas = list(db.session.scalars(select(Persona.slug)))
    expected = {"/feeds/stories.atom", "/feeds/digest.atom", "/feeds/categories/funding.atom"}
    expected |= {f"/feeds/tools/{slug}.atom" for slug in tools}
    expected |= {f"/feeds/panel/{slug}.atom" for slug in personas}
    assert expected <= hrefs
    for href in expected:
        assert client.get(href).status_code == 200, href


def sitemap_urls(client: FlaskClient, path: str) -> dict[str, str | None]:
    """The paths a sitemap file lists, each with its lastmod."""
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = parse_xml(response)
    assert root.tag == f"{SITEMAP}urlset"
    urls = {
        (url.findtext(f"{SITEMAP}loc") or ""): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }
    assert all(loc.startswith("http://localhost/") for loc in urls)
    return {urlsplit(loc).path: lastmod for loc, lastmod in urls.items()}


def sitemap_files(client: FlaskClient) -> dict[str, str | None]:
    """The files the sitemap index lists (paths), each with its lastmod."""
    response = client.get("/sitemap.xml")
    root = parse_xml(response)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return {
        urlsplit(entry.findtext(f"{SITEMAP}loc") or "").path: entry.findtext(f"{SITEMAP}lastmod")
        for entry in root.findall(f"{SITEMAP}sitemap")
    }


def test_sitemap_lists_every_visible_story_and_the_sections(make_app: Callable[..., Flask]) -> None:
    """The index names the sections file and the story files; together they list stories (with
    lastmod), tools, personas, /feeds and digest weeks, and no draft."""
    app = make_app()
    with app.app_context():
        factories.newsroom(5)
        personas = factories.panel_from_database()
        factories.story("Draft", first_tool(), first_category(), personas, status=StoryStatus.DRAFT)
        # Never edited since publication: each story last changed the day it came out.
        db.session.execute(update(Story).values(updated_at=Story.published_at))
        db.session.commit()
    client = app.test_client()
    files = sitemap_files(client)
    assert files == {
        "/sitemaps/sections.xml": "2026-01-05",
        "/sitemaps/stories-1.xml": "2026-01-05",
    }
    paths = sitemap_urls(client, "/sitemaps/stories-1.xml")
    assert paths == {f"/news/story-00{n}": f"2026-01-0{n + 1}" for n in range(5)}
    sections = sitemap_urls(client, "/sitemaps/sections.xml")
    assert sections["/"] == "2026-01-05"
    for path in (
        "/tools/mistral-ai",
        "/tools/anthropic",
        "/panel/the-builder",
        "/feeds",
        "/predictions",
    ):
        assert path in sections
    # 1 January 2026 is a Thursday: its stories fall in 2026-W01 and 2026-W02.
    assert sections["/digest/2026-W01"] == "2026-01-04"
    assert "/digest/2026-W02" in sections


def test_story_files_hold_at_most_the_limit_and_every_story_once(
    make_app: Callable[..., Flask],
) -> None:
    """With SITEMAP_URLS lowered to 2, seven stories (one a draft) fill three files of at most
    two URLs; each visible story is in exactly one; files past the end are 404."""
    app = make_app(SITEMAP_URLS=2)
    with app.app_context():
        factories.newsroom(6)
        first = db.session.scalars(select(Story).order_by(Story.id)).first()
        assert first is not None
        first.status = StoryStatus.DRAFT
        db.session.commit()
    client = app.test_client()
    files = [path for path in sitemap_files(client) if "/stories-" in path]
    assert files == [
        "/sitemaps/stories-1.xml",
        "/sitemaps/stories-2.xml",
        "/sitemaps/stories-3.xml",
    ]
    listed: list[str] = []
    for path in files:
        urls = sitemap_urls(client, path)
        assert 1 <= len(urls) <= 2
        assert all(lastmod for lastmod in urls.values())
        listed += urls
    assert sorted(listed) == [f"/news/story-00{n}" for n in range(1, 6)]
    assert client.get("/sitemaps/stories-4.xml").status_code == 404
    assert client.get("/sitemaps/stories-0.xml").status_code == 404


def test_sitemaps_revalidate_without_rendering(make_app: Callable[..., Flask]) -> None:
    """A crawler sending back the ETag gets a 304 after one read of the version."""
    app = make_app()
    with app.app_context():
        factories.newsroom(3)
    for path in ("/sitemap.xml", "/sitemaps/sections.xml", "/sitemaps/stories-1.xml"):
        etag = app.test_client().get(path).headers["ETag"]
        count, answer = counted_get(app, path, headers={"If-None-Match": etag})
        assert (answer.status_code, count) == (304, 1), path


def test_robots_txt_allows_all_but_private_pages_and_names_the_sitemap(
    client: FlaskClient,
) -> None:
    """robots.txt: everything allowed except accounts, bookmarks, the newsroom; the sitemap."""
    response = client.get("/robots.txt")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in ("/editor", "/account", "/bookmarks", "/login", "/register"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


@pytest.mark.parametrize(
    ("page", "canonical", "og_type"),
    [
        ("/news/story-001?back=/tools&expand=all", "http://localhost/news/story-001", "article"),
        ("/tools/mistral-ai", "http://localhost/tools/mistral-ai", "website"),
        ("/panel/the-skeptic?category=funding", "http://localhost/panel/the-skeptic", "website"),
    ],
)
def test_pages_have_canonical_urls_and_social_meta(
    make_app: Callable[..., Flask], page: str, canonical: str, og_type: str
) -> None:
    """Story, tool and persona pages name their address without query and a link preview."""
    app = make_app()
    with app.app_context():
        factories.newsroom(3)
    html = app.test_client().get(page).get_data(as_text=True)
    head = html[: html.index("</head>")]
    assert [attrs["href"] for attrs in head_links(head, "canonical")] == [canonical]
    assert meta_content(head, "og:url") == canonical
    assert meta_content(head, "og:type") == og_type
    assert meta_content(head, "og:site_name") == "newsweb"
    assert meta_content(head, "og:title")
    assert meta_content(head, "og:description")
    assert meta_content(head, "twitter:card") == "summary"


def test_social_meta_is_escaped(hostile_app: Flask) -> None:
    """A title and dek carrying markup stay inside their attributes on the story page."""
    with hostile_app.app_context():
        slug = db.session.scalars(select(Story.slug).where(Story.title == HOSTILE)).one()
    html = hostile_app.test_client().get(f"/news/{slug}").get_data(as_text=True)
    head = html[: html.index("</head>")]
    assert "<script>alert" not in html
    assert meta_content(head, "og:title") == HOSTILE
    assert meta_content(head, "og:description") == f"Dek {HOSTILE}"


# Statements per feed: constant however many stories there are.
FEED_STATEMENTS = {
    "/feeds/stories.atom": 2,  # stories (tool and category joined), the panel's calls
    "/feeds/tools/mistral-ai.atom": 3,  # tool, its stories, the panel's calls
    "/feeds/categories/funding.atom": 3,  # category, its stories, the panel's calls
    "/feeds/panel/the-skeptic.atom": 2,  # persona, takes with their stories
    "/feeds/digest.atom": 2,  # stories of the last 12 weeks, their verdicts
    "/feeds": 3,  # tools, categories, personas
    # Sitemaps are shared pages: the newsroom's version is read first (web/page_cache.py).
    "/sitemap.xml": 2,  # version, the story files with their lastmod
    "/sitemaps/sections.xml": 4,  # version, tools, personas, newest and oldest story
    "/sitemaps/stories-1.xml": 2,  # version, the file's stories
    "/robots.txt": 0,
}


@pytest.mark.parametrize("path", FEED_STATEMENTS)
def test_feed_statement_count_does_not_grow_with_the_data(
    make_app: Callable[..., Flask], path: str
) -> None:
    """The same feed runs the same statements with 3 stories as with 30."""
    app = make_app()
    with app.app_context():
        factories.newsroom(3)
    counts = []
    for more in (0, 27):
        with app.app_context():
            factories.more_stories(more)
        counts.append(statements_for(app, path))
    assert counts == [FEED_STATEMENTS[path]] * 2
