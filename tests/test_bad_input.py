"""Bad input never breaks the site: odd URLs, query strings and form bodies on every route.

Property-based (Hypothesis). The routes come from `app.url_map` and the form fields from
the forms the site itself renders, so a new route or field is fuzzed the day it is added.
For every request, whoever sends it (signed out, a reader, an editor, an admin):

- never a 5xx: under TESTING an unexpected exception propagates out of the test client,
  and counts as one (it would be a 500 in production);
- never a traceback in the body;
- a request that is refused (any 4xx), and any GET/HEAD/OPTIONS whatever its answer,
  leaves every table exactly as it was (row counts and a hash of every row);
- a state change without a valid CSRF token is a 400 (or 413 when the body is too big).

Each route gets its own Hypothesis run, and the failures of every route are reported
together, each with the request that caused it and the app's frames where it broke.
Besides the drawn examples, every route is tried with a few pinned values (NUL, an id
past 64 bits, a lone surrogate, 10,000 characters). Runs are derandomized (the same
examples every time) and keep no example database; `NEWSWEB_FUZZ_EXAMPLES=<n>`
multiplies the number of drawn examples for a deeper local run.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.test import TestResponse

from newsweb.accounts.reset import reset_token
from newsweb.extensions import db, limiter
from newsweb.models import Category, Persona, Prediction, Revision, Role, Story, Take, Tool, User
from tests.conftest import PASSWORD, Auth, create_user, htmx

# ---------------------------------------------------------------- settings

SCALE = int(os.environ.get("NEWSWEB_FUZZ_EXAMPLES", "1"))


def fuzz_settings(max_examples: int) -> settings:
    """Hypothesis settings for one route: reproducible, no deadline, no example database."""
    return settings(
        max_examples=max_examples * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        # No "explain" phase: it traces every replay of a failure and triples the run time.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WRONG_METHODS = ("PUT", "PATCH", "DELETE")
# The names the brief asks for, then those the newer pages read (compare, search, API).
QUERY_NAMES = (
    *("after", "category", "tool", "q", "tab", "sort", "expand", "expanded", "back", "next"),
    *("a", "with", "kind", "persona", "limit", "bookmark"),
)
TRACEBACK = b"Traceback (most recent call last)"
TEXT_PASSPHRASE = "wrong horse battery staple 42"

# ---------------------------------------------------------------- odd values

HUGE_NUMBERS = [10**12, 10**30, -1, -(10**12), -(10**30), 0, 2**31, 2**53, 2**63, 2**64]
DATES = [
    "2026-01-01T00:00:00",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31T23:59:59.999999",
    "2026-01-01T00:00:00+05:00",
    "10000-01-01",
    "",
    "now",
]
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "%2e%2e%2f",
    "../",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/",
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\u202egnp.exe",
    "\u200f\u200e",
    "\ufeff",
    "\x01\x1f\x7f",
    "\r\n",
    "\t",
    "\U0001f600",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\U0010ffff",
    "\uffff",
    "\u0130\u00df\ufb01\u01c5",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "{% raw %}",
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    "%s%s%n",
    "1",
    "-1",
    "1e309",
    "NaN",
    "inf",
    "0x1F",
    "1_000",
    "\uff11\uff12\uff13",
    "\u0663",
    "all",
    "null",
    "[]",
    "0000-00-00",
    "9999-12-31",
    "~",
    "2026-01-01T00:00:00~1",
    "2026-01-01T00:00:00~0",
    "9999-12-31T23:59:59.999999~9007199254740991",
    "0001-01-01~1",
    "2026-01-01~\u0663",
]
LONG_UNITS = ["x", "\u00e9", "\U0001f600", "\x00", "\u202e", "<b>", "/a"]

numbers = st.one_of(st.sampled_from(HUGE_NUMBERS), st.integers()).map(str)
huge_ids = st.sampled_from([2**31 - 1, 2**31, 2**32, 10**12, 2**53, 2**63, 2**64, 10**30]).map(str)
lone_surrogates = st.text(
    st.one_of(st.characters(categories=["Cs"]), st.characters(max_codepoint=0x7F)),
    min_size=1,
    max_size=6,
)
long_strings = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(LONG_UNITS),
    st.sampled_from([81, 256, 2_001, 10_000]),
)
cursors = st.builds(
    lambda at, row: f"{at}~{row}",
    st.sampled_from(DATES),
    st.one_of(numbers, st.sampled_from(["1", "5", str(2**53 - 1), "", "a"])),
)
# Strings may hold lone surrogates: on the wire they become invalid UTF-8 bytes.
odd_text: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    numbers,
    lone_surrogates,
    long_strings,
    cursors,
)


def wire(value: str) -> bytes:
    """The bytes a client would send for `value` (lone surrogates as invalid UTF-8)."""
    return value.encode("utf-8", "surrogatepass")


def header_value(value: str) -> str:
    """`value` as raw header bytes (read as Latin-1), without the characters HTTP forbids."""
    raw = wire(value).decode("latin-1")
    return "".join(ch for ch in raw if ch == "\t" or 32 <= ord(ch) != 127)


def percent_encoded(value: str, *, raw_slashes: bool = False) -> str:
    """`value` percent-encoded for a URL; `raw_slashes` keeps `/` so `../` stays a path."""
    return quote(wire(value), safe="/" if raw_slashes else "")


def query_string(pairs: list[tuple[str, str]]) -> str:
    """An `a=b&c=d` query string carrying exactly these pairs."""
    return "&".join(f"{percent_encoded(name)}={percent_encoded(value)}" for name, value in pairs)


# ---------------------------------------------------------------- the stored state


def stored_state(app: Flask) -> dict[str, str]:
    """Row count and a hash of every row, per table."""
    state: dict[str, str] = {}
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            state[table.name] = f"{len(rows)} rows, sha256 {digest[:16]}"
    return state


def changed_tables(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """Each table whose rows differ, with its state before and after."""
    return {
        name: f"{before.get(name)} -> {after.get(name)}"
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


class Ledger:
    """The stored state, re-read only when something may have changed it.

    A refused request must leave the state as it was, so its "after" is the next
    request's "before"; after a request that may write (a success), or a direct write by
    the test itself, the next snapshot is taken afresh.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.known: dict[str, str] | None = None

    def now(self) -> dict[str, str]:
        """The current state (cached when nothing can have changed it)."""
        if self.known is None:
            self.known = stored_state(self.app)
        return self.known

    def reread(self) -> dict[str, str]:
        """The state read afresh."""
        self.known = stored_state(self.app)
        return self.known

    def forget(self) -> None:
        """Something may have written: read the state again next time."""
        self.known = None


