"""Corpus-level stages, incremental: what newly stored articles change in the corpus, and the
resolved view of any selection of it.

``update(store, articles, annotations)`` runs in the transaction that stored the articles. Each
stage looks its candidates up through indexes the store keeps (name blocks, quote shingles, passage
shingles, story features) and touches only what the new articles reach, so adding a batch costs
about the same whatever the store holds:

- entities: the new mentions' names join the corpus statistics, and the neighbourhood of those
  names is resolved again (``entities.resolve_names``). Entity ids are minted once; when two
  entities turn out to be one, the older id lives on and the merge is recorded;
- quote groups: the same quote carried by several articles, linked through shared word shingles;
- reuse: passages and whole copies carried by two articles, through a sample of word shingles;
- stories and storylines: each new article joins the story it reports (``stories``), found through
  the stories' feature index near it in time; an undated article takes its story's date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from newsprism.article.annotate import anchor_of
from newsprism.article.mentions import outlet_keys
from newsprism.article.quotes import QUOTE_COMMON, QUOTE_CONTAINED, quote_shingles
from newsprism.article.times import extract_times
from newsprism.corpus.compare import disputes, facts, framing, outlet_name
from newsprism.corpus.entities import (
    NameStat,
    NameUse,
    Resolution,
    article_names,
    build_resolution,
    describe,
    entity_id,
    name_blocks,
    name_probes,
    name_stats,
    resolve_names,
)
from newsprism.corpus.reuse import (
    COMMON_POSTINGS,
    MAX_SHARING,
    MIN_SHARED_SAMPLES,
    compare_shingled,
    quote_links,
    sampled,
    shingles,
)
from newsprism.corpus.stories import (
    ENTITY_PREFIX,
    JOIN,
    MAX_CANDIDATES,
    MAX_DATE_VOTERS,
    MERGE,
    REUSE_BONUS,
    SAME_COPY,
    STORY_WINDOW_DAYS,
    STORYLINE,
    STORYLINE_WINDOW_DAYS,
    Profile,
    StoryState,
    content_words,
    date_from_story,
    features,
    headline,
    pair_similarity,
    place,
    profile,
    recalled_days,
    similarity,
    similarity_without,
    story_similarity,
    storyline_similarity,
    within,
)
from newsprism.corpus.summary import summarize_facts
from newsprism.corpus.timeline import build_timeline
from newsprism.records import (
    Annotations,
    Article,
    CorpusView,
    DateEvidence,
    Entity,
    Quote,
    ReuseLink,
    Speaker,
    Story,
    StoryDigest,
    Storyline,
)
from newsprism.store import DuckDBStore, Store, members_key

DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)

# A block holding more names than this (a surname hundreds share, a word in hundreds of organisation
# names) decides nothing: a lone surname among them stays apart, and a common word is not distinctive.
MAX_BLOCK_NAMES = 200
RECONSIDER_ROUNDS = 3
PROBE_FEATURES = 30
# A new dated article reconsiders the stored undated articles most like it, at most this many: those
# were placed by content alone and may belong in its story. Bounded, so that a story which gathered
# thousands of undated articles over the years costs no more than a small one.
UNDATED_NEIGHBOURS = 5
# An article leans towards the stories of at most this many articles it shares quotes with, those
# sharing most first: a quote fifty outlets ran says no more about the story than twenty do.
MAX_PARTNERS = 20


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


# -- entities -------------------------------------------------------------------------------------


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
    current = store.name_stats(touched)
    probes = set().union(*(name_probes(s) for s in current.values()))
    keys = set(current) | store.names_in_blocks(probes, MAX_BLOCK_NAMES)
    keys |= {key for link in store.links_of(current) for key in link[:2]}
    # A touched name without uses (its last was retracted) leaves its entity, which is then
    # resolved and described again without it.
    entity_of = store.entity_of_names(keys | touched)
    keys |= store.names_of_entities({e for e in entity_of.values() if e})
    stats = store.name_stats(keys)
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
    names_of: Counter[str | None] = Counter(entity_of.values())
    intact = known.keys() - emptied
    unchanged = {
        root: entity_of[members[0].key]
        for root, members in clusters.items()
        if entity_of.get(members[0].key) in intact
        and names_of[entity_of[members[0].key]] == len(members)
        and all(s.key not in touched and entity_of.get(s.key) == entity_of[members[0].key] for s in members)
    }
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
    created = store.next_created()
    unassigned = [root for root in sorted(clusters) if root not in assigned]
    minted = {root: entity_id(*described[root]) for root in unassigned}
    moved = store.entity_merges(set(minted.values()))
    fresh: dict[str, str] = {}
    for root in unassigned:
        eid = moved.get(minted[root], minted[root])
        if eid in taken:
            # The id its name mints is another cluster's (the entity it split from bore this name):
            # one id is one entity, so this one gets an id of its own.
            eid = entity_id(described[root][0], f"{described[root][1]}|{root}")
        # Two clusters given one name and type are one entity, as on a single run over all articles.
        assigned[root] = fresh.setdefault(minted[root], eid)
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


# -- quote groups ---------------------------------------------------------------------------------


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


# -- reuse ----------------------------------------------------------------------------------------


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


# -- stories --------------------------------------------------------------------------------------


def update_stories(
    store: Store, articles: Sequence[Article], annotations: dict[str, Annotations], reuse: Sequence[ReuseLink]
) -> None:
    """Place each new article in a story, oldest first, and each new story in a storyline."""
    words = {a.id: content_words(a.title, a.body) for a in articles}
    entities = _entity_counts(store, [a.id for a in articles])
    counts = Counter(f for a in articles for f in features(words[a.id], entities.get(a.id, {})))
    store.put_feature_counts(counts)
    frequency = store.feature_counts(counts)
    documents = store.profiled() + len(articles)
    days = {a.id: _day(a.published) for a in articles}
    profiles = [
        profile(
            a.id,
            days[a.id],
            words[a.id],
            entities.get(a.id, Counter()),
            frequency,
            documents,
            recalled_days(a.body),
        )
        for a in sorted(articles, key=lambda a: (days[a.id] is None, days[a.id] or 0))
    ]
    store.put_profiles(profiles)
    store.put_undated_features(
        [(p.article, f, w) for p in profiles if p.day is None for f, w in _probe(p)]
    )
    placement = Placement(store, profiles, reuse)
    for p in profiles:
        placement.place(p)
    placement.reconsider_undated()
    placement.merge()
    redate = placement.undated_to_date()
    placement.write()
    date_from_stories(store, redate)


def date_from_stories(store: Store, undated: Iterable[str]) -> None:
    """These undated articles take the date their story's dated articles give; relative dates
    ("on Tuesday") of an article whose date changed are read again against it."""
    story_of = store.story_of(undated)
    voters = store.story_voters(set(story_of.values()), MAX_DATE_VOTERS)
    voting = sorted({a for found in voters.values() for a in found})
    profiles = store.profiles(sorted(set(story_of) | set(voting)))
    cited = store.sources_of(voting)
    after: dict[str, DateEvidence | None] = {}
    for article, story in sorted(story_of.items()):
        if article in profiles and profiles[article].day is None:
            dated = [profiles[a] for a in voters.get(story, ()) if a in profiles]
            after[article] = date_from_story(profiles[article], dated, cited)
    before = store.borrowed_dates(sorted(after))
    changed = {a: e for a, e in after.items() if e != before.get(a)}
    if not changed:
        return
    store.put_borrowed_dates(changed)
    times = {}
    for article in store.articles(sorted(changed)):
        evidence = changed[article.id]
        dated_now = dataclasses.replace(article, published=evidence.value if evidence else None)
        times[article.id] = extract_times(article.id, article.body, anchor_of(dated_now))
    store.put_times(times)


def retract(store: Store, ids: Sequence[str]) -> set[str]:
    """Take stored articles out of the corpus level before they are made again: their words leave
    the document frequencies, then the store drops their names, quotes, copy and story places.
    Returns the names whose counts fell, for ``update`` to resolve again."""
    profiled = sorted(store.story_of(ids))
    entities = _entity_counts(store, profiled)
    leaving: Counter[str] = Counter()
    for a in store.articles(profiled):
        leaving.subtract(features(content_words(a.title, a.body), entities.get(a.id, {})))
    store.put_feature_counts(leaving)
    return store.retract(ids)


def _entity_counts(store: Store, ids: Sequence[str]) -> dict[str, Counter[str]]:
    """The names each article mentions, by the name they resolve to within it ("Merkel" under
    "Angela Merkel"): the key an article's profile and the document frequencies share, and one that
    never changes, as entity ids do when entities merge."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article, _, _, key, _, resolves_to, _ in store.name_uses(ids):
        if resolves_to or key:
            counts[article][resolves_to or key] += 1
    return counts


