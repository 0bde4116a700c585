"""`flask --app newsweb demo load`: fill an empty database with the demo newsroom."""

from __future__ import annotations

import tomllib
from datetime import datetime, time
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import (
    Call,
    Category,
    Outcome,
    Persona,
    Prediction,
    Story,
    StoryStatus,
    Take,
    Tool,
    Verdict,
)
from newsweb.models.clock import utcnow

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# Demo stories go out at this time of day (UTC) on their date.
PUBLISH_TIME = time(8, 0)
# The day the demo panel made the calls that tools.toml and verdict-history.toml do not date.
FIRST_CALLS = datetime(2026, 1, 19, 9, 0)


def read_content(content_dir: Path = CONTENT_DIR) -> dict[str, list[dict[str, Any]]]:
    """Read the demo content files (see content/FORMAT.md) into plain lists."""

    def load(name: str, key: str) -> list[dict[str, Any]]:
        with (content_dir / name).open("rb") as handle:
            return list(tomllib.load(handle)[key])

    stories: list[dict[str, Any]] = []
    for path in sorted(content_dir.glob("stories-*.toml")):
        stories += load(path.name, "stories")
    return {
        "categories": load("categories.toml", "categories"),
        "personas": load("personas.toml", "personas"),
        "tools": load("tools.toml", "tools"),
        "stories": stories,
        "flips": load("verdict-history.toml", "flips"),
        "predictions": load("predictions.toml", "predictions"),
    }


def load_demo(content: dict[str, list[dict[str, Any]]]) -> int:
    """Write the demo content, skipping anything whose slug is already there.

    Returns how many rows it added; a second run adds none, so loading is idempotent.
    """
    added: list[Any] = []

    def existing(model: Any) -> dict[str, Any]:
        return {row.slug: row for row in db.session.scalars(select(model))}

    categories = existing(Category)
    for item in content["categories"]:
        if item["slug"] not in categories:
            categories[item["slug"]] = Category(name=item["name"], slug=item["slug"])
            added.append(categories[item["slug"]])

    personas = existing(Persona)
    for item in content["personas"]:
        if item["slug"] not in personas:
            personas[item["slug"]] = Persona(**item)
            added.append(personas[item["slug"]])

    flips = {(flip["tool"], flip["persona"]): flip for flip in content["flips"]}
    later_calls: list[tuple[Verdict, dict[str, Any], dict[str, Any]]] = []
    tools = existing(Tool)
    for item in content["tools"]:
        if item["slug"] in tools:
            continue
        fields = {k: v for k, v in item.items() if k not in ("category", "verdicts")}
        # The demo's directory is the newsroom's own: every tool is published.
        tool = Tool(**fields, category=categories[item["category"]], published_at=utcnow())
        tool.verdicts = []
        for slug, verdict in item["verdicts"].items():
            made = Verdict(
                persona=personas[slug], ship=verdict["ship"], body=verdict["take"].strip()
            )
            made.change_at = FIRST_CALLS
            if (flip := flips.get((item["slug"], slug))) is not None:
                # The earlier call goes in first; the one standing today replaces it below.
                made.ship, made.body = flip["was"] == "ship", flip["earlier_take"].strip()
                made.change_at = datetime.combine(flip["first_called"], PUBLISH_TIME)
                later_calls.append((made, verdict, flip))
            tool.verdicts.append(made)
        tools[item["slug"]] = tool
        added.append(tool)

    stories = existing(Story)
    for item in content["stories"]:
        if item["slug"] in stories:
            continue
        story = Story(
            slug=item["slug"],
            title=item["title"],
            dek=item["dek"].strip(),
            body=item["body"].strip(),
            source_url=item["source_url"],
            status=StoryStatus.PUBLISHED,
            published_at=(published := datetime.combine(item["published"], PUBLISH_TIME)),
            created_at=published,
            updated_at=published,
            tool=tools[item["tool"]],
            category=categories[item["category"]],
        )
        story.takes = [
            Take(persona=personas[slug], body=text.strip(), call=Call(item["calls"][slug]))
            for slug, text in item["takes"].items()
        ]
        stories[item["slug"]] = story
        added.append(story)
        new_takes = {take.persona.slug: take for take in story.takes}
        # A story's predictions come with it, so loading twice adds none.
        for claim in (p for p in content["predictions"] if p["story"] == item["slug"]):
            added.append(demo_prediction(claim, new_takes[claim["persona"]]))

    db.session.add_all(added)
    db.session.flush()
    for made, verdict, flip in later_calls:
        made.ship, made.body = verdict["ship"], verdict["take"].strip()
        made.change_note = flip["why"].strip()
        made.change_at = datetime.combine(flip["changed"], PUBLISH_TIME)
    db.session.commit()
    return len(added)


def demo_prediction(item: dict[str, Any], take: Take) -> Prediction:
    """A prediction in `take` as predictions.toml describes it, ruled if it has a ruling."""
    prediction = Prediction(
        take=take,
        persona=take.persona,
        claim=item["claim"],
        due_on=item["due"],
        criterion=item.get("criterion", ""),
        created_at=take.story.published_at,
        updated_at=take.story.published_at,
    )
    if "outcome" in item:
        prediction.outcome = Outcome(item["outcome"])
        prediction.ruling_note = item["note"].strip()
        prediction.ruling_source = item["source"]
        prediction.resolved_at = prediction.updated_at = datetime.combine(
            item["ruled"], PUBLISH_TIME
        )
    return prediction


def database_is_empty() -> bool:
    """Whether the newsroom has no stories, personas or tools yet."""
    return all(
        db.session.scalars(select(model.id).limit(1)).first() is None
        for model in (Story, Persona, Tool)
    )


demo = AppGroup("demo", help="The demo newsroom.")


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no content.")
def load_command(if_empty: bool) -> None:
    """Load the demo personas, tools, stories, takes and verdicts (safe to run twice)."""
    if if_empty and not database_is_empty():
        click.echo("The database already has content; demo content not loaded.")
        return
    added = load_demo(read_content())
    click.echo(f"Demo content loaded: {added} new items.")
