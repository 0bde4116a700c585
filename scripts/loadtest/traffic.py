"""The traffic mix: what readers, members and wrong-password threads do, step by step."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from loadtest.client import Client, Reply
from loadtest.pages import (
    LOAD_MORE,
    MORE_TAKES,
    STORY_LINK,
    TAKE_ANCHOR,
    Catalog,
    button_state,
    csrf_token,
    links,
)
from loadtest.stats import Stats

WRONG_PASSWORD = "not-the-right-password"  # noqa: S105 (deliberately wrong, by design)
WRONG_SIGN_IN_EVERY = 2.0  # seconds between one thread's wrong passwords, on average


@dataclass
class Run:
    """What every client thread shares: where to go, until when, and what was measured."""

    base_url: str
    stats: Stats
    catalog: Catalog
    deadline: float
    password: str
    members_ready: threading.Event = field(default_factory=threading.Event)

    def active(self) -> bool:
        """Whether there is time and request budget left."""
        return time.monotonic() < self.deadline and self.stats.budget_left()

    def pause(self, seconds: float) -> None:
        """Sleep, but never past the deadline."""
        time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))


@dataclass
class Browsing:
    """What one reader saw last: stories and "Load more" on the front page."""

    stories: list[str] = field(default_factory=list)
    more: str | None = None


def browse(run: Run, client: Client, rng: random.Random, seen: Browsing) -> None:
    """One step of anonymous reading, chosen at random, following the pages' own links."""
    catalog = run.catalog
    step = rng.choices(
        ["front", "more", "story", "tools", "tool", "panel", "persona"],
        weights=[20, 10, 25, 8, 17, 5, 15],
    )[0]
    if step == "more" and seen.more:
        page = client.send("GET /?after= (htmx)", seen.more, htmx=True)
        if page is not None:
            seen.stories += links(STORY_LINK, page.body)
            seen.more = next(iter(links(LOAD_MORE, page.body)), None)
    elif step in ("front", "more"):
        page = client.send("GET /", "/")
        if page is not None:
            seen.stories = links(STORY_LINK, page.body)
            seen.more = next(iter(links(LOAD_MORE, page.body)), None)
    elif step == "story":
        read_story(client, rng, rng.choice(seen.stories or catalog.stories))
    elif step == "tools":
        client.send("GET /tools", rng.choice(["/tools", "/tools?sort=ship"]))
    elif step == "tool":
        client.send("GET /tools/<slug>", f"/tools/{rng.choice(catalog.tools)}")
    elif step == "panel":
        client.send("GET /panel", "/panel")
    else:
        page = client.send("GET /panel/<slug>", f"/panel/{rng.choice(catalog.personas)}")
        more = links(MORE_TAKES, page.body) if page is not None else []
        if more and rng.random() < 0.5:
            client.send("GET /panel/<slug>?after= (htmx)", more[0], htmx=True)


def read_story(client: Client, rng: random.Random, slug: str) -> None:
    """Open a story, then maybe toggle a take, expand the panel or load the sidebar (htmx)."""
    page = client.send("GET /news/<slug>", f"/news/{slug}")
    if page is None or page.status != 200:
        return
    personas = links(TAKE_ANCHOR, page.body)
    if personas and rng.random() < 0.6:
        expanded = rng.choice(["1", "0"])
        path = f"/news/{slug}/takes/{rng.choice(personas)}?expanded={expanded}"
        client.send("GET take toggle (htmx)", path, htmx=True)
    if rng.random() < 0.2:
        client.send("GET /news/<slug>/takes (htmx)", f"/news/{slug}/takes?expanded=1", htmx=True)
    if rng.random() < 0.4:
        client.send("GET /bookmarks/sidebar (htmx)", "/bookmarks/sidebar", htmx=True)


def sign_in(client: Client, email: str, password: str, kind: str) -> Reply | None:
    """GET /login for the session cookie and CSRF token, then POST the credentials."""
    form_page = client.send("GET /login", "/login")
    if form_page is None or form_page.status != 200:
        return None
    form = {
        "csrf_token": csrf_token(form_page.body) or "",
        "email": email,
        "password": password,
        "next": "",
        "bookmark": "",
    }
    return client.send(kind, "/login", form=form)


