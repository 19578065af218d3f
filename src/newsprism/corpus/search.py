"""Searching the store by words: the limits a query keeps to, the ranked article hits with the
paragraph each matches best, and the ranked quotes with their articles (what ``newsprism search``
prints)."""

from __future__ import annotations

import re
from typing import NamedTuple

from newsprism.records import Article, Quote
from newsprism.store import Store

# A query is capped in words and in length: without an index (a reader whose index is behind the
# store) each word is one more pass over every text searched, and one long word one long pattern.
MAX_QUERY_WORDS = 32
MAX_QUERY_CHARS = 500
SNIPPET_CHARS = 200


class Hit(NamedTuple):
    article: Article
    paragraph: int  # the paragraph holding most of the query's words, -1 for the title alone
    snippet: str


class QuoteFound(NamedTuple):
    quote: Quote
    article: Article


def query_refusal(text: str) -> str | None:
    """Why a search is not run, when it is too long to."""
    if len(text) > MAX_QUERY_CHARS:
        return f"a search is at most {MAX_QUERY_CHARS} characters; this one has {len(text)}"
    if (words := len(text.split())) > MAX_QUERY_WORDS:
        return f"a search is at most {MAX_QUERY_WORDS} words; this one has {words}"
    return None


def search(
    store: Store,
    text: str,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
) -> tuple[list[Hit], int]:
    """The best ``limit`` articles for ``text`` (words and quoted phrases), filtered like stories,
    each with its best paragraph; and how many articles match in all."""
    ids, total = store.search_articles(text, outlet=outlet, since=since, until=until, limit=limit)
    by_id = {a.id: a for a in store.articles(ids)}
    words = [w.lower() for w in re.findall(r"\w+", text)]
    return [_hit(by_id[i], words) for i in ids if i in by_id], total


def search_quotes(
    store: Store,
    text: str,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
) -> tuple[list[QuoteFound], int]:
    """The best ``limit`` quotes for ``text`` (their words and their speaker's), of articles
    filtered like stories, each with its article; and how many quotes match in all."""
    page = store.search_quotes(text, outlet=outlet, since=since, until=until, limit=limit)
    ids = sorted({hit.article for hit in page.items})
    by_id = {a.id: a for a in store.articles(ids)}
    said = {q.id: q for found in store.annotations(ids).values() for q in found.quotes}
    found = [
        QuoteFound(said[hit.quote], by_id[hit.article])
        for hit in page.items
        if hit.quote in said and hit.article in by_id
    ]
    return found, page.total


def _hit(article: Article, words: list[str]) -> Hit:
    """The paragraph sharing most words with the query (by their start: stems match inflections),
    cut around its first match."""

    def shared(paragraph: str) -> int:
        return sum(bool(re.search(rf"\b{re.escape(w[:5])}", paragraph, re.IGNORECASE)) for w in words)

    scores = [shared(p) for p in article.paragraphs]
    if not scores or max(scores) == 0:
        return Hit(article, -1, article.title[:SNIPPET_CHARS])
    best = scores.index(max(scores))
    paragraph = article.paragraphs[best]
    first = min(
        (m.start() for w in words if (m := re.search(rf"\b{re.escape(w[:5])}", paragraph, re.IGNORECASE))),
        default=0,
    )
    start = max(first - SNIPPET_CHARS // 4, 0)
    end = start + SNIPPET_CHARS
    snippet = ("…" if start else "") + paragraph[start:end] + ("…" if end < len(paragraph) else "")
    return Hit(article, best, snippet)
