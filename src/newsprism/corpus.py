"""Corpus-level resolution over article-level results: dates for undated articles, dates of
relative expressions in them, canonical entities, speakers linked to entities, shared quotes.

Cheap by construction (no spaCy here), so it reruns over the whole export set on every run.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from newsprism.annotate import anchor_of
from newsprism.entities import Resolution, resolve_entities
from newsprism.metadata import date_from_neighbours
from newsprism.quotes import group_quotes
from newsprism.records import Annotations, Article, Corpus, Entity, Quote, Speaker
from newsprism.times import extract_times

DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)


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
    entity = _speaker_entity(quote.article, quote.speaker, resolution)
    if entity is None:
        return quote
    speaker = dataclasses.replace(quote.speaker, entity=entity.id, name=entity.name)
    return dataclasses.replace(quote, speaker=speaker)


def _speaker_entity(article: str, speaker: Speaker, resolution: Resolution) -> Entity | None:
    """The entity a speaker phrase names: its resolved name, else the person inside the phrase
    ("State Department spokesman Mark Toner"), else a mention that is the whole phrase ("the
    Defence Ministry"). A mention that only modifies the phrase ("a German foreign ministry
    source") is not the speaker."""
    if speaker.name and (entity := resolution.entity_named(speaker.name)):
        return entity
    if speaker.start is None or speaker.end is None:
        return None
    inside = resolution.entities_within(article, speaker.start, speaker.end)
    people = [entity for _, entity in inside if entity.type == "PERSON"]
    if people:
        return people[-1]
    bare = DETERMINER.sub("", speaker.text or "")
    return next((entity for mention, entity in inside if mention.text == bare), None)
