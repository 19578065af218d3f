"""The store as the corpus: a file of the previous release migrates forward and gives what a fresh
analysis gives, a newer file is refused with a message, and transactions write all or nothing."""

import dataclasses
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

import newsprism
from newsprism import pipeline
from newsprism.cli import app
from newsprism.corpus.digests import refresh_digests
from newsprism.corpus.view import view
from newsprism.errors import StoreError
from newsprism.options import Options
from newsprism.output.export import to_document
from newsprism.pipeline import analyze, ensure_corpus_current, stage_keys
from newsprism.records import Annotations, Article, Mention, RawDoc
from newsprism.store import open_store
from newsprism.store.duckdb import SCHEMA_VERSION, DuckDBStore, SharedReader

V1_STORE = ROOT / "tests" / "data" / "store-v1-examples.duckdb.gz"
# The examples analysed by the release before stories (schema 2).
V2_STORE = ROOT / "tests" / "data" / "store-v2-examples.duckdb.gz"
# The examples analysed by the release before story digests (schema 4).
V4_STORE = ROOT / "tests" / "data" / "store-v4-examples.duckdb.gz"
# Corpus-level statistics a re-analysis must retract before adding the article again.
STAT_TABLES = {
    "name_labels": "key, label, n",
    "name_forms": "key, form, n",
    "name_links": "a, b, kind, n",
    "shingle_counts": "shingle, n",
    "feature_counts": "feature, n",
    "clusters": "level, size, undated",
    "entities": "id, name, type, mentions",
}


