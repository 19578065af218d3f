"""The corpus in one DuckDB file, no server: the default store and the only module that writes SQL.

Article level: ``raw`` keeps every input by content hash; ``articles`` (with the cache keys of the
stages that made them), ``mentions``, ``quotes`` and ``times`` hold what each article says.
Corpus level: ``names`` and their statistics, ``name_blocks`` (the blocking index entity
resolution looks candidates up in), ``name_uses`` (each mention's name and entity key),
``entities`` and ``entity_merges``; ``quote_groups`` with their shingle index; ``passage_shingles``
(a sample of each article's word shingles) and ``reuse``; ``feature_counts`` and
``article_profiles`` (what each article is about), ``clusters`` (stories and storylines) with
``cluster_features`` (their index), ``story_articles`` and ``cluster_merges``; ``borrowed_dates``
for articles dated by their story. Every table is named and written by named columns; the schema
carries a version and migrates forward when an older file is opened.
"""

from __future__ import annotations

import json

import duckdb

from newsprism.errors import OutdatedStoreError, StoreError
from newsprism.records import Annotations, Mention, Quote, TimeRef, from_json
from newsprism.store.duckdb.articles import Articles

SCHEMA_VERSION = 5
# Version 1 (the first release) kept annotations as JSON per article and only the latest corpus
# resolution; ``_migrate_1_to_2`` reads it.
# Bodies and reused passages are stored uncompressed: DuckDB compresses long strings in blocks (zstd),
# so fetching the body of one article decompressed the bodies of all (60 ms at 9k articles, against 2).
ARTICLES_TABLE = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, seq BIGINT, raw_hash TEXT, clean_key TEXT, annotate_key TEXT, reference_date DATE,
    source TEXT, source_id TEXT, url TEXT, outlet TEXT, title TEXT, published TEXT, published_evidence JSON,
    dateline TEXT, authors JSON, credits JSON, paragraphs JSON USING COMPRESSION uncompressed, removed JSON);
"""
REUSE_TABLE = """
CREATE TABLE IF NOT EXISTS reuse (
    source TEXT, target TEXT, kind TEXT, passages JSON USING COMPRESSION uncompressed, origin TEXT,
    evidence TEXT, PRIMARY KEY (source, target));
"""
# The tables version 4 stores otherwise, with their columns (copied in order) and their indexes.
RESTORED_IN_4 = {
    "articles": (ARTICLES_TABLE, ("articles_seq",)),
    "reuse": (REUSE_TABLE, ()),
}
SCHEMA = (
    ARTICLES_TABLE
    + REUSE_TABLE
    + """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS raw (
    hash TEXT PRIMARY KEY, source TEXT, is_html BOOLEAN, text TEXT, given JSON,
    first_seen TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, article TEXT);
CREATE TABLE IF NOT EXISTS mentions (article TEXT, start INTEGER, "end" INTEGER, text TEXT, label TEXT);
CREATE TABLE IF NOT EXISTS quotes (
    id TEXT, article TEXT, start INTEGER, "end" INTEGER, text TEXT, kind TEXT, speaker_text TEXT,
    speaker_name TEXT, speaker_start INTEGER, speaker_end INTEGER, cue TEXT, via TEXT);
CREATE TABLE IF NOT EXISTS times (
    article TEXT, start INTEGER, "end" INTEGER, text TEXT, value TEXT, granularity TEXT);
CREATE TABLE IF NOT EXISTS name_uses (
    article TEXT, start INTEGER, "end" INTEGER, key TEXT, label TEXT, resolves_to TEXT, country TEXT);
CREATE TABLE IF NOT EXISTS names (key TEXT PRIMARY KEY, label TEXT, entity TEXT);
CREATE TABLE IF NOT EXISTS name_labels (key TEXT, label TEXT, n BIGINT, PRIMARY KEY (key, label));
CREATE TABLE IF NOT EXISTS name_forms (key TEXT, form TEXT, n BIGINT, first BIGINT, PRIMARY KEY (key, form));
CREATE TABLE IF NOT EXISTS name_blocks (kind TEXT, value TEXT, key TEXT);
CREATE TABLE IF NOT EXISTS name_links (a TEXT, b TEXT, kind TEXT, n BIGINT, PRIMARY KEY (a, b, kind));
CREATE TABLE IF NOT EXISTS common_words (word TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, name TEXT, type TEXT, mentions BIGINT, created BIGINT);
CREATE TABLE IF NOT EXISTS entity_merges (old TEXT PRIMARY KEY, new TEXT);
CREATE TABLE IF NOT EXISTS quote_groups (quote TEXT PRIMARY KEY, article TEXT, grp TEXT, shingles INTEGER);
CREATE TABLE IF NOT EXISTS groups (grp TEXT PRIMARY KEY, created BIGINT);
CREATE TABLE IF NOT EXISTS group_merges (old TEXT PRIMARY KEY, new TEXT);
CREATE TABLE IF NOT EXISTS quote_shingles (shingle TEXT, quote TEXT);
CREATE TABLE IF NOT EXISTS shingle_counts (shingle TEXT PRIMARY KEY, n BIGINT);
CREATE TABLE IF NOT EXISTS borrowed_dates (
    article TEXT PRIMARY KEY, value TEXT, text TEXT, method TEXT, confidence DOUBLE);
