"""Corpus-level stages, incremental: what newly stored articles change in the corpus.

``update(store, articles, annotations)`` runs in the transaction that stored the articles. Each
stage looks its candidates up through indexes the store keeps (name blocks, quote shingles, passage
shingles, story features) and touches only what the new articles reach, so adding a batch costs
about the same whatever the store holds:

- entities (``entity_ids``): the new mentions' names join the corpus statistics, and the
  neighbourhood of those names is resolved again (``entities.resolve_names``). Entity ids are minted
  once; when two entities turn out to be one, the older id lives on and the merge is recorded;
- quote groups (``quote_groups``): the same quote carried by several articles, linked through shared
  word shingles;
- reuse: passages and whole copies carried by two articles, through a sample of word shingles;
- stories and storylines (``placement``): each new article joins the story it reports (``stories``),
  found through the stories' feature index near it in time; an undated article takes its story's date.

What is read back from the corpus is in ``view``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence

from newsprism.corpus.digests import refresh_digests
from newsprism.corpus.entity_ids import update_entities
from newsprism.corpus.placement import entity_counts, update_stories
from newsprism.corpus.quote_groups import update_quote_groups
from newsprism.corpus.reuse import (
    COMMON_POSTINGS,
    MAX_SHARING,
    MIN_SHARED_SAMPLES,
    compare_shingled,
    sampled,
    shingles,
)
from newsprism.corpus.stories import content_words, features
from newsprism.records import Annotations, Article, ReuseLink, mint_id
from newsprism.store import Store


def update(
    store: Store,
    articles: Sequence[Article],
    annotations: dict[str, Annotations],
    retracted_names: Iterable[str] = (),
) -> None:
    """Bring the corpus level up to date with articles just stored with their annotations, and
    with the names whose counts a retraction (``retract``) lowered."""
    annotated = [a for a in articles if a.id in annotations]
    update_entities(store, annotated, annotations, retracted_names)
    update_quote_groups(store, [q for a in annotated for q in annotations[a.id].quotes])
    update_stories(store, annotated, annotations, update_reuse(store, annotated))


def update_reuse(store: Store, articles: Sequence[Article]) -> list[ReuseLink]:
    """Index the new articles' sampled shingles and link each to the articles sharing passages
    with it."""
    mine = {a.id: shingles(a.body) for a in articles}
    indexed = {a: sampled(found) for a, found in mine.items()}
    store.put_passage_shingles(indexed)
    candidates = store.sharing_passages(
        indexed,
        max_postings=COMMON_POSTINGS,
        min_shared=MIN_SHARED_SAMPLES,
        limit=MAX_SHARING,
    )
    new = {a.id: a for a in articles}
    arrival = {a.id: i for i, a in enumerate(articles)}
    # Two new articles are compared once, from the one that arrived first.
    pairs = sorted(
        (a, b) for a, others in candidates.items() for b in others if b not in new or arrival[a] < arrival[b]
    )
    loaded = new | {a.id: a for a in store.articles(sorted({b for _, b in pairs} - set(new)))}
    # A stored article is the candidate of many new ones: its shingles are cut once.
    links = []
    for b, group in itertools.groupby(sorted(pairs, key=lambda pair: pair[1]), key=lambda pair: pair[1]):
        if b in loaded:
            theirs = mine[b] if b in mine else shingles(loaded[b].body)
            found = (compare_shingled(loaded[a], mine[a], loaded[b], theirs) for a, _ in group)
            links += [link for link in found if link]
    links.sort(key=lambda link: (link.source, link.target))
    store.put_reuse(links)
    return links


def retract(store: Store, ids: Sequence[str]) -> set[str]:
    """Take stored articles out of the corpus level before they are made again: their words leave
    the document frequencies, then the store drops their names, quotes, copy and story places.
    Returns the names whose counts fell, for ``update`` to resolve again."""
    profiled = sorted(store.story_of(ids))
    entities = entity_counts(store, profiled)
    leaving: Counter[str] = Counter()
    for a in store.articles(profiled):
        leaving.subtract(features(content_words(a.title, a.body), entities.get(a.id, {})))
    store.put_feature_counts(leaving)
    return store.retract(ids)


# -- rebuilding ---------------------------------------------------------------------------------


def rebuild(store: Store, chunk: int = 500) -> None:
    """Recompute the corpus level from the stored articles, in arrival order, chunk by chunk. Entity
    ids are minted from what they name and come back alike; stories take back their old ids."""
    placed, merged = store.story_assignments(), store.all_cluster_merges()
    with store.transaction("cannot rebuild the corpus"):
        store.clear_corpus()
    ids = store.annotated_ids()
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        with store.transaction("cannot rebuild the corpus"):
            articles = store.articles(part)
            update(store, articles, store.annotations(part))
    with store.transaction("cannot rebuild the corpus"):
        _keep_cluster_ids(store, placed, merged)
    refresh_digests(store)


def _fresh_id(cluster: str, taken: set[str]) -> str:
    """An id for a cluster whose own is taken: the first of its rebuilt ids that is free."""
    attempt, suffix = 1, "#rebuilt"
    while (fresh := mint_id(cluster[0], f"{cluster}{suffix}")) in taken:
        attempt += 1
        suffix = f"#rebuilt{attempt}"
    return fresh


def _keep_cluster_ids(store: Store, before: dict[str, tuple[str, str]], merged: dict[str, str]) -> None:
    """Each story (and storyline) placed again takes the old id most of its articles had, the
    largest overlaps first; an old id no cluster took resolves to the one holding most of its
    articles, and so do the ids merged away before."""
    after = store.story_assignments()
    renames: dict[str, str] = {}
    gone: dict[str, str] = {}
    for level in (0, 1):
        overlap = Counter((after[a][level], before[a][level]) for a in after if a in before)
        kept_new: set[str] = set()
        kept_old: set[str] = set()
        for (new, old), _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0][1], item[0][0])):
            if new not in kept_new and old not in kept_old:
                kept_new.add(new)
                kept_old.add(old)
                renames[new] = old
        for (new, old), _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0][1], item[0][0])):
            if old not in kept_old:
                gone.setdefault(old, new)
        # A cluster minted with an id some other cluster takes back keeps apart under a fresh one,
        # which no other cluster holds either (an earlier rebuild may have handed it out).
        targets = set(renames.values())
        unkept = sorted({pair[level] for pair in after.values()} - kept_new)
        taken = targets | set(unkept)
        for new in unkept:
            if new in targets:
                renames[new] = _fresh_id(new, taken)
                taken.add(renames[new])
    final = {new: renames.get(new, new) for pair in after.values() for new in pair}
    store.rename_clusters({new: old for new, old in renames.items() if new != old})
    # An old id that a cluster holds again names that cluster, not the one it was merged into.
    live = set(final.values())
    resolved = {old: final[new] for old, new in gone.items() if old not in live}
    for old, new in merged.items():
        if old in live:
            continue
        seen = {old}
        while new in merged and new not in live and new not in seen:
            seen.add(new)
            new = merged[new]
        resolved[old] = resolved.get(new, new)
    store.record_cluster_merges({old: new for old, new in resolved.items() if old != new})
