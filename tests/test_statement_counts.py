"""Pages run a fixed number of SQL statements, however many stories there are."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests import factories
from tests.conftest import Auth, create_user, htmx
from tests.statements import statements_for

# Each page's statement count, asserted exactly so that a new query is a visible change.
# Every anonymous page first reads the newsroom's version (its ETag and cache entry depend
# on it, see web/page_cache.py): that is the first statement of each.
PAGES = {
    "/": 4,  # version, categories, stories (tool and category joined), panelists
    "/?category=model&tool=mistral-ai": 5,  # + the tool filter
    "/?sort=divided": 4,  # the same four, most divided first
    "/?sort=divided&category=model&tool=mistral-ai": 5,  # + the tool filter
    # version, story, takes with personas, the tool's ship share, more about the tool
    "/news/story-001": 5,
    "/news/story-001/takes/the-skeptic?expanded=1": 3,  # version, story, the take (htmx)
    "/tools": 3,  # version, categories, tools with tallies
    "/tools/mistral-ai": 6,  # version, tool, scorecard, verdict history, stories, panelists
    "/panel": 3,  # version, personas with counts, track records
    "/compare": 2,  # version, visible tools with categories and bookmark counts
    # version, persona, categories, verdicts, changed calls, track record, predictions, takes
    "/panel/the-skeptic": 8,
    "/predictions": 5,  # version, panel, open, due, resolved
    "/predictions?status=open&panelist=the-skeptic": 3,  # version, panel, one page
    # Feeds are not shared pages (no version read): the verdict feeds, all, by tool, by panelist.
    "/feeds/verdicts.atom": 1,  # verdict changes with their tools and panelists
    "/feeds/tools/mistral-ai/verdicts.atom": 2,  # tool, its verdict changes
    "/feeds/panel/the-skeptic/verdicts.atom": 2,  # panelist, their verdict changes
}


# "Load more" keeping the reader's place (paging.Place): the pages of everything loaded so
# far (`?through=`, bounded however deep the cursor) and the steps, as htmx fragments and as
# the redirect a reader without JavaScript gets. Each runs its page's own statements, or
# fewer: a persona's step reads only the takes.
DEEP = "2000-01-01T00:00:00~1"
STEP = {"after": "2100-01-01T00:00:00~1", "from": "top"}
PLACES = {
    f"/?through={DEEP}": 4,
    "/?through=end": 4,
    f"/?category=model&tool=mistral-ai&through={DEEP}": 5,
    "/?after={after}&from={from}": 4,  # version, categories, stories, panelists
    f"/panel/the-skeptic?through={DEEP}": 8,
    "/panel/the-skeptic?after={after}&from={from}": 4,  # version, persona, categories, takes
    "/predictions?status=resolved&through=end": 3,
    "/predictions?status=open&after={after}&from={from}": 3,
}


# A signed-in member's pages add the session's user and which items they saved. Shared
# pages first look for a stored anonymous copy to assemble the member's page from (web/
# personal.py), which costs the version read; with none stored, they render.
MEMBER_PAGES = {
    "/": 6,  # version, user, the front page's three, saved items (every card's button)
    "/news/story-001": 7,  # version, user, the story page's five, saved items
    "/tools": 5,  # version, user, categories, tools with tallies, saved items
    "/tools/mistral-ai": 8,  # version, user, the tool page's five, saved items
    "/bookmarks": 2,  # user, bookmarks with their tools and stories
    "/bookmarks/sidebar": 2,  # user, bookmarks
}
# Assembled from the stored anonymous copy: the version, the user, the saved items.
ASSEMBLED_PAGES = ("/", "/news/story-001", "/tools", "/tools/mistral-ai", "/panel/the-skeptic")


def headers_for(path: str) -> dict[str, str]:
    """htmx's headers for the fragment-only paths above, none for whole pages."""
    return htmx() if "/takes/" in path or "/sidebar" in path else {}


@pytest.mark.parametrize("path", PAGES)
def test_statement_count_does_not_grow_with_the_data(
    make_app: Callable[..., Flask], path: str
) -> None:
    """The same page runs the same statements with 3 stories as with 300 (and a verdict
    history many times longer, and a prediction in every take)."""
    app = make_app()
    with app.app_context():
        factories.newsroom(3)
    small = statements_for(app, path, headers=headers_for(path))
    with app.app_context():
        factories.more_stories(297)
        factories.flip_every_verdict(3)
        factories.predict_in_every_take()
    large = statements_for(app, path, headers=headers_for(path))
    assert small == large == PAGES[path]


@pytest.mark.parametrize("fragment", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("path", PLACES)
def test_pages_that_keep_the_place_run_fixed_statements(
    make_app: Callable[..., Flask], path: str, fragment: bool
) -> None:
    """The everything-so-far pages and the "Load more" steps run the same statements with 3
    stories as with 300 (a step without JavaScript is a redirect, 303)."""
    path = path.format(**STEP)
    is_step = "from=" in path
    statuses = (303,) if is_step and not fragment else (200,)
    headers = htmx() if fragment else {}
    app = make_app()
    with app.app_context():
        factories.newsroom(3)
        factories.predict_in_every_take()
    small = statements_for(app, path, headers=headers, statuses=statuses)
    with app.app_context():
        factories.more_stories(297)
        factories.predict_in_every_take()
    large = statements_for(app, path, headers=headers, statuses=statuses)
    expected = PLACES[path.replace(STEP["after"], "{after}").replace("from=top", "from={from}")]
    if fragment and not is_step and path.startswith("/panel/"):
        expected = 5  # the record block (as for a category change): no track record, flips
    assert small == large == expected


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_member_statement_count_does_not_grow_with_bookmarks(
    make_app: Callable[..., Flask], path: str
) -> None:
    """A member's page runs the same statements with no bookmarks as with many."""
    app = make_app()
    with app.app_context():
        factories.newsroom(3)
    create_user(app, "member@example.com")
    auth = Auth(app.test_client())
    auth.sign_in("member@example.com")
    few = statements_for(app, path, auth.client, headers=headers_for(path))
    with app.app_context():
        factories.more_stories(60)
        factories.bookmark_everything("member@example.com")
    many = statements_for(app, path, auth.client, headers=headers_for(path))
    assert few == many == MEMBER_PAGES[path]


@pytest.mark.parametrize("path", ASSEMBLED_PAGES)
def test_a_member_page_assembled_from_the_stored_copy_runs_three_statements(
    make_app: Callable[..., Flask], path: str
) -> None:
    """Version, user, saved items: however many stories, takes and bookmarks there are."""
    app = make_app()
    with app.app_context():
        factories.newsroom(3)
        factories.more_stories(60)
    create_user(app, "member@example.com")
    with app.app_context():
        factories.bookmark_everything("member@example.com")
    auth = Auth(app.test_client())
    auth.sign_in("member@example.com")
    statements_for(app, path)  # an anonymous reader stores the page
    saved_items = 1 if "personal bookmark" in app.test_client().get(path).text else 0
    assert statements_for(app, path, auth.client) == 2 + saved_items