CREATE TABLE IF NOT EXISTS passage_shingles (shingle BIGINT, article TEXT);
CREATE TABLE IF NOT EXISTS feature_counts (feature TEXT PRIMARY KEY, n BIGINT);
CREATE TABLE IF NOT EXISTS article_profiles (article TEXT, feature TEXT, weight DOUBLE);
CREATE TABLE IF NOT EXISTS undated_features (article TEXT, feature TEXT, weight DOUBLE);
CREATE TABLE IF NOT EXISTS story_articles (article TEXT PRIMARY KEY, story TEXT, day INTEGER, score DOUBLE);
CREATE TABLE IF NOT EXISTS clusters (
    id TEXT PRIMARY KEY, level TEXT, storyline TEXT, created BIGINT, first INTEGER, last INTEGER,
    size INTEGER, undated INTEGER, day_sum BIGINT, representative TEXT);
CREATE TABLE IF NOT EXISTS cluster_features (cluster TEXT, feature TEXT, weight DOUBLE);
CREATE TABLE IF NOT EXISTS cluster_merges (old TEXT PRIMARY KEY, new TEXT);
CREATE TABLE IF NOT EXISTS story_digests (
    story TEXT PRIMARY KEY, members TEXT, facts JSON USING COMPRESSION uncompressed,
    disputes JSON USING COMPRESSION uncompressed, summary JSON USING COMPRESSION uncompressed);
