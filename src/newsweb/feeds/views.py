"""Routes for the Atom feeds, the /feeds page that lists them, sitemap.xml and robots.txt."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from newsweb import lookups
from newsweb.digest import queries as digest_queries
from newsweb.digest.weeks import IsoWeek, this_week
from newsweb.feeds import queries
from newsweb.feeds.atom import SITE_NAME, Author, Entry, Feed, atom_response, tag_id
from newsweb.markup import paragraphs, render_markdown
from newsweb.models import Call, Persona, Split, Story, Take, VerdictChange
from newsweb.models.clock import utcnow
from newsweb.news.queries import PanelCall, panelists_by_story
from newsweb.panel.queries import takes_by
from newsweb.verdict_history import verdict_changes
from newsweb.web.page_cache import shared_cache
from newsweb.web.rendering import render

blueprint = Blueprint("feeds", __name__)

# What an empty feed reports as its last change: the day the newsroom opened.
NEWSROOM_OPENED = datetime(2026, 1, 1)
# The digest feed: one entry per week that had anything, over this many weeks.
DIGEST_FEED_WEEKS = 12
# Paths crawlers have no business in: personal or sign-in pages and the newsroom.
ROBOTS_DISALLOW = ("/editor", "/account", "/bookmarks", "/login", "/register")
# The typographic apostrophe the pages use, for the feeds' own words.
APOSTROPHE = "\N{RIGHT SINGLE QUOTATION MARK}"


def _newsroom() -> Author:
    """The author of stories and of every feed: the newsroom itself."""
    return Author(SITE_NAME, url_for("news.index", _external=True))


def _calls_html(story_url: str, calls: list[PanelCall]) -> Markup:
    """The panel's split and each panelist's call, linked to their take; nothing with none."""
    if not calls:
        return Markup("")
    items = Markup("").join(
        Markup('<li><a href="{}#take-{}">{}</a>: {}</li>').format(
            story_url, seat.persona.slug, seat.persona.name, seat.call.value
        )
        for seat in calls
    )
    split = Split.of(seat.call for seat in calls)
    return Markup("<p>The panel{}s calls: {}</p><ul>{}</ul>").format(APOSTROPHE, split, items)


def story_entry(story: Story, calls: list[PanelCall]) -> Entry:
    """A story as an Atom entry: its dek as the summary, its sanitized body as the content,
    then the panel's calls on it (`calls`, in panel order)."""
    published = story.published_at or story.created_at
    story_url = url_for("news.show", slug=story.slug, _external=True)
    more = _calls_html(story_url, calls) + Markup(
        '<p><a href="{}#panel">Read the panel{}s takes</a></p>'
    ).format(story_url, APOSTROPHE)
    return Entry(
        id=tag_id("story", story.id),
        title=story.title,
        link=story_url,
        published=published,
        updated=max(published, story.updated_at),
        author=_newsroom(),
        summary=story.dek,
        content=render_markdown(story.body) + more,
        categories=[(story.category.slug, story.category.name)],
    )


def take_entry(take: Take, persona: Persona) -> Entry:
    """A take as an Atom entry, linking to the take on its story's page (`#take-<persona>`).

    A take comes out with its story; one written after it shows as an update.
    The story's dek is the summary.
    """
    story = take.story
    published = story.published_at or take.created_at
    return Entry(
        id=tag_id("take", take.id),
        title=f"{persona.name} on “{story.title}”",
        link=url_for("news.show", slug=story.slug, _anchor=f"take-{persona.slug}", _external=True),
        published=published,
        updated=max(published, take.created_at, story.updated_at),
        author=Author(persona.name, url_for("panel.show", slug=persona.slug, _external=True)),
        summary=story.dek,
        content=Markup("<p>Call: {}</p>").format(Call(take.call).label) + paragraphs(take.body),
        categories=[(story.category.slug, story.category.name)],
    )


def verdict_change_entry(change: VerdictChange) -> Entry:
    """A verdict change as an Atom entry, linking to it on the tool's timeline."""
    persona, tool = change.persona, change.tool
    return Entry(
        id=tag_id("verdict-change", change.id),
        title=f"{persona.name} on {tool.name}: {change.summary}",
        link=url_for(
            "tools.show", slug=tool.slug, _anchor=f"verdict-change-{change.id}", _external=True
        ),
        published=change.changed_at,
        updated=change.changed_at,
        author=Author(persona.name, url_for("panel.show", slug=persona.slug, _external=True)),
        summary=change.summary,
        content=paragraphs(change.reason),
        categories=[("verdict-change", "Verdict change")],
    )


