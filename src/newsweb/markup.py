"""Editor-written text turned into safe HTML: Markdown bodies and plain-text takes."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# Raw HTML in Markdown is off, and whatever the renderer emits is still sanitized
# against an allowlist: defence in depth if either layer ever changes.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1024)
def _render_markdown(text: str) -> str:
    html = _markdown.render(text)
    # Story bodies use h3 and below: the page already owns h1 and h2.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> Markup:
    """Render Markdown to HTML that is safe to place in a page (cached by text)."""
    return Markup(_render_markdown(text))  # noqa: S704 - sanitized by nh3 above


def paragraphs(text: str) -> Markup:
    """Render plain text as escaped paragraphs, one per blank-line-separated block."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return Markup("").join(Markup("<p>{}</p>").format(escape(block)) for block in blocks if block)
