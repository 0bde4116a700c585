"""Full-text search: stems, whole words, ranking, filters, escaping, and freshness."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Call, Prediction, Story, StoryStatus, Take, Tool
from newsweb.search import queries
from tests import factories
from tests.conftest import htmx
from tests.statements import statements_for


@pytest.fixture
def search_app(app: Flask) -> Flask:
    """A small newsroom with words chosen to test matching."""
    with app.app_context():
        personas = factories.panel()
        funding, policy = factories.category("Funding"), factories.category("Policy")
        lab = factories.tool("Mistral AI", funding, personas)
        other = factories.tool("Anthropic", policy, personas)
        factories.story(
            "Lab funded by new investors",
            lab,
            funding,
            personas,
            day=1,
            body="The round was funded by a consortium.",
        )
        factories.story(
            "Quarterly results",
            other,
            policy,
            personas,
            day=2,
            body="A passing mention: the lab funded a research grant. Written in Lisp.",
        )
        factories.story(
            "Secret draft about funding", lab, funding, personas, day=3, status=StoryStatus.DRAFT
        )
        factories.story("Future funding news", lab, funding, personas, day=365 * 40)
        factories.story(
            "Markup in the body",
            other,
            policy,
            personas,
            day=4,
            body="Investors <b>funded</b> it & said <script>alert(1)</script> nothing.",
        )
        db.session.commit()
    return app


def hits(client: FlaskClient, **params: str) -> list[tuple[str, str]]:
    """(kind, title) of each result for the query, in rank order."""
    html = client.get("/search", query_string=params, headers=htmx()).get_data(as_text=True)
    return re.findall(r'search-hit--(\w+)">.*?<h2><a href="[^"]*">([^<]+)</a></h2>', html, re.S)


def test_word_stems_match(search_app: Flask) -> None:
    """ "funding" finds stories that say "funded", and the reverse."""
    titles = {title for kind, title in hits(search_app.test_client(), q="funding", kind="story")}
    assert titles == {"Lab funded by new investors", "Quarterly results", "Markup in the body"}


def test_short_words_do_not_match_inside_longer_ones(search_app: Flask) -> None:
    """ "isp" does not find "Lisp"; "lisp" does."""
    client = search_app.test_client()
    assert hits(client, q="isp") == []
    assert [title for _, title in hits(client, q="lisp")] == ["Quarterly results"]


def test_title_matches_rank_first(search_app: Flask) -> None:
    """A story with the word in its title outranks one that only mentions it in passing."""
    ranked = [title for kind, title in hits(search_app.test_client(), q="funded", kind="story")]
    assert ranked[0] == "Lab funded by new investors"


def test_drafts_and_future_stories_are_not_found(search_app: Flask) -> None:
    """Only what readers can see is searchable."""
    titles = [title for _, title in hits(search_app.test_client(), q="secret future")]
    assert titles == []
    assert hits(search_app.test_client(), q="draft") == []


def test_snippets_are_escaped_then_highlighted(search_app: Flask) -> None:
    """Stored markup never comes out as markup; only our <mark> does.

    (SQLite's snippet keeps the tags as text, so they are escaped; PostgreSQL's
    ts_headline drops them. Either way nothing but <mark> is live markup.)
    """
    html = search_app.test_client().get("/search?q=investors&kind=story").get_data(as_text=True)
    snippets = re.findall(r'search-hit__snippet">(.*?)</p>', html, re.S)
    markup_one = next(s for s in snippets if "said" in s)
    assert "<script" not in markup_one
    assert "<b>" not in markup_one
    assert "&amp;" in markup_one
    assert "<mark>Investors</mark>" in markup_one


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "says", "kind": "take"}, {"take"}),
        ({"q": "funded", "kind": "tool"}, set()),
        ({"q": "makes models", "kind": "tool"}, {"tool"}),
    ],
)
def test_filter_by_kind(search_app: Flask, params: dict[str, str], expected: set[str]) -> None:
    """`kind` narrows results to stories, takes or tools."""
    assert {kind for kind, _ in hits(search_app.test_client(), **params)} == expected


def test_filters_by_category_tool_and_persona(search_app: Flask) -> None:
    """Category, tool and persona filters narrow the results."""
    client = search_app.test_client()
    by_category = hits(client, q="funded", category="policy", kind="story")
    assert {title for _, title in by_category} == {"Quarterly results", "Markup in the body"}
    by_tool = hits(client, q="funded", tool="mistral-ai", kind="story")
    assert [title for _, title in by_tool] == ["Lab funded by new investors"]
    by_persona = hits(client, q="says", persona="the-futurist")
    assert by_persona
    assert all(kind == "take" for kind, _ in by_persona)
    html = client.get("/search?q=says&persona=the-futurist").get_data(as_text=True)
    assert "The Futurist\N{RIGHT SINGLE QUOTATION MARK}s take" in html
    assert "The Founder\N{RIGHT SINGLE QUOTATION MARK}s take" not in html


def test_edits_are_searchable_at_once(search_app: Flask) -> None:
    """A renamed story, a new take and a deleted tool show in results immediately."""
    client = search_app.test_client()
    with search_app.app_context():
        story = db.session.scalars(select(Story).where(Story.slug == "quarterly-results")).one()
        story.title = "Quarterly results and a zeppelin"
        first = db.session.scalars(select(Take).where(Take.story_id == story.id)).first()
        db.session.delete(first)
        db.session.flush()
        db.session.add(
            Take(story_id=story.id, persona_id=1, body="A word about dirigibles.", call=Call.WAIT)
        )
        db.session.commit()
    assert [title for _, title in hits(client, q="zeppelin")] == [
        "Quarterly results and a zeppelin"
    ]
    assert [kind for kind, _ in hits(client, q="dirigibles")] == ["take"]
    with search_app.app_context():
        tool = db.session.scalars(select(Tool).where(Tool.slug == "anthropic")).one()
        for gone in db.session.scalars(select(Story).where(Story.tool_id == tool.id)):
            db.session.delete(gone)
        db.session.delete(tool)
        db.session.commit()
    assert hits(client, q="zeppelin") == []
    assert hits(client, q="anthropic") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Try “funding”"),
        ("!!! ???", "Nothing to search for"),
        ("\x01\x02", "Try “funding”"),
        ('"unbalanced AND (', "No results for"),
        ("NEAR OR NOT *", "No results for"),
        ("x" * 500, "No results for"),
    ],
)
def test_empty_and_junk_queries_get_a_helpful_page(
    search_app: Flask, query: str, message: str
) -> None:
    """Odd input is never an error: it gets an explanation."""
    response = search_app.test_client().get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_search_page_and_fragment(search_app: Flask) -> None:
    """Without htmx, a whole page with the form; with it, just the results block."""
    client = search_app.test_client()
    page = client.get("/search?q=funded")
    assert "<html" in page.get_data(as_text=True)
    assert 'name="q" value="funded"' in page.get_data(as_text=True)
    fragment = client.get("/search?q=funded", headers=htmx())
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="results"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_search_runs_a_fixed_number_of_statements(search_app: Flask) -> None:
    """The newsroom's version, categories, the ranking and the snippets, whatever the matches."""
    client = search_app.test_client()
    few = statements_for(search_app, "/search?q=funded", client)
    with search_app.app_context():
        factories.more_stories(40)
    many = statements_for(search_app, "/search?q=says", client)
    assert few == many == 4


