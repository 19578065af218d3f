"""The spaCy pass: a body of one segment read exactly as a whole, a long one read in segments with
exact offsets, and what crosses a cut between segments."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from newsprism.article import segments as segments_module
from newsprism.article.annotate import anchor_of, annotate
from newsprism.article.clean import clean
from newsprism.article.ingest import read_file
from newsprism.article.mentions import extract_mentions
from newsprism.article.nlp import load_nlp
from newsprism.article.quote_marks import double_marks, paragraph_starts, scan_text
from newsprism.article.quotes import extract_quotes
from newsprism.article.segments import segments
from newsprism.article.times import extract_times
from newsprism.options import Options
from newsprism.records import Annotations, Article

FLOOD = (
    "The river rose three metres overnight and the roads to the north were closed.",
    "Water reached the first floor of the school, and the bridge at the mill was shut.",
    "Volunteers filled sandbags through the night while the rain kept falling on the hills.",
    "By morning the lower town was under water and the power had failed in most streets.",
)


@pytest.fixture(scope="module")
def seed(seeds_dir) -> Article:
    """The seed article with the most quotes, cleaned as analyze cleans it."""
    (raw,) = read_file(seeds_dir / "000_43c6b2e9932b6449.txt", Options())
    return clean(raw, dt.date(2026, 12, 1))


def _cut_before(monkeypatch, article: Article, paragraph: str, context: int = 200) -> None:
    """Segments small enough that a segment ends right before ``paragraph``."""
    monkeypatch.setattr(segments_module, "SEGMENT_CHARS", article.body.index(paragraph) - 2)
    monkeypatch.setattr(segments_module, "CONTEXT_CHARS", context)


def _segments(article: Article):
    body = article.body
    return segments(body, double_marks(scan_text(body), paragraph_starts(body)))


def test_a_body_of_one_segment_is_read_as_a_whole(seed):
    assert len(_segments(seed)) == 1
    doc = load_nlp()(seed.body)
    mentions = extract_mentions(seed, doc)
    whole = Annotations(seed.id, mentions, extract_quotes(seed, doc, mentions),
                        extract_times(seed.id, seed.body, anchor_of(seed)))
    assert annotate([seed]) == [whole] and whole.quotes and whole.mentions


def test_a_pronoun_finds_its_antecedent_in_the_context_before_its_segment(monkeypatch):
    named = "Senator Maria Lopez toured the flooded valley on Tuesday with local officials."
    said = "“We will rebuild every house in this valley before the winter comes,” she said."
    article = Article(id="a", source="a.txt", paragraphs=(FLOOD[0], named, said, FLOOD[1]))
    _cut_before(monkeypatch, article, said)
    first, second, _ = _segments(article)
    assert first.end < article.body.index(said) == second.own and second.start < article.body.index(named)
    (quote,) = annotate([article])[0].quotes
    assert (quote.speaker.text, quote.speaker.name) == ("she", "Maria Lopez")


def test_the_last_speaker_and_the_people_named_are_carried_beyond_the_context(monkeypatch):
    said = "“We will not leave anyone behind,” she said."
    # More than the 120 tokens a pronoun's antecedent is looked for in: she is the last speaker.
    opening = "Maria Lopez said the valley would be rebuilt."
    article = Article(id="a", source="a.txt",
                      paragraphs=(opening, *FLOOD * 2, said, "Lopez said the bridge would reopen."))
    whole = annotate([article])[0].quotes
    assert [(q.speaker.text, q.speaker.name) for q in whole] == \
        [("Maria Lopez",) * 2, ("she", "Maria Lopez"), ("Lopez", "Maria Lopez")]
    _cut_before(monkeypatch, article, said)
    (_, second) = _segments(article)
    assert second.start > len(article.paragraphs[0])  # the context does not reach the name
    assert annotate([article])[0].quotes == whole


def test_a_quote_running_over_paragraphs_is_never_cut(monkeypatch):
    quote = ("“We have lost homes before, and we have rebuilt them every time,",
             "“This time will be no different,” Lopez said.")
    opening = "Maria Lopez spoke to reporters at the shelter on Tuesday."
    article = Article(id="a", source="a.txt", paragraphs=(opening, *quote, FLOOD[0]))
    whole = annotate([article])[0].quotes
    (quote_found,) = whole
    assert quote_found.text.startswith("We have lost") and quote_found.text.endswith("no different,")
    assert quote_found.speaker.name == "Maria Lopez"
    # The bound falls between the quote's paragraphs: the segment ends before the quote instead.
    _cut_before(monkeypatch, article, quote[1])
    assert [s.own for s in _segments(article)][:2] == [0, article.body.index(quote[0])]
    assert annotate([article])[0].quotes == whole


def test_a_page_over_a_million_characters_is_read_in_full_with_exact_offsets(seed):
    copies = 1_200_000 // (len(seed.body) + 2) + 1
    page = replace(seed, paragraphs=seed.paragraphs * copies)
    body = page.body
    assert len(body) >= 1_200_000 > load_nlp().max_length
    (found,) = annotate([page])
    assert found.error is None
    for mention in found.mentions:
        assert body[mention.start:mention.end] == mention.text
    for quote in found.quotes:
        assert body[quote.start:quote.end] == quote.text
        if quote.speaker.start is not None:
            assert body[quote.speaker.start:quote.speaker.end] == quote.speaker.text
    for time in found.times:
        assert body[time.start:time.end] == time.text
    last = _segments(page)[-1].own
    assert last > 1_000_000
    assert any(m.start >= last for m in found.mentions) and any(q.start >= last for q in found.quotes)
    # Every copy of the article is read as the article alone is, cut or not.
    (alone,) = annotate([seed])
    step = len(seed.body) + 2
    assert len(found.mentions) == copies * len(alone.mentions)
    assert [(q.start % step, q.end % step, q.speaker.name) for q in found.quotes] == \
        [(q.start, q.end, q.speaker.name) for q in alone.quotes] * copies