def gunzip_v1(folder: Path, store: Path = V1_STORE) -> Path:
    path = folder / store.name.removesuffix(".gz")
    with gzip.open(store) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def tables(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as db:
        return {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def document(store: DuckDBStore) -> dict:
    return to_document(view(store, store.select()))


def articles_of(doc: dict) -> dict[str, list[str]]:
    return {a["id"]: a["paragraphs"] for a in doc["articles"]}


def partition(doc: dict) -> set[frozenset[tuple[str, int]]]:
    """Which mentions are one entity, whatever its id or name."""
    return {frozenset((m["article"], m["start"]) for m in e["mentions"]) for e in doc["entities"]}


def quotes_of(doc: dict) -> list[str]:
    return sorted(json.dumps(q, sort_keys=True) for q in doc["quotes"])


def stats(store: DuckDBStore) -> dict[str, list[tuple]]:
    return {table: sorted(store.db.execute(f"SELECT {columns} FROM {table}").fetchall())
            for table, columns in STAT_TABLES.items()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """The bundled examples analysed by this release into a new store."""
    store = DuckDBStore(tmp_path_factory.mktemp("fresh") / "fresh.duckdb")
    report = analyze([str(EXAMPLES)], store)
    assert (report.new, report.failed) == (8, [])
    yield store
    store.close()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """The previous release's store of the examples, opened (and so migrated) by this one."""
    path = gunzip_v1(tmp_path_factory.mktemp("v1"))
    assert "annotations" in tables(path) and "meta" not in tables(path)
    store = DuckDBStore(path)
    yield store
    store.close()


def test_v1_file_migrates_to_the_current_schema_with_its_article_rows(migrated):
    assert SCHEMA_VERSION == 5
    assert migrated.get_meta("schema_version") == str(SCHEMA_VERSION)
    names = {r[0] for r in migrated.db.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"annotations", "articles_v1"}.isdisjoint(names)
    assert {"mentions", "quotes", "times", "name_uses", "quote_groups"} <= names
    counts = migrated.counts()
    assert counts["articles"] == counts["raw"] == counts["sources"] == 8
    assert min(counts[t] for t in ("mentions", "quotes", "times")) > 0
    # The v1 results are kept but marked as such, so that the next analysis redoes them.
    keys = migrated.db.execute("SELECT DISTINCT clean_key, annotate_key FROM articles").fetchall()
    assert keys and all(c.startswith("v1:") and a.startswith("v1:") for c, a in keys)
    ids = migrated.select()
    assert len(ids) == 8
    bodies = {a.id: a.body for a in migrated.articles(ids)}
    annotations = migrated.annotations(ids)
    assert set(annotations) == set(ids)
    for n in annotations.values():
        for span in (*n.mentions, *n.quotes, *n.times):
            assert bodies[span.article][span.start : span.end] == span.text, span
    assert sum(len(n.mentions) for n in annotations.values()) == counts["mentions"]
    assert sum(len(n.quotes) for n in annotations.values()) == counts["quotes"]


def test_migrated_store_exports_what_a_fresh_analysis_exports(migrated, fresh):
    assert migrated.get_meta("corpus_key") is None  # the migration asks for the corpus level to be built
    assert ensure_corpus_current(migrated) is True
    assert migrated.get_meta("corpus_key") == stage_keys().corpus
    assert ensure_corpus_current(migrated) is False
    assert migrated.counts()["entities"] > 0
    old, new = document(migrated), document(fresh)
    assert len(old["articles"]) == 8
    same = set(articles_of(new)) - recleaned(old, new)
    assert {p for p in partition(old) if all(a in same for a, _ in p)} == {
        p for p in partition(new) if all(a in same for a, _ in p)}
    assert len(partition(old)) > 10
    assert quotes_of(only(old, same)) == quotes_of(only(new, same))
    assert any(q["speaker"]["entity"] for q in old["quotes"])


def recleaned(old: dict, new: dict) -> set[str]:
    """The articles an old store holds as older cleaning left them (kept until the next analysis
    redoes them), which this release cleans otherwise: one at most among the examples, the page
    that prints its headline above its text, which cleaning now keeps out of the body."""
    differ = {a for a, body in articles_of(new).items() if articles_of(old).get(a) != body}
    assert len(differ) <= 1, differ
    return differ


def only(doc: dict, articles: set[str]) -> dict:
    """The quotes of these articles; a quote group's id names all its members, so it is left out."""
    return {**doc, "quotes": [{k: v for k, v in q.items() if k != "group"}
                              for q in doc["quotes"] if q["article"] in articles]}


def stories_of(doc: dict) -> set[frozenset[str]]:
    return {frozenset(s["articles"]) for s in doc["stories"]}


def test_v2_file_migrates_and_builds_its_stories(tmp_path, fresh):
    """Version 2 (the release before stories) dated undated articles from an index of their top
    terms; version 3 drops that index and dates them by their story."""
    path = gunzip_v1(tmp_path, V2_STORE)
    assert {"article_terms", "term_counts"} <= tables(path) and "clusters" not in tables(path)
    with DuckDBStore(path) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert ensure_corpus_current(store) is True
        old, new = document(store), document(fresh)
    assert {"article_terms", "term_counts"}.isdisjoint(tables(path)) and "clusters" in tables(path)
    differ = recleaned(old, new)
    assert {s for s in stories_of(old) if not s & differ} == {s for s in stories_of(new) if not s & differ}
    assert len(old["stories"]) >= 1
    published = [{a["id"]: a["published"] for a in doc["articles"]} for doc in (old, new)]
    assert published[0] == published[1]
    assert any((a["published_evidence"] or {}).get("method") == "story" for a in old["articles"])
    # Version 4 keeps bodies uncompressed, so that one article's body is read without the others'.
    with duckdb.connect(str(path)) as db:
        db.execute("CHECKPOINT")
        kinds = db.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('articles') "
            "WHERE column_name = 'paragraphs'"
        ).fetchall()
    assert ("Uncompressed",) in kinds and ("ZSTD",) not in kinds


def test_v4_file_drops_its_unused_indexes_and_gets_the_digests_of_its_stories(tmp_path, fresh):
    path = gunzip_v1(tmp_path, V4_STORE)
    with duckdb.connect(str(path), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM duckdb_indexes()").fetchone()[0] > 1
    with DuckDBStore(path) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        stale = store.stale_digests()
        assert len(stale) == len(store.story_members(stale)) >= 1
        ensure_corpus_current(store)  # a rebuild, if the corpus code changed since, compares them
        refresh_digests(store)
        assert store.stale_digests() == []
        old, new = document(store), document(fresh)
    with duckdb.connect(str(path), read_only=True) as db:
        assert db.execute("SELECT index_name FROM duckdb_indexes()").fetchall() == [("times_article",)]
    differ = recleaned(old, new)
    assert {s for s in stories_of(old) if not s & differ} == {s for s in stories_of(new) if not s & differ}
    assert [s["summary"] for s in old["stories"] if not set(s["articles"]) & differ] == [
        s["summary"] for s in new["stories"] if not set(s["articles"]) & differ]


def test_a_story_is_read_from_its_digest_while_its_articles_are_those_it_was_made_from(tmp_path):
    with DuckDBStore(tmp_path / "d.duckdb") as store:
        analyze([str(EXAMPLES)], store)
        assert store.stale_digests() == []
        story = max(view(store, store.select()).stories, key=lambda s: len(s.articles))
        digest = store.story_digests([story.id])[story.id]
        assert digest.summary == story.summary and digest.facts == story.facts
        marked = dataclasses.replace(digest.summary[0], text="stored, not recomputed")
        store.put_story_digests({story.id: dataclasses.replace(digest, summary=(marked,))})
        assert view(store, story.articles).stories[0].summary == (marked,)
        # A story seen through some of its articles is compared from those.
        part = view(store, story.articles[:-1]).stories[0]
        assert part.summary and marked not in part.summary
        assert all(story.articles[-1] not in s.articles for s in part.summary)


def test_a_migrated_file_reopens_without_migrating_again(tmp_path):
    path = gunzip_v1(tmp_path)
    with DuckDBStore(path) as store:
        counts = store.counts()
    with DuckDBStore(path) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert store.counts() == counts


def test_analysing_into_a_migrated_store_redoes_v1_articles_without_doubling(tmp_path, fresh):
    with DuckDBStore(gunzip_v1(tmp_path)) as store:
        ensure_corpus_current(store)
        before = store.counts()
        report = analyze([str(EXAMPLES)], store)
        assert (report.new, report.unchanged, report.failed) == (8, 0, [])
        keys = stage_keys()
        assert store.current(report.ids, keys.clean, keys.annotate) == set(report.ids)
        after = store.counts()
        # The previous release recorded the examples' paths where it ran; this checkout's are added.
        assert after.pop("sources") >= before.pop("sources")
        fresh_counts = fresh.counts()
        fresh_counts.pop("sources")
        assert after == fresh_counts
        for table in ("articles", "mentions", "quotes", "times", "entities"):
            assert after[table] == fresh.counts()[table], table
        # Retracted before being added again: every corpus statistic is the fresh store's, not twice it.
        assert stats(store) == stats(fresh)
        doc = document(store)
        assert partition(doc) == partition(document(fresh))
        assert quotes_of(doc) == quotes_of(document(fresh))
        again = analyze([str(EXAMPLES)], store)
        assert (again.new, again.unchanged) == (0, 8)


def test_a_store_of_a_newer_schema_is_refused_by_name(tmp_path):
    path = tmp_path / "future.duckdb"
    with DuckDBStore(path) as store:
        store.set_meta("schema_version", "99")
    with pytest.raises(StoreError) as caught:
        DuckDBStore(path)
    message = str(caught.value)
    assert str(path) in message and "newer" in message and "99" in message
    with duckdb.connect(str(path), read_only=True) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("99",)


def test_a_file_that_is_no_database_is_a_store_error(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError, match="notes.duckdb"):
        DuckDBStore(path)


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("CREATE TABLE notes (line TEXT)", "not a newsprism store"),
        ("CREATE TABLE meta (key TEXT, value TEXT)", "not a newsprism store .its meta table has no schema_v"),
        (
            "CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('schema_version', 'abc')",
            "schema_version 'abc' in its meta table is not a number",
        ),
    ],
)
def test_a_database_newsprism_did_not_write_is_refused_and_left_as_it_was(tmp_path, sql, reason):
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(sql)
    before = tables(path)
    for read_only in (True, False):
        with pytest.raises(StoreError, match=f"other.duckdb: {reason}"):
            DuckDBStore(path, read_only=read_only)
    assert tables(path) == before


def test_an_empty_database_is_a_new_store_but_no_store_to_read(tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(StoreError, match="not a newsprism store .an empty DuckDB database"):
        DuckDBStore(path, read_only=True)
    with DuckDBStore(path) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)


def _sample() -> tuple[RawDoc, Article, Annotations]:
    body = "Helena Brask said the bridge would stay closed."
    raw = RawDoc(source="sample.txt", content_hash="ab" * 32, text=body)
    article = Article(id="ab" * 8, source="sample.txt", paragraphs=(body,))
    annotations = Annotations(article.id, mentions=(Mention(article.id, 0, 12, "Helena Brask", "PERSON"),))
    return raw, article, annotations


def _write(store: DuckDBStore) -> None:
    raw, article, annotations = _sample()
    store.put_raw([raw])
    store.put_articles([(article, annotations)], {article.id: raw.content_hash}, "clean-key", "annotate-key",
                       dt.date(2025, 3, 3))
    store.put_sources([(raw.source, article.id)])
    store.set_meta("note", "written")


def test_an_exception_inside_a_transaction_leaves_nothing_written(tmp_path):
    with DuckDBStore(tmp_path / "t.duckdb") as store:
        empty = store.counts()
        with pytest.raises(RuntimeError, match="stop"), store.transaction():
            _write(store)
            assert store.counts()["mentions"] == 1  # visible inside the transaction
            raise RuntimeError("stop")
        assert store.counts() == empty
        assert store.get_meta("note") is None
        # A nested transaction joins the outer one: its failure takes the outer writes with it.
        with pytest.raises(RuntimeError), store.transaction():
            store.set_meta("outer", "1")
            with store.transaction():
                _write(store)
                raise RuntimeError("inner")
        assert store.counts() == empty and store.get_meta("outer") is None
        # The store stays usable, and a transaction that ends normally commits.
        with store.transaction():
            _write(store)
    with DuckDBStore(tmp_path / "t.duckdb") as store:
        counts = store.counts()
        assert (counts["raw"], counts["articles"], counts["sources"], counts["mentions"]) == (1, 1, 1, 1)
        assert store.get_meta("note") == "written"


def test_a_database_error_inside_a_transaction_is_a_store_error_and_rolls_back(tmp_path):
    with DuckDBStore(tmp_path / "t.duckdb") as store:
        with pytest.raises(StoreError, match=r"t\.duckdb: cannot store the sample"), \
                store.transaction("cannot store the sample"):
            _write(store)
            # The key exists: a constraint error from the database itself.
            store.db.execute("INSERT INTO meta VALUES ('note', 'twice')")
        assert store.counts()["articles"] == 0 and store.get_meta("note") is None


def test_a_failed_insert_inside_a_transaction_is_reported_as_itself(tmp_path):
    """After a failed statement DuckDB refuses every other in the transaction: what the insert does
    after failing must not put "transaction is aborted" in place of why it failed."""
    with DuckDBStore(tmp_path / "t.duckdb") as store:
        with pytest.raises(StoreError, match="cannot store the sample: Constraint Error"), \
                store.transaction("cannot store the sample"):
            store._insert("meta", ("key", "value"), [("note", "once"), ("note", "twice")])
        assert store.get_meta("note") is None


def test_a_read_only_store_never_creates_nor_migrates(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        DuckDBStore(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()
    path = tmp_path / "old.duckdb"
    with DuckDBStore(path) as store:
        store.set_meta("schema_version", str(SCHEMA_VERSION - 1))
    with pytest.raises(StoreError, match="run `newsprism analyze` on it once"):
        DuckDBStore(path, read_only=True)


WRITER = """
import sys, time
from newsprism.store.duckdb import DuckDBStore
started = time.monotonic()
with DuckDBStore(sys.argv[1], lock_wait_s=20) as store:
    store.set_meta("writer", "was here")
    print(round(time.monotonic() - started, 2))
"""


def test_a_shared_reader_lets_a_writing_process_in_and_then_reads_what_it_wrote(tmp_path):
    path = tmp_path / "shared.duckdb"
    with DuckDBStore(path) as store:
        _write(store)
    reader = SharedReader(path, wait_s=20)
    try:
        with reader.store() as store:
            assert store.counts()["articles"] == 1
        before = reader.version()
        # The reader holds the file open between uses: a writer must ask for it, and gets it.
        writer = subprocess.run(
            [sys.executable, "-c", WRITER, str(path)], capture_output=True, text=True, timeout=60
        )
        assert writer.returncode == 0, writer.stderr
        assert float(writer.stdout) < 5
        with reader.store() as store:
            assert store.get_meta("writer") == "was here"
        assert reader.version() != before, "what the app keeps in memory is dropped once a writer commits"
    finally:
        reader.close()


def _settings(store) -> tuple[str, int]:
    return store.db.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()


def test_the_database_keeps_to_the_options_memory_limit_and_threads(tmp_path):
    path = tmp_path / "settings.duckdb"
    with open_store(path, **Options(db_memory="300MB", db_threads=3).store_settings()) as store:
        assert _settings(store) == ("286.1 MiB", 3)  # DuckDB reports sizes in MiB
    settings = Options(db_memory="200MB", workers=2).store_settings()
    with open_store(path, read_only=True, **settings) as store:
        assert _settings(store) == ("190.7 MiB", 2)  # threads follow the workers
        cursor = store.cursor()
        assert cursor is not None and _settings(cursor) == ("190.7 MiB", 2)
        cursor.close()
    with newsprism.open(path) as corpus:
        assert _settings(corpus.store) == ("953.6 MiB", os.cpu_count())  # newsprism's defaults


def test_the_shared_reader_keeps_to_its_memory_limit(tmp_path):
    path = tmp_path / "settings.duckdb"
    open_store(path).close()
    reader = SharedReader(path, memory_limit="250MB")
    try:
        with reader.store() as store:
            assert _settings(store) == ("238.4 MiB", 1)
    finally:
        reader.close()


def test_the_cli_passes_the_database_settings_to_the_store(tmp_path, monkeypatch):
    path = tmp_path / "settings.duckdb"
    open_store(path).close()
    seen = []
    opened = pipeline.open_store

    def spy(*args, **kwargs):
        store = opened(*args, **kwargs)
        seen.append(_settings(store))
        return store

    monkeypatch.setattr(pipeline, "open_store", spy)
    args = ["export", "--db", str(path), "--json", str(tmp_path / "out.json"), "--db-memory", "400MB"]
    result = CliRunner().invoke(app, [*args, "--db-threads", "1"])
    assert result.exit_code == 0, result.output
    assert seen and set(seen) == {("381.4 MiB", 1)}