# ---------------------------------------------------------------- who asks


@dataclass
class Identity:
    """A test client signed in as one account (or signed out), restorable between examples.

    `saved` is the session just after signing in and reading a CSRF token; `token` is that
    token. Before each example the session is put back (with the account's current session
    token, which signing out or changing the password replaces) and the role restored, so
    a fuzzed sign-out, password change or role change does not leak into the next example.
    """

    name: str
    app: Flask
    client: FlaskClient
    token: str
    saved: dict[str, Any]
    user_id: int | None = None
    role: Role | None = None

    def reset(self) -> bool:
        """Put the account and the client's session back; True if that wrote a row."""
        saved = dict(self.saved)
        wrote = False
        if self.user_id is not None:
            with self.app.app_context():
                user = db.session.get(User, self.user_id)
                assert user is not None, f"the {self.name} account is gone"
                if self.role is not None and user.role != self.role:
                    user.role = self.role
                    db.session.commit()
                    wrote = True
                saved["_user_id"] = f"{user.id}:{user.session_token}"
        self.client.delete_cookie("remember_token")
        with self.client.session_transaction() as session:
            session.clear()
            session.update(saved)
        return wrote


def signed_out(app: Flask) -> Identity:
    """A visitor with no account, holding a CSRF token for their session."""
    client = app.test_client()
    token = Auth(client).token("/login")
    with client.session_transaction() as session:
        saved = dict(session)
    return Identity("signed out", app, client, token, saved)


def signed_in(app: Flask, role: Role) -> Identity:
    """A new account with `role`, signed in through the real form."""
    email = f"fuzz-{role.value}@example.com"
    user_id = create_user(app, email, role=role.value, name=f"Fuzz {role.value.title()}")
    client = app.test_client()
    auth = Auth(client)
    assert auth.sign_in(email).status_code == 303
    token = auth.token("/account")
    with client.session_transaction() as session:
        saved = dict(session)
    return Identity(role.value, app, client, token, saved, user_id, role)


@dataclass
class Cast:
    """Everyone who sends requests in a test."""

    anonymous: Identity
    reader: Identity
    editor: Identity
    admin: Identity

    def for_rule(self, rule: Rule) -> list[Identity]:
        """Signed out, reader and editor; the admin too on the admins' routes."""
        cast = [self.anonymous, self.reader, self.editor]
        return [*cast, self.admin] if rule.rule.startswith("/editor/users") else cast

    def everyone(self) -> list[Identity]:
        """All four identities."""
        return [self.anonymous, self.reader, self.editor, self.admin]