def _day(published: str | None) -> int | None:
    if not published or len(published) != 10:
        return None
    return dt.date.fromisoformat(published).toordinal()


def _probe(p: Profile) -> list[tuple[str, float]]:
    """An article's heaviest words and names with their weights: the features its batch's new
    clusters are found by, and an undated article by the dated ones that come after it."""
    weighted = [*p.words.items(), *((ENTITY_PREFIX + e, w) for e, w in p.entities.items())]
    return sorted(weighted, key=lambda item: (-item[1], item[0]))[:PROBE_FEATURES]


def story_id_of(article: str, created: int) -> str:
    """A story's id, minted once from the article that started it and the batch it came in."""
    return "s" + hashlib.sha1(f"{article}#{created}".encode()).hexdigest()[:12]


def storyline_id_of(article: str, created: int) -> str:
    return "l" + hashlib.sha1(f"{article}#{created}".encode()).hexdigest()[:12]


def _merge_threshold(a: StoryState, b: StoryState) -> float:
    """Two stories merge at ``MERGE``; a story of one article at ``JOIN``, the score with which that
    article joins the other story when it comes after it: which of them came first must not keep
    apart what the other order puts together."""
    return JOIN if min(a.size, b.size) == 1 else MERGE


class Placement:
    """The stories and storylines a batch of articles reaches, held while the batch is placed:
    candidates come from the store's feature index, near each article in time, and from the
    articles it shares copy with."""

    def __init__(self, store: Store, profiles: Sequence[Profile], reuse: Sequence[ReuseLink]):
        self.store = store
        self.created = store.next_cluster_created()
        self.story_candidates = store.cluster_candidates(
            "story", {p.article: (p, STORY_WINDOW_DAYS) for p in profiles}, MAX_CANDIDATES
        )
        self.line_candidates = store.cluster_candidates(
            "storyline", {p.article: (p, STORYLINE_WINDOW_DAYS) for p in profiles}, MAX_CANDIDATES
        )
        # Stored undated articles a new dated article resembles, at any distance in time: they were
        # placed by content alone and may belong with it.
        self.undated_near = store.undated_near(
            {p.article: p for p in profiles if p.day is not None}, UNDATED_NEIGHBOURS
        )
        self.partners: dict[str, dict[str, str]] = defaultdict(dict)
        self._partners(
            [(link.source, link.target, link.kind) for link in reuse],
            store.quote_partners((p.article for p in profiles), MAX_PARTNERS),
        )
        self.story_of = store.story_of(
            {b for found in self.partners.values() for b in found}
            | {a for found in self.undated_near.values() for a in found}
        )
        wanted = {c for found in self.story_candidates.values() for c in found} | set(self.story_of.values())
        loaded = store.clusters(wanted)
        loaded |= store.clusters(
            {state.storyline for state, _ in loaded.values()}
            | {c for found in self.line_candidates.values() for c in found}
        )
        self.clusters = {cid: state for cid, (state, _) in loaded.items()}
        self.sizes = {cid: state.size for cid, state in self.clusters.items()}
        self.representative = {cid: rep for cid, (_, rep) in loaded.items() if rep}
        # The undated articles reconsidered later come in the same read as the representatives.
        near = {a for found in self.undated_near.values() for a in found}
        self.profiles = store.profiles(sorted(set(self.representative.values()) | near)) | {
            p.article: p for p in profiles
        }
        self.new_stories: list[str] = []
        # The batch's own stories and storylines, by their members' heaviest features: a batch of
        # thousands looks its new clusters up as the store's are, not one by one.
        self.new_index: dict[str, set[str]] = defaultdict(set)
        self.changed: set[str] = set()
        self.scores: dict[str, float] = {}
        self.merges: dict[str, str] = {}

    def _partners(self, reuse: Iterable[tuple[str, str, str]], quoting: dict[str, set[str]]) -> None:
        """Articles sharing copy: by reuse link ((source, target, kind): duplicate or passage), else
        by a quote they share."""
        for article, others in quoting.items():
            for other in others:
                self.partners[article].setdefault(other, "quote")
                self.partners[other].setdefault(article, "quote")
        for source, target, kind in reuse:
            self.partners[source][target] = kind
            self.partners[target][source] = kind

    def _bonus(self, article: str) -> dict[str, float]:
        """What sharing copy with a story's members adds to an article's similarity to it: the same
        copy is the same story outright; a shared passage or quote leans towards it."""
        bonus: dict[str, float] = {}
        for other, kind in self.partners.get(article, {}).items():
            story = self.story_of.get(other)
            if story in self.clusters:
                story = self._live(story)
                bonus[story] = max(bonus.get(story, 0.0), SAME_COPY if kind == "duplicate" else REUSE_BONUS)
        return bonus

    def place(self, p: Profile) -> None:
        candidates = {
            c: self.clusters[c] for c in self.story_candidates.get(p.article, ()) if c in self.clusters
        }
        candidates |= {c: self.clusters[c] for c in self._new_near(p, "s", STORY_WINDOW_DAYS)}
        bonus = self._bonus(p.article)
        candidates |= {c: self.clusters[c] for c in bonus}
        story_id, score = place(p, candidates.values(), bonus)
        if story_id is None:
            story_id = story_id_of(p.article, self.created)
            self.clusters[story_id] = StoryState(story_id, self._storyline_of(p), self.created)
            self.new_stories.append(story_id)
        story = self.clusters[story_id]
        story.add(p)
        self.clusters[story.storyline].add(p)
        if story_id in self.new_stories:
            for feature, _ in _probe(p):
                self.new_index[feature] |= {story_id, story.storyline}
        self.story_of[p.article] = story_id
        self.scores[p.article] = score
        for cluster in (story, self.clusters[story.storyline]):
            self._represent(cluster, p.article)
            self.changed.add(cluster.id)

    def reconsider_undated(self) -> None:
        """Undated articles joined the story their content matched best when they came; a story
        this batch made or grew may match one better now, and it moves there. The stories weighed
        for a stored undated article are those of the new dated articles it is among the nearest of."""
        reached: dict[str, set[str]] = defaultdict(set)
        for article, found in self.undated_near.items():
            for other in found:
                if self.story_of.get(other) in self.clusters:
                    reached[other].add(article)
        undated = {a: self.story_of[a] for a in reached}
        if not undated:
            return
        self._partners(
            self.store.copy_partners(sorted(undated)), self.store.quote_partners(undated, MAX_PARTNERS)
        )
        self.story_of |= self.store.story_of({b for a in undated for b in self.partners.get(a, {})})
        self.story_of |= undated
        targets = {a: {self.story_of[p] for p in reached[a]} for a in undated}
        # A move changes what the stories left behind look like: go again until nothing moves.
        for _ in range(RECONSIDER_ROUNDS):
            moves = 0
            for article in sorted(undated):
                home, p = self.story_of[article], self.profiles.get(article)
                if p is None:
                    continue
                bonus = self._bonus(article)
                stay = similarity_without(p, self.clusters[home], bonus.get(home, 0.0))
                elsewhere = {self._live(c) for c in targets[article]} - {home}
                moved, score = place(p, [self.clusters[c] for c in sorted(elsewhere)], bonus)
                if moved is not None and score > stay:
                    self._move(p, home, moved, score)
                    moves += 1
            if not moves:
                return

    def _move(self, p: Profile, home: str, story: str, score: float) -> None:
        for cluster in (self.clusters[home], self.clusters[self.clusters[home].storyline]):
            cluster.remove(p)
            self.changed.add(cluster.id)
            if self.representative.get(cluster.id) == p.article:
                self.representative.pop(cluster.id)
        if home not in self.representative:
            # The best placed of the members left keeps the story titled.
            left = self.store.best_member(home, p.article)
            if left:
                self.representative[home] = left
        for cluster in (self.clusters[story], self.clusters[self.clusters[story].storyline]):
            cluster.add(p)
            self._represent(cluster, p.article)
            self.changed.add(cluster.id)
        self.story_of[p.article] = story
        self.scores[p.article] = score

    def _new_near(self, p: Profile, prefix: str, window: int) -> set[str]:
        """The batch's new stories (prefix "s") or storylines ("l") sharing a heavy feature with
        this article, near it in time."""
        found = set().union(*(self.new_index.get(f, ()) for f, _ in _probe(p)))
        return {
            c
            for c in found
            if c.startswith(prefix) and within(p.day, self.clusters[c].first, self.clusters[c].last, window)
        }

    def _storyline_of(self, p: Profile) -> str:
        alone = StoryState("", "", self.created)
        alone.add(p)
        lines = {c for c in self.line_candidates.get(p.article, ()) if c in self.clusters}
        lines |= self._new_near(p, "l", STORYLINE_WINDOW_DAYS)
        scored = [
            (storyline_similarity(alone, self.clusters[c]), -self.clusters[c].created, c) for c in lines
        ]
        best = max(scored, default=None)
        if best and best[0] >= STORYLINE:
            return best[2]
        line_id = storyline_id_of(p.article, self.created)
        self.clusters[line_id] = StoryState(line_id, line_id, self.created)
        return line_id

    def _represent(self, cluster: StoryState, article: str) -> None:
        """A cluster's representative: of its current one and the newcomer, the article closest
        to what the cluster is now about."""
        current = self.representative.get(cluster.id)
        contenders = [a for a in (current, article) if a in self.profiles]
        self.representative[cluster.id] = max(
            contenders, key=lambda a: (similarity(self.profiles[a], cluster), a == current)
        )

    def merge(self) -> None:
        """Stories the batch changed fold into a candidate story, stored or new in this batch, that
        they now match as a whole (``_merge_threshold``), the older id kept; their storylines become
        one. A story that has doubled in size since its storyline was chosen (from its first article
        alone) looks again, and joins the storyline of another it now matches (``STORYLINE``)."""
        for story_id in sorted(self.changed, key=lambda c: (self.clusters[c].created, c)):
            if not story_id.startswith("s"):
                continue
            members = [a for a in self.scores if self.story_of[a] == story_id]
            others = {c for a in members for c in self.story_candidates.get(a, ()) if c in self.clusters}
            others |= {c for a in members for c in self._new_near(self.profiles[a], "s", STORY_WINDOW_DAYS)}
            for other in sorted(others, key=lambda c: (self.clusters[c].created, c)):
                current, other = self._live(story_id), self._live(other)
                if current != other and story_similarity(
                    self.clusters[current], self.clusters[other]
                ) >= _merge_threshold(self.clusters[current], self.clusters[other]):
                    self._fold(current, other)
            story = self.clusters[self._live(story_id)]
            if story.size.bit_length() > self.sizes.get(story.id, 0).bit_length():
                lines = {self._live(c) for a in members for c in self.line_candidates.get(a, ())}
                for line in sorted(lines & set(self.clusters), key=lambda c: (self.clusters[c].created, c)):
                    state = self.clusters[line]
                    if (
                        line != story.storyline
                        and within(story.center, state.first, state.last, STORYLINE_WINDOW_DAYS)
                        and storyline_similarity(story, state) >= STORYLINE
                    ):
                        self._fold_lines(story.storyline, line)

    def _live(self, cluster: str) -> str:
        while cluster in self.merges:
            cluster = self.merges[cluster]
        return cluster

    def _fold(self, a: str, b: str) -> None:
        older, younger = sorted((a, b), key=lambda c: (self.clusters[c].created, c))
        kept, gone = self.clusters[older], self.clusters[younger]
        kept.absorb(gone)
        self.merges[younger] = older
        self.changed.add(older)
        for article, story in self.story_of.items():
            if story == younger:
                self.story_of[article] = older
        if gone.storyline != kept.storyline:
            self._fold_lines(kept.storyline, gone.storyline)

    def _fold_lines(self, a: str, b: str) -> None:
        older, younger = sorted((self.clusters[a], self.clusters[b]), key=lambda c: (c.created, c.id))
        older.absorb(younger)
        self.merges[younger.id] = older.id
        self.changed.add(older.id)
        for state in self.clusters.values():
            if state.storyline == younger.id:
                state.storyline = older.id

    def undated_to_date(self) -> set[str]:
        """The undated articles whose date their story may now give otherwise: those this batch
        placed or moved, those near a new dated article, and the members of stories merged away."""
        placed = {a for a, score in self.scores.items() if self.profiles[a].day is None}
        near = {a for found in self.undated_near.values() for a in found}
        return placed | near | self.store.undated_members({c for c in self.merges if c.startswith("s")})

    def write(self) -> None:
        live = sorted({self._live(c) for c in self.changed})
        for level, prefix in (("story", "s"), ("storyline", "l")):
            self.store.put_clusters(
                level,
                [
                    (self.clusters[c].trimmed(), self.representative.get(c))
                    for c in live
                    if c.startswith(prefix)
                ],
            )
        self.store.merge_clusters({old: self._live(old) for old in self.merges})
        self.store.put_story_articles(
            [
                (article, self.story_of[article], self.profiles[article].day, score)
                for article, score in sorted(self.scores.items())
            ]
        )


