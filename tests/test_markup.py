"""Markdown bodies and plain-text takes become safe HTML."""

from __future__ import annotations

import pytest

from newsweb.markup import paragraphs, render_markdown
from tests.html import unsafe_markup


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "<javascript:alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://ok.example" onclick="steal()">x</a>',
        '<div hx-get="/admin" hx-trigger="load">x</div>',
        '<img src="x" onerror="alert(1)">',
        "![tracker](https://tracker.example/pixel.png)",
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_markdown_output_has_nothing_executable(source: str) -> None:
    """Scripts, handlers, hx-* attributes, script URLs and remote images never survive."""
    assert unsafe_markup(str(render_markdown(source))) == []


def test_markdown_keeps_the_formatting_stories_use() -> None:
    """Paragraphs, emphasis, lists, quotes, code and safe links render."""
    html = str(render_markdown("A **bold** [link](https://ok.example).\n\n- one\n- two\n\n> q"))
    assert "<strong>bold</strong>" in html
    assert '<a href="https://ok.example" rel="noopener noreferrer nofollow">link</a>' in html
    assert "<li>one</li>" in html
    assert "<blockquote>" in html


def test_markdown_headings_start_below_the_page_headings() -> None:
    """A `#` heading in a body becomes an h3: the page owns h1 and h2."""
    assert str(render_markdown("# Big\n\n## Less")) == "<h3>Big</h3>\n<h3>Less</h3>\n"


def test_plain_text_takes_are_escaped_paragraphs() -> None:
    """Takes are plain text: markup is escaped and blank lines split paragraphs."""
    html = str(paragraphs("First <b>one</b>.\n\nSecond & last."))
    assert html == "<p>First &lt;b&gt;one&lt;/b&gt;.</p><p>Second &amp; last.</p>"