def cast_of(app: Flask) -> Cast:
    """Sign in a reader, an editor and an admin; keep a signed-out visitor too."""
    return Cast(
        signed_out(app), signed_in(app, Role.READER), signed_in(app, Role.EDITOR),
        signed_in(app, Role.ADMIN),
    )  # fmt: skip


# ---------------------------------------------------------------- routes and sample values


def sample_arguments(app: Flask, cast: Cast) -> dict[str, list[str]]:
    """Real values for each URL argument name, read from the demo newsroom."""
    with app.app_context():

        def first(column: Any, limit: int = 2) -> list[str]:
            query = select(column).order_by(column).limit(limit)
            return [str(value) for value in db.session.scalars(query)]

        stories = first(Story.slug, 2)
        tools = first(Tool.slug, 2)
        personas = first(Persona.slug, 2)
        categories = first(Category.slug, 1)
        story_ids = first(Story.id, 4)
        take_ids = first(Take.id, 2)
        prediction_ids = first(Prediction.id, 2)
        revision_ids = first(Revision.id, 2) or ["1"]
        someone = db.session.scalars(select(User).order_by(User.id)).first()
        tokens = ["not-a-token", *([reset_token(someone)] if someone else [])]
    folder = Path(app.static_folder or "")
    static = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())[:1]
    user_ids = [str(i.user_id) for i in cast.everyone() if i.user_id is not None]
    return {
        "kind": ["tools", "stories"],
        "slug": [*stories, *tools, *personas, *categories],
        "persona_slug": personas,
        "story_id": story_ids,
        "take_id": take_ids,
        "prediction_id": prediction_ids,
        "revision_id": revision_ids,
        "user_id": user_ids,
        "filename": static or ["site.css"],
        "pair": [f"{tools[0]}-vs-{tools[-1]}", f"{tools[0]}-vs-{tools[0]}"],
        "week": ["2026-W01", "2025-W52"],
        "number": ["1", "2"],
        "token": tokens,
    }


def valid_query_values(samples: dict[str, list[str]]) -> list[str]:
    """Query values the site does understand, to mix in with odd ones."""
    with_categories = [*samples["slug"], *samples["persona_slug"]]
    return [
        *with_categories, "all", "1", "0", "drafts", "scheduled", "published", "newest", "ship",
        "/", "/tools?sort=ship", "2026-01-01T08:00:00~3", "stories", "tools", "takes", "50",
    ]  # fmt: skip


ARGUMENT = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def fill(rule: Rule, values: dict[str, str], raw_slashes: bool) -> str:
    """The rule's path with each `<argument>` replaced by its (percent-encoded) value."""
    return ARGUMENT.sub(
        lambda match: percent_encoded(values[match.group(1)], raw_slashes=raw_slashes), rule.rule
    )


def arguments(rule: Rule, samples: dict[str, list[str]]) -> st.SearchStrategy[dict[str, str]]:
    """Values for the rule's URL arguments: real ones, odd text, and (for numbers) huge ones."""
    missing = set(rule.arguments) - set(samples)
    assert not missing, f"add sample values for {missing} ({rule.rule})"
    converters = rule._converters
    return st.fixed_dictionaries(
        {
            name: st.one_of(
                st.sampled_from(samples[name]),
                huge_ids if isinstance(converters.get(name), IntegerConverter) else numbers,
                odd_text,
            )
            for name in rule.arguments
        }
    )


# Every route is also tried with these, whatever the random draws bring: NUL (which
# PostgreSQL cannot store), an id past both PostgreSQL's INTEGER and SQLite's 64 bits, a
# lone surrogate (invalid UTF-8 on the wire) and a 10,000-character name.
PINNED_ARGUMENTS = ["a\x00b", str(2**63), "\ud800", "x" * 10_000]
PINNED_QUERIES = ["a\x00b", str(2**63)]


def pinned_url_probes(rule: Rule, real: dict[str, str]) -> list[Probe]:
    """GET with each pinned value in each URL argument, then in every query parameter."""
    if "GET" not in (rule.methods or set()):
        return []  # the form test pins these on routes that only take POST
    identity = who_uses(rule)
    probes = [
        Probe(identity, "GET", fill(rule, {**real, name: value}, raw_slashes=False))
        for name in sorted(rule.arguments)
        for value in PINNED_ARGUMENTS
    ]
    path = fill(rule, real, raw_slashes=False)
    probes += [
        Probe(identity, "GET", path, query_string([(name, value) for name in QUERY_NAMES]))
        for value in PINNED_QUERIES
    ]
    return probes


