"""Old addresses keep working: a renamed story, tool, persona or category answers 301 from
its old slug to its new one, in pages, feeds, filters and the API, for good."""

from __future__ import annotations

from flask import Flask

from tests.conftest import Auth
from tests.test_editor import post_story, submitted

STORY = "general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"


def rename(editor: Auth, edit_path: str, slug: str) -> str:
    """Save the item's form with a new slug, as an editor would; return where it went."""
    page = editor.client.get(edit_path).text
    form = submitted(page[page.index("<main") :])
    form.update(slug=slug, action="save")
    response = editor.client.post(edit_path, data=form)
    assert response.status_code == 303, response.text
    return str(response.headers["Location"])


def moved_to(app: Flask, path: str) -> str | None:
    """Where `path` permanently redirects a reader (None unless it answers 301)."""
    response = app.test_client().get(path)
    return response.headers["Location"] if response.status_code == 301 else None


def test_a_renamed_story_keeps_its_old_addresses(editor: Auth, demo_app: Flask) -> None:
    """The page and the API answer 301 to the new slug, from each slug it ever had."""
    edit_path = str(post_story(editor).headers["Location"])  # type: ignore[attr-defined]
    rename(editor, edit_path, "paris-office")
    rename(editor, edit_path, "anthropic-in-paris")
    for old in ("anthropic-opens-a-paris-office", "paris-office"):
        assert moved_to(demo_app, f"/news/{old}") == "/news/anthropic-in-paris"
        assert moved_to(demo_app, f"/api/v1/stories/{old}") == "/api/v1/stories/anthropic-in-paris"
    assert demo_app.test_client().get("/news/anthropic-in-paris").status_code == 200


def test_a_renamed_tool_keeps_its_page_feed_filter_and_api(editor: Auth, demo_app: Flask) -> None:
    """/tools/<old>, its feed, `?tool=<old>` and the API move with it."""
    rename(editor, "/editor/tools/mistral-ai/edit", "mistral")
    assert moved_to(demo_app, "/tools/mistral-ai") == "/tools/mistral"
    assert moved_to(demo_app, "/feeds/tools/mistral-ai.atom") == "/feeds/tools/mistral.atom"
    assert moved_to(demo_app, "/?tool=mistral-ai") == "/?tool=mistral"
    assert moved_to(demo_app, "/api/v1/tools/mistral-ai") == "/api/v1/tools/mistral"


def test_a_renamed_persona_and_category(editor: Auth, demo_app: Flask) -> None:
    """A panelist's page and feed, a category's feed and filter."""
    rename(editor, "/editor/personas/the-skeptic/edit", "skeptic")
    assert moved_to(demo_app, "/panel/the-skeptic") == "/panel/skeptic"
    assert moved_to(demo_app, "/feeds/panel/the-skeptic.atom") == "/feeds/panel/skeptic.atom"
    rename(editor, "/editor/categories/funding/edit", "money")
    assert moved_to(demo_app, "/feeds/categories/funding.atom") == "/feeds/categories/money.atom"
    assert moved_to(demo_app, "/?category=funding&tool=anthropic") == (
        "/?category=money&tool=anthropic"
    )


def test_unknown_slugs_stay_404_and_a_reused_slug_is_the_new_item(
    editor: Auth, demo_app: Flask
) -> None:
    """Only names something once had redirect; a slug taken again belongs to its new item."""
    reader = demo_app.test_client()
    assert reader.get("/news/never-was").status_code == 404
    assert reader.get(f"/news/{STORY}").status_code == 200
    edit_path = str(post_story(editor).headers["Location"])  # type: ignore[attr-defined]
    rename(editor, edit_path, "paris-office")
    post_story(editor, title="Anthropic opens a Paris office")  # takes the old slug again
    assert reader.get("/news/anthropic-opens-a-paris-office").status_code == 200


def test_an_old_address_never_names_a_story_readers_cannot_see(
    editor: Auth, demo_app: Flask
) -> None:
    """A renamed story taken back to a draft: its old slug is a 404, not a 301 that would
    give away the new one."""
    edit_path = str(post_story(editor).headers["Location"])  # type: ignore[attr-defined]
    rename(editor, edit_path, "anthropic-in-paris")
    assert moved_to(demo_app, "/news/anthropic-opens-a-paris-office") == "/news/anthropic-in-paris"
    post_story(editor, edit_path, action="unpublish", slug="anthropic-in-paris")
    answer = demo_app.test_client().get("/news/anthropic-opens-a-paris-office")
    assert answer.status_code == 404
    assert "anthropic-in-paris" not in answer.text
