"""Reuse: the same copy carried by two articles, whole (syndicated wire copy, a lightly edited
reprint) or in passages (a paragraph, a sentence lifted from another report), and who had it first.

Text is compared as overlapping runs of ``SHINGLE_WORDS`` normalised words. The store indexes a
fixed sample of each article's shingles (those whose hash is 0 modulo ``SAMPLE``, the same choice in
every article, as in Broder's sampling), so candidates come from a lookup, never from all pairs;
a candidate pair is then compared on all its shingles here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import overload

import numpy as np

from newsprism.records import Article, Quote, ReuseLink
from newsprism.text import CONTRACTED_WORD, contracted_words

SHINGLE_WORDS = 8
SAMPLE = 4
# Two articles sharing this share of the shorter one's shingles carry the same copy.
DUPLICATE = 0.8
# A passage is at least this many words carried over word for word.
MIN_PASSAGE_WORDS = 14
# Candidates share this many sampled shingles; a sampled shingle held by more articles than
# ``COMMON_POSTINGS`` is boilerplate (a newsletter footer, a standard disclaimer), not reuse.
MIN_SHARED_SAMPLES = 2
COMMON_POSTINGS = 50
# An article is compared word for word with at most this many candidates, those sharing most first.
MAX_SHARING = 20

_HASH_BASE = np.uint64(1_000_003)


@dataclass(frozen=True, slots=True)
class Shingle:
    hash: int
    start: int  # character offsets of the shingle's words in the article body
    end: int


class Shingles(Sequence[Shingle]):
    """An article's shingles in body order, held as arrays: an article is compared with twenty
    candidates, each of them a thousand shingles long."""

    def __init__(self, hashes: np.ndarray, starts: np.ndarray, ends: np.ndarray):
        self.hashes, self.starts, self.ends = hashes, starts, ends

    def __len__(self) -> int:
        return len(self.hashes)

    @cached_property
    def distinct(self) -> np.ndarray:
        """The hashes sorted, each once: a stored article that many new ones are compared with (a
        giant page is the candidate of every article it repeats) is sorted once, not per pair."""
        return np.unique(self.hashes)

    def held_in(self, other: Shingles) -> np.ndarray:
        """Which of these shingles ``other`` also holds, looked up in its sorted hashes."""
        if not len(other.distinct):
            return np.zeros(len(self.hashes), dtype=bool)
        found = np.searchsorted(other.distinct, self.hashes).clip(max=len(other.distinct) - 1)
        return other.distinct[found] == self.hashes

    @overload
    def __getitem__(self, i: int) -> Shingle: ...

    @overload
    def __getitem__(self, i: slice) -> list[Shingle]: ...

    def __getitem__(self, i: int | slice) -> Shingle | list[Shingle]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return Shingle(int(self.hashes[i]), int(self.starts[i]), int(self.ends[i]))


def shingles(body: str) -> Shingles:
    """Every run of ``SHINGLE_WORDS`` words, hashed, with its span in the body."""
    # The words are read once into flat arrays, never as a list of matches and of runs: on a page
    # of 800,000 words those lists alone took over 150 MB.
    codes, starts, ends = array("Q"), array("q"), array("q")
    for m in CONTRACTED_WORD.finditer(body):
        codes.append(_word_hash(m.group()))
        starts.append(m.start())
        ends.append(m.end())
    count = max(0, len(codes) - SHINGLE_WORDS + 1)
    words = np.frombuffer(codes, dtype=np.uint64) if codes else np.zeros(0, dtype=np.uint64)
    # A polynomial hash of the words' codes, wrapping at 64 bits: the same words hash alike in
    # every process, and the value fits the store's BIGINT.
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(SHINGLE_WORDS):
        hashes = hashes * _HASH_BASE + words[k : k + count]
    first = np.array(starts[:count], dtype=np.int64)
    last = np.array(ends[SHINGLE_WORDS - 1 :], dtype=np.int64)[:count]
    return Shingles(hashes.view(np.int64), first, last)


def sampled(found: Shingles) -> set[int]:
    """The shingles an article is indexed under."""
    return {int(h) for h in found.hashes[found.hashes % SAMPLE == 0]}


def compare(a: Article, b: Article) -> ReuseLink | None:
    """The reuse between two articles, or None when they share no passage of ``MIN_PASSAGE_WORDS``.
    ``a``'s passages are quoted; the link points from the likely origin to the article that reused it."""
    return compare_shingled(a, shingles(a.body), b, shingles(b.body))


