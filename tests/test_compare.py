"""Facts of a story aligned across outlets, and the cited summary built from them."""

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from newsprism import summarize
from newsprism.cli import app
from newsprism.corpus.compare import claim_units, disputes, facts
from newsprism.corpus.summary import summarize_facts
from newsprism.options import Options
from newsprism.pipeline import read_articles
from newsprism.records import Article


@pytest.fixture(scope="module")
def syria(seeds_dir):
    """The three reports of the US suspending the Syria talks: RT, Reuters, Asianet Newsable."""
    paths = [str(p) for p in sorted(seeds_dir.iterdir()) if p.name[:3] in ("000", "001", "003")]
    articles, errors = read_articles(paths, Options())
    assert errors == []
    return {a.outlet: a for a in articles}


def test_claim_units_are_sentences_with_their_spans():
    paragraphs = ("Kerry spoke in Brussels on Tuesday about Syria. Short one.",
                  "Lavrov answered him from Moscow the next day.")
    a = Article(id="a", source="a.txt", paragraphs=paragraphs)
    units = claim_units(a)
    assert [u.text for u in units] == ["Kerry spoke in Brussels on Tuesday about Syria.",
                                       "Lavrov answered him from Moscow the next day."]
    assert all(a.body[u.start:u.end] == u.text for u in units)


def test_the_same_statement_in_two_outlets_is_one_fact_and_one_unit_per_article():
    said = "Kerry said the talks with Russia were suspended because of the bombing of Aleppo."
    a = Article(id="a", source="a", outlet="Wire", paragraphs=(said, f"Aid convoys were hit. {said}"))
    told = said.replace("Kerry said", "Kerry told reporters")
    bridge = "The mayor opened a new bridge over the river."
    b = Article(id="b", source="b", outlet="Paper", paragraphs=(bridge, told))
    found = facts([a, b], "s")
    shared = [f for f in found if len(f.outlets) == 2]
    assert len(shared) == 1 and shared[0].outlets == ("Paper", "Wire")
    assert sorted(u.article for u in shared[0].units) == ["a", "b"]
    assert found[0] is shared[0]  # most carried first
    assert any(f.outlets == ("Paper",) and "bridge" in f.text for f in found)


def test_a_page_counts_with_its_first_units_only(monkeypatch):
    import newsprism.corpus.compare as compare

    monkeypatch.setattr(compare, "MAX_ARTICLE_UNITS", 2)
    said = "Kerry said the talks with Russia were suspended because of the bombing of Aleppo."
    hit = "Aid convoys were hit near the city on Monday night."
    went_on = "The bombing of Aleppo went on all week."
    a = Article(id="a", source="a", outlet="Wire", paragraphs=(hit, said, went_on))
    b = Article(id="b", source="b", outlet="Paper", paragraphs=(said,))
    units = {(u.article, u.text) for f in facts([a, b]) for u in f.units}
    assert ("a", said) in units and ("b", said) in units
    assert ("a", went_on) not in units


def test_outlets_telling_a_fact_with_other_numbers_dates_or_a_negation_are_a_dispute():
    told = {
        "Wire": "At least 37 people were killed when the convoy was shelled near Aleppo on September 19. "
        "The ministry said Russia had violated the truce in the east of the city.",
        "Paper": "At least 40 people were killed when the convoy was shelled near Aleppo on September 19. "
        "The ministry said Russia had not violated the truce in the east of the city.",
        "Daily": "At least 37 people were killed when the convoy was shelled near Aleppo on September 20.",
    }
    articles = [Article(id=o.lower(), source=o, outlet=o, paragraphs=(text,)) for o, text in told.items()]
    found = facts(articles, "s")
    outlet_of = {a.id: a.outlet for a in articles}
    by_kind = {d.kind: d for d in disputes(found, outlet_of)}
    assert set(by_kind) == {"numbers", "polarity"}
    numbers = by_kind["numbers"]
    assert sorted(numbers.values) == ["37", "40"]
    assert {u.article for u in numbers.sides} in ({"wire", "paper"}, {"paper", "daily"})
    assert by_kind["polarity"].values in (("", "not"), ("not", ""))
    # Wire and Daily differ only in the day: a dispute over dates, once the other numbers agree.
    dates = disputes(facts([articles[0], articles[2]], "s"), outlet_of)
    assert [(d.kind, sorted(d.values)) for d in dates] == [("dates", ["19", "20"])]
    # One outlet repeating itself is no dispute.
    assert disputes(facts([articles[0], Article("w2", "w2", (told["Paper"],), outlet="Wire")], "s"),
                    {"wire": "Wire", "w2": "Wire"}) == []


def test_facts_show_what_each_outlet_alone_carries(syria):
    found = facts(list(syria.values()), "syria")
    only = {outlet: [f.text for f in found if f.outlets == (outlet,)] for outlet in syria}
    assert any("chlorine" in text for text in only["Reuters"])
    assert any("Kirby" in text for text in only["Asianet Newsable"])
    shared = [f for f in found if set(f.outlets) == {"RT", "Reuters"}]
    assert any("not giving up on the Syrian people" in f.text for f in shared)
    for f in found:
        article = next(a for a in syria.values() if a.id == f.source.article)
        assert article.body[f.source.start:f.source.end] == f.text


