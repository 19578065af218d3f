"""Entities, incremental: the new mentions' names join the corpus statistics, and the neighbourhood
of those names is resolved again (``entities.resolve_names``). Entity ids are minted once; when two
entities turn out to be one, the older id lives on and the merge is recorded."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from newsprism.article.mentions import outlet_keys
from newsprism.corpus.entities import (
    NameStat,
    article_names,
    entity_id,
    name_blocks,
    name_probes,
    name_stats,
    resolve_names,
)
from newsprism.corpus.naming import describe
from newsprism.records import Annotations, Article
from newsprism.store import Store

# A block holding more names than this (a surname hundreds share, a word in hundreds of organisation
# names) decides nothing: a lone surname among them stays apart, and a common word is not distinctive.
MAX_BLOCK_NAMES = 200


def update_entities(
    store: Store,
    articles: Sequence[Article],
    annotations: dict[str, Annotations],
    retracted_names: Iterable[str] = (),
) -> None:
    found = [article_names(a.id, a.body, annotations[a.id].mentions) for a in articles]
    stats = name_stats((u for names in found for u in names.uses), store.sequence([a.id for a in articles]))
    store.put_name_uses(found, stats)
    touched = set(stats) | set(retracted_names) | {
        key for names in found for pair in (*names.aliases, *names.acronyms) for key in pair
    }
    resolve_around(store, touched)


def resolve_around(store: Store, touched: Iterable[str]) -> None:
    """Resolve the names these keys reach, through the blocks they share, and the whole entities
    those names belong to; everything else in the store keeps its entity."""
    touched = set(touched)
    current = {k: NameStat.of(c) for k, c in store.name_stats(touched).items()}
    probes = set().union(*(name_probes(s) for s in current.values()))
    keys = set(current) | store.names_in_blocks(probes, MAX_BLOCK_NAMES)
    keys |= {key for link in store.links_of(current) for key in link[:2]}
    # A touched name without uses (its last was retracted) leaves its entity, which is then
    # resolved and described again without it.
    entity_of = store.entity_of_names(keys | touched)
    keys |= store.names_of_entities({e for e in entity_of.values() if e})
    stats = {k: NameStat.of(c) for k, c in store.name_stats(keys).items()}
    entity_of |= store.entity_of_names(keys - entity_of.keys())
    emptied = {e for k, e in entity_of.items() if e and k not in stats}
    entity_of = {k: e for k, e in entity_of.items() if k in stats}
    links = Counter(
        {link: n for link, n in store.links_of(stats).items() if link[0] in stats and link[1] in stats}
    )
    words = {w for s in stats.values() for w in s.node.split()}
    roots = resolve_names(stats, links, store.common_words(words), outlet_keys())
    clusters: dict[str, list[NameStat]] = defaultdict(list)
    for key, root in sorted(roots.items()):
        clusters[root].append(stats[key])
    assigned, rows, merges = _assign_ids(store, clusters, entity_of, touched, emptied)
    # Only the touched names' counts changed: the others keep their label and blocks, and are
    # written again only when their entity changed. A touched name left without uses goes.
    rewritten = {k for k in stats if k in current or assigned[roots[k]] != entity_of.get(k)}
    store.put_names(
        {k: assigned[roots[k]] for k in rewritten},
        {k: stats[k].label for k in rewritten},
        {k: name_blocks(current[k]) for k in current},
        unused=touched - current.keys(),
    )
    store.put_entities(rows, merges, gone=emptied - set(entity_of.values()))


def _assign_ids(
    store: Store,
    clusters: dict[str, list[NameStat]],
    entity_of: dict[str, str | None],
    touched: set[str],
    emptied: set[str],
) -> tuple[dict[str, str], list[tuple[str, str, str, int, int]], list[tuple[str, str]]]:
    """Give each cluster an entity id: the oldest id among its names' current entities; a cluster
    with none mints one from its type and name. Ids left without a cluster merged into the cluster
    holding most of their names. Only entities that changed get a row: a cluster that is exactly an
    entity's names, none of them ``touched`` and none ``emptied`` of a name, is that entity as
    stored."""
    previous = {e for e in entity_of.values() if e}
    known = store.entity_rows(previous)
    unchanged = _unchanged(clusters, entity_of, touched, known.keys() - emptied)
    weight: dict[str, Counter[str]] = {}
    for root, members in clusters.items():
        weight[root] = Counter()
        for stat in members:
            if entity_of.get(stat.key):
                weight[root][entity_of[stat.key]] += stat.count
    described = {
        root: known[unchanged[root]][:2] if root in unchanged else describe(members)
        for root, members in clusters.items()
    }
    assigned = _kept_ids(weight, known, described)
    taken = set(assigned.values())
    created = store.next_created()
    fresh = _mint_ids(store, sorted(root for root in clusters if root not in assigned), described, taken)
    assigned |= fresh
    existing = store.entity_rows(set(fresh.values()))
    rows, seen = [], set()
    for root, eid in sorted(assigned.items()):
        if eid in seen or unchanged.get(root) == eid:
            continue
        seen.add(eid)
        kind, name = described[root]
        created_at = known[eid][2] if eid in known else existing[eid][2] if eid in existing else created
        rows.append((eid, kind, name, sum(s.count for s in clusters[root]), created_at))
    heaviest: dict[str, tuple[int, str]] = {}
    for root, counter in weight.items():
        for eid, n in counter.items():
            heaviest[eid] = max(heaviest.get(eid, (n, root)), (n, root))
    merges = [(eid, assigned[heaviest[eid][1]]) for eid in sorted(previous - taken)]
    return assigned, rows, merges


def _unchanged(
    clusters: dict[str, list[NameStat]],
    entity_of: dict[str, str | None],
    touched: set[str],
    intact: set[str],
) -> dict[str, str]:
    """The clusters that are exactly an ``intact`` entity's names, none of them touched: by root,
    that entity."""
    names_of: Counter[str | None] = Counter(entity_of.values())
    return {
        root: entity_of[members[0].key]
        for root, members in clusters.items()
        if entity_of.get(members[0].key) in intact
        and names_of[entity_of[members[0].key]] == len(members)
        and all(s.key not in touched and entity_of.get(s.key) == entity_of[members[0].key] for s in members)
    }


def _kept_ids(
    weight: dict[str, Counter[str]],
    known: dict[str, tuple[str, str, int]],
    described: dict[str, tuple[str, str]],
) -> dict[str, str]:
    """The clusters that keep an id their names' entities had: by root, that id."""
    # Older entities choose first; an entity that splits stays with the part that still bears its
    # name, else with the part holding most of its mentions.
    pairs = sorted(
        (
            (
                known[e][2] if e in known else 0,
                e,
                described[root][1] != known.get(e, ("", "", 0))[1],
                -n,
                root,
            )
            for root, counter in weight.items()
            for e, n in counter.items()
        )
    )
    assigned: dict[str, str] = {}
    taken: set[str] = set()
    for _, eid, _, _, root in pairs:
        if root not in assigned and eid not in taken:
            assigned[root] = eid
            taken.add(eid)
    return assigned


def _mint_ids(
    store: Store, unassigned: list[str], described: dict[str, tuple[str, str]], taken: set[str]
) -> dict[str, str]:
    """Ids for the clusters that kept none (``taken`` are the kept ones): by root, the id minted
    from its type and name, or the id that one was merged into."""
    minted = {root: entity_id(*described[root]) for root in unassigned}
    moved = store.entity_merges(set(minted.values()))
    fresh: dict[str, str] = {}
    assigned: dict[str, str] = {}
    for root in unassigned:
        eid = moved.get(minted[root], minted[root])
        if eid in taken:
            # The id its name mints is another cluster's (the entity it split from bore this name):
            # one id is one entity, so this one gets an id of its own.
            eid = entity_id(described[root][0], f"{described[root][1]}|{root}")
        # Two clusters given one name and type are one entity, as on a single run over all articles.
        assigned[root] = fresh.setdefault(minted[root], eid)
    return assigned
