""" "Load more" keeps the reader's place: a step pushes (or, without JavaScript, leads to) the
URL of everything loaded so far, and that URL, loaded fresh, renders it all again."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from newsweb import paging
from tests import factories
from tests.conftest import htmx
from tests.html import elements


@pytest.fixture
def newsroom_client(app: Flask) -> FlaskClient:
    """Twelve stories (five a page), every persona's take on each, a prediction in each take."""
    with app.app_context():
        factories.newsroom(12)
        factories.predict_in_every_take()
    return app.test_client()


def titles(html: str) -> list[str]:
    """The story titles listed in `html`, in order."""
    return re.findall(r'class="story-card__title"><a [^>]*>([^<]+)</a>', html)


def take_titles(html: str) -> list[str]:
    """The stories of the takes a persona's page lists, in order."""
    return re.findall(
        r'<li class="persona-take" id="take-on-\d+">.*?<h3><a [^>]*>([^<]+)</a>', html, re.S
    )


def claims(html: str) -> list[str]:
    """The prediction claims listed in `html`, in order."""
    return re.findall(r"(Claim \d+ comes true\.)", html)


def load_more(html: str) -> dict[str, str] | None:
    """The attributes of the "Load more" link in `html`, if any, `&` unescaped."""
    for tag, attrs in elements(html):
        if tag == "a" and attrs.get("class") == "button" and "load-more" in html:
            href = str(attrs.get("href", ""))
            if "after=" in href:
                return {name: str(value).replace("&amp;", "&") for name, value in attrs.items()}
    return None


def every_story() -> list[str]:
    """The twelve titles, newest first."""
    return [f"Story {n:03d}" for n in range(11, -1, -1)]


def test_each_step_pushes_a_url_that_renders_everything_so_far(
    newsroom_client: FlaskClient,
) -> None:
    """With htmx, "Load more" appends the next stories and pushes `?through=`: loaded fresh,
    that URL lists every story from the top down to the last one loaded, then "Load more"
    again; the step that reaches the end pushes `?through=end`, which has no "Load more"."""
    first = load_more(newsroom_client.get("/").get_data(as_text=True))
    assert first is not None
    assert first["data-hx-get"] == first["href"]
    assert "from=top" in first["href"]
    step = newsroom_client.get(first["href"], headers=htmx())
    assert titles(step.get_data(as_text=True)) == every_story()[5:10]
    pushed = step.headers["HX-Push-Url"]
    assert re.fullmatch(r"/\?through=[0-9T:.-]+~\d+", pushed)
    so_far = newsroom_client.get(pushed).get_data(as_text=True)
    assert "<html" in so_far
    assert titles(so_far) == every_story()[:10]
    again = load_more(so_far)
    assert again is not None
    assert again == load_more(step.get_data(as_text=True))
    last = newsroom_client.get(again["href"], headers=htmx())
    assert titles(last.get_data(as_text=True)) == every_story()[10:]
    assert last.headers["HX-Push-Url"] == "/?through=end"
    everything = newsroom_client.get("/?through=end").get_data(as_text=True)
    assert titles(everything) == every_story()
    assert load_more(everything) is None


def test_without_javascript_a_step_leads_to_everything_so_far_at_the_first_new_story(
    newsroom_client: FlaskClient,
) -> None:
    """The "Load more" link without JavaScript redirects to the same everything-so-far page,
    anchored at the first story it added; an htmx copy of the step never answers it."""
    first = load_more(newsroom_client.get("/").get_data(as_text=True))
    assert first is not None
    newsroom_client.get(first["href"], headers=htmx())  # the fragment, perhaps stored
    response = newsroom_client.get(first["href"])
    assert response.status_code == 303
    location = response.headers["Location"]
    path, _, anchor = location.partition("#")
    assert path.startswith("/?through=")
    page = newsroom_client.get(path).get_data(as_text=True)
    assert titles(page) == every_story()[:10]
    ids = [str(attrs.get("id")) for tag, attrs in elements(page) if tag == "li" and attrs.get("id")]
    assert ids.index(anchor) == 5  # Story 006, the first of the second five
    assert f'id="{anchor}"><article class="story-card">' in page.replace("\n", "")


