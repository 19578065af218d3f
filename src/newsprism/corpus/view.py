"""Reading the corpus back: the resolved view of any selection of stored articles (dates, entities,
quotes with their speakers' entities and groups, stories compared, timeline), one story's view, and
a whole set of articles resolved on its own (``resolve``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from newsprism.corpus.digests import summarized
from newsprism.corpus.resolution import Resolution, build_resolution
from newsprism.corpus.reuse import quote_links
from newsprism.corpus.stories import headline, pair_similarity
from newsprism.corpus.timeline import DatedSentences, gather, storyline_timelines, timeline_of
from newsprism.corpus.update import update
from newsprism.records import (
    Annotations,
    Article,
    CorpusView,
    Entity,
    NameUse,
    Quote,
    Speaker,
    Story,
    StoryDigest,
    Storyline,
    StorylineOverview,
    StorylineTimeline,
)
from newsprism.store import Store, open_store
from newsprism.store.rows import EntityRow, NameUseRow, NameView

# A storyline's actors: the people and organisations most of its articles name, this many.
ACTORS = ("PERSON", "ORG")
TOP_ACTORS = 5
DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)


def view(store: Store, ids: Sequence[str], *, compared: bool = True, ranked: bool = True) -> CorpusView:
    """The resolved corpus of these articles: their dates (borrowed where they have none), entities
    with the mentions in these articles, relations, and quotes with speaker entities and groups;
    their stories compared (facts, disputes, summary, framing), unless ``compared`` is False (a
    list of search results needs none of that), and their storylines' ranked timelines, unless
    ``ranked`` is False (a story's page: its articles tell a storyline in part)."""
    ids = list(ids)
    read = _together(
        store,
        articles=lambda s: dated_articles(s, ids),
        annotations=lambda s: s.annotations(ids),
        groups=lambda s: s.shared_quote_groups(ids),
        names=lambda s: _name_rows(s, ids),
        stories=lambda s: _stories_digested(s, ids, compared),
        reuse=lambda s: s.reuse_of(ids),
    )
    articles = read["articles"]
    annotations, groups = read["annotations"], read["groups"]
    resolution = _resolution(annotations, *read["names"])
    (stories, storylines), stored = read["stories"]
    quotes = [q for a in articles if a.id in annotations for q in annotations[a.id].quotes]
    bodies = {a.id: a.body for a in articles if a.id in annotations}
    linked = tuple(
        dataclasses.replace(link_speaker(q, resolution, bodies[q.article]), group=groups.get(q.id))
        for q in quotes
    )
    by_id = {a.id: a for a in articles}
    story_of = {a: s.id for s in stories for a in s.articles}
    dated = gather(articles, {a: n.times for a, n in annotations.items()}, story_of)
    if compared:
        stories = tuple(
            summarized(s, [by_id[a] for a in s.articles], linked, stored.get(s.id)) for s in stories
        )
    return CorpusView(
        articles=tuple(articles),
        annotations={a.id: annotations.get(a.id) or Annotations(a.id) for a in articles},
        entities=resolution.entities,
        relations=resolution.relations,
        quotes=linked,
        stories=stories,
        storylines=storylines,
        reuse=tuple(read["reuse"]) + quote_links(by_id, linked),
        timeline=tuple(timeline_of(dated)),
        storyline_timelines=tuple(
            ranked_timelines(
                dated, stories, {a.id: a.published for a in articles}, {a.id: a.outlet for a in articles}
            )
            if ranked
            else ()
        ),
    )


def ranked_timelines(
    dated: DatedSentences,
    stories: Iterable[Story],
    published: Mapping[str, str | None],
    outlets: Mapping[str, str | None],
) -> list[StorylineTimeline]:
    """The ranked timeline of each storyline of these stories, from their dated sentences
    (``timeline.gather``) and their articles' publication days and outlets."""
    members: dict[str, list[str]] = defaultdict(list)
    storyline_of = {}
    for story in stories:
        storyline_of[story.id] = story.storyline
        members[story.storyline] += story.articles
    return storyline_timelines(dated, storyline_of, members, published, outlets)


# A view is two dozen small scans in six independent chains; DuckDB runs a query without holding
# the GIL, so the chains overlap (a story page over 10k articles: about half the time).
_READERS = ThreadPoolExecutor(max_workers=6, thread_name_prefix="newsprism-view")


def _together(store: Store, **chains: Callable[[Store], Any]) -> dict[str, Any]:
    """Each chain of reads on its own cursor of the store, in parallel; in this thread, one after the
    other, inside a transaction (whose uncommitted writes only its own connection sees)."""
    cursors = [store.cursor() for _ in chains]
    if None in cursors:
        return {name: chain(store) for name, chain in chains.items()}
    try:
        running = {
            name: _READERS.submit(chain, cursor)
            for (name, chain), cursor in zip(chains.items(), cursors, strict=True)
        }
        return {name: future.result() for name, future in running.items()}
    finally:
        for cursor in cursors:
            if cursor is not None:
                cursor.close()


def dated_articles(store: Store, ids: Sequence[str]) -> list[Article]:
    """The stored articles among ``ids`` with their input path, dated by their story if undated."""
    sources = store.sources_of(ids)
    borrowed = store.borrowed_dates(ids)
    articles = []
    for article in store.articles(ids):
        if article.id in sources:
            article = dataclasses.replace(article, source=sources[article.id])
        if not article.published and article.id in borrowed:
            evidence = borrowed[article.id]
            article = dataclasses.replace(article, published=evidence.value, published_evidence=evidence)
        articles.append(article)
    return articles


def _stories_digested(
    store: Store, ids: Sequence[str], compared: bool
) -> tuple[tuple[tuple[Story, ...], tuple[Storyline, ...]], dict[str, StoryDigest]]:
    found = stories_of(store, ids)
    return found, store.story_digests(s.id for s in found[0]) if compared else {}


def story_view(store: Store, story_id: str) -> tuple[Story, CorpusView] | None:
    """One story, whatever id it was known by (merged ids resolve), with the view of its articles."""
    story_id = _live_id(store, story_id)
    members = store.story_members([story_id]).get(story_id)
    if not members:
        return None
    found = view(store, members, ranked=False)
    story = next(s for s in found.stories if s.id == story_id)
    return story, dataclasses.replace(found, timeline=tuple(t for t in found.timeline if t.story == story_id))


def storyline_view(store: Store, storyline_id: str) -> tuple[StorylineTimeline, CorpusView] | None:
    """One storyline's ranked timeline, whatever id it was known by, with the view of its articles."""
    storyline_id = _live_id(store, storyline_id)
    stories = store.storyline_stories([storyline_id]).get(storyline_id)
    if not stories:
        return None
    members = sorted({a for found in store.story_members(stories).values() for a in found})
    found = view(store, members, compared=False)
    timeline = next((t for t in found.storyline_timelines if t.storyline == storyline_id), None)
    return (timeline or StorylineTimeline(storyline_id, (), 0)), found


def storyline_overviews(store: Store, ids: Sequence[str]) -> list[StorylineOverview]:
    """The storylines of these articles, in time order, each at a glance."""
    stories, storylines = stories_of(store, ids)
    by_id = {s.id: s for s in stories}
    uses = store.name_uses(sorted({a for s in stories for a in s.articles}))
    entity_of = store.entity_of_names({u.resolves_to for u in uses})
    rows = store.entity_rows({e for e in entity_of.values() if e})
    named: dict[str, set[str]] = defaultdict(set)
    for use in uses:
        if (entity := entity_of.get(use.resolves_to)) in rows and rows[entity].type in ACTORS:
            named[use.article].add(entity)
    overviews = []
    for line in storylines:
        mine = [by_id[s] for s in line.stories if s in by_id]
        articles = {a for s in mine for a in s.articles}
        counts = Counter(e for a in articles for e in named.get(a, ()))
        top = sorted(counts, key=lambda e: (-counts[e], rows[e].name))[:TOP_ACTORS]
        days = [d for s in mine for d in (s.first, s.last) if d]
        overviews.append(
            StorylineOverview(
                line.id,
                line.title,
                min(days, default=None),
                max(days, default=None),
                line.stories,
                len(articles),
                tuple(sorted({o for s in mine for o in s.outlets})),
                tuple(rows[e].name for e in top),
            )
        )
    return overviews


def _live_id(store: Store, cluster: str) -> str:
    """The id a story or storyline goes by now, after the merges that folded the one asked for."""
    seen = {cluster}
    while (merged := store.cluster_merges([cluster])) and merged[cluster] not in seen:
        cluster = merged[cluster]
        seen.add(cluster)
    return cluster


def stories_of(
    store: Store, ids: Iterable[str], loaded: Mapping[str, Article] | None = None
) -> tuple[tuple[Story, ...], tuple[Storyline, ...]]:
    """The stories of these articles (with their members among them) and the storylines those
    stories belong to, each in time order; ``loaded`` articles are not read again for titles."""
    selected = set(ids)
    story_of = store.story_of(selected)
    clusters = store.clusters(set(story_of.values()), features=False)
    lines = store.clusters({state.storyline for state, _ in clusters.values()}, features=False)
    members = store.story_members(clusters)
    representatives = {rep for _, rep in (*clusters.values(), *lines.values()) if rep}
    loaded = loaded or {}
    missing = sorted(r for r in representatives if r not in loaded)
    shown = [*store.articles(missing), *(loaded[r] for r in representatives if r in loaded)]
    titles = {a.id: headline(a) for a in shown}
    outlets = store.outlets_of(selected)
    by_time = sorted(clusters.values(), key=lambda c: (c[0].first or 0, c[0].created, c[0].id))
    stories = []
    for state, rep in by_time:
        mine = tuple(a for a in members.get(state.id, ()) if a in selected)
        found = tuple(sorted({outlets[a] for a in mine if outlets.get(a)}))
        stories.append(
            Story(
                state.id, titles.get(rep), mine, state.storyline, _date(state.first), _date(state.last), found
            )
        )
    in_line = store.storyline_stories(lines)
    storylines = tuple(
        Storyline(state.id, titles.get(rep), tuple(s for s in in_line.get(state.id, ()) if s in clusters))
        for state, rep in sorted(lines.values(), key=lambda c: (c[0].first or 0, c[0].created, c[0].id))
    )
    return tuple(stories), storylines


def article_similarity(store: Store, a: str, b: str) -> float:
    """How much two stored articles read as one story (``stories.pair_similarity``)."""
    profiles = store.profiles([a, b])
    if a not in profiles or b not in profiles:
        return 0.0
    return pair_similarity(profiles[a], profiles[b])


def _date(day: int | None) -> str | None:
    return dt.date.fromordinal(day).isoformat() if day is not None else None


NameRows = tuple[list[NameUseRow], dict[str, NameView], dict[str, EntityRow], dict[str, str]]


def _name_rows(store: Store, ids: Sequence[str]) -> NameRows:
    """What the corpus resolved the articles' names to: each mention's name use, the names' labels
    and entities, those entities, and the entities of the countries named."""
    uses = store.name_uses(sorted(ids))
    return uses, *names_known(store, *name_keys(uses))


def name_keys(uses: Iterable[NameUseRow]) -> tuple[set[str], set[str]]:
    """The names these uses count for or resolve to, and the countries they stand for."""
    keys: set[str] = set()
    countries: set[str] = set()
    for u in uses:
        keys.update((u.resolves_to, u.key) if u.key else (u.resolves_to,))
        if u.country:
            countries.add(u.country)
    return keys, countries


def names_known(
    store: Store, keys: Iterable[str], countries: Iterable[str]
) -> tuple[dict[str, NameView], dict[str, EntityRow], dict[str, str]]:
    """The labels and entities of these names, those entities, and the entities of these countries."""
    names = store.names_view(keys)
    entities = {name.entity for name in names.values() if name.entity}
    return names, store.entity_rows(entities), store.entities_named("GPE", countries)


def _resolution(
    annotations: dict[str, Annotations],
    uses: list[NameUseRow],
    names: dict[str, NameView],
    described: dict[str, EntityRow],
    countries: dict[str, str],
) -> Resolution:
    return resolved(named_mentions(annotations, uses), names, described, countries)


def named_mentions(annotations: Mapping[str, Annotations], uses: Iterable[NameUseRow]) -> list[NameUse]:
    """The mentions of these annotations that the corpus resolved a name for, with their name use."""
    mention_at = {(m.article, m.start, m.end): m for n in annotations.values() for m in n.mentions}
    return [
        NameUse(mention_at[(u.article, u.start, u.end)], u.key, u.label, u.resolves_to, u.country)
        for u in uses
        if (u.article, u.start, u.end) in mention_at
    ]


def resolved(
    found: Sequence[NameUse],
    names: dict[str, NameView],
    described: dict[str, EntityRow],
    countries: dict[str, str],
) -> Resolution:
    """Entities and relations of these name uses, given what the corpus holds of their names."""
    entity_of_key = {k: name.entity for k, name in names.items() if name.entity}
    return build_resolution(
        found,
        entity_of_key,
        {e: (row.type, row.name) for e, row in described.items()},
        {k: name.label for k, name in names.items()},
        countries,
    )


def link_speaker(quote: Quote, resolution: Resolution, body: str) -> Quote:
    """The quote with its speaker's entity; the speaker's name becomes the entity's when the article
    writes it, or names the speaker no other way ("Barack Obama" for "he", where the article
    names him "Barack Obama"; "Mr. Obama" stays "Obama" where it never does)."""
    entity = _speaker_entity(quote.article, quote.speaker, resolution)
    if entity is None:
        return quote
    name = entity.name if quote.speaker.name is None or entity.name in body else quote.speaker.name
    speaker = dataclasses.replace(quote.speaker, entity=entity.id, name=name)
    return dataclasses.replace(quote, speaker=speaker)


def _speaker_entity(article: str, speaker: Speaker, resolution: Resolution) -> Entity | None:
    """The entity a speaker phrase names: its resolved name, else the person inside the phrase
    ("State Department spokesman Mark Toner"), else a mention that is the whole phrase ("the
    Defence Ministry"), else the phrase itself as a name the article gives elsewhere ("BP" where
    the tagger missed it). A mention that only modifies the phrase ("a German foreign ministry
    source") is not the speaker; nor is a name the article never gives ("they" for "People")."""
    if speaker.name and (entity := resolution.entity_named(speaker.name, article)):
        return entity
    if speaker.start is None or speaker.end is None:
        return None
    inside = resolution.entities_within(article, speaker.start, speaker.end)
    people = [entity for _, entity in inside if entity.type == "PERSON"]
    if people:
        return people[-1]
    bare = DETERMINER.sub("", speaker.text or "")
    whole = next((entity for mention, entity in inside if mention.text == bare), None)
    if whole is None and bare[:1].isupper() and not inside:
        return resolution.entity_named(bare, article)
    return whole


def resolve(articles: Sequence[Article], annotations: dict[str, Annotations]) -> CorpusView:
    """Resolve a set of articles on their own, in a store held in memory: the same rules as a
    growing store, for a library user (and a test) with articles in hand."""
    with open_store(":memory:") as store, store.transaction():
        store.put_articles([(a, annotations.get(a.id)) for a in articles], {}, "", "", dt.date.today())
        update(store, articles, annotations)
        return view(store, [a.id for a in articles])