def compare_shingled(a: Article, mine: Shingles, b: Article, theirs: Shingles) -> ReuseLink | None:
    """``compare`` of two articles whose shingles are at hand."""
    if not len(mine) or not len(theirs):
        return None
    held = mine.held_in(theirs)
    passages = [
        a.body[start:end]
        for start, end in _shared_spans(mine, held)
        if len(contracted_words(a.body[start:end])) >= MIN_PASSAGE_WORDS
    ]
    if not passages:
        return None
    shared = int(held.sum())
    kind = "duplicate" if shared >= DUPLICATE * min(len(mine), len(theirs.distinct)) else "passage"
    if kind == "passage" and a.outlet and a.outlet == b.outlet:
        # One outlet's pages share its furniture (a newsletter plug, a standard background
        # paragraph): that is not one report reusing another. Its reprints still count.
        return None
    origin, evidence = origin_of(a, b)
    source, target = (b, a) if origin == b.id else (a, b)
    return ReuseLink(source.id, target.id, kind, tuple(passages), origin, evidence)


def quote_links(articles: Mapping[str, Article], quotes: Iterable[Quote]) -> tuple[ReuseLink, ...]:
    """Articles carrying the same quote (one quote group): each carrier is linked to the group's
    first (the earliest published, then the first stored), not to every other carrier, so a quote
    fifty outlets ran makes forty-nine links. The passages are the quotes a pair shares; the origin is
    the outlet a quote is credited to ("cited by Reuters") in either article, else what
    ``origin_of`` finds."""
    by_group: dict[str, dict[str, list[Quote]]] = defaultdict(lambda: defaultdict(list))
    for q in quotes:
        if q.group and q.article in articles:
            by_group[q.group][q.article].append(q)
    shared: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    order = {a: i for i, a in enumerate(articles)}
    for carriers in by_group.values():
        first, *others = sorted(carriers, key=lambda a: (articles[a].published or "9999", order[a]))
        for other in others:
            pair = (first, other)
            shared[pair] += carriers[first] + carriers[other]
    links = []
    for (a_id, b_id), carried in sorted(shared.items()):
        a, b = articles[a_id], articles[b_id]
        origin, evidence = _quote_origin(a, b, carried)
        source, target = (b, a) if origin == b.id else (a, b)
        texts = tuple(dict.fromkeys(q.text for q in carried if q.article == a_id))
        links.append(ReuseLink(source.id, target.id, "quote", texts, origin, evidence))
    return tuple(links)


def _quote_origin(a: Article, b: Article, carried: Sequence[Quote]) -> tuple[str | None, str]:
    for reuser, source in ((a, b), (b, a)):
        for q in carried:
            if q.article == reuser.id and q.via and source.outlet and q.via.lower() == source.outlet.lower():
                return source.id, f"{reuser.outlet or reuser.id} has the quote via {q.via}"
    return origin_of(a, b)


def _shared_spans(mine: Shingles, held: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive shared shingles (``held`` marks them), as character spans of the
    article they were cut from."""
    spans: list[tuple[int, int]] = []
    for i in np.flatnonzero(held).tolist():
        start, end = int(mine.starts[i]), int(mine.ends[i])
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def origin_of(a: Article, b: Article) -> tuple[str | None, str]:
    """Which of two articles carrying the same text had it first, and why we think so: the outlet
    one of them credits ("(Reuters) -", "told Reuters", "Reuters contributed to this report"),
    else the earlier publication date; None when neither tells."""
    for reuser, source in ((a, b), (b, a)):
        credit = credited(reuser, source.outlet)
        if credit:
            return source.id, f"{reuser.outlet or reuser.id} credits {source.outlet}: {credit!r}"
    if (
        a.published
        and b.published
        and len(a.published) == len(b.published) == 10
        and a.published != b.published
    ):
        first, second = (a, b) if a.published < b.published else (b, a)
        return first.id, f"published {first.published}, before {second.published}"
    return None, "no credit in either text, and no date tells which came first"


def credited(article: Article, outlet: str | None) -> str | None:
    """The phrase of ``article`` (body, or what cleaning removed) that credits ``outlet``."""
    if not outlet or outlet == article.outlet:
        return None
    texts = (article.body, *(r.text for r in article.removed))
    # Most articles never name the other outlet: a plain search rules them out before the pattern.
    if not any(outlet.lower() in text.lower() for text in texts):
        return None
    name = re.escape(outlet)
    pattern = re.compile(
        rf"(?:\(\s*{name}\s*\)|\b(?:according to|cited by|quoted by|told|reported by|via|courtesy of|"
        rf"as saying by|(?:news )?agency)\s+(?:the\s+)?{name}\b|\b{name}\s+(?:contributed|reported|"
        rf"said|news agency|reports)\b|^\s*{name}\s*[-–—:])",
        re.I | re.M,
    )
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group().strip()
    return None


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    text = unicodedata.normalize("NFKC", word).lower()
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
