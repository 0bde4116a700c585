"""Search response times on the demo newsroom and on 10,000 generated stories.

    python scripts/bench_search.py [--database-url URL] [--stories 10000] [--runs 30]

Builds a fresh database (a temporary SQLite file unless --database-url names an empty
PostgreSQL database, whose tables it replaces), loads the demo newsroom, times a set of
queries through the app (the full /search page, as a reader's request), then adds
generated stories with a take from every persona and times the same queries again. The
generated text is drawn from the demo's own words at their natural frequencies, so common
words match many stories and rare ones few, as in a real archive.
Prints the median and 95th-percentile time per query and the number of results.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from newsweb import create_app
from newsweb.demo.cli import load_demo, read_content
from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, StoryStatus, Take, Tool

QUERIES = ["funding", "open weights", "EU AI Act", "inference chips", "zeppelin", "model"]


def demo_words() -> list[str]:
    """Every word of the demo newsroom, repeats kept, so generated text has its frequencies."""
    content = read_content()
    texts = [s["body"] for s in content["stories"]]
    texts += [take for s in content["stories"] for take in s["takes"].values()]
    return re.findall(r"[A-Za-z][A-Za-z'-]+", " ".join(texts))


def build_app(database_url: str | None) -> Flask:
    """An app on a fresh, migrated database."""
    url = database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        load_demo(read_content())
    return app


def sentence(rng: random.Random, vocabulary: list[str], words: int) -> str:
    """Filler drawn from the demo's own words, as often as the demo uses them."""
    return " ".join(rng.choice(vocabulary) for _ in range(words)).capitalize() + "."


def add_stories(app: Flask, count: int) -> None:
    """Insert `count` published stories, each with a take from every persona."""
    rng = random.Random(1)  # noqa: S311 - filler text, not secrets
    words = demo_words()
    with app.app_context():
        tools = list(db.session.scalars(select(Tool.id)))
        categories = list(db.session.scalars(select(Category.id)))
        personas = list(db.session.scalars(select(Persona.id)))
        start = datetime(2020, 1, 1)
        stories = [
            {
                "slug": f"generated-{n}",
                "title": sentence(rng, words, 8),
                "dek": sentence(rng, words, 30),
                "body": "\n\n".join(sentence(rng, words, 60) for _ in range(4)),
                "source_url": "https://example.com/news",
                "status": StoryStatus.PUBLISHED,
                "published_at": start + timedelta(hours=n),
                "tool_id": rng.choice(tools),
                "category_id": rng.choice(categories),
                "created_at": start,
                "updated_at": start,
            }
            for n in range(count)
        ]
        for batch in range(0, count, 1000):
            db.session.execute(insert(Story), stories[batch : batch + 1000])
        ids = list(db.session.scalars(select(Story.id).where(Story.slug.like("generated-%"))))
        takes = [
            {"story_id": story_id, "persona_id": persona, "body": sentence(rng, words, 50),
             "created_at": start}
            for story_id in ids
            for persona in personas
        ]  # fmt: skip
        for batch in range(0, len(takes), 2000):
            db.session.execute(insert(Take), takes[batch : batch + 2000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum would soon do after a bulk load: fresh planner statistics.
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def measure(app: Flask, runs: int) -> None:
    """Time each query `runs` times through the test client and print the figures."""
    client = app.test_client()
    for query in QUERIES:
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get("/search", query_string={"q": query})
            timings.append((time.perf_counter() - started) * 1000)
        html = response.get_data(as_text=True)
        found = html.count('class="search-hit ')
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(f"  {query!r:20} median {statistics.median(timings):7.1f} ms   "
              f"p95 {p95:7.1f} ms   {found:3} results shown")  # fmt: skip


def main() -> None:
    """Parse arguments, build, measure the demo, grow to N stories, measure again."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = build_app(args.database_url)
    with app.app_context():
        print(f"database: {db.engine.dialect.name}")
    print("demo newsroom (18 stories):")
    measure(app, args.runs)
    started = time.perf_counter()
    add_stories(app, args.stories)
    print(f"added {args.stories} stories and their takes in {time.perf_counter() - started:.1f} s")
    print(f"{args.stories + 18} stories:")
    measure(app, args.runs)


if __name__ == "__main__":
    main()