def digest_entry(digest: digest_queries.WeekDigest) -> Entry:
    """A week's digest as an Atom entry: its stories and verdict changes as a short HTML page."""
    week = digest.week
    stories, changes = len(digest.stories), len(digest.changes)
    summary = (
        f"{stories} stor{'y' if stories == 1 else 'ies'} and "
        f"{changes} verdict change{'' if changes == 1 else 's'}, week {week.number} of {week.year}."
    )
    return Entry(
        id=tag_id("digest", str(week)),
        title=f"The week of {week.date_range}",
        link=url_for("digest.show", week=str(week), _external=True),
        published=digest.published_at or week.starts_at,
        updated=digest.updated_at or week.starts_at,
        author=_newsroom(),
        summary=summary,
        content=Markup(render_template("feeds/_digest_entry.html", digest=digest)),  # noqa: S704 - autoescaped template
    )


def _feed(
    *, feed_id: str, title: str, subtitle: str, page_url: str, entries: list[Entry]
) -> Response:
    """Answer with a feed of `entries` that lives at the requested URL."""
    return atom_response(
        Feed(
            id=feed_id,
            title=title,
            subtitle=subtitle,
            self_url=request.base_url,
            page_url=page_url,
            entries=entries,
            empty_since=NEWSROOM_OPENED,
        )
    )


def _story_feed(
    *, feed_id: str, title: str, subtitle: str, page_url: str, stories: list[Story]
) -> Response:
    """Answer with a feed of `stories` that lives at the requested URL."""
    calls = panelists_by_story([story.id for story in stories])
    entries = [story_entry(story, calls.get(story.id, [])) for story in stories]
    return _feed(
        feed_id=feed_id, title=title, subtitle=subtitle, page_url=page_url, entries=entries
    )


@blueprint.get("/feeds")
def index() -> str:
    """`/feeds`: what a feed is, and every feed there is (stories, tools, categories, panel)."""
    return render(
        "feeds/index.html",
        tools=queries.all_tools(),
        categories=lookups.all_categories(),
        personas=lookups.personas_in_order(),
    )


@blueprint.get("/feeds/stories.atom")
def stories() -> Response:
    """`/feeds/stories.atom`: the newest published stories, all of them."""
    return _story_feed(
        feed_id=tag_id("feed", "stories"),
        title=f"{SITE_NAME}: all stories",
        subtitle="AI industry news, each story read by a panel of critics.",
        page_url=url_for("news.index", _external=True),
        stories=queries.newest_stories(),
    )


@blueprint.get("/feeds/tools/<slug>.atom")
def tool(slug: str) -> Response:
    """`/feeds/tools/<slug>.atom`: the newest stories about one tool."""
    found = lookups.tool_by_slug(slug)
    if found is None:
        abort(404, description="We do not cover a tool by that name, so it has no feed.")
    return _story_feed(
        feed_id=tag_id("feed", "tool", found.id),
        title=f"{SITE_NAME}: {found.name}",
        subtitle=found.tagline,
        page_url=url_for("tools.show", slug=found.slug, _external=True),
        stories=queries.newest_stories(tool=found),
    )


@blueprint.get("/feeds/categories/<slug>.atom")
def category(slug: str) -> Response:
    """`/feeds/categories/<slug>.atom`: the newest stories in one category."""
    found = lookups.category_by_slug(slug)
    if found is None:
        abort(404, description="There is no category by that name, so it has no feed.")
    return _story_feed(
        feed_id=tag_id("feed", "category", found.id),
        title=f"{SITE_NAME}: {found.name}",
        subtitle=f"Every {found.name} story, read by the panel.",
        page_url=url_for("news.index", category=found.slug, _external=True),
        stories=queries.newest_stories(category=found),
    )


@blueprint.get("/feeds/panel/<slug>.atom")
def persona(slug: str) -> Response:
    """`/feeds/panel/<slug>.atom`: one panelist's newest takes, each linking to its story."""
    found = lookups.persona_by_slug(slug)
    if found is None:
        abort(404, description="There is no panelist by that name, so there is no feed.")
    takes = takes_by(found, limit=queries.FEED_LENGTH).takes
    return atom_response(
        Feed(
            id=tag_id("feed", "persona", found.id),
            title=f"{SITE_NAME}: {found.name}",
            subtitle=f"{found.name}{APOSTROPHE}s takes: {found.lens}.",
            self_url=request.base_url,
            page_url=url_for("panel.show", slug=found.slug, _external=True),
            entries=[take_entry(take, found) for take in takes],
            empty_since=found.created_at,
        )
    )


@blueprint.get("/feeds/verdicts.atom")
def verdicts() -> Response:
    """`/feeds/verdicts.atom`: every panelist's newest verdict changes, on every tool."""
    return _feed(
        feed_id=tag_id("feed", "verdicts"),
        title=f"{SITE_NAME}: verdict changes",
        subtitle="Every time a panelist makes, changes or withdraws a call on a tool.",
        page_url=url_for("tools.index", _external=True),
        entries=[verdict_change_entry(c) for c in verdict_changes(limit=queries.FEED_LENGTH)],
    )


