import json
from pathlib import Path

import pytest

from newsprism.article.nlp import load_nlp
from newsprism.article.quotes import extract_quotes
from newsprism.corpus.view import resolve
from newsprism.records import Annotations, Article, Mention, Quote

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


def run(nlp, *paragraphs, article_id="a1"):
    article = Article(id=article_id, source=f"{article_id}.txt", paragraphs=tuple(paragraphs))
    doc = nlp(article.body)
    mentions = tuple(Mention(article_id, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents)
    quotes = extract_quotes(article, doc, mentions)
    for q in quotes:
        assert article.body[q.start:q.end] == q.text
        if q.speaker.start is not None:
            assert article.body[q.speaker.start:q.speaker.end] == q.speaker.text
    return quotes


def find(quotes, words):
    hits = [q for q in quotes if words in q.text]
    assert hits, f"no quote with {words!r} in {[q.text for q in quotes]}"
    return hits[0]


def test_unbalanced_marks_recover_without_crashing(nlp):
    quotes = run(
        nlp,
        'According to the spokesman, Moscow was "either unwilling or unable to keep its word. '
        '"Rather, they have chosen a military course," Kirby added.',
        'The minister said "this paragraph never closes its quote',
        "Markets were calm on Friday.",
    )
    rather = find(quotes, "Rather, they have chosen a military course")
    assert rather.kind == "direct" and rather.speaker.text == "Kirby"
    assert "Rather" not in find(quotes, "either unwilling").text
    assert "Markets" not in find(quotes, "never closes").text


def test_continuation_paragraph_and_pronoun_speakers(nlp):
    quotes = run(
        nlp,
        "German Chancellor Angela Merkel spoke in Berlin on Monday.",
        "“We will not accept this,” Merkel said. “Europe must stand together,” she added.",
        "“There is no alternative to talks with our partners.”",
    )
    assert find(quotes, "We will not accept").speaker.name == "Angela Merkel"
    added = find(quotes, "Europe must stand together")
    assert added.speaker.text == "she" and added.speaker.name == "Angela Merkel" and added.cue == "added"
    assert find(quotes, "no alternative").speaker.name == "Angela Merkel"


def test_quote_running_over_paragraphs(nlp):
    quotes = run(
        nlp,
        "“The battery protects the base and its sailors.",
        "“It is unclear why this caused such alarm among our partners,” the Defence Ministry said.",
    )
    q = find(quotes, "The battery protects the base")
    assert "caused such alarm" in q.text and q.speaker.text == "the Defence Ministry"


def test_role_noun_speaker_resolves_to_person(nlp):
    quotes = run(
        nlp,
        "Russian Foreign Minister Sergey Lavrov met reporters in Moscow on Tuesday.",
        "The Russian foreign minister noted that the talks had failed because of the other side.",
        "The Secretary of State criticized Russia, US Secretary of State John Kerry's aides said.",
    )
    noted = find(quotes, "the talks had failed")
    assert noted.kind == "indirect" and noted.cue == "noted"
    assert noted.speaker.text == "The Russian foreign minister" and noted.speaker.name == "Sergey Lavrov"


def test_via_cited_as_saying_and_reported(nlp):
    quotes = run(
        nlp,
        "“We are not giving up,” Foreign Minister Sergey Lavrov was cited as saying by Interfax.",
        "The ministry stressed its readiness to consider new proposals, Interfax reported.",
    )
    cited = find(quotes, "We are not giving up")
    assert cited.via == "Interfax" and cited.speaker.name == "Sergey Lavrov"
    assert cited.cue == "was cited as saying"
    reported = find(quotes, "readiness to consider new proposals")
    assert reported.via and "Interfax" in reported.via and reported.speaker.text == "The ministry"


def test_according_to_and_accused_of(nlp):
    quotes = run(
        nlp,
        "According to Senator Elizabeth Warren, the bill would hurt millions of families.",
        "Warren accused the bank of hiding losses from its shareholders for years.",
    )
    acc = find(quotes, "the bill would hurt millions")
    assert acc.cue == "according to" and acc.speaker.name == "Elizabeth Warren"
    assert "According" not in acc.text
    accused = find(quotes, "hiding losses from its shareholders")
    assert accused.cue == "accused" and accused.speaker.name == "Elizabeth Warren"


def test_partial_quote_and_scare_quotes(nlp):
    quotes = run(
        nlp,
        "US Secretary of State John Kerry spoke in Brussels.",
        "The Secretary of State criticized Russia over what he called an “irresponsible and profoundly "
        "ill-advised decision” to back the government.",
        "Rebels from the so-called 'moderate opposition' withdrew from the town.",
    )
    partial = find(quotes, "irresponsible and profoundly ill-advised decision")
    assert partial.kind == "partial" and partial.speaker.name == "John Kerry"
    assert not [q for q in quotes if "moderate opposition" in q.text]


def test_guillemets_and_single_quotes(nlp):
    quotes = run(
        nlp,
        "«We will defend our interests by every means,» the Foreign Ministry said.",
        "‘The talks are over for now,’ a senior European diplomat told reporters.",
        "The minister's aides and the diplomats' staff stayed in Geneva.",
    )
    assert find(quotes, "defend our interests").speaker.text == "the Foreign Ministry"
    single = find(quotes, "The talks are over for now")
    assert single.kind == "direct" and single.speaker.text == "a senior European diplomat"
    assert not [q for q in quotes if "aides" in q.text]


def group_quotes(quotes: list[Quote]) -> list[Quote]:
    """The quotes as the corpus groups them, in a store holding only their articles."""
    articles = {q.article: Article(q.article, f"{q.article}.txt", ("",)) for q in quotes}
    annotations = {a: Annotations(a, quotes=tuple(q for q in quotes if q.article == a)) for a in articles}
    return sorted(resolve(list(articles.values()), annotations).quotes, key=lambda q: q.id)


def test_grouping_across_articles(nlp):
    first = run(nlp, "“We are not giving up on the Syrian people,” Kerry said in Brussels.", article_id="a1")
    second = run(
        nlp,
        '"I want to be clear that we are not giving up on the Syrian people," Kerry was cited as saying.',
        '"The weather in Brussels was pleasant for the whole week of the summit," a diplomat said.',
        article_id="b2",
    )
    grouped = group_quotes(first + second)
    a = find([q for q in grouped if q.article == "a1"], "not giving up")
    b = find([q for q in grouped if q.article == "b2"], "not giving up")
    weather = find(grouped, "weather in Brussels")
    assert a.group is not None and a.group == b.group
    assert weather.group is None
    assert group_quotes(second + first) == grouped


def test_seed_article_quotes(nlp):
    gold = json.loads((SHARED / "corpus" / "seeds.gold.json").read_text(encoding="utf-8"))
    meta = gold["articles"]["000"]
    raw = (SHARED / "corpus" / "seeds" / meta["file"]).read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in raw.splitlines() if p.strip() and not p.startswith("http")]
    quotes = run(nlp, *paragraphs, article_id="000")
    expected = [g for g in gold["quotes"] if g["article"] == "000"]
    found = 0
    for g in expected:
        hits = [q for q in quotes if g["text"].lower() in q.text.lower()]
        found += bool(hits)
    assert found >= 0.85 * len(expected)
    toner = find(quotes, "I would just note that")
    assert toner.speaker.name == "Mark Toner"


