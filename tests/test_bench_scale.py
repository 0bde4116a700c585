"""`make bench-scale`'s own logic at a small size: the generator, the route lister, the report."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from newsweb.extensions import Base, db
from newsweb.models import Bookmark, Split, Story, StoryStatus, Take, User
from newsweb.models.clock import utcnow
from tests.conftest import CHEAP_PASSWORD_HASH

# The benchmark lives in scripts/, imported as `scaletool` (as mypy sees it); the path is
# set here so that tests/conftest.py needs no change for one test module.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from scaletool.explain import plans
from scaletool.generator import YEARS, Sizes, generate
from scaletool.report import Row, table, verdict
from scaletool.routes import (
    REQUESTS,
    PageRequest,
    Samples,
    UnknownRoutes,
    page_requests,
    timed_endpoints,
)
from scaletool.timing import Measurement, TimedApp, measure

SMALL = Sizes(stories=200, members=30, bookmarks=500)
STORY_LINK = re.compile(r'href="/news/([a-z0-9-]+)"')


def cheap_hash() -> str:
    """A password hash in the app's format that costs nothing to make."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash("irrelevant password", method=CHEAP_PASSWORD_HASH)


def add_member(app: Flask) -> None:
    """The member the benchmark signs in as (its pages and token links need one)."""
    with app.app_context():
        db.session.add(
            User(email="member@example.com", display_name="Member", password_hash=cheap_hash())
        )
        db.session.commit()


def test_generator_writes_what_it_says(
    make_app: Callable[..., Flask], database_url: str, demo_newsroom: None
) -> None:
    """Counts, four takes per generated story, unique slugs, three past years, a bumped
    version, and search finds generated stories."""
    app = make_app()
    engine = create_engine(database_url)
    with engine.connect() as connection:
        demo_stories = connection.execute(select(func.count()).select_from(Story)).scalar_one()
        generation = connection.execute(text("SELECT generation FROM newsroom_state")).scalar_one()
    made = generate(database_url, SMALL, cheap_hash(), seed=3)
    assert (made.stories, made.takes, made.members, made.bookmarks) == (200, 800, 30, 500)
    with engine.connect() as connection:

        def count(model: type[Base] | str) -> int:
            table = text(model) if isinstance(model, str) else model
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())

        assert count(Story) == demo_stories + 200
        assert count(User) == 30
        assert count(Bookmark) == 500
        per_story = connection.execute(
            select(Take.story_id, func.count()).group_by(Take.story_id)
        ).all()
        assert len(per_story) == demo_stories + 200
        assert {takes for _, takes in per_story} == {4}
        slugs = connection.scalars(select(Story.slug)).all()
        assert len(set(slugs)) == len(slugs)
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
        first, last = connection.execute(
            select(func.min(Story.published_at), func.max(Story.published_at))
        ).one()
        now = utcnow()
        assert first is not None
        assert last is not None
        assert last <= now
        assert now - first > timedelta(days=365 * YEARS - 30)
        statuses = connection.scalars(select(Story.status).distinct()).all()
        assert statuses == [StoryStatus.PUBLISHED]
        moved = connection.execute(text("SELECT generation FROM newsroom_state")).scalar_one()
        assert moved == generation + 1
        kept = set(connection.execute(text("SELECT id, published_takes FROM personas")).all())
        counted_takes = connection.execute(
            select(Take.persona_id, func.count()).group_by(Take.persona_id)
        ).all()
        assert kept == {(persona, int(n)) for persona, n in counted_takes}
        calls: dict[int, list[str]] = {}
        for story_id, call in connection.execute(select(Take.story_id, Take.call)):
            calls.setdefault(story_id, []).append(call)
        stored = connection.execute(select(Story.id, Story.dissent)).all()
        dissent = {story: n for story, n in stored}  # noqa: C416 - rows, not pairs, to mypy
        assert dissent == {story: Split.of(made).dissent for story, made in calls.items()}
        assert len(set(dissent.values())) > 1
        generated = set(connection.scalars(select(Story.slug).order_by(Story.id).offset(18)))
        if engine.dialect.name == "sqlite":
            searched = count(Story) + count(Take) + count("tools") + count("predictions")
            assert count("search_index") == searched
    engine.dispose()
    html = app.test_client().get("/search?q=model").get_data(as_text=True)
    assert generated & set(STORY_LINK.findall(html))


def test_every_get_route_has_a_request(demo_app: Flask) -> None:
    """The lister covers every GET route but static files, the editor and /healthz."""
    add_member(demo_app)
    samples = Samples.from_demo(demo_app)
    requests = page_requests(demo_app, samples)
    gets = {
        rule.endpoint
        for rule in demo_app.url_map.iter_rules()
        if "GET" in (rule.methods or set())
        and rule.endpoint not in ("static", "health.healthz")
        and not rule.endpoint.startswith("editor.")
    }
    assert set(timed_endpoints(demo_app)) == gets
    assert {request.endpoint for request in requests} == gets
    assert set(REQUESTS) >= gets
    names = [request.name for request in requests]
    assert len(names) == len(set(names))
    assert any(request.fragment for request in requests)
    assert any(request.member for request in requests)
    assert page_requests(demo_app, samples, only="/search") == [
        request for request in requests if "/search" in request.name
    ]


