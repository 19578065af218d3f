"""The resolved view of a selection, read from the store a chunk of articles at a time: what the
export writes one record after the other, so that its memory follows the chunk, not the corpus.

``view`` reads a selection whole, which a page of the web app wants (a few queries, in parallel);
an export of the whole corpus would hold every article, annotation and its JSON at once. Here each
section is its own pass over the selection: articles, quotes and times are read, resolved and given
out chunk by chunk; stories a few at a time with their own articles. What only the whole selection
decides is kept, and it is small beside the text: the entities with their mentions (a mention is
four fields), the stories' membership, the dated sentences the timeline chooses from, the timeline
with each article's day and outlet (which rank it by storyline), and the quotes several articles
carry (for the reuse they show).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

from newsprism.corpus.digests import summarized
from newsprism.corpus.resolution import Resolution
from newsprism.corpus.reuse import quote_links
from newsprism.corpus.timeline import DatedSentences, gather, timeline_of
from newsprism.corpus.view import (
    dated_articles,
    link_speaker,
    name_keys,
    named_mentions,
    names_known,
    ranked_timelines,
    resolved,
    stories_of,
)
from newsprism.records import (
    Article,
    Entity,
    EntityRelation,
    Quote,
    ReuseLink,
    Story,
    Storyline,
    StorylineTimeline,
    TimelineEntry,
    TimeRef,
)
from newsprism.store import Store

# Articles read at once: a few megabytes of text and annotations, and few enough queries that the
# passes cost little more than one whole read.
CHUNK_ARTICLES = 200


class StreamedView:
    """The sections of ``view(store, ids)``, each an iterable read from ``store`` in chunks of
    ``chunk`` articles when it is iterated (once per section: each iteration reads again)."""

    def __init__(self, store: Store, ids: Sequence[str], chunk: int = CHUNK_ARTICLES):
        self.store = store
        self.ids = list(ids)
        self.chunk = chunk

    def _chunks(self, ids: Sequence[str] | None = None) -> Iterator[list[str]]:
        ids = self.ids if ids is None else ids
        for i in range(0, len(ids), self.chunk):
            yield list(ids[i : i + self.chunk])

    @property
    def articles(self) -> Iterator[Article]:
        for chunk in self._chunks():
            yield from dated_articles(self.store, chunk)

    @property
    def times(self) -> Iterator[TimeRef]:
        for chunk in self._chunks():
            annotations = self.store.annotations(chunk)
            for article in chunk:
                if article in annotations:
                    yield from annotations[article].times

    @cached_property
    def _resolution(self) -> Resolution:
        # Name uses in article order of the sorted ids, as ``view`` reads them: entities and their
        # mentions come out in the same order.
        found, keys, countries = [], set(), set()
        for chunk in self._chunks(sorted(self.ids)):
            uses = self.store.name_uses(chunk)
            found += named_mentions(self.store.annotations(chunk), uses)
            more_keys, more_countries = name_keys(uses)
            keys |= more_keys
            countries |= more_countries
        return resolved(found, *names_known(self.store, keys, countries))

    @property
    def entities(self) -> Sequence[Entity]:
        return self._resolution.entities

    @property
    def relations(self) -> Sequence[EntityRelation]:
        return self._resolution.relations

    @property
    def quotes(self) -> Iterator[Quote]:
        for chunk in self._chunks():
            yield from self._linked_quotes(chunk)

    def _linked_quotes(self, ids: Sequence[str]) -> list[Quote]:
        """The quotes of these articles, in their order, with their speakers' entities and groups."""
        annotations = self.store.annotations(ids)
        bodies = {a.id: a.body for a in self.store.articles([i for i in ids if i in annotations])}
        groups = self.store.shared_quote_groups(ids)
        return [
            dataclasses.replace(link_speaker(q, self._resolution, bodies[q.article]), group=groups.get(q.id))
            for article in ids
            if article in annotations and article in bodies
            for q in annotations[article].quotes
        ]

    @cached_property
    def _stories(self) -> tuple[tuple[Story, ...], tuple[Storyline, ...]]:
        return stories_of(self.store, self.ids)

    @property
    def stories(self) -> Iterator[Story]:
        """Each story compared, a few stories at a time with their articles and quotes."""
        stories = self._stories[0]
        batch: list[Story] = []
        for story in stories:
            batch.append(story)
            if sum(len(s.articles) for s in batch) >= self.chunk or story is stories[-1]:
                yield from self._compared(batch)
                batch = []

    def _compared(self, stories: Sequence[Story]) -> Iterator[Story]:
        ids = [a for s in stories for a in s.articles]
        by_id = {a.id: a for a in dated_articles(self.store, ids)}
        quotes = self._linked_quotes(ids)
        stored = self.store.story_digests(s.id for s in stories)
        for s in stories:
            yield summarized(s, [by_id[a] for a in s.articles], quotes, stored.get(s.id))

    @property
    def storylines(self) -> Sequence[Storyline]:
        return self._stories[1]

    @cached_property
    def _dated(self) -> tuple[DatedSentences, dict[str, str | None], dict[str, str | None]]:
        """The dated sentences timelines choose from, and each article's publication day and
        outlet, which rank them by storyline."""
        story_of = {a: s.id for s in self._stories[0] for a in s.articles}
        found: DatedSentences = defaultdict(list)
        published, outlets = {}, {}
        for chunk in self._chunks():
            annotations = self.store.annotations(chunk)
            articles = dated_articles(self.store, chunk)
            for article in articles:
                published[article.id], outlets[article.id] = article.published, article.outlet
            for key, sentences in gather(
                articles, {a: n.times for a, n in annotations.items()}, story_of
            ).items():
                found[key] += sentences
        return found, published, outlets

    @property
    def timeline(self) -> Sequence[TimelineEntry]:
        return timeline_of(self._dated[0])

    @property
    def storyline_timelines(self) -> Sequence[StorylineTimeline]:
        dated, published, outlets = self._dated
        return ranked_timelines(dated, self._stories[0], published, outlets)

    @property
    def reuse(self) -> Iterable[ReuseLink]:
        """The stored reuse, then the quotes several of the articles carry: those quotes and their
        articles are all ``quote_links`` needs, so only they are kept across the chunks."""
        carried = [q for chunk in self._chunks() for q in self._linked_quotes(chunk) if q.group]
        carriers = {q.article for q in carried}
        articles = dated_articles(self.store, [a for a in self.ids if a in carriers])
        return (*self.store.reuse_of(self.ids), *quote_links({a.id: a for a in articles}, carried))
