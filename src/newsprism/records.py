"""Typed records that flow between the pipeline stages.

Every annotation is a span of an article's clean body, ``Article.body`` (the paragraphs joined by a
blank line), so ``article.body[span.start:span.end] == span.text`` holds for every record here.
Records are frozen: stages build new ones instead of editing what they were given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

PARAGRAPH_SEPARATOR = "\n\n"


def mint_id(prefix: str, key: str) -> str:
    """A record's id: its kind's letter and a hash of what makes it that record, so the same input
    gets the same id in every run and on every machine."""
    return prefix + hashlib.sha1(key.encode()).hexdigest()[:12]


Granularity = Literal["day", "month", "year"]
QuoteKind = Literal["direct", "partial", "indirect"]


@dataclass(frozen=True)
class RawDoc:
    """One article as read from its input, before any cleaning.

    ``given`` holds metadata the input states outright (JSONL fields, feed entry fields); it always
    wins over what cleaning infers.
    """

    source: str
    content_hash: str
    text: str
    is_html: bool = False
    given: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Removed:
    text: str
    reason: str


@dataclass(frozen=True)
class DateEvidence:
    """Why an article got its publication date: the text that fixed it and how sure we are."""

    value: str
    text: str
    method: str
    confidence: float


@dataclass(frozen=True)
class Article:
    id: str
    source: str
    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...] = ()
    source_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    published_evidence: DateEvidence | None = None
    dateline: str | None = None
    authors: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)


@dataclass(frozen=True)
class Mention:
    """A name as written in one article; ``label`` is the entity type (PERSON, ORG, GPE, ...)."""

    article: str
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class Entity:
    """One real-world entity across the corpus, with every mention that refers to it."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class EntityRelation:
    """A typed link that is not identity, e.g. a capital standing for its country's government."""

    mention: Mention
    relation: str
    entity: str


@dataclass(frozen=True)
class Speaker:
    """Who a quote is attributed to: ``text`` as written, ``name`` resolved within the article.

    ``entity`` is filled at corpus level, once mentions are resolved into entities.
    """

    text: str | None
    name: str | None = None
    start: int | None = None
    end: int | None = None
    entity: str | None = None


@dataclass(frozen=True)
class Quote:
    id: str
    article: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: Speaker
    cue: str | None = None
    via: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class TimeRef:
    """A date expression resolved to a calendar value: YYYY-MM-DD, YYYY-MM or YYYY."""

    article: str
    start: int
    end: int
    text: str
    value: str
    granularity: Granularity


@dataclass(frozen=True)
class Annotations:
    """What the article-level understanding stage found in one article."""

    article: str
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeRef, ...] = ()
    error: str | None = None  # why the stage failed on this article; the lists are then empty


@dataclass(frozen=True)
class ReuseLink:
    """The same text carried by two articles: ``source`` had it first when ``origin`` says so
    (``origin`` is None when nothing tells), ``target`` carried it."""

    source: str
    target: str
    kind: Literal["duplicate", "passage", "quote"]
    passages: tuple[str, ...]
    origin: str | None
    evidence: str


@dataclass(frozen=True)
class Unit:
    """A claim unit: one sentence of an article's body, with its span."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fact:
    """One statement of a story and every article that carries it; ``text`` is quoted from ``source``."""

    id: str
    text: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    source: Unit
    units: tuple[Unit, ...]
    centrality: float  # mean similarity of its text to the story's other units


@dataclass(frozen=True)
class Dispute:
    """Two outlets telling one fact differently: other numbers, other dates, or one saying it is not
    so; ``values`` is what each side has that the other lacks."""

    fact: str
    kind: Literal["numbers", "dates", "polarity"]
    sides: tuple[Unit, Unit]
    values: tuple[str, str]


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of a story's summary, quoted from ``source``, citing every article carrying it."""

    text: str
    articles: tuple[str, ...]
    source: Unit


@dataclass(frozen=True)
class StoryDigest:
    """What comparing a story's articles gave, stored so that reading the story does not compare them
    again: valid while the story's articles are those ``members`` names (``store.members_key``)."""

    members: str
    facts: tuple[Fact, ...]
    disputes: tuple[Dispute, ...]
    summary: tuple[SummarySentence, ...]


@dataclass(frozen=True)
class Story:
    """Articles reporting one event; ``title`` is the title of its most representative article."""

    id: str
    title: str | None
    articles: tuple[str, ...]
    storyline: str
    first: str | None = None  # the span of its articles' publication dates, YYYY-MM-DD
    last: str | None = None
    outlets: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    # Per outlet and speaker: quotes, quoted words, reporting verbs and their stance, quotes carried via.
    framing: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Storyline:
    """Stories about one ongoing matter, in time order."""

    id: str
    title: str | None
    stories: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """One development of a story: its date, a sentence telling it, and every article dating it there."""

    date: str
    text: str
    articles: tuple[str, ...]
    story: str | None
    source: tuple[str, int, int]  # the article and character span the text was taken from


@dataclass(frozen=True)
class CorpusView:
    """Some articles of the corpus with their annotations, and what the corpus resolves in them."""

    articles: tuple[Article, ...]
    annotations: dict[str, Annotations]
    entities: tuple[Entity, ...] = ()
    relations: tuple[EntityRelation, ...] = ()
    quotes: tuple[Quote, ...] = ()
    stories: tuple[Story, ...] = ()
    storylines: tuple[Storyline, ...] = ()
    reuse: tuple[ReuseLink, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
