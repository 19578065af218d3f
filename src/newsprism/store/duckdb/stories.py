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

import dataclasses
import datetime as dt
import hashlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np

from newsprism.corpus.entities import ArticleNames, NameStat
from newsprism.corpus.stories import ENTITY_PREFIX, RECALL_PREFIX, Profile, StoryState
from newsprism.errors import StoreError
from newsprism.records import (
    Annotations,
    Article,
    DateEvidence,
    Dispute,
    Fact,
    Mention,
    Quote,
    RawDoc,
    Removed,
    ReuseLink,
    Speaker,
    StoryDigest,
    SummarySentence,
    TimeRef,
    Unit,
)

SCHEMA_VERSION = 5
# A waiting writer refreshes its mark at every retry (at least twice a second); an older mark was
# left by a writer that was killed.
WRITER_MARK_FRESH_S = 3.0
# How long opening the file waits for another process (a reader, the writer of a run) to let go of it.
LOCK_WAIT_S = 30.0

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
SCHEMA = ARTICLES_TABLE + REUSE_TABLE + """
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
# Lookups by a list of keys (``IN (SELECT unnest(?))``) are hash joins over a table scan: DuckDB
# never probes an ART index for them. Version 4's secondary indexes served no query, while every
# insert maintained them and a run held them in memory; version 5 drops them. ``times_article``
# stays from when ``put_times`` deleted by one article, a point lookup.
DROPPED_IN_5 = (
    "mentions_article", "quotes_article", "name_uses_article", "name_blocks_value", "name_blocks_key",
    "names_entity", "quote_groups_grp", "quote_shingles_shingle", "articles_seq",
    "passage_shingles_shingle", "passage_shingles_article", "article_profiles_article",
    "story_articles_story", "cluster_features_feature", "cluster_features_cluster", "clusters_storyline",
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

ARTICLE_COLUMNS = (
    "id",
    "seq",
    "raw_hash",
    "clean_key",
    "annotate_key",
    "reference_date",
    "source",
    "source_id",
    "url",
    "outlet",
    "title",
    "published",
    "published_evidence",
    "dateline",
    "authors",
    "credits",
    "paragraphs",
    "removed",
)
READ_ARTICLE = (
    "id, source, source_id, url, outlet, title, published, published_evidence, dateline, authors, "
    "credits, paragraphs, removed"
)


class DuckDBStore:
    """One DuckDB file. DuckDB lets one process write a file or several read it, never both at once,
    so the store holds the file only while it works: ``release`` lets go of it between batches (a
    reader such as the web app then gets in), and the next statement takes it back, waiting out a
    reader that holds it for a moment. ``read_only`` stores never write, migrate or wait long."""

    def __init__(self, path: str | Path, *, read_only: bool = False, lock_wait_s: float = LOCK_WAIT_S):
        self.path = str(path)
        self.read_only = read_only
        self.lock_wait_s = lock_wait_s
        self._db: duckdb.DuckDBPyConnection | None = None
        self._depth = 0
        if read_only and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such database")
        try:
            version = self._schema_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer newsprism (schema {version}); upgrade newsprism"
                )
            if read_only:
                if version < SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path}: written by an older newsprism (schema {version}); "
                        "run `newsprism analyze` on it once to upgrade it"
                    )
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
            self._run(SCHEMA)
            self._run("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        except BaseException as exc:
            # A store that failed to open must not keep the file open (and locked) behind the error.
            self.close()
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
            raise

    @property
    def db(self) -> duckdb.DuckDBPyConnection:
        if self._db is None:
            self._db = self._connect()
        return self._db

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """A connection, retried while another process holds the file's lock. A writer kept waiting
        says so in a mark file beside the database, which a ``SharedReader`` obeys by letting go."""
        deadline = time.monotonic() + self.lock_wait_s
        pause = 0.02
        mark = _writer_mark(self.path)
        marked = False
        try:
            while True:
                try:
                    return duckdb.connect(self.path, read_only=self.read_only)
                except duckdb.Error as exc:
                    if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                        raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
                if not self.read_only:
                    mark.touch()
                    marked = True
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
        finally:
            if marked:
                mark.unlink(missing_ok=True)

    @classmethod
    def _cursor_of(cls, anchor: DuckDBStore) -> DuckDBStore:
        """A read-only store on its own cursor of ``anchor``'s database (one per thread)."""
        store = cls.__new__(cls)
        store.path, store.read_only, store.lock_wait_s, store._depth = anchor.path, True, 0.0, 0
        store._db = anchor.db.cursor()
        return store

    def cursor(self) -> DuckDBStore | None:
        """A store reading this one's database through a cursor of its own, to read in parallel; None
        inside a transaction, whose uncommitted writes only this connection sees."""
        return None if self._depth else DuckDBStore._cursor_of(self)

    def release(self) -> None:
        """Let go of the file until the next statement (other processes may open it meanwhile)."""
        if self._depth == 0 and self._db is not None:
            self._db.close()
            self._db = None

    # -- housekeeping ---------------------------------------------------------------------------

    def _schema_version(self) -> int:
        tables = {
            r[0] for r in self.db.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        if "meta" in tables:
            row = self._one("SELECT value FROM meta WHERE key = 'schema_version'")
            return int(row[0]) if row else SCHEMA_VERSION
        return 1 if "annotations" in tables else SCHEMA_VERSION

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
                        mentions=tuple(Mention(**m) for m in json.loads(mentions)),
                        quotes=tuple(_quote_from_dict(q) for q in json.loads(quotes)),
                        times=tuple(TimeRef(**t) for t in json.loads(times)),
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

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, what: str = "cannot write") -> Iterator[None]:
        """All writes inside commit together or not at all; nested uses join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._run("BEGIN")
        self._depth = 1
        try:
            yield
            self._run("COMMIT")
        except duckdb.Error as exc:
            self._run("ROLLBACK")
            raise StoreError(f"{self.path}: {what}: {exc}") from exc
        except BaseException:
            self._run("ROLLBACK")
            raise
        finally:
            self._depth = 0

    def _insert(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]], conflict: str = ""
    ) -> None:
        """Named-column bulk inserts: the rows reach DuckDB as one NumPy column per field, read in a
        single statement (a multi-row VALUES statement costs about a millisecond per hundred values,
        ``executemany`` one statement per row)."""
        if not rows:
            return
        batch = {column: np.empty(len(rows), dtype=object) for column in columns}
        for i, row in enumerate(rows):
            for column, value in zip(columns, row, strict=True):
                batch[column][i] = value
        names = ", ".join(f'"{c}"' for c in columns)
        view = f"incoming_{table}"
        self.db.register(view, batch)
        try:
            self._run(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view} {conflict}")
        finally:
            self.db.unregister(view)

    def _run(self, sql: str, params: Sequence[object] = ()) -> None:
        """A statement run to completion: DuckDB keeps a statement's result open until it is read."""
        self.db.execute(sql, list(params)).fetchall()

    def _one(self, sql: str, params: Sequence[object] = ()) -> tuple | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.db.execute(sql, list(params)).fetchall()

    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._run("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def counts(self) -> dict[str, int]:
        return {
            t: self._one(f"SELECT count(*) FROM {t}")[0]
            for t in ("raw", "articles", "sources", "mentions", "quotes", "times", "entities")
        }

    # -- article level --------------------------------------------------------------------------

    def current(self, ids: Iterable[str], clean_key: str, annotate_key: str) -> set[str]:
        """Which of these articles already hold results of these versions of clean and annotate."""
        ids = list(ids)
        if not ids:
            return set()
        rows = self._rows(
            "SELECT id FROM articles WHERE clean_key = ? AND annotate_key = ? AND id IN (SELECT unnest(?))",
            [clean_key, annotate_key, ids],
        )
        return {r[0] for r in rows}

    def known(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        return {r[0] for r in self._rows("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids])}

    def put_raw(self, docs: Sequence[RawDoc]) -> None:
        self._insert(
            "raw",
            ("hash", "source", "is_html", "text", "given"),
            [(d.content_hash, d.source, d.is_html, d.text, json.dumps(d.given)) for d in docs],
            "ON CONFLICT DO NOTHING",
        )

    def put_sources(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._insert(
            "sources",
            ("source", "article"),
            pairs,
            "ON CONFLICT (source) DO UPDATE SET article = excluded.article",
        )

    def next_sequence(self) -> int:
        return self._one("SELECT coalesce(max(seq), 0) + 1 FROM articles")[0]

    def put_articles(
        self,
        results: Sequence[tuple[Article, Annotations | None]],
        raw_hash: dict[str, str],
        clean_key: str,
        annotate_key: str,
        reference_date: dt.date,
    ) -> None:
        """Article rows numbered in arrival order, with their annotations; an article whose
        annotation failed keeps no ``annotate_key`` and no annotations, so the next run retries it."""
        first = self.next_sequence()
        # Only an article made again has rows to replace; looking for others scans whole tables.
        self._delete_article_rows(sorted(self.known(a.id for a, _ in results)))
        self._insert(
            "articles",
            ARTICLE_COLUMNS,
            [
                _article_row(
                    a,
                    first + i,
                    raw_hash.get(a.id),
                    clean_key,
                    annotate_key if n is not None and n.error is None else None,
                    reference_date,
                )
                for i, (a, n) in enumerate(results)
            ],
        )
        self._put_annotations([n for _, n in results if n is not None and n.error is None])

    def _delete_article_rows(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        for table, column in (
            ("articles", "id"),
            ("mentions", "article"),
            ("quotes", "article"),
            ("times", "article"),
        ):
            self._run(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [list(ids)])

    def _put_annotations(self, found: Sequence[Annotations]) -> None:
        """Annotations of articles whose earlier rows are gone: one insert per table for them all."""
        self._insert(
            "mentions",
            ("article", "start", "end", "text", "label"),
            [(m.article, m.start, m.end, m.text, m.label) for n in found for m in n.mentions],
        )
        self._insert(
            "quotes",
            (
                "id",
                "article",
                "start",
                "end",
                "text",
                "kind",
                "speaker_text",
                "speaker_name",
                "speaker_start",
                "speaker_end",
                "cue",
                "via",
            ),
            [
                (
                    q.id,
                    q.article,
                    q.start,
                    q.end,
                    q.text,
                    q.kind,
                    q.speaker.text,
                    q.speaker.name,
                    q.speaker.start,
                    q.speaker.end,
                    q.cue,
                    q.via,
                )
                for n in found
                for q in n.quotes
            ],
        )
        self._insert_times([t for n in found for t in n.times])

    def put_times(self, times: dict[str, Sequence[TimeRef]]) -> None:
        """The time expressions of these articles, replacing the ones stored for them."""
        self._run("DELETE FROM times WHERE article IN (SELECT unnest(?))", [sorted(times)])
        self._insert_times([t for found in times.values() for t in found])

    def _insert_times(self, times: Sequence[TimeRef]) -> None:
        self._insert(
            "times",
            ("article", "start", "end", "text", "value", "granularity"),
            [(t.article, t.start, t.end, t.text, t.value, t.granularity) for t in times],
        )

    def articles(self, ids: Sequence[str]) -> list[Article]:
        rows = self._rows(f"SELECT {READ_ARTICLE} FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)])
        by_id = {r[0]: _article(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def outlets_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        return dict(self._rows("SELECT id, outlet FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]))

    def outlet_list(self) -> list[str]:
        """Every outlet the store holds articles of, by name."""
        rows = self._rows("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1")
        return [r[0] for r in rows]

    def sequence(self, ids: Sequence[str]) -> dict[str, int]:
        return dict(self._rows("SELECT id, seq FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]))

    def annotations(self, ids: Sequence[str]) -> dict[str, Annotations]:
        """Annotations of the annotated articles among ``ids``."""
        ids = list(ids)
        done = [
            r[0]
            for r in self._rows(
                "SELECT id FROM articles WHERE annotate_key IS NOT NULL AND id IN (SELECT unnest(?))", [ids]
            )
        ]
        mentions: dict[str, list[Mention]] = {i: [] for i in done}
        quotes: dict[str, list[Quote]] = {i: [] for i in done}
        times: dict[str, list[TimeRef]] = {i: [] for i in done}
        for r in self._rows(
            'SELECT article, start, "end", text, label FROM mentions '
            'WHERE article IN (SELECT unnest(?)) ORDER BY article, start, "end"',
            [done],
        ):
            mentions[r[0]].append(Mention(*r))
        for r in self._rows(
            'SELECT id, article, start, "end", text, kind, speaker_text, speaker_name, '
            "speaker_start, speaker_end, cue, via FROM quotes WHERE article IN (SELECT unnest(?)) "
            'ORDER BY article, start, "end"',
            [done],
        ):
            quotes[r[1]].append(
                Quote(r[0], r[1], r[2], r[3], r[4], r[5], Speaker(r[6], r[7], r[8], r[9]), r[10], r[11])
            )
        for r in self._rows(
            'SELECT article, start, "end", text, value, granularity FROM times '
            'WHERE article IN (SELECT unnest(?)) ORDER BY article, start, "end"',
            [done],
        ):
            times[r[0]].append(TimeRef(*r))
        return {i: Annotations(i, tuple(mentions[i]), tuple(quotes[i]), tuple(times[i])) for i in done}

    def select(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[str]:
        """Ids of stored articles, in arrival order, that match every given filter. Dates compare
        with the publication date (own or borrowed); ``source`` is a glob over input paths."""
        where, params = _published_filters(outlet, since, until)
        if source is not None:
            where.append("(a.source GLOB ? OR a.id IN (SELECT article FROM sources WHERE source GLOB ?))")
            params += [source, source]
        if ids is not None:
            where.append("a.id IN (SELECT unnest(?))")
            params.append(list(ids))
        rows = self._rows(
            f"SELECT a.id FROM articles a LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE {' AND '.join(where)} ORDER BY a.seq",
            params,
        )
        return [r[0] for r in rows]

    def sources_of(self, ids: Sequence[str]) -> dict[str, str]:
        """One input path per article: the latest one it was read from."""
        rows = self._rows(
            "SELECT article, max(source) FROM sources WHERE article IN (SELECT unnest(?)) GROUP BY article",
            [list(ids)],
        )
        return dict(rows)

    def retract(self, ids: Sequence[str]) -> set[str]:
        """Take articles out of the corpus-level statistics before they are made again; the names
        whose counts fell, which must be resolved again."""
        ids = list(ids)
        if not ids:
            return set()
        self._run(
            """
            CREATE OR REPLACE TEMP TABLE gone AS
            SELECT u.key, u.label, m.text AS form, count(*) AS n FROM name_uses u
            JOIN mentions m USING (article, start, "end")
            WHERE u.article IN (SELECT unnest(?)) AND u.key IS NOT NULL
            GROUP BY ALL""",
            [ids],
        )
        self._run(
            "UPDATE name_labels SET n = name_labels.n - g.n FROM "
            "(SELECT key, label, sum(n) AS n FROM gone GROUP BY ALL) g "
            "WHERE name_labels.key = g.key AND name_labels.label = g.label"
        )
        self._run(
            "UPDATE name_forms SET n = name_forms.n - g.n FROM "
            "(SELECT key, form, sum(n) AS n FROM gone GROUP BY ALL) g "
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
        self._run(
            """
            CREATE OR REPLACE TEMP TABLE leaving AS
            SELECT article, story AS cluster, day FROM story_articles WHERE article IN (SELECT unnest(?))
            UNION ALL
            SELECT s.article, c.storyline, s.day FROM story_articles s JOIN clusters c ON c.id = s.story
            WHERE s.article IN (SELECT unnest(?))""",
            [ids, ids],
        )
        self._run(
            "UPDATE cluster_features SET weight = cluster_features.weight - g.weight FROM ("
            " SELECT l.cluster, p.feature, sum(p.weight) AS weight FROM leaving l"
            " JOIN article_profiles p USING (article) GROUP BY ALL) g "
            "WHERE cluster_features.cluster = g.cluster AND cluster_features.feature = g.feature"
        )
        self._run(
            "UPDATE clusters SET size = clusters.size - g.n, undated = clusters.undated - g.undated, "
            "day_sum = clusters.day_sum - g.day_sum FROM "
            "(SELECT cluster, count(*) AS n, count(*) FILTER (WHERE day IS NULL) AS undated, "
            " coalesce(sum(day), 0) AS day_sum FROM leaving GROUP BY cluster) g WHERE clusters.id = g.cluster"
        )
        # What the members left make of the span and the title.
        self._run(
            """
            CREATE OR REPLACE TEMP TABLE remaining AS
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
            "arg_max(article, score) AS article FROM remaining GROUP BY cluster) r "
            "WHERE clusters.id = r.cluster AND clusters.representative IN (SELECT unnest(?))",
            [ids],
        )
        self._run("DELETE FROM cluster_features WHERE weight <= 1e-9")
        self._run("DELETE FROM cluster_features WHERE cluster IN (SELECT id FROM clusters WHERE size <= 0)")
        self._run("DELETE FROM clusters WHERE size <= 0")

    def clear_corpus(self) -> None:
        for table in CORPUS_TABLES:
            self._run(f"DELETE FROM {table}")

    def annotated_ids(self) -> list[str]:
        return [
            r[0] for r in self._rows("SELECT id FROM articles WHERE annotate_key IS NOT NULL ORDER BY seq")
        ]

    # -- entities -------------------------------------------------------------------------------

    def put_name_uses(self, found: Sequence[ArticleNames], stats: dict[str, NameStat]) -> None:
        """Each mention's name and entity key, and the names' statistics added to the corpus's."""
        self._insert(
            "name_uses",
            ("article", "start", "end", "key", "label", "resolves_to", "country"),
            [
                (u.mention.article, u.mention.start, u.mention.end, u.key, u.label, u.resolves_to, u.country)
                for names in found
                for u in names.uses
            ],
        )
        self._insert("names", ("key",), [(k,) for k in stats], "ON CONFLICT DO NOTHING")
        self._insert(
            "name_labels",
            ("key", "label", "n"),
            [(k, label, n) for k, s in stats.items() for label, n in s.labels.items()],
            "ON CONFLICT (key, label) DO UPDATE SET n = name_labels.n + excluded.n",
        )
        self._insert(
            "name_forms",
            ("key", "form", "n", "first"),
            [(k, form, n, s.first[form]) for k, s in stats.items() for form, n in s.forms.items()],
            "ON CONFLICT (key, form) DO UPDATE SET n = name_forms.n + excluded.n, "
            "first = least(name_forms.first, excluded.first)",
        )
        # Counted by article: how many articles tie the two names.
        links = Counter((a, b, "alias") for names in found for a, b in set(names.aliases))
        links.update((a, b, "acronym") for names in found for a, b in names.acronyms)
        self._insert(
            "name_links",
            ("a", "b", "kind", "n"),
            [(a, b, kind, n) for (a, b, kind), n in links.items()],
            "ON CONFLICT (a, b, kind) DO UPDATE SET n = name_links.n + excluded.n",
        )
        words = sorted(set().union(*(names.words for names in found)))
        self._insert("common_words", ("word",), [(w,) for w in words], "ON CONFLICT DO NOTHING")

    def name_stats(self, keys: Iterable[str]) -> dict[str, NameStat]:
        keys = list(keys)
        stats = {k: NameStat(k) for k in keys}
        for key, label, n in self._rows(
            "SELECT key, label, n FROM name_labels WHERE key IN (SELECT unnest(?))", [keys]
        ):
            stats[key].labels[label] = n
        for key, form, n, first in self._rows(
            "SELECT key, form, n, first FROM name_forms WHERE key IN (SELECT unnest(?))", [keys]
        ):
            stats[key].forms[form] = n
            stats[key].first[form] = first
        return {k: s for k, s in stats.items() if s.labels}

    def names_in_blocks(self, probes: Iterable[tuple[str, str]], max_names: int) -> set[str]:
        """Names filed under these blocks, leaving out blocks that hold more than ``max_names``."""
        probes = sorted(set(probes))
        if not probes:
            return set()
        rows = self._rows(
            "WITH hits AS (SELECT b.kind, b.value, b.key FROM name_blocks b JOIN "
            "(SELECT unnest(?) AS kind, unnest(?) AS value) p USING (kind, value)) "
            "SELECT DISTINCT key FROM hits WHERE (kind, value) IN "
            "(SELECT kind, value FROM hits GROUP BY kind, value HAVING count(*) <= ?)",
            [[k for k, _ in probes], [v for _, v in probes], max_names],
        )
        return {r[0] for r in rows}

    def links_of(self, keys: Iterable[str]) -> Counter[tuple[str, str, str]]:
        """Links (name, name, kind) touching these names, with the number of articles writing each."""
        keys = list(keys)
        rows = self._rows(
            "SELECT a, b, kind, n FROM name_links WHERE a IN (SELECT unnest(?)) OR b IN (SELECT unnest(?))",
            [keys, keys],
        )
        return Counter({(a, b, kind): n for a, b, kind, n in rows})

    def common_words(self, words: Iterable[str]) -> set[str]:
        return {
            r[0]
            for r in self._rows(
                "SELECT word FROM common_words WHERE word IN (SELECT unnest(?))", [sorted(set(words))]
            )
        }

    def entity_of_names(self, keys: Iterable[str]) -> dict[str, str | None]:
        return dict(self._rows("SELECT key, entity FROM names WHERE key IN (SELECT unnest(?))", [list(keys)]))

    def names_of_entities(self, ids: Iterable[str]) -> set[str]:
        return {
            r[0] for r in self._rows("SELECT key FROM names WHERE entity IN (SELECT unnest(?))", [list(ids)])
        }

    def entity_rows(self, ids: Iterable[str]) -> dict[str, tuple[str, str, int]]:
        """Entity id to (type, name, created)."""
        return {
            r[0]: (r[1], r[2], r[3])
            for r in self._rows(
                "SELECT id, type, name, created FROM entities WHERE id IN (SELECT unnest(?))", [list(ids)]
            )
        }

    def next_created(self) -> int:
        return self._one("SELECT coalesce(max(created), 0) + 1 FROM entities")[0]

    def put_names(
        self,
        entity_of_key: dict[str, str],
        label_of_key: dict[str, str],
        blocks: dict[str, set[tuple[str, str]]],
        unused: Iterable[str] = (),
    ) -> None:
        """Names with their label and entity; ``blocks`` refiles the names it holds; ``unused``
        names, no article using them any more, go."""
        keys, unused = list(entity_of_key), list(unused)
        self._run("DELETE FROM names WHERE key IN (SELECT unnest(?))", [keys + unused])
        self._insert(
            "names", ("key", "label", "entity"), [(k, label_of_key[k], entity_of_key[k]) for k in keys]
        )
        self._run("DELETE FROM name_blocks WHERE key IN (SELECT unnest(?))", [list(blocks) + unused])
        self._insert(
            "name_blocks",
            ("kind", "value", "key"),
            [(kind, value, k) for k, filed in blocks.items() for kind, value in sorted(filed)],
        )

    def put_entities(
        self,
        rows: Sequence[tuple[str, str, str, int, int]],
        merges: Sequence[tuple[str, str]],
        gone: Iterable[str] = (),
    ) -> None:
        """Rows of (id, type, name, mentions, created); ``merges`` maps ids that joined another;
        ``gone`` ids no name bears any more."""
        self._run("DELETE FROM entities WHERE id IN (SELECT unnest(?))", [sorted(gone)])
        self._insert(
            "entities",
            ("id", "type", "name", "mentions", "created"),
            rows,
            "ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, "
            "mentions = excluded.mentions",
        )
        if merges:
            self._insert(
                "entity_merges", ("old", "new"), merges, "ON CONFLICT (old) DO UPDATE SET new = excluded.new"
            )
            # An id that was merged earlier into one merged now follows it.
            self._run(
                "UPDATE entity_merges SET new = m.new FROM (SELECT unnest(?) AS old, unnest(?) AS new) m "
                "WHERE entity_merges.new = m.old",
                [[o for o, _ in merges], [n for _, n in merges]],
            )
            self._run("DELETE FROM entities WHERE id IN (SELECT unnest(?))", [[o for o, _ in merges]])

    def entity_merges(self, ids: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows("SELECT old, new FROM entity_merges WHERE old IN (SELECT unnest(?))", [list(ids)])
        )

    def name_uses(self, ids: Sequence[str]) -> list[tuple[str, int, int, str | None, str, str, str | None]]:
        """(article, start, end, key, label, resolves_to, country) of the articles' mentions."""
        return self._rows(
            'SELECT article, start, "end", key, label, resolves_to, country FROM name_uses '
            'WHERE article IN (SELECT unnest(?)) ORDER BY article, start, "end"',
            [list(ids)],
        )

    def names_view(self, keys: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        """Name key to (voted label, entity id)."""
        return {
            r[0]: (r[1], r[2])
            for r in self._rows(
                "SELECT key, label, entity FROM names WHERE key IN (SELECT unnest(?))", [list(keys)]
            )
        }

    def entities_named(self, kind: str, names: Iterable[str]) -> dict[str, str]:
        """Canonical name to entity id, for entities of this type."""
        return dict(
            self._rows(
                "SELECT name, min(id) FROM entities WHERE type = ? AND name IN (SELECT unnest(?)) "
                "GROUP BY name",
                [kind, list(names)],
            )
        )

    def entity_list(
        self, *, name: str | None = None, kind: str | None = None, limit: int | None = None
    ) -> list[tuple[str, str, str, int]]:
        """(id, name, type, mentions), most mentioned first; ``name`` matches, case aside, the canonical
        name or any spelling the corpus wrote it with ("Brask" for Helena Brask)."""
        where, params = ["1 = 1"], []
        if name is not None:
            where.append(
                "(lower(name) = lower(?) OR id IN (SELECT n.entity FROM name_forms f JOIN names n "
                "USING (key) WHERE lower(f.form) = lower(?)))"
            )
            params += [name, name]
        if kind is not None:
            where.append("type = ?")
            params.append(kind)
        sql = (
            f"SELECT id, name, type, mentions FROM entities WHERE {' AND '.join(where)} "
            "ORDER BY mentions DESC, id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._rows(sql, params)

    def articles_of_entities(self, ids: Sequence[str]) -> list[str]:
        rows = self._rows(
            "SELECT DISTINCT u.article FROM name_uses u JOIN names n ON n.key = u.resolves_to "
            "WHERE n.entity IN (SELECT unnest(?))",
            [list(ids)],
        )
        return [r[0] for r in rows]

    # -- quote groups ---------------------------------------------------------------------------

    def shingle_holders(
        self, shingles: Iterable[str], max_holders: int
    ) -> dict[str, list[tuple[str, str, int]]]:
        """Quotes (id, article, number of shingles) holding each shingle that at most
        ``max_holders`` quotes hold: a commoner one is boilerplate, not evidence."""
        shingles = sorted(set(shingles))
        rows = self._rows(
            "SELECT s.shingle, s.quote, q.article, q.shingles FROM quote_shingles s "
            "JOIN shingle_counts c ON c.shingle = s.shingle AND c.n <= ? "
            "JOIN quote_groups q ON q.quote = s.quote WHERE s.shingle IN (SELECT unnest(?))",
            [max_holders, shingles],
        )
        out: dict[str, list[tuple[str, str, int]]] = {}
        for shingle, quote, article, n in rows:
            out.setdefault(shingle, []).append((quote, article, n))
        return out

    def put_quote_shingles(self, quotes: Sequence[tuple[str, str, str, Sequence[str]]], created: int) -> None:
        """New quotes (id, article, own group, shingles), each in a group of its own to start with."""
        self._insert(
            "quote_groups",
            ("quote", "article", "grp", "shingles"),
            [(q, a, g, len(sh)) for q, a, g, sh in quotes],
        )
        self._insert(
            "groups", ("grp", "created"), [(g, created) for _, _, g, _ in quotes], "ON CONFLICT DO NOTHING"
        )
        self._insert("quote_shingles", ("shingle", "quote"), [(s, q) for q, _, _, sh in quotes for s in sh])
        counts = Counter(s for _, _, _, sh in quotes for s in sh)
        self._insert(
            "shingle_counts",
            ("shingle", "n"),
            list(counts.items()),
            "ON CONFLICT (shingle) DO UPDATE SET n = shingle_counts.n + excluded.n",
        )

    def next_group_created(self) -> int:
        return self._one("SELECT coalesce(max(created), 0) + 1 FROM groups")[0]

    def quote_groups(self, quotes: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows(
                "SELECT quote, grp FROM quote_groups WHERE quote IN (SELECT unnest(?))", [list(quotes)]
            )
        )

    def group_created(self, groups: Iterable[str]) -> dict[str, int]:
        return dict(
            self._rows("SELECT grp, created FROM groups WHERE grp IN (SELECT unnest(?))", [list(groups)])
        )

    def merge_groups(self, merges: dict[str, str]) -> None:
        """Fold each old group into its new one; the old id keeps resolving through ``group_merges``."""
        if not merges:
            return
        old, new = list(merges), list(merges.values())
        self._run(
            "UPDATE quote_groups SET grp = m.new FROM (SELECT unnest(?) AS old, unnest(?) AS new) m "
            "WHERE quote_groups.grp = m.old",
            [old, new],
        )
        self._run(
            "UPDATE group_merges SET new = m.new FROM (SELECT unnest(?) AS old, unnest(?) AS new) m "
            "WHERE group_merges.new = m.old",
            [old, new],
        )
        self._insert(
            "group_merges",
            ("old", "new"),
            list(merges.items()),
            "ON CONFLICT (old) DO UPDATE SET new = excluded.new",
        )
        self._run("DELETE FROM groups WHERE grp IN (SELECT unnest(?))", [old])

    def shared_quote_groups(self, ids: Sequence[str]) -> dict[str, str]:
        """The group of each quote of these articles whose words several articles carry."""
        return dict(
            self._rows(
                "WITH mine AS (SELECT quote, grp FROM quote_groups WHERE article IN (SELECT unnest(?))) "
                "SELECT m.quote, m.grp FROM mine m JOIN (SELECT grp FROM quote_groups "
                "WHERE grp IN (SELECT grp FROM mine) GROUP BY grp HAVING count(DISTINCT article) > 1) "
                "USING (grp)",
                [list(ids)],
            )
        )

    def quote_partners(self, ids: Iterable[str], limit: int) -> dict[str, set[str]]:
        """The other articles carrying a quote of each of these (one quote group), those sharing
        most quotes first, at most ``limit``."""
        out: dict[str, set[str]] = {}
        for article, other in self._rows(
            "SELECT article, other FROM ("
            " SELECT a.article, b.article AS other, row_number() OVER ("
            "  PARTITION BY a.article ORDER BY count(*) DESC, b.article) AS rank"
            " FROM quote_groups a JOIN quote_groups b ON b.grp = a.grp AND b.article <> a.article"
            " WHERE a.article IN (SELECT unnest(?)) GROUP BY a.article, b.article"
            ") WHERE rank <= ?",
            [sorted(set(ids)), limit],
        ):
            out.setdefault(article, set()).add(other)
        return out

    def group_merges(self, groups: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows("SELECT old, new FROM group_merges WHERE old IN (SELECT unnest(?))", [list(groups)])
        )

    # -- dates borrowed from the story ---------------------------------------------------------

    def borrowed_dates(self, ids: Sequence[str]) -> dict[str, DateEvidence]:
        return {
            r[0]: DateEvidence(*r[1:])
            for r in self._rows(
                "SELECT article, value, text, method, confidence FROM borrowed_dates "
                "WHERE article IN (SELECT unnest(?))",
                [list(ids)],
            )
        }

    def put_borrowed_dates(self, dates: dict[str, DateEvidence | None]) -> None:
        self._run("DELETE FROM borrowed_dates WHERE article IN (SELECT unnest(?))", [list(dates)])
        self._insert(
            "borrowed_dates",
            ("article", "value", "text", "method", "confidence"),
            [(a, e.value, e.text, e.method, e.confidence) for a, e in dates.items() if e is not None],
        )

    # -- reuse ----------------------------------------------------------------------------------

    def put_passage_shingles(self, shingles: dict[str, Iterable[int]]) -> None:
        self._insert(
            "passage_shingles",
            ("shingle", "article"),
            [(s, article) for article, found in shingles.items() for s in sorted(found)],
        )

    def sharing_passages(
        self, shingles: dict[str, Iterable[int]], *, max_postings: int, min_shared: int, limit: int
    ) -> dict[str, list[str]]:
        """For each article (with its indexed shingles, stored already), the others holding at least
        ``min_shared`` of them (those held by more than ``max_postings`` articles are skipped), most
        shared first, at most ``limit``."""
        mine = [(article, s) for article, found in shingles.items() for s in found]
        if not mine:
            return {}
        self.db.register("mine", {"article": np.array([a for a, _ in mine], dtype=object),
                                  "shingle": np.array([s for _, s in mine], dtype=np.int64)})
        try:
            return _grouped(
                self._rows(
                    # One pass over the index: its rows holding any of the new shingles.
                    "WITH hits AS MATERIALIZED (SELECT shingle, article FROM passage_shingles"
                    " WHERE shingle IN (SELECT shingle FROM mine)), "
                    "rare AS (SELECT shingle FROM hits GROUP BY shingle HAVING count(*) BETWEEN 2 AND ?) "
                    "SELECT article, other FROM ("
                    " SELECT m.article, h.article AS other, row_number() OVER ("
                    "  PARTITION BY m.article ORDER BY count(*) DESC, h.article) AS rank"
                    " FROM mine m JOIN rare USING (shingle)"
                    " JOIN hits h ON h.shingle = m.shingle AND h.article <> m.article"
                    " GROUP BY m.article, h.article HAVING count(*) >= ?"
                    ") WHERE rank <= ? ORDER BY article, rank",
                    [max_postings, min_shared, limit],
                )
            )
        finally:
            self.db.unregister("mine")

    def put_reuse(self, links: Sequence[ReuseLink]) -> None:
        self._insert(
            "reuse",
            ("source", "target", "kind", "passages", "origin", "evidence"),
            [(r.source, r.target, r.kind, json.dumps(r.passages), r.origin, r.evidence) for r in links],
            "ON CONFLICT (source, target) DO NOTHING",
        )

    def copy_partners(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(source, target, kind) of the reuse links touching these articles, without their
        passages (the longest column of the table)."""
        return self._rows(
            "SELECT source, target, kind FROM reuse "
            "WHERE source IN (SELECT unnest(?)) OR target IN (SELECT unnest(?)) ORDER BY source, target",
            [list(ids), list(ids)],
        )

    def reuse_of(self, ids: Sequence[str]) -> list[ReuseLink]:
        """Reuse links between two of these articles."""
        rows = self._rows(
            "SELECT source, target, kind, passages, origin, evidence FROM reuse "
            "WHERE source IN (SELECT unnest(?)) AND target IN (SELECT unnest(?)) ORDER BY source, target",
            [list(ids), list(ids)],
        )
        return [ReuseLink(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5]) for r in rows]

    # -- stories --------------------------------------------------------------------------------

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
            ") WHERE rank <= ? ORDER BY probe, rank",
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
            ") WHERE rank <= ? ORDER BY probe, rank",
            [limit],
            ("probe", "feature", "weight"),
            [(key, f, w) for key, p in probes.items() for f, w in _features(p.words, p.entities).items()],
        )

    def _ranked(
        self, sql: str, params: Sequence[object], columns: Sequence[str], probes: Sequence[tuple]
    ) -> dict[str, list[str]]:
        """What ``sql`` finds for each probe, in its order: ``probes`` (rows of ``columns``) are
        the table ``incoming_probes`` it reads; it selects (probe, found) pairs."""
        if not probes:
            return {}
        batch = {c: np.array([r[i] for r in probes], dtype=object) for i, c in enumerate(columns)}
        self.db.register("incoming_probes", batch)
        try:
            return _grouped(self._rows(sql, params))
        finally:
            self.db.unregister("incoming_probes")

    def clusters(
        self, ids: Iterable[str], *, features: bool = True
    ) -> dict[str, tuple[StoryState, str | None]]:
        """Stories or storylines by id, with their representative article; without ``features``,
        the states hold no word or entity weights (enough to show them)."""
        ids = sorted(set(ids))
        states = {
            r[0]: (StoryState(r[0], r[1], r[2], {}, {}, r[3], r[4], r[5], r[6], r[7]), r[8])
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
            state = states[cluster][0]
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
        return _grouped(
            self._rows(
                "SELECT story, article FROM ("
                " SELECT story, article,"
                "  row_number() OVER (PARTITION BY story ORDER BY score DESC, article) AS rank"
                " FROM story_articles WHERE story IN (SELECT unnest(?)) AND day IS NOT NULL"
                ") WHERE rank <= ? ORDER BY story, rank",
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

    def story_list(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        speaker: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[str], int]:
        """One page of story ids, latest first, with an article matching every filter (outlet,
        publication dates, a speaker quoted, by any part of the name as written), and how many
        stories match in all."""
        where, params = _published_filters(outlet, since, until)
        where.append("c.level = 'story'")
        if speaker is not None:
            spoken, spoken_params = _every_word(("speaker_name", "speaker_text"), [speaker])
            where.append(f"a.id IN (SELECT article FROM quotes WHERE {spoken})")
            params += spoken_params
        rows = self._rows(
            "SELECT c.id, count(*) OVER () FROM clusters c JOIN story_articles s ON s.story = c.id "
            "JOIN articles a ON a.id = s.article LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE {' AND '.join(where)} GROUP BY c.id, c.last, c.size "
            "ORDER BY c.last DESC NULLS LAST, c.size DESC, c.id LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        )
        return [r[0] for r in rows], (rows[0][1] if rows else 0)

    def search_articles(
        self, words: Sequence[str], *, limit: int = 20, offset: int = 0
    ) -> tuple[list[str], int]:
        """Articles whose title or body holds every word (case aside), latest first, and how many."""
        where, params = _every_word(("a.title", "CAST(a.paragraphs AS TEXT)"), words)
        rows = self._rows(
            "SELECT a.id, count(*) OVER () FROM articles a LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE {where} ORDER BY coalesce(a.published, b.value) DESC NULLS LAST, a.seq DESC "
            "LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        )
        return [r[0] for r in rows], (rows[0][1] if rows else 0)

    def search_quotes(
        self, words: Sequence[str], *, limit: int = 20, offset: int = 0
    ) -> tuple[list[tuple[str, str]], int]:
        """(quote id, article id) of quotes whose words or speaker hold every word, and how many."""
        where, params = _every_word(("text", "speaker_name", "speaker_text"), words)
        rows = self._rows(
            f"SELECT id, article, count(*) OVER () FROM quotes WHERE {where} "
            "ORDER BY article, start LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        )
        return [(r[0], r[1]) for r in rows], (rows[0][2] if rows else 0)

    def search_entities(self, words: Sequence[str], *, limit: int = 20) -> list[tuple[str, str, str, int]]:
        """(id, name, type, mentions) of entities whose name, or one spelling, holds every word."""
        in_name, name_params = _every_word(("e.name",), words)
        in_form, form_params = _every_word(("f.form",), words)
        return self._rows(
            f"SELECT e.id, e.name, e.type, e.mentions FROM entities e WHERE {in_name} OR e.id IN "
            f"(SELECT n.entity FROM name_forms f JOIN names n USING (key) WHERE {in_form}) "
            "ORDER BY e.mentions DESC, e.id LIMIT ?",
            [*name_params, *form_params, int(limit)],
        )

    def story_members(self, stories: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for story, article in self._rows(
            "SELECT s.story, s.article FROM story_articles s JOIN articles a ON a.id = s.article "
            "WHERE s.story IN (SELECT unnest(?)) ORDER BY s.story, s.day NULLS LAST, a.seq",
            [list(stories)],
        ):
            out.setdefault(story, []).append(article)
        return out

    def story_digests(self, stories: Iterable[str]) -> dict[str, StoryDigest]:
        """The stored facts, disputes and summary of these stories, each with the key of the members
        it was computed from."""
        found = {}
        for story, members, facts, disputes, summary in self._rows(
            "SELECT story, members, facts, disputes, summary FROM story_digests "
            "WHERE story IN (SELECT unnest(?))",
            [list(stories)],
        ):
            found[story] = StoryDigest(
                members,
                tuple(_fact(f) for f in json.loads(facts)),
                tuple(_dispute(d) for d in json.loads(disputes)),
                tuple(_summary_sentence(s) for s in json.loads(summary)),
            )
        return found

    def put_story_digests(self, digests: dict[str, StoryDigest]) -> None:
        self._insert(
            "story_digests",
            ("story", "members", "facts", "disputes", "summary"),
            [
                (
                    story,
                    d.members,
                    json.dumps([dataclasses.asdict(f) for f in d.facts]),
                    json.dumps([dataclasses.asdict(x) for x in d.disputes]),
                    json.dumps([dataclasses.asdict(x) for x in d.summary]),
                )
                for story, d in digests.items()
            ],
            "ON CONFLICT (story) DO UPDATE SET members = excluded.members, facts = excluded.facts, "
            "disputes = excluded.disputes, summary = excluded.summary",
        )

    def stale_digests(self) -> list[str]:
        """Stories whose digest is missing or was computed from other members (``members_key``),
        oldest first; digests of stories that no longer exist are dropped."""
        self._run("DELETE FROM story_digests WHERE story NOT IN (SELECT story FROM story_articles)")
        rows = self._rows(
            "SELECT s.story FROM (SELECT story, md5(string_agg(article, ',' ORDER BY article)) AS members "
            "FROM story_articles GROUP BY story) s LEFT JOIN story_digests d USING (story) "
            "JOIN clusters c ON c.id = s.story "
            "WHERE d.members IS DISTINCT FROM s.members ORDER BY c.created, c.id"
        )
        return [r[0] for r in rows]

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

    def story_assignments(self) -> dict[str, tuple[str, str]]:
        """Every placed article's story and storyline."""
        rows = self._rows(
            "SELECT s.article, s.story, c.storyline FROM story_articles s JOIN clusters c ON c.id = s.story"
        )
        return {article: (story, line) for article, story, line in rows}

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


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(key, item) rows as each key's items, in the rows' order."""
    out: dict[str, list[str]] = {}
    for key, item in pairs:
        out.setdefault(key, []).append(item)
    return out


def _article_row(
    a: Article,
    seq: int,
    raw_hash: str | None,
    clean_key: str,
    annotate_key: str | None,
    reference_date: dt.date,
) -> tuple:
    evidence = json.dumps(dataclasses.asdict(a.published_evidence)) if a.published_evidence else None
    return (
        a.id,
        seq,
        raw_hash,
        clean_key,
        annotate_key,
        reference_date,
        a.source,
        a.source_id,
        a.url,
        a.outlet,
        a.title,
        a.published,
        evidence,
        a.dateline,
        json.dumps(a.authors),
        json.dumps(a.credits),
        json.dumps(a.paragraphs, ensure_ascii=False),
        json.dumps([dataclasses.asdict(r) for r in a.removed], ensure_ascii=False),
    )


def _article(row: tuple) -> Article:
    (
        id_,
        source,
        source_id,
        url,
        outlet,
        title,
        published,
        evidence,
        dateline,
        authors,
        credits,
        paragraphs,
        removed,
    ) = row
    return Article(
        id=id_,
        source=source,
        source_id=source_id,
        url=url,
        outlet=outlet,
        title=title,
        published=published,
        published_evidence=DateEvidence(**json.loads(evidence)) if evidence else None,
        dateline=dateline,
        authors=tuple(json.loads(authors)),
        credits=tuple(json.loads(credits)),
        paragraphs=tuple(json.loads(paragraphs)),
        removed=tuple(Removed(**r) for r in json.loads(removed)),
    )


def _quote_from_dict(q: dict) -> Quote:
    return Quote(**{**q, "speaker": Speaker(**q["speaker"])})


def _features(words: dict[str, float], entities: dict[str, float]) -> dict[str, float]:
    """Words and entities in one feature column, entities marked by ``ENTITY_PREFIX``."""
    return {**words, **{ENTITY_PREFIX + e: w for e, w in entities.items()}}


def _split_feature(feature: str, weight: float, words: dict[str, float], entities: dict[str, float]) -> None:
    if feature.startswith(ENTITY_PREFIX):
        entities[feature[len(ENTITY_PREFIX) :]] = weight
    else:
        words[feature] = weight


class SharedReader:
    """Read-only stores for a long-running reader (the web app). One DuckDB database stays open and
    every use gets its own cursor of it, so a request neither opens the file nor finds its blocks
    cold. DuckDB lets a file have one writing process or reading ones, never both: when a writer
    marks that it is waiting, the reader lets new uses wait, closes the database once the uses in
    flight end, and opens it again once the writer has the file and lets go of it (``release``)."""

    def __init__(self, path: str | Path, *, wait_s: float = LOCK_WAIT_S):
        self.path = str(path)
        self.wait_s = wait_s
        self._anchor: DuckDBStore | None = None
        self._users = 0
        self._closed = False
        self._turn = threading.Condition()
        threading.Thread(target=self._yield_to_writers, name="newsprism-reader", daemon=True).start()

    @contextmanager
    def store(self) -> Iterator[DuckDBStore]:
        deadline = time.monotonic() + self.wait_s
        with self._turn:
            while _writer_waiting(self.path):
                self._let_go_if_idle()
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: busy: a run is writing it; try again in a moment")
                self._turn.wait(0.05)
            if self._anchor is None:
                self._anchor = DuckDBStore(
                    self.path, read_only=True, lock_wait_s=max(deadline - time.monotonic(), 0.0)
                )
                self._anchor.db.execute("SET threads = 1")
            self._users += 1
            store = DuckDBStore._cursor_of(self._anchor)
        try:
            yield store
        finally:
            store.close()
            with self._turn:
                self._users -= 1
                if _writer_waiting(self.path):
                    self._let_go_if_idle()
                self._turn.notify_all()

    def version(self) -> tuple[int, ...]:
        """Changes whenever a writer commits to the file (its size and time, and its write-ahead
        log's): what was read before may be kept until then."""
        stamp: list[int] = []
        for path in (self.path, self.path + ".wal"):
            try:
                info = os.stat(path)
            except FileNotFoundError:
                stamp += [0, 0]
            else:
                stamp += [info.st_mtime_ns, info.st_size]
        return tuple(stamp)

    def close(self) -> None:
        with self._turn:
            self._closed = True
            if self._anchor is not None:
                self._anchor.close()
                self._anchor = None

    def _let_go_if_idle(self) -> None:
        if self._users == 0 and self._anchor is not None:
            self._anchor.close()
            self._anchor = None

    def _yield_to_writers(self) -> None:
        """A writer must not wait for the next request to get the file."""
        while not self._closed:
            time.sleep(0.1)
            if _writer_waiting(self.path):
                with self._turn:
                    self._let_go_if_idle()
                    self._turn.notify_all()


def _writer_mark(path: str) -> Path:
    return Path(path + ".writer-waiting")


def _writer_waiting(path: str) -> bool:
    try:
        return time.time() - _writer_mark(path).stat().st_mtime < WRITER_MARK_FRESH_S
    except FileNotFoundError:
        return False


def _published_filters(
    outlet: str | None, since: str | None, until: str | None
) -> tuple[list[str], list[object]]:
    """Conditions on an article ``a`` (with its borrowed date ``b``): its outlet, case aside, and
    its publication date (own or borrowed) from ``since`` to ``until``, inclusive."""
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if outlet is not None:
        where.append("lower(a.outlet) = lower(?)")
        params.append(outlet)
    if since is not None:
        where.append("coalesce(a.published, b.value) >= ?")
        params.append(since)
    if until is not None:
        where.append("coalesce(a.published, b.value) <= ?")
        params.append(until)
    return where, params


def _every_word(columns: Sequence[str], words: Sequence[str]) -> tuple[str, list[str]]:
    """A condition true when each word is, literally and case aside, in one of the columns."""
    one = "(" + " OR ".join(f"{c} ILIKE ? ESCAPE '\\'" for c in columns) + ")"
    return " AND ".join([one] * len(words)) or "1 = 1", [f"%{_like(w)}%" for w in words for _ in columns]


def _like(text: str) -> str:
    """``text`` matched literally inside an ILIKE pattern whose escape character is the backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def members_key(articles: Iterable[str]) -> str:
    """What a story digest was computed from: the same digest as ``stale_digests`` computes in SQL."""
    return hashlib.md5(",".join(sorted(articles)).encode()).hexdigest()


def _unit(row: dict) -> Unit:
    return Unit(row["article"], row["start"], row["end"], row["text"])


def _fact(row: dict) -> Fact:
    return Fact(
        row["id"],
        row["text"],
        tuple(row["articles"]),
        tuple(row["outlets"]),
        _unit(row["source"]),
        tuple(_unit(u) for u in row["units"]),
        row["centrality"],
    )


def _dispute(row: dict) -> Dispute:
    first, second = row["sides"]
    return Dispute(row["fact"], row["kind"], (_unit(first), _unit(second)), tuple(row["values"]))


def _summary_sentence(row: dict) -> SummarySentence:
    return SummarySentence(row["text"], tuple(row["articles"]), _unit(row["source"]))
