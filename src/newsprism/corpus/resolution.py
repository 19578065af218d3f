"""The entities a selection of articles reads: the corpus's name resolution turned into entities
with their mentions and relations, and the lookups the quotes and the report need (by span, by name)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsprism.article.mentions import name_key
from newsprism.records import Entity, EntityRelation, Mention, NameUse


@dataclass(frozen=True)
class _ArticleSpans:
    """One article's mentions with their entities, sorted by start, and the entities it mentions:
    every lookup of a quote's speaker is a bisection, not a pass over the article's mentions, which
    on a transcript of tens of thousands of mentions and quotes was quadratic."""

    spans: list[tuple[int, int, Mention, Entity]]
    starts: list[int]
    longest: int
    entities: set[str]


@dataclass(frozen=True)
class Resolution:
    """Entities of a set of articles and the relations between them, with lookups by span and name."""

    entities: tuple[Entity, ...]
    relations: tuple[EntityRelation, ...] = ()
    _articles: dict[str, _ArticleSpans] = field(init=False, repr=False, compare=False)
    _names: dict[str, Entity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        spans: dict[str, list[tuple[int, int, Mention, Entity]]] = defaultdict(list)
        names: dict[str, Entity] = {}
        for entity in self.entities:
            for m in entity.mentions:
                spans[m.article].append((m.start, m.end, m, entity))
            names.setdefault(name_key(entity.name), entity)
        by_weight = sorted(self.entities, key=lambda e: -len(e.mentions))
        for entity in by_weight:
            for alias in entity.aliases:
                names.setdefault(name_key(alias), entity)
        articles = {}
        for article, found in spans.items():
            found.sort(key=lambda span: (span[0], span[1]))
            articles[article] = _ArticleSpans(found, [s for s, *_ in found], max(e - s for s, e, *_ in found),
                                              {entity.id for *_, entity in found})
        object.__setattr__(self, "_articles", articles)
        object.__setattr__(self, "_names", names)

    def _near(self, article: str, start: int, end: int) -> list[tuple[int, int, Mention, Entity]]:
        """The article's spans that may touch ``[start, end)``: those starting within reach of it."""
        found = self._articles.get(article)
        if found is None:
            return []
        lo = bisect_left(found.starts, start - found.longest)
        return found.spans[lo:bisect_right(found.starts, max(start, end))]

    def entity_at(self, article: str, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)`` of the article; the largest overlap wins."""
        best, best_score = None, None
        for s, e, _, entity in self._near(article, start, end):
            overlap = min(e, end) - max(s, start)
            if overlap > 0 or (start == end and s <= start < e):
                score = (overlap, -(e - s))
                if best_score is None or score > best_score:
                    best, best_score = entity, score
        return best

    def entities_within(self, article: str, start: int, end: int) -> list[tuple[Mention, Entity]]:
        """Mentions lying inside ``[start, end)`` of the article, in text order, with their entities."""
        near = self._near(article, start, end)
        found = [(m, entity) for s, e, m, entity in near if start <= s and e <= end]
        return sorted(found, key=lambda pair: pair[0].start)

    def entity_named(self, name: str, article: str | None = None) -> Entity | None:
        """The entity with this canonical name or alias (case, punctuation and "al-" ignored); with
        an ``article``, only one that article mentions."""
        found = self._names.get(name_key(name))
        if found is None or article is None:
            return found
        mentioned = self._articles.get(article)
        return found if mentioned is not None and found.id in mentioned.entities else None


def build_resolution(uses: Iterable[NameUse], entity_of_key: dict[str, str],
                     described: dict[str, tuple[str, str]], label_of_key: dict[str, str],
                     countries: dict[str, str]) -> Resolution:
    """Entities and relations of some articles, from their name uses, the entity and voted label of
    each name key, each entity's type and canonical name (``described``) and the entity of each
    country by name."""
    members: dict[str, list[NameUse]] = defaultdict(list)
    uses = list(uses)
    for use in uses:
        if use.resolves_to in entity_of_key:
            members[entity_of_key[use.resolves_to]].append(use)
    built = []
    for eid, found in members.items():
        kind, name = described[eid]
        mentions = sorted({u.mention for u in found}, key=lambda m: (m.article, m.start, m.end))
        aliases = tuple(sorted({u.mention.text for u in found if u.key is not None} - {name}))
        built.append(Entity(eid, name, kind, aliases, tuple(mentions)))
    built.sort(key=lambda e: (e.name, e.id))
    relations = [EntityRelation(u.mention, "stands_for", countries[u.country]) for u in uses
                 if u.country in countries and u.key is not None and label_of_key.get(u.key) == "GPE"
                 and entity_of_key.get(u.key) != countries[u.country]]
    return Resolution(tuple(built), tuple(relations))
