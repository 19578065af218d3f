"""The article-level understanding stage: one spaCy pass per article, then mentions, quotes, times.

A pure function of the articles it is given, so it runs unchanged in a local worker pool or on a
distributed engine; the store caches its results by the article's content-derived id.

spaCy's memory follows the text it parses at once, so a worker's peak must not follow the page: a
long body is parsed in segments (``newsprism.article.segments`` says where it is cut, and why a cut
never splits a quote), and parsing is batched by characters rather than by articles. Each segment's
mentions and quotes are read from its own Doc, the segment's text with the context before it as their
body, then moved into the whole body's offsets, dropping what lies in the context. What the rules read
from further back than the context is carried from segment to segment: the people named so far (a
later "Putin" resolves to the "Vladimir Putin" named first) and the last person who spoke (whom a "he
said" falls back on when no one is named near it). Times are found in the whole body, without spaCy.
A body of one segment (nearly every article) is read exactly as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TypeVar

from spacy.tokens import Doc

from newsprism.article.mentions import extract_mentions
from newsprism.article.nlp import load_nlp
from newsprism.article.quote_marks import double_marks, paragraph_starts, scan_text
from newsprism.article.quotes import Passage, attribute, moved
from newsprism.article.segments import CONTEXT_CHARS, SEGMENT_CHARS, Segment, segments, within
from newsprism.article.times import extract_times
from newsprism.records import PARAGRAPH_SEPARATOR, Annotations, Article, Mention, Quote, TimeRef

# Bump when this stage's output changes for any article: newsprism/versions.py says why.
VERSION = 2  # the spaCy pass itself: model components, batching, segments of long bodies, failures

# nlp.pipe's memory follows the characters of the batch it parses at once, not their count (32 articles
# of 5,000 characters cost as much as 4 of 40,000): a batch holds no more than the largest segment, so
# a worker's peak is the same whatever it reads. Smaller batches were no slower on news text.
BATCH_CHARS = SEGMENT_CHARS + CONTEXT_CHARS

R = TypeVar("R")


def annotate(articles: Sequence[Article]) -> list[Annotations]:
    nlp = load_nlp()
    readings = [_Reading(a) for a in articles]
    for batch in _batches((r, s) for r in readings for s in r.segments):
        docs = nlp.pipe([r.text(s) for r, s in batch], batch_size=len(batch))
        for (reading, segment), doc in zip(batch, docs, strict=True):
            reading.read(segment, doc)
    return [r.annotations() for r in readings]


def _batches(pieces: Iterable[tuple[_Reading, Segment]]) -> Iterator[list[tuple[_Reading, Segment]]]:
    batch: list[tuple[_Reading, Segment]] = []
    size = 0
    for piece in pieces:
        length = piece[1].end - piece[1].start
        if batch and size + length > BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += length
    if batch:
        yield batch


class _Reading:
    """One article read segment by segment, and what each segment carries to the next."""

    def __init__(self, article: Article):
        self.article = article
        self.body = article.body
        self.mentions: list[Mention] = []
        self.quotes: list[Quote] = []
        # Each person's name as first written, in the order first written: the names before a
        # segment, which it reads as the whole body's names before it.
        self.people: dict[str, Mention] = {}
        self.last_person: str | None = None
        self.error: str | None = None
        self.double = self._attempt(lambda: double_marks(scan_text(self.body), paragraph_starts(self.body)))
        self.segments = self._attempt(lambda: segments(self.body, self.double)) or []

    def _attempt(self, step: Callable[[], R]) -> R | None:
        """``step()``, unless this article failed already or fails now, which ``error`` then says."""
        if self.error is None:
            try:
                return step()
            except Exception as exc:  # one article that trips a rule must not sink the batch
                self.error = f"{type(exc).__name__}: {exc}"
        return None

    def text(self, segment: Segment) -> str:
        return self.body[segment.start:segment.end]

    def read(self, segment: Segment, doc: Doc) -> None:
        self._attempt(lambda: self._read(segment, doc))

    def _read(self, segment: Segment, doc: Doc) -> None:
        part = replace(self.article, paragraphs=tuple(self.text(segment).split(PARAGRAPH_SEPARATOR)))
        local = extract_mentions(part, doc)
        passage = Passage(within(self.double, segment), self.last_person)
        found = attribute(part, doc, [*self.people.values(), *local], passage)
        self.last_person = found.last_person
        own, by = segment.own - segment.start, segment.start
        for m in local:
            if m.start >= own:
                mention = replace(m, start=m.start + by, end=m.end + by)
                self.mentions.append(mention)
                if mention.label == "PERSON":
                    self.people.setdefault(mention.text, mention)
        self.quotes.extend(moved(q, by) for q in found.quotes if q.start >= own)

    def annotations(self) -> Annotations:
        article = self.article
        times = self._attempt(lambda: extract_times(article.id, self.body, anchor_of(article)))
        if times is None:
            return Annotations(article=article.id, error=self.error)
        return Annotations(article.id, tuple(self.mentions), tuple(self.quotes), times)


def times_dated(article: Article, published: str | None) -> tuple[TimeRef, ...]:
    """The article's date expressions read against a publication date found after annotation (an
    undated article takes its story's): what the corpus level stores in place of the first reading."""
    return extract_times(article.id, article.body, anchor_of(replace(article, published=published)))


def anchor_of(article: Article) -> dt.date | None:
    return dt.date.fromisoformat(article.published) if article.published else None
