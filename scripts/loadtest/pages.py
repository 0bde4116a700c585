"""Reading newsweb's pages: the links to follow, the CSRF token, a bookmark button's state."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from loadtest.client import fetch

STORY_LINK = re.compile(r'href="/news/([a-z0-9-]+)"')
TOOL_LINK = re.compile(r'href="/tools/([a-z0-9-]+)"')
PERSONA_LINK = re.compile(r'href="/panel/([a-z0-9-]+)"')
TAKE_ANCHOR = re.compile(r'href="#take-([a-z0-9-]+)"')
LOAD_MORE = re.compile(r'hx-get="(/\?after=[^"]+)"')
MORE_TAKES = re.compile(r'hx-get="(/panel/[a-z0-9-]+\?after=[^"]+)"')
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')


def links(pattern: re.Pattern[str], body: str) -> list[str]:
    """Every distinct match of `pattern` in `body`, unescaped, in page order."""
    return list(dict.fromkeys(html.unescape(found) for found in pattern.findall(body)))


def csrf_token(body: str) -> str | None:
    """The CSRF token a page carries, in a form's hidden field or in `hx-headers`."""
    if (tag := CSRF_INPUT.search(body)) and (value := VALUE.search(tag.group(0))):
        return html.unescape(value.group(1))
    if header := CSRF_HEADER.search(body):
        return html.unescape(header.group(1))
    return None


def button_state(body: str, slug: str) -> bool | None:
    """Whether the bookmark button for tool `slug` is pressed (saved), if the body has one."""
    button = re.search(
        rf'id="bookmark-tools-{re.escape(slug)}"[^>]*aria-pressed="(true|false)"', body
    )
    return None if button is None else button.group(1) == "true"


@dataclass(frozen=True)
class Catalog:
    """Stories, tools and personas found by following the site's own links."""

    stories: list[str]
    tools: list[str]
    personas: list[str]


def discover(base_url: str) -> Catalog:
    """Crawl the front page (through every "Load more"), the tool directory and the panel."""
    front = fetch(base_url, "/")
    stories = links(STORY_LINK, front)
    more = links(LOAD_MORE, front)
    for _ in range(50):
        if not more:
            break
        page = fetch(base_url, more[0], htmx=True)
        stories += links(STORY_LINK, page)
        more = links(LOAD_MORE, page)
    catalog = Catalog(
        stories=list(dict.fromkeys(stories)),
        tools=links(TOOL_LINK, fetch(base_url, "/tools")),
        personas=links(PERSONA_LINK, fetch(base_url, "/panel")),
    )
    if not (catalog.stories and catalog.tools and catalog.personas):
        raise SystemExit(f"found nothing to load: {catalog}")
    return catalog