@blueprint.get("/feeds/tools/<slug>/verdicts.atom")
def tool_verdicts(slug: str) -> Response:
    """`/feeds/tools/<slug>/verdicts.atom`: how the panel's verdicts on one tool moved."""
    found = lookups.tool_by_slug(slug)
    if found is None:
        abort(404, description="We do not cover a tool by that name, so it has no feed.")
    changes = verdict_changes(tool=found, limit=queries.FEED_LENGTH)
    return _feed(
        feed_id=tag_id("feed", "tool-verdicts", found.id),
        title=f"{SITE_NAME}: the panel{APOSTROPHE}s verdicts on {found.name}",
        subtitle=f"Every call a panelist makes, changes or withdraws on {found.name}.",
        page_url=url_for("tools.show", slug=found.slug, _anchor="verdict-history", _external=True),
        entries=[verdict_change_entry(change) for change in changes],
    )


@blueprint.get("/feeds/panel/<slug>/verdicts.atom")
def persona_verdicts(slug: str) -> Response:
    """`/feeds/panel/<slug>/verdicts.atom`: one panelist's calls on tools as they change."""
    found = lookups.persona_by_slug(slug)
    if found is None:
        abort(404, description="There is no panelist by that name, so there is no feed.")
    changes = verdict_changes(persona=found, limit=queries.FEED_LENGTH)
    return _feed(
        feed_id=tag_id("feed", "persona-verdicts", found.id),
        title=f"{SITE_NAME}: {found.name}{APOSTROPHE}s verdicts",
        subtitle=f"Every call {found.name} makes, changes or withdraws on a tool.",
        page_url=url_for("panel.show", slug=found.slug, _external=True),
        entries=[verdict_change_entry(change) for change in changes],
    )


@blueprint.get("/feeds/digest.atom")
def digest() -> Response:
    """`/feeds/digest.atom`: one entry per week (this week's once it has a story, as on
    `/digest`), for the last twelve weeks.

    One feed to subscribe to, not one per week: a week's entry keeps its id and is
    updated while the week is still going.
    """
    digests = digest_queries.recent_digests(this_week(), DIGEST_FEED_WEEKS)
    return atom_response(
        Feed(
            id=tag_id("feed", "digest"),
            title=f"{SITE_NAME}: the weekly digest",
            subtitle=(
                f"The stories and how the panel{APOSTROPHE}s verdicts changed, one entry a week."
            ),
            self_url=request.base_url,
            page_url=url_for("digest.index", _external=True),
            entries=[digest_entry(week_digest) for week_digest in digests],
            empty_since=NEWSROOM_OPENED,
        )
    )


def _xml(body: str) -> Response:
    return Response(body, content_type="application/xml; charset=utf-8")


@blueprint.get("/sitemap.xml")
@shared_cache
def sitemap() -> Response:
    """`/sitemap.xml`: the sitemap index (sitemaps.org): the sections file and the story files.

    Story files hold at most SITEMAP_URLS stories each (50,000, the protocol's limit), so
    the index stays small however large the archive grows. Like every shared page, each
    file is rendered once per newsroom version and revalidated by its ETag without
    rendering (web/page_cache.py).
    """
    chunks = queries.sitemap_chunks(current_app.config["SITEMAP_URLS"])
    newest = max((changed for _, changed in chunks), default=None)
    return _xml(render_template("feeds/sitemap_index.xml", chunks=chunks, newest=newest))


@blueprint.get("/sitemaps/sections.xml")
@shared_cache
def sitemap_sections() -> Response:
    """`/sitemaps/sections.xml`: the front page, tools, personas, /feeds and digest weeks."""
    sections = queries.sitemap_sections()
    weeks: list[tuple[IsoWeek, date]] = []
    if sections.first_week is not None:
        current, week = this_week(), IsoWeek.containing(sections.first_week)
        while week <= current:
            # A week's digest is complete when the week ends; this week's is still growing.
            weeks.append((week, min(week.last_day, current.last_day, utcnow().date())))
            week = week.following
    body = render_template(
        "feeds/sitemap_sections.xml", sections=sections, weeks=list(reversed(weeks))
    )
    return _xml(body)


@blueprint.get("/sitemaps/stories-<id:number>.xml")
@shared_cache
def sitemap_stories(number: int) -> Response:
    """`/sitemaps/stories-<n>.xml`: the visible stories of file n, each with its lastmod."""
    per_file = current_app.config["SITEMAP_URLS"]
    if number < 1:
        abort(404)
    stories = queries.sitemap_stories(number, per_file)
    if not stories:
        abort(404, description="There is no such sitemap file.")
    # Up to 50,000 URLs: building each with url_for() would be most of the file's cost, so
    # the story URL is built once and each slug (its last path segment) set in its place.
    folder = url_for("news.show", slug="x", _external=True).removesuffix("x")
    body = render_template("feeds/sitemap_stories.xml", stories=stories, folder=folder)
    return _xml(body)


@blueprint.get("/robots.txt")
def robots() -> Response:
    """`/robots.txt`: crawl everything public; stay out of accounts, bookmarks, the newsroom."""
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {url_for('feeds.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), content_type="text/plain; charset=utf-8")
