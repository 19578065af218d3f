"""Stories and storylines, incremental: each new article joins the story it reports (``stories``),
found through the stories' feature index near it in time and through the articles it shares copy
with; each new story joins a storyline. An undated article takes its story's date."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsprism.article.annotate import times_dated
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
    place,
    profile,
    recalled_days,
    similarity,
    similarity_without,
    story_similarity,
    storyline_similarity,
    within,
)
from newsprism.records import Annotations, Article, DateEvidence, ReuseLink, mint_id
from newsprism.store import Store

RECONSIDER_ROUNDS = 3
PROBE_FEATURES = 30
# A new dated article reconsiders the stored undated articles most like it, at most this many: those
# were placed by content alone and may belong in its story. Bounded, so that a story which gathered
# thousands of undated articles over the years costs no more than a small one.
UNDATED_NEIGHBOURS = 5
# An article leans towards the stories of at most this many articles it shares quotes with, those
# sharing most first: a quote fifty outlets ran says no more about the story than twenty do.
MAX_PARTNERS = 20


def update_stories(
    store: Store, articles: Sequence[Article], annotations: dict[str, Annotations], reuse: Sequence[ReuseLink]
) -> None:
    """Place each new article in a story, oldest first, and each new story in a storyline."""
    words = {a.id: content_words(a.title, a.body) for a in articles}
    entities = entity_counts(store, [a.id for a in articles])
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
        times[article.id] = times_dated(article, evidence.value if evidence else None)
    store.put_times(times)


def entity_counts(store: Store, ids: Sequence[str]) -> dict[str, Counter[str]]:
    """The names each article mentions, by the name they resolve to within it ("Merkel" under
    "Angela Merkel"): the key an article's profile and the document frequencies share, and one that
    never changes, as entity ids do when entities merge."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for use in store.name_uses(ids):
        if use.resolves_to or use.key:
            counts[use.article][use.resolves_to or use.key] += 1
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
    return mint_id("s", f"{article}#{created}")


def storyline_id_of(article: str, created: int) -> str:
    return mint_id("l", f"{article}#{created}")


def _merge_threshold(a: StoryState, b: StoryState) -> float:
    """Two stories merge at ``MERGE``; a story of one article at ``JOIN``, the score with which that
    article joins the other story when it comes after it: which of them came first must not keep
    apart what the other order puts together."""
    return JOIN if min(a.size, b.size) == 1 else MERGE


@dataclass(frozen=True)
class Reach:
    """Where the store's indexes point each new article, read once before anything is placed: by
    article, its candidate stories and storylines (near it in time), and for a dated one, the stored
    undated articles it resembles at any distance in time (placed by content alone, they may belong
    with it)."""

    stories: dict[str, list[str]]
    lines: dict[str, list[str]]
    undated_near: dict[str, list[str]]

    @classmethod
    def read(cls, store: Store, profiles: Sequence[Profile]) -> Reach:
        return cls(
            store.cluster_candidates(
                "story", {p.article: (p, STORY_WINDOW_DAYS) for p in profiles}, MAX_CANDIDATES
            ),
            store.cluster_candidates(
                "storyline", {p.article: (p, STORYLINE_WINDOW_DAYS) for p in profiles}, MAX_CANDIDATES
            ),
            store.undated_near({p.article: p for p in profiles if p.day is not None}, UNDATED_NEIGHBOURS),
        )


@dataclass
class Clusters:
    """The stories and storylines in play, by id, and what the batch did to them: ``sizes`` as
    they were read, the ids folded into others (``merges``), those to write (``changed``)."""

    states: dict[str, StoryState]
    sizes: dict[str, int]
    representative: dict[str, str]
    merges: dict[str, str] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    new_stories: list[str] = field(default_factory=list)
    # The batch's own stories and storylines, by their members' heaviest features: a batch of
    # thousands looks its new clusters up as the store's are, not one by one.
    new_index: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def __getitem__(self, cluster: str) -> StoryState:
        return self.states[cluster]

    def __contains__(self, cluster: object) -> bool:
        return cluster in self.states

    def add(self, state: StoryState) -> None:
        self.states[state.id] = state

    def by_age(self, clusters: Iterable[str]) -> list[str]:
        """Oldest first: an older cluster keeps its id when two fold."""
        return sorted(clusters, key=lambda c: (self.states[c].created, c))

    def live(self, cluster: str) -> str:
        """The id a cluster goes by now, after the folds of this batch."""
        while cluster in self.merges:
            cluster = self.merges[cluster]
        return cluster


