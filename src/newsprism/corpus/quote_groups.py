"""Quote groups, incremental: the same quote carried by several articles, linked through shared
word shingles."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsprism.article.quotes import QUOTE_COMMON, QUOTE_CONTAINED, quote_shingles
from newsprism.records import Quote, mint_id
from newsprism.store import Store
from newsprism.unionfind import UnionFind


def update_quote_groups(store: Store, quotes: Sequence[Quote]) -> None:
    """Link each new quote to the quotes of other articles that hold most of its word shingles
    (or most of whose shingles it holds), and fold linked groups into the oldest."""
    shingles = {q.id: quote_shingles(q.text) for q in quotes}
    store.put_quote_shingles(
        [(q.id, q.article, group_of_quote(q.id), sorted(shingles[q.id])) for q in quotes],
        store.next_group_created(),
    )
    holders = store.shingle_holders({s for sh in shingles.values() for s in sh}, QUOTE_COMMON)
    links = []
    for q in quotes:
        shared: Counter[tuple[str, int]] = Counter()
        for s in shingles[q.id]:
            for other, article, size in holders.get(s, ()):
                if article != q.article:
                    shared[(other, size)] += 1
        links += [
            (q.id, other)
            for (other, size), n in shared.items()
            if n >= QUOTE_CONTAINED * min(len(shingles[q.id]), size)
        ]
    if not links:
        return
    group_of = store.quote_groups({i for pair in links for i in pair})
    joined: UnionFind[str] = UnionFind()
    for a, b in links:
        # b's group first: the order the groups are met in, and so of the merges, is as it always was.
        joined.union(group_of[b], group_of[a])
    created = store.group_created(joined)
    members: dict[str, list[str]] = defaultdict(list)
    for g in joined:
        members[joined.find(g)].append(g)
    merges = {}
    for groups in members.values():
        oldest = min(groups, key=lambda g: (created.get(g, 0), g))
        merges.update({g: oldest for g in groups if g != oldest})
    store.merge_groups(merges)


def group_of_quote(quote_id: str) -> str:
    """A quote's group id until it joins an older group: minted once from the quote's own id."""
    return mint_id("q", quote_id)
