"""What a reader downloads: the story page's first load stays within 30 KB compressed,
and the newsroom's stylesheet reaches editor pages only."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import Auth, create_user
from tests.test_compression import STORY_PAGE, asset_urls

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

# The issue-12 budget for everything the story page needs before htmx asks for anything:
# the page, its stylesheet, scripts and icon, as the site compresses them for Chromium.
FIRST_LOAD_BUDGET = 30_000
CHROMIUM_ACCEPTS = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def test_story_first_load_is_within_budget(demo_client: FlaskClient) -> None:
    """Page, CSS, JS and favicon, brotli-compressed as served, add up to 30 KB at most."""
    page = demo_client.get(STORY_PAGE, headers=CHROMIUM_ACCEPTS)
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "br"
    sizes = {STORY_PAGE: len(page.data)}
    for name, url in asset_urls(demo_client, STORY_PAGE).items():
        asset = demo_client.get(url, headers=CHROMIUM_ACCEPTS)
        assert asset.status_code == 200, url
        sizes[name] = len(asset.data)
    assert set(sizes) >= {"/static/css/site.css", "/static/js/takes.js", "/static/favicon.svg"}
    assert "/static/css/newsroom.css" not in sizes
    total = sum(sizes.values())
    assert total <= FIRST_LOAD_BUDGET, f"{total} bytes: {sizes}"


def test_editor_pages_load_the_newsroom_stylesheet_after_the_site_one(
    demo_client: FlaskClient,
) -> None:
    """Its rules build on site.css's, so it comes second."""
    create_user(demo_client.application, "editor@example.com", role="editor", name="Eda")
    assert Auth(demo_client).sign_in("editor@example.com").status_code == 303
    stylesheets = [url for url in asset_urls(demo_client, "/editor") if url.endswith(".css")]
    assert stylesheets == ["/static/css/site.css", "/static/css/newsroom.css"]