def pinned_form_probes(
    rule: Rule, real: dict[str, str], fields: dict[str, list[str]]
) -> list[Probe]:
    """The form as rendered, with a valid token, and each pinned value in each URL argument."""
    valid = tuple((name, offered[0]) for name, offered in fields.items())
    return [
        Probe(
            who_uses(rule),
            "POST",
            fill(rule, {**real, name: value}, raw_slashes=False),
            fields=valid,
            encoding="urlencoded",
            csrf="form",
        )
        for name in sorted(rule.arguments)
        for value in PINNED_ARGUMENTS
    ]


def with_examples(test: Callable[..., None], probes: list[Probe]) -> Callable[..., None]:
    """`test` with `probes` as explicit Hypothesis examples, run before any drawn ones."""
    for probe in reversed(probes):
        test = example(probe=probe)(test)
    return test


def routes(app: Flask) -> list[Rule]:
    """Every rule in the URL map, in a stable order."""
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def posting_routes(app: Flask) -> list[Rule]:
    """Every rule that accepts POST."""
    return [rule for rule in routes(app) if "POST" in (rule.methods or set())]


# ---------------------------------------------------------------- one request


@dataclass(frozen=True)
class Probe:
    """One request, as Hypothesis prints it when it fails."""

    identity: str
    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    encoding: str = "none"
    oversized: bool = False
    csrf: str = "none"

    def body(self, limit: int) -> tuple[bytes | None, str | None]:
        """The request body and its content type."""
        if self.encoding == "none" and not self.oversized:
            return None, None
        fields = list(self.fields)
        if self.oversized:
            fields.append(("padding", "x" * (limit + 1)))
        if self.encoding == "multipart":
            boundary = "fuzzboundary7MA4YWxkTrZu0gW"
            parts = [
                b"--" + boundary.encode() + b"\r\n"
                b'Content-Disposition: form-data; name="' + wire(name).replace(b'"', b"%22")
                + b'"\r\n\r\n' + wire(value) + b"\r\n"
                for name, value in fields
            ]  # fmt: skip
            body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
            return body, f"multipart/form-data; boundary={boundary}"
        if self.encoding.startswith("json"):
            # Flask-WTF reads a JSON body as the form: strings, numbers, or an array of pairs.
            payload: Any = dict(fields)
            if self.encoding == "json-typed":
                payload = {name: json_typed(value) for name, value in fields}
            elif self.encoding == "json-array":
                payload = [[name, json_typed(value)] for name, value in fields]
            return json.dumps(payload, ensure_ascii=True).encode(), "application/json"
        if self.encoding == "text":
            return b"".join(wire(value) for _name, value in fields), "text/plain"
        return query_string(fields).encode("ascii"), "application/x-www-form-urlencoded"


def json_typed(value: str) -> Any:
    """`value` as a JSON number, never a string: the number it spells, else its length."""
    try:
        return int(value) if len(value) < 100 else len(value)
    except ValueError:
        return len(value)


def send(identity: Identity, probe: Probe) -> TestResponse:
    """Send `probe` with the identity's client."""
    body, content_type = probe.body(identity.app.config["MAX_CONTENT_LENGTH"])
    return identity.client.open(
        probe.path,
        method=probe.method,
        query_string=probe.query,
        headers=list(probe.headers),
        data=body,
        content_type=content_type,
    )


def check(ledger: Ledger, identity: Identity, probe: Probe) -> TestResponse:
    """Send `probe` and check the rules in the module docstring."""
    app = ledger.app
    limiter.reset()
    if identity.reset():
        ledger.forget()
    before = ledger.now()
    where = f"{probe.method} {probe.path} as {identity.name} (falsifying {shorten(probe)})"
    ledger.forget()
    try:
        response = send(identity, probe)
    except Exception as error:
        raise AssertionError(f"{where}: 500, {type(error).__name__}: {error}") from error
    try:
        page = response.get_data()
    finally:
        response.close()  # a HEAD of a static file leaves it open otherwise
    status = response.status_code
    assert status < 500, f"{where}: {status}"
    assert TRACEBACK not in page, f"{where}: a traceback in the page"
    if status >= 400 or probe.method in SAFE_METHODS:
        changed = changed_tables(before, ledger.reread())
        assert not changed, f"{where}: {status} but stored rows changed: {changed}"
    if probe.method == "POST" and probe.csrf not in ("form", "header") and routed(app, probe):
        assert status in (400, 413), f"{where}: {status} without a valid CSRF token"
    return response


