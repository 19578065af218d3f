"""The only module that touches the database: one DuckDB file, no server.

Tables: ``raw`` keeps every input by content hash; ``articles`` and ``annotations`` hold the
article-level results with the pipeline version that made them (a newer version redoes them);
``sources`` maps each input path to its article; ``entities`` holds the latest corpus-level
resolution. Nested fields are JSON, so one article is one row per table and writes stay cheap.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsprism.errors import StoreError
from newsprism.records import (
    Annotations,
    Article,
    DateEvidence,
    Entity,
    Mention,
    Quote,
    RawDoc,
    Removed,
    Speaker,
    TimeRef,
)

INSERT_BATCH_ROWS = 256
SCHEMA = """
CREATE TABLE IF NOT EXISTS raw (
    hash TEXT PRIMARY KEY, source TEXT, is_html BOOLEAN, text TEXT, given JSON,
    first_seen TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, raw_hash TEXT, version TEXT, source TEXT, source_id TEXT, url TEXT, outlet TEXT,
    title TEXT, published TEXT, published_evidence JSON, dateline TEXT, authors JSON, credits JSON,
    paragraphs JSON, removed JSON);
CREATE TABLE IF NOT EXISTS annotations (
    article TEXT PRIMARY KEY, version TEXT, mentions JSON, quotes JSON, times JSON);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, article TEXT);
CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, name TEXT, type TEXT, aliases JSON, mentions JSON);
"""


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            self.db = duckdb.connect(self.path)
            self.db.execute(SCHEMA)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc

    def _many(self, sql: str, rows: list[list[object]]) -> None:
        """Insert rows with one multi-row VALUES statement per batch: DuckDB's executemany
        prepares and runs one statement per row, several times slower."""
        head, _, placeholder = sql.rpartition(" VALUES ")
        for i in range(0, len(rows), INSERT_BATCH_ROWS):
            batch = rows[i : i + INSERT_BATCH_ROWS]
            values = ", ".join([placeholder] * len(batch))
            self.db.execute(f"{head} VALUES {values}", [value for row in batch for value in row])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- article level -------------------------------------------------------------------------

    def current(self, ids: Iterable[str], version: str) -> set[str]:
        """Which of these article ids already have results made by this pipeline version."""
        ids = list(ids)
        if not ids:
            return set()
        rows = self.db.execute(
            "SELECT a.id FROM articles a JOIN annotations n ON n.article = a.id "
            "WHERE a.version = ? AND n.version = ? AND a.id IN (SELECT unnest(?))",
            [version, version, ids],
        ).fetchall()
        return {r[0] for r in rows}

    def put_raw(self, docs: Sequence[RawDoc]) -> None:
        with self._transaction("cannot keep the raw inputs"):
            self._many(
                "INSERT OR IGNORE INTO raw (hash, source, is_html, text, given) VALUES (?, ?, ?, ?, ?)",
                [[d.content_hash, d.source, d.is_html, d.text, json.dumps(d.given)] for d in docs],
            )

    def put_sources(self, pairs: Sequence[tuple[str, str]]) -> None:
        with self._transaction("cannot record the input paths"):
            self._many("INSERT OR REPLACE INTO sources VALUES (?, ?)", [list(p) for p in pairs])

    def put_results(
        self, results: Sequence[tuple[Article, Annotations]], raw_hash: dict[str, str], version: str
    ) -> None:
        failed = [n.article for _, n in results if n.error is not None]
        with self._transaction("cannot write results"):
            if failed:  # annotations of an older version would not fit the new body
                self.db.execute("DELETE FROM annotations WHERE article IN (SELECT unnest(?))", [failed])
            self._many(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_article_row(a, raw_hash.get(a.id), version) for a, _ in results],
            )
            self._many(
                "INSERT OR REPLACE INTO annotations VALUES (?, ?, ?, ?, ?)",
                # A failed article keeps no annotations, so the next run tries it again.
                [
                    [n.article, version, _dump(n.mentions), _dump(n.quotes), _dump(n.times)]
                    for _, n in results
                    if n.error is None
                ],
            )

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
            self.db.execute("COMMIT")
        except duckdb.Error as exc:
            self.db.execute("ROLLBACK")
            raise StoreError(f"{self.path}: {what}: {exc}") from exc

    def articles(self, ids: Sequence[str]) -> list[Article]:
        rows = self.db.execute(
            "SELECT id, source, source_id, url, outlet, title, published, published_evidence, dateline, "
            "authors, credits, paragraphs, removed FROM articles WHERE id IN (SELECT unnest(?))",
            [list(ids)],
        ).fetchall()
        by_id = {r[0]: _article(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def annotations(self, ids: Sequence[str]) -> dict[str, Annotations]:
        rows = self.db.execute(
            "SELECT article, mentions, quotes, times FROM annotations WHERE article IN (SELECT unnest(?))",
            [list(ids)],
        ).fetchall()
        return {
            r[0]: Annotations(
                article=r[0],
                mentions=tuple(Mention(**m) for m in json.loads(r[1])),
                quotes=tuple(_quote(q) for q in json.loads(r[2])),
                times=tuple(TimeRef(**t) for t in json.loads(r[3])),
            )
            for r in rows
        }

    # -- corpus level --------------------------------------------------------------------------

    def put_entities(self, entities: Sequence[Entity]) -> None:
        with self._transaction("cannot write entities"):
            self.db.execute("DELETE FROM entities")
            self._many(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
                [[e.id, e.name, e.type, json.dumps(e.aliases), _dump(e.mentions)] for e in entities],
            )

    def counts(self) -> dict[str, int]:
        return {
            t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("raw", "articles", "sources", "entities")
        }


def _dump(records: Iterable[object]) -> str:
    return json.dumps([dataclasses.asdict(r) for r in records], ensure_ascii=False)


def _article_row(a: Article, raw_hash: str | None, version: str) -> list[object]:
    evidence = json.dumps(dataclasses.asdict(a.published_evidence)) if a.published_evidence else None
    return [
        a.id,
        raw_hash,
        version,
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
        _dump(a.removed),
    ]


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


def _quote(q: dict) -> Quote:
    return Quote(**{**q, "speaker": Speaker(**q["speaker"])})
