"""A shared cache of anonymous reader pages in Redis, so workers render each page once.

Only when `REDIS_URL` is set. A page is cached for PUBLIC_MAX_AGE seconds under a key
that includes the newsroom's "generation", a counter every editor write bumps: a
publish shows up on the next request, not a minute later. A view opts in with
`@shared_cache`; anything personal is never stored or served from here: signed-in
readers, pending flash messages, and every view that did not opt in bypass it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC
from typing import Any, ParamSpec, TypeVar

import redis
from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask_login import current_user
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from newsweb.models import Category, Persona, Story, StoryStatus, Take, Tool, Verdict
from newsweb.models.clock import utcnow
from newsweb.web.rendering import CHOOSING_HEADERS

P = ParamSpec("P")
R = TypeVar("R")

GENERATION_KEY = "newsweb:pages:generation"
# When scheduled stories go out (a sorted set of UNIX times): each time that passes is a
# change readers see with no write at all, so it is part of every page's key.
SCHEDULE_KEY = "newsweb:pages:scheduled"
# What readers see: a committed change to any of these makes every cached page stale.
CONTENT_MODELS = (Category, Persona, Story, Take, Tool, Verdict)


def shared_cache(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view whose anonymous GET answers every reader may share from the page cache.

    Only for pages that depend on nothing but the URL and the newsroom's content.
    """
    view.shared_cache = True  # type: ignore[attr-defined]
    return view


def _view_is_shared() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "shared_cache", False))


def _client() -> redis.Redis | None:
    client: redis.Redis | None = current_app.extensions.get("newsweb_page_cache")
    return client


def _eligible() -> bool:
    return (
        request.method == "GET"
        and _view_is_shared()
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def _key(client: redis.Redis) -> str:
    now = utcnow().replace(tzinfo=UTC).timestamp()
    pipeline = client.pipeline(transaction=False)
    pipeline.get(GENERATION_KEY)
    pipeline.zcount(SCHEDULE_KEY, "-inf", now)
    generation, published = pipeline.execute()
    # The host is part of the page (canonical and feed URLs): a request naming another
    # host gets, and can only fill, an entry of its own.
    varies = "|".join(request.headers.get(name, "") for name in CHOOSING_HEADERS)
    page = f"{request.host_url}|{request.full_path}|{varies}"
    digest = hashlib.sha256(page.encode()).hexdigest()
    return f"newsweb:pages:{int(generation or 0)}.{published}:{digest}"


def serve_cached() -> Response | None:
    """Answer from the cache when this anonymous page is there."""
    client = _client()
    if client is None or not _eligible():
        return None
    try:
        key = _key(client)
        body = client.get(key)
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; rendering instead")
        return None
    g.page_cache_key = key
    if body is None:
        return None
    g.page_cache_hit = True
    return Response(body, mimetype="text/html")


def store(response: Response) -> Response:
    """Keep a freshly rendered anonymous page."""
    client = _client()
    if client is None:
        return response
    try:
        key = g.get("page_cache_key")
        if key and not g.get("page_cache_hit") and _storable(response):
            client.set(key, response.get_data(), ex=current_app.config["PUBLIC_MAX_AGE"])
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; not storing")
    return response


def note_content_changes(unit: Session, _context: object) -> None:
    """After a flush: remember whether it wrote anything readers see (not accounts, bookmarks)."""
    dirty = (item for item in unit.dirty if unit.is_modified(item))
    if any(isinstance(item, CONTENT_MODELS) for item in (*unit.new, *unit.deleted, *dirty)):
        unit.info["content_changed"] = True


def read_schedule(unit: Session) -> None:
    """Before a commit that changes content: note when its scheduled stories go out."""
    if not has_app_context() or _client() is None:
        return
    unit.flush()
    if unit.info.get("content_changed"):
        upcoming = Story.status == StoryStatus.PUBLISHED, Story.published_at > utcnow()
        times = unit.scalars(select(Story.published_at).where(*upcoming))
        unit.info["schedule"] = [at.replace(tzinfo=UTC).timestamp() for at in times if at]


def start_new_generation(unit: Session) -> None:
    """After a commit that changed content: every cached page is stale from the next request.

    Only a committed write moves the generation: a refused form, a preview, a rollback, a
    bookmark or a sign-in never does, whoever sends it.
    """
    schedule = unit.info.pop("schedule", [])
    if not unit.info.pop("content_changed", False) or not has_app_context():
        return
    client = _client()
    if client is None:
        return
    try:
        pipeline = client.pipeline()
        pipeline.incr(GENERATION_KEY)
        pipeline.delete(SCHEDULE_KEY)
        if schedule:
            pipeline.zadd(SCHEDULE_KEY, {str(n): at for n, at in enumerate(schedule)})
        pipeline.execute()
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; pages may be stale for a minute")


def forget_content_changes(unit: Session) -> None:
    """After a rollback nothing was written: nothing to invalidate."""
    unit.info.pop("content_changed", None)
    unit.info.pop("schedule", None)


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not g.get("personal")
        and not session.modified
    )


def connect(app: Flask) -> None:
    """Connect to Redis when REDIS_URL is set; without it the cache's hooks do nothing."""
    for name, listener in (
        ("after_flush", note_content_changes),
        ("before_commit", read_schedule),
        ("after_commit", start_new_generation),
        ("after_rollback", forget_content_changes),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    url = app.config.get("PAGE_CACHE_URL") or app.config.get("REDIS_URL")
    if not url:
        return
    # A slow cache must not slow the site: past a second, pages are simply rendered.
    options: dict[str, Any] = {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
    app.extensions["newsweb_page_cache"] = redis.Redis.from_url(url, **options)