def test_filters_and_a_page_of_its_own_keep_their_place(newsroom_client: FlaskClient) -> None:
    """Steps on a filtered listing keep the filter; a page that starts after a cursor
    (`?after=`, from an old link or past the bound) keeps its start in what it pushes."""
    html = newsroom_client.get("/?category=funding").get_data(as_text=True)
    step = load_more(html)
    assert step is not None
    pushed = newsroom_client.get(step["href"], headers=htmx()).headers["HX-Push-Url"]
    assert "category=funding" in pushed
    funding = [t for n, t in enumerate(every_story()) if (11 - n) % 3]
    assert titles(newsroom_client.get(pushed).get_data(as_text=True)) == funding

    first = load_more(newsroom_client.get("/").get_data(as_text=True))
    assert first is not None
    standalone = first["href"].replace("&from=top", "")
    cursor = standalone.removeprefix("/?after=")
    own = newsroom_client.get(standalone).get_data(as_text=True)
    assert titles(own) == every_story()[5:10]
    step = load_more(own)
    assert step is not None
    assert f"from={cursor}" in step["href"]
    pushed = newsroom_client.get(step["href"], headers=htmx()).headers["HX-Push-Url"]
    assert pushed == f"/?after={cursor}&through=end"
    assert titles(newsroom_client.get(pushed).get_data(as_text=True)) == every_story()[5:]


def test_a_so_far_page_is_bounded_and_then_a_plain_link_continues(
    newsroom_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MOST_SO_FAR stories a so-far page stops, and its "Load more" is a plain link to
    the next page on its own (no htmx step: its URL could not hold one more)."""
    monkeypatch.setattr(paging, "MOST_SO_FAR", 7)
    html = newsroom_client.get("/?through=end").get_data(as_text=True)
    assert titles(html) == every_story()[:7]
    link = load_more(html)
    assert link is not None
    assert "data-hx-get" not in link
    assert "from=" not in link["href"]
    rest = newsroom_client.get(link["href"]).get_data(as_text=True)
    assert titles(rest) == every_story()[7:12]
    step = load_more(newsroom_client.get("/").get_data(as_text=True))
    assert step is not None
    assert "data-hx-get" in step


@pytest.mark.parametrize(
    "query",
    [
        "through=garbage",
        "through=2026-01-01T00:00:00%2B02:00~3",
        "through=2026-01-01T00:00:00~0",
        "after=2026-01-10T00:00:00~10&from=garbage",
        "after=2026-01-10T00:00:00~10&from=2026-01-01T00:00:00~2147483648",
    ],
)
@pytest.mark.parametrize("path", ["/", "/panel/the-skeptic", "/predictions?status=due"])
def test_a_broken_place_is_a_friendly_400(
    newsroom_client: FlaskClient, path: str, query: str
) -> None:
    """A mangled `through` or `from` answers 400 with the page that explains it, never 500."""
    joiner = "&" if "?" in path else "?"
    response = newsroom_client.get(f"{path}{joiner}{query}")
    assert response.status_code == 400
    assert "“Load more” link is broken" in response.get_data(as_text=True)


def test_more_takes_on_a_persona_page_keep_the_place(newsroom_client: FlaskClient) -> None:
    """/panel/<slug>: "More takes" pushes the so-far URL, which renders the whole page with
    every take loaded; without JavaScript it redirects there at the first new take."""
    html = newsroom_client.get("/panel/the-skeptic").get_data(as_text=True)
    assert take_titles(html) == every_story()[:5]
    step = load_more(html)
    assert step is not None
    fragment = newsroom_client.get(step["href"], headers=htmx())
    assert "<html" not in fragment.get_data(as_text=True)
    assert take_titles(fragment.get_data(as_text=True)) == every_story()[5:10]
    pushed = fragment.headers["HX-Push-Url"]
    assert pushed.startswith("/panel/the-skeptic?through=")
    page = newsroom_client.get(pushed).get_data(as_text=True)
    assert "<html" in page
    assert take_titles(page) == every_story()[:10]
    plain = newsroom_client.get(step["href"])
    assert plain.status_code == 303
    assert plain.headers["Location"].split("#")[0] == pushed
    assert plain.headers["Location"].split("#")[1].startswith("take-on-")


@pytest.mark.parametrize("status", ["due", "resolved"])
def test_more_predictions_keep_the_place(newsroom_client: FlaskClient, status: str) -> None:
    """The ledger's one-status lists (soonest first, or latest first when resolved) push
    and render everything so far the same way."""
    html = newsroom_client.get(f"/predictions?status={status}").get_data(as_text=True)
    shown = claims(html)
    assert len(shown) == 5
    step = load_more(html)
    assert step is not None
    fragment = newsroom_client.get(step["href"], headers=htmx())
    shown += claims(fragment.get_data(as_text=True))
    assert len(shown) == 10
    pushed = fragment.headers["HX-Push-Url"]
    assert pushed.startswith(f"/predictions?status={status}&through=")
    assert claims(newsroom_client.get(pushed).get_data(as_text=True)) == shown
    plain = newsroom_client.get(step["href"])
    assert plain.status_code == 303
    assert plain.headers["Location"].split("#")[1].startswith("prediction-")