# -- reading the corpus back ----------------------------------------------------------------------


def view(store: Store, ids: Sequence[str], *, compared: bool = True) -> CorpusView:
    """The resolved corpus of these articles: their dates (borrowed where they have none), entities
    with the mentions in these articles, relations, and quotes with speaker entities and groups;
    their stories compared (facts, disputes, summary, framing), unless ``compared`` is False (a
    list of search results needs none of that)."""
    ids = list(ids)
    read = _together(
        store,
        articles=lambda s: _dated_articles(s, ids),
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
        dataclasses.replace(
            _link_speaker(q, resolution, bodies[q.article]), group=groups.get(q.id)
        )
        for q in quotes
    )
    by_id = {a.id: a for a in articles}
    if compared:
        stories = tuple(
            _summarized(s, [by_id[a] for a in s.articles], linked, stored.get(s.id)) for s in stories
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
        timeline=tuple(
            build_timeline(
                articles,
                {a: n.times for a, n in annotations.items()},
                {a: s.id for s in stories for a in s.articles},
            )
        ),
    )


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


def _dated_articles(store: Store, ids: Sequence[str]) -> list[Article]:
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
    seen = {story_id}
    while (merged := store.cluster_merges([story_id])) and merged[story_id] not in seen:
        story_id = merged[story_id]
        seen.add(story_id)
    members = store.story_members([story_id]).get(story_id)
    if not members:
        return None
    found = view(store, members)
    story = next(s for s in found.stories if s.id == story_id)
    return story, dataclasses.replace(found, timeline=tuple(t for t in found.timeline if t.story == story_id))


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


