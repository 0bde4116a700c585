"""Content for tests: small newsrooms built straight into the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select

from newsweb.extensions import db
from newsweb.models import (
    Bookmark,
    Call,
    Category,
    Outcome,
    Persona,
    Prediction,
    Story,
    StoryStatus,
    Take,
    Tool,
    User,
    Verdict,
)
from newsweb.models.clock import utcnow

PANEL = [
    ("the-founder", "The Founder", "Business & Market"),
    ("the-skeptic", "The Skeptic", "Reality Check"),
    ("the-futurist", "The Futurist", "Big Picture"),
    ("the-builder", "The Builder", "Developer Perspective"),
]
LONG_TAKE = " ".join(["This take runs long enough to need a teaser and a Read more control."] * 9)
START = datetime(2026, 1, 1, 8, 0)
# The calls a story's takes get unless a test says otherwise: 2 ship · 1 wait · 1 skip.
DEFAULT_CALLS = ("ship", "wait", "skip", "ship")


def panel() -> list[Persona]:
    """Add the four founding personas, in panel order."""
    personas = [
        Persona(slug=slug, name=name, lens=lens, motto=f"{name} motto", position=position)
        for position, (slug, name, lens) in enumerate(PANEL, start=1)
    ]
    db.session.add_all(personas)
    return personas


def category(name: str = "Funding") -> Category:
    """Add a category."""
    found = Category(name=name, slug=name.lower().replace(" ", "-"))
    db.session.add(found)
    return found


def tool(
    name: str,
    in_category: Category,
    personas: list[Persona] | None = None,
    *,
    published: bool = True,
) -> Tool:
    """Add a tool, with a verdict from each of `personas` (the first skips, the rest ship).

    It is published by an editor on the start date unless `published` is False: then
    readers see it only once a story about it is out.
    """
    slug = name.lower().replace(" ", "-")
    made = Tool(
        published_at=START if published else None,
        slug=slug,
        name=name,
        tagline=f"{name} makes models.",
        description=f"{name} is a company.",
        website=f"https://{slug}.example",
        category=in_category,
    )
    made.verdicts = [
        Verdict(persona=persona, ship=index > 0, body=f"{persona.name} on {name}.")
        for index, persona in enumerate(personas or [])
    ]
    db.session.add(made)
    return made


def story(
    title: str,
    about: Tool,
    in_category: Category,
    personas: list[Persona],
    *,
    day: int = 0,
    status: StoryStatus = StoryStatus.PUBLISHED,
    body: str = "The **body** of the story.",
    published_at: datetime | None = None,
    calls: Sequence[str] = DEFAULT_CALLS,
) -> Story:
    """Add a story `day` days after the start date, with a take from every persona.

    The second persona's take is long enough to show a teaser. The takes' calls are
    `calls` in panel order, repeated as needed (by default 2 ship · 1 wait · 1 skip).
    """
    made = Story(
        slug=title.lower().replace(" ", "-"),
        title=title,
        dek=f"The dek of {title}.",
        body=body,
        source_url="https://source.example/news",
        status=status,
        published_at=published_at or START + timedelta(days=day),
        tool=about,
        category=in_category,
    )
    made.takes = [
        Take(
            persona=persona,
            body=LONG_TAKE if index == 1 else f"{persona.name} says a little.",
            call=Call(calls[index % len(calls)]),
        )
        for index, persona in enumerate(personas)
    ]
    db.session.add(made)
    return made


def newsroom(stories: int) -> None:
    """Add a panel, two categories, two tools and `stories` stories, then commit."""
    personas = panel()
    funding, model = category("Funding"), category("Model")
    tools = [tool("Mistral AI", model, personas), tool("Anthropic", model, personas)]
    for number in range(stories):
        story(
            f"Story {number:03d}",
            tools[number % 2],
            funding if number % 3 else model,
            personas,
            day=number,
        )
    db.session.commit()


def panel_from_database() -> list[Persona]:
    """Return the personas already added, in panel order."""
    return list(db.session.scalars(select(Persona).order_by(Persona.position)))


def more_stories(count: int) -> None:
    """Add `count` more stories to a newsroom built by `newsroom`, then commit."""
    personas = panel_from_database()
    tools = list(db.session.scalars(select(Tool).order_by(Tool.id)))
    categories = list(db.session.scalars(select(Category).order_by(Category.id)))
    start = db.session.scalar(select(func.count(Story.id))) or 0
    for number in range(start, start + count):
        story(
            f"Story {number:03d}",
            tools[number % len(tools)],
            categories[number % len(categories)],
            personas,
            day=number,
        )
    db.session.commit()


def flip_every_verdict(times: int) -> None:
    """Flip every verdict `times` times, one commit each, so the panel's history grows."""
    for _ in range(times):
        for verdict in db.session.scalars(select(Verdict)):
            verdict.ship = not verdict.ship
        db.session.commit()


def predict_in_every_take() -> None:
    """Add a prediction to every take: a third still open, a third due, a third ruled on
    (the outcomes in turn), then commit."""
    today = utcnow().date()
    outcomes = list(Outcome)
    for number, take in enumerate(db.session.scalars(select(Take).order_by(Take.id))):
        kind = number % 3
        prediction = Prediction(
            take_id=take.id,
            persona_id=take.persona_id,
            claim=f"Claim {number} comes true.",
            due_on=today + timedelta(days=30 if kind == 0 else -30 - number),
        )
        if kind == 2:
            prediction.outcome = outcomes[number % len(outcomes)]
            prediction.ruling_note = f"Ruling {number}."
            prediction.ruling_source = "https://example.com/evidence"
            prediction.resolved_at = utcnow()
        db.session.add(prediction)
    db.session.commit()


def bookmark_everything(email: str) -> None:
    """Bookmark every tool and story for the member with `email`, then commit."""
    user = db.session.scalars(select(User).where(User.email == email)).one()
    for tool_id in db.session.scalars(select(Tool.id)):
        db.session.add(Bookmark(user_id=user.id, tool_id=tool_id))
    for story_id in db.session.scalars(select(Story.id)):
        db.session.add(Bookmark(user_id=user.id, story_id=story_id))
    db.session.commit()


def schedule_first_story(title: str, *, in_seconds: float) -> datetime:
    """Retitle the oldest story and schedule it `in_seconds` from now; returns that moment.

    Call inside an app context. The commit goes through the session like an editor's.
    """
    scheduled = db.session.scalars(select(Story).order_by(Story.id)).first()
    assert scheduled is not None
    scheduled.title = title
    goes_out = utcnow() + timedelta(seconds=in_seconds)
    scheduled.published_at = goes_out
    db.session.commit()
    return goes_out
