"""Typed records that flow between the pipeline stages.

Every annotation is a span of an article's clean body, ``Article.body`` (the paragraphs joined by a
blank line), so ``article.body[span.start:span.end] == span.text`` holds for every record here.
Records are frozen: stages build new ones instead of editing what they were given.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import types
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

PARAGRAPH_SEPARATOR = "\n\n"


def mint_id(prefix: str, key: str) -> str:
    """A record's id: its kind's letter and a hash of what makes it that record, so the same input
    gets the same id in every run and on every machine."""
    return prefix + hashlib.sha1(key.encode()).hexdigest()[:12]


Granularity = Literal["day", "month", "year"]
QuoteKind = Literal["direct", "partial", "indirect"]
R = TypeVar("R")


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
    """A line cleaning dropped and why; a reader's comment also says who wrote it and when, if the
    page tells."""

    text: str
    reason: str
    author: str | None = None
    time: str | None = None


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
class NameUse:
    """One mention after its article's own evidence is read.

    ``key`` is the name it counts for in the corpus statistics (None for a role reference such as
    "the Russian FM", which names nobody by itself); ``resolves_to`` is the key whose entity the
    mention belongs to: its own, a full name written earlier ("Merkel" after "Angela Merkel"), or the
    name a role reference recalls. ``country`` is the country a capital stands for here.
    """

    mention: Mention
    key: str | None
    label: str
    resolves_to: str
    country: str | None = None


@dataclass(frozen=True)
class ArticleNames:
    article: str
    uses: tuple[NameUse, ...]
    aliases: tuple[tuple[str, str], ...]  # bracketed aliases: "Jabhat Fatah al-Sham (JFS)"
    words: frozenset[str]  # lower-case words of the body: a name word written in lower case is common
    # An acronym and a name with those initials written in one article: "the WHO" where the
    # World Health Organization is named, never the Woods Hole Oceanographic Institution.
    acronyms: tuple[tuple[str, str], ...] = ()



@dataclass
class NameCounts:
    """What the corpus has counted of one name: how its mentions were tagged and written."""

    key: str
    labels: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    # Where each form was first seen (corpus order): of two equally frequent forms the earlier wins.
    first: dict[str, int] = field(default_factory=dict)
    # How widely the name is written: the outlets and the articles that write it. One outlet's
    # habit repeated a hundred times attests a spelling less than ten outlets writing it once.
    # Not sums like the counts above: the store reads them from its name uses, so a retracted
    # article stops counting without bookkeeping.
    outlets: int = 0
    articles: int = 0

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.key.split())

    @property
    def count(self) -> int:
        return sum(self.labels.values())

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
    centrality: float  # mean similarity of its text to the story's other units, and to its headlines


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
class StorylineOverview:
    """A storyline at a glance: its span, its stories, how many articles and which outlets, and
    the people and organisations most of its articles name (``actors``)."""

    id: str
    title: str | None
    first: str | None
    last: str | None
    stories: tuple[str, ...]
    articles: int
    outlets: tuple[str, ...]
    actors: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """One development of a story: its date, a sentence telling it, and every article dating it there."""

    date: str
    text: str
    articles: tuple[str, ...]
    story: str | None
    source: tuple[str, int, int]  # the article and character span the text was taken from


@dataclass(frozen=True)
class RankedEntry:
    """One dated development of a storyline: its day, the sentence telling it (the one the others
    dated to that day agree with most), the articles and outlets dating something to it, and its
    importance (``score``; ``rank`` 1 is the most important of the storyline)."""

    date: str
    text: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    source: tuple[str, int, int]
    score: float
    rank: int


@dataclass(frozen=True)
class StorylineTimeline:
    """A storyline's developments in date order, each ranked; ``shown`` is how many of the best
    ranked a reader is shown unless asked for another number."""

    storyline: str
    entries: tuple[RankedEntry, ...]
    shown: int

    def top(self, k: int | None = None) -> tuple[RankedEntry, ...]:
        """The ``k`` (default ``shown``) best ranked entries, in date order."""
        k = self.shown if k is None else k
        return tuple(e for e in self.entries if e.rank <= k)


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
    storyline_timelines: tuple[StorylineTimeline, ...] = ()


# Stories index words and entities in one feature column, entities marked by ``ENTITY_PREFIX``; an
# article's recalled days of the year (``Profile.recalls``) are features marked by ``RECALL_PREFIX``.
ENTITY_PREFIX = "@"
RECALL_PREFIX = "#"
# A story keeps the heaviest features of its members' sum (``StoryState.trimmed``).
STORY_FEATURES = 240


@dataclass(frozen=True)
class Profile:
    """What an article is about: unit-length word and entity vectors, and its day (a proleptic
    ordinal, or None when undated)."""

    article: str
    day: int | None
    words: Mapping[str, float]
    entities: Mapping[str, float]
    # Days of the year (month, day) an undated article names without a year ("on September 19"):
    # news names recent days, so a story whose dates make them recent fits it better.
    recalls: tuple[tuple[int, int], ...] = ()


@dataclass
class StoryState:
    """A story as placement sees it: its members' summed vectors, the days they span, its size."""

    id: str
    storyline: str
    created: int
    words: dict[str, float] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    first: int | None = None
    last: int | None = None
    size: int = 0
    undated: int = 0  # members placed by content alone, which may move when a better story appears
    day_sum: int = 0  # of the dated members' days: their mean is when the story happens
    # The vectors' squared lengths, kept up to date as members come and go: a batch compares each
    # story many times, and adds members to a big story one at a time.
    _squares: tuple[float, float] | None = field(default=None, init=False, repr=False, compare=False)

    def norms(self) -> tuple[float, float]:
        if self._squares is None:
            self._squares = (_squared(self.words), _squared(self.entities))
        return (math.sqrt(max(self._squares[0], 0.0)), math.sqrt(max(self._squares[1], 0.0)))

    @property
    def center(self) -> int | None:
        dated = self.size - self.undated
        return round(self.day_sum / dated) if dated > 0 else None

    def add(self, profile: Profile) -> None:
        self._grow(profile.words, profile.entities, 1.0)
        self._widen(profile.day, profile.day)
        self.size += 1
        self.undated += profile.day is None
        self.day_sum += profile.day or 0

    def remove(self, profile: Profile) -> None:
        """Take an undated member out (its days never widened the span, so the span stays)."""
        self._grow(profile.words, profile.entities, -1.0)
        self.words = {f: w for f, w in self.words.items() if w > 1e-9}
        self.entities = {f: w for f, w in self.entities.items() if w > 1e-9}
        self.size -= 1
        self.undated -= profile.day is None

    def absorb(self, other: StoryState) -> None:
        self._grow(other.words, other.entities, 1.0)
        self._widen(other.first, other.last)
        self.size += other.size
        self.undated += other.undated
        self.day_sum += other.day_sum

    def _grow(self, words: Mapping[str, float], entities: Mapping[str, float], sign: float) -> None:
        on_words = _accumulate(self.words, words, sign)
        on_entities = _accumulate(self.entities, entities, sign)
        if self._squares is not None:
            self._squares = (self._squares[0] + on_words, self._squares[1] + on_entities)

    def trimmed(self) -> StoryState:
        """The story with only its heaviest features, as the store keeps it."""
        words = heaviest(self.words, STORY_FEATURES)
        entities = heaviest(self.entities, STORY_FEATURES // 4)
        return dataclasses.replace(self, words=words, entities=entities)

    def _widen(self, first: int | None, last: int | None) -> None:
        if first is not None:
            self.first = first if self.first is None else min(self.first, first)
        if last is not None:
            self.last = last if self.last is None else max(self.last, last)


def _squared(vector: Mapping[str, float]) -> float:
    return sum(w * w for w in vector.values())


def _accumulate(total: dict[str, float], part: Mapping[str, float], sign: float) -> float:
    """Adds ``sign`` times ``part`` to ``total``; returns what that did to its squared length."""
    change = 0.0
    for f, w in part.items():
        old = total.get(f, 0.0)
        new = old + sign * w
        total[f] = new
        change += new * new - old * old
    return change


def heaviest(weights: Mapping[str, float], keep: int) -> dict[str, float]:
    return dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:keep])


def to_json(record: Any) -> Any:
    """A record as plain JSON values, fields by name in their declared order; ``from_json`` reads it back."""
    return dataclasses.asdict(record)


def from_json(kind: type[R], data: dict[str, Any]) -> R:
    """The record of type ``kind`` that ``to_json`` wrote as ``data``; a field ``data`` lacks keeps its
    default, so JSON written before a field was added still reads."""
    hints = _field_types(kind)
    return kind(
        **{
            f.name: _from_json_value(hints[f.name], data[f.name])
            for f in dataclasses.fields(kind)
            if f.name in data
        }
    )


# Reading a store converts records by the thousand; resolving their annotations each time would cost
# more than the reading.
@cache
def _field_types(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)


def _from_json_value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return _from_json_value(next(a for a in args if a is not type(None)), value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_json_value(args[0], v) for v in value)
        return tuple(_from_json_value(a, v) for a, v in zip(args, value, strict=True))
    if dataclasses.is_dataclass(hint):
        return from_json(hint, value)
    return value