def _summarized(
    story: Story, articles: Sequence[Article], quotes: Sequence[Quote], stored: StoryDigest | None = None
) -> Story:
    """A story with its facts, disputes, summary and framing, from its articles among the selection;
    the stored digest stands for the comparison when it was made from these very articles. Framing
    names speakers by their entities, which change as the corpus grows: it is never stored."""
    digest = stored if stored and stored.members == members_key(a.id for a in articles) else None
    digest = digest or _digest(story.id, articles)
    members = {a.id: outlet_name(a) for a in articles}
    return dataclasses.replace(
        story,
        facts=digest.facts,
        disputes=digest.disputes,
        summary=digest.summary,
        framing=framing([q for q in quotes if q.article in members], members),
    )


def _digest(story: str, articles: Sequence[Article]) -> StoryDigest:
    found = tuple(facts(articles, story))
    outlets = {a.id: outlet_name(a) for a in articles}
    return StoryDigest(
        members_key(outlets), found, tuple(disputes(found, outlets)), tuple(summarize_facts(found))
    )


def refresh_digests(
    store: Store, chunk: int = 64, compared: Callable[[int, int], None] | None = None
) -> int:
    """Compare again the stories whose articles changed since their digest was stored (and those
    without one), ``chunk`` stories per transaction, calling ``compared(stories, of_total)`` after
    each; returns how many. A run calls it once at its
    end, so a story gaining articles in every commit of a run is compared once, not per commit; a
    run killed before it leaves the digests to the next one."""
    stale = store.stale_digests()
    for i in range(0, len(stale), chunk):
        part = stale[i : i + chunk]
        members = store.story_members(part)
        by_id = {a.id: a for a in store.articles([a for ids in members.values() for a in ids])}
        digests = {
            story: _digest(story, [by_id[a] for a in ids if a in by_id]) for story, ids in members.items()
        }
        with store.transaction("cannot store the story digests"):
            store.put_story_digests(digests)
        store.release()
        if compared is not None:
            compared(len(part), len(stale))
    return len(stale)


