"""The HTML report: what a story shows, the charts, and that scraped text stays text."""

import dataclasses
import re
from html import unescape
from html.parser import HTMLParser

import pytest

import newsprism
from newsprism.output.report import (
    highlight,
    quotes_by_speaker,
    render_report,
    safe_url,
    story_page,
    storyline_page,
)
from newsprism.records import Annotations, Article, CorpusView, Mention, Quote, Speaker

HOSTILE_BODY = (
    'The mayor said "<script>alert(1)</script> is not a plan" on Monday. '
    '<img src=x onerror="alert(2)"> Officials met. <a href="javascript:alert(3)">more</a>'
)


def _hostile_article() -> Article:
    return Article(
        id="hostile01",
        source="hostile.txt",
        paragraphs=(HOSTILE_BODY,),
        outlet='Evil <b onmouseover="x()">Outlet</b>',
        title="<script>document.title='owned'</script>",
        url="javascript:alert(4)",
    )


@pytest.fixture(scope="module")
def seeds_view(seeds_db) -> CorpusView:
    with newsprism.open(seeds_db) as corpus:
        return corpus.view()


class _Scripts(HTMLParser):
    """Collects what a browser would run: script elements, event-handler attributes, script URLs."""

    def __init__(self):
        super().__init__()
        self.scripts = 0
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag}.{name}")
            if name in ("href", "src", "action") and value:
                if value.strip().lower().startswith(("javascript:", "data:text/html")):
                    self.script_urls.append(value)
                if name != "href" and re.match(r"https?://", value):
                    self.external.append(value)


def test_the_seed_story_shows_its_three_outlets_and_the_quote_they_share(seeds_view):
    story = next(s for s in seeds_view.stories if len(s.articles) >= 3)
    page = story_page(story, seeds_view)
    assert {"RT", "Reuters", "Asianet Newsable"} <= set(page.outlets)
    for outlet in ("RT", "Reuters", "Asianet Newsable"):
        assert f">{outlet}</text>" in page.coverage_chart or f">{outlet}<" in page.coverage_chart
    shared = [g for sp in page.speakers for g in sp.groups if {"RT", "Reuters"} <= set(g.outlets)]
    assert shared, "a quote carried by both RT and Reuters is shown once, with both carriers"
    assert any("Kerry" in sp.speaker for sp in page.speakers if any(g in shared for g in sp.groups))
    assert page.timeline and "<svg" in page.timeline_chart
    assert page.only_in.get("Reuters") and page.only_in.get("Asianet Newsable")


def test_the_report_shows_each_storyline_with_its_key_dates_and_their_chart(seeds_view):
    story = next(s for s in seeds_view.stories if len(s.articles) >= 3)
    line = next(line for line in seeds_view.storylines if line.id == story.storyline)
    page = storyline_page(line, seeds_view)
    assert page.stories == (story,) and len(page.entries) == page.timeline.shown == 5
    assert [e.date for e in page.entries] == sorted(e.date for e in page.entries)
    assert "2016-10-03" in {e.date for e in page.entries} and "<svg" in page.chart
    html = render_report(seeds_view, title="seeds")
    assert f'id="storyline-{line.id}"' in html and f'href="#storyline-{line.id}"' in html


def test_the_report_is_one_file_that_loads_nothing_and_runs_only_its_own_script(seeds_view):
    html = render_report(seeds_view, title="seeds")
    parser = _Scripts()
    parser.feed(html)
    assert parser.scripts == 1 and not parser.handlers and not parser.script_urls
    assert not parser.external, "nothing is fetched from the network"
    assert "<link" not in html and "@import" not in html
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    for article in seeds_view.articles:
        assert f'id="article-{article.id}"' in html
        for removed in article.removed[:3]:
            assert removed.reason in html