def shorten(probe: Probe, limit: int = 1500) -> str:
    """The probe's repr, long values cut short so a failure stays readable."""
    text = re.sub(r"(.)\1{40,}", lambda m: f"{m.group(1) * 8}...(x{len(m.group(0))})", repr(probe))
    return text if len(text) <= limit else text[:limit] + "..."


def routed(app: Flask, probe: Probe) -> bool:
    """Whether `probe` reaches a view (rather than a routing 404, 405 or redirect)."""
    with app.test_request_context(probe.path, method=probe.method) as context:
        return context.request.url_rule is not None


# ---------------------------------------------------------------- failures of every route


def describe(label: str, error: BaseException) -> str:
    """The failure, the request that caused it, and where in the app it broke."""
    lines = [f"=== {label}"]
    errors = list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]
    for one in errors:
        lines.append(f"{type(one).__name__}: {str(one)[:2500]}")
        cause = one.__cause__
        if cause is not None:
            lines.extend(f"  {line}" for line in where_it_broke(cause))
    return "\n".join(lines)


def where_it_broke(error: BaseException) -> list[str]:
    """The app's (and its templates') last frames, then the last frame and the exception."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/src/newsweb/" in f.filename or "/templates/" in f.filename]
    shown = [*ours[-3:], *(f for f in frames[-2:] if f not in ours[-3:])]
    formatted = traceback.format_list(shown)
    exception = traceback.format_exception_only(type(error), error)
    return "".join([*formatted, *exception]).rstrip().splitlines()


def run_each(cases: list[tuple[str, Callable[[], None]]]) -> None:
    """Run every case; fail at the end with all the failures, not just the first."""
    failures: list[str] = []
    for label, case in cases:
        try:
            case()
        except Exception as error:
            failures.append(describe(label, error))
    assert not failures, f"{len(failures)} route(s) failed:\n\n" + "\n\n".join(failures)


# ---------------------------------------------------------------- the forms the site renders


@dataclass
class RenderedForm:
    """A form (or an element with `data-hx-post`) as a browser would submit it."""

    method: str
    action: str
    fields: dict[str, set[str]] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        """Offer `value` for the field `name` (the CSRF token is handled separately)."""
        if name and name != "csrf_token":
            self.fields.setdefault(name, set()).add(value)


def plausible(kind: str, value: str) -> str:
    """A value a person might type into an empty field of this input type."""
    if value or kind in ("hidden", "checkbox", "radio", "submit"):
        return value
    return {
        "email": "fuzz-new@example.com",
        "url": "https://example.com/fuzz",
        "date": "2026-01-02",
        "number": "7",
        "password": TEXT_PASSPHRASE,
    }.get(kind, "fuzz")  # a valid title, name and slug alike


class FormCollector(HTMLParser):
    """Collects every form on a page: its method, action, and each field's values."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[RenderedForm] = []
        self.form: RenderedForm | None = None
        self.select: str | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a form, or add an input, option, button or textarea to the open one."""
        attr = {name: value or "" for name, value in attrs}
        if "data-hx-post" in attr and tag != "form" and attr.get("name"):
            hx = RenderedForm("POST", attr["data-hx-post"])
            hx.add(attr["name"], plausible(attr.get("type", "text"), attr.get("value", "")))
            self.forms.append(hx)
        if tag == "form":
            method = (attr.get("method") or "get").upper()
            self.form = RenderedForm(method, attr.get("action") or self.page)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind = attr.get("type", "text")
            self.form.add(attr.get("name", ""), plausible(kind, attr.get("value", "")))
        elif tag == "button":
            self.form.add(attr.get("name", ""), attr.get("value", ""))
        elif tag == "select":
            self.select = attr.get("name")
        elif tag == "option" and self.select:
            self.form.add(self.select, attr.get("value", ""))
        elif tag == "textarea":
            self.textarea = (attr.get("name", ""), [])

    def handle_data(self, data: str) -> None:
        """Collect a textarea's text."""
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        """Close the open form, select or textarea."""
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            name, text = self.textarea
            # Like a browser, drop the newline that follows <textarea>.
            value = "".join(text).removeprefix("\r\n").removeprefix("\n")
            self.form.add(name, value or "fuzz")
            self.textarea = None


@dataclass
class Site:
    """What the site's own pages show: each POST endpoint's form fields, and for each
    endpoint URL arguments that name something real (a page that answered 200, or the
    action of a form on one)."""

    forms: dict[str, dict[str, list[str]]]
    arguments: dict[str, dict[str, str]]

    def real_arguments(self, rule: Rule, samples: dict[str, list[str]]) -> dict[str, str]:
        """Arguments for `rule` that name something real, as far as the crawl found."""
        found = self.arguments.get(rule.endpoint)
        return found if found is not None else next(candidate_arguments(rule, samples))