def test_doubled_apostrophes_mark_direct_quotes(nlp):
    quotes = run(
        nlp,
        "''We just can't have a repeat of that in Philadelphia,'' Ms. Boxer said. ''There is nothing "
        "to protest.''",
    )
    first = find(quotes, "We just can't have a repeat")
    assert first.kind == "direct" and first.text.endswith("Philadelphia,")
    assert first.speaker.text == "Ms. Boxer"
    rest = find(quotes, "There is nothing to protest.")
    assert rest.speaker.text == "Ms. Boxer" and "''" not in rest.text


def test_belief_evidence_and_intention_cues(nlp):
    quotes = run(
        nlp,
        "Senator Maria Lopez believes the reform will survive a court challenge.",
        "A new Gallup poll found broad support for the plan among independent voters.",
        "The governor wants to repeal the tax before the end of the year.",
        "She knows the city well.",
    )
    believes = find(quotes, "the reform will survive a court challenge")
    assert believes.cue == "believes" and believes.speaker.name == "Maria Lopez"
    found = find(quotes, "broad support for the plan")
    assert found.cue == "found" and found.speaker.text == "A new Gallup poll"
    wants = find(quotes, "to repeal the tax")
    assert wants.cue == "wants" and wants.speaker.text == "The governor"
    assert not [q for q in quotes if "the city well" in q.text]


def test_parenthetical_cue_takes_the_whole_clause(nlp):
    quotes = run(nlp, "Otherwise, she said, countries may simply steal growth from one another.")
    q = find(quotes, "countries may simply steal growth")
    assert q.text.startswith("Otherwise") and q.cue == "said" and q.speaker.text == "she"


def test_poll_as_source_and_transcript_labels(nlp):
    quotes = run(
        nlp,
        "In an NBC News poll released Monday, 50 percent of respondents chose the senator.",
        "JAKE TAPPER: The candidate released a video on Friday about racial healing.",
        "Note: This article was updated on Friday.",
    )
    poll = find(quotes, "50 percent of respondents chose")
    assert poll.cue == "In" and "poll" in poll.speaker.text and "NBC" not in poll.text
    label = find(quotes, "released a video on Friday")
    assert label.speaker.text == "JAKE TAPPER" and label.cue == ":" and "TAPPER" not in label.text
    assert not [q for q in quotes if "article was updated" in q.text]