class Placement:
    """The stories and storylines a batch of articles reaches, held while the batch is placed:
    candidates come from the store's feature index, near each article in time, and from the
    articles it shares copy with. What the batch reaches is read on construction (``Reach``, the
    clusters and profiles); ``place``, ``reconsider_undated`` and ``merge`` change ``clusters`` and
    ``story_of``, and nothing is stored before ``write``."""

    def __init__(self, store: Store, profiles: Sequence[Profile], reuse: Sequence[ReuseLink]):
        self.store = store
        self.created = store.next_cluster_created()
        self.reach = Reach.read(store, profiles)
        # By article: the articles it shares copy with, and how (``_partners``).
        self.partners: dict[str, dict[str, str]] = defaultdict(dict)
        self._partners(
            [(link.source, link.target, link.kind) for link in reuse],
            store.quote_partners((p.article for p in profiles), MAX_PARTNERS),
        )
        near = {a for found in self.reach.undated_near.values() for a in found}
        self.story_of = store.story_of({b for found in self.partners.values() for b in found} | near)
        wanted = {c for found in self.reach.stories.values() for c in found} | set(self.story_of.values())
        loaded = store.clusters(wanted)
        loaded |= store.clusters(
            {state.storyline for state, _ in loaded.values()}
            | {c for found in self.reach.lines.values() for c in found}
        )
        self.clusters = Clusters(
            states={cid: state for cid, (state, _) in loaded.items()},
            sizes={cid: state.size for cid, (state, _) in loaded.items()},
            representative={cid: rep for cid, (_, rep) in loaded.items() if rep},
        )
        # The undated articles reconsidered later come in the same read as the representatives.
        self.profiles = store.profiles(sorted(set(self.clusters.representative.values()) | near)) | {
            p.article: p for p in profiles
        }
        # The score with which each article of the batch, or moved by it, joined its story.
        self.scores: dict[str, float] = {}

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
                story = self.clusters.live(story)
                bonus[story] = max(bonus.get(story, 0.0), SAME_COPY if kind == "duplicate" else REUSE_BONUS)
        return bonus

    def place(self, p: Profile) -> None:
        candidates = {
            c: self.clusters[c] for c in self.reach.stories.get(p.article, ()) if c in self.clusters
        }
        candidates |= {c: self.clusters[c] for c in self._new_near(p, "s", STORY_WINDOW_DAYS)}
        bonus = self._bonus(p.article)
        candidates |= {c: self.clusters[c] for c in bonus}
        story_id, score = place(p, candidates.values(), bonus)
        if story_id is None:
            story_id = story_id_of(p.article, self.created)
            self.clusters.add(StoryState(story_id, self._storyline_of(p), self.created))
            self.clusters.new_stories.append(story_id)
        story = self.clusters[story_id]
        story.add(p)
        self.clusters[story.storyline].add(p)
        if story_id in self.clusters.new_stories:
            for feature, _ in _probe(p):
                self.clusters.new_index[feature] |= {story_id, story.storyline}
        self.story_of[p.article] = story_id
        self.scores[p.article] = score
        for cluster in (story, self.clusters[story.storyline]):
            self._represent(cluster, p.article)
            self.clusters.changed.add(cluster.id)

    def reconsider_undated(self) -> None:
        """Undated articles joined the story their content matched best when they came; a story
        this batch made or grew may match one better now, and it moves there. The stories weighed
        for a stored undated article are those of the new dated articles it is among the nearest of."""
        reached: dict[str, set[str]] = defaultdict(set)
        for article, found in self.reach.undated_near.items():
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
                elsewhere = {self.clusters.live(c) for c in targets[article]} - {home}
                moved, score = place(p, [self.clusters[c] for c in sorted(elsewhere)], bonus)
                if moved is not None and score > stay:
                    self._move(p, home, moved, score)
                    moves += 1
            if not moves:
                return

    def _move(self, p: Profile, home: str, story: str, score: float) -> None:
        for cluster in (self.clusters[home], self.clusters[self.clusters[home].storyline]):
            cluster.remove(p)
            self.clusters.changed.add(cluster.id)
            if self.clusters.representative.get(cluster.id) == p.article:
                self.clusters.representative.pop(cluster.id)
        if home not in self.clusters.representative:
            # The best placed of the members left keeps the story titled.
            left = self.store.best_member(home, p.article)
            if left:
                self.clusters.representative[home] = left
        for cluster in (self.clusters[story], self.clusters[self.clusters[story].storyline]):
            cluster.add(p)
            self._represent(cluster, p.article)
            self.clusters.changed.add(cluster.id)
        self.story_of[p.article] = story
        self.scores[p.article] = score

    def _new_near(self, p: Profile, prefix: str, window: int) -> set[str]:
        """The batch's new stories (prefix "s") or storylines ("l") sharing a heavy feature with
        this article, near it in time."""
        found = set().union(*(self.clusters.new_index.get(f, ()) for f, _ in _probe(p)))
        return {
            c
            for c in found
            if c.startswith(prefix) and within(p.day, self.clusters[c].first, self.clusters[c].last, window)
        }

    def _storyline_of(self, p: Profile) -> str:
        alone = StoryState("", "", self.created)
        alone.add(p)
        lines = {c for c in self.reach.lines.get(p.article, ()) if c in self.clusters}
        lines |= self._new_near(p, "l", STORYLINE_WINDOW_DAYS)
        scored = [
            (storyline_similarity(alone, self.clusters[c]), -self.clusters[c].created, c) for c in lines
        ]
        best = max(scored, default=None)
        if best and best[0] >= STORYLINE:
            return best[2]
        line_id = storyline_id_of(p.article, self.created)
        self.clusters.add(StoryState(line_id, line_id, self.created))
        return line_id

    def _represent(self, cluster: StoryState, article: str) -> None:
        """A cluster's representative: of its current one and the newcomer, the article closest
        to what the cluster is now about."""
        current = self.clusters.representative.get(cluster.id)
        contenders = [a for a in (current, article) if a in self.profiles]
        self.clusters.representative[cluster.id] = max(
            contenders, key=lambda a: (similarity(self.profiles[a], cluster), a == current)
        )

    def merge(self) -> None:
        """Stories the batch changed fold into a candidate story, stored or new in this batch, that
        they now match as a whole (``_merge_threshold``), the older id kept; their storylines become
        one. A story that has doubled in size since its storyline was chosen (from its first article
        alone) looks again, and joins the storyline of another it now matches (``STORYLINE``)."""
        for story_id in self.clusters.by_age(self.clusters.changed):
            if not story_id.startswith("s"):
                continue
            members = [a for a in self.scores if self.story_of[a] == story_id]
            others = {c for a in members for c in self.reach.stories.get(a, ()) if c in self.clusters}
            others |= {c for a in members for c in self._new_near(self.profiles[a], "s", STORY_WINDOW_DAYS)}
            for other in self.clusters.by_age(others):
                current, other = self.clusters.live(story_id), self.clusters.live(other)
                if current != other and story_similarity(
                    self.clusters[current], self.clusters[other]
                ) >= _merge_threshold(self.clusters[current], self.clusters[other]):
                    self._fold(current, other)
            story = self.clusters[self.clusters.live(story_id)]
            if story.size.bit_length() > self.clusters.sizes.get(story.id, 0).bit_length():
                lines = {self.clusters.live(c) for a in members for c in self.reach.lines.get(a, ())}
                for line in self.clusters.by_age(lines & set(self.clusters.states)):
                    state = self.clusters[line]
                    if (
                        line != story.storyline
                        and within(story.center, state.first, state.last, STORYLINE_WINDOW_DAYS)
                        and storyline_similarity(story, state) >= STORYLINE
                    ):
                        self._fold_lines(story.storyline, line)

    def _fold(self, a: str, b: str) -> None:
        older, younger = self.clusters.by_age((a, b))
        kept, gone = self.clusters[older], self.clusters[younger]
        kept.absorb(gone)
        self.clusters.merges[younger] = older
        self.clusters.changed.add(older)
        for article, story in self.story_of.items():
            if story == younger:
                self.story_of[article] = older
        if gone.storyline != kept.storyline:
            self._fold_lines(kept.storyline, gone.storyline)

    def _fold_lines(self, a: str, b: str) -> None:
        older, younger = sorted((self.clusters[a], self.clusters[b]), key=lambda c: (c.created, c.id))
        older.absorb(younger)
        self.clusters.merges[younger.id] = older.id
        self.clusters.changed.add(older.id)
        for state in self.clusters.states.values():
            if state.storyline == younger.id:
                state.storyline = older.id

    def undated_to_date(self) -> set[str]:
        """The undated articles whose date their story may now give otherwise: those this batch
        placed or moved, those near a new dated article, and the members of stories merged away."""
        placed = {a for a, score in self.scores.items() if self.profiles[a].day is None}
        near = {a for found in self.reach.undated_near.values() for a in found}
        merged = {c for c in self.clusters.merges if c.startswith("s")}
        return placed | near | self.store.undated_members(merged)

    def write(self) -> None:
        live = sorted({self.clusters.live(c) for c in self.clusters.changed})
        for level, prefix in (("story", "s"), ("storyline", "l")):
            self.store.put_clusters(
                level,
                [
                    (self.clusters[c].trimmed(), self.clusters.representative.get(c))
                    for c in live
                    if c.startswith(prefix)
                ],
            )
        self.store.merge_clusters({old: self.clusters.live(old) for old in self.clusters.merges})
        self.store.put_story_articles(
            [
                (article, self.story_of[article], self.profiles[article].day, score)
                for article, score in sorted(self.scores.items())
            ]
        )
