"""The pages and states the quality checks look at: axe in a browser, the Nu HTML Checker.

Anonymous states are listed; signed-in pages are every HTML route in tests/routes.py;
forms are sent empty so they come back with their errors.
"""

from __future__ import annotations

from flask import Flask

from tests.routes import STORY, sample_pages

STORY_PATH = f"/news/{STORY}"
ADMIN_EMAIL = "admin@example.com"
ADMIN_NAME = "Ada Admin"

# What an anonymous reader sees: each page type and its key states.
READER_STATES: list[str] = [
    "/",
    "/?category=funding",
    "/?tool=mistral-ai&category=funding",
    "/?sort=divided",
    "/?sort=divided&category=model",
    STORY_PATH,
    STORY_PATH + "?expand=the-skeptic",
    STORY_PATH + "?expand=all",
    "/tools",
    "/?through=end",  # every story loaded so far (Load more keeping the reader's place)
    "/tools?category=model&sort=ship",
    "/tools/mistral-ai",
    "/panel",
    "/panel/the-skeptic",
    "/panel/the-skeptic?through=end",
    "/predictions?status=resolved&through=end",
    "/compare/mistral-ai-vs-anthropic",
    "/compare?a=mistral-ai&with=an",
    "/compare",
    "/compare?first=mistral-ai&second=mistral-ai",
    "/search",
    "/search?q=model",
    "/search?q=zzqxv",
    "/digest",
    "/digest/2026-W40",  # a week with a verdict flipped
    "/feeds",
    "/bookmarks",
    "/login",
    "/register",
    "/password/forgot",
    "/no-such-page",
]

# Forms a reader sends, and those of the signed-in (account, newsroom), each with the CSS
# selector of the form.
READER_FORMS: list[tuple[str, str]] = [
    ("/register", "main form.stacked"),
    ("/login", "main form.stacked"),
]
SIGNED_IN_FORMS: list[tuple[str, str]] = [
    ("/account", "main form.stacked"),
    ("/editor/stories/new", "form.story-form"),
    ("/editor/tools/new", "main form.stacked"),
    ("/editor/personas/new", "main form.stacked"),
    ("/editor/categories/new", "main form.stacked"),
]


def html_pages(app: Flask) -> list[str]:
    """Every sample page (tests/routes.py) that answers with an HTML page, or redirects.

    A redirect may lead to a page for the signed-in (the checks sign in first).
    """
    client = app.test_client()
    pages = []
    for _endpoint, url in sample_pages(app):
        response = client.get(url)
        is_page = response.mimetype == "text/html" and b"<html" in response.data
        if is_page or response.status_code in (301, 302, 303):
            pages.append(url)
    return pages