def crawl(app: Flask, cast: Cast, samples: dict[str, list[str]]) -> Site:
    """Render every page and read its forms.

    Each GET route is rendered for the admin (who sees every form but the signed-out
    ones), with sample arguments until one answers 200; a page that turns the admin away
    is rendered for a signed-out visitor instead.
    """
    adapter = app.url_map.bind("localhost")
    found: dict[str, dict[str, set[str]]] = {}
    arguments: dict[str, dict[str, str]] = {}
    cast.admin.reset()
    cast.anonymous.reset()
    for rule in routes(app):
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        for values in candidate_arguments(rule, samples):
            path = fill(rule, values, raw_slashes=False)
            response = cast.admin.client.get(path)
            if 300 <= response.status_code < 400:
                response = cast.anonymous.client.get(path)
            if response.status_code != 200:
                continue
            arguments[rule.endpoint] = values
            if response.mimetype != "text/html":
                break
            collector = FormCollector(path)
            collector.feed(response.get_data(as_text=True))
            for form in collector.forms:
                if form.method != "POST":
                    continue
                try:
                    endpoint, action = adapter.match(urlsplit(form.action).path, method="POST")
                except HTTPException:
                    continue
                arguments.setdefault(str(endpoint), {k: str(v) for k, v in action.items()})
                fields = found.setdefault(str(endpoint), {})
                for name, offered in form.fields.items():
                    fields.setdefault(name, set()).update(offered)
            break
    forms = {
        endpoint: {
            name: sorted(values, key=lambda value: (value == "", value))
            for name, values in sorted(fields.items())
        }
        for endpoint, fields in found.items()
    }
    return Site(forms, arguments)


def candidate_arguments(rule: Rule, samples: dict[str, list[str]]) -> Iterator[dict[str, str]]:
    """Combinations of sample values for the rule's arguments (one dict if it has none)."""
    names = sorted(rule.arguments)
    missing = set(names) - set(samples)
    assert not missing, f"add sample values for {missing} ({rule.rule})"
    combinations = itertools.product(*(samples[name] for name in names))
    for values in itertools.islice(combinations, 12):
        yield dict(zip(names, values, strict=True))


# ---------------------------------------------------------------- strategies


def weighted(*choices: tuple[Any, int]) -> st.SearchStrategy[Any]:
    """One of `choices`, each (value, weight) drawn about weight times as often."""
    return st.sampled_from([value for value, weight in choices for _ in range(weight)])


HTMX_HEADERS = st.sampled_from([{}, htmx(), htmx(**{"HX-Boosted": "true"})])
SOMETIMES = weighted((False, 3), (True, 1))
ODD_HEADER = odd_text.map(header_value)


@st.composite
def extra_headers(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
    """htmx's headers or none, and maybe an odd page to come back to."""
    headers = list(draw(HTMX_HEADERS).items())
    for name in ("HX-Current-URL", "Referer"):
        if draw(SOMETIMES):
            headers.append((name, draw(ODD_HEADER)))
    return tuple(headers)


def who_uses(rule: Rule) -> str:
    """The identity a route is for: most examples come from them, the rest from others."""
    if rule.rule.startswith("/editor/users"):
        return "admin"
    if rule.rule.startswith("/editor"):
        return "editor"
    if rule.rule.startswith(("/login", "/register")):
        return "signed out"
    return "reader"


def identities_for(rule: Rule, cast: list[Identity]) -> st.SearchStrategy[str]:
    """Mostly the route's own users, sometimes everyone else."""
    usual = who_uses(rule)
    return weighted(*((identity.name, 4 if identity.name == usual else 1) for identity in cast))


def url_probe(
    rule: Rule, cast: list[Identity], samples: dict[str, list[str]]
) -> st.SearchStrategy[Probe]:
    """Odd URL arguments and query strings, any method, no body."""
    methods = weighted(
        *((method, 6 if method == "GET" else 1) for method in sorted(rule.methods or ())),
        *((method, 1) for method in WRONG_METHODS),
    )
    values = st.one_of(odd_text, st.sampled_from(valid_query_values(samples)))
    query = st.lists(st.tuples(st.sampled_from(QUERY_NAMES), values), max_size=4)
    path = st.builds(partial(fill, rule), arguments(rule, samples), st.booleans())
    return st.builds(
        Probe,
        identity=identities_for(rule, cast),
        method=methods,
        path=path,
        query=query.map(query_string),
        headers=extra_headers(),
    )


def form_fields(fields: dict[str, list[str]]) -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    """The form as the site renders it with one field odd, missing or doubled (mostly),
    every field valid, or each field at random plus unknown ones."""
    offered = {name: st.sampled_from(values) for name, values in fields.items()}
    one_field = st.sampled_from(sorted(fields)) if fields else st.none()
    oddity = weighted(("odd", 3), ("missing", 1), ("twice", 1))
    anyhow = st.sampled_from(["keep", "odd", "missing", "twice"])
    unknown = st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), odd_text), odd_text))

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
        mode = draw(weighted(("one", 6), ("valid", 1), ("each", 3)))
        odd_one = draw(one_field) if mode == "one" else None
        drawn: list[tuple[str, str]] = []
        for name, value in offered.items():
            how = draw(anyhow) if mode == "each" else draw(oddity) if name == odd_one else "keep"
            if how in ("keep", "twice"):
                drawn.append((name, draw(value)))
            if how in ("odd", "twice"):
                drawn.append((name, draw(odd_text)))
        if mode == "each" or not fields:
            drawn.extend(draw(unknown.map(lambda extra: extra[:2])))
        return tuple(drawn)

    return pairs()


