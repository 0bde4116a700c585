"""Reading HTML in tests the way a browser would: tags and attributes, not substrings."""

from __future__ import annotations

from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag in `html` with its attributes, in document order."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def unsafe_markup(html: str) -> list[str]:
    """Describe every script, event handler, hx-* attribute or script-capable URL in `html`."""
    found = []
    for tag, attrs in elements(html):
        if tag in ("script", "iframe", "object", "embed", "img", "style"):
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith(("on", "hx-", "data-hx-")):
                found.append(f"{tag}[{name}]")
            script_url = ("javascript:", "data:", "vbscript:")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                script_url
            ):
                found.append(f"{tag}[{name}={value}]")
    return found