def _date(day: int | None) -> str | None:
    return dt.date.fromordinal(day).isoformat() if day is not None else None


NameRows = tuple[
    list[tuple], dict[str, tuple[str, str | None]], dict[str, tuple[str, str, int]], dict[str, str]
]


def _name_rows(store: Store, ids: Sequence[str]) -> NameRows:
    """What the corpus resolved the articles' names to: each mention's name use, the names' labels
    and entities, those entities, and the entities of the countries named."""
    uses = store.name_uses(sorted(ids))
    names = store.names_view({u[5] for u in uses} | {u[3] for u in uses if u[3]})
    entities = {e for _, e in names.values() if e}
    countries = store.entities_named("GPE", {u[6] for u in uses if u[6]})
    return uses, names, store.entity_rows(entities), countries


def _resolution(
    annotations: dict[str, Annotations],
    uses: list[tuple],
    names: dict[str, tuple[str, str | None]],
    described: dict[str, tuple[str, str, int]],
    countries: dict[str, str],
) -> Resolution:
    mention_at = {(m.article, m.start, m.end): m for n in annotations.values() for m in n.mentions}
    found = [
        NameUse(mention_at[(a, s, e)], key, label, resolves_to, country)
        for a, s, e, key, label, resolves_to, country in uses
        if (a, s, e) in mention_at
    ]
    entity_of_key = {k: e for k, (_, e) in names.items() if e}
    return build_resolution(
        found,
        entity_of_key,
        {e: (kind, name) for e, (kind, name, _) in described.items()},
        {k: label for k, (label, _) in names.items()},
        countries,
    )


def _link_speaker(quote: Quote, resolution: Resolution, body: str) -> Quote:
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


# -- a whole corpus at once, and rebuilding ------------------------------------------------------


def resolve(articles: Sequence[Article], annotations: dict[str, Annotations]) -> CorpusView:
    """Resolve a set of articles on their own, in a store held in memory: the same rules as a
    growing store, for a library user (and a test) with articles in hand."""
    with DuckDBStore(":memory:") as store, store.transaction():
        store.put_articles([(a, annotations.get(a.id)) for a in articles], {}, "", "", dt.date.today())
        update(store, articles, annotations)
        return view(store, [a.id for a in articles])


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
    while (fresh := cluster[0] + hashlib.sha1(f"{cluster}{suffix}".encode()).hexdigest()[:12]) in taken:
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