def test_hostile_text_stays_text():
    article = _hostile_article()
    start = HOSTILE_BODY.index('"') + 1
    end = HOSTILE_BODY.index('"', start)
    quote = Quote(
        "q1", "hostile01", start, end, HOSTILE_BODY[start:end], "direct", Speaker("The mayor", "The mayor")
    )
    view = CorpusView(
        articles=(article,),
        annotations={article.id: Annotations(article.id, quotes=(quote,))},
        quotes=(quote,),
    )
    html = render_report(view)
    parser = _Scripts()
    parser.feed(html)
    assert parser.scripts == 1 and not parser.handlers and not parser.script_urls
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert 'href="javascript' not in html


def test_highlight_marks_entities_inside_quotes_and_escapes_the_rest():
    body = 'Ann Lee said "Tom & Co <b>will</b> pay" today.'
    article = Article("a1", "a.txt", (body,))
    start = body.index('"') + 1
    end = body.rindex('"')
    quote = Quote("q", "a1", start, end, body[start:end], "direct", Speaker("Ann Lee", "Ann Lee"))
    mentions = (Mention("a1", 0, 7, "Ann Lee", "PERSON"), Mention("a1", start, start + 3, "Tom", "PERSON"))
    html = str(
        highlight(article, Annotations("a1", mentions=mentions), {(0, 7): ("Ann Lee", "PERSON")}, [quote])
    )
    assert html.startswith('<mark class="ent ent-PERSON" title="Ann Lee (PERSON)">Ann Lee')
    assert '<span class="quote q-direct" title="direct quote of Ann Lee"><mark class="ent ent-PERSON"' in html
    assert "&lt;b&gt;will&lt;/b&gt;" in html and "Tom" in html and "&amp; Co" in html
    assert re.sub(r"<[^>]+>", "", html.replace('<span class="lbl">PERSON</span>', "")) == (
        body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    )


def test_only_web_addresses_become_links():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url('https://x.org/"onmouseover="a()') is None
    assert safe_url(None) is None


def test_quotes_are_grouped_by_speaker_and_by_shared_words():
    def quote(qid, article, group, cue, speaker="Jane Roe"):
        return Quote(
            qid, article, 0, 10, "we will act", "direct", Speaker(speaker, speaker), cue=cue, group=group
        )

    quotes = [
        quote("1", "a", "g1", "said"),
        quote("2", "b", "g1", "claimed"),
        quote("3", "b", None, "stressed"),
        quote("4", "c", None, "said", speaker="Bo Li"),
    ]
    speakers = quotes_by_speaker(quotes, {"a": "Wire", "b": "Daily", "c": "Daily"}, {})
    assert [s.speaker for s in speakers] == ["Jane Roe", "Bo Li"]
    jane = speakers[0]
    assert jane.quotes == 3 and len(jane.groups) == 2
    shared = jane.groups[0]
    assert shared.outlets == ("Daily", "Wire")
    assert {c.verb: c.stance for c in shared.carriers} == {"say": "neutral", "claim": "distancing"}


def test_a_story_of_hundreds_of_facts_lists_the_most_carried_and_counts_the_rest(seeds_view):
    story = next(s for s in seeds_view.stories if len(s.articles) >= 3)
    fact = story.facts[0]
    lone = next(f for f in story.facts if len(f.outlets) == 1)
    many = tuple(dataclasses.replace(fact, id=f"f{i}", text=f"Shared fact number {i}.") for i in range(120))
    alone = tuple(dataclasses.replace(lone, id=f"l{i}", text=f"Lone fact number {i}.") for i in range(20))
    big = dataclasses.replace(story, facts=many + alone)
    html = render_report(dataclasses.replace(seeds_view, stories=(big,)))
    sections = {
        part.split("</h3>")[0]: unescape(re.sub(r"<[^>]+>", " ", part)) for part in html.split("<h3>")[1:]
    }
    coverage = sections["Coverage: which outlet carries which fact"]
    assert "Shared fact number 99." in coverage and "Shared fact number 100." not in coverage
    assert "and 40 facts carried by fewer articles" in coverage
    only = sections["Only one outlet carries"]
    assert "Lone fact number 11." in only and "Lone fact number 12." not in only
    assert "and 8 more" in only
