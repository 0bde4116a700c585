"""The pages measured: found on the running site, signed in where needed, answers captured."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from benchtool.client import Reply, cookie_header, request
from benchtool.floor import Captured, replayable, variant

STORY_LINK = re.compile(r'href="(/news/[a-z0-9-]+)"')
TOOL_LINK = re.compile(r'href="(/tools/[a-z0-9-]+)"')
PERSONA_LINK = re.compile(r'href="(/panel/[a-z0-9-]+)"')
TAKE_FRAGMENT = re.compile(r'hx-get="(/news/[a-z0-9-]+/takes/[a-z0-9-]+[^"]*)"')
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]*)"')
SIGN_OUT_FORM = 'action="/logout"'

# What each page is held to (issue 11): see report.TARGETS.
ANONYMOUS = "anonymous"
CONDITIONAL = "conditional"
MEMBER = "member"


@dataclass(frozen=True)
class Page:
    """One measured request: a name for the table, the URL's path and query, its headers."""

    name: str
    target: str
    kind: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def variant(self) -> str:
        """The floor's key for this request."""
        return variant(self.target, self.headers)


@dataclass(frozen=True)
class Capture:
    """The pages of one profile, newsweb's answer to each, and what was wrong with any (by name)."""

    pages: list[Page]
    responses: dict[str, Captured]
    problems: dict[str, str]


def first_link(port: int, page: str, pattern: re.Pattern[str]) -> str:
    """The first link matching `pattern` on `page`; SystemExit if there is none."""
    reply = request(port, page)
    found = pattern.search(reply.text)
    if reply.status != 200 or found is None:
        raise SystemExit(f"found no {pattern.pattern} on {page} (status {reply.status})")
    return html.unescape(found.group(1))


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    """Sign in through the real form (with its CSRF token); the cookies a browser then holds."""
    form_page = request(port, "/login")
    token = CSRF_INPUT.search(form_page.text)
    if form_page.status != 200 or token is None:
        raise SystemExit(f"/login answered {form_page.status} without a CSRF token")
    cookies = form_page.cookies()
    fields = {"csrf_token": html.unescape(token.group(1)), "email": email, "password": password}
    answer = request(port, "/login", {"Cookie": cookie_header(cookies)}, form=fields)
    if answer.status not in (302, 303):
        raise SystemExit(f"signing in answered {answer.status}, not a redirect")
    cookies |= answer.cookies()
    # Follow the redirect as a browser would, keeping what the first page adds to the
    # session (its CSRF token): wrk sends one fixed cookie, which must be the settled one.
    location = urlsplit(answer.header("Location") or "/")
    target = f"{location.path or '/'}{'?' + location.query if location.query else ''}"
    landing = request(port, target, {"Cookie": cookie_header(cookies)})
    return cookies | landing.cookies()


def find_pages(port: int, email: str, password: str) -> list[Page]:
    """Every page to measure, with slugs read from the running site's own links."""
    story = first_link(port, "/", STORY_LINK)
    tool = first_link(port, "/tools", TOOL_LINK)
    persona = first_link(port, "/panel", PERSONA_LINK)
    take = first_link(port, story, TAKE_FRAGMENT)
    # Without an ETag the request still goes out, and `check` says it got no 304.
    etag = request(port, story).header("ETag") or '"none"'
    member = {"Cookie": cookie_header(sign_in(port, email, password))}
    return [
        Page("front page", "/", ANONYMOUS),
        Page("story", story, ANONYMOUS),
        Page("tool", tool, ANONYMOUS),
        Page("persona", persona, ANONYMOUS),
        Page("take fragment", take, ANONYMOUS, {"HX-Request": "true"}),
        Page("story, signed in", story, MEMBER, member),
        Page("story, If-None-Match", story, CONDITIONAL, {"If-None-Match": etag}),
    ]


def check(page: Page, reply: Reply) -> str | None:
    """What is wrong with newsweb's answer to `page`, if anything."""
    if page.kind == CONDITIONAL and reply.status != 304:
        return f"answered {reply.status}, not 304: the 304 path was not measured"
    if page.kind != CONDITIONAL and reply.status != 200:
        return f"answered {reply.status}, not 200"
    if page.kind == MEMBER and SIGN_OUT_FORM not in reply.text:
        return "answered without a signed-in member's page"
    if page.kind == MEMBER and reply.header("Set-Cookie"):
        return "set a cookie: every measured request would sign the session again"
    return None


def capture(port: int, email: str, password: str) -> Capture:
    """Find the pages on the site at `port` and capture its response to each, once."""
    pages = find_pages(port, email, password)
    problems: dict[str, str] = {}
    responses: dict[str, Captured] = {}
    for page in pages:
        reply = request(port, page.target, page.headers)
        if problem := check(page, reply):
            problems[page.name] = problem
        responses[page.variant] = replayable(reply.status, reply.headers, reply.body)
    return Capture(pages, responses, problems)
