"""Routes for the front page, story pages and the panel's takes on a story."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from newsweb import lookups
from newsweb.editor import previews, sharing
from newsweb.editor.queries import story_for_editing
from newsweb.models import Story
from newsweb.models.clock import utcnow
from newsweb.news import division, queries
from newsweb.paging import Cursor, DividedCursor, Place
from newsweb.web.caching import personal, uncached
from newsweb.web.listings import step_answer
from newsweb.web.navigation import local_path
from newsweb.web.page_cache import shared_cache
from newsweb.web.rendering import render, wants_fragment

blueprint = Blueprint("news", __name__)
blueprint.record_once(lambda _state: division.track())

EXPAND_ALL = "all"


@blueprint.get("/")
@shared_cache
def index() -> Response | str:
    """`/`: the newest stories, filtered by `category` and `tool`, paged by `after`.

    `?sort=divided` puts the stories the panel is most divided on first. "Load more" is a
    step (`?from=...&after=...`, see paging.Place): htmx gets the `story_page` block (the
    next stories and the next "Load more" control) and pushes `?through=...`, the page of
    every story the reader has so far; without JavaScript the step redirects there. A
    filter or sort change gets the `listing` block.
    """
    menu = lookups.categories_with_stories()
    category = lookups.requested_category(menu.every)
    tool = lookups.requested_tool()
    sort = request.args.get("sort", "newest")
    if sort not in queries.SORTS:
        sort = "newest"
    limit = current_app.config["PAGE_SIZE"]
    place: Place[Cursor] | Place[DividedCursor]
    page: queries.StoryPage[Cursor] | queries.StoryPage[DividedCursor]
    if sort == "divided":
        place = divided = Place.from_args(request.args, DividedCursor.decode)
        page = queries.most_divided_stories(
            limit=limit, place=divided, category=category, tool=tool
        )
    else:
        place = newest = Place.from_args(request.args, Cursor.decode)
        page = queries.latest_stories(limit=limit, place=newest, category=category, tool=tool)
    filters: dict[str, Any] = {
        "category": category.slug if category else None,
        "tool": tool.slug if tool else None,
        "sort": sort if sort != "newest" else None,
    }
    context: dict[str, Any] = {
        "page": page,
        "place": place,
        "categories": menu.offered(category),
        "category": category,
        "tool": tool,
        "filters": filters,
        "sort": sort,
        "sorts": queries.SORTS,
        "listing_url": url_for("news.index", **filters),
    }
    if place.is_step:
        first_new = f"story-{page.stories[0].id}" if page.stories else None
        step = lambda: render("news/index.html", block="story_page", **context)  # noqa: E731
        return step_answer(place, page.next_cursor, first_new, step)
    return render("news/index.html", block="story_page" if place.after else "listing", **context)


def _story_or_404(slug: str) -> Story:
    """Return the visible story with this slug, or answer 404."""
    story = queries.visible_story(slug)
    if story is None:
        abort(404, description="We could not find that story. It may have been unpublished.")
    return story


@blueprint.get("/news/<slug>")
@shared_cache
def show(slug: str) -> str:
    """`/news/<slug>`: a story, its body, the panel's takes and more about its tool.

    `?expand=<persona-slug>` (repeatable) or `?expand=all` opens those takes in full:
    that is where "Read more" leads without JavaScript.
    """
    story = _story_or_404(slug)
    expand = set(request.args.getlist("expand"))
    return render(
        "news/show.html",
        story=story,
        takes=queries.takes_on(story),
        tally=queries.tool_tally(story.tool_id),
        expanded=expand,
        expand_all=EXPAND_ALL in expand,
        more_stories=queries.more_about_tool(story),
        back_url=local_path(request.args.get("back")) or url_for("news.index"),
    )


@blueprint.get("/news/<slug>/takes")
@shared_cache
def takes(slug: str) -> Response | str:
    """`/news/<slug>/takes?expanded=1`: the whole panel, every take open or closed.

    htmx swaps in the `panel` block of the story page ("Expand all" / "Collapse all");
    a plain request is sent to the story page with the same takes open.
    """
    expanded = request.args.get("expanded") == "1"
    if not wants_fragment():
        expand = EXPAND_ALL if expanded else None
        return redirect(url_for("news.show", slug=slug, expand=expand, _anchor="panel"))
    story = _story_or_404(slug)
    return render(
        "news/show.html",
        block="panel",
        story=story,
        takes=queries.takes_on(story),
        expanded=set(),
        expand_all=expanded,
    )


@blueprint.get("/news/<slug>/takes/<persona_slug>")
@shared_cache
def take(slug: str, persona_slug: str) -> Response | str:
    """`/news/<slug>/takes/<persona>?expanded=1`: one take card, open or closed.

    htmx swaps in the `take` block of the story page ("Read more" / "Show less");
    a plain request is sent to the story page with that take open.
    """
    expanded = request.args.get("expanded") == "1"
    anchor = f"take-{persona_slug}"
    if not wants_fragment():
        expand = persona_slug if expanded else None
        return redirect(url_for("news.show", slug=slug, expand=expand, _anchor=anchor))
    story = _story_or_404(slug)
    found = queries.take_on(story, persona_slug)
    if found is None:
        abort(404, description="That panelist has no take on this story.")
    return render(
        "news/show.html",
        block="take",
        story=story,
        take=found,
        expanded={persona_slug} if expanded else set(),
        expand_all=False,
    )


@blueprint.get("/shared/<token>")
@personal
@uncached
def shared_story(token: str) -> Response:
    """`/shared/<token>`: a story the newsroom shared before publication, read-only.

    Anyone holding the link sees it (no account needed) until it expires or is revoked;
    never stored in the shared page cache, never indexed.
    """
    opened = sharing.open_token(token)
    if opened == sharing.Refusal.EXPIRED:
        abort(410, description="This preview link has expired. Ask the newsroom for a new one.")
    story = story_for_editing(opened.story_id) if isinstance(opened, sharing.Opened) else None
    if story is None or not isinstance(opened, sharing.Opened):
        abort(404, description="This preview link does not open any story.")
    if story.share_version != opened.version:
        abort(410, description="The newsroom has withdrawn this preview link.")
    preview = previews.Preview(kind=previews.SHARED, notice=previews.notice_for(story, utcnow()))
    return previews.saved_page(story, preview)
