"""Stories and storylines: article profiles, the feature index of clusters, placement, merges and renames."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from newsprism.records import ENTITY_PREFIX, RECALL_PREFIX, Profile, StoryState
from newsprism.store.duckdb.connection import Connection, grouped
from newsprism.store.rows import Cluster, Placement


class Stories(Connection):
    def put_feature_counts(self, counts: Counter[str]) -> None:
        self._insert(
            "feature_counts",
            ("feature", "n"),
            list(counts.items()),
            "ON CONFLICT (feature) DO UPDATE SET n = feature_counts.n + excluded.n",
        )
        if any(n < 0 for n in counts.values()):
            self._run("DELETE FROM feature_counts WHERE n <= 0")

    def feature_counts(self, features: Iterable[str]) -> dict[str, int]:
        return dict(
            self._rows(
                "SELECT feature, n FROM feature_counts WHERE feature IN (SELECT unnest(?))",
                [sorted(set(features))],
            )
        )

    def profiled(self) -> int:
        return self._one("SELECT count(*) FROM story_articles")[0]

    def put_profiles(self, profiles: Sequence[Profile]) -> None:
        self._insert(
            "article_profiles",
            ("article", "feature", "weight"),
            [
                (p.article, f, w)
                for p in profiles
                for f, w in (
                    *_features(p.words, p.entities).items(),
                    *((f"{RECALL_PREFIX}{m:02d}-{d:02d}", 0.0) for m, d in p.recalls),
                )
            ],
        )

    def profiles(self, ids: Sequence[str]) -> dict[str, Profile]:
        words: dict[str, dict[str, float]] = {}
        entities: dict[str, dict[str, float]] = {}
        recalls: dict[str, list[tuple[int, int]]] = {}
        for article, feature, weight in self._rows(
            "SELECT article, feature, weight FROM article_profiles WHERE article IN (SELECT unnest(?)) "
            "ORDER BY article, feature",
            [list(ids)],
        ):
            if feature.startswith(RECALL_PREFIX):
                month, day = feature[len(RECALL_PREFIX) :].split("-")
                recalls.setdefault(article, []).append((int(month), int(day)))
                continue
            _split_feature(feature, weight, words.setdefault(article, {}), entities.setdefault(article, {}))
        days = dict(
            self._rows(
                "SELECT article, day FROM story_articles WHERE article IN (SELECT unnest(?))", [list(ids)]
            )
        )
        return {
            a: Profile(a, days.get(a), words[a], entities.get(a, {}), tuple(recalls.get(a, ())))
            for a in words
        }

    def cluster_candidates(
        self, level: str, probes: dict[str, tuple[Profile, int]], limit: int
    ) -> dict[str, list[str]]:
        """For each probe (a profile and how many days away a cluster may lie), the clusters of
        this level sharing its features, most shared weight first, at most ``limit``."""
        return self._ranked(
            "SELECT probe, cluster FROM ("
            " SELECT q.probe, f.cluster, row_number() OVER ("
            "  PARTITION BY q.probe ORDER BY sum(q.weight * f.weight) DESC, f.cluster) AS rank"
            " FROM incoming_probes q JOIN cluster_features f ON f.feature = q.feature"
            " JOIN clusters c ON c.id = f.cluster AND c.level = ?"
            "  AND (q.day IS NULL OR c.first IS NULL"
            "   OR (c.first - CAST(q.window AS INTEGER) <= CAST(q.day AS INTEGER)"
            "       AND CAST(q.day AS INTEGER) <= c.last + CAST(q.window AS INTEGER)))"
            " GROUP BY q.probe, f.cluster"
            ") ranked WHERE rank <= ? ORDER BY probe, rank",
            [level, limit],
            ("probe", "feature", "weight", "day", "window"),
            [
                (key, f, w, p.day, window)
                for key, (p, window) in probes.items()
                for f, w in _features(p.words, p.entities).items()
            ],
        )

    def put_undated_features(self, rows: Sequence[tuple[str, str, float]]) -> None:
        """(article, feature, weight) of undated articles' heaviest features: the index a dated
        article finds the undated articles it resembles by (``undated_near``)."""
        self._insert("undated_features", ("article", "feature", "weight"), rows)

    def undated_near(self, probes: dict[str, Profile], limit: int) -> dict[str, list[str]]:
        """For each probe, the stored undated articles sharing its features, most shared weight
        first, at most ``limit``."""
        return self._ranked(
            "SELECT probe, article FROM ("
            " SELECT q.probe, u.article, row_number() OVER ("
            "  PARTITION BY q.probe ORDER BY sum(q.weight * u.weight) DESC, u.article) AS rank"
            " FROM incoming_probes q JOIN undated_features u ON u.feature = q.feature"
            " WHERE u.article <> q.probe GROUP BY q.probe, u.article"
            ") ranked WHERE rank <= ? ORDER BY probe, rank",
            [limit],
            ("probe", "feature", "weight"),
            [(key, f, w) for key, p in probes.items() for f, w in _features(p.words, p.entities).items()],
        )

    def clusters(self, ids: Iterable[str], *, features: bool = True) -> dict[str, Cluster]:
        """Stories or storylines by id, with their representative article; without ``features``,
        the states hold no word or entity weights (enough to show them)."""
        ids = sorted(set(ids))
        states = {
            r[0]: Cluster(StoryState(r[0], r[1], r[2], {}, {}, r[3], r[4], r[5], r[6], r[7]), r[8])
            for r in self._rows(
                "SELECT id, storyline, created, first, last, size, undated, day_sum, representative "
                "FROM clusters "
                "WHERE id IN (SELECT unnest(?))",
                [ids],
            )
        }
        if not features:
            return states
        for cluster, feature, weight in self._rows(
            "SELECT cluster, feature, weight FROM cluster_features WHERE cluster IN (SELECT unnest(?))", [ids]
        ):
            state = states[cluster].state
            _split_feature(feature, weight, state.words, state.entities)
        return states

    def next_cluster_created(self) -> int:
        return self._one("SELECT coalesce(max(created), 0) + 1 FROM clusters")[0]

    def put_clusters(self, level: str, clusters: Sequence[tuple[StoryState, str | None]]) -> None:
        """Stories or storylines made or changed: their rows and features replace the stored ones."""
        ids = [c.id for c, _ in clusters]
        self._run("DELETE FROM cluster_features WHERE cluster IN (SELECT unnest(?))", [ids])
        self._insert(
            "clusters",
            (
                "id",
                "level",
                "storyline",
                "created",
                "first",
                "last",
                "size",
                "undated",
                "day_sum",
                "representative",
            ),
            [
                (c.id, level, c.storyline, c.created, c.first, c.last, c.size, c.undated, c.day_sum, r)
                for c, r in clusters
            ],
            "ON CONFLICT (id) DO UPDATE SET storyline = excluded.storyline, first = excluded.first, "
            "last = excluded.last, size = excluded.size, undated = excluded.undated, "
            "day_sum = excluded.day_sum, representative = excluded.representative",
        )
        self._insert(
            "cluster_features",
            ("cluster", "feature", "weight"),
            [(c.id, f, w) for c, _ in clusters for f, w in _features(c.words, c.entities).items()],
        )

    def put_story_articles(self, rows: Sequence[tuple[str, str, int | None, float]]) -> None:
        """(article, story, day, score) of articles placed in a story."""
        self._insert(
            "story_articles",
            ("article", "story", "day", "score"),
            rows,
            "ON CONFLICT (article) DO UPDATE SET "
            "story = excluded.story, day = excluded.day, score = excluded.score",
        )

    def story_of(self, ids: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows(
                "SELECT article, story FROM story_articles WHERE article IN (SELECT unnest(?))", [list(ids)]
            )
        )

    def story_voters(self, stories: Iterable[str], limit: int) -> dict[str, list[str]]:
        """Each story's dated members placed with the highest scores (its most central), at most
        ``limit``, best first."""
        return grouped(
            self._rows(
                "SELECT story, article FROM ("
                " SELECT story, article,"
                "  row_number() OVER (PARTITION BY story ORDER BY score DESC, article) AS rank"
                " FROM story_articles WHERE story IN (SELECT unnest(?)) AND day IS NOT NULL"
                ") ranked WHERE rank <= ? ORDER BY story, rank",
                [sorted(set(stories)), limit],
            )
        )

    def undated_members(self, stories: Iterable[str]) -> set[str]:
        return {
            r[0]
            for r in self._rows(
                "SELECT article FROM story_articles WHERE story IN (SELECT unnest(?)) AND day IS NULL",
                [sorted(set(stories))],
            )
        }

    def best_member(self, story: str, excluding: str) -> str | None:
        """The member of a story placed with the highest score, other than ``excluding``."""
        row = self._one(
            "SELECT article FROM story_articles WHERE story = ? AND article <> ? "
            "ORDER BY score DESC, article DESC LIMIT 1",
            [story, excluding],
        )
        return row[0] if row else None

    def story_members(self, stories: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for story, article in self._rows(
            "SELECT s.story, s.article FROM story_articles s JOIN articles a ON a.id = s.article "
            "WHERE s.story IN (SELECT unnest(?)) ORDER BY s.story, s.day NULLS LAST, a.seq",
            [list(stories)],
        ):
            out.setdefault(story, []).append(article)
        return out

    def storyline_stories(self, storylines: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for storyline, story in self._rows(
            "SELECT storyline, id FROM clusters WHERE level = 'story' AND storyline IN (SELECT unnest(?)) "
            "ORDER BY storyline, first NULLS LAST, created",
            [list(storylines)],
        ):
            out.setdefault(storyline, []).append(story)
        return out

    def merge_clusters(self, merges: dict[str, str]) -> None:
        """Fold each old story or storyline into its new one (whose row the caller has written); the
        old id keeps resolving through ``cluster_merges``."""
        if not merges:
            return
        old, new = list(merges), list(merges.values())
        pairs = "(SELECT unnest(?) AS old, unnest(?) AS new) m"
        self._run(
            f"UPDATE story_articles SET story = m.new FROM {pairs} WHERE story_articles.story = m.old",
            [old, new],
        )
        self._run(
            f"UPDATE clusters SET storyline = m.new FROM {pairs} WHERE clusters.storyline = m.old", [old, new]
        )
        self._run(
            f"UPDATE cluster_merges SET new = m.new FROM {pairs} WHERE cluster_merges.new = m.old", [old, new]
        )
        self._insert(
            "cluster_merges",
            ("old", "new"),
            list(merges.items()),
            "ON CONFLICT (old) DO UPDATE SET new = excluded.new",
        )
        self._run("DELETE FROM clusters WHERE id IN (SELECT unnest(?))", [old])
        self._run("DELETE FROM cluster_features WHERE cluster IN (SELECT unnest(?))", [old])

    def story_assignments(self) -> dict[str, Placement]:
        """Every placed article's story and storyline."""
        rows = self._rows(
            "SELECT s.article, s.story, c.storyline FROM story_articles s JOIN clusters c ON c.id = s.story"
        )
        return {article: Placement(story, line) for article, story, line in rows}

    def all_cluster_merges(self) -> dict[str, str]:
        return dict(self._rows("SELECT old, new FROM cluster_merges"))

    def rename_clusters(self, renames: dict[str, str]) -> None:
        """Give stories and storylines other ids, all at once (an id may pass from one to another).
        Merges into a renamed cluster follow it; a merge of an id that a cluster now holds again, or
        into itself, is no merge any more."""
        if not renames:
            return
        for step in ({old: f"~{old}" for old in renames}, {f"~{old}": new for old, new in renames.items()}):
            old, new = list(step), list(step.values())
            pairs = "(SELECT unnest(?) AS old, unnest(?) AS new) m"
            for table, column in (
                ("clusters", "id"),
                ("clusters", "storyline"),
                ("cluster_features", "cluster"),
                ("story_articles", "story"),
                ("cluster_merges", "new"),
            ):
                self._run(
                    f"UPDATE {table} SET {column} = m.new FROM {pairs} WHERE {table}.{column} = m.old",
                    [old, new],
                )
        self._run("DELETE FROM cluster_merges WHERE old = new OR old IN (SELECT id FROM clusters)")

    def record_cluster_merges(self, merges: dict[str, str]) -> None:
        self._insert(
            "cluster_merges",
            ("old", "new"),
            list(merges.items()),
            "ON CONFLICT (old) DO UPDATE SET new = excluded.new",
        )

    def cluster_merges(self, ids: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows("SELECT old, new FROM cluster_merges WHERE old IN (SELECT unnest(?))", [list(ids)])
        )


def _features(words: dict[str, float], entities: dict[str, float]) -> dict[str, float]:
    """Words and entities in one feature column, entities marked by ``ENTITY_PREFIX``."""
    return {**words, **{ENTITY_PREFIX + e: w for e, w in entities.items()}}


def _split_feature(feature: str, weight: float, words: dict[str, float], entities: dict[str, float]) -> None:
    if feature.startswith(ENTITY_PREFIX):
        entities[feature[len(ENTITY_PREFIX) :]] = weight
    else:
        words[feature] = weight