def test_a_story_is_one_result_with_its_matching_takes_beneath(search_app: Flask) -> None:
    """A word in every take finds each visible story once, its matching takes listed under it,
    each linking to that take opened on the story page."""
    client = search_app.test_client()
    found = hits(client, q="says")
    titles = [title for _, title in found]
    assert len(titles) == len(set(titles)) == 3  # the visible stories, once each
    assert {kind for kind, _ in found} == {"take"}  # found by their takes alone
    html = client.get("/search?q=says").get_data(as_text=True)
    first = html.split('class="search-hit ')[1]
    takes = re.findall(r'class="search-hit__take"[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', first)
    assert len(takes) >= 3
    assert all("expand=" in href and "#take-" in href for href, _ in takes)
    assert all(name.endswith("\N{RIGHT SINGLE QUOTATION MARK}s take") for _, name in takes)


def test_a_story_matching_itself_and_in_takes_ranks_once_by_its_best(search_app: Flask) -> None:
    """ "little" and "funded": the story matches in its title and its takes in theirs; one
    result for it, with its own snippet and the takes beneath."""
    html = search_app.test_client().get("/search?q=funded&kind=").get_data(as_text=True)
    assert html.count(">Lab funded by new investors</a>") == 1


def test_only_a_bounded_set_of_the_newest_matches_is_ranked(
    search_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search ranks a bounded set of the newest matches. PostgreSQL ranks the newest
    CANDIDATES of each kind: with room for one, the newest story. SQLite walks the newest
    title matches and the newest matches anywhere apart: with room for one result, the
    newest story with the word in its title, though a newer one has it in its body."""
    with search_app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        monkeypatch.setattr(queries, "CANDIDATES", 1)
    else:
        monkeypatch.setattr(queries, "MAX_RESULTS", 1)
    expected = "Markup in the body" if postgres else "Lab funded by new investors"
    assert hits(search_app.test_client(), q="funded", kind="story") == [("story", expected)]


def test_optimize_merges_the_index_and_search_finds_the_same(search_app: Flask) -> None:
    """`flask search optimize` after stories written one transaction each: SQLite's index
    ends in fewer pieces, a second run finds nothing left, and every search answers as
    before. PostgreSQL says it has nothing to do."""
    with search_app.app_context():
        for _ in range(12):
            factories.more_stories(1)
        postgres = db.engine.dialect.name == "postgresql"
        pieces = (
            0
            if postgres
            else db.session.scalar(text("SELECT count(*) FROM search_index_data")) or 0
        )
        db.session.remove()
    client = search_app.test_client()
    before = [hits(client, q=word) for word in ("funded", "says", "story", "anthropic")]
    runner = search_app.test_cli_runner()
    first = runner.invoke(args=["search", "optimize"])
    assert first.exit_code == 0, first.output
    if postgres:
        assert "Nothing to do" in first.output
    else:
        assert re.search(r"Merged the search index in [1-9]\d* steps", first.output)
        again = runner.invoke(args=["search", "optimize"])
        assert "in 0 steps" in again.output
        with search_app.app_context():
            merged = db.session.scalar(text("SELECT count(*) FROM search_index_data")) or 0
        assert merged < pieces
    after = [hits(client, q=word) for word in ("funded", "says", "story", "anthropic")]
    assert after == before


def test_predictions_are_found_by_claim_and_criterion(search_app: Flask) -> None:
    """A prediction's claim or test matches; one in a draft story's take is never found;
    the panelist filter keeps only theirs; the result links to the take."""
    with search_app.app_context():
        takes = {
            (take.story.slug, take.persona.slug): take
            for take in db.session.scalars(
                select(Take).options(joinedload(Take.story), joinedload(Take.persona))
            )
        }
        for (story, persona), claim, criterion in (
            (("lab-funded-by-new-investors", "the-skeptic"), "Zeppelins return", "A count."),
            (("quarterly-results", "the-founder"), "Margins grow", "A zeppelin count."),
            (("secret-draft-about-funding", "the-skeptic"), "Zeppelins win", ""),
        ):
            take = takes[(story, persona)]
            db.session.add(
                Prediction(
                    take_id=take.id,
                    persona_id=take.persona_id,
                    claim=claim,
                    criterion=criterion,
                    due_on=date(2030, 1, 1),
                )
            )
        db.session.commit()
    client = search_app.test_client()
    found = hits(client, q="zeppelin", kind="prediction")
    assert sorted(title for _, title in found) == ["Margins grow", "Zeppelins return"]
    assert {kind for kind, _ in found} == {"prediction"}
    only_skeptic = hits(client, q="zeppelin", persona="the-skeptic")
    assert only_skeptic == [("prediction", "Zeppelins return")]
    html = client.get("/search?q=zeppelins&kind=prediction").get_data(as_text=True)
    assert "Prediction · The Skeptic" in html
    assert "/news/lab-funded-by-new-investors?expand=the-skeptic#take-the-skeptic" in html
