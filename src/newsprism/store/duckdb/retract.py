"""Taking articles back out of the corpus level: before they are made again, or all at once for a rebuild."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.store.duckdb.connection import Connection
from newsprism.store.duckdb.schema import CORPUS_TABLES


class Retraction(Connection):
    def retract(self, ids: Sequence[str]) -> set[str]:
        """Take articles out of the corpus-level statistics before they are made again; the names
        whose counts fell, which must be resolved again."""
        ids = list(ids)
        if not ids:
            return set()
        self._run("DROP TABLE IF EXISTS gone")
        self._run(
            """
            CREATE TEMP TABLE gone AS
            SELECT u.key, u.label, m.text AS form, count(*) AS n FROM name_uses u
            JOIN mentions m USING (article, start, "end")
            WHERE u.article IN (SELECT unnest(?)) AND u.key IS NOT NULL
            GROUP BY u.key, u.label, m.text""",
            [ids],
        )
        self._run(
            "UPDATE name_labels SET n = name_labels.n - g.n FROM "
            "(SELECT key, label, sum(n) AS n FROM gone GROUP BY key, label) g "
            "WHERE name_labels.key = g.key AND name_labels.label = g.label"
        )
        self._run(
            "UPDATE name_forms SET n = name_forms.n - g.n FROM "
            "(SELECT key, form, sum(n) AS n FROM gone GROUP BY key, form) g "
            "WHERE name_forms.key = g.key AND name_forms.form = g.form"
        )
        self._run("DELETE FROM name_labels WHERE n <= 0")
        self._run("DELETE FROM name_forms WHERE n <= 0")
        self._run(
            "UPDATE shingle_counts SET n = shingle_counts.n - g.n FROM "
            "(SELECT shingle, count(*) AS n FROM quote_shingles s JOIN quote_groups q ON q.quote = s.quote "
            " WHERE q.article IN (SELECT unnest(?)) GROUP BY shingle) g "
            "WHERE shingle_counts.shingle = g.shingle",
            [ids],
        )
        self._run(
            "DELETE FROM quote_shingles WHERE quote IN "
            "(SELECT quote FROM quote_groups WHERE article IN (SELECT unnest(?)))",
            [ids],
        )
        self._retract_from_stories(ids)
        for table in (
            "name_uses",
            "quote_groups",
            "borrowed_dates",
            "passage_shingles",
            "article_profiles",
            "undated_features",
            "story_articles",
        ):
            self._run(f"DELETE FROM {table} WHERE article IN (SELECT unnest(?))", [ids])
        self._run(
            "DELETE FROM reuse WHERE source IN (SELECT unnest(?)) OR target IN (SELECT unnest(?))", [ids, ids]
        )
        return {r[0] for r in self._rows("SELECT DISTINCT key FROM gone")}

    def _retract_from_stories(self, ids: list[str]) -> None:
        """An article leaves its story and storyline: its profile comes off their features."""
        self._run("DROP TABLE IF EXISTS leaving")
        self._run(
            """
            CREATE TEMP TABLE leaving AS
            SELECT article, story AS cluster, day FROM story_articles WHERE article IN (SELECT unnest(?))
            UNION ALL
            SELECT s.article, c.storyline, s.day FROM story_articles s JOIN clusters c ON c.id = s.story
            WHERE s.article IN (SELECT unnest(?))""",
            [ids, ids],
        )
        self._run(
            "UPDATE cluster_features SET weight = cluster_features.weight - g.weight FROM ("
            " SELECT l.cluster, p.feature, sum(p.weight) AS weight FROM leaving l"
            " JOIN article_profiles p USING (article) GROUP BY l.cluster, p.feature) g "
            "WHERE cluster_features.cluster = g.cluster AND cluster_features.feature = g.feature"
        )
        self._run(
            "UPDATE clusters SET size = clusters.size - g.n, undated = clusters.undated - g.undated, "
            "day_sum = clusters.day_sum - g.day_sum FROM "
            "(SELECT cluster, count(*) AS n, count(*) FILTER (WHERE day IS NULL) AS undated, "
            " coalesce(sum(day), 0) AS day_sum FROM leaving GROUP BY cluster) g WHERE clusters.id = g.cluster"
        )
        # What the members left make of the span and the title.
        self._run("DROP TABLE IF EXISTS remaining")
        self._run(
            """
            CREATE TEMP TABLE remaining AS
            SELECT s.story AS cluster, s.article, s.day, s.score FROM story_articles s
            WHERE s.story IN (SELECT cluster FROM leaving) AND s.article NOT IN (SELECT unnest(?))
            UNION ALL
            SELECT c.storyline, s.article, s.day, s.score
            FROM story_articles s JOIN clusters c ON c.id = s.story
            WHERE c.storyline IN (SELECT cluster FROM leaving) AND s.article NOT IN (SELECT unnest(?))""",
            [ids, ids],
        )
        self._run(
            "UPDATE clusters SET first = r.first, last = r.last FROM (SELECT cluster, min(day) AS first, "
            "max(day) AS last FROM remaining GROUP BY cluster) r WHERE clusters.id = r.cluster"
        )
        self._run(
            "UPDATE clusters SET representative = r.article FROM (SELECT cluster, "
            f"{self._best_of('article', 'score')} AS article FROM remaining GROUP BY cluster) r "
            "WHERE clusters.id = r.cluster AND clusters.representative IN (SELECT unnest(?))",
            [ids],
        )
        self._run("DELETE FROM cluster_features WHERE weight <= 1e-9")
        self._run("DELETE FROM cluster_features WHERE cluster IN (SELECT id FROM clusters WHERE size <= 0)")
        self._run("DELETE FROM clusters WHERE size <= 0")

    def clear_corpus(self) -> None:
        for table in CORPUS_TABLES:
            self._run(f"DELETE FROM {table}")
