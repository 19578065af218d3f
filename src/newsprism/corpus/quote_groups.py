"""Quote groups, incremental: the same quote carried by several articles, linked through shared
word shingles."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from newsprism.article.quotes import QUOTE_COMMON, QUOTE_CONTAINED, quote_shingles
from newsprism.records import Quote
from newsprism.store import Store


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
    parent: dict[str, str] = {}

    def find(g: str) -> str:
        parent.setdefault(g, g)
        while parent[g] != g:
            g = parent[g] = parent[parent[g]]
        return g

    for a, b in links:
        parent[find(group_of[a])] = find(group_of[b])
    created = store.group_created(parent)
    members: dict[str, list[str]] = defaultdict(list)
    for g in parent:
        members[find(g)].append(g)
    merges = {}
    for groups in members.values():
        oldest = min(groups, key=lambda g: (created.get(g, 0), g))
        merges.update({g: oldest for g in groups if g != oldest})
    store.merge_groups(merges)


def group_of_quote(quote_id: str) -> str:
    """A quote's group id until it joins an older group: minted once from the quote's own id."""
    return "q" + hashlib.sha1(quote_id.encode()).hexdigest()[:12]