CREATE INDEX IF NOT EXISTS times_article ON times (article);
"""
)
# Lookups by a list of keys (``IN (SELECT unnest(?))``) are hash joins over a table scan: DuckDB
# never probes an ART index for them. Version 4's secondary indexes served no query, while every
# insert maintained them and a run held them in memory; version 5 drops them. ``times_article``
# stays from when ``put_times`` deleted by one article, a point lookup.
DROPPED_IN_5 = (
    "mentions_article",
    "quotes_article",
    "name_uses_article",
    "name_blocks_value",
    "name_blocks_key",
    "names_entity",
    "quote_groups_grp",
    "quote_shingles_shingle",
    "articles_seq",
    "passage_shingles_shingle",
    "passage_shingles_article",
    "article_profiles_article",
    "story_articles_story",
    "cluster_features_feature",
    "cluster_features_cluster",
    "clusters_storyline",
)

# Corpus-level tables: dropped and rebuilt from the article-level ones when their code changes.
CORPUS_TABLES = (
    "name_uses",
    "names",
    "name_labels",
    "name_forms",
    "name_blocks",
    "name_links",
    "common_words",
    "entities",
    "entity_merges",
    "quote_groups",
    "groups",
    "group_merges",
    "quote_shingles",
    "shingle_counts",
    "borrowed_dates",
    "passage_shingles",
    "reuse",
    "feature_counts",
    "article_profiles",
    "undated_features",
    "story_articles",
    "clusters",
    "cluster_features",
    "cluster_merges",
    "story_digests",
)


def needs_migrating(path: str, version: int, read_only: bool) -> bool:
    """Whether a store of schema ``version`` is to be brought up to ``SCHEMA_VERSION`` (or created)
    now; one a newer newsprism wrote is refused, and so is an older one opened read-only."""
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: written by a newer newsprism (schema {version}); upgrade newsprism")
    if read_only and version < SCHEMA_VERSION:
        raise OutdatedStoreError(
            f"{path}: written by an older newsprism (schema {version}); "
            "run `newsprism analyze` on it once to upgrade it"
        )
    return not read_only


class Schema(Articles):
    """The tables, created on a new file and migrated forward on one an older release wrote (version 1
    is migrated by storing its annotations again, hence ``Articles``)."""

    def _open_schema(self) -> None:
        """Check the file's schema version, then bring it up to ``SCHEMA_VERSION``."""
        version = self._schema_version()
        if not needs_migrating(self.path, version, self.read_only):
            return
        if version == 1:
            self._migrate_1_to_2()
        if version <= 2:
            self._migrate_2_to_3()
        if version <= 3:
            self._migrate_3_to_4()
        if version <= 4:
            for index in DROPPED_IN_5:
                self._run(f"DROP INDEX IF EXISTS {index}")
        # Together, so that a meta table without a version is never a store newsprism made.
        with self.transaction("cannot create the tables"):
            self._run(SCHEMA)
            self._run("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def _schema_version(self) -> int:
        """The schema the file holds: ``SCHEMA_VERSION`` for a new, empty one (unless read-only). A
        database holding other tables is refused, so that nothing is added to it."""
        tables = {r[0] for r in self._rows("SELECT table_name FROM information_schema.tables")}
        if "meta" in tables:
            row = self._one("SELECT value FROM meta WHERE key = 'schema_version'")
            if row is None:
                raise StoreError(f"{self.path}: not a newsprism store (its meta table has no schema_version)")
            try:
                return int(row[0])
            except (TypeError, ValueError):
                raise StoreError(
                    f"{self.path}: schema_version {row[0]!r} in its meta table is not a number; "
                    "newsprism did not write it"
                ) from None
        if {"annotations", "articles"} <= tables:
            return 1  # the first release kept no meta table
        if tables:
            raise StoreError(f"{self.path}: not a newsprism store (a DuckDB database of other tables)")
        if self.read_only:
            raise StoreError(f"{self.path}: not a newsprism store (an empty DuckDB database)")
        return SCHEMA_VERSION

    def _migrate_1_to_2(self) -> None:
        """Version 1 kept one JSON row of annotations per article and the last run's entities only.
        Article rows and annotations move into their tables; the corpus level is rebuilt from them
        (``meta.corpus_key`` is left unset, which asks for that)."""
        self._run("BEGIN")
        try:
            self._run("ALTER TABLE articles RENAME TO articles_v1")
            self._run("DROP TABLE entities")
            self._run(SCHEMA)
            self._run(
                "INSERT INTO articles SELECT a.id, row_number() OVER (ORDER BY r.first_seen, a.id), "
                "a.raw_hash, "
                "'v1:' || a.version, CASE WHEN n.article IS NULL THEN NULL ELSE 'v1:' || n.version END, "
                "CAST(r.first_seen AS DATE), a.source, a.source_id, a.url, a.outlet, a.title, a.published, "
                "a.published_evidence, a.dateline, a.authors, a.credits, a.paragraphs, a.removed "
                "FROM articles_v1 a LEFT JOIN raw r ON r.hash = a.raw_hash "
                "LEFT JOIN annotations n ON n.article = a.id"
            )
            rows = self.db.execute("SELECT article, mentions, quotes, times FROM annotations").fetchall()
            self._put_annotations(
                [
                    Annotations(
                        article=article,
                        mentions=tuple(from_json(Mention, m) for m in json.loads(mentions)),
                        quotes=tuple(from_json(Quote, q) for q in json.loads(quotes)),
                        times=tuple(from_json(TimeRef, t) for t in json.loads(times)),
                    )
                    for article, mentions, quotes, times in rows
                ]
            )
            self._run("DROP TABLE annotations")
            self._run("DROP TABLE articles_v1")
            self._run("COMMIT")
        except duckdb.Error:
            self._run("ROLLBACK")
            raise

    def _migrate_2_to_3(self) -> None:
        """Version 2 dated undated articles by neighbours found through an index of their top terms;
        version 3 dates them by their story. The old index goes; the corpus level is rebuilt (its code
        changed), stories included."""
        self._run("DROP TABLE IF EXISTS article_terms")
        self._run("DROP TABLE IF EXISTS term_counts")

    def _migrate_3_to_4(self) -> None:
        """Version 3 kept article bodies and reused passages compressed; each table is copied into
        its uncompressed form (its indexes come back with the schema)."""
        tables = {r[0] for r in self._rows("SELECT table_name FROM information_schema.tables")}
        self._run("BEGIN")
        try:
            for table, (create, indexes) in RESTORED_IN_4.items():
                if table not in tables:
                    continue
                for index in indexes:
                    self._run(f"DROP INDEX IF EXISTS {index}")
                self._run(f"ALTER TABLE {table} RENAME TO {table}_v3")
                self._run(create)
                self._run(f"INSERT INTO {table} SELECT * FROM {table}_v3")
                self._run(f"DROP TABLE {table}_v3")
            self._run("COMMIT")
        except duckdb.Error:
            self._run("ROLLBACK")
            raise