def test_an_unknown_route_stops_the_run_naming_it(demo_app: Flask) -> None:
    """A page nobody taught the benchmark about fails loudly, by its rule."""
    add_member(demo_app)
    demo_app.add_url_rule("/brand-new-page", "news.brand_new", lambda: "new")
    with pytest.raises(UnknownRoutes, match=r"/brand-new-page \(news\.brand_new\)"):
        page_requests(demo_app, Samples.from_demo(demo_app))


def test_measure_renders_every_run(demo_app: Flask) -> None:
    """With the page cache emptied before each request the page is rendered, not served
    stored: its statement count is the page's own, every run."""
    newsroom = TimedApp(demo_app, [PageRequest("/", "/", "news.index")])
    figures = measure([newsroom], ["/"], runs=2)[0]["/"]
    assert figures.status == 200
    assert figures.statements > 1  # a stored page costs one read of the version
    assert figures.size > 1000


def figures(p50: float, statements: int = 4, status: int = 200) -> Measurement:
    """A measurement with the numbers a report test cares about."""
    return Measurement(p50_ms=p50, p95_ms=p50 * 1.1, statements=statements, size=100, status=status)


def test_report_flags_slow_rows_and_changed_statement_counts() -> None:
    """1.4x and a changed statement count are flagged, 1.2x is not, and the verdict says so."""
    rows = [
        Row("/fine", figures(10.0), figures(12.0)),
        Row("/slow", figures(10.0), figures(14.0)),
        Row("/chatty", figures(10.0), figures(10.0, statements=5)),
    ]
    assert rows[0].problems() == []
    assert rows[1].problems() == ["1.40x"]
    assert rows[2].problems() == ["statements 4->5"]
    printed = table("title", rows, "100k").splitlines()
    flagged = [line.split()[0] for line in printed if "!" in line]
    assert flagged == ["/slow", "/chatty"]
    assert len({len(line) for line in printed[1:3]}) == 1  # header and rule line up
    assert verdict(rows, "100k").startswith("FAIL: of 3 pages at 100k, 1 over 1.3x, 1 with")
    assert verdict(rows[:1], "100k").startswith("PASS")


def test_report_compares_with_the_full_newsroom_too() -> None:
    """A page slower than its demo but not than as full a page on a small archive is flagged
    against the demo only; one slower than the full page is flagged against both, and the
    verdict's second line names it."""
    fuller = Row("/digest", figures(4.0), figures(10.0), figures(9.0))
    growing = Row("/sitemap.xml", figures(2.0), figures(110.0), figures(3.0))
    steady = Row("/", figures(4.0), figures(4.2), figures(4.1))
    assert fuller.problems() == ["2.50x"]
    assert growing.problems() == ["55.00x", "36.67x the full page"]
    assert steady.problems() == []
    rows = [fuller, growing, steady]
    printed = table("title", rows, "100k", "5k").splitlines()
    assert printed[1].split()[:6] == ["page", "demo", "p50", "p95", "5k", "p50"]
    assert "vs 5k" in printed[1]
    assert "bytes 5k" in printed[1]
    digest = next(line for line in printed if line.startswith("/digest"))
    assert "1.11x" in digest
    assert "! 2.50x" in digest
    said = verdict(rows, "100k", "5k").splitlines()
    assert said[0].startswith("FAIL: of 3 pages at 100k, 2 over 1.3x")
    assert said[1] == (
        "Against the 5k newsroom (pages as full, a small archive): 1 of 3 pages over 1.3x: "
        "/sitemap.xml"
    )


def test_explain_gives_each_statement_of_a_page_its_plan(demo_app: Flask) -> None:
    """scripts/explain_page.py's core: the sitemap index's one statement, planned along its
    index (SQLite's plan names it; PostgreSQL's EXPLAIN ANALYZE reports actual rows)."""
    found = plans(demo_app, "/sitemap.xml")
    assert len(found) == 1
    statement, lines = found[0]
    assert statement.startswith("WITH RECURSIVE files")
    with demo_app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        assert any("actual time=" in line for line in lines)
    else:
        assert any("ix_stories_sitemap_published" in line for line in lines)


def test_most_divided_walks_its_index(demo_app: Flask) -> None:
    """The "Most divided" page reads its stories along ix_stories_divided, filtered or not
    (SQLite's plan names the index; PostgreSQL's planner is free to choose at this size)."""
    for path, index in (
        ("/?sort=divided", "ix_stories_divided"),
        ("/?sort=divided&tool=mistral-ai", "ix_stories_tool_divided"),
    ):
        found = [lines for statement, lines in plans(demo_app, path) if "dissent" in statement]
        assert len(found) == 1
        with demo_app.app_context():
            postgres = db.engine.dialect.name == "postgresql"
        if not postgres:
            assert any(index in line for line in found[0]), found[0]
            assert not any("TEMP B-TREE" in line for line in found[0]), found[0]
