"""Personal parts: the few places on a shared page that differ for a signed-in member.

A shared page is the same for every reader but in a few parts: the account menu, the
state of each bookmark button. A template writes each such part with
`{{ personal_part(kind, state, **args) }}`, which renders it for whoever is asking and
marks it in the page with an HTML comment naming its kind and arguments. A member asking
for a page whose anonymous copy is stored then gets that copy with each marked part
rendered again for them (`personalize`), instead of a render of the whole page: the
member's state for all parts of a kind is found at once (one query for every bookmark
button), and each part is rendered by the same function as in a full render.

A part whose state the view did not look up (`personal_part(kind, LATER, ...)`, as every
bookmark button does) is first rendered with no state (nothing saved); once the page or
fragment is rendered, `resolve` renders its parts again for the member, exactly as for a
stored copy. So a full render and an assembled page find a member's state the same way,
with one query per kind however many parts a page has, and no view needs to know which
parts its templates hold.

Features register the kinds they own (`register`); this module knows none of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, quote

from flask import Flask, current_app, g
from flask.sansio.app import App
from flask_login import current_user
from markupsafe import Markup

EXTENSION = "newsweb_personal_parts"
# `<!--personal KIND ARGS-->…<!--/personal-->`, ARGS percent-encoded: no `>` or `-->` inside.
PART = re.compile(r"<!--personal (\w+) ([^\s>]*)-->(.*?)<!--/personal-->", re.DOTALL)

Args = Mapping[str, str]


class Later:
    """The state of a part that `resolve` finds once the page is rendered."""

    def __repr__(self) -> str:
        return "LATER"


LATER = Later()


@dataclass(frozen=True)
class PartKind:
    """How to render one kind of personal part, and find a member's state for many at once."""

    # The part's HTML for the current reader, given its arguments and their state.
    render: Callable[[Args, Any], Markup]
    # The current reader's state for each of these parts (in order), with a fixed number
    # of queries however many there are.
    states: Callable[[Sequence[Args]], Sequence[Any]]


def register(app: App, kind: str, part: PartKind) -> None:
    """Make `kind` available to templates as a personal part."""
    app.extensions.setdefault(EXTENSION, {})[kind] = part


def _kinds() -> dict[str, PartKind]:
    kinds: dict[str, PartKind] = current_app.extensions.get(EXTENSION, {})
    return kinds


def _marked(kind: str, args: Args, html: Markup) -> Markup:
    # Percent-encoded and joined by ";", the arguments hold nothing HTML escaping changes.
    encoded = ";".join(f"{quote(name)}={quote(value, safe='')}" for name, value in args.items())
    return Markup("<!--personal {}-->{}<!--/personal-->").format(f"{kind} {encoded}", html)


@lru_cache(maxsize=4096)
def _arguments(encoded: str) -> Args:
    return MappingProxyType(dict(parse_qsl(encoded, separator=";")))


def personal_part(kind: str, state: Any = None, /, **args: str) -> Markup:
    """Template global: the part for the current reader, marked so it can be redone for another.

    `kind` and `state` are positional only, so that any name can be one of the `args`.
    A `state` of LATER renders the part with no state (None), for `resolve` to redo.
    """
    if state is LATER:
        g.personal_later = True
        state = None
    return _marked(kind, args, _kinds()[kind].render(args, state))


def personalize(page: str) -> str | None:
    """The shared `page` with every personal part rendered for the current reader.

    None when the page names a kind this app does not know (a page stored by another
    release): the caller renders the page instead.
    """
    matches = list(PART.finditer(page))
    kinds = _kinds()
    if any(match.group(1) not in kinds for match in matches):
        return None
    found = [(match.group(1), _arguments(match.group(2))) for match in matches]
    rendered: list[str] = [""] * len(found)
    for kind in dict.fromkeys(kind for kind, _ in found):
        positions = [n for n, (other, _) in enumerate(found) if other == kind]
        states = kinds[kind].states([found[n][1] for n in positions])
        for n, state in zip(positions, states, strict=True):
            # The same marker around the member's part: the page reads as if rendered for them.
            opening = matches[n].group(0)[: matches[n].start(3) - matches[n].start(0)]
            rendered[n] = f"{opening}{kinds[kind].render(found[n][1], state)}<!--/personal-->"
    parts = iter(rendered)
    return PART.sub(lambda _: next(parts), page)


def resolve(html: str) -> str:
    """`html`, just rendered, with its parts made the member's if any waited for their state.

    Anonymous readers already have theirs: for them a part's state changes nothing.
    """
    if not g.pop("personal_later", False) or not current_user.is_authenticated:
        return html
    return personalize(html) or html


def macro(template: str, name: str) -> Callable[..., Markup]:
    """The macro `name` of `template`, seeing the current request's template context.

    (Flask's `get_template_attribute` sees only globals: no `current_user`.) The context is
    made once per request, and the module once per request and template.
    """
    modules: dict[str, Any] = g.setdefault("personal_modules", {})
    if (module := modules.get(template)) is None:
        if (context := g.get("personal_context")) is None:
            context = g.personal_context = {}
            current_app.update_template_context(context)
        module = current_app.jinja_env.get_template(template).make_module(context)
        modules[template] = module
    found: Callable[..., Markup] = getattr(module, name)
    return found


def init_app(app: Flask) -> None:
    """Give templates `personal_part`, and LATER for parts whose state it finds itself."""
    app.add_template_global(personal_part, "personal_part")
    app.jinja_env.globals["LATER"] = LATER
