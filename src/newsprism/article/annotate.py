"""The article-level understanding stage: one spaCy pass per article, then mentions, quotes, times.

A pure function of the articles it is given, so it runs unchanged in a local worker pool or on a
distributed engine; the store caches its results by the article's content-derived id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from newsprism.article.mentions import extract_mentions
from newsprism.article.nlp import load_nlp
from newsprism.article.quotes import extract_quotes
from newsprism.article.times import extract_times
from newsprism.records import Annotations, Article, TimeRef

# Bump when this stage's output changes for any article: newsprism/versions.py says why.
VERSION = 1  # the spaCy pass itself: model components, batching, failures

# nlp.pipe batches of this many articles keep memory flat on long articles at no cost in speed.
BATCH_SIZE = 32


def annotate(articles: Sequence[Article]) -> list[Annotations]:
    nlp = load_nlp()
    fits = [a for a in articles if len(a.body) <= nlp.max_length]
    docs = dict(zip((a.id for a in fits), nlp.pipe((a.body for a in fits), batch_size=BATCH_SIZE),
                    strict=True))
    return [_understand(a, docs[a.id]) if a.id in docs else
            Annotations(article=a.id, error=f"body of {len(a.body):,} characters is over the "
                                             f"{nlp.max_length:,} the language model takes")
            for a in articles]


def _understand(article: Article, doc: Doc) -> Annotations:
    try:
        mentions = extract_mentions(article, doc)
        return Annotations(
            article=article.id,
            mentions=mentions,
            quotes=extract_quotes(article, doc, mentions),
            times=extract_times(article.id, article.body, anchor_of(article)),
        )
    except Exception as exc:  # one article that trips a rule must not sink the batch
        return Annotations(article=article.id, error=f"{type(exc).__name__}: {exc}")


def times_dated(article: Article, published: str | None) -> tuple[TimeRef, ...]:
    """The article's date expressions read against a publication date found after annotation (an
    undated article takes its story's): what the corpus level stores in place of the first reading."""
    return extract_times(article.id, article.body, anchor_of(replace(article, published=published)))


def anchor_of(article: Article) -> dt.date | None:
    return dt.date.fromisoformat(article.published) if article.published else None