ENCODINGS = weighted(
    ("urlencoded", 8), ("multipart", 2), ("json", 1), ("json-typed", 1), ("json-array", 1),
    ("text", 1),
)  # fmt: skip


def form_probe(
    rule: Rule,
    cast: list[Identity],
    samples: dict[str, list[str]],
    fields: dict[str, list[str]],
) -> st.SearchStrategy[Probe]:
    """A form body for a POST route; sometimes a wrong method, a wrong encoding, an
    oversized body, or the CSRF token missing, wrong or in the query string."""
    real_arguments = st.fixed_dictionaries(
        {name: st.sampled_from(samples[name]) for name in rule.arguments}
    )
    some_arguments = st.one_of(real_arguments, arguments(rule, samples))
    return st.builds(
        Probe,
        identity=identities_for(rule, cast),
        method=weighted(("POST", 12), ("GET", 1), *((method, 1) for method in WRONG_METHODS)),
        path=st.builds(partial(fill, rule), some_arguments, st.just(False)),
        headers=extra_headers(),
        fields=form_fields(fields),
        encoding=ENCODINGS,
        oversized=weighted((False, 15), (True, 1)),
        csrf=weighted(("form", 8), ("header", 2), ("none", 1), ("bogus", 1), ("query", 1)),
    )


def with_csrf(probe: Probe, identity: Identity, foreign: str) -> Probe:
    """Put the token where `probe.csrf` says: form, header, query string, or a wrong one."""
    if probe.csrf == "form" and probe.encoding in ("urlencoded", "multipart"):
        return replace(probe, fields=(("csrf_token", identity.token), *probe.fields))
    if probe.csrf == "form":  # other bodies carry no form fields: htmx's header it is
        probe = replace(probe, csrf="header")
    if probe.csrf == "header":
        return replace(probe, headers=(("X-CSRFToken", identity.token), *probe.headers))
    if probe.csrf == "query":
        return replace(probe, query=query_string([("csrf_token", identity.token)]))
    if probe.csrf == "bogus":
        return replace(probe, fields=(("csrf_token", foreign), *probe.fields))
    return probe


# ---------------------------------------------------------------- the tests


def test_odd_urls_and_query_strings_never_fail(demo_app: Flask) -> None:
    """Every route, any method, odd URL arguments and query values: no 5xx, no write."""
    cast = cast_of(demo_app)
    samples = sample_arguments(demo_app, cast)
    site = crawl(demo_app, cast, samples)
    by_name = {identity.name: identity for identity in cast.everyone()}
    ledger = Ledger(demo_app)
    seen: Counter[int] = Counter()

    def case(rule: Rule) -> Callable[[], None]:
        def fuzz(probe: Probe) -> None:
            seen[check(ledger, by_name[probe.identity], probe).status_code] += 1

        pinned = pinned_url_probes(rule, site.real_arguments(rule, samples))
        drawn = given(probe=url_probe(rule, cast.for_rule(rule), samples))(fuzz)
        return fuzz_settings(4)(with_examples(drawn, pinned))

    run_each([(f"{rule.rule} ({rule.endpoint})", case(rule)) for rule in routes(demo_app)])
    assert {200, 302, 404, 405} <= set(seen), f"the examples never got far: {seen}"