def test_the_summary_quotes_its_articles_cites_all_three_and_keeps_the_budget(syria):
    summary = summarize(list(syria.values()), words=120)
    assert {a for s in summary for a in s.articles} == {a.id for a in syria.values()}
    assert sum(len(s.text.split()) for s in summary) <= 120
    bodies = {a.id: a.body for a in syria.values()}
    for sentence in summary:
        assert bodies[sentence.source.article][sentence.source.start:sentence.source.end] == sentence.text
        assert sentence.source.article in sentence.articles
    # The statement two outlets carry comes before what one alone does.
    assert len(summary[0].articles) == 2


def test_of_two_facts_as_central_the_one_told_earlier_leads_the_summary():
    paragraphs = (
        "Residents described the scene outside the town hall on the following morning.",
        "The council approved the new budget for the harbour on Monday evening.",
    )
    one, other = (Article(id=i, source=f"{i}.txt", outlet=i.upper(), paragraphs=paragraphs) for i in "ab")
    told = facts([one, other])
    assert [len(f.articles) for f in told] == [2, 2]
    first = summarize_facts(told, words=12)
    assert [s.text for s in first] == [paragraphs[0]]
    # The same two sentences the other way round: the lead follows the article, not the wording.
    flipped = [dataclasses.replace(a, paragraphs=paragraphs[::-1]) for a in (one, other)]
    assert [s.text for s in summarize_facts(facts(flipped), words=12)] == [paragraphs[1]]


def test_summarize_command_writes_the_cited_summary(seeds_dir, tmp_path):
    out = tmp_path / "summary.json"
    paths = [str(p) for p in sorted(seeds_dir.iterdir()) if p.name[:3] in ("000", "001", "003")]
    result = CliRunner().invoke(app, ["summarize", *paths, "--words", "80", "--json", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(out.read_text())["summary"]
    assert summary and all(s["text"] and s["articles"] for s in summary)
    assert sum(len(s["text"].split()) for s in summary) <= 80
    missing = CliRunner().invoke(app, ["summarize", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "nope.txt" in missing.output


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory, seeds_dir):
    import newsprism

    path = tmp_path_factory.mktemp("compare") / "seeds.duckdb"
    with newsprism.open(path) as corpus:
        corpus.add([str(seeds_dir)])
        yield path, corpus.export()


def test_the_export_frames_each_outlets_speakers(seeds_store):
    _, doc = seeds_store
    (syria,) = [s for s in doc["stories"] if len(s["articles"]) >= 3]
    framing = syria["framing"]
    kirby = framing["Asianet Newsable"]["John Kirby"]
    assert kirby["quotes"] >= 2 and kirby["words"] > 0 and kirby["verbs"]["say"] >= 1
    assert kirby["stance"]["distancing"] >= 1  # "accusing Russia and its Syrian ally"
    assert framing["RT"]["John Kerry"]["via"] == {"Reuters": 1}
    assert set(syria["coverage"]) == {o for f in syria["facts"] for o in f["outlets"]}
    for outlet, fact_ids in syria["coverage"].items():
        assert all(outlet in next(f for f in syria["facts"] if f["id"] == i)["outlets"] for i in fact_ids)


def test_story_command_shows_summary_timeline_and_coverage(seeds_store):
    path, doc = seeds_store
    (syria,) = [s for s in doc["stories"] if len(s["articles"]) >= 3]
    result = CliRunner().invoke(app, ["story", syria["id"], "--db", str(path), "--facts", "5"])
    assert result.exit_code == 0, result.output
    assert "Summary" in result.output and "Timeline" in result.output and "Coverage" in result.output
    assert "2016-10-03" in result.output and "Reuters" in result.output
    missing = CliRunner().invoke(app, ["story", "s000000000000", "--db", str(path)])
    assert missing.exit_code == 2 and "no such story" in missing.output


def test_a_story_from_the_api_has_its_summary_and_facts(seeds_store):
    import newsprism

    path, doc = seeds_store
    (syria,) = [s for s in doc["stories"] if len(s["articles"]) >= 3]
    with newsprism.open(path) as corpus:
        story = corpus.story(syria["id"])
        assert story is not None and story.summary and story.facts
        assert [s.text for s in story.summary] == [s["text"] for s in syria["summary"]]
        assert corpus.story("s000000000000") is None


def test_a_quote_said_by_a_bare_pronoun_is_left_out_of_the_summary_and_a_named_one_kept():
    pronoun = '"The violence must stop," he said on Monday after the talks in the harbour town.'
    named = '"The violence must stop," Mayor Lina Holt said on Monday after the talks in the town.'
    other = "The council approved the new budget for the harbour on Monday evening."
    one, two = (
        Article(id=i, source=f"{i}.txt", outlet=i.upper(), paragraphs=(pronoun, other)) for i in "ab"
    )
    chosen = [s.text for s in summarize_facts(facts([one, two]), words=40)]
    assert pronoun not in chosen and other in chosen
    named_one, named_two = (dataclasses.replace(a, paragraphs=(named, other)) for a in (one, two))
    assert named in [s.text for s in summarize_facts(facts([named_one, named_two]), words=40)]
