"""Corpus-level resolution over article-level results: dates for undated articles, dates of
relative expressions in them, canonical entities, speakers linked to entities, shared quotes.

Cheap by construction (no spaCy here), so it reruns over the whole export set on every run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from newsprism.annotate import anchor_of
from newsprism.entities import Resolution, resolve_entities
from newsprism.metadata import date_from_neighbours
from newsprism.quotes import group_quotes
from newsprism.records import Annotations, Article, Corpus, Quote
from newsprism.times import extract_times


def resolve_corpus(articles: Sequence[Article], annotations: dict[str, Annotations]) -> Corpus:
    articles, annotations = _date_undated(articles, annotations)
    mentions = [m for a in articles for m in annotations[a.id].mentions]
    resolution = resolve_entities(articles, mentions)
    quotes = [_link_speaker(q, resolution) for a in articles for q in annotations[a.id].quotes]
    return Corpus(
        articles=tuple(articles),
        annotations=annotations,
        entities=resolution.entities,
        relations=resolution.relations,
        quotes=group_quotes(quotes),
    )


def _date_undated(
    articles: Sequence[Article], annotations: dict[str, Annotations]
) -> tuple[list[Article], dict[str, Annotations]]:
    """An article with no date of its own borrows its closest dated neighbour's, recorded as such,
    and its relative date expressions are resolved again against it."""
    borrowed = date_from_neighbours(articles)
    if not borrowed:
        return list(articles), annotations
    annotations = dict(annotations)
    dated = []
    for article in articles:
        if article.id in borrowed:
            evidence = borrowed[article.id]
            article = dataclasses.replace(article, published=evidence.value, published_evidence=evidence)
            annotations[article.id] = dataclasses.replace(
                annotations[article.id], times=extract_times(article.id, article.body, anchor_of(article))
            )
        dated.append(article)
    return dated, annotations


def _link_speaker(quote: Quote, resolution: Resolution) -> Quote:
    speaker = quote.speaker
    entity = None
    if speaker.start is not None and speaker.end is not None:
        entity = resolution.entity_at(quote.article, speaker.start, speaker.end)
    if entity is None and speaker.name:
        entity = resolution.entity_named(speaker.name)
    if entity is None:
        return quote
    return dataclasses.replace(
        quote, speaker=dataclasses.replace(speaker, entity=entity.id, name=entity.name)
    )