def test_odd_form_bodies_never_fail(demo_app: Flask) -> None:
    """Every POST route: odd, missing and doubled fields, wrong methods, any CSRF token."""
    cast = cast_of(demo_app)
    samples = sample_arguments(demo_app, cast)
    by_name = {identity.name: identity for identity in cast.everyone()}
    site = crawl(demo_app, cast, samples)
    # Deletions post no field but the token (and the demo's items are in use, so their
    # confirmation pages show no form); the rest must have been found on some page.
    read = {"accounts.login", "accounts.register", "editor.new_story", "editor.preview"}
    missed = read - set(site.forms)
    assert not missed, f"the site's forms were not found: {sorted(missed)}"
    foreign = Auth(demo_app.test_client()).token("/login")
    ledger = Ledger(demo_app)
    seen: Counter[int] = Counter()

    def case(rule: Rule) -> Callable[[], None]:
        fields = site.forms.get(rule.endpoint, {})

        def fuzz(probe: Probe) -> None:
            identity = by_name[probe.identity]
            seen[check(ledger, identity, with_csrf(probe, identity, foreign)).status_code] += 1

        pinned = pinned_form_probes(rule, site.real_arguments(rule, samples), fields)
        drawn = given(probe=form_probe(rule, cast.for_rule(rule), samples, fields))(fuzz)
        return fuzz_settings(10)(with_examples(drawn, pinned))

    run_each([(f"{rule.rule} ({rule.endpoint})", case(rule)) for rule in posting_routes(demo_app)])
    # Refused by CSRF, by validation, and saved: the examples reach every stage.
    assert {303, 400, 422} <= set(seen), f"the examples never got far: {seen}"


def local(location: str) -> bool:
    """Whether a redirect stays on this site."""
    parts = urlsplit(location)
    return (
        parts.netloc in ("", "localhost")
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
    )


def test_right_credentials_with_odd_companions(demo_app: Flask) -> None:
    """Correct passwords beside odd `next`, `bookmark`, `remember`, names and new passwords.

    Signing in, registering and changing the password get as far as writing, whatever
    else the form carries: never a 5xx, never a redirect off the site, and a refusal
    writes nothing.
    """
    cast = cast_of(demo_app)
    samples = sample_arguments(demo_app, cast)
    reader = cast.reader
    by_name = {identity.name: identity for identity in cast.everyone()}
    ledger = Ledger(demo_app)
    with demo_app.app_context():
        account = db.session.get(User, reader.user_id)
        assert account is not None
        password_hash, email = account.password_hash, account.email
    targets = [f"{kind}/{slug}" for kind in ("tools", "stories") for slug in samples["slug"]]
    companions = st.one_of(odd_text, st.sampled_from(["/", "/tools?sort=ship", *targets]))
    returns = st.lists(st.tuples(st.sampled_from(["next", "bookmark", "remember"]), companions))
    passphrases = st.one_of(
        odd_text,
        st.text(min_size=8, max_size=300).map(lambda text: text + " horse staple"),
        st.sampled_from(["\u00e9t\u00e9 \u00e0 la plage \u2600 \u4e0b\u96e8\u5929", "x" * 5000]),
    )
    emails = st.sampled_from([email, f"  {email.upper()} "])

    @st.composite
    def probe(draw: st.DrawFn) -> Probe:
        form = draw(st.sampled_from(["login", "register", "password"]))
        fields = draw(returns.map(lambda extra: extra[:3]))
        if form == "login":
            fields += [("email", draw(emails)), ("password", PASSWORD)]
            return Probe("signed out", "POST", "/login", fields=tuple(fields))
        if form == "register":
            fields += [
                ("email", f"fuzz-new-{draw(st.integers(0, 10**6))}@example.com"),
                ("display_name", draw(st.one_of(st.just("Fuzz"), odd_text))),
                ("password", draw(passphrases)),
            ]
            return Probe("signed out", "POST", "/register", fields=tuple(fields))
        fields = [("current_password", PASSWORD), ("new_password", draw(passphrases))]
        return Probe("reader", "POST", "/account/password", fields=tuple(fields))

    @fuzz_settings(12)
    @given(probe=probe().map(lambda made: replace(made, encoding="urlencoded", csrf="form")))
    def fuzz(probe: Probe) -> None:
        identity = by_name[probe.identity]
        try:
            response = check(ledger, identity, with_csrf(probe, identity, ""))
        finally:
            with demo_app.app_context():
                user = db.session.get(User, reader.user_id)
                assert user is not None
                if user.password_hash != password_hash:
                    user.password_hash = password_hash
                    db.session.commit()
                    ledger.forget()
        if 300 <= response.status_code < 400:
            location = response.headers["Location"]
            assert local(location), f"{shorten(probe)} sent the visitor off the site: {location}"

    run_each([("right credentials beside odd fields", fuzz)])
