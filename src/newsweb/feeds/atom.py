"""Atom documents built with feedgen: every text is XML-escaped, and HTML goes in as text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import Response, request
from markupsafe import Markup

ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
SITE_NAME = "newsweb"
# The date in every tag: URI id (RFC 4151): the year the newsroom started minting them.
TAG_DATE = "2026"
# XML 1.0 cannot carry these at all, escaped or not (NUL, most control characters, lone
# surrogates, U+FFFE/U+FFFF); lxml refuses them, so they are dropped rather than failing.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def tag_id(*parts: str | int) -> str:
    """A stable `tag:` URI for a feed or entry on this site: `tag:host,2026:story/12`.

    Ids name database ids, never slugs or titles, so an edited story keeps its id.
    """
    host = urlsplit(request.host_url).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:" + "/".join(str(part) for part in parts)


def utc(moment: datetime) -> datetime:
    """A stored (naive UTC) time as an aware one, which Atom and feedgen require."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class Author:
    """Who an entry or feed is by: a name and, optionally, a page about them."""

    name: str
    uri: str | None = None


@dataclass(frozen=True)
class Entry:
    """One Atom entry; `content` is HTML that is already safe, sent escaped as type="html"."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    author: Author
    summary: str
    content: Markup
    # (term, label) pairs: the story's category, for readers that file by it.
    categories: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Feed:
    """One Atom feed: what it is, where it lives, and its entries newest first."""

    id: str
    title: str
    subtitle: str
    self_url: str
    page_url: str
    entries: list[Entry]
    # When the feed last changed if it has no entries (the newest entry's time otherwise).
    empty_since: datetime


def _author(author: Author) -> dict[str, str]:
    """feedgen's form of an author."""
    found = {"name": xml_text(author.name)}
    if author.uri:
        found["uri"] = author.uri
    return found


def atom_document(feed: Feed) -> bytes:
    """Serialize `feed` as an Atom 1.0 document (UTF-8, with the XML declaration)."""
    generator = FeedGenerator()
    generator.id(feed.id)
    generator.title(xml_text(feed.title))
    generator.subtitle(xml_text(feed.subtitle))
    generator.link(href=feed.self_url, rel="self", type="application/atom+xml")
    generator.link(href=feed.page_url, rel="alternate", type="text/html")
    generator.author(_author(Author(SITE_NAME, request.host_url)))
    generator.language("en")
    generator.generator(SITE_NAME, uri=request.host_url)
    newest = max((entry.updated for entry in feed.entries), default=feed.empty_since)
    generator.updated(utc(newest))
    for entry in feed.entries:
        item = generator.add_entry(order="append")
        item.id(entry.id)
        item.title(xml_text(entry.title))
        item.link(href=entry.link, rel="alternate", type="text/html")
        item.published(utc(entry.published))
        item.updated(utc(entry.updated))
        item.author(_author(entry.author))
        item.summary(xml_text(entry.summary))
        item.content(xml_text(str(entry.content)), type="html")
        for term, label in entry.categories:
            item.category(term=xml_text(term), label=xml_text(label))
    document: bytes = generator.atom_str(pretty=True)
    return document


def atom_response(feed: Feed) -> Response:
    """Answer with `feed` as `application/atom+xml` (cached like any anonymous page)."""
    return Response(atom_document(feed), content_type=ATOM_CONTENT_TYPE)
