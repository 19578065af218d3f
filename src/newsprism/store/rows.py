"""What store queries return besides records: named rows. They are tuples, so code that unpacks
them by position keeps working, while new code reads them by name."""

from __future__ import annotations

import datetime as dt
from typing import Generic, NamedTuple, TypeVar

from newsprism.records import RawDoc, StoryState

T = TypeVar("T")


class NameUseRow(NamedTuple):
    """One mention's name: ``key`` it counts for (None for a role reference), ``resolves_to`` the key
    whose entity it belongs to, ``country`` the country a capital stands for."""

    article: str
    start: int
    end: int
    key: str | None
    label: str
    resolves_to: str
    country: str | None


class NameView(NamedTuple):
    label: str
    entity: str | None


class NameLink(NamedTuple):
    """Two names an article ties: ``kind`` "alias" (a bracketed alias) or "acronym"."""

    a: str
    b: str
    kind: str


class EntityRow(NamedTuple):
    type: str
    name: str
    created: int


class EntitySummary(NamedTuple):
    id: str
    name: str
    type: str
    mentions: int


class ShingleHolder(NamedTuple):
    """A quote holding a shingle, and how many shingles the quote has in all."""

    quote: str
    article: str
    shingles: int


class CopyLink(NamedTuple):
    source: str
    target: str
    kind: str


class Cluster(NamedTuple):
    """A story or storyline, and its representative article."""

    state: StoryState
    representative: str | None


class Placement(NamedTuple):
    story: str
    storyline: str


class QuoteHit(NamedTuple):
    quote: str
    article: str


class Page(NamedTuple, Generic[T]):
    """One page of a listing, and how many items the whole listing holds."""

    items: list[T]
    total: int


class KeyGroup(NamedTuple):
    """The stored articles one pair of stage keys made (``annotate_key`` None: annotation failed)."""

    clean_key: str
    annotate_key: str | None
    articles: int


class StoredInput(NamedTuple):
    """A stored article with the input it was made from and the day its run took for today."""

    article: str
    doc: RawDoc
    reference_date: dt.date