def test_colon_introduced_quote_and_continuation_after_quoted_name(nlp):
    quotes = run(
        nlp,
        "Senator Tim Kaine has adopted a stance common among Catholics in public office: “I’m pro-life "
        "in my personal life, but support abortion in my public life.”",
        "“I would absolutely not support Bernie,” Bennett said. “I like Dr. Carson. I would settle for him.”",
    )
    assert find(quotes, "pro-life in my personal life").speaker.name == "Tim Kaine"
    assert find(quotes, "I would settle for him").speaker.text == "Bennett"


def test_relative_pronoun_and_abbreviated_title_speakers(nlp):
    quotes = run(
        nlp,
        "Massachusetts Sen. Elizabeth Warren spoke in Boston on Monday.",
        "The senator said the bill would hurt millions of families.",
        "The plan was opposed by Mayor Tom Reilly, who said the city could not afford it.",
    )
    senator = find(quotes, "the bill would hurt millions")
    assert senator.speaker.text == "The senator" and senator.speaker.name == "Elizabeth Warren"
    who = find(quotes, "the city could not afford it")
    assert who.speaker.text == "who" and who.speaker.name == "Tom Reilly"


def test_pronoun_resolves_to_last_named_subject(nlp):
    quotes = run(
        nlp,
        "Governor Jane Whitfield visited the flooded towns on Tuesday with her aides.",
        "Later she said the state would pay for the repairs.",
    )
    q = find(quotes, "the state would pay for the repairs")
    assert q.speaker.text == "she" and q.speaker.name == "Jane Whitfield"


def test_characterization_with_called_and_described(nlp):
    quotes = run(
        nlp,
        "Senator Tom Hale called the new law a disaster for small farmers.",
        "He described the plan as reckless and expensive.",
        "Hale sees the vote as a warning to his party. He saw the film twice.",
    )
    called = find(quotes, "the new law a disaster")
    assert called.cue == "called" and called.speaker.name == "Tom Hale"
    described = find(quotes, "the plan as reckless")
    assert described.cue == "described" and described.speaker.name == "Tom Hale"
    sees = find(quotes, "the vote as a warning")
    assert sees.cue == "sees" and sees.speaker.name == "Tom Hale"
    assert not [q for q in quotes if "the film" in q.text]


def test_stance_adjectives_and_content_nouns(nlp):
    quotes = run(
        nlp,
        "Senator Ann Burke was confident that the bill would pass the Senate.",
        "Governor Paul Dean's claim that the state will pay for the bridge drew laughter.",
        "The fact that the team lost surprised nobody.",
    )
    confident = find(quotes, "the bill would pass the Senate")
    assert confident.cue == "confident" and confident.speaker.name == "Ann Burke"
    claim = find(quotes, "the state will pay for the bridge")
    assert claim.cue == "claim" and claim.speaker.text == "Governor Paul Dean"
    assert claim.speaker.name == "Paul Dean"
    assert not [q for q in quotes if "the team lost" in q.text]


def test_speech_act_object_is_the_content(nlp):
    quotes = run(
        nlp,
        "Senator Ruth Cole criticized the administration's handling of the border crisis.",
        "The senator called for a ban on assault weapons.",
        "The two leaders will discuss the situation in the region on Monday.",
    )
    called = find(quotes, "a ban on assault weapons")
    assert called.cue == "called" and called.speaker.text == "The senator"
    criticized = find(quotes, "the administration's handling of the border crisis")
    assert criticized.cue == "criticized" and criticized.speaker.name == "Ruth Cole"
    assert not [q for q in quotes if "the situation in the region" in q.text]


def test_paragraph_ending_in_a_quote_mark_does_not_swallow_the_next(nlp):
    quotes = run(nlp, 'The union leader was quoted by the Wire as saying members "have warned for years."',
                 'The harbour chief Helena Brask described the offer as "a serious proposal" and said the '
                 "talks would continue on Thursday.")
    talks = find(quotes, "the talks would continue")
    assert talks.speaker.name == "Helena Brask" and talks.via is None and talks.cue == "said"


def test_quote_ids_are_unique_and_a_colon_without_space_still_opens_a_quote(nlp):
    quotes = run(nlp, 'The spokesman said "we will not accept this" and warned of consequences.',
                 'The minister said:"We will never accept this deal, whatever happens."')
    assert len({q.id for q in quotes}) == len(quotes)
    assert find(quotes, "We will never accept this deal").kind == "direct"
