"""Concrete URLs for the rules in `app.url_map`, so tests walk the routes instead of listing pages.

A route added tomorrow is then checked by every walk, or fails for want of a sample value.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, url_for
from sqlalchemy import select
from werkzeug.routing import Rule

from newsweb.extensions import db
from newsweb.models import User

STORY = "general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"
# A value for each URL argument that names something in the demo newsroom.
SAMPLE_ARGUMENTS = {
    "kind": "tools",
    "slug": "mistral-ai",
    "story_id": "1",
    "take_id": "1",
    "prediction_id": "1",
    "revision_id": "1",
    "user_id": "1",
    "persona_slug": "the-skeptic",
    "pair": "mistral-ai-vs-anthropic",
    "week": "2026-W01",
    "filename": "css/site.css",
    "number": "1",
    # Only for walks that need any well-formed URL; sample_pages issues a working token.
    "token": "a-token-this-app-never-issued",
}
# `slug` names a story, a persona or a category in some places (by endpoint, then by
# blueprint); a tool everywhere else.
SLUGS = {
    "news": STORY,
    "panel": "the-skeptic",
    "api.story": STORY,
    "api.persona": "the-skeptic",
    "feeds.category": "funding",
    "feeds.persona": "the-skeptic",
    "feeds.persona_verdicts": "the-skeptic",
    "editor.edit_category": "funding",
    "editor.delete_category": "funding",
    "editor.edit_persona": "the-skeptic",
    "editor.delete_persona": "the-skeptic",
    "editor.persona_history": "the-skeptic",
}

# Routes whose URL carries something the app must issue (a signed token): built live.
URL_FACTORIES: dict[str, Callable[[Flask], str]] = {}


def live_url(endpoint: str) -> Callable[[Callable[[Flask], str]], Callable[[Flask], str]]:
    """Register a function that builds a working URL for `endpoint` in a given app."""

    def register(factory: Callable[[Flask], str]) -> Callable[[Flask], str]:
        URL_FACTORIES[endpoint] = factory
        return factory

    return register


@live_url("accounts.reset_password")
def _reset_link(_app: Flask) -> str:
    """A working link for the first account there is (one that fails, when there is none)."""
    from newsweb.accounts.reset import reset_token

    user = db.session.scalars(select(User).order_by(User.id)).first()
    stand_in = User(id=0, email="nobody@example.com", display_name="", password_hash="")
    return url_for("accounts.reset_password", token=reset_token(user or stand_in))


@live_url("news.shared_story")
def _share_link(_app: Flask) -> str:
    """A working preview link to the first story (a forged one when there is none)."""
    from newsweb.editor.sharing import share_token
    from newsweb.models import Story

    story = db.session.scalars(select(Story).order_by(Story.id)).first()
    token = share_token(story) if story else "no-story-to-share"
    return url_for("news.shared_story", token=token)


@live_url("accounts.verify_email")
def _verify_link(_app: Flask) -> str:
    """A working verification link for the first account (a stale one when there is none)."""
    from newsweb.accounts.verification import verification_token

    user = db.session.scalars(select(User).order_by(User.id)).first()
    stand_in = User(id=0, email="nobody@example.com", display_name="")
    return url_for("accounts.verify_email", token=verification_token(user or stand_in))


@live_url("digest.unsubscribe")
def _unsubscribe_link(_app: Flask) -> str:
    """A working unsubscribe link for the first account (one that fails when there is none)."""
    from newsweb.digest.subscriptions import unsubscribe_token

    user_id = db.session.scalar(select(User.id).order_by(User.id))
    return url_for("digest.unsubscribe", token=unsubscribe_token(user_id or 0))


# Query strings a route needs to show something (its URL has no arguments for them).
SAMPLE_QUERIES = {"compare.choose": "a=mistral-ai&with=a"}


def path_for(rule: Rule) -> str:
    """A concrete URL for `rule`, filled with sample arguments that exist in the demo."""
    missing = set(rule.arguments) - set(SAMPLE_ARGUMENTS)
    assert not missing, f"add sample values for {missing} ({rule.rule}) to tests/routes.py"
    blueprint = rule.endpoint.partition(".")[0]
    slug = SLUGS.get(rule.endpoint, SLUGS.get(blueprint, SAMPLE_ARGUMENTS["slug"]))
    values = {name: slug if name == "slug" else SAMPLE_ARGUMENTS[name] for name in rule.arguments}
    built = rule.build(values)
    assert built is not None, rule.rule
    query = SAMPLE_QUERIES.get(rule.endpoint)
    return f"{built[1]}?{query}" if query else built[1]


def sample_pages(app: Flask) -> list[tuple[str, str]]:
    """(endpoint, sample URL) for every rule that answers GET but the static files."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set()) and rule.endpoint != "static"
    ]
    pages = []
    for rule in rules:
        if (factory := URL_FACTORIES.get(rule.endpoint)) is not None:
            with app.test_request_context():
                pages.append((rule.endpoint, factory(app)))
        else:
            pages.append((rule.endpoint, path_for(rule)))
    return sorted(pages)