def retry_after(reply: Reply) -> float:
    """The seconds a 429 asks to wait (at least one)."""
    try:
        return max(1.0, float(reply.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


@dataclass
class Account:
    """A member account driven by one thread: its browser, and what it meant to save."""

    email: str
    client: Client
    token: str | None = None
    intended: dict[str, bool] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)

    def note(self, slug: str, saved: bool | None) -> None:
        """Record the acknowledged state of a bookmark, or None when it is unknown."""
        if saved is None:
            self.uncertain.add(slug)
        else:
            self.intended[slug] = saved
            self.uncertain.discard(slug)


def first_sign_in(run: Run, account: Account) -> bool:
    """Sign `account` in, waiting out 429s until the deadline; whether it worked."""
    while run.active():
        reply = sign_in(account.client, account.email, run.password, "sign-in")
        if reply is not None and reply.status == 303:
            return True
        run.pause(retry_after(reply) if reply is not None and reply.status == 429 else 1.0)
    return False


def toggle_bookmark(run: Run, account: Account, slug: str, save: bool) -> None:
    """POST a save or remove the way htmx does, and note the state it acknowledged."""
    path = f"/bookmarks/tools/{slug}" if save else f"/bookmarks/tools/{slug}/delete"
    kind = "POST bookmark save (htmx)" if save else "POST bookmark remove (htmx)"
    form = {"csrf_token": account.token or "", "next": f"/tools/{slug}"}
    reply = account.client.send(kind, path, form=form, htmx=True, token=account.token)
    if reply is None or reply.status >= 500:
        account.note(slug, None)  # it may or may not have been written
    elif reply.status == 200 and "HX-Redirect" in reply.headers:
        message = f"{account.email} {path}: sent to {reply.headers['HX-Redirect']} (signed out?)"
        run.stats.problem(run.stats.unexpected, message)
    elif reply.status == 200:
        shown = button_state(reply.body, slug)
        if shown is save:
            account.note(slug, save)
            account.token = csrf_token(reply.body) or account.token
        else:
            account.note(slug, None)
            message = f"{account.email} {path}: button shows saved={shown}"
            run.stats.problem(run.stats.unexpected, message)
    # Any other 4xx was refused before writing: the last acknowledged state stands.


def bookmark_from_page(run: Run, account: Account, rng: random.Random) -> None:
    """Open a tool page, check it shows the last saved state, then flip (or repeat) it."""
    slug = rng.choice(run.catalog.tools)
    page = account.client.send("GET /tools/<slug> (member)", f"/tools/{slug}")
    if page is None or page.status != 200:
        return
    account.token = csrf_token(page.body) or account.token
    shown = button_state(page.body, slug)
    expected = account.intended.get(slug, False)
    if shown is None:
        run.stats.problem(run.stats.unexpected, f"{account.email} /tools/{slug}: no button")
        return
    if slug not in account.uncertain and shown != expected:
        message = f"{account.email} /tools/{slug}: page shows saved={shown}, last saved {expected}"
        run.stats.problem(run.stats.stale_reads, message)
    # Mostly flip it, sometimes send the same again: both must be idempotent and fine.
    toggle_bookmark(run, account, slug, (not shown) if rng.random() < 0.8 else shown)


def quick_toggle(run: Run, account: Account, rng: random.Random) -> None:
    """Click a bookmark button again without reloading (the token from the last swap)."""
    if account.token is None:
        bookmark_from_page(run, account, rng)
        return
    slug = rng.choice(run.catalog.tools)
    toggle_bookmark(run, account, slug, not account.intended.get(slug, False))


def member_reads(run: Run, account: Account, rng: random.Random) -> None:
    """Read as a member: the bookmarks page, its htmx refresh, a story with the sidebar."""
    client = account.client
    step = rng.choice(["bookmarks", "saved", "story"])
    if step == "bookmarks":
        client.send("GET /bookmarks (member)", "/bookmarks")
    elif step == "saved":
        client.send("GET /bookmarks (member, htmx)", "/bookmarks", htmx=True)
    else:
        read_story(client, rng, rng.choice(run.catalog.stories))


def sign_in_again(run: Run, account: Account) -> None:
    """Sign in from a "new device" (a fresh jar); on 429 keep using the old session."""
    fresh = Client(run.base_url, run.stats)
    reply = sign_in(fresh, account.email, run.password, "sign-in")
    if reply is not None and reply.status == 303:
        account.client, account.token = fresh, None


def member_thread(run: Run, accounts: list[Account], seed: int, ready: Callable[[], None]) -> None:
    """Sign in every account this thread owns, then bookmark, read and sign in again."""
    rng = random.Random(seed)  # noqa: S311 (traffic mix, not security)
    signed_in = [account for account in accounts if first_sign_in(run, account)]
    ready()
    while signed_in and run.active():
        account = rng.choice(signed_in)
        step = rng.choices(["page", "quick", "read", "sign-in"], weights=[45, 30, 20, 5])[0]
        if step == "page":
            bookmark_from_page(run, account, rng)
        elif step == "quick":
            quick_toggle(run, account, rng)
        elif step == "read":
            member_reads(run, account, rng)
        else:
            sign_in_again(run, account)


def reader_thread(run: Run, seed: int) -> None:
    """Browse anonymously until the end."""
    rng = random.Random(seed)  # noqa: S311 (traffic mix, not security)
    client, seen = Client(run.base_url, run.stats), Browsing()
    while run.active():
        browse(run, client, rng, seen)


def wrong_password_thread(run: Run, seed: int, emails: list[str]) -> None:
    """Browse, and every few seconds (once members are in) try a wrong password."""
    rng = random.Random(seed)  # noqa: S311 (traffic mix, not security)
    client, seen = Client(run.base_url, run.stats), Browsing()
    run.members_ready.wait(timeout=max(0.0, run.deadline - time.monotonic()))
    next_try = time.monotonic() + rng.uniform(0, WRONG_SIGN_IN_EVERY)
    while run.active():
        if time.monotonic() >= next_try:
            stranger = Client(run.base_url, run.stats)
            sign_in(stranger, rng.choice(emails), WRONG_PASSWORD, "sign-in, wrong password")
            next_try = time.monotonic() + rng.uniform(0.5, 1.5) * WRONG_SIGN_IN_EVERY
        else:
            browse(run, client, rng, seen)
